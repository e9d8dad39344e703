// Tests of reading whole inputs (core/ingest.h): the fixture files and in-memory buffers of every
// input form, detection, extra fields, a header switch inside a file and truncated raw text.
// Every test checks that records + rejected + skipped == lines read. gzip: tst_ingest_gzip.cpp;
// limits, progress, cancel and file errors: tst_ingest_files.cpp; helpers: tests/ingesttestutil.h.
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

QTEST_GUILESS_MAIN(TestIngest)
#include "tst_ingest.moc"
