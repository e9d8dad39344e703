#pragma once
// "Export view as CSV": exactly the rows of the current filter, in the current sort, with the
// visible columns in display order (or all columns), through core::exportCsvFile (the same
// code as `flowlog-cli export`, so the bytes are identical) on the thread pool, with progress
// and Cancel; optionally with a `<column>_name` column after each id column. The file is
// written atomically: cancel/failure leaves any existing file as it was.
#include "core/export/csv.h"

#include <QFuture>
#include <QObject>
#include <atomic>
#include <memory>

class QProgressDialog;
class QWidget;

namespace ui {

class Session;

class ExportController : public QObject {
    Q_OBJECT
public:
    ExportController(Session* session, QWidget* dialogParent);
    ~ExportController() override;

    bool isRunning() const { return m_running; }
    /// Asks for the options and the file name, then exports. `rows` is shown in the dialog.
    /// The options (all columns, formula guard, name columns) are remembered in QSettings
    /// under export/allColumns, export/guardFormulas and export/withNames.
    void exportInteractive(const QStringList& visibleColumns, const std::vector<core::SortKey>& sort, qint64 rows);
    /// Exports `request` to `path` in the background (only the progress dialog is shown).
    bool start(const core::ExportRequest& request, const QString& path);
    void cancel();

Q_SIGNALS:
    /// message: a sentence for the status bar / an error box.
    void finished(core::Outcome outcome, const QString& path, const QString& message);

private:
    Session* m_session;
    QWidget* m_dialogParent;
    QProgressDialog* m_progress = nullptr;
    bool m_running = false;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    QFuture<void> m_future;
};

} // namespace ui
