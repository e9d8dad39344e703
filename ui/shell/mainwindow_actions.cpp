// MainWindow's actions (File, Edit, View, Help menus and the toolbar) and the Help dialogs.
// The rest of the class: mainwindow.cpp (window and wiring), mainwindow_open.cpp (opening).
#include "ui/io/exportcontroller.h"
#include "ui/logic/session.h"
#include "ui/shell/aboutdialog.h"
#include "ui/shell/filterbar.h"
#include "ui/shell/filterreference.h"
#include "ui/shell/mainwindow.h"
#include "ui/shell/theme.h"
#include "ui/shell/viewoptions.h"
#include "ui/table/recordmodel.h"
#include "ui/table/recordview.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QMenuBar>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>

namespace ui {

namespace {

QIcon themed(const char* name, QStyle::StandardPixmap fallback)
{
    return QIcon::fromTheme(QString::fromLatin1(name), QApplication::style()->standardIcon(fallback));
}

} // namespace

void MainWindow::createActions()
{
    auto make = [this](const QString& key, const QString& text, const QKeySequence& shortcut, const QIcon& icon,
                       const QString& tip, auto slot) {
        auto* a = new QAction(icon, text, this);
        a->setObjectName(key);
        if (!shortcut.isEmpty()) a->setShortcut(shortcut);
        a->setStatusTip(tip);
        connect(a, &QAction::triggered, this, slot);
        m_actions.insert(key, a);
        return a;
    };
    using Mode = LoadController::Mode;
    make(QStringLiteral("open"), tr("&Open Files…"), QKeySequence::Open, themed("document-open", QStyle::SP_DialogOpenButton),
         tr("Open flow log files (replaces the current session)"), [this]() { openFilesDialog(Mode::Replace); });
    make(QStringLiteral("openFolder"), tr("Open &Folder…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O),
         themed("folder-open", QStyle::SP_DirOpenIcon), tr("Open every log file in a folder tree (replaces the session)"),
         [this]() { openFolderDialog(Mode::Replace); });
    make(QStringLiteral("addFiles"), tr("&Add Files to Session…"), QKeySequence(), QIcon(),
         tr("Load more files into the current session"), [this]() { openFilesDialog(Mode::Add); });
    make(QStringLiteral("addFolder"), tr("Add Fol&der to Session…"), QKeySequence(), QIcon(),
         tr("Load a folder tree into the current session"), [this]() { openFolderDialog(Mode::Add); });
    make(QStringLiteral("format"), tr("Log &Format for Headerless Files…"), QKeySequence(), QIcon(),
         tr("Give the format string of headerless custom-format logs"), &MainWindow::editCustomFormat);
    make(QStringLiteral("export"), tr("&Export View as CSV…"), QKeySequence(Qt::CTRL | Qt::Key_E),
         themed("document-save-as", QStyle::SP_DialogSaveButton), tr("Write the rows of the current view to a CSV file"),
         [this]() { m_export->exportInteractive(m_view->visibleColumns(), m_model->sortKeys(), m_model->rowCount()); });
    make(QStringLiteral("report"), tr("Load &Report…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), QIcon(),
         tr("Files, formats and rejected lines of the loaded session"), &MainWindow::showLoadReport);
    make(QStringLiteral("names"), tr("Load AWS Resource &Names…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N), QIcon(),
         tr("Read Name tags from 'aws ec2 describe-…' JSON output"), [this]() {
             const QStringList files = QFileDialog::getOpenFileNames(this, tr("Load AWS Resource Names"), QString(),
                                                                     tr("AWS CLI JSON (*.json);;All files (*)"));
             if (!files.isEmpty()) loadNames(files);
         });
    make(QStringLiteral("close"), tr("&Close Session"), QKeySequence::Close, themed("window-close", QStyle::SP_DialogCloseButton),
         tr("Unload all files"), &MainWindow::closeSession);
    make(QStringLiteral("quit"), tr("&Quit"), QKeySequence::Quit, QIcon(), tr("Quit Flowlog Explorer"), &QWidget::close);
    make(QStringLiteral("focusFilter"), tr("&Filter…"), QKeySequence(Qt::CTRL | Qt::Key_L), QIcon(),
         tr("Edit the display filter"), [this]() { m_filterBar->focusFilter(); });
    make(QStringLiteral("clearFilter"), tr("C&lear Filter"), QKeySequence(), QIcon(), tr("Show every record"),
         [this]() { m_filterBar->clear(); });
    make(QStringLiteral("twin"), tr("Go to &Twin Record"), QKeySequence(Qt::CTRL | Qt::Key_T), QIcon(),
         tr("Select the same TGW flow logged at the other attachment"), &MainWindow::goToTwin);
    make(QStringLiteral("demo"), tr("Open &Demo Data"), QKeySequence(), QIcon(), tr("Open the bundled demo flow logs"),
         &MainWindow::openDemo);
    make(QStringLiteral("filterHelp"), tr("Filter &Syntax"), QKeySequence::HelpContents, QIcon(), tr("How to write filters"),
         &MainWindow::showFilterHelp);
    make(QStringLiteral("about"), tr("&About Flowlog Explorer"), QKeySequence(), QIcon(), QString(), &MainWindow::showAbout);
    make(QStringLiteral("aboutQt"), tr("About &Qt"), QKeySequence(), QIcon(), QString(), &QApplication::aboutQt);
    make(QStringLiteral("fullScreen"), tr("F&ull Screen"), QKeySequence::FullScreen, QIcon(), QString(),
         [this]() { setWindowState(windowState() ^ Qt::WindowFullScreen); });
    m_actions.insert(QStringLiteral("back"), m_filterBar->backAction());
    addAction(m_filterBar->backAction());
}

void MainWindow::createMenus()
{
    auto a = [this](const char* key) { return m_actions.value(QString::fromLatin1(key)); };
    m_fileMenu = menuBar()->addMenu(tr("&File"));
    m_fileMenu->addActions({a("open"), a("openFolder")});
    m_recentMenu = m_fileMenu->addMenu(tr("Open &Recent"));
    m_fileMenu->addSeparator();
    m_fileMenu->addActions({a("addFiles"), a("addFolder"), a("format")});
    m_fileMenu->addSeparator();
    m_fileMenu->addActions({a("names"), a("export"), a("report")});
    m_fileMenu->addSeparator();
    m_fileMenu->addActions({a("close"), a("quit")});

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_view->copyAction());
    edit->addSeparator();
    edit->addActions({a("focusFilter"), a("clearFilter"), a("back")});
    edit->addSeparator();
    edit->addAction(a("twin"));

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewOptions->addMenus(m_viewMenu);
    m_theme->addMenu(m_viewMenu);
    QMenu* columns = m_viewMenu->addMenu(tr("&Columns"));
    for (const QString& preset : ColumnPresets::names())
        columns->addAction(preset, this, [this, preset]() { m_view->applyPreset(preset); });
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_detailsDock->toggleViewAction());
    m_pagesMenu = m_viewMenu->addMenu(tr("Analysis &Pages"));
    m_pagesMenu->menuAction()->setVisible(false);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(a("fullScreen"));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addActions({a("filterHelp"), a("demo")});
    help->addSeparator();
    help->addActions({a("about"), a("aboutQt")});

    m_toolBar = addToolBar(tr("Main Toolbar"));
    m_toolBar->setObjectName(QStringLiteral("mainToolBar"));
    m_toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_toolBar->addActions({a("open"), a("openFolder"), a("export")});
    m_toolBar->addSeparator();
    m_viewOptions->addToolBarWidgets(m_toolBar);
    m_toolBar->addSeparator();
    m_toolBar->addAction(m_detailsDock->toggleViewAction());
    m_viewMenu->insertAction(m_detailsDock->toggleViewAction(), m_toolBar->toggleViewAction());
    rebuildRecentMenu();
}

void MainWindow::showAbout()
{
    auto* about = new AboutDialog(this);
    about->setAttribute(Qt::WA_DeleteOnClose);
    about->open();
}

void MainWindow::showFilterHelp()
{
    if (!m_filterReference) {
        m_filterReference = new FilterReference(this);
        connect(m_filterReference, &FilterReference::applyFilter, this, [this](const QString& expression) {
            m_session->setFilter(expression);
            statusBar()->showMessage(tr("Filter applied from the reference: %1").arg(expression), 5000);
        });
    }
    m_filterReference->show();
    m_filterReference->raise();
    m_filterReference->activateWindow();
}

} // namespace ui
