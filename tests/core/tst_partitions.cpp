// S3 partition folders (Hive style `year=/month=/day=/hour=` and classic `YYYY/MM/DD/HH`):
// the delivery time a path gives (core/ingest/memory.h), the loader not opening files whose
// path time is outside a time window, and the memory estimate leaving them out.
#include "core/ingest/loader.h"
#include "core/ingest/memory.h"
#include "core/store/store.h"

#include "tests/testpaths.h"
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace core;

namespace {

qint64 utc(const char* iso)
{
    return QDateTime::fromString(QLatin1String(iso), Qt::ISODate).toSecsSinceEpoch();
}

bool copyTo(const QString& from, const QString& to)
{
    QDir().mkpath(QFileInfo(to).absolutePath());
    return QFile::copy(from, to);
}

const char* const kHive = "AWSLogs/aws-account-id=123456789010/aws-service=vpcflowlogs/aws-region=us-east-1/";

} // namespace

class TestPartitions : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void deliveryTime_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<qint64>("time"); // -1: none
        QTest::addColumn<qint64>("span");
        const QString hive = QLatin1String(kHive);
        QTest::newRow("time in the file name wins")
            << hive
                   + "year=2025/month=12/day=01/hour=07/"
                     "123456789010_vpcflowlogs_us-east-1_fl-0abc_20251201T0705Z_1a2b.log.parquet"
            << utc("2025-12-01T07:05:00Z") << qint64(0);
        QTest::newRow("Hive, hourly") << hive + "year=2025/month=12/day=01/hour=07/part-0.parquet" << utc("2025-12-01T07:00:00Z")
                                      << qint64(3600);
        QTest::newRow("Hive, daily") << hive + "year=2025/month=12/day=01/x.log.gz" << utc("2025-12-01T00:00:00Z")
                                     << qint64(86400);
        QTest::newRow("older TGW docs: service=")
            << "AWSLogs/aws-account-id=1/service=vpcflowlogs/aws-region=eu-west-1/year=2024/month=2/day=29/hour=23/f.parquet"
            << utc("2024-02-29T23:00:00Z") << qint64(3600);
        QTest::newRow("classic, daily") << "/data/AWSLogs/123456789010/vpcflowlogs/us-east-1/2025/12/01/f.log.gz"
                                        << utc("2025-12-01T00:00:00Z") << qint64(86400);
        QTest::newRow("classic, hourly") << "AWSLogs/123456789010/vpcflowlogs/us-east-1/2025/12/01/13/f.log.gz"
                                         << utc("2025-12-01T13:00:00Z") << qint64(3600);
        QTest::newRow("no partition folders") << "/home/me/flows/f.log.gz" << qint64(-1) << qint64(0);
        QTest::newRow("month 13") << hive + "year=2025/month=13/day=01/f.parquet" << qint64(-1) << qint64(0);
        QTest::newRow("hour 24") << hive + "year=2025/month=12/day=01/hour=24/f.parquet" << qint64(-1) << qint64(0);
        QTest::newRow("year= without month and day") << hive + "year=2025/f.parquet" << qint64(-1) << qint64(0);
    }
    void deliveryTime()
    {
        QFETCH(QString, path);
        QFETCH(qint64, time);
        QFETCH(qint64, span);
        const auto d = deliveryTimeFromPath(path);
        QCOMPARE(d ? d->time : -1, time);
        QCOMPARE(d ? d->span : 0, span);
    }

    void outsideWindow_data()
    {
        QTest::addColumn<qint64>("time");
        QTest::addColumn<qint64>("span");
        QTest::addColumn<bool>("outside");
        // Window 12:00 to 13:00.
        QTest::newRow("hour before, ends at the window start") << utc("2025-12-01T11:00:00Z") << qint64(3600) << false;
        QTest::newRow("two hours before") << utc("2025-12-01T09:00:00Z") << qint64(3600) << true;
        QTest::newRow("inside") << utc("2025-12-01T12:00:00Z") << qint64(3600) << false;
        QTest::newRow("hour after the end: late records") << utc("2025-12-01T13:00:00Z") << qint64(3600) << false;
        QTest::newRow("three hours after") << utc("2025-12-01T16:00:00Z") << qint64(3600) << true;
        QTest::newRow("the day before") << utc("2025-11-30T00:00:00Z") << qint64(86400) << true;
        QTest::newRow("the same day") << utc("2025-12-01T00:00:00Z") << qint64(86400) << false;
    }
    void outsideWindow()
    {
        QFETCH(qint64, time);
        QFETCH(qint64, span);
        QFETCH(bool, outside);
        LoadOptions o;
        o.windowFrom = utc("2025-12-01T12:00:00Z");
        o.windowTo = utc("2025-12-01T13:00:00Z");
        QCOMPARE(deliveryOutsideWindow(DeliveryTime{time, span}, o), outside);
    }

    /// A Hive folder tree: the hour outside the window is not opened (its file is garbage, so
    /// opening it would be an error) and the estimate leaves it out.
    void loaderAndEstimateSkipByPath()
    {
        QTemporaryDir dir;
        const QString base = dir.filePath(QLatin1String(kHive));
        const QString inside = base + QStringLiteral("year=2014/month=12/day=14/hour=04/vpc.log");
        const QString outside = base + QStringLiteral("year=2014/month=12/day=14/hour=10/garbage.log");
        QVERIFY(copyTo(testpaths::testData() + QStringLiteral("/parquet/vpc.log"), inside));
        QDir().mkpath(QFileInfo(outside).absolutePath());
        QFile g(outside);
        QVERIFY(g.open(QIODevice::WriteOnly));
        g.write(QByteArray(4096, '\x01'));
        g.close();

        LoadOptions o;
        o.windowFrom = utc("2014-12-14T04:00:00Z");
        o.windowTo = utc("2014-12-14T05:00:00Z");
        auto created = Store::create();
        QVERIFY(created.ok());
        const LoadReport r = loadPaths(*created.value(), {dir.path()}, o);
        QCOMPARE(r.outcome, Outcome::Ok);
        QVERIFY2(r.errors.isEmpty(), qPrintable(r.errors.join(QLatin1Char('\n'))));
        QCOMPARE(r.records, qint64(250)); // vpc.log starts 04:06 to 04:37
        QCOMPARE(r.filesNotOpened, qint64(1));
        QCOMPARE(r.files.size(), size_t(2));
        const FileReport& skipped = r.files.back();
        QCOMPARE(skipped.path, outside);
        QVERIFY(skipped.format.contains(QLatin1String("not opened")));
        QCOMPARE(skipped.lines, qint64(0));

        // Without a window both are read: the garbage file is one file-level error.
        auto again = Store::create();
        QVERIFY(again.ok());
        const LoadReport all = loadPaths(*again.value(), {dir.path()}, LoadOptions{});
        QCOMPARE(all.filesNotOpened, qint64(0));
        QCOMPARE(all.errors.size(), 1);

        const LoadEstimate e = estimateLoad(expandPaths({dir.path()}, nullptr));
        QCOMPARE(e.fileTimes.size(), size_t(2));
        QCOMPARE(e.fileTimeSpans, (std::vector<qint64>{3600, 3600}));
        QCOMPARE(e.fileTimes[0].value_or(-1), utc("2014-12-14T04:00:00Z")); // folders sorted: hour=04 first
        QCOMPARE(e.forOptions(o) - e.fixedBytes, e.fileBytes[0]);
        QCOMPARE(e.total() - e.fixedBytes, e.fileBytes[0] + e.fileBytes[1]);
    }
};

QTEST_GUILESS_MAIN(TestPartitions)
#include "tst_partitions.moc"
