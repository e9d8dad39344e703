// Loader: folder trees, mixed files, failing files among good ones, cancel rollback,
// progress, records/rejections accounting, twin_id pairing.
// Over 500 lines on purpose: one unit (loader.h) with many small generated folder trees.
#include "core/ingest/loader.h"
#include "core/names/names.h"
#include "core/store/store.h"
#include "tests/gziptestutil.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <zlib.h>

#include <thread>

using namespace core;

namespace {

QByteArray tgwLine(const char* attach, const char* pair, const char* dir, const char* src, const char* dst, int sport,
                   qint64 bytes, qint64 start = 1700000000)
{
    return QStringLiteral("6 TransitGateway 111122223333 tgw-0123 %1 111122223333 111122223333 vpc-a vpc-b "
                          "subnet-a subnet-b eni-a eni-b use1-az1 use1-az2 %2 %3 %4 %5 443 6 10 %6 %7 %8 OK IPv4 "
                          "0 0 0 0 19 us-east-1 %9 - -\n")
        .arg(QLatin1String(attach), QLatin1String(pair), QLatin1String(src), QLatin1String(dst))
        .arg(sport)
        .arg(bytes)
        .arg(start)
        .arg(start + 60)
        .arg(QLatin1String(dir))
        .toUtf8();
}

QByteArray vpcLine(int i)
{
    return QStringLiteral("2 123456789012 eni-0abc 10.0.0.%1 10.0.1.%1 %2 22 6 3 180 1700000000 1700000060 %3 OK\n")
        .arg(i % 250 + 1)
        .arg(40000 + i)
        .arg(i % 3 == 0 ? QStringLiteral("REJECT") : QStringLiteral("ACCEPT"))
        .toUtf8();
}

QByteArray manyTgwLines(int n)
{
    QByteArray out;
    out.reserve(n * 330);
    for (int i = 0; i < n; ++i)
        out += tgwLine("tgw-attach-a", "tgw-attach-b", i % 2 ? "egress" : "ingress", "10.0.0.1", "10.1.0.1",
                       1024 + (i / 2) % 60000, 100 + i);
    return out;
}

using testutil::writeFile;

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

const char* kTgwHeader =
    "version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id "
    "tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id "
    "tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
    "log-status type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded "
    "packets-lost-ttl-expired tcp-flags region flow-direction pkt-src-aws-service pkt-dst-aws-service\n";

} // namespace

class TestLoader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void folderTree()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString base = dir.path() + QStringLiteral("/AWSLogs/111122223333/vpcflowlogs/us-east-1/2025/12/01/");
        for (int i = 0; i < 3; ++i) {
            QByteArray data = kTgwHeader;
            for (int k = 0; k < 10; ++k)
                data += tgwLine("tgw-attach-a", "tgw-attach-b", "ingress", "10.0.0.1", "10.1.0.1", 1000 + i * 100 + k, 100);
            QVERIFY(writeFile(base
                                  + QStringLiteral("111122223333_vpcflowlogs_us-east-1_fl-1_20251201T00%1Z_abc.log.gz")
                                        .arg(i * 5, 2, 10, QLatin1Char('0')),
                              data, true));
        }
        auto store = newStore();
        QVERIFY(store);
        const LoadReport r = loadPaths(*store, {dir.path()}, LoadOptions{});
        QCOMPARE(r.outcome, Outcome::Ok);
        QCOMPARE(r.records, 30);
        QCOMPARE(r.rejected, 0);
        QCOMPARE(r.files.size(), size_t(3));
        QCOMPARE(store->recordCount(), 30);
        const auto files = store->files();
        QCOMPARE(files.size(), size_t(3));
        for (const auto& f : files) {
            QCOMPARE(f.records, 10);
            QVERIFY(f.path.endsWith(QLatin1String(".log.gz")));
            QVERIFY(!f.format.isEmpty());
        }
        // Every record traces back to its file and line (line 1 is the header).
        QCOMPARE(scalar(*store, QStringLiteral("SELECT min(line) FROM flows")), 2);
        QCOMPARE(scalar(*store, QStringLiteral("SELECT count(DISTINCT file_id) FROM flows")), 3);
    }

    void mixedFilesOneTable()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QByteArray vpc;
        for (int i = 0; i < 6; ++i) vpc += vpcLine(i);
        QVERIFY(writeFile(dir.filePath(QStringLiteral("vpc.log")), vpc));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("tgw.log")),
                          tgwLine("tgw-attach-a", "tgw-attach-b", "ingress", "10.0.0.1", "10.1.0.1", 1, 5)));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("custom.log")), "version vpc-id srcaddr colour\n5 vpc-9 10.9.9.9 red\n"));
        auto store = newStore();
        QVERIFY(store);
        const LoadReport r = loadPaths(*store, {dir.path()}, LoadOptions{});
        QCOMPARE(r.outcome, Outcome::Ok);
        QCOMPARE(r.records, 8);
        QCOMPARE(scalar(*store, QStringLiteral("SELECT count(*) FROM flows WHERE interface_id = 'eni-0abc'")), 6);
        QCOMPARE(scalar(*store, QStringLiteral("SELECT count(*) FROM flows WHERE tgw_attachment_id IS NOT NULL")), 1);
        QCOMPARE(scalar(*store, QStringLiteral("SELECT count(*) FROM flows WHERE colour = 'red' AND vpc_id = 'vpc-9'")), 1);
        QCOMPARE(scalar(*store, QStringLiteral("SELECT count(*) FROM flows WHERE action = 'REJECT'")), 2);
    }

    void failingFileAmongGood_data()
    {
        QTest::addColumn<QString>("badName");
        QTest::addColumn<QByteArray>("badContent");
        QTest::addColumn<bool>("create");
        QTest::newRow("missing file") << "missing.log" << QByteArray() << false;
        QTest::newRow("binary garbage") << "garbage.bin" << QByteArray("\x00\x01\x02\xff\xfe\x00garbage\x00", 14) << true;
        QTest::newRow("truncated gzip") << "cut.log.gz" << QByteArray("\x1f\x8b\x08\x00\x00\x00", 6) << true;
    }
    void failingFileAmongGood()
    {
        QFETCH(QString, badName);
        QFETCH(QByteArray, badContent);
        QFETCH(bool, create);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString good = dir.filePath(QStringLiteral("good.log"));
        QVERIFY(writeFile(good, tgwLine("tgw-attach-a", "tgw-attach-b", "ingress", "10.0.0.1", "10.1.0.1", 1, 5)));
        const QString bad = dir.filePath(badName);
        if (create) QVERIFY(writeFile(bad, badContent));
        auto store = newStore();
        QVERIFY(store);
        const LoadReport r = loadPaths(*store, {bad, good}, LoadOptions{});
        QCOMPARE(r.outcome, Outcome::Ok);
        QCOMPARE(r.records, 1);
        QCOMPARE(store->recordCount(), 1);
        QVERIFY(!r.errors.isEmpty() || r.rejected > 0);
        bool named = false;
        for (const QString& e : r.errors) named |= e.contains(badName);
        for (const auto& f : r.files)
            if (f.path.endsWith(badName)) named |= !f.error.isEmpty() || f.rejected > 0 || f.truncated;
        QVERIFY2(named, qPrintable(r.errors.join(QLatin1Char('\n'))));
    }

    void nothingLoadableFails()
    {
        auto store = newStore();
        QVERIFY(store);
        const LoadReport r = loadPaths(*store, {QStringLiteral("/nonexistent/flowlog/a.log")}, LoadOptions{});
        QCOMPARE(r.outcome, Outcome::Failed);
        QVERIFY(!r.errors.isEmpty());
        QVERIFY(r.errors.first().contains(QLatin1String("/nonexistent/flowlog")));
        QCOMPARE(store->recordCount(), 0);
    }

    void cancelLeavesStoreUnchanged_data()
    {
        QTest::addColumn<bool>("preset");
        QTest::newRow("cancel before start") << true;
        QTest::newRow("cancel during load") << false;
    }
    void cancelLeavesStoreUnchanged()
    {
        QFETCH(bool, preset);
        auto store = newStore();
        QVERIFY(store);
        QVERIFY(loadBuffer(*store, tgwLine("tgw-attach-a", "tgw-attach-b", "ingress", "10.0.0.1", "10.1.0.1", 1, 5),
                           QStringLiteral("first.log"), LoadOptions{})
                    .outcome
                == Outcome::Ok);
        const QStringList columnsBefore = store->columns();
        // The cancelled load brings an unknown field (a new column) and many records.
        QByteArray big = "version srcaddr dstaddr bytes start end shade\n";
        for (int i = 0; i < 60000; ++i)
            big += QByteArray("5 10.0.0.1 10.0.0.2 ") + QByteArray::number(i) + " 1700000000 1700000060 blue\n";
        std::atomic<bool> cancel{preset};
        LoadOptions o;
        o.read.cancel = &cancel;
        o.progress = [&](const LoadProgress&) { cancel = true; };
        const LoadReport r = loadBuffer(*store, big, QStringLiteral("second.log"), o);
        QCOMPARE(r.outcome, Outcome::Cancelled);
        QCOMPARE(store->recordCount(), 1);
        QCOMPARE(store->files().size(), size_t(1));
        QCOMPARE(store->columns(), columnsBefore);
        QCOMPARE(scalar(*store, QStringLiteral("SELECT max(id) FROM flows")), 1);
        // The store still works: a later load appends after the first.
        QCOMPARE(loadBuffer(*store, vpcLine(1), QStringLiteral("third.log"), LoadOptions{}).records, 1);
        QCOMPARE(scalar(*store, QStringLiteral("SELECT max(id) FROM flows")), 2);
        QCOMPARE(store->files().size(), size_t(2));
    }

    void progressReachesTotal()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(writeFile(dir.filePath(QStringLiteral("a.log")), manyTgwLines(20000)));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("b.log.gz")), manyTgwLines(5000), true));
        auto store = newStore();
        QVERIFY(store);
        std::vector<LoadProgress> seen;
        LoadOptions o;
        o.progress = [&](const LoadProgress& p) { seen.push_back(p); };
        const LoadReport r = loadPaths(*store, {dir.path()}, o);
        QCOMPARE(r.outcome, Outcome::Ok);
        QVERIFY(!seen.empty());
        const LoadProgress& last = seen.back();
        QCOMPARE(last.bytesRead, last.bytesTotal);
        QVERIFY(last.bytesTotal > 0);
        QCOMPARE(last.filesDone, 2);
        QCOMPARE(last.filesTotal, 2);
        QCOMPARE(last.records, 25000);
        for (size_t i = 1; i < seen.size(); ++i) QVERIFY(seen[i].bytesRead >= seen[i - 1].bytesRead);
    }

    void recordsPlusRejectedIsLines_data()
    {
        QTest::addColumn<int>("good");
        QTest::addColumn<int>("bad");
        QTest::addColumn<int>("keep");
        QTest::newRow("all good") << 50 << 0 << 10;
        QTest::newRow("some bad, keep all") << 40 << 5 << 10;
        QTest::newRow("some bad, keep 2") << 40 << 5 << 2;
        QTest::newRow("keep none") << 3 << 7 << 0;
    }
    void recordsPlusRejectedIsLines()
    {
        QFETCH(int, good);
        QFETCH(int, bad);
        QFETCH(int, keep);
        QByteArrayList lines;
        for (int i = 0; i < good; ++i) lines << vpcLine(i);
        for (int k = 0; k < bad; ++k)
            lines.insert(std::min<qsizetype>(2 * k + 1, lines.size()),
                         QByteArray("2 123 eni-1 10.0.0.1 10.0.0.2 1 2 6 x 40 1 2 ACCEPT OK\n"));
        const QByteArray data = lines.join();
        auto store = newStore();
        QVERIFY(store);
        LoadOptions o;
        o.keepRejections = keep;
        const LoadReport r = loadBuffer(*store, data, QStringLiteral("mixed.log"), o);
        QCOMPARE(r.records + r.rejected, qint64(good + bad));
        QCOMPARE(r.rejected, qint64(bad));
        QCOMPARE(r.rejections.size(), size_t(std::min(bad, keep)));
        for (const auto& rj : r.rejections) {
            QCOMPARE(rj.file, QStringLiteral("mixed.log"));
            QVERIFY(rj.line > 0);
            QVERIFY(!rj.reason.isEmpty());
            QVERIFY(rj.raw.contains(QLatin1String("eni-1")));
        }
        const auto files = store->files();
        QCOMPARE(files.size(), size_t(1));
        QCOMPARE(files[0].records, qint64(good));
        QCOMPARE(files[0].rejected, qint64(bad));
    }

    void millionBadLinesBounded()
    {
        QByteArray data;
        data.reserve(60'000'000);
        data += vpcLine(0);
        for (int i = 1; i < 1'000'000; ++i) data += "2 123 eni-1 10.0.0.1 10.0.0.2 1 2 6 x 40 1 2 ACCEPT OK\n";
        auto store = newStore();
        QVERIFY(store);
        LoadOptions o;
        o.keepRejections = 100;
        const LoadReport r = loadBuffer(*store, data, QStringLiteral("bad.log"), o);
        QCOMPARE(r.records + r.rejected, qint64(1'000'000));
        QCOMPARE(r.records, qint64(1));
        QCOMPARE(r.rejections.size(), size_t(100));
        QCOMPARE(store->recordCount(), r.records);
    }

    void estimateLoadBytes()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QByteArray text = manyTgwLines(3000);
        QVERIFY(writeFile(dir.filePath(QStringLiteral("a.log")), text));
        QVERIFY(writeFile(dir.filePath(QStringLiteral("a.log.gz")), text, true));
        const qint64 plain = core::estimateLoadBytes({dir.filePath(QStringLiteral("a.log"))});
        const qint64 gz = core::estimateLoadBytes({dir.filePath(QStringLiteral("a.log.gz"))});
        QVERIFY(plain > text.size() / 5);
        QCOMPARE(gz, plain); // the gzip trailer gives the uncompressed size
        QCOMPARE(core::estimateLoadBytes({dir.filePath(QStringLiteral("a.log")), dir.filePath(QStringLiteral("a.log.gz"))})
                     - plain,
                 plain - core::estimateLoadBytes({}));
        // The estimate covers what a load really uses.
        auto store = newStore();
        QVERIFY(store);
        QCOMPARE(loadBuffer(*store, text, QStringLiteral("a.log"), LoadOptions{}).records, 3000);
        QVERIFY(store->memoryBytes() < plain);
    }

    void queriesWhileLoading()
    {
        auto store = newStore();
        QVERIFY(store);
        QByteArray data = "version srcaddr dstaddr tgw-attachment-id bytes start end hue\n";
        for (int i = 0; i < 40000; ++i)
            data += QStringLiteral("6 10.0.%1.%2 2600:1f18::%3 tgw-attach-%4 %5 1700000000 1700000060 c%6\n")
                        .arg(i / 250 % 250)
                        .arg(i % 250 + 1)
                        .arg(i % 4096, 0, 16)
                        .arg(i % 7)
                        .arg(i)
                        .arg(i % 13)
                        .toUtf8();
        std::atomic<bool> done{false};
        std::atomic<int> queries{0};
        QString readerError;
        std::thread reader([&] {
            while (!done.load()) {
                auto st = store->prepare(
                    QStringLiteral("SELECT count(*), max(srcaddr), max(dstaddr), max(tgw_attachment_id) FROM flows"));
                if (!st.ok()) {
                    readerError = st.error().message;
                    return;
                }
                if (!st->next() && !st->error().isEmpty()) {
                    readerError = st->error();
                    return;
                }
                ++queries;
            }
        });
        const LoadReport r = loadBuffer(*store, data, QStringLiteral("concurrent.log"), LoadOptions{});
        done = true;
        reader.join();
        QCOMPARE(readerError, QString());
        QCOMPARE(r.records, 40000);
        QVERIFY(queries.load() > 0);
        QCOMPARE(scalar(*store, QStringLiteral("SELECT count(DISTINCT hue) FROM flows")), 13);
        auto st = store->prepare(QStringLiteral("SELECT srcaddr, dstaddr, tgw_attachment_id FROM flows WHERE id = 40000"));
        QVERIFY(st.ok() && st->next());
        QCOMPARE(st->text(0), QStringLiteral("10.0.159.250"));
        QCOMPARE(st->text(1), QStringLiteral("2600:1f18::c3f"));
        QCOMPARE(st->text(2), QStringLiteral("tgw-attach-1"));
    }

    void twinIds()
    {
        QByteArray data;
        data += tgwLine("tgw-attach-a", "tgw-attach-b", "ingress", "10.0.0.1", "10.1.0.1", 1111, 500); // id 1
        data += tgwLine("tgw-attach-c", "tgw-attach-a", "egress", "10.2.0.1", "10.0.0.9", 2222,
                        70); // id 2: one-sided
        data += tgwLine("tgw-attach-b", "tgw-attach-a", "egress", "10.0.0.1", "10.1.0.1", 1111,
                        500); // id 3: twin of 1
        data += tgwLine("tgw-attach-b", "tgw-attach-a", "egress", "10.0.0.1", "10.1.0.1", 1111,
                        501); // id 4: other bytes
        auto store = newStore();
        QVERIFY(store);
        QCOMPARE(loadBuffer(*store, data, QStringLiteral("t.log"), LoadOptions{}).records, 4);
        QCOMPARE(scalar(*store, QStringLiteral("SELECT twin_id FROM flows WHERE id = 1")), 3);
        QCOMPARE(scalar(*store, QStringLiteral("SELECT twin_id FROM flows WHERE id = 3")), 1);
        QCOMPARE(scalar(*store, QStringLiteral("SELECT count(*) FROM flows WHERE twin_id IS NULL")), 2);
        // The other side of record 2 arrives in a later load: paired across loads.
        QCOMPARE(loadBuffer(*store, tgwLine("tgw-attach-a", "tgw-attach-c", "ingress", "10.2.0.1", "10.0.0.9", 2222, 70),
                            QStringLiteral("later.log"), LoadOptions{})
                     .records,
                 1);
        QCOMPARE(scalar(*store, QStringLiteral("SELECT twin_id FROM flows WHERE id = 2")), 5);
        QCOMPARE(scalar(*store, QStringLiteral("SELECT twin_id FROM flows WHERE id = 5")), 2);
        QCOMPARE(scalar(*store, QStringLiteral("SELECT twin_id IS NULL FROM flows WHERE id = 4")), 1);
    }

    // describe-flow-logs LogFormat applied to headerless files of that flow log.
    void flowLogFormat_data()
    {
        QTest::addColumn<QString>("logPath"); // relative to the temp dir
        QTest::addColumn<QByteArray>("logText");
        QTest::addColumn<QByteArray>("flowLogs"); // describe-flow-logs JSON among the inputs ("" = none)
        QTest::addColumn<bool>("viaOptions");     // the same flow log given in LoadOptions instead
        QTest::addColumn<QString>("userFormat");
        QTest::addColumn<qint64>("records");
        QTest::addColumn<QString>("format"); // FileReport::format contains
        QTest::addColumn<QString>("source"); // FileReport::formatSource contains ("" = empty)
        QTest::addColumn<QString>("error");  // FileReport::error contains ("" = none)

        const QString fmt = QStringLiteral("${action} ${bytes} ${dstaddr} ${interface-id} ${srcaddr} ${start} ${version}");
        const QByteArray text =
            "ACCEPT 500 10.1.0.9 eni-0abc 10.0.0.5 1700000000 5\nREJECT 40 10.1.0.7 eni-0abc 10.0.0.6 1700000060 5\n";
        const QString s3Name =
            QStringLiteral("AWSLogs/123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20251201T0000Z_ab12cd34.log");
        auto json = [](const QString& logFormat, const char* extra = R"("LogDestination": "arn:aws:s3:::bucket")") {
            return QStringLiteral(R"({"FlowLogs": [{"FlowLogId": "fl-0123456789abcdef0", "LogFormat": "%1", %2}]})")
                .arg(logFormat, QLatin1String(extra))
                .toUtf8();
        };
        const QString applied = QStringLiteral("format from describe-flow-logs fl-0123456789abcdef0 (LogFormat %1)").arg(fmt);
        QTest::newRow("describe-flow-logs among the inputs (read after the log by name)")
            << s3Name << text << json(fmt) << false << QString() << qint64(2)
            << "headerless custom format, 7 fields (LogFormat of fl-0123456789abcdef0)" << applied << "";
        QTest::newRow("same flow log via LoadOptions")
            << s3Name << text << QByteArray() << true << QString() << qint64(2) << "custom format, 7 fields" << applied << "";
        QTest::newRow("gzip S3 object") << s3Name + QStringLiteral(".gz") << text << json(fmt) << false << QString() << qint64(2)
                                        << "custom format" << applied << "";
        QTest::newRow("no flow log id in the name: detection as before")
            << QStringLiteral("other.log") << text << json(fmt) << false << QString() << qint64(0) << ""
            << ""
            << "not a recognised flow log";
        QTest::newRow("another flow log's id: detection as before")
            << QStringLiteral("123456789012_vpcflowlogs_us-east-1_fl-0ffffffffffffffff_20251201T0000Z_ab12cd34.log") << text
            << json(fmt) << false << QString() << qint64(0) << ""
            << ""
            << "not a recognised flow log";
        QTest::newRow("LogFormat with an unknown field")
            << s3Name << QByteArray("ACCEPT 500 10.1.0.9 eni-0abc 10.0.0.5 1700000000 5 x1\n")
            << json(fmt + QStringLiteral(" ${future-field}")) << false << QString() << qint64(1) << "custom format, 8 fields"
            << "unknown field future-field kept as extra text column"
            << "";
        QTest::newRow("malformed LogFormat: not used, said why")
            << s3Name << text << json(QStringLiteral("${action ${bytes}")) << false << QString() << qint64(0) << ""
            << "LogFormat of fl-0123456789abcdef0 from describe-flow-logs not used (format: '${action' is not a field name)"
            << "not a recognised flow log";
        QTest::newRow("the user's format wins")
            << s3Name << QByteArray("10.0.0.5 10.1.0.9 5\n") << json(fmt) << false << QStringLiteral("srcaddr dstaddr version")
            << qint64(1) << "custom format, 3 fields"
            << ""
            << "";
        QTest::newRow("a header wins") << s3Name << QByteArray("version srcaddr dstaddr action\n5 10.0.0.5 10.1.0.9 ACCEPT\n")
                                       << json(fmt) << false << QString() << qint64(1) << "S3 text (header, 4 fields)"
                                       << ""
                                       << "";
        QTest::newRow("CloudWatch export under the log group (LogGroupName)")
            << QStringLiteral("exports/flow-logs/prod/a1b2c3-task/eni-0abc-all/000000") << text
            << json(fmt, R"("LogGroupName": "/flow-logs/prod", "LogDestinationType": "cloud-watch-logs")") << false << QString()
            << qint64(2) << "custom format, 7 fields"
            << "format from describe-flow-logs fl-0123456789abcdef0, log group /flow-logs/prod (LogFormat"
            << "";
        QTest::newRow("CloudWatch export under the log group (ARN destination)")
            << QStringLiteral("exports/vpc-flows/task/000000") << text
            << json(fmt, R"("LogDestination": "arn:aws:logs:us-east-1:123456789012:log-group:vpc-flows:*")") << false << QString()
            << qint64(2) << "custom format"
            << "log group vpc-flows"
            << "";
        QTest::newRow("log group name only inside a folder name: no match")
            << QStringLiteral("exports/vpc-flows-old/task/000000") << text << json(fmt, R"("LogGroupName": "vpc-flows")") << false
            << QString() << qint64(0) << ""
            << ""
            << "not a recognised flow log";
    }

    void flowLogFormat()
    {
        QFETCH(QString, logPath);
        QFETCH(QByteArray, logText);
        QFETCH(QByteArray, flowLogs);
        QFETCH(bool, viaOptions);
        QFETCH(QString, userFormat);
        QFETCH(qint64, records);
        QFETCH(QString, format);
        QFETCH(QString, source);
        QFETCH(QString, error);

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString log = dir.filePath(logPath);
        QVERIFY(writeFile(log, logText, logPath.endsWith(QLatin1String(".gz"))));
        if (!flowLogs.isEmpty()) QVERIFY(writeFile(dir.filePath(QStringLiteral("zz-describe-flow-logs.json")), flowLogs));
        LoadOptions options;
        options.read.format = userFormat;
        if (viaOptions) {
            NameDirectory names;
            QVERIFY(parseNamesJson(
                        QStringLiteral(R"({"FlowLogs": [{"FlowLogId": "fl-0123456789abcdef0", "LogFormat": "%1"}]})")
                            .arg(QStringLiteral("${action} ${bytes} ${dstaddr} ${interface-id} ${srcaddr} ${start} ${version}"))
                            .toUtf8(),
                        QStringLiteral("n.json"), names)
                        .ok());
            options.flowLogFormats = flowLogFormats(names);
            QCOMPARE(options.flowLogFormats.size(), size_t(1));
        }
        auto store = newStore();
        QVERIFY(store);
        const LoadReport r = loadPaths(*store, {dir.path()}, options);
        QCOMPARE(r.records, records);
        const FileReport* file = nullptr;
        for (const FileReport& f : r.files)
            if (f.path == log) file = &f;
        QVERIFY(file);
        QVERIFY2(file->format.contains(format), qPrintable(file->format));
        if (source.isEmpty()) QVERIFY2(file->formatSource.isEmpty(), qPrintable(file->formatSource));
        else QVERIFY2(file->formatSource.contains(source), qPrintable(file->formatSource));
        if (error.isEmpty()) QVERIFY2(file->error.isEmpty(), qPrintable(file->error));
        else QVERIFY2(file->error.contains(error) && file->error.contains(log), qPrintable(file->error));
        if (records == 2) {
            auto st =
                store->prepare(QStringLiteral("SELECT srcaddr, dstaddr, action, bytes, interface_id FROM flows WHERE id = 1"));
            QVERIFY(st.ok() && st->next());
            QCOMPARE(st->text(0), QStringLiteral("10.0.0.5"));
            QCOMPARE(st->text(1), QStringLiteral("10.1.0.9"));
            QCOMPARE(st->text(2), QStringLiteral("ACCEPT"));
            QCOMPARE(st->int64(3), qint64(500));
            QCOMPARE(st->text(4), QStringLiteral("eni-0abc"));
        }
        if (source.contains(QLatin1String("future-field")))
            QVERIFY(store->extraColumns().contains(QStringLiteral("future_field")));
    }
};

QTEST_GUILESS_MAIN(TestLoader)
#include "tst_loader.moc"
