#pragma once
// Loading log files off the GUI thread: core::loadPaths on the thread pool, progress
// (bytes/records/rejects, ~10 Hz) and Cancel, then either replacing the session's store
// (a new Store is filled, the old one stays until the load succeeds) or appending to it.
// LoadProgressWidget is the status-bar face of a running load.
#include "core/ingest/loader.h"

#include <QFuture>
#include <QObject>
#include <QStringList>
#include <QWidget>
#include <atomic>
#include <memory>

class QLabel;
class QProgressBar;
class QToolButton;

namespace ui {

class Session;

class LoadController : public QObject {
    Q_OBJECT
public:
    enum class Mode { Replace, Add };

    explicit LoadController(Session* session, QObject* parent = nullptr);
    ~LoadController() override;

    bool isRunning() const { return m_running; }
    /// Format string for headerless custom logs ("" = detect); passed as ReadOptions::format.
    QString format() const { return m_format; }
    void setFormat(const QString& format) { m_format = format.trimmed(); }

    /// Starts loading `paths` (files and folders). False if a load is already running or
    /// there is nothing to load.
    bool start(const QStringList& paths, Mode mode);
    /// Asks the running load to stop soon (the session keeps its previous content on Replace, also
    /// when the cancel comes after the worker ended but before its result was applied).
    void cancel();
    /// What is loaded in the session: reports of the loads since the last Replace, merged.
    const core::LoadReport& sessionReport() const { return m_sessionReport; }
    /// Replaces that report (a session file was opened: its files and kept rejections).
    void setSessionReport(core::LoadReport report) { m_sessionReport = std::move(report); }

Q_SIGNALS:
    void started(const QStringList& paths, ui::LoadController::Mode mode);
    void progress(const core::LoadProgress& progress);
    /// After the session was updated. `report` covers this load only.
    void finished(const core::LoadReport& report, ui::LoadController::Mode mode);

private:
    struct Job;
    void onFinished(std::shared_ptr<Job> job);

    Session* m_session;
    QString m_format;
    bool m_running = false;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    core::LoadReport m_sessionReport;
    QFuture<void> m_future;
};

/// Progress bar, counts and a Cancel button for the status bar; hidden while idle.
class LoadProgressWidget : public QWidget {
    Q_OBJECT
public:
    LoadProgressWidget(LoadController* controller, QWidget* parent = nullptr);

private:
    void onProgress(const core::LoadProgress& p);
    LoadController* m_controller;
    QProgressBar* m_bar;
    QLabel* m_label;
    QToolButton* m_cancel;
};

/// "12.3 MB" style size (SI units, as network tools show bytes).
QString humanSize(qint64 bytes);

} // namespace ui
