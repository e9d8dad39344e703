// Pure Timeline math: bins, ticks, pixel <-> time mapping, zoom, value units, the time-range
// filter clause, and the chart data built from a core::Series (gaps, single bin, empty).
#include "ui/logic/timeaxis.h"
#include "ui/logic/timelinedata.h"

#include <QTest>

using namespace ui::timeaxis;
namespace tl = ui::timeline;

namespace {
constexpr qint64 kDay0 = 1795910400;       // 2026-11-29 00:00:00Z (a Sunday)
constexpr qint64 kTen = kDay0 + 10 * 3600; // 2026-11-29 10:00:00Z
constexpr qint64 kMonday = 1795996800;     // 2026-11-30 00:00:00Z

core::SeriesBin bin(qint64 start, qint64 flows, qint64 packets, qint64 bytes, std::array<qint64, core::LostReasonCount> lost = {},
                    qint64 rejects = 0)
{
    core::SeriesBin b;
    b.start = start;
    b.flows = flows;
    b.packets = packets;
    b.bytes = bytes;
    b.lost = lost;
    b.rejects = rejects;
    return b;
}
} // namespace

class TestTimeAxis : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void binLabels_data();
    void binLabels();
    void floorCeil_data();
    void floorCeil();
    void selection_data();
    void selection();
    void ticks_data();
    void ticks();
    void mapping_data();
    void mapping();
    void zoom_data();
    void zoom();
    void valueScales_data();
    void valueScales();
    void titles_data();
    void titles();
    void clause();
    void splitRange_data();
    void splitRange();
    void seriesData_data();
    void seriesData();
    void splitLayers();
    void csv();
};

void TestTimeAxis::binLabels_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("label");
    QTest::newRow("auto") << qint64(0) << "Auto";
    QTest::newRow("negative is auto") << qint64(-5) << "Auto";
    QTest::newRow("1 min") << qint64(60) << "1 min";
    QTest::newRow("5 min") << qint64(300) << "5 min";
    QTest::newRow("15 min") << qint64(900) << "15 min";
    QTest::newRow("1 h") << qint64(3600) << "1 h";
    QTest::newRow("6 h") << qint64(21600) << "6 h";
    QTest::newRow("1 day") << qint64(86400) << "1 day";
    QTest::newRow("2 days") << qint64(172800) << "2 days";
    QTest::newRow("odd seconds") << qint64(90) << "90 s";
}

void TestTimeAxis::binLabels()
{
    QFETCH(qint64, seconds);
    QFETCH(QString, label);
    QCOMPARE(binLabel(seconds), label);
}

void TestTimeAxis::floorCeil_data()
{
    QTest::addColumn<qint64>("t");
    QTest::addColumn<qint64>("step");
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<qint64>("floor");
    QTest::addColumn<qint64>("ceil");
    QTest::newRow("on boundary") << qint64(120) << qint64(60) << qint64(0) << qint64(120) << qint64(120);
    QTest::newRow("inside") << qint64(121) << qint64(60) << qint64(0) << qint64(120) << qint64(180);
    QTest::newRow("negative") << qint64(-1) << qint64(60) << qint64(0) << qint64(-60) << qint64(0);
    QTest::newRow("hour in UTC+5:30") << kTen + 60 << qint64(3600) << qint64(19800) << kTen - 1800 << kTen + 1800;
    QTest::newRow("step 0 is identity") << qint64(77) << qint64(0) << qint64(0) << qint64(77) << qint64(77);
}

void TestTimeAxis::floorCeil()
{
    QFETCH(qint64, t);
    QFETCH(qint64, step);
    QFETCH(qint64, offset);
    QFETCH(qint64, floor);
    QFETCH(qint64, ceil);
    QCOMPARE(floorTo(t, step, offset), floor);
    QCOMPARE(ceilTo(t, step, offset), ceil);
}

void TestTimeAxis::selection_data()
{
    QTest::addColumn<double>("t0");
    QTest::addColumn<double>("t1");
    QTest::addColumn<qint64>("binSeconds");
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("end");
    const double ten = static_cast<double>(kTen);
    QTest::newRow("inside one bin") << ten + 10 << ten + 20 << qint64(60) << kTen << kTen + 60;
    QTest::newRow("reversed drag") << ten + 200 << ten + 10 << qint64(60) << kTen << kTen + 240;
    QTest::newRow("exact boundaries") << ten << ten + 300 << qint64(300) << kTen << kTen + 300;
    QTest::newRow("zero width on boundary") << ten << ten << qint64(60) << kTen << kTen + 60;
    QTest::newRow("fractional seconds") << ten - 0.5 << ten + 0.2 << qint64(60) << kTen - 60 << kTen + 60;
    QTest::newRow("hour bins across a day") << ten - 7200.5 << ten + 14000 << qint64(3600) << kTen - 3 * 3600 << kTen + 4 * 3600;
    QTest::newRow("bin 0 means seconds") << ten + 1.5 << ten + 3.5 << qint64(0) << kTen + 1 << kTen + 4;
    QTest::newRow("day bins") << ten << ten + 1 << qint64(86400) << kDay0 << kDay0 + 86400;
}

void TestTimeAxis::selection()
{
    QFETCH(double, t0);
    QFETCH(double, t1);
    QFETCH(qint64, binSeconds);
    QFETCH(qint64, start);
    QFETCH(qint64, end);
    const TimeRange r = selectionToRange(t0, t1, binSeconds);
    QCOMPARE(r.start, start);
    QCOMPARE(r.end, end);
    QVERIFY(!r.isEmpty());
}

void TestTimeAxis::ticks_data()
{
    QTest::addColumn<double>("from");
    QTest::addColumn<double>("to");
    QTest::addColumn<int>("maxTicks");
    QTest::addColumn<int>("offset");
    QTest::addColumn<qint64>("step");
    QTest::addColumn<int>("count");
    QTest::addColumn<qint64>("firstTime");
    QTest::addColumn<QString>("firstLabel");
    QTest::addColumn<QString>("lastLabel");
    const double ten = static_cast<double>(kTen);
    QTest::newRow("10 seconds") << ten << ten + 10 << 6 << 0 << qint64(2) << 6 << kTen << "11-29 10:00:00"
                                << "10:00:10";
    QTest::newRow("1 minute, ragged start") << ten + 0.5 << ten + 60.5 << 7 << 0 << qint64(10) << 6 << kTen + 10
                                            << "11-29 10:00:10"
                                            << "10:01:00";
    QTest::newRow("1 hour") << ten << ten + 3600 << 8 << 0 << qint64(600) << 7 << kTen << "11-29 10:00"
                            << "11:00";
    QTest::newRow("1 day") << static_cast<double>(kDay0) << static_cast<double>(kDay0 + 86400) << 8 << 0 << qint64(21600) << 5
                           << kDay0 << "11-29 00:00"
                           << "11-30 00:00";
    QTest::newRow("3 hours across midnight")
        << ten + 12.5 * 3600 << ten + 15.5 * 3600 << 7 << 0 << qint64(1800) << 7 << kDay0 + 22 * 3600 + 1800 << "11-29 22:30"
        << "01:30";
    QTest::newRow("2 weeks") << static_cast<double>(kDay0) << static_cast<double>(kDay0 + 14 * 86400) << 8 << 0 << qint64(172800)
                             << 8 << kDay0 << "2026-11-29"
                             << "2026-12-13";
    QTest::newRow("8 weeks, Monday aligned") << static_cast<double>(kDay0) << static_cast<double>(kDay0 + 56 * 86400) << 8 << 0
                                             << qint64(14 * 86400) << 4 << kMonday << "2026-11-30"
                                             << "2027-01-11";
    QTest::newRow("local UTC+5:30 hours") << ten << ten + 4 * 3600 << 6 << 19800 << qint64(3600) << 4 << kTen + 1800
                                          << "11-29 16:00"
                                          << "19:00";
    QTest::newRow("local UTC-8 midnight") << static_cast<double>(kDay0) << static_cast<double>(kDay0 + 86400) << 5 << -28800
                                          << qint64(21600) << 4 << kDay0 + 2 * 3600 << "11-28 18:00"
                                          << "12:00";
    QTest::newRow("empty span") << ten << ten << 8 << 0 << qint64(0) << 0 << qint64(0) << ""
                                << "";
    QTest::newRow("reversed span") << ten + 10 << ten << 8 << 0 << qint64(0) << 0 << qint64(0) << ""
                                   << "";
}

void TestTimeAxis::ticks()
{
    QFETCH(double, from);
    QFETCH(double, to);
    QFETCH(int, maxTicks);
    QFETCH(int, offset);
    QFETCH(qint64, step);
    QFETCH(int, count);
    QFETCH(qint64, firstTime);
    QFETCH(QString, firstLabel);
    QFETCH(QString, lastLabel);
    qint64 usedStep = -1;
    const std::vector<Tick> t = timeTicks(from, to, maxTicks, offset, &usedStep);
    QCOMPARE(usedStep, step);
    QCOMPARE(static_cast<int>(t.size()), count);
    QVERIFY(static_cast<int>(t.size()) <= std::max(maxTicks, 0));
    if (count == 0) return;
    QCOMPARE(t.front().time, firstTime);
    QCOMPARE(t.front().label, firstLabel);
    QCOMPARE(t.back().label, lastLabel);
    for (size_t i = 0; i < t.size(); ++i) {
        QVERIFY(static_cast<double>(t[i].time) >= from && static_cast<double>(t[i].time) <= to);
        if (i > 0) QCOMPARE(t[i].time - t[i - 1].time, step);
    }
}

void TestTimeAxis::mapping_data()
{
    QTest::addColumn<double>("time");
    QTest::addColumn<double>("pixel");
    QTest::addColumn<double>("clampedTime");
    QTest::newRow("left edge") << 1000.0 << 50.0 << 1000.0;
    QTest::newRow("middle") << 1500.0 << 300.0 << 1500.0;
    QTest::newRow("right edge") << 2000.0 << 550.0 << 2000.0;
    QTest::newRow("left of plot") << 900.0 << 0.0 << 1000.0;
    QTest::newRow("right of plot") << 2200.0 << 650.0 << 2000.0;
}

void TestTimeAxis::mapping()
{
    QFETCH(double, time);
    QFETCH(double, pixel);
    QFETCH(double, clampedTime);
    TimeMapping m;
    m.left = 50;
    m.width = 500;
    m.from = 1000;
    m.to = 2000;
    QCOMPARE(m.toPixel(time), pixel);
    QCOMPARE(m.toTime(pixel), time);
    QCOMPARE(m.toTimeClamped(pixel), clampedTime);
}

void TestTimeAxis::zoom_data()
{
    QTest::addColumn<double>("from");
    QTest::addColumn<double>("to");
    QTest::addColumn<double>("anchor");
    QTest::addColumn<double>("factor");
    QTest::addColumn<double>("minSpan");
    QTest::addColumn<double>("newFrom");
    QTest::addColumn<double>("newTo");
    // Limits are always [0, 1000].
    QTest::newRow("in around center") << 0.0 << 1000.0 << 500.0 << 0.5 << 10.0 << 250.0 << 750.0;
    QTest::newRow("in around left edge") << 0.0 << 1000.0 << 0.0 << 0.5 << 10.0 << 0.0 << 500.0;
    QTest::newRow("in keeps anchor position") << 200.0 << 600.0 << 300.0 << 0.5 << 10.0 << 250.0 << 450.0;
    QTest::newRow("out clamps to limits") << 200.0 << 600.0 << 300.0 << 10.0 << 10.0 << 0.0 << 1000.0;
    QTest::newRow("out shifts inside limits") << 800.0 << 1000.0 << 900.0 << 2.0 << 10.0 << 600.0 << 1000.0;
    QTest::newRow("min span") << 0.0 << 100.0 << 50.0 << 0.01 << 40.0 << 30.0 << 70.0;
    QTest::newRow("bad factor resets") << 200.0 << 600.0 << 300.0 << 0.0 << 10.0 << 0.0 << 1000.0;
}

void TestTimeAxis::zoom()
{
    QFETCH(double, from);
    QFETCH(double, to);
    QFETCH(double, anchor);
    QFETCH(double, factor);
    QFETCH(double, minSpan);
    QFETCH(double, newFrom);
    QFETCH(double, newTo);
    const auto [f, t] = zoomRange(from, to, anchor, factor, 0.0, 1000.0, minSpan);
    QCOMPARE(f, newFrom);
    QCOMPARE(t, newTo);
}

void TestTimeAxis::valueScales_data()
{
    QTest::addColumn<double>("max");
    QTest::addColumn<int>("metric");
    QTest::addColumn<double>("divisor");
    QTest::addColumn<QString>("unit");
    QTest::addColumn<QString>("human");
    QTest::newRow("zero bytes") << 0.0 << int(Metric::Bytes) << 1.0 << "B"
                                << "0 B";
    QTest::newRow("999 bytes") << 999.0 << int(Metric::Bytes) << 1.0 << "B"
                               << "999 B";
    QTest::newRow("1 kB") << 1000.0 << int(Metric::Bytes) << 1e3 << "kB"
                          << "1.0 kB";
    QTest::newRow("340 MB") << 3.4e8 << int(Metric::Bytes) << 1e6 << "MB"
                            << "340 MB";
    QTest::newRow("12.5 GB") << 1.25e10 << int(Metric::Bytes) << 1e9 << "GB"
                             << "12.5 GB";
    QTest::newRow("huge bytes cap at PB") << 5e18 << int(Metric::Bytes) << 1e15 << "PB"
                                          << "5.0 EB";
    QTest::newRow("packets") << 5e6 << int(Metric::Packets) << 1e6 << "M"
                             << "5.0 M";
    QTest::newRow("few flows") << 7.0 << int(Metric::Flows) << 1.0 << ""
                               << "7";
    QTest::newRow("drops below 10k stay plain") << 9999.0 << int(Metric::DroppedPackets) << 1.0 << ""
                                                << "9,999";
    QTest::newRow("drops thousands") << 12345.0 << int(Metric::DroppedPackets) << 1e3 << "k"
                                     << "12.3 k";
}

void TestTimeAxis::valueScales()
{
    QFETCH(double, max);
    QFETCH(int, metric);
    QFETCH(double, divisor);
    QFETCH(QString, unit);
    QFETCH(QString, human);
    const ValueScale s = valueScale(max, static_cast<Metric>(metric));
    QCOMPARE(s.divisor, divisor);
    QCOMPARE(s.unit, unit);
    QCOMPARE(humanValue(max, static_cast<Metric>(metric)), human);
}

void TestTimeAxis::titles_data()
{
    QTest::addColumn<int>("metric");
    QTest::addColumn<double>("max");
    QTest::addColumn<qint64>("bin");
    QTest::addColumn<QString>("title");
    QTest::newRow("MB per 5 min") << int(Metric::Bytes) << 3.4e8 << qint64(300) << "MB per 5 min";
    QTest::newRow("bytes small") << int(Metric::Bytes) << 10.0 << qint64(60) << "bytes per 1 min";
    QTest::newRow("k packets per 1 h") << int(Metric::Packets) << 5e4 << qint64(3600) << "k packets per 1 h";
    QTest::newRow("flows per 1 day") << int(Metric::Flows) << 20.0 << qint64(86400) << "flows per 1 day";
    QTest::newRow("drops no bin") << int(Metric::DroppedPackets) << 3.0 << qint64(0) << "dropped packets";
}

void TestTimeAxis::titles()
{
    QFETCH(int, metric);
    QFETCH(double, max);
    QFETCH(qint64, bin);
    QFETCH(QString, title);
    const auto m = static_cast<Metric>(metric);
    QCOMPARE(axisTitle(m, valueScale(max, m), bin), title);
}

void TestTimeAxis::clause()
{
    QCOMPARE(timeRangeClause({kTen, kTen + 1800}),
             QStringLiteral("start >= \"2026-11-29 10:00:00\" and start < \"2026-11-29 10:30:00\""));
    QCOMPARE(groupedNumber(1234567), QStringLiteral("1,234,567"));
    QCOMPARE(groupedNumber(-5), QStringLiteral("-5"));
}

void TestTimeAxis::splitRange_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<bool>("hasRange");
    QTest::addColumn<QString>("base");
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("end");
    const QString c = timeRangeClause({kTen, kTen + 1800});
    QTest::newRow("clause only") << c << true << "" << kTen << kTen + 1800;
    QTest::newRow("base and clause") << QStringLiteral("srcaddr == 10.0.0.1 and ") + c << true << "srcaddr == 10.0.0.1" << kTen
                                     << kTen + 1800;
    QTest::newRow("parenthesised or base") << QStringLiteral("(port == 443 or port == 80) and ") + c << true
                                           << "(port == 443 or port == 80)" << kTen << kTen + 1800;
    QTest::newRow("parenthesised clause") << QStringLiteral("proto == 6 and (") + c + QStringLiteral(")") << true << "proto == 6"
                                          << kTen << kTen + 1800;
    QTest::newRow("surrounding spaces") << QStringLiteral("  ") + c + QStringLiteral("  ") << true << "" << kTen << kTen + 1800;
    QTest::newRow("no clause") << "srcaddr == 10.0.0.1" << false << "srcaddr == 10.0.0.1" << qint64(0) << qint64(0);
    QTest::newRow("clause not last") << c + QStringLiteral(" and proto == 6") << false << c + QStringLiteral(" and proto == 6")
                                     << qint64(0) << qint64(0);
    QTest::newRow("unbalanced paren") << QStringLiteral("proto == 6 and (") + c << false << QStringLiteral("proto == 6 and (") + c
                                      << qint64(0) << qint64(0);
    QTest::newRow("invalid date") << "start >= \"2026-13-45 10:00:00\" and start < \"2026-11-29 10:30:00\"" << false
                                  << "start >= \"2026-13-45 10:00:00\" and start < \"2026-11-29 10:30:00\"" << qint64(0)
                                  << qint64(0);
    QTest::newRow("other field") << "end >= \"2026-11-29 10:00:00\" and end < \"2026-11-29 10:30:00\"" << false
                                 << "end >= \"2026-11-29 10:00:00\" and end < \"2026-11-29 10:30:00\"" << qint64(0) << qint64(0);
    QTest::newRow("empty") << "" << false << "" << qint64(0) << qint64(0);
}

void TestTimeAxis::splitRange()
{
    QFETCH(QString, filter);
    QFETCH(bool, hasRange);
    QFETCH(QString, base);
    QFETCH(qint64, start);
    QFETCH(qint64, end);
    const SplitFilter s = splitTimeRange(filter);
    QCOMPARE(s.range.has_value(), hasRange);
    QCOMPARE(s.base, base);
    if (hasRange) {
        QCOMPARE(s.range->start, start);
        QCOMPARE(s.range->end, end);
    }
}

void TestTimeAxis::seriesData_data()
{
    QTest::addColumn<int>("binCount");
    QTest::addColumn<double>("maxBytes");
    QTest::addColumn<int>("dropLayers");
    QTest::addColumn<double>("gapValue");
    QTest::newRow("empty result") << 0 << 0.0 << 4 << -1.0;
    QTest::newRow("single record") << 1 << 1500.0 << 4 << -1.0;
    QTest::newRow("gap of zero bins") << 4 << 9000.0 << 5 << 0.0;
}

void TestTimeAxis::seriesData()
{
    QFETCH(int, binCount);
    QFETCH(double, maxBytes);
    QFETCH(int, dropLayers);
    QFETCH(double, gapValue);
    core::Series s;
    s.binSeconds = 60;
    if (binCount == 1) s.bins = {bin(kTen, 1, 3, 1500)};
    if (binCount == 4) {
        s.bins = {bin(kTen, 2, 10, 9000, {1, 0, 0, 0}), bin(kTen + 60, 0, 0, 0), bin(kTen + 120, 0, 0, 0),
                  bin(kTen + 180, 1, 4, 400, {0, 2, 3, 4}, 7)};
    }
    const tl::StackedData d = tl::trafficData(s, nullptr, Metric::Bytes);
    QCOMPARE(static_cast<int>(d.binCount), binCount);
    QCOMPARE(d.maxTotal(), maxBytes);
    const QList<QPointF> pts = tl::stepPoints(d, d.layers.empty() ? std::vector<double>{} : d.layers[0].values, 1.0);
    QCOMPARE(pts.size(), 2 * binCount);
    if (binCount > 0) {
        // Steps: each bin is flat from its start to its end; the end is the next start.
        QCOMPARE(pts.front(), QPointF(static_cast<double>(kTen), d.layers[0].values[0]));
        QCOMPARE(pts.back().x(), static_cast<double>(kTen + 60 * binCount));
        QCOMPARE(d.binIndexAt(static_cast<double>(kTen) + 59.9), std::optional<size_t>(0));
        QCOMPARE(d.binIndexAt(static_cast<double>(kTen + 60 * binCount)), std::optional<size_t>());
    }
    if (gapValue >= 0) {
        // The gap is drawn at zero, never interpolated between 9000 and 400.
        QCOMPARE(pts[2].y(), gapValue);
        QCOMPARE(pts[5].y(), gapValue);
        QCOMPARE(pts[6].y(), 400.0);
    }
    const tl::StackedData drops = tl::dropsData(s);
    QCOMPARE(static_cast<int>(drops.layers.size()), dropLayers);
    QCOMPARE(drops.layers[0].key, QStringLiteral("no-route"));
    QCOMPARE(drops.layers[3].key, QStringLiteral("ttl-expired"));
    if (binCount == 4) {
        QCOMPARE(drops.totalAt(3), 16.0); // 2 + 3 + 4 drops + 7 rejects
        const auto sums = tl::cumulative(drops);
        QCOMPARE(sums[0][3], 0.0);
        QCOMPARE(sums[1][3], 2.0);
        QCOMPARE(sums[3][3], 9.0);
        QCOMPARE(sums[4][3], 16.0);
        QCOMPARE(drops.layers[4].key, QStringLiteral("reject"));
    }
    const QString summary = tl::binSummary(s, 0, [](qint64 t) { return QString::number(t); });
    QCOMPARE(summary.isEmpty(), binCount == 0);
}

void TestTimeAxis::splitLayers()
{
    core::Series s;
    s.binSeconds = 300;
    s.bins = {bin(kTen, 1, 1, 100), bin(kTen + 300, 0, 0, 0), bin(kTen + 600, 1, 1, 50)};
    core::SplitSeries split;
    split.binSeconds = 300;
    split.binStarts = {kTen, kTen + 600};
    split.keys = {QStringLiteral("tgw-attach-a"), QStringLiteral("other")};
    split.bytes = {{70, 50}, {30, 0}};
    const tl::StackedData d = tl::trafficData(s, &split, Metric::Bytes);
    QCOMPARE(d.layers.size(), size_t(2));
    QCOMPARE(d.layers[0].values, (std::vector<double>{70, 0, 50}));
    QCOMPARE(d.layers[1].values, (std::vector<double>{30, 0, 0}));
    QCOMPARE(d.layers[1].key, QStringLiteral("other"));
    // A split on another grid is ignored rather than misplaced.
    split.binSeconds = 60;
    QCOMPARE(tl::trafficData(s, &split, Metric::Bytes).layers.size(), size_t(1));
}

void TestTimeAxis::csv()
{
    core::Series s;
    s.binSeconds = 60;
    QCOMPARE(tl::seriesCsv(s), QByteArray("bin_start,flows,packets,bytes,packets_lost_no_route,packets_lost_blackhole,"
                                          "packets_lost_mtu_exceeded,packets_lost_ttl_expired\r\n"));
    s.bins = {bin(kTen, 2, 10, 9000, {1, 2, 3, 4}, 5), bin(kTen + 60, 0, 0, 0)};
    const QList<QByteArray> lines = tl::seriesCsv(s).split('\n');
    QCOMPARE(lines.size(), 4); // header, 2 bins, trailing empty
    QCOMPARE(lines[1], QByteArray("1795946400,2,10,9000,1,2,3,4\r"));
    QCOMPARE(lines[2], QByteArray("1795946460,0,0,0,0,0,0,0\r"));
}

QTEST_GUILESS_MAIN(TestTimeAxis)
#include "tst_timeaxis.moc"
