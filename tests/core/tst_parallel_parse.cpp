// Plain text parsed on two threads (ReadOptions::parseThread: lines split and validated on a
// worker, records handed to the sink in order; gzip here decoded inline, as the parse thread is
// not used with the gzip thread) against the one-thread reader: the same records
// (every value, line number and raw text), the same rejections with line and reason, the same
// outcome (form, counts, fatal error), and through the loader the same stored rows, twins and
// rejections with file:line. Inputs: flowgen's large estate with damaged lines sprinkled, CRLF,
// a last line without newline, lines longer than a piece and than 1 MiB (also across pieces), a
// header change halfway, NUL padding, blank and CloudWatch-stamped lines, gzip with several
// members, a file smaller than one piece, and empty files.
#include "core/ingest/ingest.h"
#include "core/ingest/loader.h"
#include "core/store/store.h"
#include "flowgen.h"
#include "tests/gziptestutil.h"
#include "tests/readertextutil.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace core;

namespace {

/// An ASan+UBSan build is ~20x slower per record: the same cases on fewer records.
#if defined(__SANITIZE_ADDRESS__)
constexpr int kScale = 4;
#else
constexpr int kScale = 1;
#endif

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
            if (n == records / 3) out += QByteArray((1 << 20) + 10, 'x') + '\n'; // over 1 MiB
            if (n == records / 4) out += QByteArray(300 * 1024, 'y') + '\n';     // longer than a piece
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

void compareLists(const QStringList& got, const QStringList& want)
{
    for (qsizetype i = 0; i < std::min(got.size(), want.size()); ++i)
        if (got[i] != want[i])
            QFAIL(qPrintable(QStringLiteral("item %1 differs:\n  two threads: %2\n  one thread:  %3")
                                 .arg(i)
                                 .arg(got[i].left(300), want[i].left(300))));
    QCOMPARE(got.size(), want.size());
}

} // namespace

class TestParallelParse : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sameAsOneThread_data();
    void sameAsOneThread();
    void loaderSameAsOneThread_data();
    void loaderSameAsOneThread();
    void cancelStops();
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
    two.gzipThread = false; // pipelined gzip does not use the parse thread; inline gzip does
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

void TestParallelParse::loaderSameAsOneThread_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<bool>("gzip");
    const QByteArray large = generate(20000 / kScale, false, 4, true);
    QTest::newRow("large estate, plain") << large << false;
    QTest::newRow("large estate, gzip") << large << true;
    QTest::newRow("small estate, plain, CRLF") << generate(20000 / kScale, true, 5, true).replace('\n', "\r\n") << false;
}

void TestParallelParse::loaderSameAsOneThread()
{
    QFETCH(QByteArray, data);
    QFETCH(bool, gzip);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(gzip ? QStringLiteral("flows.log.gz") : QStringLiteral("flows.log"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(gzip ? testutil::gzipCompress(data) : data);
    f.close();
    QStringList results[2];
    for (int threads = 1; threads <= 2; ++threads) {
        auto created = Store::create();
        QVERIFY(created.ok());
        Store& store = *created.value();
        LoadOptions options;
        options.read.parseThread = threads == 2;
        options.read.gzipThread = false; // pipelined gzip does not use the parse thread
        options.keepRejections = 1000000;
        const LoadReport r = loadPaths(store, {path}, options);
        QCOMPARE(r.outcome, Outcome::Ok);
        QStringList& out = results[threads - 1];
        out << QStringLiteral("records %1 rejected %2").arg(r.records).arg(r.rejected);
        for (const FileReport& fr : r.files)
            out << QStringLiteral("file %1 %2 lines=%3 skipped=%4").arg(fr.path, fr.format).arg(fr.lines).arg(fr.skipped);
        for (const LoadedRejection& x : r.rejections)
            out << QStringLiteral("%1:%2: %3 | %4").arg(x.file).arg(x.line).arg(x.reason, x.raw.left(200));
        out << query(store, QStringLiteral("SELECT * FROM flows ORDER BY id"));
        out << query(store, QStringLiteral("SELECT count(*), count(twin_id) FROM flows"));
        QVERIFY(r.records > 15000 / kScale);
        QVERIFY(r.rejected > 10);
    }
    compareLists(results[1], results[0]);
    QVERIFY(results[0].filter(QStringLiteral("flows.log")).size() > 10); // rejections with file:line were compared
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

QTEST_GUILESS_MAIN(TestParallelParse)
#include "tst_parallel_parse.moc"
