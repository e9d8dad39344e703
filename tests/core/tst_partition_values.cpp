// Account id and region from S3 delivery paths (core/ingest/partitions.h): the path rules
// (classic AWSLogs/<account>/vpcflowlogs/<region>/ and Hive aws-account-id= / aws-region=
// folders), and text logs (.log and .log.gz) whose records have no account-id or region of
// their own taking them from the path, while a record's own value always wins. (Parquet files
// follow the same rule: tst_parquet_writers.)
#include "core/ingest/ingest.h"
#include "core/ingest/partitions.h"
#include "tests/gziptestutil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <zlib.h>

using namespace core;

namespace {

/// Per record: "account|region" ('' where the record has no value).
struct Sink final : RecordSink {
    QStringList values;
    qint64 rejected = 0;
    void record(const FlowRecord& r) override
    {
        auto text = [&](FieldId f) {
            return r.has(f) ? QString::fromUtf8(r.text(f).data(), qsizetype(r.text(f).size())) : QString();
        };
        values << text(FieldId::AccountId) + QLatin1Char('|') + text(FieldId::Region);
    }
    void reject(const Rejection&) override { ++rejected; }
    int extraColumn(std::string_view) override { return 0; }
};

using testutil::writeFile;

const char* const kClassic = "AWSLogs/123456789012/vpcflowlogs/eu-west-3/2024/01/15/";
const char* const kHive =
    "AWSLogs/aws-account-id=210987654321/aws-service=vpcflowlogs/aws-region=us-gov-west-1/year=2024/month=01/day=15/hour=04/";
/// VPC custom format without account-id and region.
const char* const kNoAccountHeader =
    "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action "
    "log-status\n";
const char* const kNoAccountLine = "2 eni-0a1b2c3d 10.0.0.1 10.0.0.2 443 49152 6 10 840 1705305600 1705305660 ACCEPT OK\n";
/// VPC default format (version 2): account-id, no region.
const char* const kDefaultHeader =
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n";
const char* const kDefaultLine =
    "2 111122223333 eni-0a1b2c3d 10.0.0.1 10.0.0.2 443 49152 6 10 840 1705305600 1705305660 ACCEPT OK\n";
/// Custom format with both fields.
const char* const kBothHeader = "version account-id region srcaddr dstaddr srcport dstport protocol packets bytes start end\n";

} // namespace

class TestPartitionValues : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void pathRules_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("account");
        QTest::addColumn<QString>("region");
        QTest::newRow("classic, daily") << "/data/AWSLogs/123456789012/vpcflowlogs/eu-west-3/2024/01/15/f.log.gz"
                                        << "123456789012"
                                        << "eu-west-3";
        QTest::newRow("classic, hourly, GovCloud") << "/data/AWSLogs/123456789012/vpcflowlogs/us-gov-west-1/2024/01/15/04/f.log"
                                                   << "123456789012"
                                                   << "us-gov-west-1";
        QTest::newRow("classic, relative path") << "AWSLogs/123456789012/vpcflowlogs/ap-southeast-4/f.log"
                                                << "123456789012"
                                                << "ap-southeast-4";
        QTest::newRow("Hive") << "/d/" + QLatin1String(kHive) + "f.log.parquet"
                              << "210987654321"
                              << "us-gov-west-1";
        QTest::newRow("Hive, older TGW docs (service=)")
            << "/d/AWSLogs/aws-account-id=210987654321/service=vpcflowlogs/aws-region=eu-west-1/year=2024/f.log.gz"
            << "210987654321"
            << "eu-west-1";
        QTest::newRow("Hive, account folder only") << "/d/aws-account-id=210987654321/year=2024/f.log.gz"
                                                   << "210987654321"
                                                   << "";
        QTest::newRow("Hive, region folder only") << "/d/aws-region=sa-east-1/f.log.gz"
                                                  << ""
                                                  << "sa-east-1";
        QTest::newRow("no partition folders") << "/home/me/flows/f.log.gz"
                                              << ""
                                              << "";
        QTest::newRow("account of 11 digits") << "/d/AWSLogs/12345678901/vpcflowlogs/eu-west-3/f.log"
                                              << ""
                                              << "";
        QTest::newRow("another service") << "/d/AWSLogs/123456789012/cloudtrail/eu-west-3/f.log"
                                         << ""
                                         << "";
        QTest::newRow("region without its number") << "/d/AWSLogs/123456789012/vpcflowlogs/eu-west/f.log"
                                                   << ""
                                                   << "";
        QTest::newRow("folder name only ends in AWSLogs") << "/d/MyAWSLogs/123456789012/vpcflowlogs/eu-west-3/f.log"
                                                          << ""
                                                          << "";
        QTest::newRow("region is a file name, not a folder") << "/d/AWSLogs/123456789012/vpcflowlogs/eu-west-3"
                                                             << ""
                                                             << "";
    }
    void pathRules()
    {
        QFETCH(QString, path);
        QFETCH(QString, account);
        QFETCH(QString, region);
        const PathPartitions p = pathPartitions(path);
        QCOMPARE(QString::fromStdString(p.account), account);
        QCOMPARE(QString::fromStdString(p.region), region);
        QCOMPARE(p.empty(), account.isEmpty() && region.isEmpty());
    }

    void textLogs_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("gzip");
        QTest::addColumn<QStringList>("expected"); // per record: account|region
        const QByteArray noAccount = QByteArray(kNoAccountHeader) + kNoAccountLine + kNoAccountLine;
        QTest::newRow("classic .log, format without account and region")
            << kClassic << noAccount << false << QStringList{"123456789012|eu-west-3", "123456789012|eu-west-3"};
        QTest::newRow("classic .log.gz, format without account and region")
            << kClassic << noAccount << true << QStringList{"123456789012|eu-west-3", "123456789012|eu-west-3"};
        QTest::newRow("Hive .log.gz, default format: the record's account wins")
            << kHive << QByteArray(kDefaultHeader) + kDefaultLine << true << QStringList{"111122223333|us-gov-west-1"};
        QTest::newRow("headerless default format: the record's account wins")
            << kClassic << QByteArray(kDefaultLine) << false << QStringList{"111122223333|eu-west-3"};
        QTest::newRow("the record's own account and region win")
            << kHive
            << QByteArray(kBothHeader) + "2 444455556666 ap-south-1 10.0.0.1 10.0.0.2 443 49152 6 10 840 1705305600 1705305660\n"
            << false << QStringList{"444455556666|ap-south-1"};
        QTest::newRow("'-' is no value: that record takes the path's")
            << kClassic
            << QByteArray(kBothHeader) + "2 444455556666 - 10.0.0.1 10.0.0.2 443 49152 6 10 840 1705305600 1705305660\n"
                   + "2 - ap-south-1 10.0.0.1 10.0.0.2 443 49152 6 10 840 1705305600 1705305660\n"
            << false << QStringList{"444455556666|eu-west-3", "123456789012|ap-south-1"};
        QTest::newRow("path without the pattern: nothing filled")
            << "downloads/vpcflowlogs/eu-west-3/" << noAccount << true << QStringList{"|", "|"};
    }
    void textLogs()
    {
        QFETCH(QString, folder);
        QFETCH(QByteArray, text);
        QFETCH(bool, gzip);
        QFETCH(QStringList, expected);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(folder + (gzip ? QStringLiteral("flows.log.gz") : QStringLiteral("flows.log")));
        QVERIFY(writeFile(path, text, gzip));
        Sink sink;
        const FileOutcome o = readFile(path, ReadOptions{}, sink);
        QVERIFY2(!o.fatal, qPrintable(o.fatal ? o.fatal->toString() : QString()));
        QCOMPARE(sink.rejected, qint64(0));
        QCOMPARE(sink.values, expected);
    }

    /// The same text read from a buffer (standard input) has no path: nothing is filled.
    void bufferHasNoPath()
    {
        Sink sink;
        const FileOutcome o = readBuffer(QByteArray(kNoAccountHeader) + kNoAccountLine,
                                         QString::fromLatin1(kClassic) + QStringLiteral("flows.log"), ReadOptions{}, sink);
        QVERIFY(!o.fatal);
        QCOMPARE(sink.values, QStringList{"|"});
    }
};

QTEST_GUILESS_MAIN(TestPartitionValues)
#include "tst_partition_values.moc"
