// flowlog-explorer: the GUI. Parses the command line, opens the main window, loads paths.
// main() reads as the steps: application, options, names, window, what to show, paths.
#include "core/names/names.h"
#include "core/store/store.h"
#include "ui/compare/comparepage.h"
#include "ui/graph/attachmentspage.h"
#include "ui/io/loadcontroller.h"
#include "ui/logic/session.h"
#include "ui/pages/sqlpage.h"
#include "ui/shell/mainwindow.h"
#include "ui/shell/sessioncontroller.h"
#include "ui/shell/statussummary.h"
#include "ui/shell/theme.h"
#include "ui/shell/viewoptions.h"
#include "ui/table/recordmodel.h"
#include "ui/table/recordview.h"

#include <QAction>
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QEvent>
#include <QRegularExpression>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>

// The .qrc lives in the flowlog_ui static library; Q_INIT_RESOURCE must be outside any namespace.
static void initResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace {

/// --quit-after-first-paint: quits once the window has been painted and, when files or the
/// demo were given, once they have loaded (the repaint after the load). Prints one line saying
/// what was drawn; exit status 0, or 1 when the files given left no records (a smoke test's verdict).
class QuitAfterFirstPaint : public QObject {
public:
    explicit QuitAfterFirstPaint(ui::MainWindow* window) : QObject(window), m_window(window)
    {
        window->installEventFilter(this);
        connect(window->loadController(), &ui::LoadController::finished, this, [this]() {
            m_waiting = false;
            m_window->update(); // the next paint shows the loaded data
        });
    }
    /// After the paths/demo were opened: `opened` = some were given. A load that did not even
    /// start (missing paths) does not keep the window open.
    void arm(bool opened)
    {
        m_opened = opened;
        m_waiting = m_window->loadController()->isRunning();
        m_armed = true;
        m_window->update();
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (watched == m_window && event->type() == QEvent::Paint && m_armed && !m_waiting && !m_quitting) {
            m_quitting = true;
            // Quit after this paint has been delivered, from the event loop.
            QTimer::singleShot(0, this, [this]() {
                const auto store = m_window->session()->store();
                const qint64 records = store ? store->recordCount() : 0;
                std::fprintf(stderr, "flowlog-explorer: first screen drawn (%s, %lld records loaded)\n",
                             qPrintable(QApplication::platformName()), static_cast<long long>(records));
                QApplication::exit(m_opened && records == 0 ? 1 : 0);
            });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    ui::MainWindow* m_window;
    bool m_opened = false;
    bool m_armed = false;
    bool m_waiting = false;
    bool m_quitting = false;
};

/// --help / --version must work without a display: they get a QCoreApplication.
bool infoOnly(int argc, char* argv[])
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray a(argv[i]);
        if (a == "-h" || a == "--help" || a == "--help-all" || a == "-v" || a == "--version") return true;
    }
    return false;
}

std::unique_ptr<QCoreApplication> createApplication(int& argc, char* argv[], bool info)
{
    std::unique_ptr<QCoreApplication> app;
    if (info) app = std::make_unique<QCoreApplication>(argc, argv);
    else app = std::make_unique<QApplication>(argc, argv);
    initResources();
    QCoreApplication::setOrganizationName(QStringLiteral("FlowlogExplorer"));
    QCoreApplication::setApplicationName(QStringLiteral("flowlog-explorer"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLOWLOG_VERSION));
    if (!info) {
        QGuiApplication::setApplicationDisplayName(QStringLiteral("Flowlog Explorer"));
        QGuiApplication::setDesktopFileName(QStringLiteral("flowlog-explorer"));
    }
    return app;
}

QCommandLineOption hidden(QCommandLineOption option)
{
    option.setFlags(QCommandLineOption::HiddenFromHelp);
    return option;
}

/// The command line. Hidden options drive screenshots and demos.
struct Options {
    QCommandLineOption demo{QStringLiteral("demo"), QStringLiteral("Open the bundled demo data.")};
    QCommandLineOption format{QStringLiteral("format"),
                              QStringLiteral("Format string for headerless custom logs, e.g. \"${version} ${srcaddr} ...\"."),
                              QStringLiteral("format")};
    QCommandLineOption filter{QStringLiteral("filter"), QStringLiteral("Filter to apply after loading."),
                              QStringLiteral("expression")};
    QCommandLineOption dark{QStringLiteral("dark"), QStringLiteral("Use the dark theme (as View > Theme > Dark).")};
    QCommandLineOption preset{QStringLiteral("columns"),
                              QStringLiteral("Column preset: Essentials, \"Transit Gateway\", VPC or All."),
                              QStringLiteral("preset")};
    QCommandLineOption names{QStringLiteral("names"),
                             QStringLiteral("AWS CLI describe-* JSON with Name tags (repeatable), read before the logs."),
                             QStringLiteral("file")};
    QCommandLineOption namesMode{QStringLiteral("names-mode"),
                                 QStringLiteral("How ids with a Name tag are shown: ids, both (\"Name (id)\") or name."),
                                 QStringLiteral("mode")};
    QCommandLineOption screenshot =
        hidden({QStringLiteral("screenshot"), QStringLiteral("Save a PNG of the window once the data is shown, then quit."),
                QStringLiteral("png")});
    QCommandLineOption page = hidden(
        {QStringLiteral("page"), QStringLiteral("Analysis page to bring to the front (its title)."), QStringLiteral("title")});
    QCommandLineOption sql =
        hidden({QStringLiteral("sql"), QStringLiteral("Query to run on the SQL page once the data is loaded."),
                QStringLiteral("query")});
    QCommandLineOption quitAfterPaint{
        QStringLiteral("quit-after-first-paint"),
        QStringLiteral("Quit once the window is drawn (after loading the files or demo given); exit status 1 if they gave "
                       "no records. For smoke tests, e.g. with QT_QPA_PLATFORM=offscreen.")};
    QCommandLineOption compare =
        hidden({QStringLiteral("compare"),
                QStringLiteral("Compare with this baseline once loaded: a .flowlog, log path, or @UNIXTIME to split."),
                QStringLiteral("baseline")});
    QCommandLineOption matrix =
        hidden({QStringLiteral("matrix"), QStringLiteral("Show the Attachments page as its entry x exit matrix (screenshots).")});
    QCommandLineOption windowSize = hidden(
        {QStringLiteral("window-size"), QStringLiteral("Window size, e.g. 1366x768 (screenshots)."), QStringLiteral("WxH")});

    void addTo(QCommandLineParser& parser) const
    {
        parser.addOptions({demo, format, filter, preset, names, namesMode, dark, screenshot, page, sql, windowSize, compare,
                           quitAfterPaint, matrix});
    }
};

int fail(const char* message, const QString& detail = {})
{
    std::fprintf(stderr, "flowlog-explorer: %s%s\n", message, qPrintable(detail));
    return 2;
}

/// --names: read before the logs so filters by name and flow-log LogFormats apply at once.
std::optional<core::NameDirectory> readNames(const QStringList& files)
{
    core::NameDirectory directory;
    for (const QString& file : files) {
        const auto r = core::loadNamesFile(file, directory);
        if (!r.ok()) {
            fail("--names: ", r.error().toString());
            return std::nullopt;
        }
    }
    return directory;
}

/// Options that set up the window before it is shown; 0 or an exit code.
int configureWindow(ui::MainWindow& window, const QCommandLineParser& parser, const Options& o)
{
    if (parser.isSet(o.dark)) window.themeOptions()->setTheme(ui::Theme::Dark);
    if (parser.isSet(o.format)) window.setCustomFormat(parser.value(o.format));
    if (parser.isSet(o.namesMode)) {
        ui::NameDisplay mode{};
        if (!ui::ViewOptions::parseNameDisplay(parser.value(o.namesMode), &mode))
            return fail("--names-mode must be ids, both or name");
        window.session()->setNameDisplay(mode);
    }
    if (parser.isSet(o.windowSize)) {
        static const QRegularExpression re(QStringLiteral("^(\\d+)x(\\d+)$"));
        const auto m = re.match(parser.value(o.windowSize));
        if (!m.hasMatch()) return fail("--window-size must be WIDTHxHEIGHT, e.g. 1366x768");
        window.resize(m.captured(1).toInt(), m.captured(2).toInt());
    }
    return 0;
}

/// Options acting on the shown window: page in front, column preset, filter and query after
/// loading. 0 or an exit code.
int arrangeWindow(ui::MainWindow& window, const QCommandLineParser& parser, const Options& o)
{
    if (parser.isSet(o.page)) {
        const auto actions = window.findChildren<QAction*>(QStringLiteral("showPage"));
        auto it = std::find_if(actions.begin(), actions.end(),
                               [&](QAction* a) { return a->text().compare(parser.value(o.page), Qt::CaseInsensitive) == 0; });
        if (it == actions.end())
            return fail("--page: no page titled ", QLatin1Char('"') + parser.value(o.page) + QLatin1Char('"'));
        (*it)->trigger();
    }
    if (parser.isSet(o.matrix))
        if (auto* attachments = window.findChild<ui::AttachmentsPage*>()) attachments->setMode(ui::AttachmentsPage::Mode::Matrix);
    if (parser.isSet(o.preset)) {
        const QString name = parser.value(o.preset);
        QObject::connect(window.statusSummary(), &ui::StatusSummary::updated, &window,
                         [&window, name]() { window.recordView()->applyPreset(name); });
    }
    const QString filterText = parser.value(o.filter);
    if (!filterText.isEmpty())
        QObject::connect(
            window.loadController(), &ui::LoadController::finished, &window,
            [&window, filterText]() { window.session()->setFilter(filterText); }, Qt::SingleShotConnection);
    if (parser.isSet(o.sql)) {
        auto* sqlPage = window.findChild<ui::SqlPage*>();
        sqlPage->setSql(parser.value(o.sql));
        QObject::connect(window.loadController(), &ui::LoadController::finished, sqlPage, &ui::SqlPage::run,
                         Qt::SingleShotConnection);
    }
    return 0;
}

/// --screenshot: grab once the first page of the (last) view is on screen, then quit; the timer
/// lets the pages paint.
void armScreenshot(ui::MainWindow& window, const QString& png)
{
    QObject::connect(window.recordModel(), &ui::RecordModel::rowCountKnown, &window, [&window, png]() {
        if (window.loadController()->isRunning() || window.recordModel()->rowCount() == 0) return;
        window.recordView()->selectRow(std::min(3, window.recordModel()->rowCount() - 1));
        QTimer::singleShot(1500, &window, [&window, png]() {
            const bool ok = window.grab().save(png);
            std::fprintf(stderr, ok ? "screenshot saved to %s\n" : "could not save %s\n", qPrintable(png));
            QApplication::exit(ok ? 0 : 1);
        });
    });
}

/// --compare BASELINE|@UNIXTIME: open the Compare page once the data is in (screenshots).
void armCompare(ui::MainWindow& window, const QString& baseline)
{
    auto start = [&window, baseline]() {
        ui::ComparePage* comparePage = window.sessionController()->comparePage();
        if (baseline.startsWith(QLatin1Char('@'))) comparePage->setSplitTime(baseline.mid(1).toLongLong());
        else comparePage->openBaseline({QDir::current().absoluteFilePath(baseline)});
    };
    QObject::connect(window.loadController(), &ui::LoadController::finished, &window, start, Qt::SingleShotConnection);
    QObject::connect(window.sessionController(), &ui::SessionController::openFinished, &window, start, Qt::SingleShotConnection);
}

/// Paths on the command line, else --demo. 0 or an exit code.
int openInitialData(ui::MainWindow& window, const QCommandLineParser& parser, const Options& o)
{
    QStringList paths;
    for (const QString& p : parser.positionalArguments()) paths << QDir::current().absoluteFilePath(p);
    if (!paths.isEmpty()) {
        window.openPaths(paths);
    } else if (parser.isSet(o.demo)) {
        if (ui::MainWindow::findDemoDirectory().isEmpty())
            return fail("the demo data was not found; set FLOWLOG_DEMO_DIR to the resources/demo folder of the source tree.");
        window.openDemo();
    }
    return 0;
}

} // namespace

int main(int argc, char* argv[])
{
    const bool info = infoOnly(argc, argv);
    const std::unique_ptr<QCoreApplication> app = createApplication(argc, argv, info);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Explore AWS Transit Gateway and VPC flow logs (plain or gzip files, folders of S3 downloads, "
                       "CloudWatch exports)."));
    parser.addHelpOption();
    parser.addVersionOption();
    const Options options;
    options.addTo(parser);
    parser.addPositionalArgument(QStringLiteral("paths"), QStringLiteral("Flow log files or folders to open."),
                                 QStringLiteral("[paths...]"));
    parser.process(*app);

    std::optional<core::NameDirectory> names = readNames(parser.values(options.names));
    if (!names) return 2;
    ui::MainWindow window;
    if (!names->isEmpty()) window.session()->setNames(std::move(*names));
    if (const int rc = configureWindow(window, parser, options)) return rc;
    auto* quitter = parser.isSet(options.quitAfterPaint) ? new QuitAfterFirstPaint(&window) : nullptr;
    window.show();
    if (const int rc = arrangeWindow(window, parser, options)) return rc;
    if (parser.isSet(options.compare)) armCompare(window, parser.value(options.compare));
    if (const QString png = parser.value(options.screenshot); !png.isEmpty()) armScreenshot(window, png);
    if (const int rc = openInitialData(window, parser, options)) return rc;
    if (quitter) quitter->arm(!parser.positionalArguments().isEmpty() || parser.isSet(options.demo));
    return QApplication::exec();
}
