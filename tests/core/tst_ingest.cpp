// Tests of reading whole inputs (core/ingest.h): every input form, detection, bad and hostile
// input. Every test checks that records + rejected + skipped == lines read.
// Over 500 lines on purpose: one data-driven table per input form of one unit (ingest.h); the
// length is rows of bad and odd input, not logic.
#include "core/ingest/gzip.h"
#include "core/ingest/ingest.h"

#include "tests/gziptestutil.h"
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <functional>

using namespace core;

namespace {

const QString kData = QStringLiteral(FLOWLOG_TEST_DATA "/ingest/");

const char* const kTgwHeader =
    "version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id "
    "tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id "
    "tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
    "log-status type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded "
    "packets-lost-ttl-expired tcp-flags region flow-direction pkt-src-aws-service pkt-dst-aws-service";
const char* const kTgw1 = "6 TransitGateway 123456789012 tgw-0a1b2c3d4e5f67890 tgw-attach-0aa11bb22cc33dd44 123456789012 "
                          "210987654321 vpc-0a1b2c3d4e5f6a7b8 vpc-0f9e8d7c6b5a49382 subnet-0123456789abcdef0 "
                          "subnet-0fedcba9876543210 eni-0a1b2c3d4e5f60001 eni-0a1b2c3d4e5f60002 use1-az1 use1-az2 "
                          "tgw-attach-0ee55ff66aa77bb88 10.0.1.15 10.1.2.20 49152 443 6 10 5240 1700000000 1700000060 OK IPv4 "
                          "0 0 0 0 19 us-east-1 ingress - -";
const char* const kVpcHeader =
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status";
const char* const kVpc1 =
    "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK";
const char* const kVpcNoData = "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA";

QByteArray withField(const char* line, int index, const QByteArray& value)
{
    QList<QByteArray> parts = QByteArray(line).split(' ');
    parts[index] = value;
    return parts.join(' ');
}

QByteArray lines(std::initializer_list<QByteArray> l, const char* eol = "\n")
{
    QByteArray out;
    for (const QByteArray& x : l) out += x + eol;
    return out;
}

QByteArray gzipBytes(const QByteArray& in, int level = 6)
{
    return testutil::gzipCompress(in, level);
}

/// Copies everything a reader produces so tests can look at it after the call.
struct CollectSink final : RecordSink {
    struct Rec {
        qint64 line = 0;
        QMap<QString, QString> values; // hyphen name or "extra:<token>" -> value
        QString raw;
    };
    std::vector<Rec> records;
    std::vector<Rejection> rejections;
    QStringList extras;
    std::vector<qint64> progressCalls;
    std::function<void(CollectSink&)> onRecord; // hook, e.g. to cancel
    bool keepRecords = true;
    qint64 recordCount = 0;

    void record(const FlowRecord& r) override
    {
        ++recordCount;
        if (keepRecords) {
            Rec c;
            c.line = r.line;
            c.raw = QString::fromUtf8(r.raw.data(), static_cast<qsizetype>(r.raw.size()));
            for (const FieldInfo& f : allFields()) {
                if (!r.has(f.id)) continue;
                if (f.type == FieldType::Integer) c.values.insert(QLatin1String(f.name), QString::number(r.integer(f.id)));
                else
                    c.values.insert(QLatin1String(f.name),
                                    QString::fromUtf8(r.text(f.id).data(), static_cast<qsizetype>(r.text(f.id).size())));
            }
            for (const auto& [idx, v] : r.extras)
                c.values.insert(QStringLiteral("extra:") + extras.value(idx),
                                QString::fromUtf8(v.data(), static_cast<qsizetype>(v.size())));
            records.push_back(std::move(c));
        }
        if (onRecord) onRecord(*this);
    }
    void reject(const Rejection& r) override { rejections.push_back(r); }
    int extraColumn(std::string_view token) override
    {
        const QString t = QString::fromUtf8(token.data(), static_cast<qsizetype>(token.size()));
        const auto i = extras.indexOf(t);
        if (i >= 0) return static_cast<int>(i);
        extras.append(t);
        return static_cast<int>(extras.size() - 1);
    }
    void progress(qint64 bytes) override { progressCalls.push_back(bytes); }

    QStringList rejectionTexts() const
    {
        QStringList out;
        for (const Rejection& r : rejections) out << QStringLiteral("%1: %2").arg(r.line).arg(r.reason);
        return out;
    }
    QString value(size_t record, const QString& field) const
    {
        if (record >= records.size()) return QStringLiteral("<no record %1>").arg(record);
        return records[record].values.value(field, QStringLiteral("NULL"));
    }
};

/// The invariant every reader keeps.
#define CHECK_ACCOUNTING(out, sink)                                                                                              \
    do {                                                                                                                         \
        QCOMPARE((out).records, (sink).recordCount);                                                                             \
        QCOMPARE((out).rejected, static_cast<qint64>((sink).rejections.size()));                                                 \
        QCOMPARE((out).records + (out).rejected + (out).skipped, (out).linesRead);                                               \
    } while (0)

FileOutcome readBytes(const QByteArray& data, CollectSink& sink, const QString& format = {},
                      const std::atomic<bool>* cancel = nullptr)
{
    ReadOptions o;
    o.format = format;
    o.cancel = cancel;
    return readBuffer(data, QStringLiteral("mem.log"), o, sink);
}

QByteArray repeatLines(const QByteArray& line, int count)
{
    QByteArray out;
    out.reserve((line.size() + 1) * count);
    for (int i = 0; i < count; ++i) out += line + '\n';
    return out;
}

bool writeFile(const QString& path, const QByteArray& data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
}

} // namespace

class TestIngest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fixtures_data();
    void fixtures();
    void buffers_data();
    void buffers();
    void extrasKept();
    void headerSwitchMidFile();
    void rawTruncated();
    void gzipForms_data();
    void gzipForms();
    void hugeLine_data();
    void hugeLine();
    void manyBadLines();
    void progressAndCancel();
    void zipBomb();
    void fileErrors();
    void fileChangesWhileLoading();
    void expandPaths();
    void gzipDecoderPieces();
};

void TestIngest::fixtures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("format");
    QTest::addColumn<qint64>("records");
    QTest::addColumn<qint64>("skipped");
    QTest::addColumn<QStringList>("checks"); // "recordIndex:field=value" ; "recordIndex:@line=N"

    QTest::newRow("S3 gzip with header")
        << "123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20231114T2210Z_1a2b3c4d.log.gz"
        << "S3 text (header, 36 fields), gzip" << qint64(5) << qint64(1)
        << QStringList{"0:@line=2",
                       "0:bytes=5240",
                       "1:flow-direction=egress",
                       "2:srcaddr=2600:1f18:1234:5600::15",
                       "2:srcport=NULL",
                       "3:packets-lost-no-route=3",
                       "4:log-status=NODATA",
                       "4:srcaddr=NULL",
                       "4:@line=6"};
    QTest::newRow("S3 plain with header") << "s3_tgw_header.log"
                                          << "S3 text (header, 36 fields)" << qint64(5) << qint64(1)
                                          << QStringList{"0:tgw-pair-attachment-id=tgw-attach-0ee55ff66aa77bb88"};
    QTest::newRow("alphabetical custom header, CRLF, blank lines, unknown field")
        << "s3_vpc_custom_alpha_crlf.log"
        << "S3 text (header, 22 fields)" << qint64(3) << qint64(3)
        << QStringList{"0:@line=2", "0:bytes=4249",     "0:extra:future-field=alpha",
                       "1:@line=4", "1:dstport=3389",   "1:extra:future-field=NULL",
                       "2:@line=6", "2:traffic-path=8", "2:log-status=OK"};
    QTest::newRow("header repeated mid-file")
        << "s3_header_switch.log"
        << "S3 text (header, 14 fields)" << qint64(3) << qint64(2)
        << QStringList{"0:action=ACCEPT", "1:@line=4", "1:bytes=100", "1:action=NULL", "2:srcaddr=fd00:ec2::1"};
    QTest::newRow("headerless TGW (v6, v5, resource-type -)")
        << "tgw_headerless.log"
        << "headerless TGW default" << qint64(4) << qint64(0)
        << QStringList{"1:version=5", "2:resource-type=NULL", "2:bytes=5240", "3:log-status=NODATA"};
    QTest::newRow("headerless VPC v2") << "vpc_default_headerless.log"
                                       << "headerless VPC default" << qint64(5) << qint64(0)
                                       << QStringList{"2:log-status=NODATA", "3:log-status=SKIPDATA", "3:packets=NULL",
                                                      "4:srcaddr=2001:db8:1234:a100:8d6e:3477:df66:f105"};
    QTest::newRow("filter-log-events JSON, two pages") << "cloudwatch_filter_log_events.json"
                                                       << "CloudWatch JSON (events)" << qint64(5) << qint64(51)
                                                       << QStringList{"0:@line=6", "0:bytes=5240", "4:log-status=NODATA"};
    QTest::newRow("get-log-events JSON") << "cloudwatch_get_log_events.json"
                                         << "CloudWatch JSON (events)" << qint64(5) << qint64(26)
                                         << QStringList{"0:@line=5", "0:action=ACCEPT", "1:action=REJECT"};
    QTest::newRow("NDJSON events") << "cloudwatch_events.ndjson"
                                   << "NDJSON (message)" << qint64(5) << qint64(0)
                                   << QStringList{"0:@line=1", "4:@line=5", "2:type=IPv6"};
    QTest::newRow("NDJSON message lines") << "cloudwatch_messages.ndjson"
                                          << "NDJSON (message)" << qint64(5) << qint64(0)
                                          << QStringList{"0:dstport=22", "2:log-status=NODATA"};
    QTest::newRow("export to S3 (gzip)") << "cloudwatch_export_000000.gz"
                                         << "CloudWatch export (TGW default), gzip" << qint64(5) << qint64(0)
                                         << QStringList{"0:version=6", "0:start=1700000000", "4:@line=5"};
    QTest::newRow("console CSV") << "cloudwatch_console.csv"
                                 << "CloudWatch CSV (message)" << qint64(5) << qint64(1)
                                 << QStringList{"0:@line=2", "0:bytes=4249", "2:log-status=NODATA"};
    QTest::newRow("Logs Insights CSV") << "logs_insights.csv"
                                       << "CloudWatch CSV (@message)" << qint64(5) << qint64(1)
                                       << QStringList{"0:tgw-attachment-id=tgw-attach-0aa11bb22cc33dd44"};
    QTest::newRow("Logs Insights JSON") << "logs_insights.json"
                                        << "Logs Insights JSON (@message)" << qint64(2) << qint64(8)
                                        << QStringList{"0:@line=4", "1:action=REJECT"};
    QTest::newRow("subscription DATA_MESSAGE")
        << "subscription_data_message.json"
        << "CloudWatch subscription JSON (DATA_MESSAGE)" << qint64(2) << qint64(0) << QStringList{"1:flow-direction=egress"};
    QTest::newRow("subscription gzip, concatenated, control message")
        << "subscription_data_message.json.gz"
        << "CloudWatch subscription JSON (DATA_MESSAGE), gzip" << qint64(5) << qint64(0)
        << QStringList{"0:bytes=5240", "4:log-status=NODATA"};
    QTest::newRow("Athena CSV") << "athena_results.csv"
                                << "Athena CSV (15 columns)" << qint64(5) << qint64(1)
                                << QStringList{"0:srcaddr=172.31.16.139", "0:extra:date=2014-12-14", "2:srcaddr=NULL",
                                               "2:packets=NULL",          "3:log-status=SKIPDATA",   "4:bytes=8855"};
}

void TestIngest::fixtures()
{
    QFETCH(QString, file);
    QFETCH(QString, format);
    QFETCH(qint64, records);
    QFETCH(qint64, skipped);
    QFETCH(QStringList, checks);
    CollectSink sink;
    const FileOutcome out = readFile(kData + file, ReadOptions(), sink);
    QVERIFY2(!out.fatal, qPrintable(out.fatal ? out.fatal->toString() : QString()));
    QCOMPARE(sink.rejectionTexts(), QStringList());
    QCOMPARE(out.format, format);
    QCOMPARE(out.records, records);
    QCOMPARE(out.skipped, skipped);
    QVERIFY(!out.truncated);
    CHECK_ACCOUNTING(out, sink);
    for (const QString& c : checks) {
        const auto idx = static_cast<size_t>(c.section(QLatin1Char(':'), 0, 0).toInt());
        const QString rest = c.section(QLatin1Char(':'), 1);
        const QString field = rest.section(QLatin1Char('='), 0, 0);
        const QString got = field == QLatin1String("@line")
                                ? (idx < sink.records.size() ? QString::number(sink.records[idx].line) : QStringLiteral("none"))
                                : sink.value(idx, field);
        QCOMPARE(QStringLiteral("%1:%2=%3").arg(idx).arg(field, got), c);
    }
}

void TestIngest::buffers_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("format"); // ReadOptions::format
    QTest::addColumn<qint64>("records");
    QTest::addColumn<QStringList>("rejections"); // "line: reason"
    QTest::addColumn<QString>("fatal");          // substring of the fatal message, "" = none
    QTest::addColumn<QString>("form");           // expected FileOutcome::format ("*" = don't care)
    QTest::addColumn<QStringList>("checks");     // "recordIndex:field=value"

    const QByteArray tgw(kTgw1);
    const QByteArray vpc(kVpc1);

    QTest::newRow("header any order") << lines({"dstport srcaddr bytes log-status", "443 10.0.0.1 5 OK", "- - - NODATA"}) << ""
                                      << qint64(2) << QStringList{} << ""
                                      << "S3 text (header, 4 fields)"
                                      << QStringList{"0:dstport=443", "0:srcaddr=10.0.0.1", "1:bytes=NULL",
                                                     "1:log-status=NODATA"};
    QTest::newRow("CRLF") << lines({kVpcHeader, kVpc1, kVpcNoData}, "\r\n") << "" << qint64(2) << QStringList{} << ""
                          << "S3 text (header, 14 fields)" << QStringList{"0:log-status=OK", "1:log-status=NODATA"};
    QTest::newRow("blank lines") << lines({"", kVpcHeader, "", "  \t", kVpc1, ""}) << "" << qint64(1) << QStringList{} << ""
                                 << "S3 text (header, 14 fields)" << QStringList{"0:bytes=4249"};
    QTest::newRow("dash everywhere") << lines({kVpcHeader, "- - - - - - - - - - - - - -"}) << "" << qint64(1) << QStringList{}
                                     << ""
                                     << "*" << QStringList{"0:version=NULL", "0:log-status=NULL"};
    QTest::newRow("NODATA and SKIPDATA are records")
        << lines({kVpcNoData, QByteArray(kVpcNoData).replace("NODATA", "SKIPDATA")}) << "" << qint64(2) << QStringList{} << ""
        << "headerless VPC default" << QStringList{"1:log-status=SKIPDATA"};
    QTest::newRow("IPv6") << lines({withField(withField(kVpc1, 3, "2600:1f18:1234:5600::15"), 4, "fe80::1")}) << "" << qint64(1)
                          << QStringList{} << ""
                          << "*" << QStringList{"0:srcaddr=2600:1f18:1234:5600::15", "0:dstaddr=fe80::1"};
    QTest::newRow("milliseconds") << lines({withField(withField(kTgw1, 23, "1700000000123"), 24, "1700000060456")}) << ""
                                  << qint64(1) << QStringList{} << ""
                                  << "headerless TGW default" << QStringList{"0:start=1700000000", "0:end=1700000060"};
    QTest::newRow("TGW headerless version 5") << lines({withField(kTgw1, 0, "5")}) << "" << qint64(1) << QStringList{} << ""
                                              << "headerless TGW default" << QStringList{"0:version=5"};
    QTest::newRow("TGW headerless resource-type -") << lines({withField(kTgw1, 1, "-")}) << "" << qint64(1) << QStringList{} << ""
                                                    << "headerless TGW default" << QStringList{"0:resource-type=NULL"};
    QTest::newRow("user format with ${}") << lines({"3 vpc-0a1b2c3d4e5f6a7b8 10.0.0.1 443", "3 - - -"})
                                          << "${version} ${vpc-id} ${srcaddr} ${dstport}" << qint64(2) << QStringList{} << ""
                                          << "headerless custom format, 4 fields"
                                          << QStringList{"0:vpc-id=vpc-0a1b2c3d4e5f6a7b8", "0:dstport=443"};
    QTest::newRow("user format without ${}")
        << lines({"3 vpc-0a1b2c3d4e5f6a7b8 10.0.0.1 443", "3 vpc-1 10.0.0.2 80 extra"}) << "version vpc-id srcaddr dstport"
        << qint64(1) << QStringList{"2: 5 fields, format has 4"} << ""
        << "headerless custom format, 4 fields" << QStringList{"0:srcaddr=10.0.0.1"};
    QTest::newRow("user format and TGW default lines mixed")
        << lines({"3 vpc-0a1b2c3d4e5f6a7b8", tgw}) << "version vpc-id" << qint64(2) << QStringList{} << ""
        << "headerless TGW default + custom format, 2 fields" << QStringList{"1:bytes=5240"};
    QTest::newRow("invalid user format") << lines({kVpc1}) << "${version ${srcaddr}" << qint64(0) << QStringList{}
                                         << "mem.log: format: '${version' is not a field name"
                                         << "" << QStringList{};
    QTest::newRow("header beats user format")
        << lines({kVpcHeader, kVpc1}) << "version vpc-id" << qint64(1) << QStringList{} << ""
        << "S3 text (header, 14 fields)" << QStringList{"0:bytes=4249"};
    QTest::newRow("37 fields under a 36-field header")
        << lines({kTgwHeader, tgw, tgw + " 99", tgw}) << "" << qint64(2) << QStringList{"3: 37 fields, header has 36"} << ""
        << "*" << QStringList{};
    QTest::newRow("bad number") << lines({kVpcHeader, kVpc1, withField(kVpc1, 9, "abc")}) << "" << qint64(1)
                                << QStringList{"3: bytes: 'abc' is not a number"} << ""
                                << "*" << QStringList{};
    QTest::newRow("numbers over 2^63") << lines({kVpc1, withField(kVpc1, 9, "18446744073709551616")}) << "" << qint64(1)
                                       << QStringList{"2: bytes: '18446744073709551616' is too large (over 2^63-1)"} << ""
                                       << "*" << QStringList{};
    QTest::newRow("negative counters") << lines({kVpc1, withField(kVpc1, 8, "-5"), withField(kTgw1, 27, "-1")}) << "" << qint64(1)
                                       << QStringList{"2: packets: '-5' is negative",
                                                      "3: packets-lost-no-route: '-1' is negative"}
                                       << ""
                                       << "*" << QStringList{};
    QTest::newRow("start > end is kept") << lines({withField(withField(kVpc1, 10, "1418530070"), 11, "1418530010")}) << ""
                                         << qint64(1) << QStringList{} << ""
                                         << "*" << QStringList{"0:start=1418530070", "0:end=1418530010"};
    QTest::newRow("headerless line fitting no layout")
        << lines({kVpc1, "2 123456789010 eni-1 10.0.0.1"}) << "" << qint64(1)
        << QStringList{"2: 4 fields and no header: not a TGW default (36) or VPC default (14) record"} << ""
        << "*" << QStringList{};
    QTest::newRow("garbage line mid-file") << lines({kVpcHeader, kVpc1, QByteArray("\x01\x02\xff\xfe garbage \x7f", 14), kVpc1})
                                           << "" << qint64(2) << QStringList{"3: 3 fields, header has 14"} << ""
                                           << "*" << QStringList{};
    QTest::newRow("NUL byte in one record") << lines({kVpcHeader, kVpc1, QByteArray("2 123\0 oops", 11), kVpc1}) << ""
                                            << qint64(2) << QStringList{"3: 3 fields, header has 14"} << ""
                                            << "S3 text (header, 14 fields)" << QStringList{};
    QTest::newRow("invalid UTF-8 in a text value")
        << lines({withField(kVpc1, 2, "eni-\xff\xfe")}) << "" << qint64(1) << QStringList{} << ""
        << "*" << QStringList{};
    QTest::newRow("UTF-8 BOM") << "\xEF\xBB\xBF" + lines({kVpcHeader, kVpc1}) << "" << qint64(1) << QStringList{} << ""
                               << "S3 text (header, 14 fields)" << QStringList{"0:version=2"};
    QTest::newRow("header only") << lines({kTgwHeader}) << "" << qint64(0) << QStringList{} << ""
                                 << "S3 text (header, 36 fields)" << QStringList{};
    QTest::newRow("empty file") << QByteArray() << "" << qint64(0) << QStringList{} << "mem.log: empty file"
                                << "" << QStringList{};
    QTest::newRow("only blank lines") << QByteArray("\n  \r\n\n") << "" << qint64(0) << QStringList{}
                                      << "mem.log: empty file (3 blank lines)"
                                      << "*" << QStringList{};
    QTest::newRow("binary garbage") << QByteArray("\x00\x01\x02\x03garbage\x00\xff", 13) << "" << qint64(0) << QStringList{}
                                    << "mem.log: binary data, not a flow log"
                                    << "" << QStringList{};
    QTest::newRow("parquet") << QByteArray("PAR1\x15\x04\x15", 7) << "" << qint64(0) << QStringList{}
                             << "Parquet file: not supported"
                             << "" << QStringList{};
    QTest::newRow("zip") << QByteArray("PK\x03\x04\x14\x00", 6) << "" << qint64(0) << QStringList{}
                         << "zip archive: extract it first"
                         << "" << QStringList{};
    QTest::newRow("prose text") << lines({"hello world", "this is not a flow log"}) << "" << qint64(0) << QStringList{}
                                << "mem.log: not a recognised flow log: the first line has 2 fields"
                                << "" << QStringList{};
    QTest::newRow("headerless custom without format") << lines({"3 vpc-0a1b2c3d4e5f6a7b8 10.0.0.1 443"}) << "" << qint64(0)
                                                      << QStringList{} << "a headerless custom format needs the format string"
                                                      << "" << QStringList{};
    QTest::newRow("export-to-S3 lines") << lines(
        {"2023-11-14T22:13:25.000Z " + vpc, "2023-11-14T22:13:26.000Z " + QByteArray(kVpcNoData)})
                                        << "" << qint64(2) << QStringList{} << ""
                                        << "CloudWatch export (VPC default)"
                                        << QStringList{"0:bytes=4249", "1:log-status=NODATA"};
    // JSON forms
    QTest::newRow("compact JSON page") << QByteArray("{\"events\":[{\"message\":\"" + vpc + "\"},{\"message\":\"" + vpc
                                                     + "\"}],\"nextToken\":\"x\"}")
                                       << "" << qint64(2) << QStringList{} << ""
                                       << "CloudWatch JSON (events)" << QStringList{"1:bytes=4249"};
    QTest::newRow("record format detected per message")
        << QByteArray("{\"message\":\"" + vpc + "\"}\n{\"message\":\"" + tgw + "\"}\n") << "" << qint64(2) << QStringList{} << ""
        << "NDJSON (message)" << QStringList{"0:action=ACCEPT", "1:resource-type=TransitGateway", "1:action=NULL"};
    QTest::newRow("JSON escapes in message") << QByteArray(
        "{\"message\":\"2\\u0020123456789010 eni-1235b8ca123456789 172.31.16.139 \\\"x\\\" 1 2 6 1 1 1 2 ACCEPT OK\\n\"}")
                                             << "" << qint64(0) << QStringList{"1: dstaddr: '\"x\"' is not an IP address"} << ""
                                             << "*" << QStringList{};
    QTest::newRow("JSON message in a pretty page, bad record")
        << QByteArray("{\n  \"events\": [\n    {\"message\": \"" + withField(kVpc1, 9, "abc") + "\"}\n  ]\n}\n") << ""
        << qint64(0) << QStringList{"3: bytes: 'abc' is not a number"} << ""
        << "CloudWatch JSON (events)" << QStringList{};
    QTest::newRow("JSON empty message") << QByteArray("{\"message\":\"\"}\n") << "" << qint64(0)
                                        << QStringList{"1: empty message"} << ""
                                        << "*" << QStringList{};
    QTest::newRow("JSON empty events") << QByteArray("{\"events\": [], \"searchedLogStreams\": []}\n") << "" << qint64(0)
                                       << QStringList{} << ""
                                       << "CloudWatch JSON (events)" << QStringList{};
    QTest::newRow("JSON truncated") << QByteArray("{\"events\":[{\"message\":\"" + vpc + "\"},\n{\"message\":\"2 12") << ""
                                    << qint64(1) << QStringList{}
                                    << "mem.log:2: JSON ends inside an unfinished string at line 2 (file truncated?)"
                                    << "*" << QStringList{};
    QTest::newRow("JSON syntax error, NDJSON resyncs at the next line")
        << QByteArray("{\"message\":\"" + vpc + "\"}\n{\"message\" ; }\nnot json at all\n{\"message\":\"" + vpc + "\"}\n") << ""
        << qint64(2) << QStringList{"2: JSON syntax error: unexpected ';'", "3: JSON syntax error: unexpected 'n'"} << ""
        << "NDJSON (message)" << QStringList{"1:bytes=4249"};
    QTest::newRow("JSON syntax error after a message on the same line")
        << QByteArray("{\"message\":\"" + vpc + "\"} ]\n{\"message\":\"" + vpc + "\"}") << "" << qint64(2)
        << QStringList{"1: JSON syntax error: unexpected ']'"} << ""
        << "*" << QStringList{};
    QTest::newRow("JSON bad unicode escape")
        << QByteArray("{\"message\":\"\\u12G4\"}\n") << "" << qint64(0) << QStringList{"1: JSON syntax error: bad \\u escape"}
        << "JSON without CloudWatch log events"
        << "*" << QStringList{};
    QTest::newRow("JSON deeply nested") << QByteArray(100000, '[') << "" << qint64(0) << QStringList{}
                                        << "JSON nested deeper than 512 levels at line 1"
                                        << "*" << QStringList{};
    QTest::newRow("JSON without messages") << QByteArray("{\"Vpcs\": [{\"VpcId\": \"vpc-1\"}]}") << "" << qint64(0)
                                           << QStringList{} << "JSON without CloudWatch log events"
                                           << "*" << QStringList{};
    QTest::newRow("control message skipped")
        << QByteArray("{\"messageType\":\"CONTROL_MESSAGE\",\"logEvents\":[{\"id\":\"\",\"timestamp\":1,\"message\":\"CWL "
                      "CONTROL MESSAGE: Checking health of destination Firehose.\"}]}")
        << "" << qint64(0) << QStringList{} << ""
        << "CloudWatch subscription JSON (DATA_MESSAGE)" << QStringList{};
    // CSV forms
    QTest::newRow("CSV header repeated") << lines({"timestamp,message", "1,\"" + vpc + "\"", "timestamp,message", "2," + vpc})
                                         << "" << qint64(2) << QStringList{} << ""
                                         << "CloudWatch CSV (message)" << QStringList{"1:bytes=4249"};
    QTest::newRow("CSV unterminated quote") << lines({"timestamp,message", "1,\"" + vpc}) << "" << qint64(0)
                                            << QStringList{"2: unterminated quoted value"} << ""
                                            << "*" << QStringList{};
    QTest::newRow("CSV message column missing")
        << lines({"timestamp,message", "1"}) << "" << qint64(0) << QStringList{"2: 1 columns, CSV header has 2"} << ""
        << "*" << QStringList{};
    QTest::newRow("Athena CSV bad value and column count")
        << lines({"\"srcaddr\",\"bytes\",\"start\"", "\"10.0.0.1\",\"12\",\"1700000000000\"", "\"10.0.0.2\",\"x\",\"1\"",
                  "\"10.0.0.3\",\"1\""})
        << "" << qint64(1) << QStringList{"3: bytes: 'x' is not a number", "4: 2 columns, CSV header has 3"} << ""
        << "Athena CSV (3 columns)" << QStringList{"0:start=1700000000"};
    QTest::newRow("Athena CSV quotes inside value")
        << lines({"interface_id,account_id", "\"eni-\"\"1\"\"\",\"123\""}) << "" << qint64(1) << QStringList{} << ""
        << "Athena CSV (2 columns)" << QStringList{"0:interface-id=eni-\"1\"", "0:account-id=123"};
}

void TestIngest::buffers()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, format);
    QFETCH(qint64, records);
    QFETCH(QStringList, rejections);
    QFETCH(QString, fatal);
    QFETCH(QString, form);
    QFETCH(QStringList, checks);
    CollectSink sink;
    const FileOutcome out = readBytes(data, sink, format);
    CHECK_ACCOUNTING(out, sink);
    QCOMPARE(sink.rejectionTexts(), rejections);
    QCOMPARE(out.records, records);
    if (fatal.isEmpty()) {
        QVERIFY2(!out.fatal, qPrintable(out.fatal ? out.fatal->toString() : QString()));
    } else {
        QVERIFY(out.fatal);
        QVERIFY2(out.fatal->toString().contains(fatal), qPrintable(out.fatal->toString()));
        QCOMPARE(out.fatal->file, QStringLiteral("mem.log"));
    }
    if (form != QLatin1String("*")) QCOMPARE(out.format, form);
    for (const QString& c : checks) {
        const auto idx = static_cast<size_t>(c.section(QLatin1Char(':'), 0, 0).toInt());
        const QString field = c.section(QLatin1Char(':'), 1).section(QLatin1Char('='), 0, 0);
        QCOMPARE(QStringLiteral("%1:%2=%3").arg(idx).arg(field, sink.value(idx, field)), c);
    }
}

void TestIngest::extrasKept()
{
    CollectSink sink;
    const FileOutcome out = readBytes(lines({"version srcaddr future-a ${future-b}", "9 10.0.0.1 x -", "9 10.0.0.2 - y"}), sink);
    CHECK_ACCOUNTING(out, sink);
    QCOMPARE(sink.extras, (QStringList{"future-a", "future-b"}));
    QCOMPARE(sink.value(0, QStringLiteral("extra:future-a")), QStringLiteral("x"));
    QCOMPARE(sink.value(0, QStringLiteral("extra:future-b")), QStringLiteral("NULL"));
    QCOMPARE(sink.value(1, QStringLiteral("extra:future-b")), QStringLiteral("y"));
}

void TestIngest::headerSwitchMidFile()
{
    CollectSink sink;
    const FileOutcome out = readBytes(lines({kVpcHeader, kVpc1, "srcaddr bytes", "10.0.0.9 77", kVpc1}), sink);
    CHECK_ACCOUNTING(out, sink);
    QCOMPARE(out.records, 2);
    QCOMPARE(sink.value(1, QStringLiteral("bytes")), QStringLiteral("77"));
    QCOMPARE(sink.rejectionTexts(), QStringList{QStringLiteral("5: 14 fields, header has 2")});
}

void TestIngest::rawTruncated()
{
    CollectSink sink;
    QByteArray line = withField(kVpc1, 9, "abc") + " " + QByteArray(10000, 'z');
    const FileOutcome out = readBytes(lines({kVpcHeader, line}), sink);
    CHECK_ACCOUNTING(out, sink);
    QCOMPARE(sink.rejections.size(), size_t(1));
    QCOMPARE(sink.rejections[0].line, 2);
    QCOMPARE(sink.rejections[0].reason, QStringLiteral("15 fields, header has 14"));
    QCOMPARE(sink.rejections[0].raw.size(), 4096);
    QVERIFY(sink.rejections[0].raw.startsWith(QLatin1String("2 123456789010")));
}

void TestIngest::gzipForms_data()
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

void TestIngest::gzipForms()
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

void TestIngest::hugeLine_data()
{
    QTest::addColumn<qint64>("size");
    QTest::addColumn<bool>("newline");
    QTest::newRow("10 MB line then more records") << qint64(10 << 20) << true;
    QTest::newRow("100 MB line without newline at end of file") << qint64(100 << 20) << false;
    QTest::newRow("just over 1 MiB") << qint64((1 << 20) + 1) << true;
}

void TestIngest::hugeLine()
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

void TestIngest::manyBadLines()
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

void TestIngest::progressAndCancel()
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

void TestIngest::zipBomb()
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

void TestIngest::fileErrors()
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

void TestIngest::fileChangesWhileLoading()
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

void TestIngest::expandPaths()
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

void TestIngest::gzipDecoderPieces()
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

QTEST_GUILESS_MAIN(TestIngest)
#include "tst_ingest.moc"
