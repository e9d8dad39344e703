#pragma once
// The main window wires the pieces together: the filter bar over the record table, the
// details dock, analysis pages (added by the app as docks), menus, toolbar, status bar,
// drag-and-drop, recent files and saved window state. The pieces own their behaviour.
#include "core/export/csv.h"
#include "ui/io/loadcontroller.h"

#include <QMainWindow>

class QDockWidget;
class QMenu;

namespace ui {

class DetailsPane;
class ExportController;
class FilterBar;
class LoadReportDialog;
class RecordModel;
class RecordView;
class Session;
class StatusSummary;
class ViewOptions;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    Session* session() const { return m_session; }
    RecordModel* recordModel() const { return m_model; }
    RecordView* recordView() const { return m_view; }
    FilterBar* filterBar() const { return m_filterBar; }
    DetailsPane* detailsPane() const { return m_details; }
    LoadController* loadController() const { return m_load; }
    ExportController* exportController() const { return m_export; }
    StatusSummary* statusSummary() const { return m_summary; }

    /// Adds an analysis page (graph, timeline, ...) as a dock tabified with the other pages,
    /// with a View menu toggle using `shortcut`. The window takes ownership of `page`.
    void addAnalysisPage(QWidget* page, const QString& title, const QKeySequence& shortcut);

    /// Loads files/folders into the session (Replace: a new session; Add: appended).
    bool openPaths(const QStringList& paths, LoadController::Mode mode = LoadController::Mode::Replace);
    /// Opens the bundled demo data; false (and an error message) if it cannot be found.
    bool openDemo();
    /// The demo folder: $FLOWLOG_DEMO_DIR, <exe>/../share/flowlog-explorer/demo, or a
    /// resources/demo folder above the executable. Empty if none exists.
    static QString findDemoDirectory();

    /// What File > Export would write for the current view.
    core::ExportRequest currentExportRequest(bool allColumns, bool guardFormulas = true) const;
    /// Format string used for headerless custom logs ("" = detect). Remembered.
    void setCustomFormat(const QString& format);

    void showLoadReport();

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createDocks();
    void restoreSettings();
    void saveSettings();
    void onLoadFinished(const core::LoadReport& report, LoadController::Mode mode);
    void addRecent(const QStringList& paths);
    void rebuildRecentMenu();
    void openFilesDialog(LoadController::Mode mode);
    void openFolderDialog(LoadController::Mode mode);
    void editCustomFormat();
    void closeSession();
    void updateCounts();
    void showAbout();
    void showFilterHelp();
    void goToTwin();
    void selectRecord(qint64 id);

    Session* m_session;
    RecordModel* m_model;
    RecordView* m_view;
    FilterBar* m_filterBar;
    DetailsPane* m_details;
    QDockWidget* m_detailsDock = nullptr;
    LoadController* m_load;
    ExportController* m_export;
    StatusSummary* m_summary;
    LoadReportDialog* m_reportDialog = nullptr;
    QList<QDockWidget*> m_pages;
    QMenu* m_fileMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QMenu* m_pagesMenu = nullptr;
    QMenu* m_recentMenu = nullptr;
    QToolBar* m_toolBar = nullptr;
    ViewOptions* m_viewOptions;
    QHash<QString, QAction*> m_actions;
};

} // namespace ui
