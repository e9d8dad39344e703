// The man page of flowlog-cli (resources/man/flowlog-cli.1.in, installed by cmake --install and
// the .deb) stays in step with `flowlog-cli --help`: every subcommand and every option the help
// names has an entry, the version comes from CMake, and groff formats it without a warning.
// The oracle is the binary's own --help text, run as a user would.
#include "tests/testpaths.h"
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QtTest>

namespace {

QString manSource(const QString& page)
{
    return QDir(testpaths::demoData()).absoluteFilePath(QStringLiteral("../man/%1.1.in").arg(page));
}

QString readText(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(f.readAll());
}

QString cliOutput(const QStringList& args)
{
    QProcess p;
    p.start(testpaths::cliPath(), args);
    if (!p.waitForFinished(60000)) return {};
    return QString::fromUtf8(p.readAllStandardOutput());
}

/// "--no-formula-guard" as troff writes it in the page: "\-\-no\-formula\-guard".
QString troff(const QString& option)
{
    QString s = option;
    return s.replace(QLatin1Char('-'), QStringLiteral("\\-"));
}

} // namespace

class TestManPages : public QObject {
    Q_OBJECT
    QString m_page;
    QString m_help;

private Q_SLOTS:
    void initTestCase()
    {
        m_page = readText(manSource(QStringLiteral("flowlog-cli")));
        QVERIFY2(!m_page.isEmpty(), qPrintable(manSource(QStringLiteral("flowlog-cli"))));
        m_help = cliOutput({QStringLiteral("--help")});
        QVERIFY(m_help.contains(QLatin1String("Usage:")));
    }

    void everyOptionOfHelpIsDocumented_data()
    {
        QTest::addColumn<QString>("option");
        const QRegularExpression re(QStringLiteral("(?<![\\w-])(--[a-z][a-z-]*[a-z]|-[a-z])(?=[\\s,=\\]|])"));
        QStringList seen;
        for (auto it = re.globalMatch(m_help); it.hasNext();) {
            const QString o = it.next().captured(1);
            if (seen.contains(o)) continue;
            seen << o;
            QTest::newRow(qPrintable(o)) << o;
        }
        QVERIFY2(seen.size() >= 20, qPrintable(seen.join(QLatin1Char(' '))));
    }
    void everyOptionOfHelpIsDocumented()
    {
        QFETCH(QString, option);
        QVERIFY2(m_page.contains(QStringLiteral("\\fB") + troff(option) + QStringLiteral("\\fR")),
                 qPrintable(QStringLiteral("%1 is in `flowlog-cli --help` but has no entry in %2: add a .TP for it")
                                .arg(option, manSource(QStringLiteral("flowlog-cli")))));
    }

    void everySubcommandIsDocumented_data()
    {
        QTest::addColumn<QString>("command");
        const QRegularExpression re(QStringLiteral("^  flowlog-cli ([a-z]+) "), QRegularExpression::MultilineOption);
        int n = 0;
        for (auto it = re.globalMatch(m_help); it.hasNext(); ++n) {
            const QString c = it.next().captured(1);
            QTest::newRow(qPrintable(c)) << c;
        }
        QVERIFY(n >= 7);
    }
    void everySubcommandIsDocumented()
    {
        QFETCH(QString, command);
        QVERIFY2(m_page.contains(QStringLiteral("\n.B ") + command + QLatin1Char('\n')),
                 qPrintable(QStringLiteral("subcommand %1 has no entry under SUBCOMMANDS in %2")
                                .arg(command, manSource(QStringLiteral("flowlog-cli")))));
        QVERIFY2(m_page.contains(QStringLiteral("\\fBflowlog\\-cli ") + command),
                 qPrintable(QStringLiteral("subcommand %1 is missing from the SYNOPSIS").arg(command)));
    }

    void versionComesFromCMake()
    {
        QCOMPARE(cliOutput({QStringLiteral("--version")}).trimmed(), QStringLiteral("flowlog-cli " FLOWLOG_VERSION));
        QVERIFY(m_page.contains(QLatin1String("\"flowlog-explorer @FLOWLOG_VERSION@\"")));
    }

    void groffFormatsWithoutWarnings_data()
    {
        QTest::addColumn<QString>("page");
        QTest::newRow("flowlog-cli") << QStringLiteral("flowlog-cli");
        QTest::newRow("flowlog-explorer") << QStringLiteral("flowlog-explorer");
    }
    void groffFormatsWithoutWarnings()
    {
        QFETCH(QString, page);
        const QString groff = QStandardPaths::findExecutable(QStringLiteral("groff"));
        if (groff.isEmpty()) QSKIP("groff is not installed (Debian: groff-base)");
        QString text = readText(manSource(page));
        QVERIFY(!text.isEmpty());
        text.replace(QLatin1String("@FLOWLOG_VERSION@"), QLatin1String(FLOWLOG_VERSION));
        text.replace(QLatin1String("@FLOWLOG_MAN_DATE@"), QLatin1String("2026-01-01"));
        QProcess p;
        p.start(groff, {QStringLiteral("-man"), QStringLiteral("-Tutf8"), QStringLiteral("-ww"), QStringLiteral("-z")});
        QVERIFY(p.waitForStarted());
        p.write(text.toUtf8());
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(60000));
        const QString warnings = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(warnings.isEmpty(), qPrintable(page + QStringLiteral(": ") + warnings));
        QCOMPARE(p.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestManPages)
#include "tst_manpages.moc"
