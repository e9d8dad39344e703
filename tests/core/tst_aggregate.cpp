// Aggregations: the both-sides counting rule, one-sided flows, filters on one attachment,
// drops with no pair, other dimensions, series bins (gaps, auto size), split series, cancel,
// and the one-scan series + split checked against a plain SQL reference on generated data.
// Over 500 lines on purpose: one unit (aggregate.h) whose counting rule needs many small fixtures;
// the length is data rows and their expected tables.
#include "core/analysis/aggregate.h"
#include "core/ingest/loader.h"
#include "core/store/store.h"
#include "core/store/store_impl.h"

#include <QTest>

#include <algorithm>
#include <map>
#include <random>

using namespace core;

namespace {

struct Rec {
    const char* attach;
    const char* pair;
    const char* dir;
    const char* src = "10.0.0.1";
    int sport = 1000;
    qint64 bytes = 100;
    qint64 start = 1700000040;
    qint64 lostNoRoute = 0;
    const char* srcVpc = "vpc-a";
    const char* dstVpc = "vpc-b";
};

QByteArray line(const Rec& r)
{
    return QStringLiteral("6 TransitGateway 111122223333 tgw-0123 %1 111122223333 444455556666 %2 %3 subnet-a "
                          "subnet-b eni-a eni-b use1-az1 use1-az2 %4 %5 10.9.0.1 %6 443 6 10 %7 %8 %9 OK IPv4 ")
               .arg(QLatin1String(r.attach), QLatin1String(r.srcVpc), QLatin1String(r.dstVpc), QLatin1String(r.pair),
                    QLatin1String(r.src))
               .arg(r.sport)
               .arg(r.bytes)
               .arg(r.start)
               .arg(r.start + 30)
               .toUtf8()
           + QStringLiteral("%1 0 0 0 19 us-east-1 %2 - -\n").arg(r.lostNoRoute).arg(QLatin1String(r.dir)).toUtf8();
}

std::unique_ptr<Store> storeWith(const std::vector<Rec>& recs, const QByteArray& extra = {})
{
    auto created = Store::create();
    if (!created.ok()) return nullptr;
    auto store = std::move(created.value());
    QByteArray data;
    for (const Rec& r : recs) data += line(r);
    data += extra;
    if (loadBuffer(*store, data, QStringLiteral("agg.log"), LoadOptions{}).outcome != Outcome::Ok) return nullptr;
    return store;
}

QString edgesText(const std::vector<Edge>& edges)
{
    QStringList out;
    for (const Edge& e : edges) out << QStringLiteral("%1>%2:%3/%4").arg(e.src, e.dst).arg(e.flows).arg(e.bytes);
    return out.join(QLatin1Char(' '));
}

/// Generated TGW + VPC data for the reference comparison: flows logged at both attachments
/// (ingress first or egress first, sometimes in a later load), at one side only, drops with
/// no exit (all four reasons), sides differing in tcp-flags and drop counters, VPC
/// ACCEPT/REJECT and NODATA records. Deterministic.
std::vector<QByteArray> generatedLoads()
{
    std::mt19937 rng(20251201);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    static const char* const kAttach[] = {"tgw-attach-a", "tgw-attach-b", "tgw-attach-c",
                                          "tgw-attach-d", "tgw-attach-e", "tgw-attach-f"};
    const qint64 t0 = 1764547200; // 2025-12-01T00:00:00Z
    auto tgw = [](const char* attach, const char* pair, const char* dir, int flow, int sport, int proto, const QString& packets,
                  const QString& bytes, qint64 start, const std::array<int, 4>& lost, int flags) {
        return QStringLiteral("6 TransitGateway 111122223333 tgw-0123 %1 111122223333 444455556666 vpc-a vpc-b "
                              "subnet-a subnet-b eni-a eni-b use1-az1 use1-az2 %2 10.0.%3.%4 10.9.0.1 ")
                   .arg(QLatin1String(attach), QLatin1String(pair))
                   .arg(flow / 250)
                   .arg(flow % 250)
                   .toUtf8()
               + QStringLiteral("%1 443 %2 %3 %4 %5 %6 OK IPv4 %7 %8 %9 ")
                     .arg(sport)
                     .arg(proto)
                     .arg(packets, bytes)
                     .arg(start)
                     .arg(start + 59)
                     .arg(lost[0])
                     .arg(lost[1])
                     .arg(lost[2])
                     .toUtf8()
               + QStringLiteral("%1 %2 us-east-1 %3 - -\n").arg(lost[3]).arg(flags).arg(QLatin1String(dir)).toUtf8();
    };
    std::vector<QByteArray> loads(2);
    QByteArray held; // egress sides written after their ingress twins, further down the file
    for (int flow = 0; flow < 3000; ++flow) {
        const qint64 start = t0 + pick(2 * 86400 / 60) * 60 + pick(60);
        const int entry = pick(6);
        const int exit = (entry + 1 + pick(5)) % 6;
        const int sport = 1024 + pick(40000);
        const int proto = pick(4) == 0 ? 17 : 6;
        const qint64 packets = 1 + pick(5000);
        const qint64 bytes = packets * (40 + pick(1400));
        const QString p = QString::number(packets), b = QString::number(bytes);
        QByteArray& out = loads[pick(5) == 0 ? 1 : 0];
        const int kind = pick(10);
        if (kind == 0) { // dropped at entry, no exit
            std::array<int, 4> lost{};
            lost[static_cast<size_t>(pick(4))] = 1 + pick(50);
            out += tgw(kAttach[entry], "-", "ingress", flow, sport, proto, p, b, start, lost, 2);
            continue;
        }
        const std::array<int, 4> lostIn{pick(8) == 0 ? 1 + pick(9) : 0, 0, pick(20) == 0 ? 3 : 0, 0};
        const QByteArray in =
            tgw(kAttach[entry], kAttach[exit], "ingress", flow, sport, proto, p, b, start, lostIn, pick(2) ? 18 : 2);
        const QByteArray eg = tgw(kAttach[exit], kAttach[entry], "egress", flow, sport, proto, p, b, start,
                                  {0, 0, 0, pick(15) == 0 ? 1 : 0}, pick(2) ? 18 : 16);
        switch (kind) {
        case 1:
            out += in;
            break; // ingress side only
        case 2:
            out += eg;
            break; // egress side only
        case 3:
            out += eg + in;
            break; // egress first
        case 4:
            held += in;
            out += eg;
            break; // egress first, twin far below
        case 5:
            loads[0] += in;
            loads[1] += eg;
            break; // twins in two loads
        case 6:
            loads[0] += eg;
            loads[1] += in;
            break; // egress in the first load
        default:
            out += in;
            held += eg;
            break; // the usual order
        }
    }
    loads[0] += held;
    for (int i = 0; i < 400; ++i) { // VPC records: no attachment, no twin
        const qint64 start = t0 + pick(2 * 86400);
        const bool nodata = pick(10) == 0;
        loads[static_cast<size_t>(pick(2))] +=
            nodata ? QStringLiteral("2 111122223333 eni-%1 - - - - - - - %2 %3 - NODATA\n")
                         .arg(pick(3))
                         .arg(start)
                         .arg(start + 60)
                         .toUtf8()
                   : QStringLiteral("2 111122223333 eni-%1 10.1.0.%2 10.1.1.1 %3 22 6 %4 %5 %6 %7 %8 OK\n")
                         .arg(pick(3))
                         .arg(pick(200))
                         .arg(1024 + pick(9000))
                         .arg(1 + pick(20))
                         .arg(40 + pick(4000))
                         .arg(start)
                         .arg(start + 30)
                         .arg(QLatin1String(pick(3) == 0 ? "REJECT" : "ACCEPT"))
                         .toUtf8();
    }
    return loads;
}

/// One row of the reference: what `flows` says about a record and whether it passes a filter.
struct RefRow {
    qint64 id = 0, twin = 0, start = 0, packets = 0, bytes = 0;
    bool hasTraffic = false, hasStart = false, passes = false, egress = false, reject = false, tgw = false;
    std::array<qint64, LostReasonCount> lost{};
    QString attach, pair, direction;
};

/// The counted rows by the documented rule, read through the public `flows` view with the
/// filter compiled into a plain WHERE-style expression (no fl_visit, no marks).
std::vector<RefRow> referenceRows(const Store& store, const QString& filter)
{
    auto f = compileFilter(filter);
    if (!f.ok()) return {};
    auto st = store.prepare(QStringLiteral("SELECT id, twin_id, start, packets, bytes, packets_lost_no_route, "
                                           "packets_lost_blackhole, packets_lost_mtu_exceeded, "
                                           "packets_lost_ttl_expired, action, flow_direction, tgw_attachment_id, "
                                           "tgw_pair_attachment_id, CASE WHEN (%1) THEN 1 ELSE 0 END FROM flows")
                                .arg(f->where));
    if (!st.ok()) return {};
    st->bindAll(f->params);
    std::vector<RefRow> rows;
    std::map<qint64, bool> passes;
    while (st->next()) {
        RefRow r;
        r.id = st->int64(0);
        r.twin = st->isNull(1) ? 0 : st->int64(1);
        r.hasStart = !st->isNull(2);
        r.start = st->int64(2);
        r.hasTraffic = !st->isNull(3) || !st->isNull(4);
        r.packets = st->int64(3);
        r.bytes = st->int64(4);
        for (int i = 0; i < LostReasonCount; ++i) r.lost[static_cast<size_t>(i)] = st->int64(5 + i);
        r.reject = st->text(9) == QLatin1String("REJECT");
        r.direction = st->isNull(10) ? QStringLiteral("-") : st->text(10);
        r.egress = r.direction == QLatin1String("egress");
        r.tgw = !st->isNull(11);
        r.attach = st->isNull(11) ? QStringLiteral("-") : st->text(11);
        r.pair = st->isNull(12) ? QStringLiteral("-") : st->text(12);
        r.passes = st->int64(13) != 0;
        passes[r.id] = r.passes;
        rows.push_back(r);
    }
    std::vector<RefRow> counted;
    for (const RefRow& r : rows) {
        if (!r.passes || !r.hasTraffic || !r.hasStart) continue;
        if (r.egress && r.twin > 0 && passes[r.twin]) continue; // the ingress twin passes and counts for both
        counted.push_back(r);
    }
    return counted;
}

qint64 floorBin(qint64 t, qint64 bin)
{
    return (t >= 0 ? t / bin : -((-t + bin - 1) / bin)) * bin;
}

Series referenceSeries(const std::vector<RefRow>& rows, qint64 binSeconds)
{
    Series s;
    if (rows.empty()) {
        s.binSeconds = binSeconds > 0 ? binSeconds : 60;
        return s;
    }
    qint64 lo = rows.front().start, hi = lo;
    for (const RefRow& r : rows) {
        lo = std::min(lo, r.start);
        hi = std::max(hi, r.start);
    }
    const qint64 unit = (binSeconds > 0 && binSeconds % 60 != 0) ? binSeconds : 60;
    s.binSeconds = binSeconds > 0 ? binSeconds : autoBinSeconds(floorBin(hi, unit) - floorBin(lo, unit) + unit, 60);
    const qint64 first = floorBin(lo, s.binSeconds);
    for (qint64 t = first; t <= floorBin(hi, s.binSeconds); t += s.binSeconds) {
        SeriesBin b;
        b.start = t;
        s.bins.push_back(b);
    }
    for (const RefRow& r : rows) {
        SeriesBin& b = s.bins[static_cast<size_t>((floorBin(r.start, s.binSeconds) - first) / s.binSeconds)];
        ++b.flows;
        b.packets += r.packets;
        b.bytes += r.bytes;
        for (size_t i = 0; i < r.lost.size(); ++i) b.lost[i] += r.lost[i];
        b.rejects += r.reject ? 1 : 0;
    }
    return s;
}

SplitSeries referenceSplit(const std::vector<RefRow>& rows, SeriesSplit split, int topN, qint64 binSeconds)
{
    std::vector<std::pair<QString, const RefRow*>> keyed;
    for (const RefRow& r : rows) {
        const QString entry = r.egress ? r.pair : r.attach;
        const QString exit = r.egress ? r.attach : r.pair;
        switch (split) {
        case SeriesSplit::None:
            keyed.push_back({QStringLiteral("all"), &r});
            break;
        case SeriesSplit::Attachment:
            if (r.tgw) keyed.push_back({entry, &r});
            break;
        case SeriesSplit::Edge:
            if (r.tgw) keyed.push_back({entry + QStringLiteral(" -> ") + exit, &r});
            break;
        case SeriesSplit::Direction:
            keyed.push_back({r.direction, &r});
            break;
        }
    }
    SplitSeries s;
    s.binSeconds = binSeconds;
    if (keyed.empty()) return s;
    std::map<QString, qint64> totals;
    qint64 lo = keyed.front().second->start, hi = lo;
    for (const auto& [key, r] : keyed) {
        totals[key] += r->bytes;
        lo = std::min(lo, r->start);
        hi = std::max(hi, r->start);
    }
    std::vector<std::pair<QString, qint64>> order(totals.begin(), totals.end());
    std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    const size_t keep = std::min(order.size(), static_cast<size_t>(topN));
    std::map<QString, size_t> row;
    for (size_t i = 0; i < keep; ++i) {
        row[order[i].first] = i;
        s.keys << order[i].first;
    }
    if (order.size() > keep) s.keys << QStringLiteral("other");
    const qint64 first = floorBin(lo, binSeconds);
    for (qint64 t = first; t <= floorBin(hi, binSeconds); t += binSeconds) s.binStarts.push_back(t);
    s.bytes.assign(static_cast<size_t>(s.keys.size()), std::vector<qint64>(s.binStarts.size(), 0));
    for (const auto& [key, r] : keyed) {
        const auto it = row.find(key);
        const size_t k = it != row.end() ? it->second : keep;
        s.bytes[k][static_cast<size_t>((floorBin(r->start, binSeconds) - first) / binSeconds)] += r->bytes;
    }
    return s;
}

/// Compact text of a series, so a mismatch shows where.
QStringList seriesText(const Series& s)
{
    QStringList out{QStringLiteral("bin %1").arg(s.binSeconds)};
    for (const SeriesBin& b : s.bins) {
        if (b.flows == 0 && b.bytes == 0 && b.packets == 0 && b.rejects == 0) continue;
        out << QStringLiteral("%1 f%2 p%3 b%4 l%5/%6/%7/%8 r%9")
                   .arg(b.start)
                   .arg(b.flows)
                   .arg(b.packets)
                   .arg(b.bytes)
                   .arg(b.lost[0])
                   .arg(b.lost[1])
                   .arg(b.lost[2])
                   .arg(b.lost[3])
                   .arg(b.rejects);
    }
    out << QStringLiteral("%1 bins").arg(s.bins.size());
    return out;
}

QStringList splitText(const SplitSeries& s)
{
    QStringList out{QStringLiteral("bin %1, %2 bins from %3")
                        .arg(s.binSeconds)
                        .arg(s.binStarts.size())
                        .arg(s.binStarts.empty() ? 0 : s.binStarts.front())};
    for (qsizetype k = 0; k < s.keys.size(); ++k) {
        QStringList values;
        const auto& row = s.bytes.at(static_cast<size_t>(k));
        for (size_t i = 0; i < row.size(); ++i) {
            if (row[i] != 0) values << QStringLiteral("%1:%2").arg(i).arg(row[i]);
        }
        out << s.keys[k] + QStringLiteral(" ") + values.join(QLatin1Char(','));
    }
    return out;
}

} // namespace

class TestAggregate : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void countingRule_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("expected");
        const QByteArray in = line({"A", "B", "ingress"});
        const QByteArray out = line({"B", "A", "egress"});
        QTest::newRow("both sides count once") << in + out << ""
                                               << "A>B:1/100";
        QTest::newRow("both sides, egress first") << out + in << ""
                                                  << "A>B:1/100";
        QTest::newRow("ingress side only") << in << ""
                                           << "A>B:1/100";
        QTest::newRow("egress side only") << out << ""
                                          << "A>B:1/100";
        QTest::newRow("filter on exit attachment still counts") << in + out << "tgw_attachment_id == B"
                                                                << "A>B:1/100";
        QTest::newRow("filter on entry attachment") << in + out << "tgw_attachment_id == A"
                                                    << "A>B:1/100";
        QTest::newRow("filter matching both sides") << in + out << "dstport == 443"
                                                    << "A>B:1/100";
        QTest::newRow("filter matching neither") << in + out << "dstport == 22"
                                                 << "";
        QTest::newRow("drop with no pair") << line({"A", "-", "ingress", "10.0.0.1", 7, 60, 1700000040, 10}) << ""
                                           << "A>-:1/60";
        QTest::newRow("two flows, different bytes") << in + out + line({"A", "B", "ingress", "10.0.0.1", 1000, 900}) << ""
                                                    << "A>B:2/1000";
        QTest::newRow("reverse direction is another edge")
            << in + out + line({"B", "A", "ingress", "10.0.0.2", 5, 300}) + line({"A", "B", "egress", "10.0.0.2", 5, 300}) << ""
            << "B>A:1/300 A>B:1/100";
    }
    void countingRule()
    {
        QFETCH(QByteArray, data);
        QFETCH(QString, filter);
        QFETCH(QString, expected);
        auto store = storeWith({}, data);
        QVERIFY(store);
        auto edges = computeEdges(*store, filter, EdgeDimension::Attachment);
        QVERIFY2(edges.ok(), qPrintable(edges.ok() ? QString() : edges.error().toString()));
        QCOMPARE(edgesText(*edges), expected);
    }

    void dropsCarryLostPackets()
    {
        auto store = storeWith({{"A", "-", "ingress", "10.0.0.1", 7, 60, 1700000040, 10}});
        QVERIFY(store);
        auto edges = computeEdges(*store, {}, EdgeDimension::Attachment);
        QVERIFY(edges.ok());
        QCOMPARE(edges->size(), size_t(1));
        QCOMPARE(edges->at(0).dst, QStringLiteral("-"));
        QCOMPARE(edges->at(0).lost[LostNoRoute], 10);
        QCOMPARE(edges->at(0).dropped(), 10);
    }

    void otherDimensions_data()
    {
        QTest::addColumn<QString>("dimension");
        QTest::addColumn<QString>("expected");
        QTest::newRow("vpc") << "vpc"
                             << "vpc-a>vpc-b:1/100";
        QTest::newRow("subnet") << "subnet"
                                << "subnet-a>subnet-b:1/100";
        QTest::newRow("az") << "az"
                            << "use1-az1>use1-az2:1/100";
        QTest::newRow("account") << "account"
                                 << "111122223333>444455556666:1/100";
        QTest::newRow("addr") << "addr"
                              << "10.0.0.1>10.9.0.1:1/100";
        QTest::newRow("attachment") << "attachment"
                                    << "A>B:1/100";
    }
    void otherDimensions()
    {
        QFETCH(QString, dimension);
        QFETCH(QString, expected);
        auto store = storeWith({{"A", "B", "ingress"}, {"B", "A", "egress"}});
        QVERIFY(store);
        const auto dim = edgeDimensionFromString(dimension);
        QVERIFY(dim.has_value());
        QCOMPARE(edgeDimensionName(*dim), dimension);
        auto edges = computeEdges(*store, {}, *dim);
        QVERIFY(edges.ok());
        QCOMPARE(edgesText(*edges), expected);
    }

    void tgwRecordWithoutAttachmentId_data()
    {
        QTest::addColumn<QString>("dimension");
        QTest::addColumn<QString>("expected");
        QTest::newRow("vpc") << "vpc"
                             << "vpc-a>vpc-b:2/200";
        QTest::newRow("subnet") << "subnet"
                                << "subnet-a>subnet-b:2/200";
        QTest::newRow("az") << "az"
                            << "use1-az1>use1-az2:2/200";
        QTest::newRow("account") << "account"
                                 << "111122223333>444455556666:2/200";
        QTest::newRow("attachment: not an attachment edge") << "attachment"
                                                            << "";
    }
    void tgwRecordWithoutAttachmentId()
    {
        // A TGW record logged without its own attachment id (and without direction) still has
        // its tgw-src-* / tgw-dst-* fields: the README's TGW rule, not a VPC record's "-" side.
        QFETCH(QString, dimension);
        QFETCH(QString, expected);
        auto store = storeWith({{"-", "B", "-"}, {"-", "-", "-", "10.0.0.2"}});
        QVERIFY(store);
        auto edges = computeEdges(*store, {}, *edgeDimensionFromString(dimension));
        QVERIFY(edges.ok());
        QCOMPARE(edgesText(*edges), expected);
    }

    void vpcRecordsSkippedForAttachments()
    {
        auto store =
            storeWith({{"A", "B", "ingress"}}, "2 123 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 40 1700000000 1700000001 REJECT OK\n");
        QVERIFY(store);
        auto edges = computeEdges(*store, {}, EdgeDimension::Attachment);
        QVERIFY(edges.ok());
        QCOMPARE(edgesText(*edges), QStringLiteral("A>B:1/100"));
        auto addr = computeEdges(*store, {}, EdgeDimension::Addr);
        QVERIFY(addr.ok());
        QCOMPARE(addr->size(), size_t(2));
    }

    void badDimensionAndFilter()
    {
        QVERIFY(!edgeDimensionFromString(QStringLiteral("planet")).has_value());
        auto store = storeWith({{"A", "B", "ingress"}});
        QVERIFY(store);
        QVERIFY(!computeEdges(*store, QStringLiteral("bytes >"), EdgeDimension::Attachment).ok());
        QVERIFY(!computeSeries(*store, QStringLiteral("nosuchfield == 1")).ok());
    }

    void seriesGapsAreZeroBins()
    {
        const qint64 t0 = 1700000040; // multiple of 60
        auto store = storeWith({{"A", "B", "ingress", "10.0.0.1", 1, 100, t0},
                                {"B", "A", "egress", "10.0.0.1", 1, 100, t0},
                                {"A", "B", "ingress", "10.0.0.1", 2, 50, t0 + 600}},
                               "2 123 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 40 1700000300 1700000301 REJECT OK\n");
        QVERIFY(store);
        auto s = computeSeries(*store, {}, 60);
        QVERIFY(s.ok());
        QCOMPARE(s->binSeconds, 60);
        QCOMPARE(s->bins.size(), size_t(11));
        QCOMPARE(s->bins.front().start, t0);
        QCOMPARE(s->bins.front().flows, 1);
        QCOMPARE(s->bins.front().bytes, 100);
        QCOMPARE(s->bins.back().start, t0 + 600);
        QCOMPARE(s->bins.back().bytes, 50);
        qint64 zeroBins = 0, rejects = 0;
        for (const SeriesBin& b : s->bins) {
            if (b.flows == 0 && b.bytes == 0) ++zeroBins;
            rejects += b.rejects;
        }
        QCOMPARE(zeroBins, 8); // 11 bins: t0, the REJECT minute, t0+600, 8 empty
        QCOMPARE(rejects, 1);
        for (size_t i = 1; i < s->bins.size(); ++i) QCOMPARE(s->bins[i].start - s->bins[i - 1].start, 60);
    }

    void seriesAutoBinAndFilter()
    {
        const qint64 t0 = 1700000040;
        auto store =
            storeWith({{"A", "B", "ingress", "10.0.0.1", 1, 100, t0}, {"A", "B", "ingress", "10.0.0.1", 2, 7, t0 + 86400 - 60}});
        QVERIFY(store);
        auto s = computeSeries(*store, {});
        QVERIFY(s.ok());
        QCOMPARE(s->binSeconds, 300);
        QVERIFY(s->bins.size() >= 200 && s->bins.size() <= 400);
        auto f = computeSeries(*store, QStringLiteral("bytes == 7"), 60);
        QVERIFY(f.ok());
        QCOMPARE(f->bins.size(), size_t(1));
        QCOMPARE(f->bins[0].bytes, 7);
    }

    void autoBinSizes_data()
    {
        QTest::addColumn<qint64>("span");
        QTest::addColumn<qint64>("floor");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("empty") << qint64(0) << qint64(60) << qint64(60);
        QTest::newRow("1 hour") << qint64(3600) << qint64(60) << qint64(60);
        QTest::newRow("6 hours") << qint64(6 * 3600) << qint64(60) << qint64(60);
        QTest::newRow("12 hours") << qint64(12 * 3600) << qint64(60) << qint64(120);
        QTest::newRow("1 day") << qint64(86400) << qint64(60) << qint64(300);
        QTest::newRow("2 days") << qint64(2 * 86400) << qint64(60) << qint64(600);
        QTest::newRow("7 days") << qint64(7 * 86400) << qint64(60) << qint64(1800);
        QTest::newRow("30 days") << qint64(30 * 86400) << qint64(60) << qint64(7200);
        QTest::newRow("1 year") << qint64(365 * 86400) << qint64(60) << qint64(86400);
        QTest::newRow("10 years") << qint64(3650 * 86400) << qint64(60) << qint64(1209600);
        QTest::newRow("floor 300") << qint64(3600) << qint64(300) << qint64(300);
        QTest::newRow("negative span") << qint64(-5) << qint64(60) << qint64(60);
    }
    void autoBinSizes()
    {
        QFETCH(qint64, span);
        QFETCH(qint64, floor);
        QFETCH(qint64, expected);
        const qint64 bin = autoBinSeconds(span, floor);
        QCOMPARE(bin, expected);
        if (span >= 86400) QVERIFY((span + bin - 1) / bin <= 400);
    }

    void splitSeriesTopN()
    {
        auto store = storeWith({{"A", "B", "ingress", "10.0.0.1", 1, 1000},
                                {"B", "A", "egress", "10.0.0.1", 1, 1000},
                                {"C", "B", "ingress", "10.0.0.2", 2, 500},
                                {"D", "B", "ingress", "10.0.0.3", 3, 10}});
        QVERIFY(store);
        auto s = computeSplitSeries(*store, {}, SeriesSplit::Attachment, 2, 60);
        QVERIFY(s.ok());
        QCOMPARE(s->keys, (QStringList{QStringLiteral("A"), QStringLiteral("C"), QStringLiteral("other")}));
        QCOMPARE(s->bytes.size(), size_t(3));
        QCOMPARE(s->bytes[0][0], 1000);
        QCOMPARE(s->bytes[1][0], 500);
        QCOMPARE(s->bytes[2][0], 10);
        auto e = computeSplitSeries(*store, {}, SeriesSplit::Edge, 5, 60);
        QVERIFY(e.ok());
        QCOMPARE(e->keys.first(), QStringLiteral("A -> B"));
        QCOMPARE(e->keys.size(), 3);
    }

    void singleScanMatchesReference_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<qint64>("bin");
        QTest::addColumn<int>("split");
        QTest::addColumn<int>("topN");
        const auto att = static_cast<int>(SeriesSplit::Attachment);
        const auto edge = static_cast<int>(SeriesSplit::Edge);
        const auto dir = static_cast<int>(SeriesSplit::Direction);
        QTest::newRow("no filter, auto bin, attachments") << "" << qint64(0) << att << 5;
        QTest::newRow("no filter, 1 min, edges") << "" << qint64(60) << edge << 3;
        QTest::newRow("no filter, 90 s, direction") << "" << qint64(90) << dir << 5;
        QTest::newRow("entry attachment only") << "tgw_attachment_id == tgw-attach-a" << qint64(0) << att << 5;
        QTest::newRow("exit side only") << "tgw_attachment_id == tgw-attach-b and flow_direction == egress" << qint64(300) << edge
                                        << 4;
        QTest::newRow("either side of a pair")
            << "tgw_attachment_id == tgw-attach-c or tgw_attachment_id == tgw-attach-d" << qint64(0) << att << 2;
        QTest::newRow("sides differ in tcp-flags") << "tcp_flags == 18" << qint64(0) << att << 5;
        QTest::newRow("drops on one side") << "packets_lost_ttl_expired > 0 or packets_lost_no_route > 0" << qint64(3600) << edge
                                           << 20;
        QTest::newRow("udp, both sides") << "protocol == 17" << qint64(0) << dir << 1;
        QTest::newRow("VPC REJECTs") << "action == REJECT" << qint64(60) << att << 5;
        QTest::newRow("VPC and TGW mixed") << "dstport == 22 or bytes > 1000000" << qint64(0) << edge << 5;
        QTest::newRow("matches nothing") << "dstport == 1" << qint64(0) << att << 5;
        QTest::newRow("one day bins, top 1") << "srcport > 20000" << qint64(86400) << att << 1;
    }
    void singleScanMatchesReference()
    {
        QFETCH(QString, filter);
        QFETCH(qint64, bin);
        QFETCH(int, split);
        QFETCH(int, topN);
        const auto how = static_cast<SeriesSplit>(split);
        auto created = Store::create();
        QVERIFY(created.ok());
        auto store = std::move(created.value());
        int n = 0;
        for (const QByteArray& load : generatedLoads())
            QCOMPARE(loadBuffer(*store, load, QStringLiteral("gen%1.log").arg(n++), LoadOptions{}).outcome, Outcome::Ok);

        const std::vector<RefRow> rows = referenceRows(*store, filter);
        const Series refSeries = referenceSeries(rows, bin);
        const SplitSeries refSplit = referenceSplit(rows, how, topN, refSeries.binSeconds);

        auto both = computeSeriesWithSplit(*store, filter, how, topN, bin);
        QVERIFY2(both.ok(), qPrintable(both.ok() ? QString() : both.error().toString()));
        QCOMPARE(seriesText(both->series), seriesText(refSeries));
        QCOMPARE(both->series.bins.size(), refSeries.bins.size());
        QVERIFY(both->split.has_value());
        QCOMPARE(splitText(*both->split), splitText(refSplit));
        QCOMPARE(both->split->binStarts, refSplit.binStarts);

        // The separate calls (the CLI's series, the graph's pattern) give the same numbers.
        auto series = computeSeries(*store, filter, bin);
        QVERIFY(series.ok());
        QCOMPARE(seriesText(*series), seriesText(refSeries));
        auto alone = computeSplitSeries(*store, filter, how, topN, series->binSeconds);
        QVERIFY(alone.ok());
        QCOMPARE(splitText(*alone), splitText(refSplit));

        auto none = computeSeriesWithSplit(*store, filter, SeriesSplit::None, topN, bin);
        QVERIFY(none.ok());
        QVERIFY(!none->split.has_value());
        QCOMPARE(seriesText(none->series), seriesText(refSeries));
    }

    void generatedDataHasEveryCase()
    {
        // Guards the reference test against generating data that misses the cases it is for.
        auto created = Store::create();
        QVERIFY(created.ok());
        auto store = std::move(created.value());
        int n = 0;
        for (const QByteArray& load : generatedLoads())
            QCOMPARE(loadBuffer(*store, load, QStringLiteral("gen%1.log").arg(n++), LoadOptions{}).outcome, Outcome::Ok);
        auto count = [&](const char* where) {
            auto st = store->prepare(QStringLiteral("SELECT count(*) FROM flows WHERE ") + QLatin1String(where));
            return st.ok() && st->next() ? st->int64(0) : -1;
        };
        QVERIFY(count("flow_direction = 'egress' AND twin_id > id") > 100);   // egress before its twin
        QVERIFY(count("flow_direction = 'egress' AND twin_id < id") > 100);   // egress after its twin
        QVERIFY(count("flow_direction = 'egress' AND twin_id IS NULL") > 50); // one side only
        QVERIFY(count("tcp_flags = 18 AND flow_direction = 'ingress' AND fl_twin(id) IN "
                      "(SELECT id FROM flows WHERE tcp_flags <> 18)")
                > 50);
        QVERIFY(count("tgw_pair_attachment_id IS NULL AND packets_lost_blackhole > 0") > 10);
        QVERIFY(count("action = 'REJECT'") > 50);
        QVERIFY(count("log_status = 'NODATA'") > 10);
    }

    void unorderedScanFallsBackToTwinLookup()
    {
        // With an index the filter can be answered in index order, not id order; the marks of
        // the one-pass twin check would be incomplete, so the scan must redo it with lookups.
        auto created = Store::create();
        QVERIFY(created.ok());
        auto store = std::move(created.value());
        QVERIFY(store->impl().useFlowDataTable().ok()); // an index needs the real table (a session's store)
        int n = 0;
        for (const QByteArray& load : generatedLoads())
            QCOMPARE(loadBuffer(*store, load, QStringLiteral("gen%1.log").arg(n++), LoadOptions{}).outcome, Outcome::Ok);
        // The two sides of a flow differ in tcp-flags, so index order separates twins.
        QVERIFY(store->exec(QStringLiteral("CREATE INDEX tst_flags ON flow_data(tcp_flags)")).ok());
        const QString filter = QStringLiteral("tcp_flags > 1");
        auto plan = store->prepare(QStringLiteral("EXPLAIN QUERY PLAN SELECT id FROM flows_x AS f WHERE f.tcp_flags > 1"));
        QVERIFY(plan.ok());
        QString planText;
        while (plan->next()) planText += plan->text(plan->columnCount() - 1);
        QVERIFY2(planText.contains(QLatin1String("tst_flags")), qPrintable(planText));
        const std::vector<RefRow> rows = referenceRows(*store, filter);
        const Series refSeries = referenceSeries(rows, 0);
        auto both = computeSeriesWithSplit(*store, filter, SeriesSplit::Edge, 5, 0);
        QVERIFY(both.ok());
        QCOMPARE(seriesText(both->series), seriesText(refSeries));
        QCOMPARE(splitText(*both->split), splitText(referenceSplit(rows, SeriesSplit::Edge, 5, refSeries.binSeconds)));
    }

    void cancelReturnsError()
    {
        auto store = storeWith({{"A", "B", "ingress"}});
        QVERIFY(store);
        std::atomic<bool> cancel{true};
        auto e = computeEdges(*store, {}, EdgeDimension::Attachment, &cancel);
        QVERIFY(!e.ok());
        QCOMPARE(e.error().message, QStringLiteral("cancelled"));
        auto s = computeSeries(*store, QStringLiteral("bytes > 1"), 0, &cancel);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().message, QStringLiteral("cancelled"));
        auto both = computeSeriesWithSplit(*store, QStringLiteral("bytes > 1"), SeriesSplit::Attachment, 5, 0, &cancel);
        QVERIFY(!both.ok());
        QCOMPARE(both.error().message, QStringLiteral("cancelled"));
    }
};

QTEST_GUILESS_MAIN(TestAggregate)
#include "tst_aggregate.moc"
