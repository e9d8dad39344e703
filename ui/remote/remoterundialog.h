#pragma once
// "Run on Athena…" / "Run on Logs Insights…": runs the current view's query through the user's
// AWS CLI (core/remote runners on a worker thread; the GUI thread never waits on the CLI), shows
// the exact command, the state, data scanned and the cost estimate ($5 per TB), stops the query
// on Cancel, and hands the saved result file on for the views. The settings (S3 output location,
// work group, database, log groups, profile, region, timeout) are remembered; credentials are
// never asked for or stored: the AWS CLI finds them as it always does. GUI thread only.
#include "core/remote/athena_runner.h"
#include "core/remote/insights_runner.h"
#include "core/remote/remote.h"

#include <QDialog>
#include <atomic>
#include <memory>

class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace ui {

class RemoteRunDialog : public QDialog {
    Q_OBJECT
public:
    enum class Engine { Athena, Insights };
    /// `query` is the text to run (athenaSql() / insightsQuery() of `view`).
    RemoteRunDialog(Engine engine, const QString& query, core::RemoteView view, QWidget* parent = nullptr);
    ~RemoteRunDialog() override;

    Engine engine() const { return m_engine; }
    core::RemoteView view() const { return m_view; }
    bool isRunning() const { return m_running; }
    /// The AWS CLI command that starts the query, as a shell line (updated as fields change).
    QString commandText() const;
    /// "RUNNING · 1.2 GB scanned · about $0.0060" (last progress), "" before a run.
    QString progressText() const;
    /// The last failure as a sentence ("" if none).
    QString errorText() const;
    /// The file the last successful run's result was saved to.
    QString resultPath() const { return m_resultPath; }
    /// Logs Insights: sets From/To and says where they came from under them (the filter, the
    /// loaded records, the last 24 hours); ignored once the user has edited the times.
    void setTimeRange(const core::InsightsTimeRange& range);
    /// Logs Insights: "start and end from the filter's start/end terms", ..., "set by hand".
    QString timeRangeOrigin() const;
    /// get-query-execution / get-query-results interval (tests use a short one).
    void setPollMilliseconds(int ms) { m_pollMs = ms; }

public Q_SLOTS:
    /// Starts the query (no-op while one runs). Invalid settings show a sentence instead.
    void run();
    /// Stops the running query (stop-query-execution / stop-query).
    void cancel();

Q_SIGNALS:
    /// The run succeeded; the result (Athena CSV / Logs Insights JSON) is saved at `path`.
    void resultReady(const QString& path);
    /// A run ended (ok = succeeded); after resultReady() on success.
    void runFinished(bool ok);

protected:
    void reject() override;

private:
    struct Outcome;
    /// The run options from the fields (Athena / Logs Insights); one source for the command
    /// shown and the run.
    core::AthenaRunOptions athenaOptions() const;
    core::InsightsRunOptions insightsOptions() const;
    void updateCommand();
    void setRunning(bool running);
    void onProgress(const QString& state, qint64 scannedBytes);
    void onFinished(const Outcome& outcome);
    void fail(const QString& message);
    void saveSettings() const;

    Engine m_engine;
    QString m_query;
    core::RemoteView m_view;
    int m_pollMs = 1000;
    bool m_running = false;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    QString m_resultPath;
    QString m_error;

    QLineEdit* m_outputLocation = nullptr;
    QLineEdit* m_workgroup = nullptr;
    QLineEdit* m_database = nullptr;
    QLineEdit* m_logGroups = nullptr;
    QDateTimeEdit* m_start = nullptr;
    QDateTimeEdit* m_end = nullptr;
    QLabel* m_rangeOrigin = nullptr;
    bool m_settingRange = false; ///< setTimeRange() is changing the times
    bool m_rangeEdited = false;  ///< the user changed From/To
    QLineEdit* m_profile = nullptr;
    QLineEdit* m_region = nullptr;
    QSpinBox* m_timeout = nullptr;
    QPlainTextEdit* m_command = nullptr;
    QLabel* m_progress = nullptr;
    QLabel* m_errorLabel = nullptr;
    QProgressBar* m_busy = nullptr;
    QPushButton* m_runButton = nullptr;
    QPushButton* m_cancelButton = nullptr;
};

} // namespace ui
