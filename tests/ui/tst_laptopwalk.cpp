// The rest of issue 12's walkthrough on a laptop: page tool bars overflow into » in a narrow
// dock (every action still reachable), the status-bar message never runs into the counts at
// 1024x700 and 1366x768, Follow Flow elides long names in the middle,
// counts are written the same whatever the system locale (GUI and flowlog-cli), and File >
// Export through its real dialogs writes what `flowlog-cli export` writes. Real MainWindow,
// offscreen.
#include "core/model/units.h"
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
#include "uihelpers.h"
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

#include "tests/testpaths.h"
#include <QtTest>
#include <functional>
#include <memory>
#include <optional>

using namespace ui;

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

QDockWidget* pageDock(const MainWindow* w, const QString& pageName)
{
    for (QDockWidget* d : w->pageDocks())
        if (dockContent(d)->objectName() == pageName) return d;
    return nullptr;
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

// Answers the modal dialogs of File > Export: the options dialog with its OK button, the file
// dialog with `path` (again on every tick until it holds it: its model loads in the background).
QTimer* answerExportDialogs(const QString& path)
{
    auto* timer = new QTimer(qApp);
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, path]() {
        QWidget* modal = QApplication::activeModalWidget();
        if (auto* files = qobject_cast<QFileDialog*>(modal)) {
            uitest::typeIntoFileDialog(files, path); // typed as a user would (not selectFile(): see there)
            return;
        }
        if (modal && modal->objectName() == QLatin1String("exportOptions")) {
            if (auto* box = modal->findChild<QDialogButtonBox*>()) box->button(QDialogButtonBox::Ok)->click();
        }
    });
    timer->start();
    return timer;
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
    void countsIgnoreTheSystemLocale();
    void cliCountsIgnoreTheSystemLocale();
    void exportThroughTheMenu();

private:
    void start(const QSize& size, const QString& path);
    QStringList countTexts(); // with the current default locale
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;
    QString m_path;    // ~600 records
    QString m_bigPath; // > 1,000 records: counts with a group separator
    QString m_namesPath;
};

void TestLaptopWalk::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
    QVERIFY(m_dir.isValid());
    m_path = m_dir.filePath(QStringLiteral("tgw.log"));
    QFile f(m_path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(uitest::generateTgw(300).text);
    f.close();
    m_bigPath = m_dir.filePath(QStringLiteral("big.log"));
    QFile big(m_bigPath);
    QVERIFY(big.open(QIODevice::WriteOnly));
    big.write(uitest::generateTgw(700).text);
    big.write("6 TransitGateway this line is far too short\n"); // one rejected line
    big.close();
    m_namesPath = m_dir.filePath(QStringLiteral("describe-transit-gateway-attachments.json"));
    QFile n(m_namesPath);
    QVERIFY(n.open(QIODevice::WriteOnly));
    n.write(namesJson());
}

void TestLaptopWalk::cleanup()
{
    m_window.reset();
    QSettings().clear();
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
}

void TestLaptopWalk::start(const QSize& size, const QString& path)
{
    QSettings().clear();
    m_window = std::make_unique<MainWindow>();
    m_window->resize(size);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY(m_window->openPaths({path}));
    QTRY_VERIFY(!m_window->loadController()->isRunning());
    QTRY_VERIFY(m_window->recordModel()->countKnown());
    QTRY_VERIFY(m_window->statusSummary()->records() > 0);
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
        QTRY_COMPARE(page->recordId(), id);
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
    QTRY_COMPARE(page->recordId(), qint64(1));
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
QStringList TestLaptopWalk::countTexts()
{
    QStringList out;
    QSettings().clear();
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1366, 768);
    m_window->show();
    if (!QTest::qWaitForWindowExposed(m_window.get())) return {QStringLiteral("not exposed")};
    std::optional<core::LoadReport> report;
    connect(m_window->loadController(), &LoadController::finished, this,
            [&report](const core::LoadReport& r, LoadController::Mode) { report = r; });
    m_window->openPaths({m_bigPath});
    if (!QTest::qWaitFor([&]() { return report && m_window->statusSummary()->records() > 0; }, 30000))
        return {QStringLiteral("not loaded")};
    static const QRegularExpression seconds(QStringLiteral("in [0-9.]+ s"));
    out << QStringLiteral("report: ") + LoadReportDialog::summary(*report).replace(seconds, QStringLiteral("in ? s"));
    out << QStringLiteral("message: ") + m_window->statusBar()->currentMessage().replace(seconds, QStringLiteral("in ? s"));
    for (QLabel* l : m_window->statusSummary()->findChildren<QLabel*>()) out << QStringLiteral("summary: ") + l->text();
    auto* count = m_window->filterBar()->findChild<QLabel*>(QStringLiteral("filterCount"));
    if (!QTest::qWaitFor([&]() { return !count->text().startsWith(QLatin1String("counting")); }, 10000))
        out << QStringLiteral("still counting");
    out << QStringLiteral("filter bar: ") + count->text();
    m_window->session()->setFilter(QStringLiteral("protocol == 6"));
    if (!QTest::qWaitFor([&]() { return m_window->recordModel()->countKnown() && count->text().contains(QLatin1String(" of ")); },
                         10000))
        out << QStringLiteral("filtered count not shown");
    out << QStringLiteral("filter bar, filtered: ") + count->text();
    // Each page's status line once it has been computed for the unfiltered view (the page must report an
    // update after the filter change and not be busy: the text shown before is the filtered view's). A
    // missing line is a failure (checked by the caller), not a difference between locales.
    auto* drops = qobject_cast<DropsPage*>(dockContent(pageDock(m_window.get(), QStringLiteral("dropsPage"))));
    auto* attachments = qobject_cast<AttachmentsPage*>(dockContent(pageDock(m_window.get(), QStringLiteral("attachmentsPage"))));
    if (!drops || !attachments) return {QStringLiteral("FAIL: the Drops or Attachments page is missing")};
    QSignalSpy dropsDone(drops, &DropsPage::dropsUpdated);
    QSignalSpy graphDone(attachments, &AttachmentsPage::graphUpdated);
    m_window->session()->setFilter(QString());
    struct PageCheck {
        QWidget* page;
        QString ready; // in the status line once it is computed
        const QSignalSpy* done;
        std::function<bool()> busy;
    };
    for (const PageCheck& check :
         {PageCheck{drops, QStringLiteral(" rows · "), &dropsDone, [drops]() { return drops->isBusy(); }},
          PageCheck{attachments, QStringLiteral(" flows · "), &graphDone, [attachments]() { return attachments->isBusy(); }}}) {
        const QString name = check.page->objectName();
        QDockWidget* dock = pageDock(m_window.get(), name);
        dock->show();
        dock->raise();
        const auto computed = [&]() {
            if (check.done->isEmpty() || check.busy()) return false;
            for (QLabel* l : check.page->findChildren<QLabel*>())
                if (l->text().contains(check.ready)) return true;
            return false;
        };
        if (!QTest::qWaitFor(computed, 10000)) out << QStringLiteral("FAIL: %1 has no status line").arg(name);
        for (QLabel* l : check.page->findChildren<QLabel*>())
            if (!l->text().isEmpty()) out << name + QStringLiteral(": ") + l->text();
    }
    QDockWidget* sqlDock = pageDock(m_window.get(), QStringLiteral("sqlPage"));
    auto* sql = qobject_cast<SqlPage*>(dockContent(sqlDock));
    QSignalSpy done(sql, &SqlPage::finished);
    sql->setSql(QStringLiteral("SELECT count(*), sum(bytes), avg(bytes) * 1.5 FROM flows"));
    sql->run();
    if (!done.wait(30000)) return {QStringLiteral("SQL did not finish")};
    auto* table = sql->findChild<QTableView*>(QStringLiteral("sqlResults"));
    for (int c = 0; c < table->model()->columnCount(); ++c)
        out << QStringLiteral("sql: ") + table->model()->index(0, c).data().toString();
    out << QStringLiteral("sql status: ")
               + sql->findChild<QLabel*>(QStringLiteral("sqlStatus"))->text().replace(seconds, QStringLiteral("in ? s"));
    m_window.reset();
    return out;
}

void TestLaptopWalk::countsIgnoreTheSystemLocale()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    const QStringList english = countTexts();
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    const QStringList german = countTexts();
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    for (const QStringList* texts : {&english, &german})
        for (const QString& line : *texts) QVERIFY2(!line.startsWith(QLatin1String("FAIL:")), qPrintable(line));
    QCOMPARE(german.size(), english.size());
    for (qsizetype i = 0; i < english.size(); ++i) QCOMPARE(german.at(i), english.at(i));
    // The counts are big enough to be grouped: "1,4xx records".
    QVERIFY2(english.join(QLatin1Char('\n')).contains(QRegularExpression(QStringLiteral("\\b1,\\d{3} records"))),
             qPrintable(english.join(QLatin1Char('\n'))));
}

void TestLaptopWalk::cliCountsIgnoreTheSystemLocale()
{
    // Every record is outside the window: "1,4xx records were outside the time window", and the
    // rejected line.
    auto run = [&](const QString& locale) {
        QProcess cli;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LC_ALL"), locale);
        env.insert(QStringLiteral("LANG"), locale);
        cli.setProcessEnvironment(env);
        cli.start(testpaths::cliPath(),
                  {QStringLiteral("summary"), QStringLiteral("--from"), QStringLiteral("2100-01-01T00:00:00Z"), m_bigPath});
        if (!cli.waitForFinished(60000)) return QStringList{QStringLiteral("timeout")};
        return QStringList{QString::fromUtf8(cli.readAllStandardOutput()), QString::fromUtf8(cli.readAllStandardError())};
    };
    const QStringList english = run(QStringLiteral("en_US.UTF-8"));
    const QStringList german = run(QStringLiteral("de_DE.UTF-8"));
    QCOMPARE(german, english);
    QVERIFY2(english.last().contains(QRegularExpression(QStringLiteral("\\b1,\\d{3} records were outside the time window"))),
             qPrintable(english.last()));
}

void TestLaptopWalk::exportThroughTheMenu()
{
    start(QSize(1366, 768), m_path);
    m_window->session()->setFilter(QStringLiteral("protocol == 6"));
    QTRY_VERIFY(m_window->recordModel()->countKnown());
    const core::ExportRequest request = m_window->currentExportRequest(false, true);
    const QString guiPath = m_dir.filePath(QStringLiteral("menu-export.csv"));
    const QString cliPath = m_dir.filePath(QStringLiteral("menu-export-cli.csv"));
    QFile::remove(guiPath);
    QFile::remove(cliPath);
    // File > Export View as CSV…, through the menu bar: the options dialog, then the file dialog.
    QMenu* file = nullptr;
    for (QAction* a : m_window->menuBar()->actions())
        if (a->menu() && a->text().remove(QLatin1Char('&')) == QLatin1String("File")) file = a->menu();
    QVERIFY(file);
    QAction* exportAction = nullptr;
    for (QAction* a : file->actions())
        if (a->text().startsWith(QLatin1String("&Export View as CSV"))) exportAction = a;
    QVERIFY(exportAction);
    QVERIFY(exportAction->isEnabled());
    QSignalSpy finished(m_window->exportController(), &ExportController::finished);
    std::unique_ptr<QTimer> answers(answerExportDialogs(guiPath));
    exportAction->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    answers.reset();
    QCOMPARE(finished.first().at(0).value<core::Outcome>(), core::Outcome::Ok);
    QCOMPARE(QFileInfo(finished.first().at(1).toString()).absoluteFilePath(), QFileInfo(guiPath).absoluteFilePath());

    QStringList args{QStringLiteral("export"), QStringLiteral("--filter"), request.filter};
    for (const auto& key : request.sort)
        args << QStringLiteral("--sort") << key.column + (key.descending ? QStringLiteral(":desc") : QString());
    args << QStringLiteral("--columns") << request.columns.join(QLatin1Char(',')) << QStringLiteral("-o") << cliPath << m_path;
    QProcess cli;
    cli.start(testpaths::cliPath(), args);
    QVERIFY2(cli.waitForFinished(60000), qPrintable(cli.errorString()));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
    QFile gui(guiPath), ref(cliPath);
    QVERIFY(gui.open(QIODevice::ReadOnly));
    QVERIFY(ref.open(QIODevice::ReadOnly));
    const QByteArray guiBytes = gui.readAll();
    QVERIFY(guiBytes.count('\n') >= 2);
    QCOMPARE(guiBytes, ref.readAll());
}

QTEST_MAIN(TestLaptopWalk)
#include "tst_laptopwalk.moc"
