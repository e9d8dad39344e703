// The Attachments page's matrix while the Compare page has a baseline: exactly the cells of the
// new, gone and changed pairs are marked (the graph's colours, a dashed frame for gone), their
// tooltips give the deltas, the Changed-above threshold decides what changed, a gone cell
// click-filters, and clearing the baseline removes the marks. Real MainWindow, offscreen; the
// expectations come from the constructed records below (an edge that disappears, one that
// appears, one that doubles, a new drop); the marks are also read back from the painted pixels.
#include "comparetestdata.h"
#include "core/ingest/loader.h"
#include "ui/compare/comparepage.h"
#include "ui/graph/attachmentspage.h"
#include "ui/graph/graphdiff.h"
#include "ui/graph/matrixview.h"
#include "ui/io/loadcontroller.h"
#include "ui/logic/graphfilter.h"
#include "ui/logic/session.h"
#include "ui/shell/mainwindow.h"
#include "ui/shell/sessioncontroller.h"
#include "ui/table/recordmodel.h"
#include "uihelpers.h"

#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

using namespace ui;
using uitest::both;
using uitest::tgwLine;

namespace {

using comparetest::baselineLog;
using comparetest::kT0;
using comparetest::storeOf;

/// Whether the painted frame of the cell (src, dst) shows `color` on its top edge.
bool frameShows(MatrixView* view, const QImage& shot, const QString& src, const QString& dst, const QColor& color)
{
    const QPoint centre = view->cellPosition(src, dst);
    if (centre.x() < 0) return false;
    const QSizeF cell = view->cellSize();
    const double lw = matrixDiffFrameWidth(cell.width(), cell.height());
    const double dpr = shot.devicePixelRatio();
    const int y = static_cast<int>((centre.y() - cell.height() / 2 + lw / 2) * dpr);
    // Along the top edge (a dashed frame has gaps): any pixel of the colour.
    for (double x = centre.x() - cell.width() / 2 + lw; x < centre.x() + cell.width() / 2 - lw; x += 1)
        if (shot.pixelColor(static_cast<int>(x * dpr), y).rgb() == color.rgb()) return true;
    return false;
}

} // namespace

class TestCompareMatrix : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_current;

    /// A window with the current flows, the matrix in front and the baseline set; the page.
    AttachmentsPage* open(MainWindow& w)
    {
        w.resize(1400, 800);
        w.show();
        if (!QTest::qWaitForWindowExposed(&w)) return nullptr;
        if (!w.openPaths({m_current})) return nullptr;
        if (!QTest::qWaitFor([&] { return !w.loadController()->isRunning() && w.recordModel()->countKnown(); }, 20000))
            return nullptr;
        auto* page = w.findChild<AttachmentsPage*>();
        if (auto* dock = qobject_cast<QDockWidget*>(page->parentWidget())) {
            dock->show();
            dock->raise();
        }
        page->setMode(AttachmentsPage::Mode::Matrix);
        w.sessionController()->comparePage()->setBaselineStore(storeOf(baselineLog(kT0)), QStringLiteral("before"));
        if (!QTest::qWaitFor([&] { return page->edgeDiffs().size() == 5 && !page->isBusy(); }, 20000)) return nullptr;
        return page;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_current = comparetest::writeCurrentLog(QDir(m_dir.path()));
        QVERIFY(!m_current.isEmpty());
    }

    void exactlyTheChangedCellsAreMarked_data()
    {
        QTest::addColumn<QString>("src");
        QTest::addColumn<QString>("dst");
        QTest::addColumn<int>("status"); // core::DiffStatus; Same = not marked
        QTest::addColumn<QStringList>("tooltip");
        QTest::newRow("appears") << "tgw-attach-x"
                                 << "tgw-attach-y" << int(core::DiffStatus::New)
                                 << QStringList{QStringLiteral("Compared with the baseline: new"), QStringLiteral("+700 B")};
        QTest::newRow("new drop (blackhole)")
            << "tgw-attach-e"
            << "-" << int(core::DiffStatus::New) << QStringList{QStringLiteral("dropped packets"), QStringLiteral("+4")};
        QTest::newRow("disappears") << "tgw-attach-c"
                                    << "tgw-attach-d" << int(core::DiffStatus::Gone)
                                    << QStringList{QStringLiteral("Compared with the baseline: gone"),
                                                   QStringLiteral("\u2212500 B")};
        QTest::newRow("doubles") << "tgw-attach-a"
                                 << "tgw-attach-b" << int(core::DiffStatus::Changed)
                                 << QStringList{QStringLiteral("\u25b2 +100 %"), QStringLiteral("1.0 kB"),
                                                QStringLiteral("2.0 kB")};
        QTest::newRow("same") << "tgw-attach-g"
                              << "tgw-attach-h" << int(core::DiffStatus::Same) << QStringList{};
    }

    void exactlyTheChangedCellsAreMarked()
    {
        QFETCH(QString, src);
        QFETCH(QString, dst);
        QFETCH(int, status);
        QFETCH(QStringList, tooltip);

        MainWindow w;
        AttachmentsPage* page = open(w);
        QVERIFY(page);
        MatrixView* matrix = page->matrixView();
        QVERIFY(matrix->isVisible());
        // Every pair of either side is a cell (the gone one too), and exactly 4 are marked.
        QCOMPARE(matrix->model()->matrix().edges.size(), size_t(5));
        QVERIFY2(matrix->cellPosition(src, dst).x() >= 0, qPrintable(src + " -> " + dst + " is not a visible cell"));
        QCOMPARE(matrix->decorations().size(), 4);

        const GraphStyle style = GraphStyle::fromPalette(matrix->palette());
        const QImage shot = matrix->grab().toImage();
        const auto it = matrix->decorations().constFind({src, dst});
        if (status == int(core::DiffStatus::Same)) {
            QVERIFY(it == matrix->decorations().constEnd());
            QVERIFY(!matrix->cellToolTip(src, dst).contains(QStringLiteral("baseline")));
            for (auto st : {core::DiffStatus::New, core::DiffStatus::Gone, core::DiffStatus::Changed})
                for (bool grown : {true, false})
                    QVERIFY2(!frameShows(matrix, shot, src, dst, diffColor(st, grown, style)), "an unchanged cell is marked");
            return;
        }
        QVERIFY(it != matrix->decorations().constEnd());
        const QColor expected = diffColor(static_cast<core::DiffStatus>(status), true, style);
        QCOMPARE(it->color, expected);
        QCOMPARE(it->style, status == int(core::DiffStatus::Gone) ? Qt::DashLine : Qt::SolidLine);
        QVERIFY2(frameShows(matrix, shot, src, dst, expected), "the cell's frame is not painted in its colour");
        const QString tip = matrix->cellToolTip(src, dst);
        for (const QString& piece : tooltip) QVERIFY2(tip.contains(piece), qPrintable(tip));
        QVERIFY(page->statusText().contains(QStringLiteral("2 new \u00b7 1 gone \u00b7 1 changed > 20 % vs before")));
    }

    void thresholdAndClearDecide()
    {
        MainWindow w;
        AttachmentsPage* page = open(w);
        QVERIFY(page);
        MatrixView* matrix = page->matrixView();
        const QPair<QString, QString> ab{QStringLiteral("tgw-attach-a"), QStringLiteral("tgw-attach-b")};
        QVERIFY(matrix->decorations().contains(ab));
        // Doubling is +100 %: above 150 % it is no longer "changed", in the matrix as in the graph.
        w.sessionController()->comparePage()->findChild<QDoubleSpinBox*>(QStringLiteral("compareThreshold"))->setValue(150);
        QTRY_VERIFY_WITH_TIMEOUT(!matrix->decorations().contains(ab) && !page->isBusy(), 20000);
        QCOMPARE(matrix->decorations().size(), 3);
        QCOMPARE(matrix->decorations().keys(), page->view()->decorations().keys());
        // Clearing the baseline: no marks and no gone cell.
        w.sessionController()->comparePage()->clearBaseline();
        QTRY_VERIFY_WITH_TIMEOUT(matrix->decorations().isEmpty() && page->edgeDiffs().empty() && !page->isBusy(), 20000);
        QCOMPARE(matrix->cellPosition(QStringLiteral("tgw-attach-c"), QStringLiteral("tgw-attach-d")), QPoint(-1, -1));
        QCOMPARE(matrix->model()->matrix().edges.size(), size_t(4));
    }

    void clickingAGoneCellFiltersToIt()
    {
        MainWindow w;
        AttachmentsPage* page = open(w);
        QVERIFY(page);
        MatrixView* matrix = page->matrixView();
        const QString c = QStringLiteral("tgw-attach-c"), d = QStringLiteral("tgw-attach-d");
        const QPoint at = matrix->cellPosition(c, d);
        QVERIFY(at.x() >= 0);
        QTest::mouseClick(matrix, Qt::LeftButton, {}, at);
        QTRY_VERIFY(w.session()->filter().contains(edgeFilter(core::EdgeDimension::Attachment, c, d)));
        // None of its flows is left now; the cell stays as context, still marked gone.
        QTRY_VERIFY_WITH_TIMEOUT(w.recordModel()->countKnown() && w.recordModel()->rowCount() == 0, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!page->isBusy() && matrix->decorations().contains({c, d}), 20000);
        QVERIFY(matrix->cellPosition(c, d).x() >= 0);
    }
};

QTEST_MAIN(TestCompareMatrix)
#include "tst_comparematrix.moc"
