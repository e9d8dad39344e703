// The independent oracles as a test, both run against the built flowlog-cli:
// - tests/data/oracle/flowlog_oracle.py (standard-library Python, none of the product's code)
//   writes TGW and VPC flow logs the way other generators do (every documented field, custom
//   orders and subsets, `-` anywhere, NODATA/SKIPDATA, IPv6, hundreds of attachments and ENIs;
//   plain, multi-member gzip, CloudWatch export / JSON / NDJSON / subscription / console CSV,
//   Athena CSV, the Hive S3 layout, Parquet from its own minimal writer) plus a file of hostile
//   lines, and computes what the CLI must print (summary counts and sums, edges by attachment and
//   by address, series, drops, the counts of 47 filters);
// - tests/data/oracle/flowlog_oracle_commands.py (the same generator, plus python3-sqlglot)
//   checks export byte for byte, query against sqlite3 and its refusals, flow, diff, edges by
//   VPC/subnet/AZ/account, and the Athena SQL of every filter run through sqlglot in SQLite.
// Each row is one script at one seed and a small scale (about 2,000 records, seconds); the
// script prints every mismatch. The system's python3 (/usr/bin/python3) runs both: python3-sqlglot
// is a Debian package importable only by it, and .ci/dev installs it.
#include "tests/testpaths.h"

#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestOracleGenerator : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void oracle_data();
    void oracle();
};

void TestOracleGenerator::oracle_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<int>("seed");
    QTest::addColumn<QString>("scale");
    QTest::newRow("views, seed 7") << QStringLiteral("flowlog_oracle.py") << 7 << QStringLiteral("0.1");
    QTest::newRow("commands, seed 7") << QStringLiteral("flowlog_oracle_commands.py") << 7 << QStringLiteral("0.1");
}

void TestOracleGenerator::oracle()
{
    QFETCH(QString, script);
    QFETCH(int, seed);
    QFETCH(QString, scale);
    const QString python = QStringLiteral("/usr/bin/python3");
    // A missing one is a broken setup, not a skip.
    QVERIFY2(QFileInfo(python).isExecutable(), "/usr/bin/python3 is missing: run .ci/dev (it installs python3-sqlglot)");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(python, {testpaths::testData() + QStringLiteral("/oracle/") + script, QStringLiteral("--cli"), testpaths::cliPath(),
                     QStringLiteral("--seed"), QString::number(seed), QStringLiteral("--scale"), scale, QStringLiteral("--out"),
                     dir.path()});
    QVERIFY(p.waitForStarted(30000));
    QVERIFY2(p.waitForFinished(300000), "the oracle did not finish in 5 minutes");
    const QByteArray out = p.readAll();
    qInfo().noquote() << out.trimmed();
    QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, out.constData());
    QVERIFY2(out.contains(" 0 mismatches"), out.constData());
}

QTEST_GUILESS_MAIN(TestOracleGenerator)
#include "tst_oracle_generator.moc"
