// Tests of reading whole inputs at their limits (core/ingest.h): huge lines, many bad lines,
// progress and cancel, files that cannot be read or change while read, and folder expansion.
// Every test checks that records + rejected + skipped == lines read. Helpers:
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

class TestIngestFiles : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void hugeLine_data();
    void hugeLine();
    void manyBadLines();
    void progressAndCancel();
    void fileErrors();
    void fileChangesWhileLoading();
    void expandPaths();
};

void TestIngestFiles::hugeLine_data()
{
    QTest::addColumn<qint64>("size");
    QTest::addColumn<bool>("newline");
    QTest::newRow("10 MB line then more records") << qint64(10 << 20) << true;
    QTest::newRow("100 MB line without newline at end of file") << qint64(100 << 20) << false;
    QTest::newRow("just over 1 MiB") << qint64((1 << 20) + 1) << true;
}

void TestIngestFiles::hugeLine()
{
    QFETCH(qint64, size);
    QFETCH(bool, newline);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("huge.log"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(lines({kVpcHeader, kVpc1}));
        const QByteArray block(1 << 20, 'x');
        for (qint64 left = size; left > 0; left -= block.size()) f.write(block.constData(), std::min<qint64>(left, block.size()));
        if (newline) f.write("\n" + lines({kVpc1}));
    }
    CollectSink sink;
    const FileOutcome out = readFile(path, ReadOptions(), sink);
    CHECK_ACCOUNTING(out, sink);
    QVERIFY(!out.fatal);
    QCOMPARE(out.records, newline ? 2 : 1);
    QCOMPARE(sink.rejectionTexts(), QStringList{QStringLiteral("3: line longer than 1 MiB")});
    QCOMPARE(sink.rejections[0].raw.size(), 4096);
    if (newline) QCOMPARE(sink.records.back().line, 4);
}

void TestIngestFiles::manyBadLines()
{
    QByteArray data = QByteArray(kVpcHeader) + '\n';
    data += repeatLines(withField(kVpc1, 9, "abc"), 1000000);
    data += QByteArray(kVpc1) + '\n';
    CollectSink sink;
    sink.keepRecords = false;
    const FileOutcome out = readBytes(data, sink);
    CHECK_ACCOUNTING(out, sink);
    QCOMPARE(out.rejected, 1000000);
    QCOMPARE(out.records, 1);
    QCOMPARE(sink.rejections.back().line, 1000001);
    QCOMPARE(sink.rejections.back().reason, QStringLiteral("bytes: 'abc' is not a number"));
}

void TestIngestFiles::progressAndCancel()
{
    const QByteArray data = QByteArray(kTgwHeader) + '\n' + repeatLines(kTgw1, 20000); // ~8 MB
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("p.log"));
    QVERIFY(writeFile(path, data));
    {
        CollectSink sink;
        sink.keepRecords = false;
        const FileOutcome out = readFile(path, ReadOptions(), sink);
        CHECK_ACCOUNTING(out, sink);
        QCOMPARE(out.records, 20000);
        QVERIFY(sink.progressCalls.size() >= 7);
        QVERIFY(std::is_sorted(sink.progressCalls.begin(), sink.progressCalls.end()));
        QCOMPARE(sink.progressCalls.back(), data.size());
        for (size_t i = 1; i < sink.progressCalls.size(); ++i)
            QVERIFY(sink.progressCalls[i] - sink.progressCalls[i - 1] <= (1 << 20));
    }
    {
        std::atomic<bool> cancel{false};
        CollectSink sink;
        sink.keepRecords = false;
        sink.onRecord = [&cancel](CollectSink& s) {
            if (s.recordCount == 100) cancel = true;
        };
        ReadOptions o;
        o.cancel = &cancel;
        const FileOutcome out = readFile(path, o, sink);
        CHECK_ACCOUNTING(out, sink);
        QVERIFY(out.cancelled);
        QVERIFY(!out.fatal);
        QVERIFY2(out.records >= 100 && out.records < 100 + 65536 / 300 + 2, qPrintable(QString::number(out.records)));
    }
}

void TestIngestFiles::fileErrors()
{
    QTemporaryDir dir;
    CollectSink sink;
    const QString missing = dir.filePath(QStringLiteral("missing.log.gz"));
    FileOutcome out = readFile(missing, ReadOptions(), sink);
    QVERIFY(out.fatal);
    QCOMPARE(out.fatal->toString(), missing + QStringLiteral(": no such file"));

    out = readFile(dir.path(), ReadOptions(), sink);
    QVERIFY(out.fatal);
    QCOMPARE(out.fatal->toString(), dir.path() + QStringLiteral(": is a directory"));

    const QString empty = dir.filePath(QStringLiteral("empty.log"));
    QVERIFY(writeFile(empty, QByteArray()));
    out = readFile(empty, ReadOptions(), sink);
    QVERIFY(out.fatal);
    QCOMPARE(out.fatal->toString(), empty + QStringLiteral(": empty file"));

    const QString locked = dir.filePath(QStringLiteral("locked.log"));
    QVERIFY(writeFile(locked, lines({kVpc1})));
    QFile::setPermissions(locked, QFileDevice::Permissions());
    QFile probe(locked);
    if (probe.open(QIODevice::ReadOnly)) QSKIP("running as root: permissions are not enforced");
    out = readFile(locked, ReadOptions(), sink);
    QVERIFY(out.fatal);
    QVERIFY2(out.fatal->toString().startsWith(locked + QStringLiteral(": cannot open: ")), qPrintable(out.fatal->toString()));
}

void TestIngestFiles::fileChangesWhileLoading()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("shrinking.log"));
    const QByteArray data = QByteArray(kTgwHeader) + '\n' + repeatLines(kTgw1, 20000);
    QVERIFY(writeFile(path, data));
    CollectSink sink;
    sink.keepRecords = false;
    bool done = false;
    sink.onRecord = [&](CollectSink& s) {
        if (s.recordCount == 10 && !done) {
            done = true;
            QFile::resize(path, 3000); // truncated under our feet
            QFile::remove(path);
        }
    };
    const FileOutcome out = readFile(path, ReadOptions(), sink);
    CHECK_ACCOUNTING(out, sink);
    QVERIFY(out.records >= 10);
    QVERIFY(out.records < 20000);
}

void TestIngestFiles::expandPaths()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString root = dir.path();
    const QStringList files{
        QStringLiteral("AWSLogs/123456789012/vpcflowlogs/us-east-1/2023/11/14/b.log.gz"),
        QStringLiteral("AWSLogs/123456789012/vpcflowlogs/us-east-1/2023/11/14/a.log.gz"),
        QStringLiteral(
            "AWSLogs/aws-account-id=123456789012/service=vpcflowlogs/aws-region=us-east-1/year=2023/month=11/day=14/c.log.gz"),
    };
    for (const QString& f : files) {
        QVERIFY(QDir(root).mkpath(QFileInfo(root + QLatin1Char('/') + f).path()));
        QVERIFY(writeFile(root + QLatin1Char('/') + f, "x"));
    }
    QVERIFY(writeFile(root + QStringLiteral("/AWSLogs/.DS_Store"), "x"));
    // a symlink loop and a broken symlink
    QVERIFY(QFile::link(root + QStringLiteral("/AWSLogs"), root + QStringLiteral("/AWSLogs/123456789012/loop")));
    QVERIFY(QFile::link(root + QStringLiteral("/nowhere"), root + QStringLiteral("/AWSLogs/broken.log")));
    QStringList errors;
    const QStringList got = core::expandPaths(
        {root + QStringLiteral("/AWSLogs"), root + QStringLiteral("/missing.log"), root + QLatin1Char('/') + files[0]}, &errors);
    const QStringList expected{root + QLatin1Char('/') + files[1], root + QLatin1Char('/') + files[0],
                               root + QLatin1Char('/') + files[2]};
    QCOMPARE(got, expected);
    QVERIFY2(errors.contains(root + QStringLiteral("/missing.log: no such file or directory")),
             qPrintable(errors.join(QLatin1Char('\n'))));
    QVERIFY2(errors.contains(root + QStringLiteral("/AWSLogs/broken.log: broken symbolic link")),
             qPrintable(errors.join(QLatin1Char('\n'))));
    QVERIFY2(errors.contains(root + QStringLiteral("/AWSLogs/123456789012/loop: symbolic link loop, skipped")),
             qPrintable(errors.join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TestIngestFiles)
#include "tst_ingest_files.moc"
