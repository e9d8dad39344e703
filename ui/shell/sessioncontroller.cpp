#include "ui/shell/sessioncontroller.h"

#include "ui/compare/comparepage.h"
#include "ui/graph/attachmentspage.h"
#include "ui/io/loadcontroller.h"
#include "ui/logic/session.h"
#include "ui/shell/mainwindow.h"
#include "ui/table/recordmodel.h"
#include "ui/table/recordview.h"
#include "ui/timeline/timelinepage.h"

#include <QAbstractButton>
#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStatusBar>
#include <QtConcurrent/QtConcurrentRun>

namespace ui {

namespace {

/// A load report describing an opened session (its files and kept rejections).
core::LoadReport reportOf(const core::Store& store, const core::SessionData& data, qint64 records)
{
    core::LoadReport report;
    for (const core::StoredFile& f : store.files()) {
        core::FileReport r;
        r.fileId = f.id;
        r.path = f.path;
        r.format = f.format;
        r.records = f.records;
        r.rejected = f.rejected;
        r.lines = f.records + f.rejected;
        report.rejected += f.rejected;
        report.files.push_back(r);
    }
    report.records = records;
    report.rejections = data.rejections;
    return report;
}

struct OpenOutcome {
    std::shared_ptr<core::Store> store;
    core::SessionData data;
    QString error;
    double seconds = 0;
    qint64 records = 0; ///< counted by core::openSession, not on the GUI thread beside the column rebuild
};

} // namespace

SessionController::SessionController(MainWindow* window, QMenu* fileMenu, QMenu* recentMenu) : QObject(window), m_window(window)
{
    setObjectName(QStringLiteral("sessionController"));
    m_openAction = new QAction(tr("Open &Session…"), this);
    m_openAction->setObjectName(QStringLiteral("openSession"));
    m_openAction->setStatusTip(tr("Open a saved session (.flowlog): records, names and view, without re-reading the logs"));
    connect(m_openAction, &QAction::triggered, this, &SessionController::openDialog);
    m_saveAction = new QAction(tr("&Save Session"), this);
    m_saveAction->setObjectName(QStringLiteral("saveSession"));
    m_saveAction->setShortcut(QKeySequence::Save);
    m_saveAction->setStatusTip(tr("Save the session to its file"));
    connect(m_saveAction, &QAction::triggered, this, [this]() {
        if (m_path.isEmpty()) saveAsDialog();
        else save();
    });
    m_saveAsAction = new QAction(tr("Save Session &As…"), this);
    m_saveAsAction->setObjectName(QStringLiteral("saveSessionAs"));
    m_saveAsAction->setShortcut(QKeySequence::SaveAs);
    m_saveAsAction->setStatusTip(tr("Keep the records, names, rejections and the view in one .flowlog file"));
    connect(m_saveAsAction, &QAction::triggered, this, &SessionController::saveAsDialog);

    m_compare = new ComparePage(window->session(), window);
    auto* compareAction = new QAction(tr("Compare &With…"), this);
    compareAction->setObjectName(QStringLiteral("compareWith"));
    compareAction->setStatusTip(tr("Compare the current flows with a saved session, other log files or an earlier period"));
    connect(compareAction, &QAction::triggered, this, [this]() {
        if (auto* dock = qobject_cast<QDockWidget*>(m_compare->parentWidget())) {
            dock->show();
            dock->raise();
        }
        m_compare->chooseBaseline();
    });

    // After Open Recent's entry: Open Session, then Save, Save As and Compare.
    const QList<QAction*> actions = fileMenu->actions();
    const qsizetype recent = actions.indexOf(recentMenu->menuAction());
    QAction* before = recent >= 0 && recent + 1 < actions.size() ? actions[recent + 1] : nullptr;
    fileMenu->insertAction(before, m_openAction);
    fileMenu->insertSeparator(before);
    fileMenu->insertActions(before, {m_saveAction, m_saveAsAction, compareAction});
    window->addAnalysisPage(m_compare, tr("Compare"), QKeySequence(Qt::CTRL | Qt::Key_6));
    connect(m_compare, &ComparePage::comparisonChanged, this, &SessionController::showComparison);

    Session* session = window->session();
    connect(session, &Session::filterChanged, this, &SessionController::markModified);
    connect(session, &Session::timeDisplayChanged, this, &SessionController::markModified);
    connect(session, &Session::nameDisplayChanged, this, &SessionController::markModified);
    connect(session, &Session::namesChanged, this, &SessionController::markModified);
    connect(window->recordView()->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this, &SessionController::markModified);
    // Selecting another record, resizing or moving columns and moving docks are view changes too. The
    // record and the columns are compared with what the file holds: the view re-selects the saved record
    // and re-applies the saved widths by itself after an open, and that is not an edit.
    connect(session, &Session::currentRecordChanged, this, [this](qint64 id) {
        if (id >= 0 && m_pendingRecord < 0 && id != m_savedRecord) markModified();
    });
    QHeaderView* header = window->recordView()->horizontalHeader();
    connect(header, &QHeaderView::sectionResized, this, &SessionController::checkColumns);
    connect(header, &QHeaderView::sectionMoved, this, &SessionController::checkColumns);
    for (QDockWidget* dock : window->findChildren<QDockWidget*>()) watchDock(dock);
    connect(window->loadController(), &LoadController::finished, this,
            [this](const core::LoadReport& report, LoadController::Mode mode) {
                if (m_path.isEmpty()) return;
                if (mode == LoadController::Mode::Replace && report.outcome == core::Outcome::Ok) {
                    setCurrentFile({}); // a new session from logs
                    return;
                }
                if (report.records > 0 && m_installing == 0) m_modified = true; // files appended
                updateTitle(); // the window titled itself after the load: the session's name stays
            });
    if (QAction* close = window->findChild<QAction*>(QStringLiteral("close")))
        connect(close, &QAction::triggered, this, [this]() { setCurrentFile({}); });
    connect(window->recordModel(), &RecordModel::rowCountKnown, this, [this]() {
        if (m_pendingRecord < 0) return;
        const qint64 id = std::exchange(m_pendingRecord, -1);
        ++m_installing;
        m_window->recordView()->selectRecord(core::RecordId(id));
        --m_installing;
    });
    watchPageWidgets();
}

bool SessionController::isSessionFile(const QString& path)
{
    return QFileInfo(path).isFile() && core::isSessionFile(path);
}

void SessionController::watchPageWidgets()
{
    // A changed page setting (dimension, weight, top N, bins, stacking, ...) is a view change.
    for (QDockWidget* dock : m_window->findChildren<QDockWidget*>()) {
        if (!dock->objectName().startsWith(QLatin1String("page:"))) continue;
        for (QComboBox* c : dock->findChildren<QComboBox*>())
            connect(c, &QComboBox::currentIndexChanged, this, &SessionController::markModified);
        for (QSpinBox* s : dock->findChildren<QSpinBox*>())
            connect(s, &QSpinBox::valueChanged, this, &SessionController::markModified);
        for (QAbstractButton* b : dock->findChildren<QAbstractButton*>())
            if (b->isCheckable()) connect(b, &QAbstractButton::toggled, this, &SessionController::markModified);
    }
}

void SessionController::watchDock(QDockWidget* dock)
{
    connect(dock, &QDockWidget::dockLocationChanged, this, &SessionController::markModified);
    connect(dock, &QDockWidget::topLevelChanged, this, &SessionController::markModified);
}

void SessionController::checkColumns()
{
    if (m_columnsCheckQueued || m_path.isEmpty() || m_modified) return;
    // Coalesced: a drag resizes many times, a layout applies every section.
    m_columnsCheckQueued = true;
    QMetaObject::invokeMethod(
        this,
        [this]() {
            m_columnsCheckQueued = false;
            if (m_installing > 0 || m_path.isEmpty() || m_modified) return;
            // As JSON on both sides: the file holds JSON numbers and objects.
            if (QJsonValue::fromVariant(m_window->recordView()->columnLayout().toVariant()) != m_savedColumns) markModified();
        },
        Qt::QueuedConnection);
}

void SessionController::rememberSavedView(const QByteArray& viewState)
{
    const QJsonObject o = QJsonDocument::fromJson(viewState).object();
    m_savedRecord = o.value(QStringLiteral("record")).toInteger(-1);
    m_savedColumns = o.value(QStringLiteral("columns"));
}

void SessionController::markModified()
{
    if (m_installing > 0 || m_path.isEmpty() || m_modified) return;
    m_modified = true;
    updateTitle();
}

void SessionController::setCurrentFile(const QString& path)
{
    m_path = path;
    m_modified = false;
    updateTitle();
}

void SessionController::updateTitle()
{
    if (m_path.isEmpty()) {
        m_window->setWindowModified(false);
        if (m_window->windowTitle().contains(QLatin1String("[*]"))) m_window->setWindowTitle(tr("Flowlog Explorer"));
        return;
    }
    m_window->setWindowTitle(tr("%1[*] — Flowlog Explorer").arg(QFileInfo(m_path).fileName()));
    m_window->setWindowModified(m_modified);
}

void SessionController::showError(const QString& title, const QString& message)
{
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, m_window);
    box->setObjectName(QStringLiteral("sessionError"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void SessionController::openDialog()
{
    QSettings settings;
    const QString path = QFileDialog::getOpenFileName(
        m_window, tr("Open Session"), settings.value(QStringLiteral("session/lastDir"), QDir::homePath()).toString(),
        tr("Flowlog sessions (*.flowlog);;All files (*)"));
    if (path.isEmpty()) return;
    settings.setValue(QStringLiteral("session/lastDir"), QFileInfo(path).absolutePath());
    if (!isSessionFile(path)) {
        showError(tr("Cannot open session"), tr("%1 is not a Flowlog session file.").arg(QDir::toNativeSeparators(path)));
        return;
    }
    if (open(path)) Q_EMIT recentFile(QFileInfo(path).absoluteFilePath());
}

bool SessionController::open(const QString& path)
{
    if (m_busy || m_window->loadController()->isRunning()) {
        m_window->statusBar()->showMessage(tr("A load or save is running; wait for it to finish."), 5000);
        return false;
    }
    m_busy = true;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    m_window->statusBar()->showMessage(tr("Opening session %1…").arg(QDir::toNativeSeparators(absolute)));
    auto* watcher = new QFutureWatcher<OpenOutcome>(this);
    connect(watcher, &QFutureWatcher<OpenOutcome>::finished, this, [this, watcher, absolute]() {
        watcher->deleteLater();
        m_busy = false;
        OpenOutcome r = watcher->result();
        if (!r.store) {
            m_window->statusBar()->clearMessage();
            showError(tr("Cannot open session"), r.error);
            Q_EMIT openFinished(false, r.error);
            return;
        }
        ++m_installing;
        const qint64 records = r.records;
        m_window->loadController()->setSessionReport(reportOf(*r.store, r.data, records));
        m_window->session()->setStore(r.store);
        m_window->session()->setNames(std::move(r.data.names));
        applyViewState(r.data.viewState);
        m_compare->restoreBaseline(r.data.compare);
        --m_installing;
        setCurrentFile(absolute);
        rememberSavedView(r.data.viewState);
        const QString message =
            tr("Opened session %1: %Ln record(s) in %2 s.", nullptr, static_cast<int>(std::min<qint64>(records, INT_MAX)))
                .arg(QFileInfo(absolute).fileName())
                .arg(r.seconds, 0, 'f', 2);
        m_window->statusBar()->showMessage(message, 10000);
        Q_EMIT openFinished(true, message);
    });
    watcher->setFuture(QtConcurrent::run([absolute]() {
        QElapsedTimer timer;
        timer.start();
        OpenOutcome out;
        auto opened = core::openSession(absolute);
        if (!opened.ok()) {
            out.error = opened.error().message;
            return out;
        }
        out.store = std::shared_ptr<core::Store>(std::move(opened->store));
        out.data = std::move(opened->data);
        out.records = opened->records; // counted by the open beside its check: no second count(*)
        out.seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
        return out;
    }));
    return true;
}

void SessionController::saveAsDialog()
{
    QSettings settings;
    QString start = m_path;
    if (start.isEmpty()) {
        const auto files = m_window->session()->store()->files();
        const QString base = files.size() == 1 ? QFileInfo(files.front().path).completeBaseName() : QStringLiteral("session");
        start = QDir(settings.value(QStringLiteral("session/lastDir"), QDir::homePath()).toString())
                    .filePath(base + QStringLiteral(".flowlog"));
    }
    QString path = QFileDialog::getSaveFileName(m_window, tr("Save Session As"), start, tr("Flowlog sessions (*.flowlog)"));
    if (path.isEmpty()) return;
    if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".flowlog");
    settings.setValue(QStringLiteral("session/lastDir"), QFileInfo(path).absolutePath());
    save(path);
}

bool SessionController::save(const QString& requested)
{
    const QString path = QFileInfo(requested.isEmpty() ? m_path : requested).absoluteFilePath();
    if (path.isEmpty() || m_busy || m_window->loadController()->isRunning()) {
        m_window->statusBar()->showMessage(tr("A load or save is running; wait for it to finish."), 5000);
        return false;
    }
    m_busy = true;
    core::SessionData data;
    data.names = m_window->session()->names();
    data.rejections = m_window->loadController()->sessionReport().rejections;
    data.viewState = captureViewState();
    data.compare = m_compare->baselineState();
    std::shared_ptr<core::Store> store = m_window->session()->store();
    m_window->statusBar()->showMessage(tr("Saving session %1…").arg(QDir::toNativeSeparators(path)));
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, path, view = data.viewState]() {
        watcher->deleteLater();
        m_busy = false;
        const QString error = watcher->result();
        if (!error.isEmpty()) {
            m_window->statusBar()->clearMessage();
            showError(tr("Cannot save session"), error);
            Q_EMIT saveFinished(false, error);
            return;
        }
        setCurrentFile(path);
        rememberSavedView(view);
        const QString message = tr("Session saved to %1.").arg(QDir::toNativeSeparators(path));
        m_window->statusBar()->showMessage(message, 10000);
        Q_EMIT recentFile(path);
        Q_EMIT saveFinished(true, message);
    });
    watcher->setFuture(QtConcurrent::run([store, data = std::move(data), path]() {
        const core::Status st = core::saveSession(*store, data, path);
        return st.ok() ? QString() : st.error().message;
    }));
    return true;
}

bool SessionController::confirmClose()
{
    if (m_path.isEmpty() || !m_modified) return true;
    const auto answer = QMessageBox::question(
        m_window, tr("Unsaved view changes"),
        tr("The view of session %1 changed since it was saved. Save the changes?").arg(QFileInfo(m_path).fileName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel) return false;
    if (answer == QMessageBox::Discard) return true;
    // Save synchronously: the window is about to close.
    core::SessionData data;
    data.names = m_window->session()->names();
    data.rejections = m_window->loadController()->sessionReport().rejections;
    data.viewState = captureViewState();
    data.compare = m_compare->baselineState();
    const core::Status st = core::saveSession(*m_window->session()->store(), data, m_path);
    if (!st.ok()) {
        QMessageBox::warning(m_window, tr("Cannot save session"), st.error().message);
        return false;
    }
    return true;
}

void SessionController::dropSession(const QString& path)
{
    if (m_window->session()->store()->recordCount() == 0) {
        if (open(path)) Q_EMIT recentFile(QFileInfo(path).absoluteFilePath());
        return;
    }
    QMessageBox box(QMessageBox::Question, tr("Open Session"), tr("%1 is a saved session.").arg(QFileInfo(path).fileName()),
                    QMessageBox::Cancel, m_window);
    box.setObjectName(QStringLiteral("sessionDrop"));
    box.setInformativeText(tr("A session carries its own records, names, rejections and view, so it cannot be added to the data "
                              "already loaded. Open it in place of the current data, or compare the current data with it."));
    QPushButton* openButton = box.addButton(tr("&Open Session"), QMessageBox::AcceptRole);
    openButton->setObjectName(QStringLiteral("sessionDropOpen"));
    QPushButton* compareButton = box.addButton(tr("&Compare With It"), QMessageBox::ActionRole);
    compareButton->setObjectName(QStringLiteral("sessionDropCompare"));
    box.setDefaultButton(openButton);
    box.exec();
    if (box.clickedButton() == openButton) {
        if (open(path)) Q_EMIT recentFile(QFileInfo(path).absoluteFilePath());
    } else if (box.clickedButton() == compareButton) {
        if (auto* dock = qobject_cast<QDockWidget*>(m_compare->parentWidget())) {
            dock->show();
            dock->raise();
        }
        m_compare->openBaseline({QFileInfo(path).absoluteFilePath()});
    }
}

void SessionController::showComparison()
{
    // The graph and the timeline draw the Compare page's baseline (graphdiff.h, timelinebaseline.cpp).
    GraphComparison graph;
    TimelineBaseline timeline;
    if (m_compare->hasBaseline()) {
        graph.baseline = timeline.store = m_compare->baselineStore();
        graph.split = timeline.split = m_compare->splitTime();
        graph.threshold = m_compare->threshold();
        graph.label = timeline.label = m_compare->baselineLabel();
        timeline.offset = m_compare->timelineOffset();
    }
    for (AttachmentsPage* page : m_window->findChildren<AttachmentsPage*>()) page->setComparison(graph);
    for (TimelinePage* page : m_window->findChildren<TimelinePage*>()) page->setBaseline(timeline);
}

} // namespace ui
