// The rest of issue 12's walkthrough on a laptop: page tool bars overflow into » in a narrow
// dock (every action still reachable), the status-bar message never runs into the counts at
// 1024x700 and 1366x768, Follow Flow elides long names in the middle. Real MainWindow,
// offscreen. Counts in any system locale and File > Export are in tst_laptopcounts.cpp; the
// fixture is laptopwalkutil.h.
#include "core/model/units.h"
#include "laptopwalkutil.h"
#include "ui/graph/attachmentspage.h"
#include "ui/graph/graphview.h"
#include "ui/io/exportcontroller.h"
#include "ui/io/loadcontroller.h"
#include "ui/io/loadreportdialog.h"
#include "ui/logic/session.h"
#include "ui/pages/dropspage.h"
#include "ui/pages/flowpathcanvas.h"
#include "ui/pages/flowpathpage.h"
#include "ui/pages/sqlpage.h"
#include "ui/shell/docklayout.h"
#include "ui/shell/filterbar.h"
#include "ui/shell/mainwindow.h"
#include "ui/shell/statusbar.h"
#include "ui/shell/statussummary.h"
#include "ui/table/recordmodel.h"
#include "ui/table/recordview.h"
#include "uitestdata.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QHeaderView>
#include <QHelpEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QToolTip>
#include <QWidgetAction>

#include <QtTest>
#include <functional>
#include <memory>
#include <optional>

using namespace ui;
using laptopwalk::pageDock;

namespace {

const QString kLongA = QStringLiteral("Transit Gateway attachment for the shared production network of VPC A");
const QString kLongB = QStringLiteral("Transit Gateway attachment for the shared production network of VPC B");

QByteArray namesJson()
{
    return QStringLiteral(R"({"TransitGatewayAttachments": [
  {"TransitGatewayAttachmentId": "tgw-attach-0a11111111111111a", "ResourceType": "vpc", "ResourceId": "vpc-0aaaaaaaaaaaaaaa1",
   "Tags": [{"Key": "Name", "Value": "%1"}]},
  {"TransitGatewayAttachmentId": "tgw-attach-0b22222222222222b", "ResourceType": "vpc", "ResourceId": "vpc-0bbbbbbbbbbbbbbb2",
   "Tags": [{"Key": "Name", "Value": "%2"}]}
]}
)")
        .arg(kLongA, kLongB)
        .toUtf8();
}

// Every visible child of `bar` (a status bar or the summary in it): inside it, no two overlapping.
QString overlaps(const QWidget* bar)
{
    QStringList problems;
    QList<QWidget*> shown;
    for (QWidget* w : bar->findChildren<QWidget*>(Qt::FindDirectChildrenOnly))
        if (w->isVisible() && !w->isWindow()) shown << w;
    for (QWidget* w : shown) {
        if (!bar->rect().contains(w->geometry()))
            problems << QStringLiteral("%1 %2 outside %3")
                            .arg(w->metaObject()->className(), QVariant(w->geometry()).toString(),
                                 QVariant(bar->rect()).toString());
        for (QWidget* o : shown)
            if (w < o && w->geometry().intersects(o->geometry()))
                problems << QStringLiteral("%1 overlaps %2").arg(w->metaObject()->className(), o->metaObject()->className());
    }
    return problems.join(QStringLiteral("; "));
}

} // namespace

class TestLaptopWalk : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void pageToolBarsOverflow_data();
    void pageToolBarsOverflow();
    void settingsOnlyWhatIsHidden_data();
    void settingsOnlyWhatIsHidden();
    void statusBarNeverOverlaps_data();
    void statusBarNeverOverlaps();
    void longMessageIsElided();
    void compactGraphHasRoom();
    void followFlowKeepsTheDistinctEnd();
    void followFlowScrollsOnce_data();
    void followFlowScrollsOnce();

private:
    void start(const QSize& size, const QString& path);
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;
    QString m_path;    // ~600 records
    QString m_bigPath; // > 1,000 records
    QString m_namesPath;
};

void TestLaptopWalk::initTestCase()
{
    laptopwalk::Logs logs;
    laptopwalk::setUp(m_dir, logs);
    if (QTest::currentTestFailed()) return;
    m_path = logs.path;
    m_bigPath = logs.bigPath;
    m_namesPath = m_dir.filePath(QStringLiteral("describe-transit-gateway-attachments.json"));
    QFile n(m_namesPath);
    QVERIFY(n.open(QIODevice::WriteOnly));
    n.write(namesJson());
}

void TestLaptopWalk::cleanup()
{
    laptopwalk::tearDown(m_window);
}

void TestLaptopWalk::start(const QSize& size, const QString& path)
{
    laptopwalk::start(m_window, size, path);
}

void TestLaptopWalk::pageToolBarsOverflow_data()
{
    QTest::addColumn<QString>("page");
    QTest::addColumn<int>("width");
    for (const char* page : {"dropsPage", "sqlPage", "attachmentsPage"})
        for (int width : {160, 240, 360})
            QTest::newRow(qPrintable(QStringLiteral("%1 at %2 px").arg(QLatin1String(page)).arg(width)))
                << QString::fromLatin1(page) << width;
}

// A narrow (floating) dock: the page never scrolls sideways, and a tool bar action that does
// not fit is in the » menu.
void TestLaptopWalk::pageToolBarsOverflow()
{
    QFETCH(QString, page);
    QFETCH(int, width);
    start(QSize(1024, 700), m_path);
    QDockWidget* dock = pageDock(m_window.get(), page);
    QVERIFY(dock);
    dock->setFloating(true);
    dock->show();
    dock->resize(width, 400);
    QTRY_COMPARE(dock->width(), width);
    auto* scroll = qobject_cast<QScrollArea*>(dock->widget());
    QVERIFY(scroll);
    QWidget* content = dockContent(dock);
    QTRY_VERIFY2(!scroll->horizontalScrollBar()->isVisible() && content->width() <= scroll->viewport()->width(),
                 qPrintable(QStringLiteral("page %1 px wide in a %2 px viewport (minimum %3)")
                                .arg(content->width())
                                .arg(scroll->viewport()->width())
                                .arg(content->minimumSizeHint().width())));
    // To look at it: LAPTOPWALK_SHOTS=<dir> saves each narrow dock as a PNG there.
    if (const QString shots = qEnvironmentVariable("LAPTOPWALK_SHOTS"); !shots.isEmpty())
        dock->grab().save(QStringLiteral("%1/%2-%3.png").arg(shots, page).arg(width));
    const QList<QToolBar*> bars = content->findChildren<QToolBar*>();
    QCOMPARE(bars.size(), 1);
    QToolBar* bar = bars.first();
    QVERIFY(bar->width() <= scroll->viewport()->width());
    auto* more = bar->findChild<QToolButton*>(QStringLiteral("qt_toolbar_ext_button"));
    QStringList hidden;
    for (QAction* a : bar->actions()) {
        if (a->isSeparator() || !a->isVisible() || a->text().isEmpty()) continue;
        QWidget* w = bar->widgetForAction(a);
        const bool onBar = w && w->isVisible() && bar->rect().contains(w->geometry());
        if (!onBar) hidden << a->text();
    }
    // Controls (combo boxes, tabs, slider, find field, menu buttons) the bar could not show: Qt's
    // » menu does not list them, so the bar's Settings menu must (entries named like the control).
    const auto controlsOffTheBar = [bar]() {
        QStringList out;
        for (QAction* a : bar->actions()) {
            QWidget* w = qobject_cast<QWidgetAction*>(a) ? bar->widgetForAction(a) : nullptr; // plain actions: above
            if (!w || !a->isVisible() || qobject_cast<QLabel*>(w) || qobject_cast<QProgressBar*>(w)) continue;
            if (w->sizePolicy().horizontalPolicy() == QSizePolicy::Expanding && w->metaObject() == &QWidget::staticMetaObject)
                continue; // the spacer
            if (!(w->isVisible() && bar->rect().contains(w->geometry()))) out << w->objectName();
        }
        return out;
    };
    const QStringList hiddenControls = controlsOffTheBar();
    if (hidden.isEmpty() && hiddenControls.isEmpty()) return;
    // What is not on the bar is in its » menu.
    QVERIFY2(more && more->isVisible() && bar->rect().contains(more->geometry()), qPrintable(hidden.join(QLatin1String(", "))));
    QVERIFY(more->menu());
    QStringList inMenu;
    for (QAction* a : more->menu()->actions()) inMenu << a->text();
    for (const QString& h : hidden) QVERIFY2(inMenu.contains(h), qPrintable(h + QStringLiteral(" not in the » menu")));
    if (hiddenControls.isEmpty()) return;
    QVERIFY2(!hiddenControls.contains(QString()), qPrintable(hiddenControls.join(QLatin1String(", "))));
    QAction* settings = bar->findChild<QAction*>(QStringLiteral("graphSettings"));
    QVERIFY2(settings && settings->menu(),
             qPrintable(hiddenControls.join(QLatin1String(", ")) + QStringLiteral(": no settings menu")));
    // Shown once the bar's layout found controls it cannot fit (rechecked after each layout).
    QTRY_VERIFY(settings->isVisible());
    QWidget* settingsButton = bar->widgetForAction(settings);
    QTRY_VERIFY((settingsButton && settingsButton->isVisible() && bar->rect().contains(settingsButton->geometry()))
                || more->menu()->actions().contains(settings));
    QMenu* menu = settings->menu();
    // The bar lays itself out again when the Settings button appears (it takes room), so what is off
    // the bar is read again with the menu, until the two agree.
    QStringList entries;
    const auto missing = [&]() {
        Q_EMIT menu->aboutToShow();
        entries.clear();
        for (QAction* a : menu->actions())
            if (a->isVisible() && a->isEnabled()) entries << a->objectName();
        QStringList out;
        for (const QString& c : controlsOffTheBar())
            if (!entries.contains(c)) out << c;
        return out;
    };
    QTRY_VERIFY2(missing().isEmpty(), qPrintable(missing().join(QLatin1String(", "))
                                                 + QStringLiteral(": neither on the bar nor in its Settings menu")));
    // An entry works: pick the second item of a hidden combo box through its submenu.
    QComboBox* picked = nullptr;
    for (QAction* a : menu->actions()) {
        auto* box = bar->findChild<QComboBox*>(a->objectName());
        if (!box || !a->menu() || box->count() < 2 || box->currentIndex() == 1) continue;
        a->menu()->actions().at(1)->trigger();
        picked = box;
        break;
    }
    QVERIFY2(picked, qPrintable(entries.join(QLatin1String(", ")) + QStringLiteral(": no combo box entry")));
    QCOMPARE(picked->currentIndex(), 1);
}

void TestLaptopWalk::settingsOnlyWhatIsHidden_data()
{
    QTest::addColumn<int>("width");
    QTest::addColumn<bool>("matrix");
    for (bool matrix : {false, true})
        for (int width : {240, 360, 700, 1900})
            QTest::newRow(qPrintable(QStringLiteral("%1 at %2 px").arg(matrix ? "matrix" : "graph").arg(width)))
                << width << matrix;
}

// The Attachments Settings menu does not repeat what is on the bar: it lists exactly the
// controls the bar could not fit, and the button is there only when there are some (a wide
// dock shows none).
void TestLaptopWalk::settingsOnlyWhatIsHidden()
{
    QFETCH(int, width);
    QFETCH(bool, matrix);
    start(QSize(1366, 768), m_path);
    QDockWidget* dock = pageDock(m_window.get(), QStringLiteral("attachmentsPage"));
    QVERIFY(dock);
    dock->setFloating(true);
    dock->show();
    dock->resize(width, 400);
    QTRY_COMPARE(dock->width(), width);
    QToolBar* bar = dockContent(dock)->findChild<QToolBar*>();
    QVERIFY(bar);
    auto* tabs = bar->findChild<QTabBar*>();
    QVERIFY(tabs);
    tabs->setCurrentIndex(matrix ? 1 : 0);
    QAction* settings = bar->findChild<QAction*>(QStringLiteral("graphSettings"));
    QVERIFY(settings && settings->menu());
    // The controls off the bar, once its layout settled (it runs after the resize).
    const auto offBar = [bar]() {
        QStringList off;
        for (QAction* a : bar->actions()) {
            QWidget* w = qobject_cast<QWidgetAction*>(a) ? bar->widgetForAction(a) : nullptr;
            if (!w || !a->isVisible() || w->objectName().isEmpty() || qobject_cast<QLabel*>(w)) continue;
            if (!(w->isVisible() && bar->rect().contains(w->geometry()))) off << w->objectName();
        }
        return off;
    };
    // A wide dock: once the bar has laid out the controls of the mode, all of them are in sight.
    if (width >= 1900) QTRY_VERIFY2(offBar().isEmpty(), qPrintable(offBar().join(QLatin1String(", "))));
    QTRY_COMPARE(settings->isVisible(), !offBar().isEmpty());
    const QStringList off = offBar();
    if (width <= 360) QVERIFY(!off.isEmpty());
    Q_EMIT settings->menu()->aboutToShow();
    QStringList entries;
    for (QAction* a : settings->menu()->actions())
        if (a->isVisible()) entries << a->objectName();
    entries.sort();
    QStringList expected = off;
    expected.sort();
    QCOMPARE(entries, expected);
}

void TestLaptopWalk::statusBarNeverOverlaps_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("1024x700") << QSize(1024, 700);
    QTest::newRow("1366x768") << QSize(1366, 768);
}

void TestLaptopWalk::statusBarNeverOverlaps()
{
    QFETCH(QSize, size);
    start(size, m_bigPath);
    auto* bar = qobject_cast<StatusBar*>(m_window->statusBar());
    QVERIFY(bar);
    // A load summary as the message (it is one after a load; shown again so the test does not
    // race its timeout).
    bar->showMessage(QStringLiteral("576 file(s): 103,085 records loaded, 1 lines rejected, in 3.1 s. 38 names read "
                                    "from 5 AWS CLI JSON files."));
    QTRY_VERIFY2(overlaps(bar).isEmpty(), qPrintable(overlaps(bar)));
    QVERIFY2(overlaps(m_window->statusSummary()).isEmpty(), qPrintable(overlaps(m_window->statusSummary())));
    const QRect area = bar->messageArea();
    for (QWidget* w : bar->findChildren<QWidget*>(Qt::FindDirectChildrenOnly)) {
        if (!w->isVisible() || w->isWindow()) continue;
        QVERIFY2(
            !area.intersects(w->geometry().adjusted(-StatusBar::kGap + 1, 0, 0, 0)),
            qPrintable(QStringLiteral("message %1 runs into %2 at %3")
                           .arg(QVariant(area).toString(), w->metaObject()->className(), QVariant(w->geometry()).toString())));
    }
    const QString shown = bar->shownMessage();
    QVERIFY(!shown.isEmpty());
    QVERIFY2(bar->fontMetrics().horizontalAdvance(shown) <= area.width(), qPrintable(shown));
}

void TestLaptopWalk::longMessageIsElided()
{
    start(QSize(1024, 700), m_path);
    auto* bar = qobject_cast<StatusBar*>(m_window->statusBar());
    QVERIFY(bar);
    const QString message =
        QStringLiteral("A very long message ") + QString(60, QLatin1Char('x')) + QStringLiteral(" that ends here");
    bar->showMessage(message);
    const QString shown = bar->shownMessage();
    QVERIFY2(shown.endsWith(QChar(0x2026)), qPrintable(shown));
    QVERIFY(bar->fontMetrics().horizontalAdvance(shown) <= bar->messageArea().width());
    QVERIFY(bar->messageArea().right() < m_window->statusSummary()->geometry().left());
    // The full text is the tooltip.
    QHelpEvent help(QEvent::ToolTip, bar->messageArea().center(), bar->mapToGlobal(bar->messageArea().center()));
    QApplication::sendEvent(bar, &help);
    QTRY_COMPARE(QToolTip::text(), message);
    QToolTip::hideText();
}

// The compact 1366x768 layout leaves the graph a real share (it was a ~180 px strip): at least
// 2/3 of the width and 220 px of height, with the table still showing its ten rows.
void TestLaptopWalk::compactGraphHasRoom()
{
    start(QSize(1366, 768), m_path);
    QVERIFY(m_window->compactLayout());
    QDockWidget* dock = pageDock(m_window.get(), QStringLiteral("attachmentsPage"));
    QVERIFY(dock);
    QTRY_VERIFY(!dock->visibleRegion().isEmpty());
    auto* graph = dockContent(dock)->findChild<GraphView*>();
    QVERIFY(graph);
    QTRY_VERIFY(graph->isVisible());
    qInfo("graph at 1366x768: %dx%d, table %d rows", graph->width(), graph->height(),
          m_window->recordView()->viewport()->height() / m_window->recordView()->verticalHeader()->defaultSectionSize());
    QVERIFY2(graph->width() >= 1366 * 2 / 3 - 20 && graph->height() >= 220,
             qPrintable(QStringLiteral("%1x%2").arg(graph->width()).arg(graph->height())));
    QVERIFY(m_window->recordView()->viewport()->height() / m_window->recordView()->verticalHeader()->defaultSectionSize()
            >= RecordView::kMinVisibleRows);
}

void TestLaptopWalk::followFlowKeepsTheDistinctEnd()
{
    start(QSize(1366, 768), m_path);
    m_window->session()->setNameDisplay(NameDisplay::Name);
    QCOMPARE(m_window->loadNames({m_namesPath}), 1);
    QDockWidget* dock = pageDock(m_window.get(), QStringLiteral("flowPathPage"));
    QVERIFY(dock);
    dock->show();
    dock->raise();
    auto* page = qobject_cast<FlowPathPage*>(dockContent(dock));
    QVERIFY(page);
    auto* canvas = dynamic_cast<FlowPathCanvas*>(page->canvas());
    QVERIFY(canvas);
    // Records go A -> B and back: show records until both long names are in node boxes.
    QMap<QString, QString> shownFor; // full name -> as drawn
    for (qint64 id = 1; id <= 40 && shownFor.size() < 2; ++id) {
        m_window->session()->setCurrentRecord(id);
        QTRY_COMPARE(page->recordId().get(), id);
        QTRY_VERIFY(!page->boxes().empty());
        for (const FlowPathBox& b : page->boxes()) {
            if (b.kind != FlowPathBox::Kind::Node) continue;
            const QStringList shown = canvas->shownLines(b);
            for (int i = 0; i < b.lines.size(); ++i)
                if (b.lines[i] == kLongA || b.lines[i] == kLongB) {
                    shownFor[b.lines[i]] = shown[i];
                    QVERIFY2(b.toolTip.contains(b.lines[i]), qPrintable(b.toolTip)); // the full name
                }
        }
    }
    QCOMPARE(shownFor.size(), 2);
    for (const QString& full : {kLongA, kLongB}) {
        const QString shown = shownFor.value(full);
        QVERIFY2(shown != full && shown.contains(QChar(0x2026)), qPrintable(shown)); // too long for a box: elided
        QVERIFY2(shown.startsWith(QStringLiteral("Transit")), qPrintable(shown));    // in the middle
        QVERIFY2(shown.endsWith(full.right(5)), qPrintable(shown));                  // "VPC A" / "VPC B"
    }
    QVERIFY(shownFor.value(kLongA) != shownFor.value(kLongB));
}

void TestLaptopWalk::followFlowScrollsOnce_data()
{
    QTest::addColumn<QSize>("dockSize"); // empty: docked as the window lays it out
    QTest::newRow("docked at 1366x768") << QSize();
    QTest::newRow("floating 260x160") << QSize(260, 160);
    QTest::newRow("floating 160x300") << QSize(160, 300);
}

// Follow Flow's view scrolls by itself: the dock adds no second scroll level around it (no
// ancestor scroll area shows a bar), the view's own bars do the scrolling, and the page does
// not force the dock larger than asked.
void TestLaptopWalk::followFlowScrollsOnce()
{
    QFETCH(QSize, dockSize);
    start(QSize(1366, 768), m_path);
    QDockWidget* dock = pageDock(m_window.get(), QStringLiteral("flowPathPage"));
    QVERIFY(dock);
    dock->show();
    dock->raise();
    if (dockSize.isValid()) {
        dock->setFloating(true);
        dock->show();
        dock->resize(dockSize);
        QTRY_COMPARE(dock->size(), dockSize);
    }
    auto* page = qobject_cast<FlowPathPage*>(dockContent(dock));
    QVERIFY(page);
    m_window->session()->setCurrentRecord(1);
    QTRY_COMPARE(page->recordId().get(), qint64(1));
    QTRY_VERIFY(!page->boxes().empty());
    QTRY_VERIFY(page->canvas()->isVisible());
    auto* own = qobject_cast<QScrollArea*>(page->canvas()->parentWidget()->parentWidget());
    QVERIFY(own);
    for (QWidget* w = page->parentWidget(); w; w = w->parentWidget()) {
        auto* outer = qobject_cast<QScrollArea*>(w);
        if (!outer) continue;
        QVERIFY2(!outer->verticalScrollBar()->isVisible() && !outer->horizontalScrollBar()->isVisible(),
                 qPrintable(QStringLiteral("an outer scroll area (%1) scrolls the page").arg(outer->objectName())));
    }
    if (dockSize.isValid()) {
        QCOMPARE(dock->size(), dockSize); // the page's minimum does not grow the dock
        // The drawing is larger than this dock: the view's own bar scrolls it.
        QTRY_VERIFY2(own->verticalScrollBar()->isVisible() || own->horizontalScrollBar()->isVisible(),
                     qPrintable(QVariant(page->canvas()->size()).toString()));
        QVERIFY(page->geometry().bottom() < dock->height() && page->geometry().right() < dock->width());
    }
}

// The texts that hold counts: status bar (message and summary), filter bar, load report, the
// Drops and Attachments pages' status lines, an SQL result and its status.

QTEST_MAIN(TestLaptopWalk)
#include "tst_laptopwalk.moc"
