// Gzip decoded on its own thread while the reader parses (ReadOptions::gzipThread) against the
// inline decoder: the same records (every value, line and raw text), the same rejections with
// file:line and reason, the same outcome (form, counts, truncation, fatal error), and through
// the loader the same stored rows and twins. Inputs: small- and large-estate text with damaged
// lines, header changes, CRLF, NUL padding, an overlong line, and bad gzip tails (truncated,
// corrupt, garbage after a member, concatenated members). Also: Cancel stops a pipelined read.
#include "core/ingest/ingest.h"
#include "core/ingest/loader.h"
#include "core/store/store.h"
#include "tests/gziptestutil.h"
#include "tests/readertextutil.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace core;

namespace {

/// Lines per generated file: an ASan+UBSan build (g++ defines __SANITIZE_ADDRESS__) is ~20x slower per
/// record, so it runs the same cases on a quarter of the lines (the gzip pieces still number many).
#if defined(__SANITIZE_ADDRESS__)
constexpr int kLineScale = 4;
#else
constexpr int kLineScale = 1;
#endif

/// TGW default records with a header, `attachments` attachments (small vs large estate), some
/// damaged lines, a second header with fewer fields halfway, CRLF lines, NUL padding and one
/// line over 1 MiB. Several MB, so decoding spans many pieces.
QByteArray generate(int lines, int attachments, quint32 seed)
{
    QRandomGenerator rng(seed);
    const QByteArray header =
        "version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id "
        "tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id "
        "tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
        "log-status type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded "
        "packets-lost-ttl-expired tcp-flags region flow-direction pkt-src-aws-service pkt-dst-aws-service\n";
    QByteArray out = header;
    auto att = [](int a) { return QByteArray("tgw-attach-") + QByteArray::number(a + 0x1000, 16).rightJustified(17, '0'); };
    for (int i = 0; i < lines; ++i) {
        const int a = static_cast<int>(rng.bounded(attachments));
        const int b = (a + 1 + static_cast<int>(rng.bounded(attachments - 1))) % attachments;
        const qint64 start = 1764547200 + rng.bounded(86400);
        const int packets = static_cast<int>(rng.bounded(1, 50));
        const QByteArray src = "10." + QByteArray::number(a % 250) + ".1." + QByteArray::number(rng.bounded(250));
        const QByteArray dst = "10." + QByteArray::number(b % 250) + ".2." + QByteArray::number(rng.bounded(250));
        const QByteArray port = QByteArray::number(rng.bounded(32768, 60000));
        for (const bool ingress : {true, false}) {
            QByteArray l = "6 TransitGateway 111122223333 tgw-0a1b2c3d4e5f60718 " + att(ingress ? a : b) + " 2000"
                           + QByteArray::number(a) + " 2000" + QByteArray::number(b) + " vpc-" + QByteArray::number(a) + " vpc-"
                           + QByteArray::number(b) + " subnet-" + QByteArray::number(a) + " subnet-" + QByteArray::number(b)
                           + " eni-" + QByteArray::number(a) + " eni-" + QByteArray::number(b) + " use1-az1 use1-az2 "
                           + att(ingress ? b : a) + ' ' + src + ' ' + dst + ' ' + port + " 443 6 " + QByteArray::number(packets)
                           + ' ' + QByteArray::number(packets * 100) + ' ' + QByteArray::number(start) + ' '
                           + QByteArray::number(start + 10) + " OK IPv4 0 0 0 0 2 us-east-1 " + (ingress ? "ingress" : "egress")
                           + (rng.bounded(7) == 0 ? " S3 -" : " - -");
            switch (rng.bounded(400)) {
            case 0:
                l = l.left(l.lastIndexOf(' ')); // 35 fields
                break;
            case 1:
                l.replace(" 443 ", " 44x3 "); // bad number
                break;
            case 2:
                l += '\r'; // CRLF
                break;
            case 3:
                out += QByteArray(40, '\0') + '\n'; // NUL padding line
                break;
            default:
                break;
            }
            out += l + '\n';
        }
        if (i == lines / 2) out += "version srcaddr dstaddr bytes\n1 10.0.0.1 10.0.0.2 5\n1 10.0.0.3 -\n" + header;
        if (i == lines / 3) out += QByteArray((1 << 20) + 10, 'x') + '\n';
    }
    return out;
}

using readertext::outcomeText;
using readertext::query;
using readertext::RecordingSink;

} // namespace

class TestGzipPipeline : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sameAsInline_data();
    void sameAsInline();
    void loaderSameAsInline_data();
    void loaderSameAsInline();
    void cancelStops();
};

void TestGzipPipeline::sameAsInline_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("expectFatal"); // substring of the fatal error, empty = none
    const QByteArray small = generate(12000 / kLineScale, 8, 1);
    const QByteArray large = generate(12000 / kLineScale, 600, 2);
    const QByteArray gz = testutil::gzipCompress(small);
    const QByteArray gzLarge = testutil::gzipCompress(large);
    QTest::newRow("small estate, gzip") << gz << QString();
    QTest::newRow("large estate, gzip") << gzLarge << QString();
    QTest::newRow("large estate, gzip level 1") << testutil::gzipCompress(large, 1) << QString();
    QTest::newRow("two members") << gz + gzLarge << QString();
    QTest::newRow("members with zero padding") << gz + QByteArray(100, '\0') + gzLarge << QString();
    QTest::newRow("truncated in the middle") << gz.left(gz.size() / 2) << QStringLiteral("truncated");
    QTest::newRow("truncated in the trailer") << gz.left(gz.size() - 3) << QStringLiteral("truncated");
    QByteArray corrupt = gz;
    for (qsizetype i = corrupt.size() * 2 / 3; i < corrupt.size() * 2 / 3 + 64; ++i) corrupt[i] = static_cast<char>(i * 7);
    QTest::newRow("corrupt data") << corrupt << QStringLiteral("corrupt");
    QTest::newRow("garbage after a member") << gz + QByteArray("not gzip at all\n") << QStringLiteral("after gzip member");
    QTest::newRow("not a flow log, gzip") << testutil::gzipCompress(QByteArray(3 << 20, 'a') + '\n')
                                          << QStringLiteral("not a recognised flow log");
    QTest::newRow("empty gzip") << testutil::gzipCompress(QByteArray()) << QStringLiteral("gzip without data");
}

void TestGzipPipeline::sameAsInline()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, expectFatal);
    const QString name = QStringLiteral("flows.log.gz");
    ReadOptions inlineOptions;
    inlineOptions.gzipThread = false;
    RecordingSink inlineSink;
    const FileOutcome a = readBuffer(data, name, inlineOptions, inlineSink);
    ReadOptions threadOptions;
    threadOptions.gzipThread = true;
    RecordingSink threadSink;
    const FileOutcome b = readBuffer(data, name, threadOptions, threadSink);

    QCOMPARE(outcomeText(b), outcomeText(a));
    QCOMPARE(threadSink.items.size(), inlineSink.items.size());
    for (qsizetype i = 0; i < inlineSink.items.size(); ++i)
        if (threadSink.items[i] != inlineSink.items[i])
            QFAIL(qPrintable(QStringLiteral("item %1 differs:\n  thread: %2\n  inline: %3")
                                 .arg(i)
                                 .arg(threadSink.items[i].left(300), inlineSink.items[i].left(300))));
    if (expectFatal.isEmpty()) {
        QVERIFY2(!a.fatal, qPrintable(a.fatal ? a.fatal->toString() : QString()));
        QVERIFY(a.records > 10000 / kLineScale);
        QVERIFY(a.rejected > 10);
    } else {
        QVERIFY(a.fatal);
        QVERIFY2(a.fatal->toString().contains(expectFatal), qPrintable(a.fatal->toString()));
        QVERIFY2(a.fatal->toString().contains(name), qPrintable(a.fatal->toString())); // names the file
    }
}

void TestGzipPipeline::loaderSameAsInline_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<bool>("gzip");
    const QByteArray large = generate(15000 / kLineScale, 600, 3);
    QTest::newRow("large estate, gzip") << large << true;
    QTest::newRow("large estate, plain") << large << false;
    QTest::newRow("small estate, gzip") << generate(15000 / kLineScale, 8, 4) << true;
}

void TestGzipPipeline::loaderSameAsInline()
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
    for (int threaded = 0; threaded < 2; ++threaded) {
        auto created = Store::create();
        QVERIFY(created.ok());
        Store& store = *created.value();
        LoadOptions options;
        options.read.gzipThread = threaded == 1;
        options.keepRejections = 1000000;
        const LoadReport r = loadPaths(store, {path}, options);
        QCOMPARE(r.outcome, Outcome::Ok);
        QStringList& out = results[threaded];
        out << QStringLiteral("records %1 rejected %2").arg(r.records).arg(r.rejected);
        for (const FileReport& fr : r.files)
            out << QStringLiteral("file %1 %2 lines=%3 skipped=%4").arg(fr.path, fr.format).arg(fr.lines).arg(fr.skipped);
        for (const LoadedRejection& x : r.rejections)
            out << QStringLiteral("%1:%2: %3 | %4").arg(x.file).arg(x.line).arg(x.reason, x.raw.left(200));
        out << query(store, QStringLiteral("SELECT * FROM flows ORDER BY id"));
        QVERIFY(r.records > 20000 / kLineScale);
        QVERIFY(r.rejected > 10);
    }
    QCOMPARE(results[1].size(), results[0].size());
    for (qsizetype i = 0; i < results[0].size(); ++i) QCOMPARE(results[1][i], results[0][i]);
    QVERIFY(results[0].filter(QStringLiteral(":")).size() > 10); // rejections with file:line were compared
}

void TestGzipPipeline::cancelStops()
{
    const QByteArray gz = testutil::gzipCompress(generate(20000, 50, 5));
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
        int extraColumn(std::string_view) override { return 0; }

    private:
        std::atomic<bool>& m_cancel;
    } sink(cancel);
    ReadOptions options;
    options.cancel = &cancel;
    const FileOutcome o = readBuffer(gz, QStringLiteral("c.log.gz"), options, sink);
    QVERIFY(o.cancelled);
    QVERIFY(!o.fatal);
    QVERIFY(sink.seen < 40000); // stopped within the 64 KiB between checks, not at the end
}

QTEST_GUILESS_MAIN(TestGzipPipeline)
#include "tst_gzip_pipeline.moc"
