#pragma once
// The Remote menu: copy the current view (records, attachment graph, timeline, drops) as Athena
// SQL or as a CloudWatch Logs Insights query, copy the Athena table DDL (bucket, prefix,
// accounts, regions asked once and remembered), and open an Athena / Logs Insights aggregate
// result (edges, series, drops) in the Attachments, Timeline or Drops page. Reads the session's filter, the record table's
// columns and sort, the Attachments page's dimension and the Timeline's bin.
#include "core/remote/remote.h"

#include <QObject>
#include <QString>

class QMainWindow;
class QMenu;

namespace ui {

class JobTracker;
class RemoteRunDialog;
class RecordModel;
class RecordView;
class Session;

class RemoteActions : public QObject {
    Q_OBJECT
public:
    /// Adds the Remote menu to `window`'s menu bar (before Help). `window` owns this object.
    RemoteActions(QMainWindow* window, Session* session, RecordView* view, RecordModel* model);

    QMenu* menu() const { return m_menu; }

    /// The query for `view` as the menu copies it (Athena SQL or Logs Insights). Error: why not.
    core::Result<QString> athenaText(core::RemoteView view) const;
    core::Result<QString> insightsText(core::RemoteView view) const;
    /// The Athena DDL for the loaded format with the remembered table options.
    core::Result<QString> ddlText() const;

    /// Opens the "Run on Athena" (athena) or "Run on Logs Insights" dialog for `view`'s query;
    /// its successful result opens with openResult(). Null (and a message box) when the query
    /// cannot be built. The dialog deletes itself when closed.
    RemoteRunDialog* startRun(core::RemoteView view, bool athena);

    /// Shows an aggregate result file in the Attachments, Timeline or Drops page (edges, series,
    /// drops; the page's banner says "Showing <origin> <file> (N rows)" and leads back to the
    /// local data) and brings that page to the front; a records result is passed to
    /// openRecords(). False (and a message box naming file:line) on error.
    bool openResult(const QString& path, const QString& origin = QString());

Q_SIGNALS:
    /// Status bar text ("Athena SQL for the attachment graph copied").
    void statusMessage(const QString& message);
    /// A result file holding flow records: the window opens it as records (like File > Open).
    void openRecords(const QString& path);

private:
    core::RemoteQuery currentQuery(core::RemoteView view) const;
    QStringList loadedFields() const;
    void copy(core::RemoteView view, bool athena);
    void editTable();

    QMainWindow* m_window;
    Session* m_session;
    RecordView* m_view;
    RecordModel* m_model;
    QMenu* m_menu;
    JobTracker* m_spanJob; ///< the loaded records' time span for a Logs Insights run
};

/// The remembered Athena table options (QSettings "remote/...").
core::AthenaTableOptions loadTableOptions();
void saveTableOptions(const core::AthenaTableOptions& options);

} // namespace ui
