// The independent oracle of flowlog-cli's other commands: tests/data/oracle/flowlog_oracle_commands.py
// (standard-library Python plus sqlglot, none of the product's code) reuses the generator of
// flowlog_oracle.py and checks export (every row and column byte for byte: RFC 4180 quoting, the
// formula guard, load order, --with-names, the rows of filters and of Name-tag filters, --sort,
// --sample keeping TGW twins together, --from/--to), edges by VPC/subnet/AZ/account, query
// (aggregates against Python's sqlite3 on the oracle's records; writes, ATTACH, PRAGMA writes,
// load_extension and several statements refused, no file written), flow (path and reply of
// generated TGW and VPC flows with decoy replies), diff (every row, CSV and JSON) and athena-sql
// (the Trino SQL of every filter, translated to SQLite by sqlglot, selects the local rows; its
// edges, series and drops views give the local CLI's rows).
#include "tests/testpaths.h"

#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestOracleCommands : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void oracle_data();
    void oracle();
};

void TestOracleCommands::oracle_data()
{
    QTest::addColumn<int>("seed");
    QTest::addColumn<QString>("scale");
    QTest::newRow("seed 7") << 7 << QStringLiteral("0.1");
}

void TestOracleCommands::oracle()
{
    QFETCH(int, seed);
    QFETCH(QString, scale);
    // python3-sqlglot is a Debian package: it is importable by the system's python3 only.
    const QString python = QStringLiteral("/usr/bin/python3");
    QVERIFY2(QFileInfo(python).isExecutable(), "/usr/bin/python3 is missing: run .ci/dev (it installs python3-sqlglot)");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(python, {testpaths::testData() + QStringLiteral("/oracle/flowlog_oracle_commands.py"), QStringLiteral("--cli"),
                     testpaths::cliPath(), QStringLiteral("--seed"), QString::number(seed), QStringLiteral("--scale"), scale,
                     QStringLiteral("--out"), dir.path()});
    QVERIFY(p.waitForStarted(30000));
    QVERIFY2(p.waitForFinished(300000), "the oracle did not finish in 5 minutes");
    const QByteArray out = p.readAll();
    qInfo().noquote() << out.trimmed();
    QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, out.constData());
    QVERIFY2(out.contains(" 0 mismatches"), out.constData());
}

QTEST_GUILESS_MAIN(TestOracleCommands)
#include "tst_oracle_commands.moc"
