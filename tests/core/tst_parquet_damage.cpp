// Parquet files damaged inside a row group (core/ingest/parquet.h): the rows of the row groups
// that decode are kept, each row of a damaged row group is a rejection naming the row group,
// its rows and DuckDB's reason, records and rejections reach the sink in row order, and a
// file whose row groups are all damaged is one refusal.
// The damage is written at run time over a copy of tests/data/parquet/tgw_gzip.parquet (2100
// TGW rows: row group 1 = rows 1-2048, row group 2 = rows 2049-2100); the byte offsets are
// the column chunks' data pages, from its footer (regenerate.sh is deterministic).
#include "core/ingest/ingest.h"
#include "core/ingest/loader.h"
#include "core/ingest/parquet.h"
#include "core/store/store.h"

#include "tests/testpaths.h"
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace core;

namespace {

const QString kData = testpaths::testData() + QStringLiteral("/parquet/");

struct Sink final : RecordSink {
    std::vector<qint64> lines;
    std::vector<Rejection> rejections;
    std::vector<qint64> order; ///< row of each record and rejection, as the sink got them
    void record(const FlowRecord& r) override
    {
        lines.push_back(r.line);
        order.push_back(r.line);
    }
    void reject(const Rejection& r) override
    {
        rejections.push_back(r);
        order.push_back(r.line);
    }
    int extraColumn(std::string_view) override { return 0; }
};

/// A copy of `from` in `dir` with 0x55 written over `length` bytes at each offset.
QString damaged(const QTemporaryDir& dir, const QString& from, const QList<qint64>& offsets, qint64 length)
{
    QFile in(from);
    if (!in.open(QIODevice::ReadOnly)) return {};
    QByteArray bytes = in.readAll();
    for (qint64 at : offsets)
        for (qint64 i = at; i < at + length && i < bytes.size(); ++i) bytes[i] = char(0x55);
    const QString to = dir.filePath(QStringLiteral("damaged.parquet"));
    QFile out(to);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size()) return {};
    return to;
}

// Data pages in tgw_gzip.parquet (parquet_metadata: data_page_offset, +20 skips the page header).
constexpr qint64 kGroup1Bytes = 19650 + 20;
constexpr qint64 kGroup2Srcaddr = 32452 + 20;
constexpr qint64 kGroup2Bytes = 33666 + 20;

} // namespace

class TestParquetDamage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        if (!parquetBuiltIn()) QSKIP("built without DuckDB (FLOWLOG_PARQUET off): Parquet files are refused");
        QVERIFY2(parquetSupported(), qPrintable(parquetSupportText()));
    }

    void damagedRowGroups_data()
    {
        QTest::addColumn<QList<qint64>>("offsets");
        QTest::addColumn<qint64>("records");
        QTest::addColumn<qint64>("firstRejectedRow");
        QTest::addColumn<QString>("reason"); // empty: the whole file is refused
        QTest::newRow("second row group, srcaddr page")
            << QList<qint64>{kGroup2Srcaddr} << qint64(2048) << qint64(2049)
            << "Parquet row group 2 (rows 2049-2100) unreadable: Input is invalid/unsupported GZIP stream";
        QTest::newRow("second row group, two columns")
            << QList<qint64>{kGroup2Srcaddr, kGroup2Bytes} << qint64(2048) << qint64(2049)
            << "Parquet row group 2 (rows 2049-2100) unreadable: Input is invalid/unsupported GZIP stream";
        QTest::newRow("first row group, bytes page") << QList<qint64>{kGroup1Bytes} << qint64(52) << qint64(1)
                                                     << "Parquet row group 1 (rows 1-2048) unreadable: don't know what type:";
        QTest::newRow("every row group") << QList<qint64>{kGroup1Bytes, kGroup2Bytes} << qint64(0) << qint64(0) << QString();
    }
    void damagedRowGroups()
    {
        QFETCH(QList<qint64>, offsets);
        QFETCH(qint64, records);
        QFETCH(qint64, firstRejectedRow);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        const QString path = damaged(dir, kData + QStringLiteral("tgw_gzip.parquet"), offsets, 200);
        QVERIFY(!path.isEmpty());
        Sink sink;
        const FileOutcome o = readFile(path, ReadOptions{}, sink);
        QCOMPARE(o.records + o.rejected, o.linesRead);
        QCOMPARE(qint64(sink.lines.size()), o.records);
        QCOMPARE(qint64(sink.rejections.size()), o.rejected);
        if (reason.isEmpty()) {
            QVERIFY2(o.fatal, "a file with every row group damaged was read");
            QVERIFY2(o.fatal->toString().startsWith(path + QStringLiteral(": Parquet file unreadable: ")),
                     qPrintable(o.fatal->toString()));
            QCOMPARE(o.records, qint64(0));
            QCOMPARE(o.rejected, qint64(0));
            return;
        }
        QVERIFY2(!o.fatal, qPrintable(o.fatal ? o.fatal->toString() : QString()));
        QCOMPARE(o.records, records);
        QCOMPARE(o.rejected, 2100 - records);
        QCOMPARE(sink.rejections.front().line, firstRejectedRow);
        QCOMPARE(sink.rejections.back().line, firstRejectedRow + o.rejected - 1);
        // Our part of the reason exactly (group, row range); DuckDB's own words after "unreadable: "
        // depend on which bytes the damage hit (a page header reads as "don't know what type:", page
        // data as "Input is invalid/unsupported GZIP stream"), so they are only required to be there.
        const QString ours = reason.left(reason.indexOf(QLatin1String("unreadable: ")) + 12);
        const QString got = sink.rejections.front().reason;
        QVERIFY2(got.startsWith(ours) && got.size() > ours.size(), qPrintable(got));
        // Records and rejections reach the sink in the file's row order (the damaged row group's
        // rejections are not held back until the end of the file).
        for (size_t i = 0; i < sink.order.size(); ++i)
            QVERIFY2(sink.order[i] == qint64(i) + 1,
                     qPrintable(QStringLiteral("event %1 is row %2").arg(i + 1).arg(sink.order[i])));
        // The records kept are exactly the rows outside the damaged row group.
        for (size_t i = 0; i < sink.lines.size(); ++i) {
            const qint64 expected = firstRejectedRow == 1 ? 2049 + qint64(i) : 1 + qint64(i);
            QCOMPARE(sink.lines[i], expected);
        }
    }

    /// Through the loader: the damaged rows are counted rejections named by file and row.
    void loaderCountsDamagedRows()
    {
        QTemporaryDir dir;
        const QString path = damaged(dir, kData + QStringLiteral("tgw_gzip.parquet"), {kGroup2Srcaddr}, 200);
        auto store = Store::create();
        QVERIFY(store.ok());
        const LoadReport r = loadPaths(*store.value(), {path}, LoadOptions{});
        QCOMPARE(r.outcome, Outcome::Ok);
        QCOMPARE(r.records, qint64(2048));
        QCOMPARE(r.rejected, qint64(52));
        QVERIFY(r.errors.isEmpty());
        QCOMPARE(r.rejections.size(), size_t(52));
        QCOMPARE(r.rejections.front().file, path);
        QCOMPARE(r.rejections.front().line, qint64(2049));
        QVERIFY2(r.rejections.front().reason.startsWith(QLatin1String("Parquet row group 2 (rows 2049-2100) unreadable: ")),
                 qPrintable(r.rejections.front().reason));
    }
};

QTEST_GUILESS_MAIN(TestParquetDamage)
#include "tst_parquet_damage.moc"
