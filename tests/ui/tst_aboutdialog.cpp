// Help > About and the version everywhere: the menu entry opens the About dialog naming the
// application version (CMake's project(VERSION)), the Qt version in use and the SQLite version in
// use; Copy puts that report on the clipboard. Both binaries print the same version with
// --version, without a display; --quit-after-first-paint quits once the window is drawn. The
// man page of the GUI names every option of its --help. Oracles: qVersion(), SQLite's own
// sqlite_version() through a store, the binaries' own output.
#include "core/ingest/parquet.h"
#include "core/store/store.h"
#include "ui/shell/aboutdialog.h"
#include "ui/shell/mainwindow.h"

#include "tests/testpaths.h"
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QTest>

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run runBinary(const QString& path, const QStringList& args, const QStringList& env = {})
{
    QProcess p;
    QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
    for (const QString& kv : env) e.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
    p.setProcessEnvironment(e);
    p.start(path, args);
    Run r;
    if (!p.waitForFinished(300000)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("timed out");
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QString sqliteVersionFromSql()
{
    auto store = core::Store::create();
    if (!store.ok()) return {};
    auto st = store.value()->prepare(QStringLiteral("SELECT sqlite_version()"));
    if (!st.ok() || !st->next()) return {};
    return st->text(0);
}

} // namespace

class TestAboutDialog : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void helpMenuOpensAbout()
    {
        ui::MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QAction* about = nullptr;
        for (QAction* menu : window.menuBar()->actions())
            if (menu->menu() && menu->text().remove(QLatin1Char('&')) == QLatin1String("Help"))
                for (QAction* a : menu->menu()->actions())
                    if (a->objectName() == QLatin1String("about")) about = a;
        QVERIFY2(about, "Help > About Flowlog Explorer is missing");
        about->trigger();
        ui::AboutDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = window.findChild<ui::AboutDialog*>()) != nullptr && dialog->isVisible());

        const QString report = dialog->findChild<QPlainTextEdit*>(QStringLiteral("versionReport"))->toPlainText();
        const QStringList lines = report.split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 5);
        QCOMPARE(lines.at(0), QStringLiteral("Flowlog Explorer " FLOWLOG_VERSION));
        QVERIFY2(lines.at(1).startsWith(QStringLiteral("Qt %1 ").arg(QString::fromLatin1(qVersion()))), qPrintable(lines.at(1)));
        const QString sqlite = sqliteVersionFromSql();
        QVERIFY(!sqlite.isEmpty());
        QCOMPARE(lines.at(2), QStringLiteral("SQLite ") + sqlite);
        // DuckDB's version when this build reads Parquet, else the reason it can't.
        QCOMPARE(lines.at(3), QStringLiteral("Parquet: ") + core::parquetSupportText());
        if (core::parquetBuiltIn()) QVERIFY2(lines.at(3).startsWith(QLatin1String("Parquet: DuckDB v")), qPrintable(lines.at(3)));
        QVERIFY(dialog->findChild<QLabel*>(QStringLiteral("aboutTitle"))->text().contains(QLatin1String(FLOWLOG_VERSION)));

        QApplication::clipboard()->clear();
        QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("copyVersions")), Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), report);

        QTest::keyClick(dialog, Qt::Key_Escape);
        QTRY_VERIFY(window.findChild<ui::AboutDialog*>() == nullptr); // closed and deleted
    }

    void versionFlags_data()
    {
        QTest::addColumn<QString>("binary");
        QTest::addColumn<QString>("expected");
        QTest::newRow("flowlog-cli --version") << testpaths::cliPath() << QStringLiteral("flowlog-cli " FLOWLOG_VERSION);
        QTest::newRow("flowlog-explorer --version")
            << testpaths::guiPath() << QStringLiteral("flowlog-explorer " FLOWLOG_VERSION);
    }
    void versionFlags()
    {
        QFETCH(QString, binary);
        QFETCH(QString, expected);
        // No display at all: --version must not need one.
        const Run r =
            runBinary(binary, {QStringLiteral("--version")}, {QStringLiteral("QT_QPA_PLATFORM="), QStringLiteral("DISPLAY=")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out.trimmed(), expected);
    }

    void quitAfterFirstPaint_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("line");
        QTest::newRow("empty window") << QStringList{} << 0 << QStringLiteral("first screen drawn (offscreen, 0 records loaded)");
        QTest::newRow("demo") << QStringList{QStringLiteral("--demo")} << 0 << QStringLiteral("records loaded)");
        QTest::newRow("a file with no records") << QStringList{testpaths::testData() + QStringLiteral("/does-not-exist.log")} << 1
                                                << QStringLiteral("0 records loaded)");
    }
    void quitAfterFirstPaint()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, line);
        const Run r =
            runBinary(testpaths::guiPath(), args << QStringLiteral("--quit-after-first-paint"),
                      {QStringLiteral("QT_QPA_PLATFORM=offscreen"), QStringLiteral("FLOWLOG_DEMO_DIR=") + testpaths::demoData(),
                       QStringLiteral("HOME=") + QDir::tempPath()});
        QVERIFY2(r.err.contains(QLatin1String("flowlog-explorer: first screen drawn")), qPrintable(r.err));
        QVERIFY2(r.err.contains(line), qPrintable(r.err));
        QCOMPARE(r.exitCode, exitCode);
        if (args.contains(QLatin1String("--demo"))) {
            const QRegularExpression count(QStringLiteral("offscreen, ([0-9]+) records loaded"));
            const auto m = count.match(r.err);
            QVERIFY2(m.hasMatch() && m.captured(1).toLongLong() > 1000, qPrintable(r.err));
        }
    }

    void guiManPageNamesEveryOption()
    {
        const Run help = runBinary(testpaths::guiPath(), {QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QFile page(testpaths::demoData() + QStringLiteral("/../man/flowlog-explorer.1.in"));
        QVERIFY(page.open(QIODevice::ReadOnly));
        const QString man = QString::fromUtf8(page.readAll());
        const QRegularExpression re(QStringLiteral("^\\s+(?:-[a-z], )?(--[a-z][a-z-]*)"), QRegularExpression::MultilineOption);
        int n = 0;
        for (auto it = re.globalMatch(help.out); it.hasNext(); ++n) {
            const QString option = it.next().captured(1);
            QString escaped = option;
            escaped.replace(QLatin1Char('-'), QStringLiteral("\\-"));
            QVERIFY2(
                man.contains(QStringLiteral("\\fB") + escaped + QStringLiteral("\\fR")),
                qPrintable(QStringLiteral("%1 is in `flowlog-explorer --help` but not in resources/man/flowlog-explorer.1.in")
                               .arg(option)));
        }
        QVERIFY2(n >= 8, qPrintable(help.out));
    }
};

QTEST_MAIN(TestAboutDialog)
#include "tst_aboutdialog.moc"
