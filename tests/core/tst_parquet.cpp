// Parquet input (core/ingest/parquet.h). Oracle: the fixtures in tests/data/parquet were written
// by DuckDB (regenerate.sh) from one table each, as Parquet with AWS's column types and as an
// S3 text log; every Parquet file must read to the same records as its text twin, field by
// field, with the same rejections. Skips only when built without DuckDB.
#include "core/ingest/ingest.h"
#include "core/ingest/loader.h"
#include "core/ingest/parquet.h"
#include "core/store/store.h"

#include "tests/testpaths.h"
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <functional>

using namespace core;

namespace {

const QString kData = testpaths::testData() + QStringLiteral("/parquet/");

/// Keeps what a reader produces: per record, every present field and extra column as text.
struct CollectSink final : RecordSink {
    struct Rec {
        qint64 line = 0;
        QMap<QString, QString> values; // hyphen name, or "extra:<column name>"
    };
    std::vector<Rec> records;
    std::vector<Rejection> rejections;
    QStringList extras;
    std::vector<qint64> progressCalls;
    std::function<void()> onRecord;

    void record(const FlowRecord& r) override
    {
        Rec c;
        c.line = r.line;
        for (const FieldInfo& f : allFields()) {
            if (!r.has(f.id)) continue;
            if (f.type == FieldType::Integer) c.values.insert(QLatin1String(f.name), QString::number(r.integer(f.id)));
            else
                c.values.insert(QLatin1String(f.name),
                                QString::fromUtf8(r.text(f.id).data(), static_cast<qsizetype>(r.text(f.id).size())));
        }
        for (const auto& [idx, v] : r.extras)
            c.values.insert(QStringLiteral("extra:") + extras.value(idx),
                            QString::fromUtf8(v.data(), static_cast<qsizetype>(v.size())));
        records.push_back(std::move(c));
        if (onRecord) onRecord();
    }
    void reject(const Rejection& r) override { rejections.push_back(r); }
    int extraColumn(std::string_view token) override
    {
        // Keyed by the SQL column the store would make, so "x-tag" and "x_tag" are one column.
        const QString name = extraColumnName(token);
        const auto i = extras.indexOf(name);
        if (i >= 0) return static_cast<int>(i);
        extras.append(name);
        return static_cast<int>(extras.size() - 1);
    }
    void progress(qint64 bytes) override { progressCalls.push_back(bytes); }
};

QString describe(const CollectSink::Rec& r)
{
    QStringList parts;
    for (auto it = r.values.cbegin(); it != r.values.cend(); ++it) parts << it.key() + QLatin1Char('=') + it.value();
    return parts.join(QLatin1Char(' '));
}

std::unique_ptr<Store> newStore()
{
    auto s = Store::create();
    return s.ok() ? std::move(s.value()) : nullptr;
}

qint64 scalar(const Store& s, const QString& sql)
{
    auto st = s.prepare(sql);
    return (st.ok() && st->next()) ? st->int64(0) : -1;
}

bool copyTo(const QString& from, const QString& to)
{
    QDir().mkpath(QFileInfo(to).absolutePath());
    QFile::remove(to);
    return QFile::copy(from, to);
}

} // namespace

class TestParquet : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        if (qstrcmp(QTest::currentTestFunction(), "refusedWithoutDuckDB") == 0) return;
        if (!parquetBuiltIn()) QSKIP("built without DuckDB (FLOWLOG_PARQUET off): Parquet files are refused");
        QVERIFY2(parquetSupported(), qPrintable(parquetSupportText()));
    }

    /// Where Parquet cannot be read, one clear refusal names the file: any Parquet file in a
    /// build without DuckDB, and Parquet bytes from standard input or a buffer in any build.
    void refusedWithoutDuckDB()
    {
        const QString path = kData + QStringLiteral("vpc_int32_gzip.parquet");
        CollectSink sink;
        if (!parquetBuiltIn()) {
            const FileOutcome o = readFile(path, ReadOptions{}, sink);
            QVERIFY(o.fatal);
            QCOMPARE(o.fatal->file, path);
            QVERIFY2(o.fatal->message.contains(QLatin1String("Parquet file: not supported in this build")),
                     qPrintable(o.fatal->message));
            QCOMPARE(o.records, qint64(0));
        }
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const FileOutcome b = readBuffer(f.readAll(), QStringLiteral("stdin"), ReadOptions{}, sink);
        QVERIFY(b.fatal);
        QCOMPARE(b.fatal->file, QStringLiteral("stdin"));
        QVERIFY2(b.fatal->message.contains(QLatin1String("not supported from standard input")), qPrintable(b.fatal->message));
        QCOMPARE(sink.records.size(), size_t(0));
    }

    void magic()
    {
        QVERIFY(isParquetMagic("PAR1\x15"));
        QVERIFY(!isParquetMagic("PAR"));
        QVERIFY(!isParquetMagic("version srcaddr"));
    }

    void sameRecordsAsText_data()
    {
        QTest::addColumn<QString>("parquet");
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("records");
        QTest::addColumn<qint64>("rejected");
        QTest::addColumn<QString>("format");
        QTest::newRow("TGW, AWS types, gzip, 2 row groups, nulls, IPv6")
            << "tgw_gzip.parquet"
            << "tgw.log.gz" << qint64(2100) << qint64(0) << "Parquet (36 columns, GZIP)";
        QTest::newRow("VPC custom, protocol INT32, gzip, extra column")
            << "vpc_int32_gzip.parquet"
            << "vpc.log" << qint64(250) << qint64(0) << "Parquet (23 columns, GZIP)";
        QTest::newRow("VPC custom, Snappy") << "vpc_int32_snappy.parquet"
                                            << "vpc.log" << qint64(250) << qint64(0) << "Parquet (23 columns, SNAPPY)";
        QTest::newRow("VPC custom, protocol INT64, ZSTD")
            << "vpc_int64_zstd.parquet"
            << "vpc.log" << qint64(250) << qint64(0) << "Parquet (23 columns, ZSTD)";
        QTest::newRow("rows rejected as text lines are")
            << "bad_rows.parquet"
            << "bad_rows.log" << qint64(5) << qint64(3) << "Parquet (23 columns, GZIP)";
    }
    void sameRecordsAsText()
    {
        QFETCH(QString, parquet);
        QFETCH(QString, text);
        QFETCH(qint64, records);
        QFETCH(qint64, rejected);
        QFETCH(QString, format);
        CollectSink fromParquet;
        CollectSink fromText;
        const FileOutcome p = readFile(kData + parquet, ReadOptions{}, fromParquet);
        const FileOutcome t = readFile(kData + text, ReadOptions{}, fromText);
        QVERIFY2(!p.fatal, qPrintable(p.fatal ? p.fatal->toString() : QString()));
        QVERIFY2(!t.fatal, qPrintable(t.fatal ? t.fatal->toString() : QString()));
        QCOMPARE(p.format, format);
        QCOMPARE(p.records, records);
        QCOMPARE(p.rejected, rejected);
        QCOMPARE(t.records, records);
        QCOMPARE(t.rejected, rejected);
        // Accounting: every row is a record or a rejection; nothing skipped in Parquet.
        QCOMPARE(p.records + p.rejected, p.linesRead);
        QCOMPARE(p.skipped, qint64(0));
        QCOMPARE(qint64(fromParquet.records.size()), p.records);
        QCOMPARE(qint64(fromParquet.rejections.size()), p.rejected);
        QCOMPARE(fromParquet.records.size(), fromText.records.size());
        // Text line N+1 (after the header) is Parquet row N.
        for (size_t i = 0; i < fromText.records.size(); ++i) {
            const auto& a = fromParquet.records[i];
            const auto& b = fromText.records[i];
            QCOMPARE(a.line, b.line - 1);
            if (a.values != b.values)
                QFAIL(qPrintable(QStringLiteral("%1 row %2 differs from %3 line %4:\n  %5\n  %6")
                                     .arg(parquet)
                                     .arg(a.line)
                                     .arg(text)
                                     .arg(b.line)
                                     .arg(describe(a), describe(b))));
        }
        for (size_t i = 0; i < fromText.rejections.size(); ++i) {
            QCOMPARE(fromParquet.rejections[i].line, fromText.rejections[i].line - 1);
            QCOMPARE(fromParquet.rejections[i].reason, fromText.rejections[i].reason);
        }
        // Progress grows to the file size.
        QVERIFY(!fromParquet.progressCalls.empty());
        QVERIFY(std::is_sorted(fromParquet.progressCalls.begin(), fromParquet.progressCalls.end()));
        QCOMPARE(fromParquet.progressCalls.back(), QFileInfo(kData + parquet).size());
    }

    void badFiles_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("message");
        QTest::addColumn<bool>("truncated");
        QTest::newRow("download cut in half") << "truncated.parquet"
                                              << "no 'PAR1' footer at the end" << true;
        QTest::newRow("garbage over the data pages") << "corrupt.parquet"
                                                     << "Parquet file" << false;
        QTest::newRow("zero rows") << "zero_rows.parquet"
                                   << "empty Parquet file (no rows)" << false;
        QTest::newRow("nested column") << "nested.parquet"
                                       << "Parquet column 'flow' is a nested type (STRUCT): not supported" << false;
        QTest::newRow("integer field stored as DOUBLE")
            << "double_bytes.parquet"
            << "Parquet column 'bytes' is DOUBLE, but bytes is an integer field" << false;
    }
    void badFiles()
    {
        QFETCH(QString, file);
        QFETCH(QString, message);
        QFETCH(bool, truncated);
        CollectSink sink;
        const FileOutcome o = readFile(kData + file, ReadOptions{}, sink);
        QVERIFY2(o.fatal, qPrintable(file + QStringLiteral(" was read without a file-level error")));
        const QString text = o.fatal->toString();
        QVERIFY2(text.startsWith(kData + file), qPrintable(text));
        QVERIFY2(text.contains(message), qPrintable(text));
        QVERIFY2(!text.contains(QLatin1String("/proc/self/fd")) && !text.contains(QLatin1String("Error: ")), qPrintable(text));
        if (truncated) QVERIFY(o.truncated);
        QCOMPARE(o.records + o.rejected, o.linesRead);
        QCOMPARE(qint64(sink.records.size()), o.records);
    }

    /// The details pane's raw view of a Parquet record: its row as column=value pairs.
    void rowText()
    {
        const auto row = parquetRowText(kData + QStringLiteral("vpc_int32_gzip.parquet"), 2);
        QVERIFY2(row.ok(), qPrintable(row.ok() ? QString() : row.error().toString()));
        QVERIFY2(row.value().startsWith(QLatin1String("version=5 account_id=123456789010 interface_id=eni-1235b8ca123456781 "
                                                      "srcaddr=172.31.1.2 ")),
                 qPrintable(row.value()));
        QVERIFY(row.value().endsWith(QLatin1String("x_team_tag=tag-1")));
        const auto nulls = parquetRowText(kData + QStringLiteral("vpc_int32_gzip.parquet"), 1);
        QVERIFY(nulls.ok() && nulls.value().contains(QLatin1String(" srcaddr=- ")));
        const auto past = parquetRowText(kData + QStringLiteral("vpc_int32_gzip.parquet"), 251);
        QVERIFY(!past.ok());
        QCOMPARE(past.error().line, qint64(251));
    }

    /// Detection is by content: a Parquet file named .log.gz and a text log named .parquet.
    void detectedByContent()
    {
        QTemporaryDir dir;
        const QString fakeGz = dir.filePath(QStringLiteral("flows.log.gz"));
        const QString fakeParquet = dir.filePath(QStringLiteral("flows.parquet"));
        QVERIFY(copyTo(kData + QStringLiteral("vpc_int32_gzip.parquet"), fakeGz));
        QVERIFY(copyTo(kData + QStringLiteral("vpc.log"), fakeParquet));
        CollectSink a, b;
        const FileOutcome pa = readFile(fakeGz, ReadOptions{}, a);
        const FileOutcome pb = readFile(fakeParquet, ReadOptions{}, b);
        QCOMPARE(pa.format, QStringLiteral("Parquet (23 columns, GZIP)"));
        QCOMPARE(pa.records, qint64(250));
        QCOMPARE(pb.format, QStringLiteral("S3 text (header, 23 fields)"));
        QCOMPARE(pb.records, qint64(250));
    }

    /// File names reach DuckDB only as /proc/self/fd/N: quotes, globs and spaces are harmless.
    void hostileFileNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("quote") << "it's.parquet";
        QTest::newRow("glob characters") << "[a]*?{b,c}.parquet";
        QTest::newRow("SQL") << "x'); COPY (SELECT 1) TO 'y.csv'; --.parquet";
        QTest::newRow("looks like a URL") << "s3:__bucket_key.parquet";
        QTest::newRow("home") << "~";
    }
    void hostileFileNames()
    {
        QFETCH(QString, name);
        QTemporaryDir dir;
        const QString path = dir.filePath(name);
        QVERIFY(copyTo(kData + QStringLiteral("vpc_int32_gzip.parquet"), path));
        CollectSink sink;
        const FileOutcome o = readFile(path, ReadOptions{}, sink);
        QVERIFY2(!o.fatal, qPrintable(o.fatal ? o.fatal->toString() : QString()));
        QCOMPARE(o.records, qint64(250));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1); // nothing written beside it
    }

    void cancelStopsSoon()
    {
        std::atomic<bool> cancel{false};
        ReadOptions options;
        options.cancel = &cancel;
        CollectSink sink;
        sink.onRecord = [&] { cancel = true; };
        const FileOutcome o = readFile(kData + QStringLiteral("tgw_gzip.parquet"), options, sink);
        QVERIFY(o.cancelled);
        QVERIFY(!o.fatal);
        QVERIFY2(o.records <= 2048, qPrintable(QString::number(o.records))); // within one chunk
        QCOMPARE(o.records + o.rejected, o.linesRead);
    }

    /// Parquet and text mix in one load, through folders in the Hive layout S3 writes.
    void loaderMixesParquetAndText()
    {
        QTemporaryDir dir;
        const QString hive = dir.filePath(QStringLiteral("AWSLogs/aws-account-id=123456789010/aws-service=vpcflowlogs/"
                                                         "aws-region=us-east-1/year=2014/month=12/day=14/hour=04/"));
        QVERIFY(copyTo(kData + QStringLiteral("vpc_int32_gzip.parquet"),
                       hive + QStringLiteral("123456789010_vpcflowlogs_us-east-1_fl-0abc_20141214T0405Z_1a2b.log.parquet")));
        QVERIFY(copyTo(kData + QStringLiteral("vpc.log"), dir.filePath(QStringLiteral("text/vpc.log"))));
        QVERIFY(copyTo(kData + QStringLiteral("bad_rows.parquet"), hive + QStringLiteral("bad.parquet")));
        QVERIFY(copyTo(kData + QStringLiteral("nested.parquet"), hive + QStringLiteral("nested.parquet")));
        auto store = newStore();
        QVERIFY(store);
        const LoadReport r = loadPaths(*store, {dir.path()}, LoadOptions{});
        QCOMPARE(r.outcome, Outcome::Ok);
        QCOMPARE(r.records, qint64(250 + 250 + 5));
        QCOMPARE(r.rejected, qint64(3));
        QCOMPARE(r.files.size(), size_t(4));
        QCOMPARE(r.errors.size(), 1);
        QVERIFY2(r.errors[0].contains(QLatin1String("nested.parquet")) && r.errors[0].contains(QLatin1String("nested type")),
                 qPrintable(r.errors[0]));
        bool namedBadRow = false;
        for (const LoadedRejection& x : r.rejections)
            namedBadRow = namedBadRow
                          || (x.file.endsWith(QLatin1String("bad.parquet")) && x.line == 3
                              && x.reason == QLatin1String("srcport: '-5' is negative"));
        QVERIFY(namedBadRow);
        for (const FileReport& f : r.files)
            QCOMPARE(f.records + f.rejected + f.skipped + f.outsideWindow + f.sampledOut, f.lines);
        QCOMPARE(scalar(*store, QStringLiteral("SELECT count(*) FROM flows WHERE x_team_tag = 'tag-1'")), 2 * 83 + 2);
        QCOMPARE(scalar(*store, QStringLiteral("SELECT count(*) FROM flows WHERE protocol = 17")), 2 * 48 + 1);
    }
};

QTEST_GUILESS_MAIN(TestParquet)
#include "tst_parquet.moc"
