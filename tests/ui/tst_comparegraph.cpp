// The comparison drawn in the views: with a baseline on the Compare page, the Attachments graph
// draws exactly the new, gone and changed edges with their own colour, dash, label and tooltip
// (deltas of flows, packets, bytes and drops), a gone edge is drawn and click-filters like the
// others, and the Timeline draws the baseline's bins moved by the chosen offset as a line over
// the current bars. Real MainWindow, offscreen; the expectations come from the constructed
// records below (an edge that disappears, one that appears, one that doubles, a new drop).
#include "comparetestdata.h"
#include "core/analysis/aggregate.h"
#include "core/ingest/loader.h"
#include "ui/compare/comparepage.h"
#include "ui/graph/attachmentspage.h"
#include "ui/graph/graphdiff.h"
#include "ui/io/loadcontroller.h"
#include "ui/logic/graphfilter.h"
#include "ui/logic/session.h"
#include "ui/shell/mainwindow.h"
#include "ui/shell/sessioncontroller.h"
#include "ui/table/recordmodel.h"
#include "ui/timeline/timelinepage.h"
#include "uihelpers.h"

#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

using namespace ui;
using uitest::both;
using uitest::tgwLine;

namespace {

using comparetest::baselineLog;
using comparetest::currentLog;
using comparetest::kT0;
using comparetest::storeOf;

template <typename Page> Page* raisePage(MainWindow& w)
{
    auto* page = w.findChild<Page*>();
    if (!page) return nullptr;
    if (auto* dock = qobject_cast<QDockWidget*>(page->parentWidget())) {
        dock->show();
        dock->raise();
    }
    return page;
}

} // namespace

class TestCompareGraph : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_current;

    /// A window with the current flows loaded and `baseline` as the Compare page's baseline.
    void open(MainWindow& w, std::shared_ptr<core::Store> baseline, std::optional<qint64> offset = std::nullopt)
    {
        w.resize(1400, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(w.openPaths({m_current}));
        QTRY_VERIFY_WITH_TIMEOUT(!w.loadController()->isRunning(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(w.recordModel()->countKnown() && w.recordModel()->rowCount() == 9, 20000);
        ComparePage* compare = w.sessionController()->comparePage();
        compare->setTimelineOffset(offset);
        QVERIFY(baseline);
        compare->setBaselineStore(std::move(baseline), QStringLiteral("before"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_current = comparetest::writeCurrentLog(QDir(m_dir.path()));
        QVERIFY(!m_current.isEmpty());
    }

    void graphShowsTheDifferences_data()
    {
        QTest::addColumn<QString>("src");
        QTest::addColumn<QString>("dst");
        QTest::addColumn<int>("status"); // core::DiffStatus; Same = no decoration
        QTest::addColumn<bool>("dashed");
        QTest::addColumn<QString>("label");
        QTest::addColumn<QStringList>("tooltip"); // pieces the tooltip holds

        QTest::newRow("appears") << "tgw-attach-x"
                                 << "tgw-attach-y" << int(core::DiffStatus::New) << false
                                 << QStringLiteral("new \u00b7 +1 flows \u00b7 +10 pkts \u00b7 +700 B")
                                 << QStringList{QStringLiteral("new"), QStringLiteral("+700 B")};
        QTest::newRow("new drop reason (blackhole)")
            << "tgw-attach-e"
            << "-" << int(core::DiffStatus::New) << false
            << QStringLiteral("new \u00b7 +1 flows \u00b7 +10 pkts \u00b7 +400 B \u00b7 +4 drops")
            << QStringList{QStringLiteral("dropped packets"), QStringLiteral("+4")};
        QTest::newRow("disappears") << "tgw-attach-c"
                                    << "tgw-attach-d" << int(core::DiffStatus::Gone) << true
                                    << QStringLiteral("gone \u00b7 \u22121 flows \u00b7 \u221210 pkts \u00b7 \u2212500 B")
                                    << QStringList{QStringLiteral("gone"), QStringLiteral("\u2212500 B")};
        QTest::newRow("doubles") << "tgw-attach-a"
                                 << "tgw-attach-b" << int(core::DiffStatus::Changed) << false
                                 << QStringLiteral("\u25b2 +100 % \u00b7 +1 flows \u00b7 +10 pkts \u00b7 +1.0 kB")
                                 << QStringList{QStringLiteral("1.0 kB"), QStringLiteral("2.0 kB")};
        QTest::newRow("same") << "tgw-attach-g"
                              << "tgw-attach-h" << int(core::DiffStatus::Same) << false << QString() << QStringList{};
    }

    void graphShowsTheDifferences()
    {
        QFETCH(QString, src);
        QFETCH(QString, dst);
        QFETCH(int, status);
        QFETCH(bool, dashed);
        QFETCH(QString, label);
        QFETCH(QStringList, tooltip);

        MainWindow w;
        open(w, storeOf(baselineLog(kT0)));
        auto* page = raisePage<AttachmentsPage>(w);
        QVERIFY(page);
        QTRY_VERIFY_WITH_TIMEOUT(page->edgeDiffs().size() == 5 && !page->isBusy(), 20000);

        // Every edge of either side is drawn, the gone one too.
        GraphView* view = page->view();
        QVERIFY2(view->graph().findEdge(src, dst) >= 0, qPrintable(src + " -> " + dst + " is not drawn"));
        QCOMPARE(view->decorations().size(), 4); // new x2, gone, changed; not the same one

        const auto it = view->decorations().constFind({src, dst});
        if (status == int(core::DiffStatus::Same)) {
            QVERIFY(it == view->decorations().constEnd());
            return;
        }
        QVERIFY(it != view->decorations().constEnd());
        QCOMPARE(it->style, dashed ? Qt::DashLine : Qt::SolidLine);
        const GraphStyle style = GraphStyle::fromPalette(view->palette());
        QCOMPARE(it->color, diffColor(static_cast<core::DiffStatus>(status), status == int(core::DiffStatus::Changed), style));
        QCOMPARE(it->label, label);
        QCOMPARE(it->key, label.section(QLatin1Char(' '), 0, 0) == QStringLiteral("\u25b2")
                              ? QStringLiteral("grown \u25b2")
                              : label.section(QLatin1Char(' '), 0, 0));
        for (const QString& piece : tooltip) QVERIFY2(it->tooltip.contains(piece), qPrintable(it->tooltip));
        QVERIFY(page->statusText().contains(QStringLiteral("2 new \u00b7 1 gone \u00b7 1 changed > 20 % vs before")));
    }

    void splitTimeComparesBeforeWithAfter()
    {
        // One file holding both hours, split at the current hour: the same differences.
        const QString path = m_dir.filePath(QStringLiteral("both.log"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(baselineLog(kT0) + currentLog(kT0 + 3600));
        f.close();
        MainWindow w;
        w.resize(1400, 800);
        w.show();
        QVERIFY(w.openPaths({path}));
        QTRY_VERIFY_WITH_TIMEOUT(!w.loadController()->isRunning(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(w.recordModel()->countKnown() && w.recordModel()->rowCount() == 15, 20000);
        w.sessionController()->comparePage()->setSplitTime(kT0 + 3600);
        auto* page = raisePage<AttachmentsPage>(w);
        QTRY_VERIFY_WITH_TIMEOUT(page->edgeDiffs().size() == 5 && !page->isBusy(), 20000);
        QStringList got;
        for (const core::EdgeDiff& d : page->edgeDiffs())
            got << QStringLiteral("%1 %2>%3").arg(core::diffStatusName(d.status), d.src, d.dst);
        QCOMPARE(got, (QStringList{QStringLiteral("new tgw-attach-x>tgw-attach-y"), QStringLiteral("new tgw-attach-e>-"),
                                   QStringLiteral("gone tgw-attach-c>tgw-attach-d"),
                                   QStringLiteral("changed tgw-attach-a>tgw-attach-b"),
                                   QStringLiteral("same tgw-attach-g>tgw-attach-h")}));
        QCOMPARE(page->view()->decorations().size(), 4);
        // The timeline's "split time" alignment puts the hour before T onto the hour from T.
        auto* timeline = raisePage<TimelinePage>(w);
        QTRY_VERIFY_WITH_TIMEOUT(timeline->baseline().active() && !timeline->baselineBins().empty(), 20000);
        QCOMPARE(timeline->baselineOffset() % timeline->series().binSeconds, qint64(0));
        qint64 total = 0;
        for (const core::SeriesBin& b : timeline->baselineBins()) {
            QVERIFY(b.bytes == 0 || b.start >= kT0 + 3600);
            total += b.bytes;
        }
        QCOMPARE(total, qint64(1000 + 500 + 300)); // the baseline hour's bytes, each flow once
    }

    void clickingAGoneEdgeFiltersToIt()
    {
        MainWindow w;
        open(w, storeOf(baselineLog(kT0)));
        auto* page = raisePage<AttachmentsPage>(w);
        QVERIFY(page);
        QTRY_VERIFY_WITH_TIMEOUT(page->edgeDiffs().size() == 5 && !page->isBusy(), 20000);
        GraphView* view = page->view();
        const QString c = QStringLiteral("tgw-attach-c"), d = QStringLiteral("tgw-attach-d");
        const QPoint at = view->edgePosition(c, d);
        QVERIFY(at.x() >= 0);
        QTest::mouseClick(view, Qt::LeftButton, {}, at);
        QTRY_VERIFY(w.session()->filter().contains(edgeFilter(core::EdgeDimension::Attachment, c, d)));
        // Nothing of it is left in the current flows, and the edge stays drawn as context.
        QTRY_VERIFY(w.recordModel()->countKnown() && w.recordModel()->rowCount() == 0);
        QVERIFY(view->graph().findEdge(c, d) >= 0);
    }

    void thresholdDecidesWhatChanged()
    {
        MainWindow w;
        open(w, storeOf(baselineLog(kT0)));
        auto* page = raisePage<AttachmentsPage>(w);
        QTRY_VERIFY_WITH_TIMEOUT(page->edgeDiffs().size() == 5 && !page->isBusy(), 20000);
        QVERIFY(page->view()->decorations().contains({QStringLiteral("tgw-attach-a"), QStringLiteral("tgw-attach-b")}));
        // Doubling is +100 %: above 150 % it is no longer "changed".
        w.sessionController()->comparePage()->findChild<QDoubleSpinBox*>(QStringLiteral("compareThreshold"))->setValue(150);
        QTRY_VERIFY_WITH_TIMEOUT(
            !page->view()->decorations().contains({QStringLiteral("tgw-attach-a"), QStringLiteral("tgw-attach-b")}), 20000);
        QCOMPARE(page->view()->decorations().size(), 3);
        // Clearing the baseline ends the comparison: no decorations, no gone edge.
        w.sessionController()->comparePage()->clearBaseline();
        QTRY_VERIFY_WITH_TIMEOUT(page->view()->decorations().isEmpty() && page->edgeDiffs().empty(), 20000);
        QTRY_VERIFY(page->view()->graph().findEdge(QStringLiteral("tgw-attach-c"), QStringLiteral("tgw-attach-d")) < 0);
    }

    void changesBelowTheTopNAreDrawn()
    {
        // Top 1: only A->B by traffic, plus E's drops. The new X->Y and the gone C->D are below the
        // cut and drawn anyway; the unchanged G->H is not (the cut still applies to it).
        MainWindow w;
        open(w, storeOf(baselineLog(kT0)));
        auto* page = raisePage<AttachmentsPage>(w);
        QTRY_VERIFY_WITH_TIMEOUT(page->edgeDiffs().size() == 5 && !page->isBusy(), 20000);
        page->setTopN(1);
        QTRY_COMPARE_WITH_TIMEOUT(page->topN(), 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!page->isBusy(), 20000);
        const Graph& g = page->view()->graph();
        for (const auto& [src, dst] : {std::pair{"tgw-attach-a", "tgw-attach-b"}, std::pair{"tgw-attach-x", "tgw-attach-y"},
                                       std::pair{"tgw-attach-c", "tgw-attach-d"}, std::pair{"tgw-attach-e", "-"}})
            QVERIFY2(g.findEdge(QLatin1String(src), QLatin1String(dst)) >= 0,
                     qPrintable(QStringLiteral("%1 -> %2 is not drawn").arg(src, dst)));
        QCOMPARE(g.findEdge(QStringLiteral("tgw-attach-g"), QStringLiteral("tgw-attach-h")), -1);
        QCOMPARE(page->view()->decorations().size(), 4);
        // Without a comparison the same cut hides them.
        w.sessionController()->comparePage()->clearBaseline();
        QTRY_VERIFY_WITH_TIMEOUT(page->edgeDiffs().empty() && !page->isBusy(), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(page->view()->graph().findEdge(QStringLiteral("tgw-attach-x"), QStringLiteral("tgw-attach-y")),
                                  -1, 20000);
    }

    void emptyBaselineMakesEveryEdgeNew()
    {
        MainWindow w;
        open(w, storeOf(QByteArray()));
        auto* page = raisePage<AttachmentsPage>(w);
        QTRY_VERIFY_WITH_TIMEOUT(page->edgeDiffs().size() == 4 && !page->isBusy(), 20000);
        for (const core::EdgeDiff& d : page->edgeDiffs()) QVERIFY(d.status == core::DiffStatus::New);
        QCOMPARE(page->view()->decorations().size(), 4);
        auto* timeline = raisePage<TimelinePage>(w);
        QTRY_VERIFY_WITH_TIMEOUT(timeline->baseline().active() && !timeline->baselineNote().isEmpty(), 20000);
        QVERIFY2(timeline->baselineNote().contains(QStringLiteral("no records")), qPrintable(timeline->baselineNote()));
        QVERIFY(timeline->baselineBins().empty());
        QVERIFY(!timeline->baselineLine());
    }

    void timelineDrawsTheShiftedBaseline_data()
    {
        QTest::addColumn<qint64>("baselineStart");
        QTest::addColumn<qint64>("offset"); // the combo's choice; -1: split time / start
        QTest::addColumn<qint64>("appliedOffset");
        QTest::addColumn<bool>("overlaps");
        const qint64 now = kT0 + 3600;
        QTest::newRow("split time / start (1 h earlier)") << kT0 << qint64(-1) << qint64(3600) << true;
        QTest::newRow("same hour yesterday") << now - 86400 << qint64(86400) << qint64(86400) << true;
        QTest::newRow("same day last week") << now - 7 * 86400 << qint64(7 * 86400) << qint64(7 * 86400) << true;
        QTest::newRow("no overlap in time: 1 h earlier moved by a day") << kT0 << qint64(86400) << qint64(86400) << false;
    }

    void timelineDrawsTheShiftedBaseline()
    {
        QFETCH(qint64, baselineStart);
        QFETCH(qint64, offset);
        QFETCH(qint64, appliedOffset);
        QFETCH(bool, overlaps);

        std::shared_ptr<core::Store> baseline = storeOf(baselineLog(baselineStart));
        MainWindow w;
        auto* timeline = w.findChild<TimelinePage*>();
        QVERIFY(timeline);
        timeline->setBinSeconds(60);
        open(w, baseline, offset < 0 ? std::nullopt : std::optional<qint64>(offset));
        raisePage<TimelinePage>(w);
        QTRY_VERIFY_WITH_TIMEOUT(timeline->baseline().active() && !timeline->baselineBins().empty(), 20000);
        QCOMPARE(timeline->baselineOffset(), appliedOffset);

        // Oracle: the baseline's own 60 s bins, moved by the offset, on the current bins.
        const core::Series& current = timeline->series();
        QCOMPARE(current.binSeconds, qint64(60));
        auto own = core::computeSeries(*baseline, QString(), 60);
        QVERIFY(own.ok());
        QHash<qint64, qint64> moved;
        for (const core::SeriesBin& b : own->bins) moved[b.start + appliedOffset] += b.bytes;
        const auto& bins = timeline->baselineBins();
        QCOMPARE(bins.size(), current.bins.size());
        qint64 total = 0;
        for (size_t i = 0; i < bins.size(); ++i) {
            QCOMPARE(bins[i].start, current.bins[i].start);
            QCOMPARE(bins[i].bytes, moved.value(bins[i].start));
            total += bins[i].bytes;
        }
        QCOMPARE(total > 0, overlaps);
        if (!overlaps)
            QVERIFY2(timeline->baselineNote().contains(QStringLiteral("does not overlap")), qPrintable(timeline->baselineNote()));

        // The line on the chart: two points per bin at the bin's edges, heights in proportion.
        QLineSeries* line = timeline->baselineLine();
        QVERIFY(line);
        const QList<QPointF> pts = line->points();
        QCOMPARE(pts.size(), qsizetype(2 * bins.size()));
        double ratio = 0;
        for (size_t i = 0; i < bins.size(); ++i) {
            const QPointF& p = pts[qsizetype(2 * i)];
            QCOMPARE(p.x(), double(bins[i].start));
            QCOMPARE(pts[qsizetype(2 * i + 1)].x(), double(bins[i].start + 60));
            if (bins[i].bytes == 0) QCOMPARE(p.y(), 0.0);
            else if (ratio == 0) ratio = p.y() / double(bins[i].bytes);
            else QVERIFY(qFuzzyCompare(p.y(), ratio * double(bins[i].bytes)));
        }
    }
};

QTEST_MAIN(TestCompareGraph)
#include "tst_comparegraph.moc"
