// Follow one flow (core/flowpath.h): TGW paths with both sides, one side, drops by reason,
// the reply flow (present, outside the time window, at another TGW, IPv6), VPC records with
// names and replies, '-' fields, unknown ids.
#include "core/analysis/flowpath.h"
#include "core/ingest/loader.h"
#include "core/names/names.h"
#include "core/query/filter_ip.h"
#include "core/store/store.h"

#include <QTest>

using namespace core;

namespace {

const char* const kA = "tgw-attach-0aaa";
const char* const kB = "tgw-attach-0bbb";
const char* const kC = "tgw-attach-0ccc";

struct Tgw {
    const char* att = kA;
    const char* pair = kB;
    const char* dir = "ingress";
    const char* src = "10.0.0.5";
    const char* dst = "10.1.0.9";
    const char* sport = "51515";
    const char* dport = "443";
    qint64 start = 1700000000;
    const char* packets = "10";
    const char* lost[4] = {"0", "0", "0", "0"};
    const char* tgw = "tgw-0123";
    const char* status = "OK";
};

QByteArray line(const Tgw& t)
{
    return QStringLiteral("6 TransitGateway 111122223333 %1 %2 111122223333 111122223333 vpc-src vpc-dst "
                          "subnet-a subnet-b eni-a eni-b use1-az1 use1-az2 %3 %4 %5 %6 %7 6 %8 4000 %9 %10 %11 "
                          "IPv4 %12 %13 %14 %15 19 us-east-1 %16 - -\n")
        .arg(QLatin1String(t.tgw), QLatin1String(t.att), QLatin1String(t.pair), QLatin1String(t.src), QLatin1String(t.dst),
             QLatin1String(t.sport), QLatin1String(t.dport), QLatin1String(t.packets))
        .arg(t.start)
        .arg(t.start + 60)
        .arg(QLatin1String(t.status), QLatin1String(t.lost[0]), QLatin1String(t.lost[1]), QLatin1String(t.lost[2]),
             QLatin1String(t.lost[3]), QLatin1String(t.dir))
        .toUtf8();
}

/// The same flow logged at the exit attachment.
Tgw egressOf(Tgw t)
{
    std::swap(t.att, t.pair);
    t.dir = "egress";
    return t;
}

/// The reply: addresses and ports swapped, entering where the flow left.
Tgw replyOf(Tgw t)
{
    std::swap(t.src, t.dst);
    std::swap(t.sport, t.dport);
    std::swap(t.att, t.pair);
    t.start += 1;
    return t;
}

/// The canonical text of an address (IPv6 spellings and IPv4 leading zeros compare equal).
QString addressValue(const QString& text)
{
    const auto a = parseIpAddress(text.toStdString());
    return a ? formatIpAddress(*a) : text;
}

std::unique_ptr<Store> load(const QByteArray& text)
{
    auto s = Store::create();
    if (!s.ok()) return nullptr;
    const LoadReport r = loadBuffer(*s.value(), text, QStringLiteral("test.log"), {});
    if (r.records == 0) return nullptr;
    return std::move(s.value());
}

const char* const kAttachmentNames = R"({"TransitGatewayAttachments": [
  {"TransitGatewayAttachmentId": "tgw-attach-0aaa", "ResourceType": "vpc", "ResourceId": "vpc-src",
   "Tags": [{"Key": "Name", "Value": "prod-app"}]},
  {"TransitGatewayAttachmentId": "tgw-attach-0bbb", "ResourceType": "vpn", "ResourceId": "vpn-1",
   "Tags": [{"Key": "Name", "Value": "office-vpn"}]}]}
{"TransitGateways": [{"TransitGatewayId": "tgw-0123", "Tags": [{"Key": "Name", "Value": "core-tgw"}]}]})";

const char* const kVpcNames = R"({"NetworkInterfaces": [
  {"NetworkInterfaceId": "eni-0abc", "SubnetId": "subnet-0s1", "VpcId": "vpc-0v1", "PrivateIpAddress": "10.0.0.5",
   "Attachment": {"InstanceId": "i-0123"}, "TagSet": [{"Key": "Name", "Value": "web-1"}]}]}
{"Subnets": [{"SubnetId": "subnet-0s1", "VpcId": "vpc-0v1", "CidrBlock": "10.0.0.0/24", "AvailabilityZoneId": "use1-az1",
   "Tags": [{"Key": "Name", "Value": "web-a"}]}]}
{"Vpcs": [{"VpcId": "vpc-0v1", "CidrBlock": "10.0.0.0/16", "Tags": [{"Key": "Name", "Value": "prod"}]}]})";

} // namespace

class TestFlowPath : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void tgw_data();
    void tgw();
    void names();
    void vpc_data();
    void vpc();
    void notFound_data();
    void notFound();
    void dashFields();
    void replyFarAway();
    void labels();
};

void TestFlowPath::tgw_data()
{
    QTest::addColumn<QByteArray>("log");
    QTest::addColumn<qint64>("trace"); // record id to trace (= line)
    QTest::addColumn<QString>("entry");
    QTest::addColumn<QString>("exit");
    QTest::addColumn<qint64>("ingress"); // expected record ids, 0 = none
    QTest::addColumn<qint64>("egress");
    QTest::addColumn<int>("drop"); // DropReason, -1 = none
    QTest::addColumn<qint64>("dropped");
    QTest::addColumn<bool>("endsAtTgw");
    QTest::addColumn<qint64>("replyIngress"); // -1 = no reply leg
    QTest::addColumn<qint64>("replyEgress");

    const Tgw f;
    QTest::newRow("both sides, traced from ingress") << line(f) + line(egressOf(f)) << qint64(1) << kA << kB << qint64(1)
                                                     << qint64(2) << -1 << qint64(0) << false << qint64(-1) << qint64(-1);
    QTest::newRow("both sides, traced from egress") << line(f) + line(egressOf(f)) << qint64(2) << kA << kB << qint64(1)
                                                    << qint64(2) << -1 << qint64(0) << false << qint64(-1) << qint64(-1);
    QTest::newRow("only ingress logged") << line(f) << qint64(1) << kA << kB << qint64(1) << qint64(0) << -1 << qint64(0) << false
                                         << qint64(-1) << qint64(-1);
    QTest::newRow("only egress logged") << line(egressOf(f)) << qint64(1) << kA << kB << qint64(0) << qint64(1) << -1 << qint64(0)
                                        << false << qint64(-1) << qint64(-1);
    const char* reasons[] = {"no route", "blackhole", "mtu exceeded", "ttl expired"};
    for (int r = 0; r < 4; ++r) {
        Tgw d = f;
        d.pair = r < 2 ? "-" : kB; // no route / blackhole: no exit attachment
        d.lost[r] = "10";
        const QByteArray text = r < 2 ? line(d) : line(d) + line(egressOf(d));
        QTest::newRow(qPrintable(QStringLiteral("dropped at the TGW: %1").arg(QLatin1String(reasons[r]))))
            << text << qint64(1) << kA << (r < 2 ? "" : kB) << qint64(1) << qint64(r < 2 ? 0 : 2) << r << qint64(10) << true
            << qint64(-1) << qint64(-1);
    }
    Tgw partial = f;
    partial.lost[2] = "4";
    QTest::newRow("partial MTU drop: path goes on")
        << line(partial) + line(egressOf(partial)) << qint64(1) << kA << kB << qint64(1) << qint64(2) << 2 << qint64(4) << false
        << qint64(-1) << qint64(-1);
    const Tgw r = replyOf(f);
    const QByteArray both = line(f) + line(egressOf(f)) + line(r) + line(egressOf(r));
    QTest::newRow("reply present") << both << qint64(1) << kA << kB << qint64(1) << qint64(2) << -1 << qint64(0) << false
                                   << qint64(3) << qint64(4);
    QTest::newRow("reply present, traced from the reply")
        << both << qint64(4) << kB << kA << qint64(3) << qint64(4) << -1 << qint64(0) << false << qint64(1) << qint64(2);
    QTest::newRow("reply only at its egress") << line(f) + line(egressOf(r)) << qint64(1) << kA << kB << qint64(1) << qint64(0)
                                              << -1 << qint64(0) << false << qint64(0) << qint64(2);
    Tgw late = r;
    late.start = f.start + 600;
    QTest::newRow("reply outside the time window") << line(f) + line(late) << qint64(1) << kA << kB << qint64(1) << qint64(0)
                                                   << -1 << qint64(0) << false << qint64(-1) << qint64(-1);
    Tgw otherTgw = r;
    otherTgw.tgw = "tgw-0999";
    QTest::newRow("reply at another TGW") << line(f) + line(otherTgw) << qint64(1) << kA << kB << qint64(1) << qint64(0) << -1
                                          << qint64(0) << false << qint64(-1) << qint64(-1);
    Tgw wrongPort = r;
    wrongPort.dport = "40000";
    QTest::newRow("same addresses, other port: no reply") << line(f) + line(wrongPort) << qint64(1) << kA << kB << qint64(1)
                                                          << qint64(0) << -1 << qint64(0) << false << qint64(-1) << qint64(-1);
    Tgw v6 = f;
    v6.src = "2600:1f18:abcd::5";
    v6.dst = "2600:1f18:beef::9";
    const Tgw v6r = replyOf(v6);
    QTest::newRow("IPv6 with reply") << line(v6) + line(egressOf(v6)) + line(v6r) << qint64(2) << kA << kB << qint64(1)
                                     << qint64(2) << -1 << qint64(0) << false << qint64(3) << qint64(0);
    // IPv6 addresses match by value, not spelling (as filters compare them).
    Tgw v6spelled = v6r;
    v6spelled.src = "2600:1F18:BEEF:0:0:0:0:9";
    v6spelled.dst = "2600:1f18:abcd:0000::0005";
    QTest::newRow("IPv6 reply spelled differently")
        << line(v6) + line(egressOf(v6)) + line(v6spelled) << qint64(1) << kA << kB << qint64(1) << qint64(2) << -1 << qint64(0)
        << false << qint64(3) << qint64(0);
    Tgw v4spelled = r; // IPv4 with leading zeros is kept as written too
    v4spelled.src = "010.001.0.9";
    QTest::newRow("IPv4 reply with leading zeros")
        << line(f) + line(egressOf(f)) + line(v4spelled) << qint64(1) << kA << kB << qint64(1) << qint64(2) << -1 << qint64(0)
        << false << qint64(3) << qint64(0);
    // A reply entering at an unexpected attachment still counts, but one at the expected one wins.
    Tgw odd = r;
    odd.att = kC;
    QTest::newRow("reply at the expected attachment preferred")
        << line(f) + line(odd) + line(r) << qint64(1) << kA << kB << qint64(1) << qint64(0) << -1 << qint64(0) << false
        << qint64(3) << qint64(0);
    // README: among replies entering where the flow left, the nearest in time wins, even when a
    // later one is logged on both sides (the twin only breaks a tie in time).
    Tgw later = r;
    later.start = f.start + 40;
    QTest::newRow("nearest reply preferred over a later one with its twin")
        << line(f) + line(r) + line(later) + line(egressOf(later)) << qint64(1) << kA << kB << qint64(1) << qint64(0) << -1
        << qint64(0) << false << qint64(2) << qint64(0);
    Tgw alone = r; // another flow key (packets): no twin
    alone.packets = "11";
    QTest::newRow("same time: the reply with its twin preferred")
        << line(f) + line(alone) + line(r) + line(egressOf(r)) << qint64(1) << kA << kB << qint64(1) << qint64(0) << -1
        << qint64(0) << false << qint64(3) << qint64(4);
}

void TestFlowPath::tgw()
{
    QFETCH(QByteArray, log);
    QFETCH(qint64, trace);
    QFETCH(QString, entry);
    QFETCH(QString, exit);
    QFETCH(qint64, ingress);
    QFETCH(qint64, egress);
    QFETCH(int, drop);
    QFETCH(qint64, dropped);
    QFETCH(bool, endsAtTgw);
    QFETCH(qint64, replyIngress);
    QFETCH(qint64, replyEgress);

    auto store = load(log);
    QVERIFY(store);
    const auto path = traceFlow(*store, core::RecordId(trace), nullptr);
    QVERIFY2(path.ok(), qPrintable(path.ok() ? QString() : path.error().message));
    const FlowLeg& leg = path->flow;
    QCOMPARE(path->recordId, trace);
    QVERIFY(leg.transitGateway);
    QCOMPARE(leg.entry.id, entry);
    QCOMPARE(leg.exit.id, exit);
    QCOMPARE(leg.tgw.id, QStringLiteral("tgw-0123"));
    QCOMPARE(leg.ingress ? leg.ingress->id : 0, ingress);
    QCOMPARE(leg.egress ? leg.egress->id : 0, egress);
    if (leg.ingress) QCOMPARE(leg.ingress->direction, QStringLiteral("ingress"));
    if (leg.egress) QCOMPARE(leg.egress->direction, QStringLiteral("egress"));
    QCOMPARE(leg.endsAtTgw, endsAtTgw);
    if (drop < 0) {
        QVERIFY(leg.drops.empty());
    } else {
        QCOMPARE(leg.drops.size(), size_t(1));
        QCOMPARE(int(leg.drops[0].reason), drop);
        QCOMPARE(leg.drops[0].packets, dropped);
    }
    const PathRecord* p = leg.primary();
    QVERIFY(p);
    QCOMPARE(p->packets.value_or(-1), qint64(10));
    QCOMPARE(p->bytes.value_or(-1), qint64(4000));
    QCOMPARE(p->file, QStringLiteral("test.log"));
    QVERIFY(p->line > 0);
    if (replyIngress < 0) {
        QVERIFY(!path->reply);
        QVERIFY(!path->replyNote.isEmpty());
    } else {
        QVERIFY2(path->reply, qPrintable(path->replyNote));
        QCOMPARE(path->reply->ingress ? path->reply->ingress->id : 0, replyIngress);
        QCOMPARE(path->reply->egress ? path->reply->egress->id : 0, replyEgress);
        QCOMPARE(addressValue(path->reply->srcAddr), addressValue(leg.dstAddr)); // by value, as logged
        QCOMPARE(addressValue(path->reply->dstAddr), addressValue(leg.srcAddr));
        QCOMPARE(path->reply->srcPort, leg.dstPort);
        QCOMPARE(path->reply->protocol, leg.protocol);
        QVERIFY(path->replyNote.isEmpty());
    }
}

void TestFlowPath::names()
{
    const Tgw f;
    auto store = load(line(f) + line(egressOf(f)));
    QVERIFY(store);
    NameDirectory dir;
    QVERIFY(parseNamesJson(kAttachmentNames, QStringLiteral("names.json"), dir).ok());
    const auto path = traceFlow(*store, core::RecordId(1), &dir);
    QVERIFY(path.ok());
    QCOMPARE(path->flow.entry.name, QStringLiteral("prod-app"));
    QCOMPARE(path->flow.entry.label(), QStringLiteral("prod-app (tgw-attach-0aaa)"));
    QVERIFY2(path->flow.entry.detail.contains(QLatin1String("vpc attachment")), qPrintable(path->flow.entry.detail));
    QCOMPARE(path->flow.exit.name, QStringLiteral("office-vpn"));
    QVERIFY(path->flow.exit.detail.contains(QLatin1String("vpn attachment")));
    QCOMPARE(path->flow.tgw.name, QStringLiteral("core-tgw"));
    // Without names: ids, and the VPC ids the record carries as details.
    const auto plain = traceFlow(*store, core::RecordId(1), nullptr);
    QVERIFY(plain.ok());
    QVERIFY(plain->flow.entry.name.isEmpty());
    QCOMPARE(plain->flow.entry.label(), QString::fromLatin1(kA));
    QCOMPARE(plain->flow.entry.detail, QStringLiteral("vpc-src"));
    QCOMPARE(plain->flow.exit.detail, QStringLiteral("vpc-dst"));
    QCOMPARE(plain->flow.summary(), QStringLiteral("TCP 10.0.0.5:51515 → 10.1.0.9:443"));
}

void TestFlowPath::vpc_data()
{
    QTest::addColumn<QByteArray>("log");
    QTest::addColumn<bool>("withNames");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("eniLabel");
    QTest::addColumn<QString>("subnet");
    QTest::addColumn<QString>("vpc");
    QTest::addColumn<qint64>("reply"); // reply record id, 0 = none

    const QByteArray accept = "2 123456789012 eni-0abc 10.0.0.5 10.9.0.1 40001 443 6 5 300 1700000000 1700000060 ACCEPT OK\n";
    const QByteArray back = "2 123456789012 eni-0abc 10.9.0.1 10.0.0.5 443 40001 6 4 900 1700000001 1700000060 ACCEPT OK\n";
    const QByteArray reject = "2 123456789012 eni-0abc 198.51.100.7 10.0.0.5 5555 22 6 1 40 1700000000 1700000060 REJECT OK\n";
    QTest::newRow("ACCEPT with names and reply") << accept + back << true << "ACCEPT"
                                                 << "web-1 (eni-0abc)"
                                                 << "subnet-0s1"
                                                 << "vpc-0v1" << qint64(2);
    QTest::newRow("ACCEPT without names") << accept + back << false << "ACCEPT"
                                          << "eni-0abc"
                                          << ""
                                          << "" << qint64(2);
    QTest::newRow("REJECT, no reply") << reject + accept << true << "REJECT"
                                      << "web-1 (eni-0abc)"
                                      << "subnet-0s1"
                                      << "vpc-0v1" << qint64(0);
    // v3 custom fields carry vpc-id and subnet-id themselves.
    const QByteArray v3 = "version vpc-id subnet-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes "
                          "start end action log-status\n"
                          "3 vpc-0v9 subnet-0s9 eni-0xyz 10.0.0.5 10.9.0.1 1 2 17 1 100 1700000000 1700000060 ACCEPT OK\n";
    QTest::newRow("v3 fields, no names") << v3 << false << "ACCEPT"
                                         << "eni-0xyz"
                                         << "subnet-0s9"
                                         << "vpc-0v9" << qint64(0);
}

void TestFlowPath::vpc()
{
    QFETCH(QByteArray, log);
    QFETCH(bool, withNames);
    QFETCH(QString, action);
    QFETCH(QString, eniLabel);
    QFETCH(QString, subnet);
    QFETCH(QString, vpc);
    QFETCH(qint64, reply);

    auto store = load(log);
    QVERIFY(store);
    NameDirectory dir;
    QVERIFY(parseNamesJson(kVpcNames, QStringLiteral("vpc.json"), dir).ok());
    const auto path = traceFlow(*store, core::RecordId(1), withNames ? &dir : nullptr);
    QVERIFY2(path.ok(), qPrintable(path.ok() ? QString() : path.error().message));
    const FlowLeg& leg = path->flow;
    QVERIFY(!leg.transitGateway);
    QVERIFY(leg.record);
    QCOMPARE(leg.record->id, qint64(1));
    QVERIFY(!leg.ingress && !leg.egress);
    QCOMPARE(leg.action, action);
    QCOMPARE(leg.eni.label(), eniLabel);
    QCOMPARE(leg.subnet.id, subnet);
    QCOMPARE(leg.vpc.id, vpc);
    if (withNames) {
        QCOMPARE(leg.subnet.name, QStringLiteral("web-a"));
        QVERIFY(leg.subnet.detail.contains(QLatin1String("10.0.0.0/24")));
        QCOMPARE(leg.vpc.name, QStringLiteral("prod"));
        QVERIFY(leg.eni.detail.contains(QLatin1String("i-0123")));
    }
    if (reply == 0) {
        QVERIFY(!path->reply);
    } else {
        QVERIFY2(path->reply, qPrintable(path->replyNote));
        QVERIFY(!path->reply->transitGateway);
        QCOMPARE(path->reply->record->id, reply);
    }
}

void TestFlowPath::notFound_data()
{
    QTest::addColumn<qint64>("id");
    QTest::newRow("beyond the last") << qint64(999);
    QTest::newRow("zero") << qint64(0);
    QTest::newRow("negative") << qint64(-5);
}

void TestFlowPath::notFound()
{
    QFETCH(qint64, id);
    auto store = load(line(Tgw()));
    QVERIFY(store);
    const auto path = traceFlow(*store, core::RecordId(id), nullptr);
    QVERIFY(!path.ok());
    QCOMPARE(path.error().message, QStringLiteral("no record with id %1 is loaded").arg(id));
    // An empty store too.
    auto empty = Store::create();
    QVERIFY(empty.ok());
    QVERIFY(!traceFlow(*empty.value(), core::RecordId(1), nullptr).ok());
}

void TestFlowPath::dashFields()
{
    // NODATA: addresses, ports, counters and the pair are '-'.
    const QByteArray nodata = "6 TransitGateway 111122223333 tgw-0123 tgw-attach-0aaa - - - - - - - - - - - - - - - - - - "
                              "1700000000 1700000060 NODATA - - - - - - us-east-1 - - -\n";
    auto store = load(nodata + line(Tgw()));
    QVERIFY(store);
    QCOMPARE(store->recordCount(), qint64(2));
    const auto path = traceFlow(*store, core::RecordId(1), nullptr);
    QVERIFY2(path.ok(), qPrintable(path.ok() ? QString() : path.error().message));
    const FlowLeg& leg = path->flow;
    QVERIFY(leg.transitGateway);
    QCOMPARE(leg.entry.id, QString::fromLatin1(kA));
    QVERIFY(leg.exit.id.isEmpty());
    QCOMPARE(leg.exit.label(), QStringLiteral("unknown"));
    QVERIFY(!leg.endsAtTgw); // nothing was dropped
    QVERIFY(leg.drops.empty());
    QVERIFY(leg.srcAddr.isEmpty());
    QVERIFY(!leg.srcPort);
    QVERIFY(leg.protocol.isEmpty());
    QVERIFY(leg.ingress);
    QVERIFY(!leg.ingress->packets);
    QCOMPARE(leg.ingress->logStatus, QStringLiteral("NODATA"));
    QCOMPARE(leg.summary(), QStringLiteral("? ? → ?"));
    QVERIFY(!path->reply);
    QVERIFY(path->replyNote.contains(QLatin1String("no source or destination address")));
}

void TestFlowPath::replyFarAway()
{
    // The reply is loaded 40,000 records after the flow (another file, loaded later): beyond
    // the window of nearby ids, so the whole store is searched.
    const Tgw f;
    QByteArray text = line(f);
    Tgw other = f;
    other.src = "10.5.0.1";
    const QByteArray filler = line(other);
    for (int i = 0; i < 40000; ++i) // distinct flows (source ports)
        text += QByteArray(filler).replace(" 51515 ", " " + QByteArray::number(10000 + i) + ' ');
    text += line(replyOf(f));
    auto store = load(text);
    QVERIFY(store);
    QCOMPARE(store->recordCount(), qint64(40002));
    const auto path = traceFlow(*store, core::RecordId(1), nullptr);
    QVERIFY(path.ok());
    QVERIFY2(path->reply, qPrintable(path->replyNote));
    QCOMPARE(path->reply->ingress->id, qint64(40002));
    // And from the reply's side, the flow is its reply.
    const auto back = traceFlow(*store, core::RecordId(40002), nullptr);
    QVERIFY(back.ok() && back->reply);
    QCOMPARE(back->reply->ingress->id, qint64(1));
}

void TestFlowPath::labels()
{
    QVERIFY(tgwDropMeaning(DropReason::MtuExceeded).contains(QLatin1String("8500")));
    QVERIFY(tgwDropMeaning(DropReason::NoRoute).contains(QLatin1String("no route")));
    QCOMPARE(protocolLabel(QStringLiteral("58")), QStringLiteral("ICMPv6"));
    QCOMPARE(protocolLabel(QStringLiteral("132")), QStringLiteral("132"));
    FlowLeg v6;
    v6.protocol = QStringLiteral("17");
    v6.srcAddr = QStringLiteral("2600::1");
    v6.dstAddr = QStringLiteral("2600::2");
    v6.srcPort = 53;
    v6.dstPort = 5353;
    QCOMPARE(v6.summary(), QStringLiteral("UDP [2600::1]:53 → [2600::2]:5353"));
}

QTEST_GUILESS_MAIN(TestFlowPath)
#include "tst_flowpath.moc"
