#include "ui/io/loadcontroller.h"

#include "core/model/units.h"
#include "ui/io/memoryguard.h"
#include "ui/logic/session.h"

#include <QFileInfo>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QToolButton>
#include <QtConcurrent/QtConcurrentRun>

namespace ui {

QString humanSize(qint64 bytes)
{
    return core::formatBytes(bytes);
}

struct LoadController::Job {
    QStringList paths;
    Mode mode = Mode::Replace;
    std::shared_ptr<core::Store> store;
    core::LoadReport report;
};

LoadController::LoadController(Session* session, QObject* parent) : QObject(parent), m_session(session) {}

LoadController::~LoadController()
{
    if (m_cancel) m_cancel->store(true);
    m_future.waitForFinished();
}

bool LoadController::start(const QStringList& paths, Mode mode)
{
    if (m_running || paths.isEmpty()) return false;
    // Would not fit in memory? The user may load a time window or a sample instead, or cancel.
    const auto limits = confirmLoad(qobject_cast<QWidget*>(parent()), core::expandPaths(paths, nullptr), {});
    if (!limits) return false;
    m_running = true;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    auto job = std::make_shared<Job>();
    job->paths = paths;
    job->mode = mode;
    if (mode == Mode::Add) job->store = m_session->store();

    QPointer<LoadController> self(this);
    core::LoadOptions options = *limits;
    options.read.format = m_format;
    // Headerless files of a flow log whose describe-flow-logs JSON was loaded earlier (File >
    // Load AWS Resource Names…) are read with its LogFormat.
    options.flowLogFormats = core::flowLogFormats(m_session->names());
    options.read.cancel = m_cancel.get();
    options.progress = [self](const core::LoadProgress& p) {
        QMetaObject::invokeMethod(
            self.data(),
            [self, p]() {
                if (self && self->m_running) Q_EMIT self->progress(p);
            },
            Qt::QueuedConnection);
    };
    auto cancel = m_cancel; // keeps the flag alive while the worker runs
    auto* watcher = new QFutureWatcher<void>(this);
    connect(watcher, &QFutureWatcher<void>::finished, this, [this, watcher, job]() {
        watcher->deleteLater();
        onFinished(job);
    });
    Q_EMIT started(paths, mode);
    m_future = QtConcurrent::run([job, options, cancel]() {
        if (!job->store) {
            auto created = core::Store::create();
            if (!created.ok()) {
                job->report.outcome = core::Outcome::Failed;
                job->report.errors << QObject::tr("Could not create the database: %1").arg(created.error().toString());
                return;
            }
            job->store = std::shared_ptr<core::Store>(std::move(created.value()));
        }
        job->report = core::loadPaths(*job->store, job->paths, options);
    });
    watcher->setFuture(m_future);
    return true;
}

void LoadController::cancel()
{
    if (m_cancel) m_cancel->store(true);
}

void LoadController::onFinished(std::shared_ptr<Job> job)
{
    if (!m_running) return;
    m_running = false;
    core::LoadReport& r = job->report;
    // A Cancel that came after the worker ended but before its result got here (a small file on an
    // idle machine) still cancels a Replace load: its store is not taken, as if the cancel had
    // landed in time. (An Add load has already written into the session's store by then.)
    if (job->mode == Mode::Replace && m_cancel && m_cancel->load() && r.outcome != core::Outcome::Failed)
        r.outcome = core::Outcome::Cancelled;
    const bool cancelled = r.outcome == core::Outcome::Cancelled;
    if (job->mode == Mode::Replace) {
        if (!cancelled && r.outcome != core::Outcome::Failed && job->store) {
            m_sessionReport = r;
            m_session->setStore(job->store);
        }
    } else if (!cancelled && r.outcome != core::Outcome::Failed) { // cancelled/failed loads are rolled back
        {
            for (const auto& f : r.files) m_sessionReport.files.push_back(f);
            m_sessionReport.records += r.records;
            m_sessionReport.rejected += r.rejected;
            m_sessionReport.outsideWindow += r.outsideWindow;
            m_sessionReport.sampledOut += r.sampledOut;
            for (const auto& rej : r.rejections)
                if (m_sessionReport.rejections.size() < 1000) m_sessionReport.rejections.push_back(rej);
            m_sessionReport.errors += r.errors;
            for (const auto& n : r.namesFiles) m_sessionReport.namesFiles.push_back(n);
            m_sessionReport.seconds += r.seconds;
        }
        m_session->notifyStoreChanged();
    }
    Q_EMIT finished(r, job->mode);
}

LoadProgressWidget::LoadProgressWidget(LoadController* controller, QWidget* parent)
    : QWidget(parent), m_controller(controller), m_bar(new QProgressBar(this)), m_label(new QLabel(this)),
      m_cancel(new QToolButton(this))
{
    setObjectName(QStringLiteral("loadProgress"));
    m_bar->setRange(0, 1000);
    m_bar->setFixedWidth(180);
    m_bar->setTextVisible(true);
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop loading; the session keeps what it had before"));
    m_cancel->setAutoRaise(true);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    layout->addWidget(m_cancel);
    hide();
    connect(m_cancel, &QToolButton::clicked, m_controller, &LoadController::cancel);
    connect(m_controller, &LoadController::started, this, [this](const QStringList& paths) {
        m_bar->setValue(0);
        m_bar->setFormat(QStringLiteral("%p%"));
        m_label->setText(tr("Loading %1…")
                             .arg(paths.size() == 1 ? QFileInfo(paths.first()).fileName()
                                                    : tr("%n item(s)", nullptr, static_cast<int>(paths.size()))));
        show();
    });
    connect(m_controller, &LoadController::progress, this, &LoadProgressWidget::onProgress);
    connect(m_controller, &LoadController::finished, this, &QWidget::hide);
}

void LoadProgressWidget::onProgress(const core::LoadProgress& p)
{
    if (p.bytesTotal > 0) m_bar->setValue(static_cast<int>(std::min<qint64>(1000, p.bytesRead * 1000 / p.bytesTotal)));
    else m_bar->setRange(0, 0);
    m_bar->setFormat(tr("%1 of %2").arg(humanSize(p.bytesRead), humanSize(p.bytesTotal)));
    QString text = tr("Loading file %1 of %2: %3 records")
                       .arg(p.filesDone + (p.filesDone < p.filesTotal ? 1 : 0))
                       .arg(p.filesTotal)
                       .arg(core::formatInteger(p.records));
    if (p.rejected > 0) text += tr(", %1 rejected").arg(core::formatInteger(p.rejected));
    m_label->setText(text);
    m_label->setToolTip(p.currentFile);
}

} // namespace ui
