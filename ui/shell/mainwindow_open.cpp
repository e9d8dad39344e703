// MainWindow's opening of data: files, folders, the demo, AWS names files, drag and drop,
// File > Open Recent (with the names files remembered per opened path) and the outcome of a
// load (status, problems box, title). The rest of the class: mainwindow.cpp, mainwindow_actions.cpp.
#include "core/ingest/ingest.h"
#include "ui/io/loadreportdialog.h"
#include "ui/io/namesloader.h"
#include "ui/logic/session.h"
#include "ui/shell/mainwindow.h"
#include "ui/shell/sessioncontroller.h"
#include "ui/shell/statussummary.h"

#include <QCoreApplication>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>

namespace ui {

namespace {

constexpr int kMaxRecent = 10;
const QString kRecentKey = QStringLiteral("recent/paths");
const QString kRecentNamesKey = QStringLiteral("recent/namesFor"); ///< opened path -> names files loaded with it

} // namespace

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
