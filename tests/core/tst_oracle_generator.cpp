// The independent oracle as a test: tests/data/oracle/flowlog_oracle.py (standard-library
// Python, none of the product's code) writes TGW and VPC flow logs the way other generators
// do (every documented field, custom orders and subsets, `-` anywhere, NODATA/SKIPDATA, IPv6,
// hundreds of attachments and ENIs; plain, multi-member gzip, CloudWatch export / JSON / NDJSON /
// subscription / console CSV, Athena CSV, the Hive S3 layout, Parquet from its own minimal
// writer) plus a file of hostile lines, computes what flowlog-cli must print (summary counts and
// sums, edges by attachment and by address, series, drops, the counts of 47 filters) and runs
// the built CLI. Each row is one seed at a small scale (about 2,000 records, a few seconds);
// the script prints every mismatch. python3 comes with .ci/dev's packages (python3-sqlglot).
#include "tests/testpaths.h"

#include <QProcess>
#include <QStandardPaths>
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
    QTest::addColumn<int>("seed");
    QTest::addColumn<QString>("scale");
    QTest::newRow("seed 7") << 7 << QStringLiteral("0.1");
}

void TestOracleGenerator::oracle()
{
    QFETCH(int, seed);
    QFETCH(QString, scale);
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    // .ci/dev installs python3 (python3-sqlglot and awscli depend on it): a missing one is a broken setup, not a skip.
    QVERIFY2(!python.isEmpty(), "python3 is not installed: run .ci/dev (it installs python3 with python3-sqlglot)");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(python, {testpaths::testData() + QStringLiteral("/oracle/flowlog_oracle.py"), QStringLiteral("--cli"),
                     testpaths::cliPath(), QStringLiteral("--seed"), QString::number(seed), QStringLiteral("--scale"), scale,
                     QStringLiteral("--out"), dir.path()});
    QVERIFY(p.waitForStarted(30000));
    QVERIFY2(p.waitForFinished(300000), "the oracle did not finish in 5 minutes");
    const QByteArray out = p.readAll();
    qInfo().noquote() << out.trimmed();
    QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, out.constData());
    QVERIFY2(out.contains(" 0 mismatches"), out.constData());
}

QTEST_GUILESS_MAIN(TestOracleGenerator)
#include "tst_oracle_generator.moc"
