// Plain text parsed on worker threads (ReadOptions::parseThread, the default) against the
// one-thread reader as the oracle. readBuffer with a plain sink (workers parse, the reader hands
// FlowRecords on): the same records (every value, line number and raw text), the same rejections
// with line and reason, the same outcome (form, counts, fatal error). Through the loader (workers
// parse AND pack, core/store/local_pack): the same report, rejections with file:line, stored rows
// (flows decoded and flow_data's raw context and string codes), twins and files, for one file,
// many files in one load and one load per file (contexts of earlier loads); cancel and progress.
// Inputs: flowgen's large and small estates with damaged lines sprinkled, CRLF, a last line
// without newline, lines longer than a piece and than 1 MiB (also across pieces), a header change
// halfway, NUL padding, blank and CloudWatch-stamped lines, IPv6/non-canonical addresses and
// extra columns new all through the file, gzip with two members and truncated, a file smaller than
// one piece, and empty files; the header again at many offsets of a piece (worker rows and
// one-line-path records in one piece), a time window and a sample. A sink's side of the pieces:
// ParallelSink::pieceDone after a piece's rows, before it is refilled, also when cancelled.
// Over 500 lines: one input generator and oracle for all of these cases.
#include "core/ingest/ingest.h"
#include "core/ingest/loader.h"
#include "core/store/store.h"
#include "flowgen.h"
#include "tests/gziptestutil.h"
#include "tests/readertextutil.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <atomic>

using namespace core;

namespace {

constexpr int kScale = readertext::kSanitizerScale;

/// flowgen TGW lines (large estate unless `small`), with a header, damage sprinkled by `seed`.
QByteArray generate(int records, bool small, quint32 seed, bool damage)
{
    flowgen::Options o;
    o.tgwRecords = records;
    o.seed = seed;
    if (!small) o.setLargeEstate();
    QRandomGenerator rng(seed);
    QByteArray out = QByteArray::fromStdString(flowgen::tgwHeader()) + '\n';
    int n = 0;
    flowgen::generate(o, [&](const std::string& line, int64_t) {
        QByteArray l = QByteArray::fromStdString(line);
        ++n;
        if (damage) {
            switch (rng.bounded(300)) {
            case 0:
                l = l.left(l.lastIndexOf(' ')); // 35 fields
                break;
            case 1:
                l.replace(" 6 ", " 6x "); // bad number
                break;
            case 2:
                l += '\r'; // CRLF
                break;
            case 3:
                out += QByteArray(40, '\0') + '\n'; // NUL padding line
                break;
            case 4:
                out += "\n  \t\n"; // blank lines
                break;
            case 5:
                l.replace(" 10.", " 10.999."); // bad address
                break;
            case 6:
                l = "2025-12-01T00:00:00.000Z " + l; // CloudWatch export stamp
                break;
            default:
                break;
            }
            if (n == records / 2) // a header with fewer fields, two records, then the full header again
                out += "version srcaddr dstaddr bytes\n1 10.0.0.1 10.0.0.2 5\n1 10.0.0.3 -\n"
                       + QByteArray::fromStdString(flowgen::tgwHeader()) + '\n';
            if (n == records / 3) out += QByteArray((1 << 20) + 10, 'x') + '\n';        // over 1 MiB
            if (n == records / 4) out += QByteArray(qsizetype{300} * 1024, 'y') + '\n'; // longer than a piece
        }
        out += l + '\n';
    });
    return out;
}

using readertext::outcomeText;
using readertext::query;

/// Column numbers of the test data's two extra fields.
int extraColumnOf(std::string_view name)
{
    return name == "extra-one" ? 0 : name == "extra-two" ? 1 : -1;
}

using readertext::compareLists;

} // namespace

class TestParallelParse : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sameAsOneThread_data();
    void sameAsOneThread();
    void loaderSameAsOneThread_data();
    void loaderSameAsOneThread();
    void loaderCancelAndProgress();
    void cancelStops();
    void pieceDoneAfterItsRows_data();
    void pieceDoneAfterItsRows();
};

void TestParallelParse::sameAsOneThread_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<bool>("gzip");
    QTest::addColumn<int>("minRecords");
    QTest::addColumn<QString>("expectFatal"); // substring of the fatal error, empty = none
    const QByteArray large = generate(20000 / kScale, false, 1, true);
    const QByteArray small = generate(20000 / kScale, true, 2, true);
    const QByteArray clean = generate(6000 / kScale, false, 3, false);
    QTest::newRow("large estate, damaged") << large << false << 15000 / kScale << QString();
    QTest::newRow("small estate, damaged") << small << false << 15000 / kScale << QString();
    QTest::newRow("large estate, no newline at the end") << large + "6 TransitGateway" << false << 15000 / kScale << QString();
    QTest::newRow("large estate, last record without newline") << large.chopped(1) << false << 15000 / kScale << QString();
    QTest::newRow("large estate, CRLF everywhere")
        << QByteArray(large).replace('\n', "\r\n") << false << 15000 / kScale << QString();
    QTest::newRow("ends inside an overlong line")
        << clean + QByteArray((1 << 20) + 5000, 'z') << false << 5000 / kScale << QString();
    QTest::newRow("headerless") << clean.mid(clean.indexOf('\n') + 1) << false << 5000 / kScale << QString();
    QTest::newRow("smaller than one piece") << clean.left(clean.indexOf('\n', 100000) + 1) << false << 100 << QString();
    QTest::newRow("one record") << clean.left(clean.indexOf('\n', clean.indexOf('\n') + 1) + 1) << false << 1 << QString();
    QTest::newRow("header with extra columns")
        << QByteArray("version extra-one srcaddr extra-two dstaddr bytes\n").repeated(1)
               + QByteArray("2 a 10.0.0.1 b 10.0.0.2 5\n2 - 10.0.0.3 c 10.0.0.4 x\n").repeated(40000 / kScale)
        << false << 40000 / kScale << QString();
    QTest::newRow("gzip, two members") << testutil::gzipCompress(large) + testutil::gzipCompress(small) << true << 30000 / kScale
                                       << QString();
    QTest::newRow("gzip, truncated") << testutil::gzipCompress(large).chopped(5000) << true << 1000
                                     << QStringLiteral("truncated");
    QTest::newRow("empty") << QByteArray() << false << 0 << QStringLiteral("empty file");
    QTest::newRow("blank lines only") << QByteArray("\n\n  \n").repeated(100000) << false << 0 << QStringLiteral("empty file");
    QTest::newRow("not a flow log") << QByteArray("hello world\n").repeated(100000) << false << 0
                                    << QStringLiteral("not a recognised flow log");
}

void TestParallelParse::sameAsOneThread()
{
    QFETCH(QByteArray, data);
    QFETCH(bool, gzip);
    QFETCH(int, minRecords);
    QFETCH(QString, expectFatal);
    const QString name = gzip ? QStringLiteral("flows.log.gz") : QStringLiteral("flows.log");
    ReadOptions one;
    one.parseThread = false;
    readertext::RecordingSink oneSink(extraColumnOf);
    const FileOutcome a = readBuffer(data, name, one, oneSink);
    ReadOptions two;
    two.parseThread = true;
    readertext::RecordingSink twoSink(extraColumnOf);
    const FileOutcome b = readBuffer(data, name, two, twoSink);

    QCOMPARE(outcomeText(b), outcomeText(a));
    compareLists(twoSink.items, oneSink.items);
    QVERIFY2(a.records >= minRecords, qPrintable(outcomeText(a)));
    if (expectFatal.isEmpty()) {
        QVERIFY2(!a.fatal, qPrintable(outcomeText(a)));
    } else {
        QVERIFY(a.fatal);
        QVERIFY2(a.fatal->toString().contains(expectFatal), qPrintable(a.fatal->toString()));
        QVERIFY2(a.fatal->toString().contains(name), qPrintable(a.fatal->toString())); // names the file
    }
}

namespace {

/// Text whose records need string codes beyond the context: IPv6 and non-canonical IPv4
/// addresses, missing ones, and two extra columns.
QByteArray textAddresses(int records)
{
    QByteArray out("version srcaddr dstaddr pkt-srcaddr extra-one bytes extra-two\n");
    static const char* const kAddrs[] = {"10.0.0.1", "2001:db8::1", "010.0.0.7", "-", "fe80::a", "10.1.2.3", "192.168.000.1"};
    for (int i = 0; i < records; ++i) {
        out += "5 ";
        if (i % 97 == 0) out += "2001:db8::" + QByteArray::number(i, 16); // new strings all the way
        else out += kAddrs[i % 7];
        out += ' ';
        out += kAddrs[(i / 7) % 7];
        out += ' ';
        out += kAddrs[(i / 3) % 7];
        out += i % 5 == 0 ? " -" : " x" + QByteArray::number(i % 89 == 0 ? i : i % 11);
        out += ' ' + QByteArray::number(i) + ' ';
        out += i % 4 == 0 ? "-" : "y" + QByteArray::number(i % 13);
        out += '\n';
    }
    return out;
}

/// A store's flows (decoded), its flow_data (the raw codes: context and string codes must be
/// those of the one-thread path too), twins and files, as lines.
QStringList storeText(Store& store)
{
    QStringList out;
    out << query(store, QStringLiteral("SELECT * FROM flows ORDER BY id"));
    out << query(store, QStringLiteral("SELECT * FROM flow_data ORDER BY id"));
    out << query(store, QStringLiteral("SELECT count(*), count(twin_id) FROM flows"));
    out << query(store, QStringLiteral("SELECT * FROM files ORDER BY id"));
    return out;
}

/// `text` with its first line (the header) again every 3,000 lines or so (a piece holds ~450):
/// the records after it in its piece (a new header generation) go through the reader's one-line
/// path, after the piece's first records were packed by a worker; each time at another offset
/// from the piece's start (the next gap is 97 lines longer, modulo 500).
QByteArray headerAtManyOffsets(const QByteArray& text)
{
    const QList<QByteArray> lines = text.split('\n');
    QByteArray out;
    qsizetype next = 3000;
    for (qsizetype i = 0, k = 0; i < lines.size(); ++i) {
        out += lines[i];
        if (i + 1 < lines.size()) out += '\n';
        if (i == next && i + 1 < lines.size()) {
            out += lines.front() + '\n';
            next += 3000 + (++k * 97) % 500;
        }
    }
    return out;
}

/// The median start time of the records of `text` (read on one thread).
qint64 medianStart(const QByteArray& text)
{
    class Starts final : public RecordSink {
    public:
        std::vector<qint64> values;
        void record(const FlowRecord& r) override
        {
            if (r.has(FieldId::Start)) values.push_back(r.integer(FieldId::Start));
        }
        void reject(const Rejection&) override {}
        int extraColumn(std::string_view) override { return -1; }
    } starts;
    ReadOptions one;
    one.parseThread = false;
    readBuffer(text, QStringLiteral("flows.log"), one, starts);
    if (starts.values.empty()) return 0;
    std::nth_element(starts.values.begin(), starts.values.begin() + static_cast<std::ptrdiff_t>(starts.values.size() / 2),
                     starts.values.end());
    return starts.values[starts.values.size() / 2];
}

} // namespace

void TestParallelParse::loaderSameAsOneThread_data()
{
    QTest::addColumn<QList<QByteArray>>("files"); // contents; a name ending in .gz is compressed
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<int>("loads");  // the files loaded in this many loads (1 or one per file)
    QTest::addColumn<int>("filter"); // 0: none, 1: a time window (half the records), 2: a 1-in-3 sample
    const QByteArray large = generate(20000 / kScale, false, 4, true);
    const QByteArray small = generate(20000 / kScale, true, 5, true);
    const QByteArray clean = generate(6000 / kScale, false, 3, false);
    const QStringList one{QStringLiteral("flows.log")};
    QTest::newRow("large estate, plain") << QList<QByteArray>{large} << one << 1 << 0;
    QTest::newRow("large estate, gzip") << QList<QByteArray>{large} << QStringList{QStringLiteral("flows.log.gz")} << 1 << 0;
    QTest::newRow("small estate, plain, CRLF") << QList<QByteArray>{QByteArray(small).replace('\n', "\r\n")} << one << 1 << 0;
    QTest::newRow("small estate, no newline at the end") << QList<QByteArray>{small + "6 TransitGateway"} << one << 1 << 0;
    QTest::newRow("last record without newline") << QList<QByteArray>{large.chopped(1)} << one << 1 << 0;
    QTest::newRow("ends inside an overlong line")
        << QList<QByteArray>{clean + QByteArray((1 << 20) + 5000, 'z')} << one << 1 << 0;
    QTest::newRow("headerless") << QList<QByteArray>{clean.mid(clean.indexOf('\n') + 1)} << one << 1 << 0;
    QTest::newRow("smaller than one piece") << QList<QByteArray>{clean.left(clean.indexOf('\n', 100000) + 1)} << one << 1 << 0;
    QTest::newRow("text addresses and extras") << QList<QByteArray>{textAddresses(30000 / kScale)} << one << 1 << 0;
    QTest::newRow("gzip, two members") << QList<QByteArray>{testutil::gzipCompress(large) + testutil::gzipCompress(small)}
                                       << QStringList{QStringLiteral("two.log")} << 1
                                       << 0; // compressed by hand: not recompressed
    QTest::newRow("gzip, truncated") << QList<QByteArray>{testutil::gzipCompress(large).chopped(5000)}
                                     << QStringList{QStringLiteral("cut.log")} << 1 << 0;
    const QList<QByteArray> many{large, small, textAddresses(9000 / kScale), clean, QByteArray(), large, small.chopped(1)};
    const QStringList manyNames{QStringLiteral("a.log"),   QStringLiteral("b.log.gz"), QStringLiteral("c.log"),
                                QStringLiteral("d.log"),   QStringLiteral("e.log"),    QStringLiteral("f.log"),
                                QStringLiteral("g.log.gz")};
    QTest::newRow("many files, one load") << many << manyNames << 1 << 0;
    QTest::newRow("many files, a load each (contexts of earlier loads)") << many << manyNames << 7 << 0;
    const QByteArray headers = headerAtManyOffsets(generate(60000 / kScale, true, 9, true));
    QTest::newRow("header again at many offsets of a piece") << QList<QByteArray>{headers} << one << 1 << 0;
    QTest::newRow("time window") << QList<QByteArray>{headers} << one << 1 << 1;
    QTest::newRow("sample") << QList<QByteArray>{headers} << one << 1 << 2;
}

void TestParallelParse::loaderSameAsOneThread()
{
    QFETCH(QList<QByteArray>, files);
    QFETCH(QStringList, names);
    QFETCH(int, loads);
    QFETCH(int, filter);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QStringList paths;
    for (qsizetype i = 0; i < files.size(); ++i) {
        const QString path = dir.filePath(names[i]);
        QVERIFY(testutil::writeFile(path, files[i], names[i].endsWith(QLatin1String(".gz"))));
        paths << path;
    }
    QStringList results[2];
    for (int threads = 1; threads <= 2; ++threads) {
        auto created = Store::create();
        QVERIFY(created.ok());
        Store& store = *created.value();
        LoadOptions options;
        options.read.parseThread = threads == 2; // the default; one thread is the oracle
        options.keepRejections = 1000000;
        if (filter == 1) options.windowFrom = medianStart(files.front());
        if (filter == 2) options.sampleEvery = 3;
        QStringList& out = results[threads - 1];
        std::vector<QStringList> batches;
        if (loads == 1) batches.push_back(paths);
        else
            for (const QString& p : paths) batches.push_back({p});
        for (const QStringList& batch : batches) {
            const LoadReport r = loadPaths(store, batch, options);
            out << QStringLiteral("outcome %1 records %2 rejected %3").arg(int(r.outcome)).arg(r.records).arg(r.rejected);
            out << r.errors;
            for (const FileReport& fr : r.files)
                out << QStringLiteral("file %1 id=%2 %3 records=%4 rejected=%5 lines=%6 skipped=%7 truncated=%8 error=%9")
                           .arg(fr.path)
                           .arg(fr.fileId)
                           .arg(fr.format)
                           .arg(fr.records)
                           .arg(fr.rejected)
                           .arg(fr.lines)
                           .arg(fr.skipped)
                           .arg(fr.truncated)
                           .arg(fr.error);
            for (const LoadedRejection& x : r.rejections)
                out << QStringLiteral("%1:%2: %3 | %4").arg(x.file).arg(x.line).arg(x.reason, x.raw.left(200));
        }
        out << storeText(store);
        QVERIFY(store.recordCount() > 0);
    }
    compareLists(results[1], results[0]);
}

void TestParallelParse::loaderCancelAndProgress()
{
    const QByteArray data = generate(60000 / kScale, true, 7, false);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("flows.log"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
    f.close();
    {
        auto created = Store::create();
        QVERIFY(created.ok());
        std::atomic<bool> cancel{false};
        LoadOptions options;
        options.read.cancel = &cancel;
        int calls = 0;
        options.progress = [&](const LoadProgress& p) {
            ++calls;
            if (p.records > 0 && p.filesDone < p.filesTotal) cancel.store(true);
        };
        const LoadReport r = loadPaths(*created.value(), {path}, options);
        QVERIFY(calls > 0);
        if (cancel.load()) {
            QCOMPARE(r.outcome, Outcome::Cancelled);
            QCOMPARE(created.value()->recordCount(), 0); // rolled back
        }
    }
    {
        auto created = Store::create();
        QVERIFY(created.ok());
        LoadOptions options;
        qint64 lastBytes = -1;
        qint64 total = 0;
        bool monotonic = true;
        options.progress = [&](const LoadProgress& p) {
            monotonic = monotonic && p.bytesRead >= lastBytes;
            lastBytes = p.bytesRead;
            total = p.bytesTotal;
        };
        const LoadReport r = loadPaths(*created.value(), {path}, options);
        QCOMPARE(r.outcome, Outcome::Ok);
        QVERIFY(monotonic);
        QCOMPARE(lastBytes, total); // the final report covers the whole file
        QCOMPARE(r.records, qint64(60000 / kScale));
    }
}

void TestParallelParse::cancelStops()
{
    const QByteArray data = generate(30000 / kScale, true, 6, false);
    std::atomic<bool> cancel{false};
    class CancellingSink final : public RecordSink {
    public:
        explicit CancellingSink(std::atomic<bool>& c) : m_cancel(c) {}
        qint64 seen = 0;
        void record(const FlowRecord&) override
        {
            if (++seen == 1000) m_cancel.store(true);
        }
        void reject(const Rejection&) override {}
        int extraColumn(std::string_view) override { return -1; }

    private:
        std::atomic<bool>& m_cancel;
    } sink(cancel);
    ReadOptions options;
    options.cancel = &cancel;
    options.parseThread = true;
    const FileOutcome o = readBuffer(data, QStringLiteral("flows.log"), options, sink);
    QVERIFY(o.cancelled);
    QVERIFY(sink.seen < 30000 / kScale);
}

namespace {

/// A ParallelSink whose pieces hold the records' text (as RecordingSink writes them): what it is
/// handed, in order, and every break of the piece contract (a piece cleared or refilled before
/// pieceDone, packed() after it, pieceDone twice).
class PieceSink final : public RecordSink, public ParallelSink {
public:
    struct Texts final : Piece {
        QStringList rows;
        bool done = true; ///< pieceDone since the rows were packed
    };
    struct TextPacker final : Packer {
        explicit TextPacker(std::atomic<int>& broken) : m_broken(broken) {}
        std::unique_ptr<Piece> newPiece() override { return std::make_unique<Texts>(); }
        void clear(Piece& piece) override
        {
            auto& p = static_cast<Texts&>(piece);
            if (!p.done) ++m_broken; // packed rows the sink was never told are all handed over
            p.rows.clear();
        }
        bool pack(const FlowRecord& r, Piece& piece) override
        {
            auto& p = static_cast<Texts&>(piece);
            readertext::RecordingSink text(extraColumnOf);
            text.record(r);
            const QString& item = text.items.front();
            p.rows << item.mid(item.indexOf(QLatin1Char('|')) + 1); // without the line: packed() gives it
            p.done = false;
            return true;
        }
        std::atomic<int>& m_broken;
    };
    QStringList items;
    std::atomic<int> broken{0};
    int pieces = 0;
    void record(const FlowRecord& r) override { m_text.record(r); }
    void reject(const Rejection& r) override { m_text.reject(r); }
    int extraColumn(std::string_view name) override { return extraColumnOf(name); }
    ParallelSink* parallel() override { return this; }
    std::unique_ptr<Packer> newPacker() override { return std::make_unique<TextPacker>(broken); }
    void packed(Packer&, Piece& piece, size_t index, qint64 line) override
    {
        auto& p = static_cast<Texts&>(piece);
        if (p.done) ++broken;
        m_text.items << QStringLiteral("R %1 |").arg(line) + p.rows.at(static_cast<qsizetype>(index));
    }
    void pieceDone(Packer&, Piece& piece) override
    {
        auto& p = static_cast<Texts&>(piece);
        if (p.done) ++broken;
        p.done = true;
        ++pieces;
    }
    readertext::RecordingSink m_text{extraColumnOf};
};

} // namespace

void TestParallelParse::pieceDoneAfterItsRows_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<int>("cancelAfter"); // records; 0 = none
    const QByteArray small = generate(20000 / kScale, true, 8, true);
    QTest::newRow("damaged, header change") << small << 0;
    QTest::newRow("cancelled halfway") << small << 10000 / kScale;
}

/// ParallelSink::pieceDone comes once after the last row the reader hands over from a piece and
/// before the piece is refilled (so a sink may keep rows in the piece until then), also when
/// the read is cancelled; the records handed over are the one-thread reader's.
void TestParallelParse::pieceDoneAfterItsRows()
{
    QFETCH(QByteArray, data);
    QFETCH(int, cancelAfter);
    std::atomic<bool> cancel{false};
    ReadOptions two;
    two.cancel = &cancel;
    struct CancelAt final : RecordSink {
        PieceSink& next;
        std::atomic<bool>& cancel;
        int after;
        CancelAt(PieceSink& n, std::atomic<bool>& c, int a) : next(n), cancel(c), after(a) {}
        void record(const FlowRecord& r) override { next.record(r); }
        void reject(const Rejection& r) override { next.reject(r); }
        int extraColumn(std::string_view name) override { return next.extraColumn(name); }
        ParallelSink* parallel() override { return next.parallel(); }
        void progress(qint64) override
        {
            if (after > 0 && next.m_text.items.size() >= after) cancel.store(true);
        }
    };
    PieceSink sink;
    CancelAt front(sink, cancel, cancelAfter);
    const FileOutcome b = readBuffer(data, QStringLiteral("flows.log"), two, front);
    QCOMPARE(sink.broken.load(), 0);
    QVERIFY(sink.pieces > 0);
    ReadOptions one;
    one.parseThread = false;
    readertext::RecordingSink oneSink(extraColumnOf);
    const FileOutcome a = readBuffer(data, QStringLiteral("flows.log"), one, oneSink);
    if (cancelAfter == 0) {
        QCOMPARE(outcomeText(b), outcomeText(a));
        compareLists(sink.m_text.items, oneSink.items);
    } else {
        QVERIFY(b.cancelled);
        QVERIFY(sink.m_text.items.size() < oneSink.items.size());
        compareLists(sink.m_text.items, oneSink.items.mid(0, sink.m_text.items.size()));
    }
}

QTEST_GUILESS_MAIN(TestParallelParse)
#include "tst_parallel_parse.moc"
