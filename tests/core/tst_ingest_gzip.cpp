// Tests of reading gzip input (core/ingest.h, core/ingest/gzip.h): every gzip form (members,
// truncation, trailing garbage, ...), a zip bomb stopped by the expansion limit and the decoder
// fed in pieces. Every test checks that records + rejected + skipped == lines read. Helpers:
// tests/ingesttestutil.h.
#include "core/ingest/gzip.h"
#include "core/ingest/ingest.h"

#include "tests/ingesttestutil.h"
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <functional>

using namespace core;
using namespace ingesttest;

class TestIngestGzip : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void gzipForms_data();
    void gzipForms();
    void zipBomb();
    void gzipDecoderPieces();
};

void TestIngestGzip::gzipForms_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<qint64>("records");
    QTest::addColumn<bool>("truncated");
    QTest::addColumn<QString>("fatal");
    QTest::addColumn<QString>("lastRejection"); // "line: reason" or ""

    QByteArray text = QByteArray(kVpcHeader) + '\n';
    for (int i = 0; i < 20000; ++i) text += withField(kVpc1, 9, QByteArray::number(i)) + '\n';
    const QByteArray gz = gzipBytes(text);

    QTest::newRow("whole") << gz << qint64(20000) << false << ""
                           << "";
    QTest::newRow("multi-member") << gzipBytes(text.left(text.indexOf('\n', 1000) + 1))
                                         + gzipBytes(text.mid(text.indexOf('\n', 1000) + 1))
                                  << qint64(20000) << false << ""
                                  << "";
    QTest::newRow("multi-member split mid-line")
        << gzipBytes(text.left(5000)) + gzipBytes(text.mid(5000)) << qint64(20000) << false << ""
        << "";
    QTest::newRow("member then zero padding") << gz + QByteArray(512, '\0') << qint64(20000) << false << ""
                                              << "";
    const QByteArray cut = gz.left(gz.size() / 2);
    QTest::newRow("truncated") << cut << qint64(-1) << true
                               << QStringLiteral("gzip stream truncated after %1 bytes").arg(cut.size())
                               << "incomplete last line (gzip stream truncated";
    QByteArray corrupt = gz;
    for (qsizetype i = gz.size() / 2; i < gz.size() / 2 + 64; ++i) corrupt[i] = static_cast<char>(corrupt[i] ^ 0x5a);
    QTest::newRow("corrupt") << corrupt << qint64(-1) << true << "gzip data corrupt after"
                             << "incomplete last line (gzip data corrupt";
    QTest::newRow("trailing garbage") << gz + "garbage" << qint64(20000) << true << "unexpected data after gzip member 1"
                                      << "";
    QTest::newRow("gzip of nothing") << gzipBytes(QByteArray()) << qint64(0) << false << "empty file (gzip without data)"
                                     << "";
    QTest::newRow("only the gzip header") << gz.left(10) << qint64(0) << true << "gzip stream truncated after 10 bytes"
                                          << "";
}

void TestIngestGzip::gzipForms()
{
    QFETCH(QByteArray, data);
    QFETCH(qint64, records);
    QFETCH(bool, truncated);
    QFETCH(QString, fatal);
    QFETCH(QString, lastRejection);
    CollectSink sink;
    sink.keepRecords = false;
    const FileOutcome out = readBytes(data, sink);
    CHECK_ACCOUNTING(out, sink);
    QCOMPARE(out.truncated, truncated);
    if (records >= 0) QCOMPARE(out.records, records);
    else QVERIFY2(out.records > 1000 && out.records < 20000, qPrintable(QString::number(out.records))); // decoded part kept
    if (fatal.isEmpty()) QVERIFY(!out.fatal);
    else QVERIFY2(out.fatal && out.fatal->message.contains(fatal), qPrintable(out.fatal ? out.fatal->message : QString()));
    if (lastRejection.isEmpty()) {
        QCOMPARE(sink.rejectionTexts(), QStringList());
    } else {
        if (!out.fatal->message.contains(QLatin1String("corrupt"))) // corrupt deflate data may decode to garbage lines first
            QCOMPARE(sink.rejections.size(), size_t(1));
        QVERIFY2(sink.rejections.back().reason.startsWith(lastRejection), qPrintable(sink.rejections.back().reason));
        QCOMPARE(sink.rejections.back().line, out.linesRead); // the cut line is the last one
    }
    if (!out.fatal || out.records > 0) QCOMPARE(out.format.endsWith(QLatin1String(", gzip")), true);
}

void TestIngestGzip::zipBomb()
{
    // ~200 MB of records compressed about 1000x: progress counts compressed bytes, cancel works.
    const QByteArray block = repeatLines(kTgw1, 10000);
    QByteArray text;
    text.reserve(block.size() * 50);
    for (int i = 0; i < 50; ++i) text += block;
    const QByteArray gz = gzipBytes(text, 9);
    QVERIFY2(gz.size() * 100 < text.size(), qPrintable(QString::number(gz.size())));
    std::atomic<bool> cancel{false};
    CollectSink sink;
    sink.keepRecords = false;
    sink.onRecord = [&cancel](CollectSink& s) {
        if (s.recordCount == 200000) cancel = true;
    };
    const FileOutcome out = readBytes(gz, sink, {}, &cancel);
    CHECK_ACCOUNTING(out, sink);
    QVERIFY(out.cancelled);
    QVERIFY(out.records >= 200000 && out.records < 500000);
    QVERIFY(!sink.progressCalls.empty());
    QVERIFY(sink.progressCalls.back() <= gz.size());
    QVERIFY(std::is_sorted(sink.progressCalls.begin(), sink.progressCalls.end()));
}

void TestIngestGzip::gzipDecoderPieces()
{
    // Feeding one byte at a time decodes the same as one piece.
    const QByteArray text = repeatLines(kVpc1, 300);
    const QByteArray gz = gzipBytes(text) + gzipBytes(text);
    GzipDecoder dec(4096);
    QByteArray decoded;
    for (qsizetype i = 0; i < gz.size(); ++i)
        QVERIFY(dec.feed(std::string_view(gz.constData() + i, 1), [&](std::string_view d) {
            decoded.append(d.data(), static_cast<qsizetype>(d.size()));
            return true;
        }));
    QCOMPARE(dec.finish(), GzipDecoder::State::Finished);
    QCOMPARE(dec.members(), 2);
    QCOMPARE(decoded, text + text);
}

QTEST_GUILESS_MAIN(TestIngestGzip)
#include "tst_ingest_gzip.moc"
