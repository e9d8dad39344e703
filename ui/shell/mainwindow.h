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
class FilterReference;
class ThemeOptions;
class ExportController;
class FilterBar;
class LoadReportDialog;
class RecordModel;
class RecordView;
class Session;
class SessionController;
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
    /// Session files (.flowlog): save, open, title, Compare page.
    SessionController* sessionController() const { return m_sessionFile; }
    StatusSummary* statusSummary() const { return m_summary; }
    /// Time and name display (View menu, toolbar boxes, settings).
    ViewOptions* viewOptions() const { return m_viewOptions; }
    /// View > Theme (System / Light / Dark), remembered.
    ThemeOptions* themeOptions() const { return m_theme; }
    QDockWidget* detailsDock() const { return m_detailsDock; }
    /// The analysis page docks, in the order they were added (dockContent() gives the page).
    QList<QDockWidget*> pageDocks() const { return m_pages; }
    /// True when the first start chose the compact layout (details beside the pages, bottom).
    bool compactLayout() const { return m_compactLayout; }
    /// Help > Filter Syntax (F1), once opened.
    FilterReference* filterReference() const { return m_filterReference; }

    /// Adds an analysis page (graph, timeline, ...) as a dock tabified with the other pages,
    /// with a View menu toggle using `shortcut`. The window takes ownership of `page`. The dock
    /// wraps the page in a scroll area unless `scrollsItself` (a page whose view already scrolls
    /// and whose minimum size is small: one scroll level, not two).
    void addAnalysisPage(QWidget* page, const QString& title, const QKeySequence& shortcut, bool scrollsItself = false);

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
    /// Loads AWS CLI describe-* JSON names files into the session (File > Load AWS Resource
    /// Names); they are listed in the load report, added to Open Recent and remembered with the
    /// opened logs. Returns the number of files applied.
    int loadNames(const QStringList& files);

protected:
    void showEvent(QShowEvent* event) override;
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
    void addNamesFiles(const std::vector<core::NamesFileReport>& files);
    void rememberNamesOfSession();
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
    ThemeOptions* m_theme;
    FilterReference* m_filterReference = nullptr;
    QHash<QString, QAction*> m_actions;
    SessionController* m_sessionFile = nullptr;
    std::vector<core::NamesFileReport> m_namesFiles; ///< names files in effect (load report)
    QStringList m_sessionPaths;                      ///< what the session was opened from
    QStringList m_loadingPaths;                      ///< paths of the load running
    bool m_firstStartLayout = false;                 ///< no saved dock layout: choose one at the first show
    bool m_compactLayout = false;
};

} // namespace ui
