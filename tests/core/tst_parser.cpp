// Unit tests of the pure parser (core/parser.h): splitting, values, reasons, header and
// headerless-layout detection, address syntax, format strings.
#include "core/ingest/ingest.h"
#include "core/ingest/parser.h"
#include "core/query/filter_ip.h"

#include <QRandomGenerator>
#include <QTest>

using namespace core;

namespace {

const char* const kTgw1 = "6 TransitGateway 123456789012 tgw-0a1b2c3d4e5f67890 tgw-attach-0aa11bb22cc33dd44 123456789012 "
                          "210987654321 vpc-0a1b2c3d4e5f6a7b8 vpc-0f9e8d7c6b5a49382 subnet-0123456789abcdef0 "
                          "subnet-0fedcba9876543210 eni-0a1b2c3d4e5f60001 eni-0a1b2c3d4e5f60002 use1-az1 use1-az2 "
                          "tgw-attach-0ee55ff66aa77bb88 10.0.1.15 10.1.2.20 49152 443 6 10 5240 1700000000 1700000060 OK IPv4 "
                          "0 0 0 0 19 us-east-1 ingress - -";

const char* const kVpc1 =
    "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK";

std::vector<std::string_view> tokensOf(const QByteArray& line, std::vector<std::string_view>& storage)
{
    storage.assign(kMaxTokens, {});
    const int n = splitFields(std::string_view(line.constData(), static_cast<size_t>(line.size())), storage.data(), kMaxTokens);
    storage.resize(static_cast<size_t>(std::min(n, kMaxTokens)));
    return storage;
}

/// Replaces the value at `index` (0-based) of a space-separated line.
QByteArray withField(const char* line, int index, const QByteArray& value)
{
    QList<QByteArray> parts = QByteArray(line).split(' ');
    parts[index] = value;
    return parts.join(' ');
}

Layout headerLayout(const QByteArray& header)
{
    std::vector<std::string_view> storage;
    const auto toks = tokensOf(header, storage);
    int next = 0;
    return Layout::fromNames(toks, Layout::Source::Header, [&next](std::string_view) { return next++; });
}

/// "name=value" for a field of a parsed record ("name=NULL" when not present).
QString valueOf(const FlowRecord& r, const QString& name)
{
    const QByteArray n = name.toUtf8();
    const auto id = findField(std::string_view(n.constData(), static_cast<size_t>(n.size())));
    if (!id) return QStringLiteral("?");
    if (!r.has(*id)) return QStringLiteral("NULL");
    if (fieldInfo(*id).type == FieldType::Integer) return QString::number(r.integer(*id));
    const auto t = r.text(*id);
    return QString::fromUtf8(t.data(), static_cast<qsizetype>(t.size()));
}

} // namespace

class TestParser : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parseLine_data();
    void parseLine();
    void extrasKept();
    void splitMatchesReference();
    void header_data();
    void header();
    void headerless_data();
    void headerless();
    void isoTimestamp_data();
    void isoTimestamp();
    void addresses_data();
    void addresses();
    void addressValueKept_data();
    void addressValueKept();
    void formatString_data();
    void formatString();
};

void TestParser::parseLine_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("layout");     // "tgw", "vpc" or a header line
    QTest::addColumn<QString>("reason");     // empty = ok
    QTest::addColumn<QStringList>("checks"); // "field=value"

    QTest::newRow("tgw default")
        << QByteArray(kTgw1) << "tgw"
        << "" << QStringList{"bytes=5240",   "srcaddr=10.0.1.15",        "tgw-attachment-id=tgw-attach-0aa11bb22cc33dd44",
                             "tcp-flags=19", "pkt-src-aws-service=NULL", "start=1700000000"};
    QTest::newRow("vpc default") << QByteArray(kVpc1) << "vpc"
                                 << "" << QStringList{"action=ACCEPT", "dstport=22", "interface-id=eni-1235b8ca123456789"};
    QTest::newRow("double space and tabs") << QByteArray(kVpc1).replace(" 22 ", "  22\t\t").replace("2 123", "\t 2 123") << "vpc"
                                           << "" << QStringList{"dstport=22", "version=2"};
    QTest::newRow("CRLF") << QByteArray(kVpc1) + "\r"
                          << "vpc"
                          << "" << QStringList{"log-status=OK"};
    QTest::newRow("NODATA dashes") << QByteArray(
        "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA")
                                   << "vpc"
                                   << "" << QStringList{"srcaddr=NULL", "packets=NULL", "action=NULL", "log-status=NODATA"};
    QTest::newRow("dash in every field") << QByteArray("- - - - - - - - - - - - - -") << "vpc"
                                         << "" << QStringList{"version=NULL", "start=NULL", "log-status=NULL"};
    QTest::newRow("IPv6") << withField(withField(kVpc1, 3, "2001:db8:1234:a100:8d6e:3477:df66:f105"), 4, "::ffff:10.0.0.1")
                          << "vpc"
                          << "" << QStringList{"srcaddr=2001:db8:1234:a100:8d6e:3477:df66:f105", "dstaddr=::ffff:10.0.0.1"};
    QTest::newRow("milliseconds") << withField(withField(kVpc1, 10, "1418530010123"), 11, "1418530070999") << "vpc"
                                  << "" << QStringList{"start=1418530010", "end=1418530070"};
    QTest::newRow("zero counters") << withField(withField(kVpc1, 8, "0"), 9, "0") << "vpc"
                                   << "" << QStringList{"packets=0", "bytes=0"};
    QTest::newRow("int64 max") << withField(kVpc1, 9, "9223372036854775807") << "vpc"
                               << "" << QStringList{"bytes=9223372036854775807"};

    QTest::newRow("bad number") << withField(kVpc1, 9, "abc") << "vpc"
                                << "bytes: 'abc' is not a number" << QStringList{};
    QTest::newRow("number with suffix") << withField(kVpc1, 8, "12x") << "vpc"
                                        << "packets: '12x' is not a number" << QStringList{};
    QTest::newRow("plus sign") << withField(kVpc1, 5, "+80") << "vpc"
                               << "srcport: '+80' is not a number" << QStringList{};
    QTest::newRow("negative counter") << withField(kVpc1, 8, "-5") << "vpc"
                                      << "packets: '-5' is negative" << QStringList{};
    QTest::newRow("over 2^63") << withField(kVpc1, 9, "9223372036854775808") << "vpc"
                               << "bytes: '9223372036854775808' is too large (over 2^63-1)" << QStringList{};
    QTest::newRow("huge negative") << withField(kVpc1, 9, "-99999999999999999999") << "vpc"
                                   << "bytes: '-99999999999999999999' is negative" << QStringList{};
    QTest::newRow("bad IPv4") << withField(kVpc1, 3, "10.0.0.256") << "vpc"
                              << "srcaddr: '10.0.0.256' is not an IP address" << QStringList{};
    QTest::newRow("garbage address") << withField(kVpc1, 4, "garbage") << "vpc"
                                     << "dstaddr: 'garbage' is not an IP address" << QStringList{};
    QTest::newRow("bad IPv6") << withField(kVpc1, 3, "2600:::1") << "vpc"
                              << "srcaddr: '2600:::1' is not an IP address" << QStringList{};
    QTest::newRow("37 fields under a 36-field header")
        << QByteArray(kTgw1) + " extra"
        << QString::fromLatin1(
               "version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id "
               "tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id "
               "tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end log-status "
               "type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded packets-lost-ttl-expired tcp-flags "
               "region flow-direction pkt-src-aws-service pkt-dst-aws-service")
        << "37 fields, header has 36" << QStringList{};
    QTest::newRow("13 fields, VPC default") << QByteArray(kVpc1).left(QByteArray(kVpc1).lastIndexOf(' ')) << "vpc"
                                            << "13 fields, VPC default has 14" << QStringList{};
    QTest::newRow("header any order") << QByteArray("443 10.0.0.2 OK 6") << "dstport dstaddr log-status protocol"
                                      << ""
                                      << QStringList{"dstport=443", "dstaddr=10.0.0.2", "log-status=OK", "protocol=6",
                                                     "srcaddr=NULL"};
    QTest::newRow("underscore header") << QByteArray("tgw-attach-1 5") << "tgw_attachment_id packets_lost_no_route"
                                       << "" << QStringList{"tgw-attachment-id=tgw-attach-1", "packets-lost-no-route=5"};
}

void TestParser::parseLine()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, layout);
    QFETCH(QString, reason);
    QFETCH(QStringList, checks);
    const Layout l = layout == QLatin1String("tgw")   ? tgwDefault()
                     : layout == QLatin1String("vpc") ? vpcDefault()
                                                      : headerLayout(layout.toUtf8());
    FlowRecord rec;
    const ParseResult r = core::parseLine(std::string_view(line.constData(), static_cast<size_t>(line.size())), l, rec);
    QCOMPARE(r.reason, reason);
    QCOMPARE(r.ok(), reason.isEmpty());
    for (const QString& c : checks) {
        const QString name = c.section(QLatin1Char('='), 0, 0);
        QCOMPARE(name + QLatin1Char('=') + valueOf(rec, name), c);
    }
}

void TestParser::extrasKept()
{
    const Layout l = headerLayout("srcaddr future-field bytes other-thing");
    QCOMPARE(l.columns[1].kind, ColumnKind::Extra);
    QCOMPARE(l.columns[1].extra, 0);
    QCOMPARE(l.columns[3].extra, 1);
    FlowRecord rec;
    QVERIFY(core::parseLine("10.0.0.1 hello 42 -", l, rec).ok());
    QCOMPARE(rec.extras.size(), size_t(1)); // '-' extras are not listed
    QCOMPARE(rec.extras[0].first, 0);
    QCOMPARE(QByteArray(rec.extras[0].second.data(), static_cast<qsizetype>(rec.extras[0].second.size())), QByteArray("hello"));
    QCOMPARE(rec.integer(FieldId::Bytes), 42);
    // the record is reset between lines
    QVERIFY(core::parseLine("- - - -", l, rec).ok());
    QVERIFY(rec.extras.empty());
    QVERIFY(!rec.has(FieldId::Bytes));
}

void TestParser::splitMatchesReference()
{
    // The SIMD splitter must agree with a plain one on random mixes of spaces, tabs and text.
    QRandomGenerator rng(42);
    const char alphabet[] = {' ', ' ', '\t', 'a', 'b', '1', '-', '.', ':'};
    for (int round = 0; round < 2000; ++round) {
        std::string s(static_cast<size_t>(rng.bounded(300)), ' ');
        for (char& c : s) c = alphabet[rng.bounded(static_cast<int>(sizeof alphabet))];
        std::vector<std::string_view> expected;
        size_t i = 0;
        while (i < s.size()) {
            while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
            const size_t b = i;
            while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
            if (i > b) expected.emplace_back(s.data() + b, i - b);
        }
        std::vector<std::string_view> got(kMaxTokens);
        const int n = splitFields(s, got.data(), kMaxTokens);
        QCOMPARE(n, static_cast<int>(expected.size()));
        for (int k = 0; k < n && k < kMaxTokens; ++k) QVERIFY(got[static_cast<size_t>(k)] == expected[static_cast<size_t>(k)]);
    }
}

void TestParser::header_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<bool>("isHeader");
    QTest::newRow("vpc default header") << QByteArray(
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status")
                                        << true;
    QTest::newRow("alphabetical custom") << QByteArray("account-id action bytes dstaddr") << true;
    QTest::newRow("with unknown names") << QByteArray("version future-one future-two srcaddr") << true;
    QTest::newRow("starts with version, unknown rest") << QByteArray("version foo bar baz qux") << true;
    QTest::newRow("${} names") << QByteArray("${version} ${srcaddr}") << true;
    QTest::newRow("underscore names") << QByteArray("tgw_attachment_id packets_lost_no_route") << true;
    QTest::newRow("data line") << QByteArray(kVpc1) << false;
    QTest::newRow("text-only values") << QByteArray("ACCEPT OK") << false;
    QTest::newRow("mostly unknown words") << QByteArray("hello world srcaddr foo") << false;
    QTest::newRow("dash token") << QByteArray("version - srcaddr") << false;
}

void TestParser::header()
{
    QFETCH(QByteArray, line);
    QFETCH(bool, isHeader);
    std::vector<std::string_view> storage;
    QCOMPARE(looksLikeHeader(tokensOf(line, storage)), isHeader);
}

void TestParser::headerless_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QString>("expected"); // "tgw", "vpc", "none"
    QTest::newRow("tgw v6") << QByteArray(kTgw1) << "tgw";
    QTest::newRow("tgw version 5") << withField(kTgw1, 0, "5") << "tgw";
    QTest::newRow("tgw resource-type dash") << withField(kTgw1, 1, "-") << "tgw";
    QTest::newRow("tgw attachment resource type") << withField(withField(kTgw1, 1, "TransitGatewayAttachment"), 3, "-") << "tgw";
    QTest::newRow("tgw no markers") << withField(withField(withField(kTgw1, 1, "-"), 3, "-"), 4, "-") << "none";
    QTest::newRow("vpc v2") << QByteArray(kVpc1) << "vpc";
    QTest::newRow("vpc dash eni") << withField(kVpc1, 2, "-") << "vpc";
    QTest::newRow("vpc not eni") << withField(kVpc1, 2, "i-0123") << "none";
    QTest::newRow("vpc text version") << withField(kVpc1, 0, "v2") << "none";
    QTest::newRow("15 fields") << QByteArray(kVpc1) + " x"
                               << "none";
}

void TestParser::headerless()
{
    QFETCH(QByteArray, line);
    QFETCH(QString, expected);
    std::vector<std::string_view> storage;
    const Layout* l = guessHeaderless(tokensOf(line, storage));
    const QString got = !l                                        ? QStringLiteral("none")
                        : l->source == Layout::Source::TgwDefault ? QStringLiteral("tgw")
                                                                  : QStringLiteral("vpc");
    QCOMPARE(got, expected);
}

void TestParser::isoTimestamp_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<QByteArray>("rest");
    QTest::newRow("export line") << QByteArray("2023-11-14T22:13:25.000Z 2 123 eni-1") << QByteArray("2 123 eni-1");
    QTest::newRow("no millis") << QByteArray("2023-11-14T22:13:25Z 6 TransitGateway") << QByteArray("6 TransitGateway");
    QTest::newRow("offset") << QByteArray("2023-11-14T22:13:25+00:00 x") << QByteArray("x");
    QTest::newRow("plain record") << QByteArray(kVpc1) << QByteArray(kVpc1);
    QTest::newRow("date only") << QByteArray("2023-11-14 22:13:25 x y z w") << QByteArray("2023-11-14 22:13:25 x y z w");
}

void TestParser::isoTimestamp()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, rest);
    const auto r = stripIsoTimestamp(std::string_view(line.constData(), static_cast<size_t>(line.size())));
    QCOMPARE(QByteArray(r.data(), static_cast<qsizetype>(r.size())), rest);
}

void TestParser::addresses_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("ok");
    for (const char* good : {"10.0.0.1", "255.255.255.255", "0.0.0.0", "::1", "::", "2600:1f18:1234:5600::15",
                             "2001:db8:1234:a100:8d6e:3477:df66:f105", "fe80::1", "::ffff:192.0.2.1", "64:ff9b::192.0.2.33"})
        QTest::newRow(good) << QByteArray(good) << true;
    for (const char* bad : {"10.0.0", "10.0.0.1.2", "10.0.0.256", "1.2.3.4x", "a.b.c.d", "1..2.3", "2600:::1",
                            "1:2:3:4:5:6:7:8:9", "12345::1", "1::2::3", "g::1", "1:2", "::ffff:999.0.0.1", "", "-1.2.3.4"})
        QTest::newRow(qPrintable(QStringLiteral("bad '%1'").arg(QLatin1String(bad)))) << QByteArray(bad) << false;
}

void TestParser::addresses()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, ok);
    const std::string_view s(text.constData(), static_cast<size_t>(text.size()));
    QCOMPARE(isIPv4(s) || isIPv6(s), ok);
}

void TestParser::addressValueKept_data()
{
    QTest::addColumn<QByteArray>("text");
    for (const char* a :
         {"10.0.1.15", "0.0.0.0", "255.255.255.255", "010.0.1.15", "10.0.1.015", "2001:db8::1", "::ffff:192.0.2.1", "-"})
        QTest::newRow(a) << QByteArray(a);
}

/// parseTokens keeps a canonical dotted quad's value (FlowRecord::ipv4, ints[]) so the store does
/// not parse it again; exactly for the texts parseIpv4 calls canonical (the oracle), never for
/// non-canonical IPv4 or IPv6 text, also in a record reused from one that had it; setText clears it.
void TestParser::addressValueKept()
{
    QFETCH(QByteArray, text);
    FlowRecord rec;
    QVERIFY(core::parseLine(kTgw1, tgwDefault(), rec).ok()); // srcaddr and dstaddr canonical: both kept
    QVERIFY(rec.ipv4.test(static_cast<size_t>(FieldId::SrcAddr)) && rec.ipv4.test(static_cast<size_t>(FieldId::DstAddr)));
    const QByteArray line = withField(kTgw1, 16, text);
    QVERIFY(core::parseLine(std::string_view(line.constData(), static_cast<size_t>(line.size())), tgwDefault(), rec).ok());
    bool canonical = false;
    const std::optional<uint32_t> v4 = parseIpv4(std::string_view(text.constData(), static_cast<size_t>(text.size())), canonical);
    const bool kept = v4 && canonical;
    QCOMPARE(rec.ipv4.test(static_cast<size_t>(FieldId::SrcAddr)), kept);
    if (kept) QCOMPARE(rec.integer(FieldId::SrcAddr), int64_t(*v4));
    QCOMPARE(rec.has(FieldId::SrcAddr), text != "-");
    QCOMPARE(rec.integer(FieldId::DstAddr), int64_t(0x0A010214)); // 10.1.2.20
    rec.setText(FieldId::DstAddr, "2001:db8::2");
    QVERIFY(!rec.ipv4.test(static_cast<size_t>(FieldId::DstAddr)));
}

void TestParser::formatString_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QStringList>("tokens");
    QTest::addColumn<QString>("error");
    QTest::newRow("${} form") << "${version} ${vpc-id} ${srcaddr}" << QStringList{"version", "vpc-id", "srcaddr"} << "";
    QTest::newRow("plain") << "version vpc-id  srcaddr" << QStringList{"version", "vpc-id", "srcaddr"} << "";
    QTest::newRow("underscores") << "tgw_attachment_id bytes" << QStringList{"tgw-attachment-id", "bytes"} << "";
    QTest::newRow("unknown kept") << "${version} ${future-thing}" << QStringList{"version", "future-thing"} << "";
    QTest::newRow("empty") << "   " << QStringList{} << "format: empty format string";
    QTest::newRow("broken ${") << "${version ${srcaddr}" << QStringList{} << "format: '${version' is not a field name";
}

void TestParser::formatString()
{
    QFETCH(QString, format);
    QFETCH(QStringList, tokens);
    QFETCH(QString, error);
    const auto r = parseFormatString(format);
    QCOMPARE(r.ok(), error.isEmpty());
    if (r.ok()) QCOMPARE(r.value(), tokens);
    else QCOMPARE(r.error().message, error);
}

QTEST_GUILESS_MAIN(TestParser)
#include "tst_parser.moc"
