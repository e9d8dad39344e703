// The Parquet reader's chunk pump (core/ingest/parquet_duckdb.h, ChunkPump): DuckDB decodes
// the next chunks on a thread of its own while the reader maps the last one, through a queue of
// at most ChunkPump::kDepth chunks. Files long enough to fill that queue many times (10 copies
// of tgw_gzip.parquet's 2,100 rows, written at run time by DuckDB, with row groups that do not
// start at multiples of 2,048 rows) must give exactly the records of the text twin tgw.log.gz, in order, with
// the same row numbers, with the fetch thread and without it (as on one core); a row group
// damaged in the middle loses only its rows, each a rejection naming it; cancel stops within a
// chunk; a folder of such files read through ParquetFiles equals each file alone.
#include "core/ingest/ingest.h"
#include "core/ingest/loader.h"
#include "core/ingest/parquet.h"
#include "core/store/store.h"

#include "tests/readertextutil.h"
#include "tests/testpaths.h"
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <functional>

#ifdef FLOWLOG_TEST_DUCKDB
#include "core/ingest/parquet_duckdb.h"
#include "tests/duckdbtestutil.h"
#endif

using namespace core;

namespace {

const QString kData = testpaths::testData() + QStringLiteral("/parquet/");
constexpr qint64 kTwinRows = 2100; ///< rows of tgw_gzip.parquet (lines of tgw.log.gz)
constexpr qint64 kCopies = 10;

/// Everything a reader hands over, as text, in order: "R<row> field=value ..." per record and
/// "X<row> reason" per rejection.
struct EventSink final : RecordSink {
    QStringList events;
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
        events << e;
        if (onRecord) onRecord();
    }
    void reject(const Rejection& r) override { events << QStringLiteral("X%1 %2").arg(r.line).arg(r.reason); }
    int extraColumn(std::string_view) override { return 0; }
    void progress(qint64 bytes) override { progressed.push_back(bytes); }
};

/// Record `row` (1-based) of a file of kCopies copies of the twin, as EventSink words it.
QString expectedRecord(const QStringList& twin, qint64 row)
{
    const QString& e = twin[static_cast<qsizetype>((row - 1) % kTwinRows)];
    return QStringLiteral("R%1").arg(row) + e.mid(e.indexOf(QLatin1Char(' ')));
}

} // namespace

class TestParquetStream : public QObject {
    Q_OBJECT

#ifdef FLOWLOG_TEST_DUCKDB
    QTemporaryDir m_dir;
    QStringList m_twin; ///< tgw.log.gz's records, in line order
    QString m_long;     ///< kCopies copies of tgw_gzip.parquet
    QString m_damaged;  ///< m_long with row group m_group's `bytes` page overwritten
    qint64 m_group = 0, m_groupFirst = 0, m_groupRows = 0, m_groups = 0;

    QString path(const QString& name) const
    {
        return m_dir.filePath(name);
    }
#endif

private Q_SLOTS:
    void initTestCase()
    {
#ifndef FLOWLOG_TEST_DUCKDB
        QSKIP("built without DuckDB");
#else
        if (!parquetSupported()) QSKIP("built without Parquet support");
        QVERIFY(m_dir.isValid());
        EventSink text;
        const FileOutcome t = readFile(kData + QStringLiteral("tgw.log.gz"), ReadOptions{}, text);
        QVERIFY(!t.fatal);
        QCOMPARE(qint64(text.events.size()), kTwinRows);
        m_twin = text.events;
        // The writer ends a row group at a chunk of the source (tgw_gzip's row groups are 2,048
        // and 52 rows), so row groups start at rows that are not multiples of 2,048.
        m_long = path(QStringLiteral("long.parquet"));
        const QString src = kData + QStringLiteral("tgw_gzip.parquet");
        QStringList copies;
        for (qint64 k = 0; k < kCopies; ++k) copies << QStringLiteral("SELECT * FROM read_parquet('%1')").arg(src);
        QCOMPARE(duckdbtest::runDuckDb(QStringLiteral("SET threads = 1; COPY (%1) TO '%2' (FORMAT parquet, COMPRESSION gzip, "
                                                      "ROW_GROUP_SIZE 3000)")
                                           .arg(copies.join(QLatin1String(" UNION ALL ")), m_long)),
                 QString());
        // The middle row group, its first row, its rows and where its `bytes` column's data is.
        std::vector<qint64> g;
        QCOMPARE(duckdbtest::runDuckDb(
                     QStringLiteral("WITH m AS (SELECT * FROM parquet_metadata('%1')), "
                                    "groups AS (SELECT DISTINCT row_group_id AS id, row_group_num_rows AS n FROM m), "
                                    "mid AS (SELECT (count(*) / 2)::BIGINT AS id, count(*) AS total FROM groups) "
                                    "SELECT mid.id, (SELECT coalesce(sum(n), 0) FROM groups WHERE groups.id < mid.id)::BIGINT, "
                                    "(SELECT n FROM groups WHERE groups.id = mid.id), m.data_page_offset, "
                                    "m.total_compressed_size, mid.total FROM mid, m "
                                    "WHERE m.row_group_id = mid.id AND m.path_in_schema = 'bytes'")
                         .arg(m_long),
                     &g),
                 QString());
        QCOMPARE(g.size(), size_t(6));
        m_group = g[0];
        m_groupFirst = g[1];
        m_groupRows = g[2];
        m_groups = g[5];
        QVERIFY2(m_groups >= 3, qPrintable(QString::number(m_groups)));
        QVERIFY(m_groupFirst % 2048 != 0); // the damaged group starts inside a chunk
        QFile in(m_long);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray bytes = in.readAll();
        // Over the start of the compressed data (+20 skips the page header, as tst_parquet_damage):
        // damage deeper inside a deflate stream can decode to garbage DuckDB does not notice.
        const qint64 at = g[3] + 20;
        QVERIFY(at + 200 < g[3] + g[4]);
        bytes.replace(static_cast<qsizetype>(at), 200, QByteArray(200, '\x55'));
        m_damaged = path(QStringLiteral("damaged.parquet"));
        QFile out(m_damaged);
        QVERIFY(out.open(QIODevice::WriteOnly));
        QCOMPARE(out.write(bytes), bytes.size());
#endif
    }

    void cleanup()
    {
#ifdef FLOWLOG_TEST_DUCKDB
        parquet::ChunkPump::setThreaded(true);
#endif
    }

    void sameAsTextTwin_data()
    {
        QTest::addColumn<bool>("threaded");
        QTest::addColumn<bool>("damaged");
        QTest::newRow("fetch thread") << true << false;
        QTest::newRow("caller fetches (one core)") << false << false;
        QTest::newRow("middle row group damaged, fetch thread") << true << true;
        QTest::newRow("middle row group damaged, caller fetches") << false << true;
    }
    void sameAsTextTwin()
    {
#ifdef FLOWLOG_TEST_DUCKDB
        QFETCH(bool, threaded);
        QFETCH(bool, damaged);
        parquet::ChunkPump::setThreaded(threaded);
        EventSink sink;
        const QString file = damaged ? m_damaged : m_long;
        const FileOutcome o = readFile(file, ReadOptions{}, sink);
        QVERIFY2(!o.fatal, qPrintable(o.fatal ? o.fatal->toString() : QString()));
        const qint64 total = kTwinRows * kCopies;
        QCOMPARE(o.linesRead, total);
        QCOMPARE(qint64(sink.events.size()), total);
        QCOMPARE(o.rejected, damaged ? m_groupRows : 0);
        QCOMPARE(o.records + o.rejected, o.linesRead);
        const QString why = QStringLiteral("Parquet row group %1 (rows %2-%3) unreadable: ")
                                .arg(m_group + 1)
                                .arg(m_groupFirst + 1)
                                .arg(m_groupFirst + m_groupRows);
        for (qint64 row = 1; row <= total; ++row) {
            const QString& got = sink.events[static_cast<qsizetype>(row - 1)];
            if (damaged && row > m_groupFirst && row <= m_groupFirst + m_groupRows) {
                if (!got.startsWith(QStringLiteral("X%1 ").arg(row) + why))
                    QFAIL(qPrintable(QStringLiteral("%1 row %2: %3").arg(file).arg(row).arg(got)));
            } else if (got != expectedRecord(m_twin, row)) {
                QFAIL(qPrintable(QStringLiteral("%1 row %2 differs from tgw.log.gz line %3:\n  %4\n  %5")
                                     .arg(file)
                                     .arg(row)
                                     .arg((row - 1) % kTwinRows + 2)
                                     .arg(got, expectedRecord(m_twin, row))));
            }
        }
        QVERIFY(std::is_sorted(sink.progressed.begin(), sink.progressed.end()));
        QCOMPARE(sink.progressed.back(), QFileInfo(file).size());
#endif
    }

    /// Cancel while the queue is full: stops within a chunk, the rows so far are the twin's.
    void cancelMidFile_data()
    {
        QTest::addColumn<bool>("threaded");
        QTest::addColumn<qint64>("at");
        QTest::newRow("fetch thread, first chunk") << true << qint64(1);
        QTest::newRow("fetch thread, 5,000th record") << true << qint64(5000);
        QTest::newRow("fetch thread, a few chunks before the end") << true << qint64(kTwinRows * kCopies - 5000);
        QTest::newRow("caller fetches, 5,000th record") << false << qint64(5000);
    }
    void cancelMidFile()
    {
#ifdef FLOWLOG_TEST_DUCKDB
        QFETCH(bool, threaded);
        QFETCH(qint64, at);
        parquet::ChunkPump::setThreaded(threaded);
        std::atomic<bool> cancel{false};
        ReadOptions options;
        options.cancel = &cancel;
        EventSink sink;
        sink.onRecord = [&] {
            if (qint64(sink.events.size()) == at) cancel = true;
        };
        const FileOutcome o = readFile(m_long, options, sink);
        QVERIFY(o.cancelled);
        QVERIFY(!o.fatal);
        QVERIFY2(o.records >= at && o.records < at + 2048, qPrintable(QString::number(o.records)));
        QCOMPARE(o.records + o.rejected, o.linesRead);
        for (qint64 row = 1; row <= o.records; ++row)
            QCOMPARE(sink.events[static_cast<qsizetype>(row - 1)], expectedRecord(m_twin, row));
        // The reader is usable again right after (the pump stopped cleanly).
        EventSink again;
        const FileOutcome full = readFile(m_long, ReadOptions{}, again);
        QCOMPARE(full.records, kTwinRows * kCopies);
#endif
    }

    /// A folder mixing long, damaged and short files, read through ParquetFiles (one shared
    /// query, its chunks through the pump) and through the loader, equals each file alone.
    void folderSameAsEachAlone_data()
    {
        QTest::addColumn<bool>("threaded");
        QTest::newRow("fetch thread") << true;
        QTest::newRow("caller fetches") << false;
    }
    void folderSameAsEachAlone()
    {
#ifdef FLOWLOG_TEST_DUCKDB
        QFETCH(bool, threaded);
        parquet::ChunkPump::setThreaded(threaded);
        const QStringList files{m_long, kData + QStringLiteral("tgw_gzip.parquet"), m_damaged, m_long,
                                kData + QStringLiteral("bad_rows.parquet")};
        ParquetFiles together(files);
        for (qsizetype i = 0; i < files.size(); ++i) {
            EventSink shared, alone;
            const FileOutcome a = together.read(i, ReadOptions{}, shared);
            const FileOutcome b = readFile(files[i], ReadOptions{}, alone);
            QCOMPARE(readertext::outcomeText(a), readertext::outcomeText(b));
            QCOMPARE(shared.events.size(), alone.events.size());
            for (qsizetype k = 0; k < shared.events.size(); ++k)
                if (shared.events[k] != alone.events[k])
                    QFAIL(qPrintable(
                        QStringLiteral("%1 event %2:\n  %3\n  %4").arg(files[i]).arg(k).arg(shared.events[k], alone.events[k])));
            QCOMPARE(shared.progressed.back(), QFileInfo(files[i]).size());
        }
        QCOMPARE(together.sharedReads(), qsizetype(files.size()));

        QTemporaryDir dir;
        for (qsizetype i = 0; i < files.size(); ++i)
            QVERIFY(QFile::copy(files[i], dir.filePath(QStringLiteral("f%1.parquet").arg(i))));
        auto store = Store::create();
        QVERIFY(store.ok());
        const LoadReport r = loadPaths(*store.value(), {dir.path()}, LoadOptions{});
        QCOMPARE(r.outcome, Outcome::Ok);
        QCOMPARE(r.records, 3 * kTwinRows * kCopies - m_groupRows + kTwinRows + 5);
        QCOMPARE(r.rejected, m_groupRows + 3);
#endif
    }
};

QTEST_GUILESS_MAIN(TestParquetStream)
#include "tst_parquet_stream.moc"
