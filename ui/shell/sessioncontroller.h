#pragma once
// Session files in the GUI: File > Open Session / Save Session / Save Session As, opening a
// .flowlog through File > Open, Open Recent, the command line and drag-and-drop (MainWindow
// routes them here), the title bar (session name, modified marker), asking before closing
// with unsaved view changes, and the Compare page. The view state (filter and history, sort,
// columns, pages and their settings, selected record, time and names modes) is JSON kept in
// the file (sessionviewstate.cpp). Save and open run off the GUI thread.
#include "core/sessionfile/sessionfile.h"

#include <QJsonValue>
#include <QObject>
#include <QString>

class QAction;
class QDockWidget;
class QMenu;

namespace ui {

class ComparePage;
class MainWindow;

class SessionController : public QObject {
    Q_OBJECT
public:
    /// Adds the session actions to `fileMenu` after `recentMenu`'s entry and the Compare page to
    /// the window. Create after the window's own connections (it follows loads and the title).
    SessionController(MainWindow* window, QMenu* fileMenu, QMenu* recentMenu);

    /// True when `path` is a session file (SQLite header with our application id).
    static bool isSessionFile(const QString& path);

    /// Opens a session file in the background, replacing the current session. False if a load
    /// or another session job is running. openFinished() tells the outcome.
    bool open(const QString& path);
    /// Saves to `path` in the background (the current file when empty and one is open).
    /// saveFinished() tells the outcome.
    bool save(const QString& path = {});
    /// Asks (Save / Discard / Cancel) when the open session file has unsaved view changes.
    /// False when the user cancelled (or saving failed): keep the window open.
    bool confirmClose();
    /// A session file dropped on the window: opened at once when no data is loaded; otherwise asks
    /// whether to open it (replacing the data) or compare the current data with it (a session cannot
    /// be added to loaded data: it has its own names, rejections and view).
    void dropSession(const QString& path);

    /// The session file in use ("" when the session came from logs and was never saved).
    QString currentFile() const { return m_path; }
    bool isModified() const { return m_modified; }
    ComparePage* comparePage() const { return m_compare; }

    /// The view state as JSON (versioned). GUI thread.
    QByteArray captureViewState() const;
    /// Applies a view state written by captureViewState (unknown keys and missing widgets are
    /// skipped). GUI thread.
    void applyViewState(const QByteArray& json);

Q_SIGNALS:
    void openFinished(bool ok, const QString& message);
    void saveFinished(bool ok, const QString& message);
    /// A session file was opened or saved: for Open Recent.
    void recentFile(const QString& path);

private:
    void openDialog();
    void showComparison();
    void saveAsDialog();
    void markModified();
    void setCurrentFile(const QString& path);
    void updateTitle();
    void watchPageWidgets();
    void watchDock(QDockWidget* dock);
    void checkColumns();
    void rememberSavedView(const QByteArray& viewState);
    void showError(const QString& title, const QString& message);

    MainWindow* m_window;
    ComparePage* m_compare = nullptr;
    QAction* m_openAction = nullptr;
    QAction* m_saveAction = nullptr;
    QAction* m_saveAsAction = nullptr;
    QString m_path;
    bool m_modified = false;
    bool m_busy = false;
    int m_installing = 0;        ///< > 0 while a session is being installed: changes are not edits
    qint64 m_pendingRecord = -1; ///< record to select once the restored view's rows are known
    qint64 m_savedRecord = -1;   ///< selected record in the file (opened or saved)
    QJsonValue m_savedColumns;   ///< column layout in the file (opened or saved)
    bool m_columnsCheckQueued = false;
};

} // namespace ui
