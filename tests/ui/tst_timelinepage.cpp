// The Timeline page driven like a user, offscreen: charts follow the Session, a drag sets a
// bin-aligned `start >= ... and start < ...` filter (replaced, not nested, on the next drag),
// double-click removes it, the wheel zooms, and exports write files / CSV.
//
// Fixture tests/data/timeline/tgw_gap_drops.log: TGW default format (with header),
// 2026-11-29 10:00-13:00Z, one A->B TCP flow per minute logged at both attachments, a B->C UDP
// flow every 5 minutes, no records 11:00-11:30, and drops of every reason
// (no-route 10:15-10:19, blackhole 12:30, MTU 12:40, TTL 12:45).
// Over 500 lines on purpose: one page driven like a user; each interaction needs its own setup.
#include "core/analysis/aggregate.h"
#include "core/ingest/loader.h"
#include "core/query/filter.h"
#include "core/store/store.h"
#include "ui/logic/session.h"
#include "ui/logic/timeaxis.h"
#include "ui/logic/timelinedata.h"
#include "ui/timeline/timechartview.h"
#include "ui/timeline/timelinepage.h"

#include "tests/testpaths.h"
#include <QAbstractAxis>
#include <QApplication>
#include <QAreaSeries>
#include <QChart>
#include <QImage>
#include <QLabel>
#include <QLineSeries>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>
#include <QWheelEvent>

using namespace ui;

namespace {

const QString kFixture = testpaths::testData() + QStringLiteral("/timeline/tgw_gap_drops.log");
constexpr qint64 kStart = 1795946400; // 2026-11-29 10:00:00Z
constexpr qint64 kGapFrom = kStart + 3600;
constexpr qint64 kGapTo = kStart + 5400;

qint64 countWhere(const core::Store& store, const QString& filter)
{
    const auto sql = core::compileFilter(filter);
    if (!sql.ok()) return -1;
    auto st = store.prepare(QStringLiteral("SELECT COUNT(*) FROM flows WHERE ") + sql->where);
    if (!st.ok()) return -2;
    st->bindAll(sql->params);
    if (!st->next()) return -3;
    return st->int64(0);
}

qint64 countStartIn(const core::Store& store, const timeaxis::TimeRange& r)
{
    auto st = store.prepare(QStringLiteral("SELECT COUNT(*) FROM flows WHERE start >= ?1 AND start < ?2"));
    if (!st.ok()) return -2;
    st->bindAll({r.start, r.end});
    if (!st->next()) return -3;
    return st->int64(0);
}

} // namespace

class TestTimelinePage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void chartsFollowStore();
    void dragSelectsRange_data();
    void dragSelectsRange();
    void secondDragReplacesRange();
    void doubleClickRemovesRange();
    void wheelZooms();
    void metricAndSplit();
    void stackedLayersMatchSeparateScans();
    void binSelector();
    void csvMatchesCore();
    void saveImages_data();
    void saveImages();
    void emptyFilterResult();
    void hoverShowsBinValues();
    void staleResultDropped();
    void localTimeAxis();

private:
    void waitForResult(int previous);
    void drag(TimeChartView* view, double fromFraction, double toFraction);
    timeaxis::TimeRange expectedRange(TimeChartView* view, double fromFraction, double toFraction) const;

    std::shared_ptr<core::Store> m_store;
    qint64 m_total = 0;
    Session* m_session = nullptr;
    TimelinePage* m_page = nullptr;
};

void TestTimelinePage::initTestCase()
{
    auto created = core::Store::create();
    QVERIFY(created.ok());
    m_store = std::shared_ptr<core::Store>(std::move(created.value()));
    const core::LoadReport report = core::loadPaths(*m_store, {kFixture}, {});
    QVERIFY2(report.errors.isEmpty(), qPrintable(report.errors.join(QLatin1Char('\n'))));
    QCOMPARE(report.rejected, qint64(0));
    m_total = m_store->recordCount();
    QCOMPARE(m_total, qint64(368));
}

void TestTimelinePage::init()
{
    m_session = new Session();
    m_session->setStore(m_store);
    m_page = new TimelinePage(m_session);
    m_page->resize(1100, 720);
    m_page->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_page));
    waitForResult(0);
}

void TestTimelinePage::cleanup()
{
    delete m_page;
    m_page = nullptr;
    delete m_session;
    m_session = nullptr;
}

void TestTimelinePage::waitForResult(int previous)
{
    QTRY_VERIFY_WITH_TIMEOUT(m_page->resultCount() > previous, 20000);
    // Let the queued plot-area alignment run so pixel positions are final.
    QTRY_COMPARE(m_page->trafficView()->plotAreaInViewport().left(), m_page->dropsView()->plotAreaInViewport().left());
}

timeaxis::TimeRange TestTimelinePage::expectedRange(TimeChartView* view, double fromFraction, double toFraction) const
{
    const QRectF pa = view->plotAreaInViewport();
    const timeaxis::TimeMapping m = view->mapping();
    const QPoint p0(qRound(pa.left() + pa.width() * fromFraction), qRound(pa.center().y()));
    const QPoint p1(qRound(pa.left() + pa.width() * toFraction), qRound(pa.center().y()));
    return timeaxis::selectionToRange(m.toTimeClamped(p0.x()), m.toTimeClamped(p1.x()), m_page->series().binSeconds);
}

void TestTimelinePage::drag(TimeChartView* view, double fromFraction, double toFraction)
{
    const QRectF pa = view->plotAreaInViewport();
    const int y = qRound(pa.center().y());
    const QPoint p0(qRound(pa.left() + pa.width() * fromFraction), y);
    const QPoint p1(qRound(pa.left() + pa.width() * toFraction), y);
    QWidget* vp = view->viewport();
    QTest::mousePress(vp, Qt::LeftButton, {}, p0);
    QTest::mouseMove(vp, (p0 + p1) / 2);
    QTest::mouseMove(vp, p1);
    QTest::mouseRelease(vp, Qt::LeftButton, {}, p1);
}

void TestTimelinePage::chartsFollowStore()
{
    const core::Series& s = m_page->series();
    QVERIFY(!s.bins.empty());
    QVERIFY(s.binSeconds >= 60);
    QCOMPARE(s.bins.front().start, timeaxis::floorTo(kStart, s.binSeconds));
    // The 11:00-11:30 gap is present as zero bins, not skipped.
    qint64 gapBins = 0;
    for (const core::SeriesBin& b : s.bins) {
        if (b.start >= kGapFrom && b.start + s.binSeconds <= kGapTo) {
            ++gapBins;
            QCOMPARE(b.flows, qint64(0));
            QCOMPARE(b.bytes, qint64(0));
        }
    }
    QVERIFY(gapBins >= 1);
    // Both charts share the time window and show something.
    const auto [from, to] = m_page->timeWindow();
    QCOMPARE(from, static_cast<double>(s.bins.front().start));
    QCOMPARE(to, static_cast<double>(s.bins.back().start + s.binSeconds));
    QVERIFY(!m_page->trafficView()->chart()->series().isEmpty());
    // Four drop reasons, no REJECT layer for TGW-only data.
    QCOMPARE(m_page->dropsView()->chart()->series().size(), 4);
    const auto* y = qobject_cast<QValueAxis*>(m_page->trafficView()->chart()->axes(Qt::Vertical).value(0));
    QVERIFY(y);
    QVERIFY2(y->titleText().contains(QLatin1String(" per ")), qPrintable(y->titleText()));
    QCOMPARE(m_page->trafficView()->plotAreaInViewport().right(), m_page->dropsView()->plotAreaInViewport().right());
}

void TestTimelinePage::dragSelectsRange_data()
{
    QTest::addColumn<bool>("onDropsChart");
    QTest::addColumn<double>("from");
    QTest::addColumn<double>("to");
    QTest::newRow("traffic, first third") << false << 0.02 << 0.33;
    QTest::newRow("traffic, right to left") << false << 0.9 << 0.55;
    QTest::newRow("drops chart, middle") << true << 0.4 << 0.6;
    QTest::newRow("past the right edge") << false << 0.8 << 1.2;
}

void TestTimelinePage::dragSelectsRange()
{
    QFETCH(bool, onDropsChart);
    QFETCH(double, from);
    QFETCH(double, to);
    TimeChartView* view = onDropsChart ? m_page->dropsView() : m_page->trafficView();
    const timeaxis::TimeRange expected = expectedRange(view, from, to);
    QVERIFY(!expected.isEmpty());
    QSignalSpy filterSpy(m_session, &Session::filterChanged);
    const int before = m_page->resultCount();
    drag(view, from, to);
    QCOMPARE(filterSpy.count(), 1);
    QCOMPARE(m_session->filter(), timeaxis::timeRangeClause(expected));
    QVERIFY(m_session->filter().startsWith(QLatin1String("start >= \"2026-11-29 ")));
    // The filter selects exactly the records starting in the range.
    const qint64 n = countWhere(*m_store, m_session->filter());
    QCOMPARE(n, countStartIn(*m_store, expected));
    QVERIFY(n > 0);
    QVERIFY(n < m_total);
    // The charts follow the new filter and show only the selected range.
    waitForResult(before);
    const core::Series& s = m_page->series();
    QVERIFY(!s.bins.empty());
    QVERIFY(s.bins.front().start >= expected.start);
    QVERIFY(s.bins.back().start < expected.end);
}

void TestTimelinePage::secondDragReplacesRange()
{
    const QString base = QStringLiteral("protocol == 6");
    int before = m_page->resultCount();
    m_session->setFilter(base);
    waitForResult(before);
    const qint64 baseCount = countWhere(*m_store, base);
    QVERIFY(baseCount > 0 && baseCount < m_total);

    before = m_page->resultCount();
    drag(m_page->trafficView(), 0.1, 0.5);
    const QString first = m_session->filter();
    QVERIFY2(first.startsWith(base), qPrintable(first));
    QCOMPARE(first.count(QLatin1String("start >=")), 1);
    waitForResult(before);

    // The second drag (inside the narrowed window) replaces the range, keeping the base.
    const timeaxis::TimeRange expected = expectedRange(m_page->trafficView(), 0.25, 0.75);
    before = m_page->resultCount();
    drag(m_page->trafficView(), 0.25, 0.75);
    const QString second = m_session->filter();
    QCOMPARE(second, core::combineFilters(base, timeaxis::timeRangeClause(expected)));
    QCOMPARE(second.count(QLatin1String("start >=")), 1);
    QCOMPARE(timeaxis::splitTimeRange(second).range, std::optional<timeaxis::TimeRange>(expected));
    const qint64 n = countWhere(*m_store, second);
    QVERIFY(n > 0);
    QVERIFY(n < baseCount);
    waitForResult(before);

    // A range typed by the user (not set by the page) is also replaced, not nested.
    const QString typed = core::combineFilters(base, timeaxis::timeRangeClause({kStart, kStart + 7200}));
    before = m_page->resultCount();
    m_session->setFilter(typed);
    waitForResult(before);
    drag(m_page->trafficView(), 0.1, 0.2);
    QCOMPARE(m_session->filter().count(QLatin1String("start >=")), 1);
    QVERIFY(m_session->filter().startsWith(base));
}

void TestTimelinePage::doubleClickRemovesRange()
{
    const QString base = QStringLiteral("protocol == 6");
    int before = m_page->resultCount();
    m_session->setFilter(base);
    waitForResult(before);
    before = m_page->resultCount();
    drag(m_page->dropsView(), 0.3, 0.6);
    QVERIFY(m_session->filter() != base);
    waitForResult(before);

    before = m_page->resultCount();
    const QPoint center = m_page->trafficView()->plotAreaInViewport().center().toPoint();
    QTest::mouseDClick(m_page->trafficView()->viewport(), Qt::LeftButton, {}, center);
    QCOMPARE(m_session->filter(), base);
    waitForResult(before);
    QCOMPARE(countWhere(*m_store, m_session->filter()), countWhere(*m_store, base));

    // Without a range, double-click leaves the filter alone.
    QSignalSpy spy(m_session, &Session::filterChanged);
    QTest::mouseDClick(m_page->trafficView()->viewport(), Qt::LeftButton, {}, center);
    QCOMPARE(spy.count(), 0);
}

void TestTimelinePage::wheelZooms()
{
    const auto [from, to] = m_page->timeWindow();
    TimeChartView* view = m_page->trafficView();
    const QRectF pa = view->plotAreaInViewport();
    const QPointF at(pa.left() + pa.width() * 0.25, pa.center().y());
    const double anchor = view->mapping().toTime(at.x());
    QWheelEvent in(at, view->viewport()->mapToGlobal(at), QPoint(), QPoint(0, 240), Qt::NoButton, Qt::NoModifier,
                   Qt::NoScrollPhase, false);
    QApplication::sendEvent(view->viewport(), &in);
    const auto [zFrom, zTo] = m_page->timeWindow();
    QVERIFY(zTo - zFrom < (to - from) * 0.7);
    QVERIFY(zFrom <= anchor && anchor <= zTo);
    // The anchor keeps its relative position.
    QVERIFY(std::abs((anchor - zFrom) / (zTo - zFrom) - 0.25) < 0.01);
    // Both charts share the window.
    QCOMPARE(m_page->dropsView()->windowFrom(), zFrom);
    QCOMPARE(m_page->dropsView()->windowTo(), zTo);
    // Zooming out beyond the data returns to the full extent; the filter never changes.
    QWheelEvent out(at, view->viewport()->mapToGlobal(at), QPoint(), QPoint(0, -2400), Qt::NoButton, Qt::NoModifier,
                    Qt::NoScrollPhase, false);
    QApplication::sendEvent(view->viewport(), &out);
    QCOMPARE(m_page->timeWindow(), std::make_pair(from, to));
    QCOMPARE(m_session->filter(), QString());
}

void TestTimelinePage::metricAndSplit()
{
    QChart* chart = m_page->trafficView()->chart();
    m_page->setMetric(timeaxis::Metric::Packets);
    const auto* y = qobject_cast<QValueAxis*>(chart->axes(Qt::Vertical).value(0));
    QVERIFY(y);
    QVERIFY2(y->titleText().contains(QLatin1String("packets")), qPrintable(y->titleText()));
    QCOMPARE(chart->series().size(), 1);

    m_page->setMetric(timeaxis::Metric::Bytes);
    const int before = m_page->resultCount();
    m_page->setSplit(core::SeriesSplit::Attachment, 2);
    waitForResult(before);
    // Two top attachments plus "other" (three attachments in the fixture).
    QCOMPARE(chart->series().size(), 3);
    QVERIFY(chart->legend()->isVisible());
    QVERIFY2(chart->series().first()->name().startsWith(QLatin1String("tgw-attach-")),
             qPrintable(chart->series().first()->name()));
    // With names from the AWS CLI, layers show the Name tag.
    core::NameDirectory names;
    core::NameEntry a;
    a.id = QStringLiteral("tgw-attach-0a1111111111111aa");
    a.name = QStringLiteral("prod-a");
    names.add(a);
    m_page->setNames(names);
    QStringList layerNames;
    for (QAbstractSeries* series : chart->series()) layerNames << series->name();
    QVERIFY2(layerNames.filter(QStringLiteral("prod-a")).size() == 1, qPrintable(layerNames.join(QLatin1String(", "))));
}

void TestTimelinePage::stackedLayersMatchSeparateScans()
{
    // The page computes the total and the stacked layers in one scan; the layers on the chart
    // must be the ones the separate computeSeries + computeSplitSeries calls give, also after a
    // refresh that reuses the chart's series (same number of layers) and one that does not.
    QChart* chart = m_page->trafficView()->chart();
    const auto check = [&](const QString& filter, int topN) {
        auto series = core::computeSeries(*m_store, filter, 0);
        QVERIFY(series.ok());
        auto split = core::computeSplitSeries(*m_store, filter, core::SeriesSplit::Attachment, topN, series->binSeconds);
        QVERIFY(split.ok());
        QCOMPARE(m_page->seriesCsv(), ui::timeline::seriesCsv(series.value()));
        const timeline::StackedData d = timeline::trafficData(series.value(), &split.value(), timeaxis::Metric::Bytes);
        const auto sums = timeline::cumulative(d);
        const double divisor = timeaxis::valueScale(d.maxTotal(), timeaxis::Metric::Bytes).divisor;
        QCOMPARE(static_cast<size_t>(chart->series().size()), d.layers.size());
        for (size_t k = 0; k < d.layers.size(); ++k) {
            auto* area = qobject_cast<QAreaSeries*>(chart->series().at(static_cast<qsizetype>(k)));
            QVERIFY(area);
            QVERIFY2(area->name().startsWith(d.layers[k].name), qPrintable(area->name()));
            QCOMPARE(area->upperSeries()->points(), timeline::stepPoints(d, sums[k], divisor));
            if (k > 0) QCOMPARE(area->lowerSeries()->points(), timeline::stepPoints(d, sums[k - 1], divisor));
        }
    };
    int before = m_page->resultCount();
    m_page->setSplit(core::SeriesSplit::Attachment, 2);
    waitForResult(before);
    check(QString(), 2);
    const QList<QAbstractSeries*> shown = chart->series();
    before = m_page->resultCount();
    const QString later = QStringLiteral("start >= \"2026-11-29 10:20:00\"");
    m_session->setFilter(later);
    waitForResult(before);
    check(later, 2);
    QCOMPARE(chart->series(), shown); // same layer count: the series were reused
    before = m_page->resultCount();
    m_page->setSplit(core::SeriesSplit::Attachment, 1);
    waitForResult(before);
    check(later, 1);
}

void TestTimelinePage::binSelector()
{
    const int before = m_page->resultCount();
    m_page->setBinSeconds(3600);
    waitForResult(before);
    const core::Series& s = m_page->series();
    QCOMPARE(s.binSeconds, qint64(3600));
    QCOMPARE(s.bins.size(), size_t(3));
    QCOMPARE(s.bins.front().start, kStart);
    const auto* y = qobject_cast<QValueAxis*>(m_page->trafficView()->chart()->axes(Qt::Vertical).value(0));
    QVERIFY2(y->titleText().endsWith(QLatin1String("per 1 h")), qPrintable(y->titleText()));
}

void TestTimelinePage::csvMatchesCore()
{
    // Same bytes as `flowlog-cli series` for the same filter and bin.
    int before = m_page->resultCount();
    m_session->setFilter(QStringLiteral("protocol == 6"));
    waitForResult(before);
    before = m_page->resultCount();
    m_page->setBinSeconds(300);
    waitForResult(before);
    QProcess cli;
    cli.start(testpaths::cliPath(), {QStringLiteral("series"), QStringLiteral("--bin"), QStringLiteral("300"),
                                     QStringLiteral("--filter"), m_session->filter(), kFixture});
    QVERIFY2(cli.waitForFinished(60000), qPrintable(cli.errorString()));
    QCOMPARE(cli.exitCode(), 0);
    QCOMPARE(cli.readAllStandardOutput(), m_page->seriesCsv());

    const core::Series& shown = m_page->series();
    auto direct = core::computeSeries(*m_store, m_session->filter(), shown.binSeconds);
    QVERIFY(direct.ok());
    QCOMPARE(m_page->seriesCsv(), ui::timeline::seriesCsv(direct.value()));
    const QList<QByteArray> lines = m_page->seriesCsv().split('\n');
    QCOMPARE(lines.front(), QByteArray("bin_start,flows,packets,bytes,packets_lost_no_route,packets_lost_blackhole,"
                                       "packets_lost_mtu_exceeded,packets_lost_ttl_expired\r"));
    QCOMPARE(static_cast<size_t>(lines.size()), shown.bins.size() + 2);
    // The drops of the TCP flows made it into the numbers; the TTL drop was UDP (filtered out).
    std::array<qint64, core::LostReasonCount> lost{};
    for (const core::SeriesBin& b : shown.bins) {
        for (size_t r = 0; r < lost.size(); ++r) lost[r] += b.lost[r];
    }
    QCOMPARE(lost[core::LostNoRoute], qint64(60));
    QCOMPARE(lost[core::LostBlackhole], qint64(30));
    QCOMPARE(lost[core::LostMtuExceeded], qint64(8));
    QCOMPARE(lost[core::LostTtlExpired], qint64(0));
}

void TestTimelinePage::saveImages_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("png") << "timeline.png";
    QTest::newRow("svg") << "timeline.svg";
}

void TestTimelinePage::saveImages()
{
    QFETCH(QString, name);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(name);
    QString error;
    QVERIFY2(m_page->saveImage(path, &error), qPrintable(error));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray data = f.readAll();
    QVERIFY(data.size() > 1000);
    if (name.endsWith(QLatin1String(".svg"))) {
        QVERIFY(data.contains("<svg"));
    } else {
        const QImage image = QImage::fromData(data, "PNG");
        QVERIFY(!image.isNull());
        QVERIFY(image.height() > image.width() / 4);
    }
    // A path that cannot be written fails with a message.
    if (name.endsWith(QLatin1String(".svg"))) {
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("QSvgPaintEngine::begin")));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("QPainter::begin")));
    }
    QVERIFY(!m_page->saveImage(dir.filePath(QStringLiteral("missing/dir/") + name), &error));
    QVERIFY(!error.isEmpty());
}

void TestTimelinePage::emptyFilterResult()
{
    const int before = m_page->resultCount();
    m_session->setFilter(QStringLiteral("srcaddr == 192.0.2.1"));
    waitForResult(before);
    QVERIFY(m_page->series().bins.empty());
    QCOMPARE(m_page->seriesCsv().count('\n'), 1);
    // Dragging over an empty chart sets nothing.
    QSignalSpy spy(m_session, &Session::filterChanged);
    drag(m_page->trafficView(), 0.2, 0.6);
    QCOMPARE(spy.count(), 0);
}

void TestTimelinePage::hoverShowsBinValues()
{
    TimeChartView* view = m_page->trafficView();
    const QRectF pa = view->plotAreaInViewport();
    const QPoint at(qRound(pa.left() + pa.width() * 0.1), qRound(pa.center().y()));
    const double t = view->mapping().toTime(at.x());
    const core::Series& s = m_page->series();
    const auto index = static_cast<size_t>((static_cast<qint64>(t) - s.bins.front().start) / s.binSeconds);
    QVERIFY(index < s.bins.size());
    QTest::mouseMove(view->viewport(), at);
    auto* label = m_page->findChild<QLabel*>(QStringLiteral("timelineHoverLabel"));
    QVERIFY(label);
    // The exact byte count of the bin under the cursor, with thousands separators.
    QTRY_VERIFY2(label->text().contains(QStringLiteral("bytes ") + timeaxis::groupedNumber(s.bins[index].bytes)),
                 qPrintable(label->text()));
    QVERIFY(label->text().contains(m_session->formatTime(s.bins[index].start)));
}

void TestTimelinePage::staleResultDropped()
{
    // Two recomputations in flight: only the newer filter's result may reach the charts.
    const int before = m_page->resultCount();
    m_session->setFilter(QStringLiteral("protocol == 17"));
    m_page->refresh();
    m_session->setFilter(QStringLiteral("protocol == 6"));
    m_page->refresh();
    QTRY_VERIFY_WITH_TIMEOUT(m_page->resultCount() > before, 20000);
    auto expected = core::computeSeries(*m_store, QStringLiteral("protocol == 6"), m_page->series().binSeconds);
    QVERIFY(expected.ok());
    QCOMPARE(m_page->seriesCsv(), ui::timeline::seriesCsv(expected.value()));
    auto udp = core::computeSeries(*m_store, QStringLiteral("protocol == 17"), m_page->series().binSeconds);
    QVERIFY(udp.ok());
    QVERIFY(m_page->seriesCsv() != ui::timeline::seriesCsv(udp.value()));
}

void TestTimelinePage::localTimeAxis()
{
    QChart* chart = m_page->dropsView()->chart();
    const auto title = [chart]() { return chart->axes(Qt::Horizontal).value(0)->titleText(); };
    QCOMPARE(title(), QStringLiteral("Time (UTC)"));
    m_session->setTimeDisplay(TimeDisplay::Local);
    QVERIFY2(title().startsWith(QLatin1String("Time (local, UTC")), qPrintable(title()));
    m_session->setTimeDisplay(TimeDisplay::Utc);
    QCOMPARE(title(), QStringLiteral("Time (UTC)"));
}

QTEST_MAIN(TestTimelinePage)
#include "tst_timelinepage.moc"
