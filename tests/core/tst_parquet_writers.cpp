// Parquet as other writers make it (core/ingest/parquet.h): the same 250 VPC rows
// (tests/data/parquet/vpc_int32_gzip.parquet, itself checked against its text twin in
// tst_parquet) rewritten at run time by DuckDB's COPY ... (FORMAT parquet, ...) with other
// codecs, encodings, page versions, row groups, integer types, column orders, missing, extra
// and all-null columns. Each variant must read to the reference's records (less the columns it
// drops) or be refused with a sentence naming the file and the column. Debian 12 packages no
// other Parquet writer (apt-cache search parquet: nothing), so DuckDB is the writer here.
#include "core/ingest/ingest.h"
#include "core/ingest/parquet.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#ifdef FLOWLOG_TEST_DUCKDB
#include "tests/duckdbtestutil.h"
#include "tests/testpaths.h"
#include <duckdb.h>
#endif

using namespace core;

namespace {

const QString kReference = testpaths::testData() + QStringLiteral("/parquet/vpc_int32_gzip.parquet");
constexpr qint64 kRows = 250;

/// Per record: every present field and extra column as text ("extra:<column>").
struct Sink final : RecordSink {
    std::vector<QMap<QString, QString>> records;
    std::vector<qint64> lines;
    QStringList extras;
    qint64 rejected = 0;
    std::vector<qint64> order; ///< row of each record and rejection, as the sink got them
    QStringList reasons;
    void record(const FlowRecord& r) override
    {
        QMap<QString, QString> m;
        for (const FieldInfo& f : allFields()) {
            if (!r.has(f.id)) continue;
            m.insert(QLatin1String(f.name), f.type == FieldType::Integer
                                                ? QString::number(r.integer(f.id))
                                                : QString::fromUtf8(r.text(f.id).data(), qsizetype(r.text(f.id).size())));
        }
        for (const auto& [idx, v] : r.extras)
            m.insert(QStringLiteral("extra:") + extras.value(idx), QString::fromUtf8(v.data(), qsizetype(v.size())));
        records.push_back(std::move(m));
        lines.push_back(r.line);
        order.push_back(r.line);
    }
    void reject(const Rejection& r) override
    {
        ++rejected;
        order.push_back(r.line);
        reasons << r.reason;
    }
    int extraColumn(std::string_view token) override
    {
        const QString name = QString::fromUtf8(token.data(), qsizetype(token.size()));
        if (!extras.contains(name)) extras.append(name);
        return int(extras.indexOf(name));
    }
};

#ifdef FLOWLOG_TEST_DUCKDB
/// The SQL that every variant starts from: table src (the reference's rows) and table numbered
/// (src with rn, its row number, which keeps the reference's order through copies).
using duckdbtest::runDuckDb;

QString sourceTables()
{
    return QStringLiteral("SET threads=1; CREATE TABLE src AS SELECT * FROM read_parquet('%1'); "
                          "CREATE TABLE numbered AS SELECT row_number() OVER () AS rn, * FROM src; ")
        .arg(kReference);
}

#endif

} // namespace

class TestParquetWriters : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
#ifndef FLOWLOG_TEST_DUCKDB
        QSKIP("built without DuckDB (FLOWLOG_PARQUET off): no writer for the variants");
#endif
        QVERIFY2(parquetSupported(), qPrintable(parquetSupportText()));
    }

    void variants_data()
    {
        QTest::addColumn<QString>("select");     // over table src (the reference's 250 rows)
        QTest::addColumn<QString>("options");    // COPY options after FORMAT parquet
        QTest::addColumn<QStringList>("absent"); // fields ("extra:<column>") left out of the comparison
        QTest::addColumn<QStringList>("kept");   // added columns: "<column>=<row 1's value as text>"
        QTest::addColumn<QString>("refusal");    // empty: must read to the reference's records

        // A variant that reads to the reference's records (less `absent`).
        const auto same = [](const char* name, const QString& select, const QString& options, const QStringList& absent = {},
                             const QStringList& kept = {}) {
            QTest::newRow(name) << select << options << absent << kept << QString();
        };
        // A variant whose column `column`, of Parquet type `type`, refuses the file.
        const auto refused = [](const char* name, const QString& replace, const QString& column, const QString& type) {
            QTest::newRow(name) << QStringLiteral("SELECT * REPLACE (%1) FROM src").arg(replace)
                                << QStringLiteral("COMPRESSION gzip") << QStringList() << QStringList()
                                << QStringLiteral("Parquet column '%1' is %2, but %1 is an integer field").arg(column, type);
        };
        const QString all = QStringLiteral("SELECT * FROM src");
        for (const char* codec : {"gzip", "snappy", "zstd", "uncompressed", "lz4_raw", "brotli"})
            same(codec, all, QStringLiteral("COMPRESSION %1").arg(QLatin1String(codec)));
        same("plain encoding, data page v2 (DELTA encodings)", all,
             "COMPRESSION gzip, PARQUET_VERSION V2, DICTIONARY_SIZE_LIMIT 1");
        same("17 copies in row groups of 2048 rows", "SELECT src.* FROM range(17) r(k), numbered src ORDER BY k, src.rn",
             "COMPRESSION snappy, ROW_GROUP_SIZE 2048");
        same("every integer INT64",
             "SELECT * REPLACE (version::BIGINT AS version, srcport::BIGINT AS srcport, dstport::BIGINT AS dstport, "
             "protocol::BIGINT AS protocol, tcp_flags::BIGINT AS tcp_flags, traffic_path::BIGINT AS traffic_path) FROM src",
             "COMPRESSION gzip");
        same("small and unsigned integers",
             "SELECT * REPLACE (version::TINYINT AS version, srcport::USMALLINT AS srcport, dstport::UINTEGER AS dstport, "
             "protocol::UTINYINT AS protocol, packets::UBIGINT AS packets, bytes::UBIGINT AS bytes, "
             "tcp_flags::SMALLINT AS tcp_flags) FROM src",
             "COMPRESSION zstd");
        same("whole-number DECIMAL counters",
             "SELECT * REPLACE (packets::DECIMAL(18,0) AS packets, bytes::DECIMAL(38,0) AS bytes, "
             "start::DECIMAL(12,0) AS start) FROM src",
             "COMPRESSION gzip");
        same("integers written as strings", "SELECT * REPLACE (srcport::VARCHAR AS srcport, bytes::VARCHAR AS bytes) FROM src",
             "COMPRESSION gzip");
        same("columns in reverse order",
             "SELECT rn, x_team_tag, traffic_path, flow_direction, region, type, tcp_flags, instance_id, subnet_id, vpc_id, "
             "log_status, action, \"end\", start, bytes, packets, protocol, dstport, srcport, dstaddr, srcaddr, "
             "interface_id, account_id, version FROM src",
             "COMPRESSION gzip");
        same("hyphen column names",
             "SELECT * RENAME (tcp_flags AS \"tcp-flags\", log_status AS \"log-status\", interface_id AS \"interface-id\") "
             "FROM src",
             "COMPRESSION gzip");
        same("optional columns missing", "SELECT * EXCLUDE (tcp_flags, region, instance_id, traffic_path, x_team_tag) FROM src",
             "COMPRESSION gzip", {"tcp-flags", "region", "instance-id", "traffic-path", "extra:x_team_tag"});
        same("extra columns of other types",
             "SELECT *, 1.5::DOUBLE AS x_ratio, true AS x_flag, TIMESTAMP '2024-01-01 00:00:00' AS x_seen, "
             "42::INTEGER AS x_count, NULL::VARCHAR AS x_empty FROM src",
             "COMPRESSION snappy", {"extra:x_ratio", "extra:x_flag", "extra:x_seen", "extra:x_count"},
             {"x_ratio=1.5", "x_flag=true", "x_seen=2024-01-01 00:00:00", "x_count=42"});
        same("all-null columns",
             "SELECT * REPLACE (NULL::INTEGER AS srcport, NULL::VARCHAR AS instance_id, NULL::BIGINT AS bytes) FROM src",
             "COMPRESSION gzip", {"srcport", "instance-id", "bytes"});
        refused("DECIMAL with decimal places in an integer field", "bytes::DECIMAL(18,2) AS bytes", "bytes",
                "DECIMAL with 2 decimal places");
        refused("BOOLEAN in an integer field", "(srcport > 20100) AS srcport", "srcport", "BOOLEAN");
        refused("FLOAT in an integer field", "packets::FLOAT AS packets", "packets", "FLOAT");
    }
    void variants()
    {
#ifdef FLOWLOG_TEST_DUCKDB
        QFETCH(QString, select);
        QFETCH(QString, options);
        QFETCH(QStringList, absent);
        QFETCH(QStringList, kept);
        QFETCH(QString, refusal);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("variant.parquet"));
        // rn keeps the reference's row order through the copies; it is not written.
        const QString error = runDuckDb(
            sourceTables()
            + QStringLiteral("COPY (SELECT * EXCLUDE (rn) FROM (%1)) TO '%2' (FORMAT parquet, %3)")
                  .arg(QString(select).replace(QLatin1String("FROM src"), QLatin1String("FROM numbered src")), path, options));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        Sink reference;
        const FileOutcome ro = readFile(kReference, ReadOptions{}, reference);
        QVERIFY(!ro.fatal);
        QCOMPARE(ro.records, kRows);
        Sink sink;
        const FileOutcome o = readFile(path, ReadOptions{}, sink);
        if (!refusal.isEmpty()) {
            QVERIFY2(o.fatal, "read without a refusal");
            QCOMPARE(o.fatal->toString(), path + QStringLiteral(": ") + refusal);
            QCOMPARE(o.records, qint64(0));
            return;
        }
        QVERIFY2(!o.fatal, qPrintable(o.fatal ? o.fatal->toString() : QString()));
        QCOMPARE(o.rejected, qint64(0));
        QVERIFY(o.records % kRows == 0 && o.records > 0);
        for (size_t i = 0; i < sink.records.size(); ++i) {
            QCOMPARE(sink.lines[i], qint64(i) + 1);
            QMap<QString, QString> expected = reference.records[i % size_t(kRows)];
            QMap<QString, QString> got = sink.records[i];
            for (const QString& k : absent) {
                expected.remove(k);
                got.remove(k);
            }
            if (got != expected) {
                QStringList diff;
                for (auto it = expected.cbegin(); it != expected.cend(); ++it)
                    if (got.value(it.key()) != it.value())
                        diff << it.key() + QLatin1Char('=') + it.value() + QLatin1String(" vs ")
                                    + got.value(it.key(), QStringLiteral("(missing)"));
                for (auto it = got.cbegin(); it != got.cend(); ++it)
                    if (!expected.contains(it.key())) diff << it.key() + QLatin1String(" unexpected");
                QFAIL(qPrintable(QStringLiteral("row %1: %2").arg(i + 1).arg(diff.join(QLatin1String(", ")))));
            }
        }
        // Added columns are kept as extra columns (values as DuckDB's text).
        for (const QString& k : kept) {
            const QString column = k.section(QLatin1Char('='), 0, 0);
            QVERIFY2(sink.extras.contains(column), qPrintable(column));
            QCOMPARE(sink.records[0].value(QStringLiteral("extra:") + column), k.section(QLatin1Char('='), 1));
        }
#endif
    }

    /// A file with its own column named file_row_number (DuckDB's name for its virtual row-number
    /// column, which the damage fallback filters on) and a damaged row group: the column is an
    /// extra column like any other, only the damaged group's rows are rejected, in row order.
    void fileRowNumberColumnAndDamage()
    {
#ifdef FLOWLOG_TEST_DUCKDB
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("frn.parquet"));
        // 17 copies of the reference (4250 rows) in row groups of 2048; file_row_number = 1000 + row.
        std::vector<qint64> meta;
        const QString error = runDuckDb(
            sourceTables()
                + QStringLiteral("COPY (SELECT * EXCLUDE (rn, k), 1000 + row_number() OVER (ORDER BY k, rn) AS file_row_number "
                                 "FROM range(17) r(k), numbered ORDER BY k, rn) TO '%1' "
                                 "(FORMAT parquet, COMPRESSION gzip, ROW_GROUP_SIZE 2048); "
                                 "SELECT (SELECT sum(row_group_num_rows) FILTER (WHERE row_group_id < 1) FROM "
                                 "(SELECT DISTINCT row_group_id, row_group_num_rows FROM parquet_metadata('%1'))), "
                                 "(SELECT any_value(row_group_num_rows) FROM parquet_metadata('%1') WHERE row_group_id = 1), "
                                 "(SELECT num_rows FROM parquet_file_metadata('%1')), "
                                 "(SELECT data_page_offset FROM parquet_metadata('%1') WHERE row_group_id = 1 "
                                 "AND path_in_schema = 'srcaddr')")
                      .arg(path),
            &meta);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(meta.size(), size_t(4));
        const qint64 groupFirst = meta[0], groupRows = meta[1], total = meta[2], pageOffset = meta[3];
        QCOMPARE(total, 17 * kRows);
        QVERIFY2(groupFirst == 2048 && groupRows > 0 && groupFirst + groupRows < total,
                 qPrintable(QStringLiteral("row group 2: rows %1 + %2 of %3").arg(groupFirst).arg(groupRows).arg(total)));
        {
            // 0x55 over the second row group's srcaddr data page (+20 skips its page header).
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.seek(pageOffset + 20));
            QCOMPARE(f.write(QByteArray(200, char(0x55))), qint64(200));
        }
        Sink sink;
        const FileOutcome o = readFile(path, ReadOptions{}, sink);
        QVERIFY2(!o.fatal, qPrintable(o.fatal ? o.fatal->toString() : QString()));
        QCOMPARE(o.rejected, groupRows);
        QCOMPARE(o.records, total - groupRows);
        QCOMPARE(qint64(sink.order.size()), total);
        for (size_t i = 0; i < sink.order.size(); ++i) QCOMPARE(sink.order[i], qint64(i) + 1);
        const QString ours =
            QStringLiteral("Parquet row group 2 (rows %1-%2) unreadable: ").arg(groupFirst + 1).arg(groupFirst + groupRows);
        QVERIFY2(sink.reasons.front().startsWith(ours), qPrintable(sink.reasons.front()));
        QVERIFY(sink.extras.contains(QStringLiteral("file_row_number")));
        // The file's own column is kept as its values, on the rows before and after the damage.
        QCOMPARE(sink.records.front().value(QStringLiteral("extra:file_row_number")), QStringLiteral("1001"));
        QCOMPARE(sink.lines[size_t(groupFirst)], groupFirst + groupRows + 1);
        QCOMPARE(sink.records[size_t(groupFirst)].value(QStringLiteral("extra:file_row_number")),
                 QString::number(1000 + groupFirst + groupRows + 1));
        QCOMPARE(sink.records.back().value(QStringLiteral("extra:file_row_number")), QString::number(1000 + total));
#endif
    }

    /// Records without an account or region of their own (no such column, or null) take them from
    /// the S3 partition folders; a record's own value wins (the same rule as text logs:
    /// tst_partition_values).
    void partitionValuesFromPath_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QString>("select");
        QTest::addColumn<QString>("account");
        QTest::addColumn<QString>("region");
        const QString without = QStringLiteral("SELECT * EXCLUDE (account_id, region) FROM src");
        QTest::newRow("Hive")
            << "AWSLogs/aws-account-id=210987654321/aws-service=vpcflowlogs/aws-region=eu-west-3/year=2014/month=12/day=14"
            << without << "210987654321"
            << "eu-west-3";
        QTest::newRow("classic, hourly") << "AWSLogs/210987654321/vpcflowlogs/us-gov-west-1/2014/12/14/04" << without
                                         << "210987654321"
                                         << "us-gov-west-1";
        QTest::newRow("no partition folders") << "downloads" << without << ""
                                              << "";
        QTest::newRow("a null account takes the path's")
            << "AWSLogs/aws-account-id=210987654321/aws-service=vpcflowlogs/aws-region=eu-west-3/year=2014/month=12/day=14"
            << "SELECT * REPLACE (NULL::VARCHAR AS account_id) FROM src"
            << "210987654321"
            << "us-east-1";
        QTest::newRow("the file's own columns win")
            << "AWSLogs/aws-account-id=210987654321/aws-service=vpcflowlogs/aws-region=eu-west-3/year=2014/month=12/day=14"
            << "SELECT * FROM src"
            << "123456789010"
            << "us-east-1";
    }
    void partitionValuesFromPath()
    {
#ifdef FLOWLOG_TEST_DUCKDB
        QFETCH(QString, folder);
        QFETCH(QString, select);
        QFETCH(QString, account);
        QFETCH(QString, region);
        QTemporaryDir dir;
        QVERIFY(QDir().mkpath(dir.filePath(folder)));
        const QString path = dir.filePath(folder + QStringLiteral("/flows.log.parquet"));
        const QString error = runDuckDb(sourceTables() + QStringLiteral("COPY (%1) TO '%2' (FORMAT parquet)").arg(select, path));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        Sink sink;
        const FileOutcome o = readFile(path, ReadOptions{}, sink);
        QVERIFY2(!o.fatal, qPrintable(o.fatal ? o.fatal->toString() : QString()));
        QCOMPARE(o.records, kRows);
        for (const auto& rec : sink.records) {
            QCOMPARE(rec.value(QStringLiteral("account-id")), account);
            QCOMPARE(rec.value(QStringLiteral("region")), region);
        }
#endif
    }
};

QTEST_GUILESS_MAIN(TestParquetWriters)
#include "tst_parquet_writers.moc"
