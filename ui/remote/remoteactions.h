#pragma once
// The Remote menu: copy the current view (records, attachment graph, timeline, drops) as Athena
// SQL or as a CloudWatch Logs Insights query, copy the Athena table DDL (bucket, prefix,
// accounts, regions asked once and remembered), and open an Athena / Logs Insights aggregate
// result (edges, series, drops) in a window. Reads the session's filter, the record table's
// columns and sort, the Attachments page's dimension and the Timeline's bin.
#include "core/remote/remote.h"

#include <QObject>
#include <QString>

class QMainWindow;
class QMenu;

namespace ui {

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

    /// Opens an aggregate result file in a window; false (and a message box) on error.
    bool openResult(const QString& path);

Q_SIGNALS:
    /// Status bar text ("Athena SQL for the attachment graph copied").
    void statusMessage(const QString& message);

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
};

/// The remembered Athena table options (QSettings "remote/...").
core::AthenaTableOptions loadTableOptions();
void saveTableOptions(const core::AthenaTableOptions& options);

} // namespace ui
