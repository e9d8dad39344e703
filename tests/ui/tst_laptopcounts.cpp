// The laptop walkthrough's counts and export (issue 12): counts are written the same whatever the
// system locale (GUI and flowlog-cli), and File > Export through its real dialogs writes what
// `flowlog-cli export` writes. Real MainWindow, offscreen; the fixture is laptopwalkutil.h (tool
// bars, status bar and Follow Flow are in tst_laptopwalk.cpp).
#include "laptopwalkutil.h"
#include "ui/graph/attachmentspage.h"
#include "ui/io/exportcontroller.h"
#include "ui/io/loadcontroller.h"
#include "ui/io/loadreportdialog.h"
#include "ui/logic/session.h"
#include "ui/pages/dropspage.h"
#include "ui/pages/sqlpage.h"
#include "ui/shell/docklayout.h"
#include "ui/shell/filterbar.h"
#include "ui/shell/mainwindow.h"
#include "ui/shell/statussummary.h"
#include "ui/table/recordmodel.h"
#include "uihelpers.h"

#include <QAction>
#include <QApplication>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

#include "tests/testpaths.h"
#include <QtTest>
#include <memory>
#include <optional>

using namespace ui;
using laptopwalk::pageDock;

namespace {

// Answers the modal dialogs of File > Export: the options dialog with its OK button, the file
// dialog with `path` (again on every tick until it holds it: its model loads in the background).
QTimer* answerExportDialogs(const QString& path)
{
    auto* timer = new QTimer(qApp);
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, path]() {
        QWidget* modal = QApplication::activeModalWidget();
        if (auto* files = qobject_cast<QFileDialog*>(modal)) {
            uitest::typeIntoFileDialog(files, path); // typed as a user would (not selectFile(): see there)
            return;
        }
        if (modal && modal->objectName() == QLatin1String("exportOptions")) {
            if (auto* box = modal->findChild<QDialogButtonBox*>()) box->button(QDialogButtonBox::Ok)->click();
        }
    });
    timer->start();
    return timer;
}

} // namespace

class TestLaptopCounts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void countsIgnoreTheSystemLocale();
    void cliCountsIgnoreTheSystemLocale();
    void exportThroughTheMenu();

private:
    void start(const QSize& size, const QString& path);
    QStringList countTexts(); // with the current default locale
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;
    QString m_path;    // ~600 records
    QString m_bigPath; // > 1,000 records: counts with a group separator
};

void TestLaptopCounts::initTestCase()
{
    laptopwalk::Logs logs;
    laptopwalk::setUp(m_dir, logs);
    if (QTest::currentTestFailed()) return;
    m_path = logs.path;
    m_bigPath = logs.bigPath;
}

void TestLaptopCounts::cleanup()
{
    laptopwalk::tearDown(m_window);
}

void TestLaptopCounts::start(const QSize& size, const QString& path)
{
    laptopwalk::start(m_window, size, path);
}

QStringList TestLaptopCounts::countTexts()
{
    QStringList out;
    QSettings().clear();
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1366, 768);
    m_window->show();
    if (!QTest::qWaitForWindowExposed(m_window.get())) return {QStringLiteral("not exposed")};
    std::optional<core::LoadReport> report;
    connect(m_window->loadController(), &LoadController::finished, this,
            [&report](const core::LoadReport& r, LoadController::Mode) { report = r; });
    m_window->openPaths({m_bigPath});
    if (!QTest::qWaitFor([&]() { return report && m_window->statusSummary()->records() > 0; }, 30000))
        return {QStringLiteral("not loaded")};
    static const QRegularExpression seconds(QStringLiteral("in [0-9.]+ s"));
    out << QStringLiteral("report: ") + LoadReportDialog::summary(*report).replace(seconds, QStringLiteral("in ? s"));
    out << QStringLiteral("message: ") + m_window->statusBar()->currentMessage().replace(seconds, QStringLiteral("in ? s"));
    for (QLabel* l : m_window->statusSummary()->findChildren<QLabel*>()) out << QStringLiteral("summary: ") + l->text();
    auto* count = m_window->filterBar()->findChild<QLabel*>(QStringLiteral("filterCount"));
    if (!QTest::qWaitFor([&]() { return !count->text().startsWith(QLatin1String("counting")); }, 10000))
        out << QStringLiteral("still counting");
    out << QStringLiteral("filter bar: ") + count->text();
    m_window->session()->setFilter(QStringLiteral("protocol == 6"));
    if (!QTest::qWaitFor([&]() { return m_window->recordModel()->countKnown() && count->text().contains(QLatin1String(" of ")); },
                         10000))
        out << QStringLiteral("filtered count not shown");
    out << QStringLiteral("filter bar, filtered: ") + count->text();
    // Each page's status line once it has been computed for the unfiltered view (the page must report an
    // update after the filter change and not be busy: the text shown before is the filtered view's). A
    // missing line is a failure (checked by the caller), not a difference between locales.
    auto* drops = qobject_cast<DropsPage*>(dockContent(pageDock(m_window.get(), QStringLiteral("dropsPage"))));
    auto* attachments = qobject_cast<AttachmentsPage*>(dockContent(pageDock(m_window.get(), QStringLiteral("attachmentsPage"))));
    if (!drops || !attachments) return {QStringLiteral("FAIL: the Drops or Attachments page is missing")};
    QSignalSpy dropsDone(drops, &DropsPage::dropsUpdated);
    QSignalSpy graphDone(attachments, &AttachmentsPage::graphUpdated);
    m_window->session()->setFilter(QString());
    struct PageCheck {
        QWidget* page;
        QString ready; // in the status line once it is computed
        const QSignalSpy* done;
        std::function<bool()> busy;
    };
    for (const PageCheck& check :
         {PageCheck{drops, QStringLiteral(" rows · "), &dropsDone, [drops]() { return drops->isBusy(); }},
          PageCheck{attachments, QStringLiteral(" flows · "), &graphDone, [attachments]() { return attachments->isBusy(); }}}) {
        const QString name = check.page->objectName();
        QDockWidget* dock = pageDock(m_window.get(), name);
        dock->show();
        dock->raise();
        const auto computed = [&]() {
            if (check.done->isEmpty() || check.busy()) return false;
            for (QLabel* l : check.page->findChildren<QLabel*>())
                if (l->text().contains(check.ready)) return true;
            return false;
        };
        if (!QTest::qWaitFor(computed, 10000)) out << QStringLiteral("FAIL: %1 has no status line").arg(name);
        for (QLabel* l : check.page->findChildren<QLabel*>())
            if (!l->text().isEmpty()) out << name + QStringLiteral(": ") + l->text();
    }
    QDockWidget* sqlDock = pageDock(m_window.get(), QStringLiteral("sqlPage"));
    auto* sql = qobject_cast<SqlPage*>(dockContent(sqlDock));
    QSignalSpy done(sql, &SqlPage::finished);
    sql->setSql(QStringLiteral("SELECT count(*), sum(bytes), avg(bytes) * 1.5 FROM flows"));
    sql->run();
    if (!done.wait(30000)) return {QStringLiteral("SQL did not finish")};
    auto* table = sql->findChild<QTableView*>(QStringLiteral("sqlResults"));
    for (int c = 0; c < table->model()->columnCount(); ++c)
        out << QStringLiteral("sql: ") + table->model()->index(0, c).data().toString();
    out << QStringLiteral("sql status: ")
               + sql->findChild<QLabel*>(QStringLiteral("sqlStatus"))->text().replace(seconds, QStringLiteral("in ? s"));
    m_window.reset();
    return out;
}

void TestLaptopCounts::countsIgnoreTheSystemLocale()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    const QStringList english = countTexts();
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    const QStringList german = countTexts();
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    for (const QStringList* texts : {&english, &german})
        for (const QString& line : *texts) QVERIFY2(!line.startsWith(QLatin1String("FAIL:")), qPrintable(line));
    QCOMPARE(german.size(), english.size());
    for (qsizetype i = 0; i < english.size(); ++i) QCOMPARE(german.at(i), english.at(i));
    // The counts are big enough to be grouped: "1,4xx records".
    QVERIFY2(english.join(QLatin1Char('\n')).contains(QRegularExpression(QStringLiteral("\\b1,\\d{3} records"))),
             qPrintable(english.join(QLatin1Char('\n'))));
}

void TestLaptopCounts::cliCountsIgnoreTheSystemLocale()
{
    // Every record is outside the window: "1,4xx records were outside the time window", and the
    // rejected line.
    auto run = [&](const QString& locale) {
        QProcess cli;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("LC_ALL"), locale);
        env.insert(QStringLiteral("LANG"), locale);
        cli.setProcessEnvironment(env);
        cli.start(testpaths::cliPath(),
                  {QStringLiteral("summary"), QStringLiteral("--from"), QStringLiteral("2100-01-01T00:00:00Z"), m_bigPath});
        if (!cli.waitForFinished(60000)) return QStringList{QStringLiteral("timeout")};
        return QStringList{QString::fromUtf8(cli.readAllStandardOutput()), QString::fromUtf8(cli.readAllStandardError())};
    };
    const QStringList english = run(QStringLiteral("en_US.UTF-8"));
    const QStringList german = run(QStringLiteral("de_DE.UTF-8"));
    QCOMPARE(german, english);
    QVERIFY2(english.last().contains(QRegularExpression(QStringLiteral("\\b1,\\d{3} records were outside the time window"))),
             qPrintable(english.last()));
}

void TestLaptopCounts::exportThroughTheMenu()
{
    start(QSize(1366, 768), m_path);
    m_window->session()->setFilter(QStringLiteral("protocol == 6"));
    QTRY_VERIFY(m_window->recordModel()->countKnown());
    const core::ExportRequest request = m_window->currentExportRequest(false, true);
    const QString guiPath = m_dir.filePath(QStringLiteral("menu-export.csv"));
    const QString cliPath = m_dir.filePath(QStringLiteral("menu-export-cli.csv"));
    QFile::remove(guiPath);
    QFile::remove(cliPath);
    // File > Export View as CSV…, through the menu bar: the options dialog, then the file dialog.
    QMenu* file = nullptr;
    for (QAction* a : m_window->menuBar()->actions())
        if (a->menu() && a->text().remove(QLatin1Char('&')) == QLatin1String("File")) file = a->menu();
    QVERIFY(file);
    QAction* exportAction = nullptr;
    for (QAction* a : file->actions())
        if (a->text().startsWith(QLatin1String("&Export View as CSV"))) exportAction = a;
    QVERIFY(exportAction);
    QVERIFY(exportAction->isEnabled());
    QSignalSpy finished(m_window->exportController(), &ExportController::finished);
    std::unique_ptr<QTimer> answers(answerExportDialogs(guiPath));
    exportAction->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    answers.reset();
    QCOMPARE(finished.first().at(0).value<core::Outcome>(), core::Outcome::Ok);
    QCOMPARE(QFileInfo(finished.first().at(1).toString()).absoluteFilePath(), QFileInfo(guiPath).absoluteFilePath());

    QStringList args{QStringLiteral("export"), QStringLiteral("--filter"), request.filter};
    for (const auto& key : request.sort)
        args << QStringLiteral("--sort") << key.column + (key.descending ? QStringLiteral(":desc") : QString());
    args << QStringLiteral("--columns") << request.columns.join(QLatin1Char(',')) << QStringLiteral("-o") << cliPath << m_path;
    uitest::sameBytesAsCliExport(args, guiPath, cliPath);
}

QTEST_MAIN(TestLaptopCounts)
#include "tst_laptopcounts.moc"
