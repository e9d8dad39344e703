#include "ui/shell/mainwindow.h"

#include "core/ingest/ingest.h"
#include "ui/graph/attachmentspage.h"
#include "ui/io/exportcontroller.h"
#include "ui/io/loadreportdialog.h"
#include "ui/io/namesloader.h"
#include "ui/logic/session.h"
#include "ui/pages/dropspage.h"
#include "ui/pages/flowpathpage.h"
#include "ui/pages/sqlpage.h"
#include "ui/remote/remoteactions.h"
#include "ui/shell/aboutdialog.h"
#include "ui/shell/docklayout.h"
#include "ui/shell/filterbar.h"
#include "ui/shell/filterreference.h"
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
#include <QApplication>
#include <QCloseEvent>
#include <QCoreApplication>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QVBoxLayout>

// The .qrc is compiled into the flowlog_ui static library: register it explicitly
// (Q_INIT_RESOURCE must be used outside any namespace).
static void initFlowlogResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace ui {

namespace {

constexpr int kMaxRecent = 10;
const QString kRecentKey = QStringLiteral("recent/paths");
const QString kRecentNamesKey = QStringLiteral("recent/namesFor"); ///< opened path -> names files loaded with it

QIcon themed(const char* name, QStyle::StandardPixmap fallback)
{
    return QIcon::fromTheme(QString::fromLatin1(name), QApplication::style()->standardIcon(fallback));
}

} // namespace

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

    connect(m_view, &RecordView::currentRecordChanged, m_details, &DetailsPane::showRecord);
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

void MainWindow::createActions()
{
    auto make = [this](const QString& key, const QString& text, const QKeySequence& shortcut, const QIcon& icon,
                       const QString& tip, auto slot) {
        auto* a = new QAction(icon, text, this);
        a->setObjectName(key);
        if (!shortcut.isEmpty()) a->setShortcut(shortcut);
        a->setStatusTip(tip);
        connect(a, &QAction::triggered, this, slot);
        m_actions.insert(key, a);
        return a;
    };
    using Mode = LoadController::Mode;
    make(QStringLiteral("open"), tr("&Open Files…"), QKeySequence::Open, themed("document-open", QStyle::SP_DialogOpenButton),
         tr("Open flow log files (replaces the current session)"), [this]() { openFilesDialog(Mode::Replace); });
    make(QStringLiteral("openFolder"), tr("Open &Folder…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O),
         themed("folder-open", QStyle::SP_DirOpenIcon), tr("Open every log file in a folder tree (replaces the session)"),
         [this]() { openFolderDialog(Mode::Replace); });
    make(QStringLiteral("addFiles"), tr("&Add Files to Session…"), QKeySequence(), QIcon(),
         tr("Load more files into the current session"), [this]() { openFilesDialog(Mode::Add); });
    make(QStringLiteral("addFolder"), tr("Add Fol&der to Session…"), QKeySequence(), QIcon(),
         tr("Load a folder tree into the current session"), [this]() { openFolderDialog(Mode::Add); });
    make(QStringLiteral("format"), tr("Log &Format for Headerless Files…"), QKeySequence(), QIcon(),
         tr("Give the format string of headerless custom-format logs"), &MainWindow::editCustomFormat);
    make(QStringLiteral("export"), tr("&Export View as CSV…"), QKeySequence(Qt::CTRL | Qt::Key_E),
         themed("document-save-as", QStyle::SP_DialogSaveButton), tr("Write the rows of the current view to a CSV file"),
         [this]() { m_export->exportInteractive(m_view->visibleColumns(), m_model->sortKeys(), m_model->rowCount()); });
    make(QStringLiteral("report"), tr("Load &Report…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), QIcon(),
         tr("Files, formats and rejected lines of the loaded session"), &MainWindow::showLoadReport);
    make(QStringLiteral("names"), tr("Load AWS Resource &Names…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N), QIcon(),
         tr("Read Name tags from 'aws ec2 describe-…' JSON output"), [this]() {
             const QStringList files = QFileDialog::getOpenFileNames(this, tr("Load AWS Resource Names"), QString(),
                                                                     tr("AWS CLI JSON (*.json);;All files (*)"));
             if (!files.isEmpty()) loadNames(files);
         });
    make(QStringLiteral("close"), tr("&Close Session"), QKeySequence::Close, themed("window-close", QStyle::SP_DialogCloseButton),
         tr("Unload all files"), &MainWindow::closeSession);
    make(QStringLiteral("quit"), tr("&Quit"), QKeySequence::Quit, QIcon(), tr("Quit Flowlog Explorer"), &QWidget::close);
    make(QStringLiteral("focusFilter"), tr("&Filter…"), QKeySequence(Qt::CTRL | Qt::Key_L), QIcon(),
         tr("Edit the display filter"), [this]() { m_filterBar->focusFilter(); });
    make(QStringLiteral("clearFilter"), tr("C&lear Filter"), QKeySequence(), QIcon(), tr("Show every record"),
         [this]() { m_filterBar->clear(); });
    make(QStringLiteral("twin"), tr("Go to &Twin Record"), QKeySequence(Qt::CTRL | Qt::Key_T), QIcon(),
         tr("Select the same TGW flow logged at the other attachment"), &MainWindow::goToTwin);
    make(QStringLiteral("demo"), tr("Open &Demo Data"), QKeySequence(), QIcon(), tr("Open the bundled demo flow logs"),
         &MainWindow::openDemo);
    make(QStringLiteral("filterHelp"), tr("Filter &Syntax"), QKeySequence::HelpContents, QIcon(), tr("How to write filters"),
         &MainWindow::showFilterHelp);
    make(QStringLiteral("about"), tr("&About Flowlog Explorer"), QKeySequence(), QIcon(), QString(), &MainWindow::showAbout);
    make(QStringLiteral("aboutQt"), tr("About &Qt"), QKeySequence(), QIcon(), QString(), &QApplication::aboutQt);
    make(QStringLiteral("fullScreen"), tr("F&ull Screen"), QKeySequence::FullScreen, QIcon(), QString(),
         [this]() { setWindowState(windowState() ^ Qt::WindowFullScreen); });
    m_actions.insert(QStringLiteral("back"), m_filterBar->backAction());
    addAction(m_filterBar->backAction());
}

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

void MainWindow::createMenus()
{
    auto a = [this](const char* key) { return m_actions.value(QString::fromLatin1(key)); };
    m_fileMenu = menuBar()->addMenu(tr("&File"));
    m_fileMenu->addActions({a("open"), a("openFolder")});
    m_recentMenu = m_fileMenu->addMenu(tr("Open &Recent"));
    m_fileMenu->addSeparator();
    m_fileMenu->addActions({a("addFiles"), a("addFolder"), a("format")});
    m_fileMenu->addSeparator();
    m_fileMenu->addActions({a("names"), a("export"), a("report")});
    m_fileMenu->addSeparator();
    m_fileMenu->addActions({a("close"), a("quit")});

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_view->copyAction());
    edit->addSeparator();
    edit->addActions({a("focusFilter"), a("clearFilter"), a("back")});
    edit->addSeparator();
    edit->addAction(a("twin"));

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewOptions->addMenus(m_viewMenu);
    m_theme->addMenu(m_viewMenu);
    QMenu* columns = m_viewMenu->addMenu(tr("&Columns"));
    for (const QString& preset : ColumnPresets::names())
        columns->addAction(preset, this, [this, preset]() { m_view->applyPreset(preset); });
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_detailsDock->toggleViewAction());
    m_pagesMenu = m_viewMenu->addMenu(tr("Analysis &Pages"));
    m_pagesMenu->menuAction()->setVisible(false);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(a("fullScreen"));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addActions({a("filterHelp"), a("demo")});
    help->addSeparator();
    help->addActions({a("about"), a("aboutQt")});

    m_toolBar = addToolBar(tr("Main Toolbar"));
    m_toolBar->setObjectName(QStringLiteral("mainToolBar"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->addActions({a("open"), a("openFolder"), a("export")});
    m_toolBar->addSeparator();
    m_viewOptions->addToolBarWidgets(m_toolBar);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_detailsDock->toggleViewAction());
    m_viewMenu->insertAction(m_detailsDock->toggleViewAction(), m_toolBar->toggleViewAction());
    rebuildRecentMenu();
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

bool MainWindow::openPaths(const QStringList& paths, LoadController::Mode mode)
{
    if (paths.isEmpty()) return false;
    if (paths.size() == 1 && SessionController::isSessionFile(paths.front())) { // a .flowlog: opened, never parsed
        if (!m_sessionFile->open(paths.front())) return false;
        addRecent({QFileInfo(paths.front()).absoluteFilePath()});
        return true;
    }
    if (m_load->isRunning()) {
        statusBar()->showMessage(tr("A load is already running; cancel it first."), 5000);
        return false;
    }
    QStringList missing;
    for (const QString& p : paths)
        if (!QFileInfo::exists(p)) missing << QDir::toNativeSeparators(p);
    if (!missing.isEmpty()) {
        auto* box =
            new QMessageBox(QMessageBox::Warning, tr("Cannot open"),
                            tr("These paths do not exist:\n%1").arg(missing.join(QLatin1Char('\n'))), QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        if (missing.size() == paths.size()) return false;
    }
    QStringList existing;
    for (const QString& p : paths)
        if (QFileInfo::exists(p)) existing << QFileInfo(p).absoluteFilePath();
    if (allNamesJson(existing)) return loadNames(existing) > 0; // names only: keep the session
    if (!m_load->start(existing, mode)) return false;
    m_loadingPaths = existing;
    addRecent(existing);
    return true;
}

QString MainWindow::findDemoDirectory()
{
    auto usable = [](const QString& dir) {
        const QDir d(dir);
        return !dir.isEmpty() && d.exists() && !d.entryList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot).isEmpty();
    };
    const QString env = qEnvironmentVariable("FLOWLOG_DEMO_DIR");
    if (usable(env)) return QDir(env).absolutePath();
    const QString appDir = QCoreApplication::applicationDirPath();
    const QString installed = QDir(appDir).filePath(QStringLiteral("../share/flowlog-explorer/demo"));
    if (usable(installed)) return QDir(installed).absolutePath();
    QDir dir(appDir);
    for (int up = 0; up < 8; ++up) {
        const QString candidate = dir.filePath(QStringLiteral("resources/demo"));
        if (usable(candidate)) return QDir(candidate).absolutePath();
        if (!dir.cdUp()) break;
    }
    return {};
}

bool MainWindow::openDemo()
{
    const QString dir = findDemoDirectory();
    if (dir.isEmpty()) {
        auto* box = new QMessageBox(
            QMessageBox::Warning, tr("Demo data not found"),
            tr("The demo flow logs were not found. Set FLOWLOG_DEMO_DIR to the resources/demo "
               "folder of the source tree, or install them under %1.")
                .arg(QDir::toNativeSeparators(QDir(QCoreApplication::applicationDirPath())
                                                  .absoluteFilePath(QStringLiteral("../share/flowlog-explorer/demo")))),
            QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return false;
    }
    // The demo holds the logs (AWSLogs/) and AWS CLI JSON (names/): the loader reads both.
    return openPaths({dir}, LoadController::Mode::Replace);
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

void MainWindow::setCustomFormat(const QString& format)
{
    m_load->setFormat(format);
    QSettings().setValue(QStringLiteral("load/format"), m_load->format());
}

void MainWindow::editCustomFormat()
{
    bool ok = false;
    const QString text = QInputDialog::getMultiLineText(
        this, tr("Log Format for Headerless Files"),
        tr("Files without a header line are read with this format (the LogFormat of `aws ec2 "
           "describe-flow-logs`, e.g. ${version} ${vpc-id} ${srcaddr} ...).\nLeave empty to detect the "
           "Transit Gateway and VPC default formats automatically."),
        m_load->format(), &ok);
    if (!ok) return;
    if (!text.trimmed().isEmpty()) {
        const auto parsed = core::parseFormatString(text);
        if (!parsed.ok()) {
            QMessageBox::warning(this, tr("Invalid format"),
                                 tr("The format string is not valid: %1").arg(parsed.error().toString()));
            return;
        }
    }
    setCustomFormat(text);
    statusBar()->showMessage(text.trimmed().isEmpty() ? tr("Headerless files: format detected automatically.")
                                                      : tr("Headerless files will be read with the custom format."),
                             5000);
}

void MainWindow::openFilesDialog(LoadController::Mode mode)
{
    QSettings settings;
    const QStringList files = QFileDialog::getOpenFileNames(
        this, mode == LoadController::Mode::Add ? tr("Add Flow Log Files") : tr("Open Flow Log Files"),
        settings.value(QStringLiteral("load/lastDir"), QDir::homePath()).toString(),
        tr("Flow logs and sessions (*.log *.gz *.txt *.json *.csv *.parquet *.flowlog);;All files (*)"));
    if (files.isEmpty()) return;
    settings.setValue(QStringLiteral("load/lastDir"), QFileInfo(files.first()).absolutePath());
    openPaths(files, mode);
}

void MainWindow::openFolderDialog(LoadController::Mode mode)
{
    QSettings settings;
    const QString dir = QFileDialog::getExistingDirectory(
        this, tr("Open Folder of Flow Logs"), settings.value(QStringLiteral("load/lastDir"), QDir::homePath()).toString());
    if (dir.isEmpty()) return;
    settings.setValue(QStringLiteral("load/lastDir"), dir);
    openPaths({dir}, mode);
}

int MainWindow::loadNames(const QStringList& files)
{
    std::vector<core::NamesFileReport> applied;
    const int n = loadNamesFiles(m_session, files, this, &applied);
    addNamesFiles(applied);
    QStringList paths;
    for (const auto& a : applied) paths << a.path;
    if (!paths.isEmpty()) {
        addRecent(paths);
        rememberNamesOfSession();
    }
    return n;
}

void MainWindow::addNamesFiles(const std::vector<core::NamesFileReport>& files)
{
    for (const core::NamesFileReport& f : files) {
        const QString path = QFileInfo(f.path).absoluteFilePath();
        auto same = [&path](const core::NamesFileReport& o) { return QFileInfo(o.path).absoluteFilePath() == path; };
        m_namesFiles.erase(std::remove_if(m_namesFiles.begin(), m_namesFiles.end(), same), m_namesFiles.end());
        m_namesFiles.push_back(f);
    }
    if (m_reportDialog && m_reportDialog->isVisible()) showLoadReport();
    updateCounts();
}

void MainWindow::rememberNamesOfSession()
{
    // Names files loaded on their own (not found inside the opened folders) are remembered per
    // opened path, so File > Open Recent brings the names back with the logs.
    QStringList names;
    for (const core::NamesFileReport& f : m_namesFiles) {
        const QString path = QFileInfo(f.path).absoluteFilePath();
        const bool inside = std::any_of(m_sessionPaths.begin(), m_sessionPaths.end(), [&path](const QString& p) {
            return path == p || path.startsWith(QDir(p).absolutePath() + QLatin1Char('/'));
        });
        if (!inside) names << path;
    }
    QSettings settings;
    QVariantMap map = settings.value(kRecentNamesKey).toMap();
    for (const QString& p : m_sessionPaths) {
        if (names.isEmpty()) map.remove(p);
        else map.insert(p, names);
    }
    settings.setValue(kRecentNamesKey, map);
}

void MainWindow::onLoadFinished(const core::LoadReport& report, LoadController::Mode mode)
{
    mergeNames(m_session, report.names);
    const bool loaded = report.outcome != core::Outcome::Cancelled && report.outcome != core::Outcome::Failed;
    if (loaded && mode == LoadController::Mode::Replace) m_sessionPaths = m_loadingPaths;
    else if (loaded) m_sessionPaths += m_loadingPaths;
    m_loadingPaths.clear();
    addNamesFiles(report.namesFiles);
    if (loaded) {
        // The names files that went with these logs last time (File > Open Recent).
        const QVariantMap map = QSettings().value(kRecentNamesKey).toMap();
        QStringList remembered;
        for (const QString& p : m_sessionPaths)
            for (const QString& n : map.value(p).toStringList())
                if (QFileInfo::exists(n) && !remembered.contains(n)) remembered << n;
        for (const core::NamesFileReport& f : m_namesFiles) remembered.removeAll(QFileInfo(f.path).absoluteFilePath());
        if (!remembered.isEmpty()) {
            std::vector<core::NamesFileReport> applied;
            loadNamesFiles(m_session, remembered, this, &applied);
            addNamesFiles(applied);
        }
    }
    const QString summary = LoadReportDialog::summary(report);
    statusBar()->showMessage(summary.section(QLatin1Char('\n'), 0, 0), 15000);
    if (report.outcome == core::Outcome::Cancelled) {
        statusBar()->showMessage(mode == LoadController::Mode::Replace
                                     ? tr("Loading cancelled; the previous session is unchanged.")
                                     : tr("Loading cancelled."),
                                 10000);
    } else if (!report.errors.isEmpty() || report.outcome == core::Outcome::Failed) {
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Problems while loading"),
                                    report.outcome == core::Outcome::Failed ? tr("Nothing could be loaded.")
                                                                            : tr("Some files could not be loaded."),
                                    QMessageBox::Ok, this);
        box->setInformativeText(report.errors.mid(0, 8).join(QLatin1Char('\n')));
        box->setDetailedText(report.errors.join(QLatin1Char('\n')));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
    const auto files = m_session->store()->files();
    setWindowTitle(files.empty() ? tr("Flowlog Explorer")
                                 : tr("%1 — Flowlog Explorer")
                                       .arg(files.size() == 1 ? QFileInfo(files.front().path).fileName()
                                                              : tr("%n file(s)", nullptr, static_cast<int>(files.size()))));
    if (m_reportDialog && m_reportDialog->isVisible()) showLoadReport();
}

void MainWindow::showLoadReport()
{
    if (!m_reportDialog) m_reportDialog = new LoadReportDialog(this);
    core::LoadReport report = m_load->sessionReport();
    report.namesFiles = m_namesFiles; // every names file in effect, also those loaded on their own
    m_reportDialog->setReport(report);
    m_reportDialog->show();
    m_reportDialog->raise();
    m_reportDialog->activateWindow();
}

void MainWindow::addRecent(const QStringList& paths)
{
    QSettings settings;
    QStringList recent = settings.value(kRecentKey).toStringList();
    for (const QString& p : paths) {
        recent.removeAll(p);
        recent.prepend(p);
    }
    while (recent.size() > kMaxRecent) recent.removeLast();
    settings.setValue(kRecentKey, recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(kRecentKey).toStringList();
    int n = 0;
    for (const QString& path : recent) {
        QAction* a = m_recentMenu->addAction(QStringLiteral("&%1 %2").arg(++n % 10).arg(QDir::toNativeSeparators(path)), this,
                                             [this, path]() { openPaths({path}, LoadController::Mode::Replace); });
        a->setEnabled(QFileInfo::exists(path));
    }
    if (!recent.isEmpty()) m_recentMenu->addSeparator();
    QAction* clear = m_recentMenu->addAction(tr("&Clear Menu"), this, [this]() {
        QSettings().remove(kRecentKey);
        rebuildRecentMenu();
    });
    clear->setEnabled(!recent.isEmpty());
}

void MainWindow::closeSession()
{
    if (m_load->isRunning()) m_load->cancel();
    auto created = core::Store::create();
    if (!created.ok()) return;
    m_session->setStore(std::shared_ptr<core::Store>(std::move(created.value())));
    m_sessionPaths.clear();
    setWindowTitle(tr("Flowlog Explorer"));
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
    if (!m_view->selectRecord(id))
        statusBar()->showMessage(tr("Record %1 is not in the current view (the filter hides it).").arg(id), 8000);
}

void MainWindow::goToTwin()
{
    if (m_details->twinId() >= 0) selectRecord(m_details->twinId());
    else statusBar()->showMessage(tr("The selected record has no twin record loaded."), 5000);
}

void MainWindow::showAbout()
{
    auto* about = new AboutDialog(this);
    about->setAttribute(Qt::WA_DeleteOnClose);
    about->open();
}

void MainWindow::showFilterHelp()
{
    if (!m_filterReference) {
        m_filterReference = new FilterReference(this);
        connect(m_filterReference, &FilterReference::applyFilter, this, [this](const QString& expression) {
            m_session->setFilter(expression);
            statusBar()->showMessage(tr("Filter applied from the reference: %1").arg(expression), 5000);
        });
    }
    m_filterReference->show();
    m_filterReference->raise();
    m_filterReference->activateWindow();
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

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        for (const QUrl& url : event->mimeData()->urls())
            if (url.isLocalFile()) {
                event->acceptProposedAction();
                return;
            }
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile()) paths << url.toLocalFile();
    if (paths.isEmpty()) return;
    event->acceptProposedAction();
    if (paths.size() == 1 && SessionController::isSessionFile(paths.front())) { // no "Add": see dropSession
        m_sessionFile->dropSession(paths.front());
        return;
    }
    LoadController::Mode mode = LoadController::Mode::Replace;
    if (m_summary->records() > 0) {
        QMenu menu(this);
        QAction* replace = menu.addAction(tr("&Replace Session"));
        QAction* add = menu.addAction(tr("&Add to Session"));
        menu.addSeparator();
        menu.addAction(tr("Cancel"));
        QAction* chosen = menu.exec(mapToGlobal(event->position().toPoint()));
        if (chosen == add) mode = LoadController::Mode::Add;
        else if (chosen != replace) return;
    }
    openPaths(paths, mode);
}

} // namespace ui
