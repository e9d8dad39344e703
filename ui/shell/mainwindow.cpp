// MainWindow, split by responsibility (one class, three files): this file builds the window
// (central table, docks, analysis pages, signal wiring) and keeps its settings and counts;
// mainwindow_actions.cpp: the actions, menus and toolbar, Help dialogs; mainwindow_open.cpp:
// opening files, folders, the demo, names files, drops, Open Recent and the load's outcome.
#include "ui/shell/mainwindow.h"

#include "ui/graph/attachmentspage.h"
#include "ui/io/exportcontroller.h"
#include "ui/logic/session.h"
#include "ui/pages/dropspage.h"
#include "ui/pages/flowpathpage.h"
#include "ui/pages/sqlpage.h"
#include "ui/remote/remoteactions.h"
#include "ui/shell/docklayout.h"
#include "ui/shell/filterbar.h"
#include "ui/shell/sessioncontroller.h"
#include "ui/shell/statusbar.h"
#include "ui/shell/statussummary.h"
#include "ui/shell/theme.h"
#include "ui/shell/viewoptions.h"
#include "ui/table/detailspane.h"
#include "ui/table/recordmodel.h"
#include "ui/table/recordview.h"
#include "ui/timeline/timelinepage.h"

#include <QAction>
#include <QCloseEvent>
#include <QDockWidget>
#include <QMenu>
#include <QMessageBox>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

// The .qrc is compiled into the flowlog_ui static library: register it explicitly
// (Q_INIT_RESOURCE must be used outside any namespace).
static void initFlowlogResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace ui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_session(new Session(this)), m_model(new RecordModel(m_session, this)),
      m_view(new RecordView(m_session, m_model, this)), m_filterBar(new FilterBar(m_session, this)),
      m_details(new DetailsPane(m_session, this)), m_load(new LoadController(m_session, this)),
      m_export(new ExportController(m_session, this)), m_summary(new StatusSummary(m_session, this)),
      m_viewOptions(new ViewOptions(m_session, this)), m_theme(new ThemeOptions(this))
{
    initFlowlogResources();
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Flowlog Explorer"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/flowlog-explorer.svg")));
    setAcceptDrops(true);
    setDockNestingEnabled(true);

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_filterBar);
    layout->addWidget(m_view, 1);
    setCentralWidget(central);

    setStatusBar(new StatusBar(this)); // its message never runs into the counts
    statusBar()->addPermanentWidget(new LoadProgressWidget(m_load, this));
    statusBar()->addPermanentWidget(m_summary);

    createActions();
    createDocks();
    createMenus();
    addAnalysisPage(new AttachmentsPage(m_session, this), tr("Attachments"), QKeySequence(Qt::CTRL | Qt::Key_1));
    addAnalysisPage(new TimelinePage(m_session, this), tr("Timeline"), QKeySequence(Qt::CTRL | Qt::Key_2));
    addAnalysisPage(new DropsPage(m_session, this), tr("Drops"), QKeySequence(Qt::CTRL | Qt::Key_3));
    auto* flowPath = new FlowPathPage(m_session, this);
    addAnalysisPage(flowPath, tr("Follow Flow"), QKeySequence(Qt::CTRL | Qt::Key_4), true);
    addAnalysisPage(new SqlPage(m_session, this), tr("SQL"), QKeySequence(Qt::CTRL | Qt::Key_5));
    connect(m_view, &RecordView::currentRecordChanged, m_session, &Session::setCurrentRecord);
    connect(flowPath, &FlowPathPage::recordRequested, this, &MainWindow::selectRecord);
    auto* remote = new RemoteActions(this, m_session, m_view, m_model); // the Remote menu (Athena, Logs Insights)
    connect(remote, &RemoteActions::statusMessage, this, [this](const QString& m) { statusBar()->showMessage(m, 5000); });
    connect(remote, &RemoteActions::openRecords, this, [this](const QString& path) { openPaths({path}); });

    connect(m_view, &RecordView::currentRecordChanged, m_details,
            [this](qint64 id) { m_details->showRecord(core::RecordId(id)); });
    connect(m_view, &RecordView::statusMessage, this, [this](const QString& m) { statusBar()->showMessage(m, 5000); });
    connect(m_details, &DetailsPane::recordRequested, this, &MainWindow::selectRecord);
    connect(m_filterBar, &FilterBar::statusMessage, this, [this](const QString& m, int timeout) {
        if (m.isEmpty()) statusBar()->clearMessage();
        else statusBar()->showMessage(m, timeout);
    });
    connect(m_model, &RecordModel::queryFailed, this, [this](const QString& m) { statusBar()->showMessage(m, 10000); });
    connect(m_model, &RecordModel::rowCountKnown, this, &MainWindow::updateCounts);
    connect(m_model, &RecordModel::firstPageReady, this, &MainWindow::updateCounts); // count may come with it
    connect(m_summary, &StatusSummary::updated, this, &MainWindow::updateCounts);
    connect(m_summary, &StatusSummary::updated, this,
            [this]() { m_view->choosePresetFor(m_summary->tgwRecords(), m_summary->vpcRecords()); });
    connect(m_summary, &StatusSummary::rejectsClicked, this, &MainWindow::showLoadReport);
    connect(m_session, &Session::filterChanged, this, &MainWindow::updateCounts);
    connect(m_session, &Session::storeChanged, this, &MainWindow::updateCounts);
    connect(m_load, &LoadController::finished, this, &MainWindow::onLoadFinished);
    connect(m_export, &ExportController::finished, this, [this](core::Outcome outcome, const QString&, const QString& message) {
        statusBar()->showMessage(message, 10000);
        if (outcome == core::Outcome::Failed) {
            auto* box = new QMessageBox(QMessageBox::Warning, tr("Export failed"), message, QMessageBox::Ok, this);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        }
    });
    m_sessionFile = new SessionController(this, m_fileMenu, m_recentMenu);
    connect(m_sessionFile, &SessionController::recentFile, this, [this](const QString& path) { addRecent({path}); });
    restoreSettings();
    updateCounts();
}

MainWindow::~MainWindow() = default;

void MainWindow::createDocks()
{
    m_detailsDock = new QDockWidget(tr("Record Details"), this);
    m_detailsDock->setObjectName(QStringLiteral("detailsDock"));
    m_detailsDock->setWidget(scrollableDockContent(m_details, m_detailsDock));
    addDockWidget(Qt::RightDockWidgetArea, m_detailsDock);
    // The details column runs the full height; the analysis pages share the width left of it.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    m_detailsDock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
}

void MainWindow::addAnalysisPage(QWidget* page, const QString& title, const QKeySequence& shortcut, bool scrollsItself)
{
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(QStringLiteral("page:") + (page->objectName().isEmpty() ? title : page->objectName()));
    // In a scroll area: a page never pushes its dock over the others or grows the window. A page
    // that scrolls itself (Follow Flow) keeps its own minimum small instead.
    if (scrollsItself) dock->setWidget(page);
    else dock->setWidget(scrollableDockContent(page, dock));
    if (m_pages.isEmpty()) addDockWidget(Qt::BottomDockWidgetArea, dock);
    else tabifyDockWidget(m_pages.last(), dock);
    m_pages << dock;
    // The page's shortcut shows it and brings its tab to the front (a plain toggle would close a
    // page that is open but tabbed behind another one); the dock's close button hides it.
    auto* show = new QAction(title, dock);
    show->setObjectName(QStringLiteral("showPage"));
    show->setShortcut(shortcut);
    show->setToolTip(tr("Show the %1 page (%2)").arg(title, shortcut.toString(QKeySequence::NativeText)));
    connect(show, &QAction::triggered, dock, [dock, page]() {
        dock->show();
        dock->raise();
        page->setFocus(Qt::ShortcutFocusReason);
    });
    addAction(show);
    m_pagesMenu->addAction(show);
    m_pagesMenu->menuAction()->setVisible(true);
    m_toolBar->addAction(show);
    // restoreDockWidget() hides docks the saved state does not know: only for pages saved before.
    if (QSettings().value(QStringLiteral("window/pages")).toStringList().contains(dock->objectName())) restoreDockWidget(dock);
    else m_pages.first()->raise(); // the first page stays in front until the user picks another
}

core::ExportRequest MainWindow::currentExportRequest(bool allColumns, bool guardFormulas) const
{
    core::ExportRequest request;
    if (!allColumns) request.columns = m_view->visibleColumns();
    request.filter = m_session->filter();
    request.sort = m_model->sortKeys();
    request.csv.guardFormulas = guardFormulas;
    return request;
}

void MainWindow::updateCounts()
{
    m_filterBar->setCounts(m_model->rowCountExact() ? m_model->rowCount() : -1, m_summary->records());
    m_actions.value(QStringLiteral("export"))->setEnabled(m_summary->records() > 0);
    // Nothing to report or close before something was loaded (or a load failed with errors).
    const bool loaded = m_session->store() && !m_session->store()->files().empty();
    const core::LoadReport& report = m_load->sessionReport();
    m_actions.value(QStringLiteral("report"))->setEnabled(loaded || !report.errors.isEmpty() || !m_namesFiles.empty());
    m_actions.value(QStringLiteral("close"))->setEnabled(loaded || m_load->isRunning());
}

void MainWindow::selectRecord(qint64 id)
{
    if (!m_view->selectRecord(core::RecordId(id)))
        statusBar()->showMessage(tr("Record %1 is not in the current view (the filter hides it).").arg(id), 8000);
}

void MainWindow::goToTwin()
{
    if (m_details->twinId().get() >= 0) selectRecord(m_details->twinId().get());
    else statusBar()->showMessage(tr("The selected record has no twin record loaded."), 5000);
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    m_theme->restore(settings);
    const bool haveGeometry = restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    m_firstStartLayout = !restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    if (!haveGeometry) {
        // First start: as large as the screen allows, up to 1500 x 900; the dock layout is
        // chosen for the size the window is shown at (showEvent).
        QSize size(1500, 900);
        if (const QScreen* s = screen()) size = size.boundedTo(s->availableGeometry().size() - QSize(16, 48));
        resize(size);
    }
    m_view->restoreSettings(settings);
    m_load->setFormat(settings.value(QStringLiteral("load/format")).toString());
    m_viewOptions->restore(settings);
}

void MainWindow::saveSettings()
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    QStringList pages;
    for (const QDockWidget* dock : m_pages) pages << dock->objectName();
    settings.setValue(QStringLiteral("window/pages"), pages);
    m_viewOptions->save(settings);
    m_theme->save(settings);
    m_view->saveSettings(settings);
}

void MainWindow::showEvent(QShowEvent* event)
{
    QMainWindow::showEvent(event);
    if (!m_firstStartLayout) return;
    m_firstStartLayout = false;
    m_compactLayout = isCompactSize(size());
    applyFirstStartLayout(this, m_detailsDock, m_pages, m_compactLayout);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!m_sessionFile->confirmClose()) {
        event->ignore();
        return;
    }
    saveSettings();
    m_load->cancel();
    m_export->cancel();
    event->accept();
}

} // namespace ui
