// The loader's progress counts records once per 4,096-row batch (PackSink::flush), not one
// atomic add per record: the counts it reports must still never go down, never exceed what was
// loaded, and end at exactly the records stored, for files of fewer, exactly and more records
// than a batch, several files in one load, rejected lines, gzip, and the one-thread paths (a
// time window, a sample, parseThread off). Oracle: the load's report and `SELECT count(*)`.
#include "core/ingest/loader.h"
#include "core/store/store.h"
#include "tests/gziptestutil.h"

#include <QTemporaryDir>
#include <QTest>

using namespace core;

namespace {

/// `n` TGW default records (start 1700000000 + i), every 7th line damaged when `bad`.
QByteArray tgwRecords(int n, bool bad)
{
    QByteArray out;
    for (int i = 0; i < n; ++i) {
        if (bad && i % 7 == 3) {
            out += "6 TransitGateway not enough fields\n";
            continue;
        }
        out += QStringLiteral("6 TransitGateway 111122223333 tgw-0123 tgw-attach-%1 111122223333 111122223333 vpc-a vpc-b "
                              "subnet-a subnet-b eni-a eni-b use1-az1 use1-az2 tgw-attach-z 10.0.%2.1 10.1.0.%3 %4 443 6 10 "
                              "%5 %6 %7 OK IPv4 0 0 0 0 19 us-east-1 %8 - -\n")
                   .arg(i % 5)
                   .arg(i % 200)
                   .arg(i % 250)
                   .arg(1024 + i % 60000)
                   .arg(100 + i)
                   .arg(1700000000 + i)
                   .arg(1700000060 + i)
                   .arg(i % 2 ? QStringLiteral("egress") : QStringLiteral("ingress"))
                   .toUtf8();
    }
    return out;
}

} // namespace

class TestLoadProgress : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void recordsCounted_data()
    {
        QTest::addColumn<QList<int>>("files"); // records per file
        QTest::addColumn<bool>("bad");         // damaged lines among them
        QTest::addColumn<bool>("gzip");        // every other file gzip
        QTest::addColumn<QString>("mode");     // "" | "window" | "sample" | "one thread"
        QTest::addColumn<qint64>("expected");  // records stored
        QTest::newRow("fewer than a batch") << QList<int>{100} << false << false << QString() << qint64(100);
        QTest::newRow("exactly one batch") << QList<int>{4096} << false << false << QString() << qint64(4096);
        QTest::newRow("two batches and one row") << QList<int>{8193} << false << false << QString() << qint64(8193);
        QTest::newRow("many batches") << QList<int>{50000} << false << false << QString() << qint64(50000);
        QTest::newRow("several files, gzip among them")
            << QList<int>{4096, 1, 9000, 0, 5000} << false << true << QString() << qint64(18097);
        QTest::newRow("rejected lines") << QList<int>{20000, 3000} << true << false << QString()
                                        << qint64(20000 - 2857 + 3000 - 429);
        QTest::newRow("time window (one-thread path)")
            << QList<int>{20000} << false << false << QStringLiteral("window") << qint64(10000);
        QTest::newRow("parse thread off") << QList<int>{9000, 4096} << true << true << QStringLiteral("one thread")
                                          << qint64(9000 - 1286 + 4096 - 585);
        QTest::newRow("sample (one-thread path)")
            << QList<int>{20000} << false << false << QStringLiteral("sample") << qint64(-1);
    }
    void recordsCounted()
    {
        QFETCH(QList<int>, files);
        QFETCH(bool, bad);
        QFETCH(bool, gzip);
        QFETCH(QString, mode);
        QFETCH(qint64, expected);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QStringList paths;
        for (int i = 0; i < files.size(); ++i) {
            const bool gz = gzip && i % 2 == 1;
            const QString path = dir.filePath(QStringLiteral("f%1.log%2").arg(i).arg(gz ? QStringLiteral(".gz") : QString()));
            QVERIFY(testutil::writeFile(path, tgwRecords(files[i], bad), gz));
            paths << path;
        }
        auto created = Store::create();
        QVERIFY(created.ok());
        Store& store = *created.value();
        LoadOptions options;
        if (mode == QLatin1String("window")) options.windowFrom = 1700000000 + 10000;
        if (mode == QLatin1String("sample")) options.sampleEvery = 3;
        if (mode == QLatin1String("one thread")) options.read.parseThread = false;
        std::vector<LoadProgress> seen;
        options.progress = [&](const LoadProgress& p) { seen.push_back(p); };
        const LoadReport r = loadPaths(store, paths, options);
        QCOMPARE(r.outcome, Outcome::Ok);
        if (expected >= 0) QCOMPARE(r.records, expected);
        QCOMPARE(store.recordCount(), r.records);
        QVERIFY(!seen.empty());
        for (size_t i = 0; i < seen.size(); ++i) {
            QVERIFY2(seen[i].records <= r.records, qPrintable(QString::number(seen[i].records)));
            if (i > 0) QVERIFY(seen[i].records >= seen[i - 1].records);
        }
        QCOMPARE(seen.back().records, r.records);
        QCOMPARE(seen.back().rejected, r.rejected);
    }
};

QTEST_GUILESS_MAIN(TestLoadProgress)
#include "tst_load_progress.moc"
