#pragma once
// The SQL page: one read-only SQL statement over the loaded store (`flows`, `files`, `names`),
// run off the GUI thread through Store::prepareUserQuery (writes, ATTACH, VACUUM INTO, ... are
// refused with the authorizer's sentence). Run with Ctrl+Enter, Cancel with Esc or the button
// (a core::CancelScope flag: stops only this query, also inside one long step). Shows the first 10,000 rows, says when there were
// more, and the time.
#include "core/model/result.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QStringList>
#include <QVariant>
#include <QWidget>
#include <atomic>
#include <memory>
#include <vector>

class QLabel;
class QPlainTextEdit;
class QAction;
class QTableView;

namespace core {
class Store;
}

namespace ui {

class JobTracker;
class Session;

/// The outcome of one user query. Value type, produced on a worker thread.
struct SqlResult {
    core::Outcome outcome = core::Outcome::Ok;
    bool refused = false; ///< prepareUserQuery refused the statement (message says why)
    QString message;      ///< refusal or error sentence, empty when Ok
    QStringList columns;
    std::vector<QVariantList> rows; ///< at most SqlPage::kMaxRows
    bool truncated = false;         ///< the query had more rows than were kept
    double seconds = 0;
};

/// Runs `sql` on `store` with prepareUserQuery, keeping at most `maxRows` rows. Stops with
/// Outcome::Cancelled when `cancel` is set (before the prepare, per row and inside a step, via
/// core::CancelScope) or the prepare or a step is interrupted (Store::interrupt). Any thread.
SqlResult runUserQuery(const core::Store& store, const QString& sql, int maxRows, const std::atomic<bool>* cancel);

/// Rows of a SqlResult: data() only reads the kept rows. NULL shows as "NULL" in grey; the
/// raw value (null QVariant for NULL) is in Qt::UserRole.
class SqlResultModel : public QAbstractTableModel {
    Q_OBJECT
public:
    using QAbstractTableModel::QAbstractTableModel;
    void setResult(QStringList columns, std::vector<QVariantList> rows);
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QStringList m_columns;
    std::vector<QVariantList> m_rows;
};

class SqlPage : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxRows = 10000;

    explicit SqlPage(Session* session, QWidget* parent = nullptr);
    ~SqlPage() override;

    bool isRunning() const { return m_running; }
    /// The status line: "12 rows in 0.01 s", "Cancelled after 2.3 s", "Refused: ...".
    QString statusText() const;
    void setSql(const QString& sql);

    /// Runs the editor's SQL (ignored while a query runs).
    void run();
    /// Stops the running query soon (its cancel flag, polled inside SQLite's steps).
    void cancel();

Q_SIGNALS:
    /// A query finished (Ok, Failed or Cancelled) and its result is shown.
    void finished(core::Outcome outcome);

private:
    void showResult(const SqlResult& r);
    void setRunning(bool running);

    Session* m_session;
    JobTracker* m_jobs;
    QPlainTextEdit* m_editor;
    QAction* m_run;    ///< tool button "runButton"
    QAction* m_cancel; ///< tool button "cancelButton"
    QTableView* m_table;
    SqlResultModel* m_model;
    QLabel* m_status;
    QElapsedTimer m_clock;
    bool m_running = false;
    std::shared_ptr<std::atomic<bool>> m_cancelFlag;
};

} // namespace ui
