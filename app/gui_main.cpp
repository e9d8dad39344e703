// flowlog-explorer: the GUI. Parses the command line, opens the main window, loads paths.
#include "core/names/names.h"
#include "ui/compare/comparepage.h"
#include "ui/logic/session.h"
#include "ui/pages/sqlpage.h"
#include "ui/shell/mainwindow.h"
#include "ui/shell/sessioncontroller.h"
#include "ui/shell/statussummary.h"
#include "ui/shell/viewoptions.h"
#include "ui/table/recordmodel.h"
#include "ui/table/recordview.h"

#include <QAction>
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QPalette>
#include <QStyleFactory>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <memory>

namespace {

QPalette darkPalette()
{
    QPalette p;
    const QColor window(45, 45, 48), base(30, 30, 32), text(220, 220, 220), disabled(127, 127, 127);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(40, 40, 43));
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Link, QColor(110, 170, 255));
    p.setColor(QPalette::Highlight, QColor(42, 110, 200));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Disabled, QPalette::Text, disabled);
    p.setColor(QPalette::Disabled, QPalette::WindowText, disabled);
    p.setColor(QPalette::Disabled, QPalette::ButtonText, disabled);
    return p;
}

} // namespace

int main(int argc, char* argv[])
{
    // --help / --version must work without a display: answer them with a QCoreApplication.
    std::unique_ptr<QCoreApplication> app;
    bool infoOnly = false;
    for (int i = 1; i < argc; ++i) {
        const QByteArray a(argv[i]);
        infoOnly = infoOnly || a == "-h" || a == "--help" || a == "--help-all" || a == "-v" || a == "--version";
    }
    if (infoOnly) app = std::make_unique<QCoreApplication>(argc, argv);
    else app = std::make_unique<QApplication>(argc, argv);
    Q_INIT_RESOURCE(resources); // the .qrc lives in the flowlog_ui static library
    QCoreApplication::setOrganizationName(QStringLiteral("FlowlogExplorer"));
    QCoreApplication::setApplicationName(QStringLiteral("flowlog-explorer"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLOWLOG_VERSION));
    if (!infoOnly) {
        QGuiApplication::setApplicationDisplayName(QStringLiteral("Flowlog Explorer"));
        QGuiApplication::setDesktopFileName(QStringLiteral("flowlog-explorer"));
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Explore AWS Transit Gateway and VPC flow logs (plain or gzip files, folders of S3 downloads, "
                       "CloudWatch exports)."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption demo(QStringLiteral("demo"), QStringLiteral("Open the bundled demo data."));
    QCommandLineOption format(QStringLiteral("format"),
                              QStringLiteral("Format string for headerless custom logs, e.g. \"${version} ${srcaddr} ...\"."),
                              QStringLiteral("format"));
    QCommandLineOption filter(QStringLiteral("filter"), QStringLiteral("Filter to apply after loading."),
                              QStringLiteral("expression"));
    QCommandLineOption dark(QStringLiteral("dark"), QStringLiteral("Use a dark palette."));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Save a PNG of the window once the data is shown, then quit."),
                                  QStringLiteral("png"));
    screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption preset(QStringLiteral("columns"),
                              QStringLiteral("Column preset: Essentials, \"Transit Gateway\", VPC or All."),
                              QStringLiteral("preset"));
    QCommandLineOption namesMode(QStringLiteral("names-mode"),
                                 QStringLiteral("How ids with a Name tag are shown: ids, both (\"Name (id)\") or name."),
                                 QStringLiteral("mode"));
    QCommandLineOption page(QStringLiteral("page"), QStringLiteral("Analysis page to bring to the front (its title)."),
                            QStringLiteral("title"));
    page.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption sql(QStringLiteral("sql"), QStringLiteral("Query to run on the SQL page once the data is loaded."),
                           QStringLiteral("query"));
    sql.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption compare(
        QStringLiteral("compare"),
        QStringLiteral("Compare with this baseline once loaded: a .flowlog, log path, or @UNIXTIME to split."),
        QStringLiteral("baseline"));
    compare.setFlags(QCommandLineOption::HiddenFromHelp);
    QCommandLineOption names(QStringLiteral("names"),
                             QStringLiteral("AWS CLI describe-* JSON with Name tags (repeatable), read before the logs."),
                             QStringLiteral("file"));
    parser.addOptions({demo, format, filter, preset, names, namesMode, dark, screenshot, page, sql, compare});
    parser.addPositionalArgument(QStringLiteral("paths"), QStringLiteral("Flow log files or folders to open."),
                                 QStringLiteral("[paths...]"));
    parser.process(*app);

    if (parser.isSet(dark)) {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(darkPalette());
    }

    core::NameDirectory nameDirectory;
    for (const QString& file : parser.values(names)) {
        const auto r = core::loadNamesFile(file, nameDirectory);
        if (!r.ok()) {
            std::fprintf(stderr, "flowlog-explorer: --names: %s\n", qPrintable(r.error().toString()));
            return 2;
        }
    }

    ui::MainWindow window;
    if (!nameDirectory.isEmpty()) window.session()->setNames(std::move(nameDirectory));
    if (parser.isSet(format)) window.setCustomFormat(parser.value(format));
    if (parser.isSet(namesMode)) {
        ui::NameDisplay mode{};
        if (!ui::ViewOptions::parseNameDisplay(parser.value(namesMode), &mode)) {
            std::fprintf(stderr, "flowlog-explorer: --names-mode must be ids, both or name\n");
            return 2;
        }
        window.session()->setNameDisplay(mode);
    }
    window.show();
    if (parser.isSet(page)) {
        const auto actions = window.findChildren<QAction*>(QStringLiteral("showPage"));
        auto it = std::find_if(actions.begin(), actions.end(),
                               [&](QAction* a) { return a->text().compare(parser.value(page), Qt::CaseInsensitive) == 0; });
        if (it == actions.end()) {
            std::fprintf(stderr, "flowlog-explorer: --page: no page titled \"%s\"\n", qPrintable(parser.value(page)));
            return 2;
        }
        (*it)->trigger();
    }

    if (parser.isSet(preset)) {
        const QString name = parser.value(preset);
        QObject::connect(window.statusSummary(), &ui::StatusSummary::updated, &window,
                         [&window, name]() { window.recordView()->applyPreset(name); });
    }
    const QString filterText = parser.value(filter);
    if (!filterText.isEmpty())
        QObject::connect(
            window.loadController(), &ui::LoadController::finished, &window,
            [&window, filterText]() { window.session()->setFilter(filterText); }, Qt::SingleShotConnection);

    if (parser.isSet(sql)) {
        auto* sqlPage = window.findChild<ui::SqlPage*>();
        sqlPage->setSql(parser.value(sql));
        QObject::connect(window.loadController(), &ui::LoadController::finished, sqlPage, &ui::SqlPage::run,
                         Qt::SingleShotConnection);
    }

    if (parser.isSet(compare)) {
        const QString baseline = parser.value(compare);
        auto start = [&window, baseline]() {
            ui::ComparePage* comparePage = window.sessionController()->comparePage();
            if (baseline.startsWith(QLatin1Char('@'))) comparePage->setSplitTime(baseline.mid(1).toLongLong());
            else comparePage->openBaseline({QDir::current().absoluteFilePath(baseline)});
        };
        QObject::connect(window.loadController(), &ui::LoadController::finished, &window, start, Qt::SingleShotConnection);
        QObject::connect(window.sessionController(), &ui::SessionController::openFinished, &window, start,
                         Qt::SingleShotConnection);
    }

    const QString shot = parser.value(screenshot);
    if (!shot.isEmpty()) {
        // Grab once the first page of the (last) view is on screen; the timer lets pages paint.
        QObject::connect(window.recordModel(), &ui::RecordModel::rowCountKnown, &window, [&window, shot]() {
            if (window.loadController()->isRunning() || window.recordModel()->rowCount() == 0) return;
            window.recordView()->selectRow(std::min(3, window.recordModel()->rowCount() - 1));
            QTimer::singleShot(1500, &window, [&window, shot]() {
                const bool ok = window.grab().save(shot);
                std::fprintf(stderr, ok ? "screenshot saved to %s\n" : "could not save %s\n", qPrintable(shot));
                QApplication::exit(ok ? 0 : 1);
            });
        });
    }

    QStringList paths;
    for (const QString& p : parser.positionalArguments()) paths << QDir::current().absoluteFilePath(p);
    if (!paths.isEmpty()) window.openPaths(paths);
    else if (parser.isSet(demo)) {
        if (ui::MainWindow::findDemoDirectory().isEmpty()) {
            std::fprintf(stderr, "flowlog-explorer: the demo data was not found; set FLOWLOG_DEMO_DIR to the "
                                 "resources/demo folder of the source tree.\n");
            return 2;
        }
        window.openDemo();
    }
    return QApplication::exec();
}
