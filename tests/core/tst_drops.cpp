// Drop diagnosis: each reason, the both-sides counting rule, drops with no pair, filters,
// route tables from names, VPC REJECT rows, top values, '-' counters, CSV, cancel, and a
// cross-check against plain SQL on the demo data set.
#include "core/analysis/drops.h"
#include "core/ingest/loader.h"
#include "core/names/names.h"
#include "core/query/filter.h"
#include "core/store/store.h"

#include "tests/testpaths.h"
#include <QTest>

using namespace core;

namespace {

/// One TGW default record. Counters are text so '-' can be written.
struct Tgw {
    const char* attach;
    const char* pair;
    const char* dir;
    const char* lost = "0 0 0 0"; ///< no-route blackhole mtu-exceeded ttl-expired
    const char* src = "10.1.0.10";
    const char* dst = "10.2.0.20";
    int dport = 443;
    qint64 packets = 10;
    qint64 start = 1764410400;
    const char* status = "OK";
};

QByteArray tgw(const Tgw& r)
{
    if (QByteArray(r.status) != "OK")
        return QStringLiteral("6 TransitGateway 111122223333 tgw-0123 %1 - - - - - - - - - - - - - - - - - - "
                              "%2 %3 %4 - - - - - - us-east-1 - - -\n")
            .arg(QLatin1String(r.attach))
            .arg(r.start)
            .arg(r.start + 60)
            .arg(QLatin1String(r.status))
            .toUtf8();
    return QStringLiteral("6 TransitGateway 111122223333 tgw-0123 %1 111122223333 444455556666 vpc-a vpc-b "
                          "subnet-a subnet-b eni-a eni-b use1-az1 use1-az2 %2 %3 %4 40000 %5 6 %6 %7 %8 %9 ")
               .arg(QLatin1String(r.attach), QLatin1String(r.pair), QLatin1String(r.src), QLatin1String(r.dst))
               .arg(r.dport)
               .arg(r.packets)
               .arg(r.packets * 100)
               .arg(r.start)
               .arg(r.start + 60)
               .toUtf8()
           + QStringLiteral("OK IPv4 %1 19 us-east-1 %2 - -\n").arg(QLatin1String(r.lost), QLatin1String(r.dir)).toUtf8();
}

/// One VPC v2 default record.
QByteArray vpc(const char* eni, const char* src, int dport, qint64 packets, const char* action, qint64 start = 1764410400)
{
    return QStringLiteral("2 111122223333 %1 %2 10.10.0.5 51000 %3 6 %4 %5 %6 %7 %8 OK\n")
        .arg(QLatin1String(eni), QLatin1String(src))
        .arg(dport)
        .arg(packets)
        .arg(packets * 60)
        .arg(start)
        .arg(start + 10)
        .arg(QLatin1String(action))
        .toUtf8();
}

QByteArray tgwData(const std::vector<Tgw>& recs)
{
    QByteArray data;
    for (const Tgw& r : recs) data += tgw(r);
    return data;
}

std::unique_ptr<Store> storeWith(const QByteArray& tgwText, const QByteArray& vpcText = {})
{
    auto created = Store::create();
    if (!created.ok()) return nullptr;
    auto store = std::move(created.value());
    if (!tgwText.isEmpty() && loadBuffer(*store, tgwText, QStringLiteral("tgw.log"), LoadOptions{}).outcome != Outcome::Ok)
        return nullptr;
    if (!vpcText.isEmpty() && loadBuffer(*store, vpcText, QStringLiteral("vpc.log"), LoadOptions{}).outcome != Outcome::Ok)
        return nullptr;
    return store;
}

/// "entry>exit reason packets/records" per row, in result order.
QString rowsText(const std::vector<DropRow>& rows)
{
    QStringList out;
    for (const DropRow& r : rows)
        out << QStringLiteral("%1>%2 %3 %4/%5").arg(r.entry, r.exit, dropReasonName(r.reason)).arg(r.packets).arg(r.records);
    return out.join(QLatin1Char(' '));
}

const DropRow* findRow(const std::vector<DropRow>& rows, DropReason reason, const QString& entry = {})
{
    for (const DropRow& r : rows)
        if (r.reason == reason && (entry.isEmpty() || r.entry == entry)) return &r;
    return nullptr;
}

QString demoPath()
{
    return testpaths::demoData();
}

} // namespace

class TestDrops : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void reasons_data()
    {
        QTest::addColumn<QByteArray>("tgwText");
        QTest::addColumn<QByteArray>("vpcText");
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("expected");

        QTest::newRow("no route, no pair") << tgwData({{"A", "-", "ingress", "5 0 0 0"}}) << QByteArray() << QString()
                                           << "A>- no-route 5/1";
        QTest::newRow("blackhole") << tgwData({{"C", "-", "ingress", "0 4 0 0"}}) << QByteArray() << QString()
                                   << "C>- blackhole 4/1";
        QTest::newRow("mtu logged at both sides counts once")
            << tgwData({{"A", "B", "ingress", "0 0 7 0"}, {"B", "A", "egress", "0 0 7 0"}}) << QByteArray() << QString()
            << "A>B mtu-exceeded 7/1";
        QTest::newRow("mtu counted at the entry side only") << tgwData({{"A", "B", "ingress", "0 0 7 0"}, {"B", "A", "egress"}})
                                                            << QByteArray() << QString() << "A>B mtu-exceeded 7/1";
        QTest::newRow("only the exit side loaded: entry is the pair")
            << tgwData({{"B", "A", "egress", "0 0 7 0"}}) << QByteArray() << QString() << "A>B mtu-exceeded 7/1";
        QTest::newRow("ttl expired") << tgwData({{"P", "S", "ingress", "0 0 0 3"}, {"S", "P", "egress", "0 0 0 3"}})
                                     << QByteArray() << QString() << "P>S ttl-expired 3/1";
        QTest::newRow("two reasons in one record")
            << tgwData({{"A", "B", "ingress", "2 0 0 1"}}) << QByteArray() << QString() << "A>B no-route 2/1 A>B ttl-expired 1/1";
        QTest::newRow("rows sorted by packets") << tgwData(
            {{"A", "-", "ingress", "5 0 0 0"}, {"C", "-", "ingress", "0 9 0 0"}, {"A", "-", "ingress", "6 0 0 0", "10.1.0.11"}})
                                                << QByteArray() << QString() << "A>- no-route 11/2 C>- blackhole 9/1";
        QTest::newRow("filter applied") << tgwData(
            {{"A", "-", "ingress", "5 0 0 0"}, {"A", "-", "ingress", "6 0 0 0", "10.1.0.11", "10.9.0.1", 22}})
                                        << QByteArray() << "dstport == 22"
                                        << "A>- no-route 6/1";
        QTest::newRow("filter on the exit attachment keeps the egress record")
            << tgwData({{"A", "B", "ingress", "0 0 7 0"}, {"B", "A", "egress", "0 0 7 0"}}) << QByteArray()
            << "tgw_attachment_id == B"
            << "A>B mtu-exceeded 7/1";
        QTest::newRow("filter matching both sides still counts once")
            << tgwData({{"A", "B", "ingress", "0 0 7 0"}, {"B", "A", "egress", "0 0 7 0"}}) << QByteArray() << "attachment == A"
            << "A>B mtu-exceeded 7/1";
        QTest::newRow("filter excluding everything")
            << tgwData({{"A", "-", "ingress", "5 0 0 0"}}) << QByteArray() << "dstport == 1"
            << "";
        QTest::newRow("all drop fields '-'") << tgwData({{"A", "B", "ingress", "- - - -"}}) << QByteArray() << QString() << "";
        QTest::newRow("no drops") << tgwData({{"A", "B", "ingress"}, {"B", "A", "egress"}}) << QByteArray() << QString() << "";
        QTest::newRow("NODATA") << tgwData({{"A", "-", "-", "0 0 0 0", "-", "-", 0, 0, 1764410400, "NODATA"}}) << QByteArray()
                                << QString() << "";
        QTest::newRow("rejected per interface")
            << QByteArray()
            << vpc("eni-1", "203.0.113.5", 22, 1, "REJECT") + vpc("eni-1", "203.0.113.6", 3389, 2, "REJECT")
                   + vpc("eni-1", "10.20.0.5", 5432, 40, "ACCEPT") + vpc("eni-2", "203.0.113.5", 22, 1, "REJECT")
            << QString() << "eni-1>- rejected 3/2 eni-2>- rejected 1/1";
        QTest::newRow("TGW drops and VPC rejects together")
            << tgwData({{"A", "-", "ingress", "5 0 0 0"}}) << vpc("eni-1", "203.0.113.5", 22, 1, "REJECT") << QString()
            << "A>- no-route 5/1 eni-1>- rejected 1/1";
        QTest::newRow("filter on action") << tgwData({{"A", "-", "ingress", "5 0 0 0"}})
                                          << vpc("eni-1", "203.0.113.5", 22, 1, "REJECT") << "action == REJECT"
                                          << "eni-1>- rejected 1/1";
    }
    void reasons()
    {
        QFETCH(QByteArray, tgwText);
        QFETCH(QByteArray, vpcText);
        QFETCH(QString, filter);
        QFETCH(QString, expected);
        auto store = storeWith(tgwText, vpcText);
        QVERIFY(store);
        auto rows = computeDrops(*store, filter);
        QVERIFY2(rows.ok(), qPrintable(rows.ok() ? QString() : rows.error().toString()));
        QCOMPARE(rowsText(rows.value()), expected);
    }

    void timesAndTopValues()
    {
        auto store = storeWith(tgwData({
            {"A", "-", "ingress", "5 0 0 0", "10.1.0.1", "10.99.0.1", 443, 10, 1764410400},
            {"A", "-", "ingress", "9 0 0 0", "10.1.0.2", "10.99.0.2", 80, 10, 1764410460},
            {"A", "-", "ingress", "5 0 0 0", "10.1.0.3", "10.99.0.1", 443, 10, 1764410520},
            {"A", "-", "ingress", "1 0 0 0", "10.1.0.4", "10.99.0.3", 22, 10, 1764410580},
            {"A", "-", "ingress", "1 0 0 0", "10.1.0.5", "10.99.0.4", 23, 10, 1764410300},
        }));
        QVERIFY(store);
        auto rows = computeDrops(*store, {});
        QVERIFY(rows.ok());
        QCOMPARE(rows->size(), size_t(1));
        const DropRow& r = rows->front();
        QCOMPARE(r.packets, qint64(21));
        QCOMPARE(r.records, qint64(5));
        QCOMPARE(r.firstSeen, qint64(1764410300));
        QCOMPARE(r.lastSeen, qint64(1764410580 + 60));
        // By packets lost, ties in address order.
        QCOMPARE(formatTopValues(r.topSources), QStringLiteral("10.1.0.2 (9); 10.1.0.1 (5); 10.1.0.3 (5)"));
        QCOMPARE(formatTopValues(r.topDestinations), QStringLiteral("10.99.0.1 (10); 10.99.0.2 (9); 10.99.0.3 (1)"));
        QCOMPARE(formatTopValues(r.topPorts), QStringLiteral("443 (10); 80 (9); 22 (1)"));
    }

    // Top-N ties: addresses in text order (what ORDER BY on the Athena address column gives),
    // ports in numeric order; the Athena drops query is checked against the same rule in
    // tst_remote_sql.
    void topTies_data()
    {
        QTest::addColumn<QStringList>("sources"); ///< "address lost port" per record
        QTest::addColumn<QString>("topSources");
        QTest::addColumn<QString>("topPorts");
        QTest::newRow("text order, not numeric") << QStringList{"10.1.0.9 4 443", "10.1.0.10 4 443", "10.1.0.100 4 443"}
                                                 << "10.1.0.10 (4); 10.1.0.100 (4); 10.1.0.9 (4)"
                                                 << "443 (12)";
        QTest::newRow("a tie cut at the third place")
            << QStringList{"10.1.0.2 7 80", "10.1.0.3 2 22", "10.1.0.20 2 8080", "10.1.0.1 2 22", "192.168.0.1 2 80"}
            << "10.1.0.2 (7); 10.1.0.1 (2); 10.1.0.20 (2)"
            << "80 (9); 22 (4); 8080 (2)";
        QTest::newRow("IPv6 among IPv4") << QStringList{"2600:1f18::1 3 53", "172.16.0.1 3 22", "2600:1f18::10 3 3389",
                                                        "3.3.3.3 3 443"}
                                         << "172.16.0.1 (3); 2600:1f18::1 (3); 2600:1f18::10 (3)"
                                         << "22 (3); 53 (3); 443 (3)";
        QTest::newRow("no tie") << QStringList{"10.1.0.9 1 22", "10.1.0.10 5 443"} << "10.1.0.10 (5); 10.1.0.9 (1)"
                                << "443 (5); 22 (1)";
    }

    void topTies()
    {
        QFETCH(QStringList, sources);
        QFETCH(QString, topSources);
        QFETCH(QString, topPorts);
        std::vector<QByteArray> keep; // Tgw holds pointers
        std::vector<Tgw> recs;
        for (const QString& s : sources) {
            const QStringList p = s.split(QLatin1Char(' '));
            keep.push_back(p[0].toLatin1());
            keep.push_back(p[1].toLatin1() + " 0 0 0");
            recs.push_back({"A", "-", "ingress", nullptr, nullptr, "10.99.0.1", p[2].toInt(), 10, 1764410400});
        }
        for (size_t i = 0; i < recs.size(); ++i) {
            recs[i].src = keep[2 * i].constData();
            recs[i].lost = keep[2 * i + 1].constData();
        }
        auto store = storeWith(tgwData(recs));
        QVERIFY(store);
        auto rows = computeDrops(*store, {});
        QVERIFY(rows.ok());
        QCOMPARE(rows->size(), size_t(1));
        QCOMPARE(formatTopValues(rows->front().topSources), topSources);
        QCOMPARE(formatTopValues(rows->front().topPorts), topPorts);
    }

    void namesGiveRouteTable()
    {
        auto store = storeWith(tgwData({{"tgw-attach-a", "-", "ingress", "5 0 0 0", "10.1.0.1", "10.99.0.1"},
                                        {"tgw-attach-a", "tgw-attach-v", "ingress", "0 0 3 0"}}));
        QVERIFY(store);
        NameDirectory names;
        NameEntry a;
        a.id = QStringLiteral("tgw-attach-a");
        a.name = QStringLiteral("prod-app");
        a.kind = QStringLiteral("vpc");
        a.routeTableId = QStringLiteral("tgw-rtb-0123456789");
        names.add(a);
        NameEntry v;
        v.id = QStringLiteral("tgw-attach-v");
        v.name = QStringLiteral("onprem-vpn");
        v.kind = QStringLiteral("vpn");
        names.add(v);

        auto rows = computeDrops(*store, {}, &names);
        QVERIFY(rows.ok());
        const DropRow* noRoute = findRow(*rows, DropReason::NoRoute);
        QVERIFY(noRoute);
        QCOMPARE(noRoute->entryName, QStringLiteral("prod-app"));
        QCOMPARE(noRoute->routeTableId, QStringLiteral("tgw-rtb-0123456789"));
        QVERIFY2(noRoute->check.contains(QStringLiteral("TGW route table tgw-rtb-0123456789 (associated with "
                                                        "prod-app (tgw-attach-a))")),
                 qPrintable(noRoute->check));
        QVERIFY(noRoute->check.contains(QStringLiteral("10.99.0.1")));
        QVERIFY(noRoute->meaning.contains(QStringLiteral("no static or propagated route")));
        const DropRow* mtu = findRow(*rows, DropReason::MtuExceeded);
        QVERIFY(mtu);
        QCOMPARE(mtu->exitName, QStringLiteral("onprem-vpn"));
        QCOMPARE(mtu->exitKind, QStringLiteral("vpn"));
        QVERIFY2(mtu->check.contains(QStringLiteral("VPN attachment (MTU 1500)")), qPrintable(mtu->check));
        QVERIFY(mtu->meaning.contains(QStringLiteral("8500")));

        // Without names: the route table is described, not named.
        auto plain = computeDrops(*store, {});
        QVERIFY(plain.ok());
        const DropRow* unnamed = findRow(*plain, DropReason::NoRoute);
        QVERIFY(unnamed);
        QVERIFY(unnamed->routeTableId.isEmpty());
        QVERIFY(unnamed->check.contains(QStringLiteral("the TGW route table associated with tgw-attach-a")));
    }

    void explanations_data()
    {
        QTest::addColumn<int>("reason");
        QTest::addColumn<QString>("meaning");
        QTest::addColumn<QString>("check");
        QTest::newRow("no-route") << int(DropReason::NoRoute) << "no route"
                                  << "search-transit-gateway-routes";
        QTest::newRow("blackhole") << int(DropReason::Blackhole) << "blackhole route"
                                   << "Name=state,Values=blackhole";
        QTest::newRow("mtu-exceeded") << int(DropReason::MtuExceeded) << "1500 bytes over VPN"
                                      << "MSS";
        QTest::newRow("ttl-expired") << int(DropReason::TtlExpired) << "routing loop"
                                     << "loop";
        QTest::newRow("rejected") << int(DropReason::Rejected) << "security group"
                                  << "network ACL";
    }
    void explanations()
    {
        QFETCH(int, reason);
        QFETCH(QString, meaning);
        QFETCH(QString, check);
        DropRow r;
        r.entry = QStringLiteral("tgw-attach-a");
        r.exit = QStringLiteral("-");
        r.reason = static_cast<DropReason>(reason);
        explainDrop(r);
        QVERIFY2(r.meaning.contains(meaning, Qt::CaseInsensitive), qPrintable(r.meaning));
        QVERIFY2(r.check.contains(check), qPrintable(r.check));
        QCOMPARE(dropReasonFromName(dropReasonName(r.reason)), std::optional<DropReason>(r.reason));
    }

    void csv()
    {
        auto store = storeWith(tgwData({{"A", "-", "ingress", "5 0 0 0", "10.1.0.1", "10.99.0.1", 443, 10, 1764410400}}));
        QVERIFY(store);
        auto rows = computeDrops(*store, {});
        QVERIFY(rows.ok());
        const QByteArray csv = dropsCsv(*rows, false);
        const QList<QByteArray> lines = csv.split('\n');
        QCOMPARE(lines.size(), 3); // header, row, "" after the last CRLF
        QCOMPARE(lines[0], QByteArray("entry,exit,reason,packets,records,first_seen,last_seen,top_sources,"
                                      "top_destinations,top_dst_ports,route_table_id,check\r"));
        QVERIFY2(lines[1].startsWith("A,-,no-route,5,1,1764410400,1764410460,10.1.0.1 (5),10.99.0.1 (5),443 (5),,"),
                 lines[1].constData());
        QVERIFY(csv.endsWith("\r\n"));
        QVERIFY(dropsCsv(*rows, true)
                    .startsWith("entry,exit,reason,packets,records,first_seen,last_seen,top_sources,"
                                "top_destinations,top_dst_ports,route_table_id,check,entry_name,"
                                "exit_name\r\n"));
        QCOMPARE(dropsCsv({}, false), QByteArray("entry,exit,reason,packets,records,first_seen,last_seen,top_sources,"
                                                 "top_destinations,top_dst_ports,route_table_id,check\r\n"));
    }

    void csvTimes_data()
    {
        QTest::addColumn<QByteArray>("vpcText");
        QTest::addColumn<QByteArray>("times"); // first_seen,last_seen as the CSV row shows them
        const QByteArray timed = vpc("eni-0a", "10.1.0.1", 22, 4, "REJECT");
        QTest::newRow("start and end") << timed << QByteArray(",1764410400,1764410410,");
        QByteArray noTimes = timed;
        noTimes.replace("1764410400 1764410410", "- -");
        QTest::newRow("no start, no end: empty, not 1970") << noTimes << QByteArray(",,,");
        QByteArray noEnd = timed;
        noEnd.replace("1764410400 1764410410", "1764410400 -");
        QTest::newRow("no end: the start") << noEnd << QByteArray(",1764410400,1764410400,");
    }
    void csvTimes()
    {
        // The same as Athena's drops SQL (min/max of no time is NULL, an empty cell).
        QFETCH(QByteArray, vpcText);
        QFETCH(QByteArray, times);
        auto store = storeWith({}, vpcText);
        QVERIFY(store);
        auto rows = computeDrops(*store, {});
        QVERIFY(rows.ok());
        QCOMPARE(rows->size(), size_t(1));
        const QByteArray csv = dropsCsv(*rows, false);
        QVERIFY2(csv.contains("\r\neni-0a,-,rejected,4,1" + times), csv.constData());
    }

    void manyRejectingInterfaces()
    {
        // More REJECT contexts than the pre-filter binds as a list: the action is decoded per row.
        QByteArray text;
        for (int i = 0; i < 600; ++i) {
            const QByteArray eni = "eni-" + QByteArray::number(100000 + i);
            text += vpc(eni.constData(), "203.0.113.5", 22, 1 + i % 3, "REJECT");
            text += vpc(eni.constData(), "10.0.0.9", 443, 5, "ACCEPT");
        }
        auto store = storeWith({}, text);
        QVERIFY(store);
        for (const QString& filter : {QString(), QStringLiteral("dstport == 22")}) {
            auto rows = computeDrops(*store, filter);
            QVERIFY(rows.ok());
            QCOMPARE(rows->size(), size_t(600));
            qint64 packets = 0;
            for (const DropRow& r : *rows) packets += r.packets;
            QCOMPARE(packets, qint64(200 * (1 + 2 + 3)));
        }
    }

    void emptyStore()
    {
        auto store = storeWith({});
        QVERIFY(store);
        auto rows = computeDrops(*store, {});
        QVERIFY(rows.ok());
        QVERIFY(rows->empty());
        auto filtered = computeDrops(*store, QStringLiteral("drops > 0"));
        QVERIFY(filtered.ok());
        QVERIFY(filtered->empty());
    }

    void badFilter()
    {
        auto store = storeWith(tgwData({{"A", "-", "ingress", "5 0 0 0"}}));
        QVERIFY(store);
        auto rows = computeDrops(*store, QStringLiteral("dstport == "));
        QVERIFY(!rows.ok());
        QVERIFY(rows.error().column > 0);
    }

    void cancel_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::newRow("unfiltered") << QString();
        QTest::newRow("filtered") << QStringLiteral("dstport != 1");
    }
    void cancel()
    {
        QFETCH(QString, filter);
        QByteArray data;
        for (int i = 0; i < 5000; ++i)
            data += tgw({"A", "-", "ingress", "5 0 0 0", "10.1.0.1", "10.99.0.1", 443, 10, 1764410400 + i});
        auto store = storeWith(data);
        QVERIFY(store);
        std::atomic<bool> cancel{true};
        auto rows = computeDrops(*store, filter, nullptr, &cancel);
        QVERIFY(!rows.ok());
        QCOMPARE(rows.error().message, QStringLiteral("cancelled"));
        cancel = false;
        auto again = computeDrops(*store, filter, nullptr, &cancel);
        QVERIFY(again.ok());
        QCOMPARE(again->front().records, qint64(5000));
    }

    /// The demo data has an episode of each reason and REJECTed scans; computeDrops must agree
    /// with a plain SQL statement of the counting rule.
    void demoMatchesSql()
    {
        auto created = Store::create();
        QVERIFY(created.ok());
        Store& store = *created.value();
        const LoadReport report = loadPaths(store, {demoPath()}, LoadOptions{});
        QVERIFY(report.records > 100000);
        auto rows = computeDrops(store, {}, &report.names);
        QVERIFY2(rows.ok(), qPrintable(rows.ok() ? QString() : rows.error().toString()));
        for (int i = 0; i < kDropReasonCount; ++i)
            QVERIFY2(findRow(*rows, static_cast<DropReason>(i)), qPrintable(dropReasonName(static_cast<DropReason>(i))));
        for (const DropRow& r : *rows) {
            if (r.reason != DropReason::Rejected) {
                QVERIFY2(r.routeTableId.startsWith(QStringLiteral("tgw-rtb-")), qPrintable(r.entry));
                QVERIFY(r.check.contains(r.routeTableId) || r.reason == DropReason::MtuExceeded);
                QVERIFY(!r.entryName.isEmpty());
            }
            QVERIFY(r.firstSeen > 0 && r.lastSeen >= r.firstSeen);
            QVERIFY(!r.topSources.empty() && !r.topDestinations.empty());
        }
        const QString entry = QStringLiteral("CASE WHEN flow_direction = 'egress' THEN tgw_pair_attachment_id "
                                             "ELSE tgw_attachment_id END");
        const QString exit = QStringLiteral("CASE WHEN flow_direction = 'egress' THEN tgw_attachment_id "
                                            "ELSE tgw_pair_attachment_id END");
        for (int i = 0; i < kDropReasonCount; ++i) {
            const auto reason = static_cast<DropReason>(i);
            const QString sql =
                reason == DropReason::Rejected
                    ? QStringLiteral("SELECT interface_id, '-', sum(packets), count(*), min(start), max(\"end\") "
                                     "FROM flows WHERE tgw_attachment_id IS NULL AND action = 'REJECT' "
                                     "GROUP BY 1 ORDER BY 1")
                    : QStringLiteral("SELECT %1, coalesce(%2, '-'), sum(%3), count(*), min(start), max(\"end\") "
                                     "FROM flows WHERE %3 > 0 AND tgw_attachment_id IS NOT NULL AND NOT "
                                     "(flow_direction = 'egress' AND twin_id IS NOT NULL) GROUP BY 1, 2 ORDER BY 1, 2")
                          .arg(entry, exit, dropReasonColumn(reason));
            auto st = store.prepare(sql);
            QVERIFY2(st.ok(), qPrintable(sql));
            int groups = 0;
            while (st->next()) {
                ++groups;
                const DropRow* r = nullptr;
                for (const DropRow& row : *rows)
                    if (row.reason == reason && row.entry == st->text(0) && row.exit == st->text(1)) r = &row;
                QVERIFY2(r, qPrintable(st->text(0) + QLatin1Char('>') + st->text(1)));
                QCOMPARE(r->packets, st->int64(2));
                QCOMPARE(r->records, st->int64(3));
                QCOMPARE(r->firstSeen, st->int64(4));
                QCOMPARE(r->lastSeen, st->int64(5));
            }
            QCOMPARE(groups,
                     int(std::count_if(rows->begin(), rows->end(), [&](const DropRow& r) { return r.reason == reason; })));
        }
    }
};

QTEST_GUILESS_MAIN(TestDrops)
#include "tst_drops.moc"
