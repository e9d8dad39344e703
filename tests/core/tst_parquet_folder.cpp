// Folders of Parquet files (core/ingest/parquet.h, ParquetFiles): read with a few shared DuckDB
// queries, they must give exactly what reading each file on its own gives (the oracle:
// readFile() per file, and loadPaths() per file into one store): the same records with the same
// row numbers, rejections, file entries and refusals, whatever sits in the middle of the folder
// (a corrupt, truncated, zero-row, nested or damaged file, another schema, a text file). The
// files are tests/data/parquet's fixtures and slices of them written at run time by DuckDB
// (COPY ... (FORMAT parquet)), the writer tst_parquet_writers uses; the slices' text twin is
// tgw.log.gz.
#include "core/ingest/ingest.h"
#include "core/ingest/loader.h"
#include "core/ingest/parquet.h"
#include "core/store/store.h"

#include "tests/readertextutil.h"
#include "tests/testpaths.h"
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <functional>
#include <memory>

#ifdef FLOWLOG_TEST_DUCKDB
#include "tests/duckdbtestutil.h"
#include <duckdb.h>
#endif

using namespace core;

namespace {

const QString kData = testpaths::testData() + QStringLiteral("/parquet/");

/// Everything a reader hands over, as text, in order: "R<row> field=value ..." per record and
/// "X<row> reason | raw" per rejection.
struct EventSink final : RecordSink {
    QStringList events;
    QStringList extras;
    std::vector<qint64> progressed;
    std::function<void()> onRecord;
    void record(const FlowRecord& r) override
    {
        QString e = QStringLiteral("R%1").arg(r.line);
        for (const FieldInfo& f : allFields()) {
            if (!r.has(f.id)) continue;
            e += QLatin1Char(' ') + QLatin1String(f.name) + QLatin1Char('=')
                 + (f.type == FieldType::Integer
                        ? QString::number(r.integer(f.id))
                        : QString::fromUtf8(r.text(f.id).data(), static_cast<qsizetype>(r.text(f.id).size())));
        }
        for (const auto& [idx, v] : r.extras)
            e += QStringLiteral(" extra:") + extras.value(idx) + QLatin1Char('=')
                 + QString::fromUtf8(v.data(), static_cast<qsizetype>(v.size()));
        events << e;
        if (onRecord) onRecord();
    }
    void reject(const Rejection& r) override { events << QStringLiteral("X%1 %2 | %3").arg(r.line).arg(r.reason, r.raw); }
    int extraColumn(std::string_view token) override
    {
        const QString name = QString::fromUtf8(token.data(), static_cast<qsizetype>(token.size()));
        if (!extras.contains(name)) extras << name;
        return static_cast<int>(extras.indexOf(name));
    }
    void progress(qint64 bytes) override { progressed.push_back(bytes); }
    /// Records only, without the row number (for the text twins).
    QStringList recordFields(qint64 lineShift) const
    {
        QStringList out;
        for (const QString& e : events) {
            if (!e.startsWith(QLatin1Char('R'))) continue;
            const qsizetype space = e.indexOf(QLatin1Char(' '));
            out << QStringLiteral("R%1").arg(e.mid(1, space - 1).toLongLong() + lineShift) + e.mid(space);
        }
        return out;
    }
};

using readertext::outcomeText;

/// What one file gives: its outcome and its events.
struct Read {
    QString outcome;
    QStringList events;
    std::vector<qint64> progress;
};

/// The oracle: each file read on its own.
std::vector<Read> eachAlone(const QStringList& paths)
{
    std::vector<Read> out;
    for (const QString& p : paths) {
        EventSink sink;
        const FileOutcome o = readFile(p, ReadOptions{}, sink);
        out.push_back({outcomeText(o), sink.events, sink.progressed});
    }
    return out;
}

/// Every row of table `table` of `store`, as text (all columns, in id order).
QStringList dump(const Store& store, const QString& sql)
{
    QStringList rows;
    auto st = store.prepare(sql);
    if (!st.ok()) return {QStringLiteral("cannot query: ") + st.error().message};
    while (st->next()) {
        QStringList cells;
        for (int c = 0; c < st->columnCount(); ++c)
            cells << st->columnName(c) + QLatin1Char('=') + (st->isNull(c) ? QStringLiteral("NULL") : st->text(c));
        rows << cells.join(QLatin1Char(' '));
    }
    return rows;
}

QStringList describe(const LoadReport& r)
{
    QStringList out{QStringLiteral("outcome %1 records %2 rejected %3 outside %4 not opened %5 errors %6")
                        .arg(int(r.outcome))
                        .arg(r.records)
                        .arg(r.rejected)
                        .arg(r.outsideWindow)
                        .arg(r.filesNotOpened)
                        .arg(r.errors.join(QLatin1String(" / ")))};
    for (const FileReport& f : r.files)
        out << QStringLiteral("file %1 id %2 format '%3' records %4 rejected %5 lines %6 outside %7 truncated %8 error '%9'")
                   .arg(f.path)
                   .arg(f.fileId)
                   .arg(f.format)
                   .arg(f.records)
                   .arg(f.rejected)
                   .arg(f.lines)
                   .arg(f.outsideWindow)
                   .arg(f.truncated)
                   .arg(f.error);
    for (const LoadedRejection& x : r.rejections)
        out << QStringLiteral("rejected %1:%2 %3").arg(x.file).arg(x.line).arg(x.reason);
    return out;
}

#ifdef FLOWLOG_TEST_DUCKDB
using duckdbtest::runDuckDb;

/// A copy of `from` at `to` with 0x55 written over 200 bytes at each offset (a data page of
/// tgw_gzip.parquet; see tst_parquet_damage).
bool damagedCopy(const QString& from, const QString& to, const QList<qint64>& offsets)
{
    QFile in(from);
    if (!in.open(QIODevice::ReadOnly)) return false;
    QByteArray bytes = in.readAll();
    for (qint64 at : offsets)
        for (qint64 i = at; i < at + 200 && i < bytes.size(); ++i) bytes[i] = char(0x55);
    QFile out(to);
    return out.open(QIODevice::WriteOnly) && out.write(bytes) == bytes.size();
}

// Data pages in tgw_gzip.parquet (as in tst_parquet_damage).
constexpr qint64 kGroup1Bytes = 19650 + 20;
constexpr qint64 kGroup2Srcaddr = 32452 + 20;
constexpr qint64 kGroup2Bytes = 33666 + 20;
#endif

} // namespace

class TestParquetFolder : public QObject {
    Q_OBJECT

    QTemporaryDir m_pool; ///< every fixture once, by name (see initTestCase)

    QString pool(const QString& name) const { return m_pool.filePath(name); }

    /// Copies pool files `names` into a new folder of `dir` as 00_<name>, 01_<name>, ... (in
    /// this order, as the folder reader sorts them); returns the copies' paths.
    QStringList folder(const QTemporaryDir& dir, const QStringList& names) const
    {
        QStringList out;
        for (qsizetype i = 0; i < names.size(); ++i) {
            const QString to = dir.filePath(QStringLiteral("logs/%1_%2").arg(i, 2, 10, QLatin1Char('0')).arg(names[i]));
            QDir().mkpath(QFileInfo(to).absolutePath());
            if (!QFile::copy(pool(names[i]), to)) return {};
            out << to;
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
#ifndef FLOWLOG_TEST_DUCKDB
        QSKIP("built without DuckDB (FLOWLOG_PARQUET off): no writer for the folder's files");
#else
        QVERIFY2(parquetSupported(), qPrintable(parquetSupportText()));
        QVERIFY(m_pool.isValid());
        for (const char* f :
             {"vpc_int32_gzip.parquet", "vpc_int64_zstd.parquet", "vpc_int32_snappy.parquet", "corrupt.parquet",
              "truncated.parquet", "zero_rows.parquet", "nested.parquet", "bad_rows.parquet", "vpc.log", "tgw_gzip.parquet"})
            QVERIFY(QFile::copy(kData + QLatin1String(f), pool(QLatin1String(f))));
        QVERIFY(QFile::copy(kData + QStringLiteral("vpc.log"), pool(QStringLiteral("text_named.parquet"))));
        const QString tgw = kData + QStringLiteral("tgw_gzip.parquet");
        QVERIFY(damagedCopy(tgw, pool(QStringLiteral("damaged_group2.parquet")), {kGroup2Srcaddr}));
        QVERIFY(damagedCopy(tgw, pool(QStringLiteral("damaged_group1.parquet")), {kGroup1Bytes}));
        QVERIFY(damagedCopy(tgw, pool(QStringLiteral("damaged_all.parquet")), {kGroup1Bytes, kGroup2Bytes}));
        // Slices of the 2100 TGW rows (rows 1-700, 701-1500, 1501-2100; gzip, Snappy, gzip),
        // the same rows with 64-bit version and ports, and the VPC rows with extra columns.
        const QString sql =
            QStringLiteral(
                "SET threads=1; CREATE TABLE t AS SELECT row_number() OVER () AS rn, * FROM read_parquet('%1'); "
                "COPY (SELECT * EXCLUDE (rn) FROM t WHERE rn <= 700 ORDER BY rn) TO '%2/tgw1.parquet' "
                "(FORMAT parquet, COMPRESSION gzip); "
                "COPY (SELECT * EXCLUDE (rn) FROM t WHERE rn > 700 AND rn <= 1500 ORDER BY rn) TO '%2/tgw2.parquet' "
                "(FORMAT parquet, COMPRESSION snappy); "
                "COPY (SELECT * EXCLUDE (rn) FROM t WHERE rn > 1500 ORDER BY rn) TO '%2/tgw3.parquet' "
                "(FORMAT parquet, COMPRESSION gzip); "
                "COPY (SELECT * EXCLUDE (rn) REPLACE (CAST(version AS BIGINT) AS version, CAST(srcport AS BIGINT) AS srcport, "
                "CAST(dstport AS BIGINT) AS dstport) FROM t WHERE rn <= 300 ORDER BY rn) TO '%2/tgw_int64.parquet' "
                "(FORMAT parquet, COMPRESSION zstd); "
                "COPY (SELECT *, 'team-' || (row_number() OVER () % 7) AS x_team, row_number() OVER () AS x_count "
                "FROM read_parquet('%3')) TO '%2/vpc_extra.parquet' (FORMAT parquet, COMPRESSION gzip);")
                .arg(tgw, m_pool.path(), kData + QStringLiteral("vpc_int32_gzip.parquet"));
        const QString e = runDuckDb(sql);
        QVERIFY2(e.isEmpty(), qPrintable(e));
#endif
    }

    void sameAsEachFileAlone_data()
    {
        QTest::addColumn<QStringList>("middle"); // pool files between tgw1, tgw2 and tgw3
        QTest::addColumn<int>("refused");        // how many files of the folder are refused
        QTest::addColumn<int>("shared");         // how many go to the shared queries (the others alone)
        const auto row = [](const char* name, const QStringList& middle, int refused, int shared) {
            QTest::newRow(name) << middle << refused << shared;
        };
        row("nothing between", {}, 0, 3);
        row("corrupt file (damaged pages, readable footer)", {QStringLiteral("corrupt.parquet")}, 1, 4);
        row("truncated file", {QStringLiteral("truncated.parquet")}, 1, 3);
        row("zero-row file", {QStringLiteral("zero_rows.parquet")}, 1, 3);
        row("nested columns", {QStringLiteral("nested.parquet")}, 1, 3);
        row("second row group damaged, same columns", {QStringLiteral("damaged_group2.parquet")}, 0, 4);
        row("first row group damaged, same columns", {QStringLiteral("damaged_group1.parquet")}, 0, 4);
        row("every row group damaged, same columns", {QStringLiteral("damaged_all.parquet")}, 1, 4);
        row("rows rejected as text lines are", {QStringLiteral("bad_rows.parquet")}, 0, 4);
        row("schemas change: VPC INT32, INT64, extra columns, TGW INT64",
            {QStringLiteral("vpc_int32_gzip.parquet"), QStringLiteral("vpc_int64_zstd.parquet"),
             QStringLiteral("vpc_extra.parquet"), QStringLiteral("tgw_int64.parquet"),
             QStringLiteral("vpc_int32_snappy.parquet")},
            0, 8);
        row("text among Parquet", {QStringLiteral("vpc.log"), QStringLiteral("text_named.parquet")}, 0, 3);
        row("two bad files side by side", {QStringLiteral("corrupt.parquet"), QStringLiteral("zero_rows.parquet")}, 2, 4);
        row("everything",
            {QStringLiteral("corrupt.parquet"), QStringLiteral("vpc_int32_gzip.parquet"), QStringLiteral("zero_rows.parquet"),
             QStringLiteral("damaged_group2.parquet"), QStringLiteral("vpc_extra.parquet"), QStringLiteral("truncated.parquet"),
             QStringLiteral("tgw_int64.parquet"), QStringLiteral("damaged_group1.parquet"), QStringLiteral("nested.parquet"),
             QStringLiteral("vpc.log"), QStringLiteral("bad_rows.parquet"), QStringLiteral("damaged_all.parquet"),
             QStringLiteral("vpc_int64_zstd.parquet")},
            5, 12);
    }
    /// ParquetFiles reads each file of the folder as readFile() reads it alone: the same
    /// outcome (format, counts, refusal), the same records and rejections in the same order,
    /// progress growing to the file's size.
    void sameAsEachFileAlone()
    {
        QFETCH(QStringList, middle);
        QFETCH(int, refused);
        QFETCH(int, shared);
        QTemporaryDir dir;
        const QStringList names = QStringList{QStringLiteral("tgw1.parquet"), QStringLiteral("tgw2.parquet")} + middle
                                  + QStringList{QStringLiteral("tgw3.parquet")};
        const QStringList paths = folder(dir, names);
        QCOMPARE(paths.size(), names.size());
        const std::vector<Read> alone = eachAlone(paths);
        ParquetFiles together(paths);
        int fatal = 0;
        for (qsizetype i = 0; i < paths.size(); ++i) {
            EventSink sink;
            const FileOutcome o = together.read(i, ReadOptions{}, sink);
            const Read& want = alone[static_cast<size_t>(i)];
            QVERIFY2(
                outcomeText(o) == want.outcome,
                qPrintable(QStringLiteral("%1:\n  together: %2\n  alone:    %3").arg(paths[i], outcomeText(o), want.outcome)));
            QCOMPARE(o.records + o.rejected + o.skipped, o.linesRead);
            if (o.fatal) ++fatal;
            QCOMPARE(sink.events.size(), want.events.size());
            for (qsizetype k = 0; k < sink.events.size(); ++k)
                if (sink.events[k] != want.events[k])
                    QFAIL(qPrintable(QStringLiteral("%1 event %2:\n  together: %3\n  alone:    %4")
                                         .arg(paths[i])
                                         .arg(k + 1)
                                         .arg(sink.events[k], want.events[k])));
            QVERIFY(std::is_sorted(sink.progressed.begin(), sink.progressed.end()));
            if (!o.fatal && !sink.progressed.empty()) QCOMPARE(sink.progressed.back(), QFileInfo(paths[i]).size());
        }
        QCOMPARE(fatal, refused);
        QCOMPARE(together.sharedReads(), qsizetype(shared));
    }

    void loaderSameAsEachFileAlone_data()
    {
        sameAsEachFileAlone_data();
    }
    /// Through the loader: one load of the folder gives the same report (file entries with
    /// their ids, formats, counts and refusals; rejections by file and row) and the same store
    /// (every record with its file and row number, and the files table) as loading each file
    /// on its own, one after the other, into one store.
    void loaderSameAsEachFileAlone()
    {
        QFETCH(QStringList, middle);
        QFETCH(int, refused);
        QTemporaryDir dir;
        const QStringList names = QStringList{QStringLiteral("tgw1.parquet"), QStringLiteral("tgw2.parquet")} + middle
                                  + QStringList{QStringLiteral("tgw3.parquet")};
        const QStringList paths = folder(dir, names);
        QCOMPARE(paths.size(), names.size());
        QCOMPARE(loadSameAsAlone(dir.filePath(QStringLiteral("logs")), paths, LoadOptions{}), refused);
    }

    /// A time window on Hive partition folders: the files of hours outside it are not opened,
    /// the others load together as each alone would.
    void timeWindowOnHiveFolders()
    {
        QTemporaryDir dir;
        const QString hive = QStringLiteral("logs/AWSLogs/aws-account-id=123456789010/aws-service=vpcflowlogs/"
                                            "aws-region=us-east-1/year=2014/month=12/day=14/hour=%1/%2");
        QStringList paths;
        for (const auto& [hour, name] : {std::pair{"04", "vpc_int32_gzip.parquet"}, std::pair{"04", "vpc_extra.parquet"},
                                         std::pair{"07", "vpc_int64_zstd.parquet"}, std::pair{"07", "tgw1.parquet"}}) {
            const QString to = dir.filePath(hive.arg(QLatin1String(hour), QLatin1String(name)));
            QVERIFY(QDir().mkpath(QFileInfo(to).absolutePath()));
            QVERIFY(QFile::copy(pool(QLatin1String(name)), to));
            paths << to;
        }
        paths.sort();
        LoadOptions window;
        window.windowFrom = 1418529600; // 2014-12-14 04:00 UTC: the VPC records start at 04:06:50
        window.windowTo = 1418533200;
        QCOMPARE(loadSameAsAlone(dir.filePath(QStringLiteral("logs")), paths, window), 0);
        auto store = Store::create();
        QVERIFY(store.ok());
        const LoadReport r = loadPaths(*store.value(), {dir.filePath(QStringLiteral("logs"))}, window);
        QCOMPARE(r.filesNotOpened, qint64(2));
        QCOMPARE(r.records, qint64(2 * 250));
    }

private:
    /// Loads `folder` (holding `paths`, in this order) with `options`, and each path alone
    /// into a second store; fails unless the reports and stores are the same. Returns the
    /// number of file errors.
    int loadSameAsAlone(const QString& folderPath, const QStringList& paths, const LoadOptions& options)
    {
        auto together = Store::create();
        auto alone = Store::create();
        if (!together.ok() || !alone.ok()) return -1;
        const LoadReport r = loadPaths(*together.value(), {folderPath}, options);
        LoadReport sum;
        for (const QString& p : paths) {
            const LoadReport one = loadPaths(*alone.value(), {p}, options);
            sum.records += one.records;
            sum.rejected += one.rejected;
            sum.outsideWindow += one.outsideWindow;
            sum.filesNotOpened += one.filesNotOpened;
            sum.errors += one.errors;
            for (const FileReport& f : one.files) sum.files.push_back(f);
            for (const LoadedRejection& x : one.rejections) sum.rejections.push_back(x);
        }
        sum.outcome = r.outcome;
        sum.rejections.resize(std::min(sum.rejections.size(), size_t(options.keepRejections))); // a load keeps the first
        [&] {
            QCOMPARE(describe(r), describe(sum));
            const QString flows = QStringLiteral("SELECT * FROM flows ORDER BY id");
            const QStringList a = dump(*together.value(), flows);
            const QStringList b = dump(*alone.value(), flows);
            QCOMPARE(a.size(), b.size());
            for (qsizetype k = 0; k < a.size(); ++k)
                if (a[k] != b[k])
                    QFAIL(qPrintable(QStringLiteral("flow %1:\n  together: %2\n  alone:    %3").arg(k + 1).arg(a[k], b[k])));
            QCOMPARE(dump(*together.value(), QStringLiteral("SELECT * FROM files ORDER BY id")),
                     dump(*alone.value(), QStringLiteral("SELECT * FROM files ORDER BY id")));
        }();
        return QTest::currentTestFailed() ? -1 : static_cast<int>(r.errors.size());
    }

private Q_SLOTS:

    /// Read together, the fixtures still equal their text twins: the three TGW slices are
    /// tgw.log.gz's lines in order, the VPC file is vpc.log, the bad rows are bad_rows.log's.
    void sameAsTextTwins()
    {
        QTemporaryDir dir;
        const QStringList paths =
            folder(dir, {QStringLiteral("vpc_int32_gzip.parquet"), QStringLiteral("bad_rows.parquet"),
                         QStringLiteral("tgw1.parquet"), QStringLiteral("tgw2.parquet"), QStringLiteral("tgw3.parquet")});
        QCOMPARE(paths.size(), 5);
        ParquetFiles together(paths);
        std::vector<EventSink> sinks(5);
        for (qsizetype i = 0; i < 5; ++i) {
            const FileOutcome o = together.read(i, ReadOptions{}, sinks[static_cast<size_t>(i)]);
            QVERIFY2(!o.fatal, qPrintable(outcomeText(o)));
        }
        EventSink vpc, bad, tgw;
        QVERIFY(!readFile(kData + QStringLiteral("vpc.log"), ReadOptions{}, vpc).fatal);
        QVERIFY(!readFile(kData + QStringLiteral("bad_rows.log"), ReadOptions{}, bad).fatal);
        QVERIFY(!readFile(kData + QStringLiteral("tgw.log.gz"), ReadOptions{}, tgw).fatal);
        // Text line N + 1 (after the header) is Parquet row N.
        QCOMPARE(sinks[0].recordFields(1), vpc.recordFields(0));
        QCOMPARE(sinks[1].recordFields(1), bad.recordFields(0));
        QStringList badReasons, twinReasons;
        for (const QString& e : sinks[1].events)
            if (e.startsWith(QLatin1Char('X'))) badReasons << e.section(QLatin1Char('|'), 0, 0).section(QLatin1Char(' '), 1);
        for (const QString& e : bad.events)
            if (e.startsWith(QLatin1Char('X'))) twinReasons << e.section(QLatin1Char('|'), 0, 0).section(QLatin1Char(' '), 1);
        QCOMPARE(badReasons.size(), 3);
        QCOMPARE(badReasons, twinReasons);
        QCOMPARE(sinks[2].recordFields(1) + sinks[3].recordFields(701) + sinks[4].recordFields(1501), tgw.recordFields(0));
    }

    /// More files than are held open at once (128): the footers and schemas are read per
    /// window of files, a stream never crosses a window, and a bad file on the boundary is
    /// still refused alone.
    void moreFilesThanOpenAtOnce()
    {
#ifdef FLOWLOG_TEST_DUCKDB
        QTemporaryDir dir;
        const QString logs = dir.filePath(QStringLiteral("logs"));
        QVERIFY(QDir().mkpath(logs));
        QString sql =
            QStringLiteral("SET threads=1; CREATE TABLE v AS SELECT row_number() OVER () AS rn, * FROM read_parquet('%1'); ")
                .arg(kData + QStringLiteral("vpc_int32_gzip.parquet"));
        for (int i = 0; i < 140; ++i)
            sql +=
                QStringLiteral("COPY (SELECT * EXCLUDE (rn) FROM v WHERE rn > %1 AND rn <= %2 ORDER BY rn) TO '%3/f%4.parquet' "
                               "(FORMAT parquet); ")
                    .arg(i)
                    .arg(i + 2)
                    .arg(logs)
                    .arg(i, 3, 10, QLatin1Char('0'));
        const QString e = runDuckDb(sql);
        QVERIFY2(e.isEmpty(), qPrintable(e));
        QFile::remove(logs + QStringLiteral("/f128.parquet")); // the first file of the second window
        QVERIFY(QFile::copy(pool(QStringLiteral("zero_rows.parquet")), logs + QStringLiteral("/f128.parquet")));
        QFile::remove(logs + QStringLiteral("/f127.parquet")); // the last of the first
        QVERIFY(QFile::copy(pool(QStringLiteral("truncated.parquet")), logs + QStringLiteral("/f127.parquet")));
        QStringList paths;
        for (const QFileInfo& f : QDir(logs).entryInfoList(QDir::Files, QDir::Name)) paths << f.absoluteFilePath();
        QCOMPARE(paths.size(), 140);
        const std::vector<Read> alone = eachAlone(paths);
        ParquetFiles together(paths);
        for (qsizetype i = 0; i < paths.size(); ++i) {
            EventSink sink;
            const FileOutcome o = together.read(i, ReadOptions{}, sink);
            QCOMPARE(outcomeText(o), alone[static_cast<size_t>(i)].outcome);
            QCOMPARE(sink.events, alone[static_cast<size_t>(i)].events);
        }
        QCOMPARE(together.sharedReads(), qsizetype(138));
        QCOMPARE(loadSameAsAlone(logs, paths, LoadOptions{}), 2);
#endif
    }

    /// Files left out or read out of order still read as alone.
    void anyOrder()
    {
        QTemporaryDir dir;
        const QStringList paths = folder(dir, {QStringLiteral("tgw1.parquet"), QStringLiteral("tgw2.parquet"),
                                               QStringLiteral("damaged_group2.parquet"), QStringLiteral("tgw3.parquet")});
        QCOMPARE(paths.size(), 4);
        const std::vector<Read> alone = eachAlone(paths);
        ParquetFiles together(paths);
        for (qsizetype i : {1, 3, 0, 2}) {
            EventSink sink;
            const FileOutcome o = together.read(i, ReadOptions{}, sink);
            QCOMPARE(outcomeText(o), alone[static_cast<size_t>(i)].outcome);
            QCOMPARE(sink.events, alone[static_cast<size_t>(i)].events);
        }
    }

    /// Cancel in the middle of a file of a shared query (tgw_gzip.parquet: rows 1-2048 and
    /// 2049-2100) stops it within a chunk; the load of the folder is cancelled, nothing is kept.
    void cancelMidFolder()
    {
        QTemporaryDir dir;
        const QStringList paths = folder(dir, {QStringLiteral("tgw1.parquet"), QStringLiteral("tgw_gzip.parquet"),
                                               QStringLiteral("tgw3.parquet"), QStringLiteral("vpc_int32_gzip.parquet")});
        QCOMPARE(paths.size(), 4);
        std::atomic<bool> cancel{false};
        ReadOptions options;
        options.cancel = &cancel;
        ParquetFiles together(paths);
        EventSink first;
        QVERIFY(!together.read(0, options, first).fatal);
        EventSink second;
        second.onRecord = [&] {
            if (second.events.size() == 10) cancel = true;
        };
        const FileOutcome o = together.read(1, options, second);
        QVERIFY(o.cancelled);
        QVERIFY2(!o.fatal, qPrintable(outcomeText(o)));
        QVERIFY2(o.records >= 10 && o.records <= 2048, qPrintable(outcomeText(o))); // within its first chunk of 2048 rows
        QCOMPARE(o.records + o.rejected, o.linesRead);

        // Through the loader: cancelled at the first progress report.
        auto store = Store::create();
        QVERIFY(store.ok());
        std::atomic<bool> stop{false};
        LoadOptions load;
        load.read.cancel = &stop;
        load.progress = [&](const LoadProgress&) { stop = true; };
        const LoadReport r = loadPaths(*store.value(), {dir.filePath(QStringLiteral("logs"))}, load);
        QCOMPARE(r.outcome, Outcome::Cancelled);
        QCOMPARE(r.records, qint64(0));
        QCOMPARE(dump(*store.value(), QStringLiteral("SELECT count(*) FROM flows")), QStringList{QStringLiteral("count(*)=0")});
    }
};

QTEST_GUILESS_MAIN(TestParquetFolder)
#include "tst_parquet_folder.moc"
