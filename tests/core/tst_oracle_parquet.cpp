// Parquet strings with control bytes, found by the independent oracle: the Parquet fast path
// (core/ingest/parquet_rows.cpp) took text values without parseTokens(), so a NUL or CR in a
// string column became part of a record (and of `flowlog-cli export`'s CSV) while the same line
// in a text log is rejected. tests/data/oracle/control_bytes.parquet was written by the oracle's
// own minimal Parquet writer (flowlog_oracle.py write_parquet): 5 rows, uncompressed.
#include "core/ingest/parquet.h"
#include "tests/clitestutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace clitest;

class TestOracleParquet : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void controlBytes_data();
    void controlBytes();
};

void TestOracleParquet::controlBytes_data()
{
    QTest::addColumn<int>("row");        // 1-based row of the file
    QTest::addColumn<QString>("reason"); // empty = a record
    QTest::newRow("plain row") << 1 << "";
    QTest::newRow("NUL in action") << 2 << "action: 'ACC\\x00EPT' contains a control byte (0x00)";
    QTest::newRow("SOH in interface-id") << 3 << "interface-id: 'eni-\\x01x' contains a control byte (0x01)";
    QTest::newRow("CR in an extra column") << 4 << "extra column 0: 'a\\x0db' contains a control byte (0x0d)";
    QTest::newRow("all null") << 5 << "";
}

void TestOracleParquet::controlBytes()
{
    QFETCH(int, row);
    QFETCH(QString, reason);
    if (!core::parquetBuiltIn()) QSKIP("built without DuckDB (FLOWLOG_PARQUET off): Parquet files are refused");
    const QString path = testpaths::testData() + QStringLiteral("/oracle/control_bytes.parquet");
    const Run r = runCli({QStringLiteral("summary"), path});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o.value(QStringLiteral("records")).toInteger() + o.value(QStringLiteral("rejected")).toInteger(), 5);
    QString got;
    for (const QJsonValue& v : o.value(QStringLiteral("rejections")).toArray())
        if (v.toObject().value(QStringLiteral("line")).toInt() == row)
            got = v.toObject().value(QStringLiteral("reason")).toString();
    QCOMPARE(got, reason);
}

QTEST_GUILESS_MAIN(TestOracleParquet)
#include "tst_oracle_parquet.moc"
