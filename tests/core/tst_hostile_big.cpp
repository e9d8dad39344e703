// Hostile input, big: a 100 MB line, a million bad lines, a huge JSON array and gzip bombs,
// generated at run time into a QTemporaryDir. Loading finishes, every line is accounted for,
// progress moves forward, cancel works and peak memory stays within a budget (a failure, not a
// pass, when /proc cannot tell). Helpers: tests/hostiletestutil.h.
#include "core/ingest/gzip.h"
#include "core/ingest/ingest.h"
#include "core/ingest/loader.h"
#include "core/names/names.h"
#include "core/store/store.h"
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <functional>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/hostiletestutil.h"

using namespace core;
using namespace hostiletest;

class TestHostileBig : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // ---------------------------------------------------------------------------------
    // Big inputs, generated at run time.

    void hundredMegabyteLine_data()
    {
        QTest::addColumn<QByteArray>("suffix");
        QTest::addColumn<qint64>("records");
        QTest::newRow("no newline at all") << QByteArray() << 0LL;
        QTest::newRow("then a valid record") << QByteArray("\n") + kVpcLine << 1LL;
    }
    void hundredMegabyteLine()
    {
        QFETCH(QByteArray, suffix);
        QFETCH(qint64, records);
        const QString path = m_dir.filePath(QStringLiteral("longline.log"));
        // A header first so the long line is a record line of a recognised file.
        QVERIFY(writeRepeated(path, kVpcHeader, QByteArray(1 << 20, 'a'), 100, suffix));
        QCOMPARE(QFileInfo(path).size(), qint64(sizeof(kVpcHeader) - 1) + (100LL << 20) + suffix.size());

        Sink sink;
        const FileOutcome o = readFile(path, ReadOptions{}, sink);
        VERIFY_LINES_ACCOUNTED(o);
        QVERIFY(!o.fatal);
        QCOMPARE(o.records, records);
        QCOMPARE(o.rejected, 1);
        QVERIFY(sink.kept.front().reason.contains(QLatin1String("longer than")));
        QCOMPARE(sink.kept.front().line, 2);
        QVERIFY(sink.kept.front().raw.size() <= 4096);

        auto store = newStore();
        resetPeakRss();
        const qint64 before = peakRss();
        const LoadReport rep = loadPaths(*store, {path}, LoadOptions{});
        const qint64 after = peakRss();
        QCOMPARE(rep.outcome, Outcome::Ok);
        QCOMPARE(rep.records, records);
        QCOMPARE(rep.rejected, 1);
        QCOMPARE(rep.rejections.front().file, path);
        QCOMPARE(rep.rejections.front().line, 2);
        VERIFY_RSS_GROWTH(before, after);
        QFile::remove(path);
    }

    /// 10^6 bad lines between two good ones: all counted, only keepRejections kept, memory bounded.
    void millionBadLines()
    {
        constexpr qint64 kBad = 1000000;
        const QByteArray bad = "2 123456789012 eni-0 not-an-ip\n";
        QByteArray data = QByteArray(kVpcHeader) + kVpcLine;
        data.reserve(data.size() + bad.size() * kBad + 200);
        for (qint64 i = 0; i < kBad; ++i) data += bad;
        data += kVpcLine;

        Sink sink;
        const FileOutcome o = readBuffer(data, QStringLiteral("bad.log"), ReadOptions{}, sink);
        VERIFY_LINES_ACCOUNTED(o);
        QCOMPARE(o.linesRead, kBad + 3);
        QCOMPARE(o.records, 2);
        QCOMPARE(o.rejected, kBad);
        QCOMPARE(o.skipped, 1);

        auto store = newStore();
        LoadOptions options;
        options.keepRejections = 50;
        resetPeakRss();
        const qint64 before = peakRss();
        const LoadReport rep = loadBuffer(*store, data, QStringLiteral("bad.log"), options);
        const qint64 after = peakRss();
        QCOMPARE(rep.outcome, Outcome::Ok);
        QCOMPARE(rep.records, 2);
        QCOMPARE(rep.rejected, kBad);
        QCOMPARE(rep.rejections.size(), size_t(50));
        QCOMPARE(rep.rejections.front().line, 3);
        QCOMPARE(rep.rejections.back().line, 52);
        QCOMPARE(rep.rejections.front().file, QStringLiteral("bad.log"));
        QVERIFY(rep.rejections.front().reason.contains(QLatin1String("4 fields, header has 14")));
        QCOMPARE(rep.files.size(), size_t(1));
        QCOMPARE(rep.files.front().rejected, kBad);
        QCOMPARE(store->recordCount(), 2);
        VERIFY_RSS_GROWTH(before, after);
    }

    /// {"events":[...200000 events...]}: a huge JSON page streams through.
    void hugeJsonArray()
    {
        constexpr int kEvents = 200000;
        QByteArray data = "{\"events\":[";
        const QByteArray event = QByteArray("{\"logStreamName\":\"eni-1\",\"timestamp\":1700000000000,\"message\":\"")
                                 + QByteArray(kVpcLine).trimmed() + "\",\"ingestionTime\":1700000001000,\"eventId\":\"1\"}";
        data.reserve(static_cast<qsizetype>(kEvents) * (event.size() + 1) + 64);
        for (int i = 0; i < kEvents; ++i) {
            if (i) data += ',';
            data += event;
        }
        data += "],\"nextToken\":\"x\"}";
        Sink sink;
        const FileOutcome o = readBuffer(data, QStringLiteral("page.json"), ReadOptions{}, sink);
        QVERIFY2(!o.fatal, qPrintable(o.fatal ? o.fatal->toString() : QString()));
        QCOMPARE(o.records, kEvents);
        QCOMPARE(o.rejected, 0);
        QVERIFY(o.linesRead >= o.records + o.rejected);

        auto store = newStore();
        const LoadReport rep = loadBuffer(*store, data, QStringLiteral("page.json"), LoadOptions{});
        QCOMPARE(rep.records, kEvents);
        QCOMPARE(store->recordCount(), kEvents);
    }

    /// 1 GiB of spaces gzip-compressed ~1000x: progress stays within the file size, memory bounded.
    void gzipBombProgress()
    {
        const QString path = m_dir.filePath(QStringLiteral("bomb.log.gz"));
        qint64 compressed = 0;
        QVERIFY(writeBomb(path, QByteArray(1 << 20, ' '), 1024, &compressed));
        QCOMPARE(QFileInfo(path).size(), compressed);
        QVERIFY(compressed * 500 < (1LL << 30)); // it really is a bomb

        auto store = newStore();
        LoadOptions options;
        qint64 lastBytes = -1;
        bool wentBack = false;
        bool overTotal = false;
        int calls = 0;
        options.progress = [&](const LoadProgress& p) {
            ++calls;
            if (p.bytesRead < lastBytes) wentBack = true;
            if (p.bytesRead > p.bytesTotal || p.bytesTotal != compressed) overTotal = true;
            lastBytes = p.bytesRead;
        };
        resetPeakRss();
        const qint64 before = peakRss();
        const LoadReport rep = loadPaths(*store, {path}, options);
        const qint64 after = peakRss();
        QVERIFY(calls >= 1);
        QVERIFY(!wentBack);
        QVERIFY(!overTotal);
        QCOMPARE(lastBytes, compressed);
        QCOMPARE(rep.records, 0);
        // Spaces only, no newline: one line, far too long.
        QCOMPARE(rep.rejected, 1);
        QVERIFY(rep.rejections.front().reason.contains(QLatin1String("longer than")));
        VERIFY_RSS_GROWTH(before, after);
        QFile::remove(path);
    }

    /// A gzip bomb of valid records (~17 million): cancel stops the reader and the loader soon
    /// and the store is left as before.
    void gzipBombCancel()
    {
        const QString path = m_dir.filePath(QStringLiteral("records.log.gz"));
        QByteArray chunk;
        while (chunk.size() < (1 << 20) - static_cast<qsizetype>(sizeof(kVpcLine))) chunk += kVpcLine;
        qint64 compressed = 0;
        QVERIFY(writeBomb(path, QByteArray(kVpcHeader) + chunk, 1024, &compressed));

        // The reader: cancel from the sink after 1000 records; it must stop within ~64 KiB.
        std::atomic<bool> cancel{false};
        ReadOptions ro;
        ro.cancel = &cancel;
        Sink sink;
        sink.onRecord = [&](qint64 n) {
            if (n == 1000) cancel = true;
        };
        const FileOutcome o = readFile(path, ro, sink);
        QVERIFY(o.cancelled);
        QVERIFY(!o.fatal);
        QVERIFY2(o.records < 1000 + 2 * (1 << 20) / static_cast<qint64>(sizeof(kVpcLine)),
                 qPrintable(QStringLiteral("%1 records after cancel").arg(o.records)));
        VERIFY_LINES_ACCOUNTED(o);

        // The loader: cancel from the progress callback once records arrive.
        auto store = newStore();
        QCOMPARE(loadBuffer(*store, QByteArray(kVpcHeader) + kVpcLine, QStringLiteral("first.log"), LoadOptions{}).records, 1);
        std::atomic<bool> stop{false};
        LoadOptions options;
        options.read.cancel = &stop;
        options.progress = [&](const LoadProgress& p) {
            QVERIFY(p.bytesRead <= p.bytesTotal);
            if (p.records > 0) stop = true;
        };
        const LoadReport rep = loadPaths(*store, {path}, options);
        QCOMPARE(rep.outcome, Outcome::Cancelled);
        QCOMPARE(store->recordCount(), 1); // the earlier load is kept, the cancelled one rolled back
        QCOMPARE(static_cast<qint64>(store->files().size()), 1);
        QFile::remove(path);
    }
};

QTEST_GUILESS_MAIN(TestHostileBig)
#include "tst_hostile_big.moc"
