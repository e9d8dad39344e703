// CloudWatch Logs Insights queries of core/remote: golden filter lines per operator and golden
// queries per view, written by hand from AWS's pages "CloudWatch Logs Insights language query
// syntax" (CWL_QuerySyntax: parse with '*' globs and `as`, filter, fields, stats ... by,
// bin(), sort, limit, '#' comment lines), "Operations and functions"
// (CWL_QuerySyntax-operations-functions: = != < <= > >=, and/or/not, `in [...]`, `like /re/`,
// ispresent(), isIpv4InSubnet(), isIpv6InSubnet(), sum(), count(*), min(), max()) and
// "Supported logs and discovered fields" (CWL_AnalyzeLogData-discoverable-fields: the VPC
// default fields accountId, interfaceId, srcAddr, dstAddr, srcPort, dstPort, protocol,
// packets, bytes, startTime, endTime, action, logStatus, version). The parse pattern is
// checked against the format for every field count.
#include "core/model/fields.h"
#include "core/remote/remote.h"

#include <QRegularExpression>
#include <QTest>

using namespace core;

namespace {

template <class T> QString errorOf(const Result<T>& r)
{
    return r.ok() ? QString() : r.error().toString();
}

NameEntry named(const QString& id, const QString& name)
{
    NameEntry e;
    e.id = id;
    e.name = name;
    return e;
}

const QString kA = QStringLiteral("tgw-attach-0aaa00000000000a1");
const QString kC = QStringLiteral("tgw-attach-0ccc00000000000c3");

QString flagsIn(int bits)
{
    QStringList v;
    for (int i = 0; i < 256; ++i)
        if ((i & bits) == bits) v << QString::number(i);
    return v.join(QStringLiteral(", "));
}

/// The `| filter ...` line of a query, or "" when it has none.
QString filterLine(const QString& query)
{
    for (const QString& l : query.split(QLatin1Char('\n')))
        if (l.startsWith(QLatin1String("| filter ")) && !l.contains(QLatin1String("!= \"-\" or"))) return l.mid(9);
    return {};
}

} // namespace

class TestRemoteInsights : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void filterPerOperator_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("expected");
        QTest::newRow("==") << "tgw"
                            << "dstport == 443"
                            << "dstport = 443";
        QTest::newRow("=") << "tgw"
                           << "dstport = 443"
                           << "dstport = 443";
        QTest::newRow("!=") << "tgw"
                            << "dstport != 443"
                            << "not (dstport = 443)";
        QTest::newRow("<") << "tgw"
                           << "bytes < 10"
                           << "bytes < 10";
        QTest::newRow("<=") << "tgw"
                            << "bytes <= 10"
                            << "bytes <= 10";
        QTest::newRow(">") << "tgw"
                           << "bytes > 10"
                           << "bytes > 10";
        QTest::newRow(">=") << "tgw"
                            << "bytes >= 10"
                            << "bytes >= 10";
        QTest::newRow("in") << "tgw"
                            << "port in {22, 3389}"
                            << "(srcport in [22, 3389] or dstport in [22, 3389])";
        QTest::newRow("protocol name") << "tgw"
                                       << "proto in {tcp, udp}"
                                       << "protocol in [6, 17]";
        QTest::newRow("text") << "tgw"
                              << "flow_direction == egress"
                              << "flow_direction = \"egress\"";
        QTest::newRow("text escapes") << "tgw"
                                      << "region == \"a\\\"b\\\\c\""
                                      << "region = \"a\\\"b\\\\c\"";
        QTest::newRow("contains") << "tgw"
                                  << "attachment contains 0aB.c"
                                  << "(tgw_attachment_id like /(?i)0aB\\.c/ or tgw_pair_attachment_id like /(?i)0aB\\.c/)";
        QTest::newRow("has") << "tgw"
                             << "tcp_flags has SYN|ACK"
                             << "tcp_flags in [" + flagsIn(18) + "]";
        QTest::newRow("flags ==") << "tgw"
                                  << "tcp_flags == SYN"
                                  << "tcp_flags = 2";
        QTest::newRow("present") << "tgw"
                                 << "pkt_src_aws_service"
                                 << "(ispresent(pkt_src_aws_service) and pkt_src_aws_service != \"-\")";
        QTest::newRow("not") << "tgw"
                             << "not tcp_flags"
                             << "not (ispresent(tcp_flags) and tcp_flags != \"-\")";
        QTest::newRow("and or") << "tgw"
                                << "dstport == 443 and bytes > 1 or proto == udp"
                                << "((dstport = 443 and bytes > 1) or protocol = 17)";
        QTest::newRow("CIDR v4") << "tgw"
                                 << "srcaddr == 10.0.0.0/8"
                                 << "isIpv4InSubnet(srcaddr, \"10.0.0.0/8\")";
        QTest::newRow("CIDR host bits") << "tgw"
                                        << "srcaddr == 10.0.1.7/24"
                                        << "isIpv4InSubnet(srcaddr, \"10.0.1.0/24\")";
        QTest::newRow("CIDR v6 alias")
            << "tgw"
            << "addr == 2600:1f18::/32"
            << "(isIpv6InSubnet(srcaddr, \"2600:1f18::/32\") or isIpv6InSubnet(dstaddr, \"2600:1f18::/32\"))";
        QTest::newRow("host v4") << "tgw"
                                 << "dstaddr == 10.0.0.5"
                                 << "dstaddr = \"10.0.0.5\"";
        QTest::newRow("addr in") << "tgw"
                                 << "srcaddr in {10.0.0.0/8, 10.9.9.9}"
                                 << "(isIpv4InSubnet(srcaddr, \"10.0.0.0/8\") or srcaddr = \"10.9.9.9\")";
        QTest::newRow("time") << "tgw"
                              << "start >= \"2025-12-01 10:00\""
                              << "start >= 1764583200";
        QTest::newRow("drops") << "tgw"
                               << "drops"
                               << "(packets_lost_no_route > 0 or packets_lost_blackhole > 0 or packets_lost_mtu_exceeded > 0 or "
                                  "packets_lost_ttl_expired > 0)";
        QTest::newRow("drops >") << "tgw"
                                 << "drops > 5"
                                 << "(packets_lost_no_route + packets_lost_blackhole + packets_lost_mtu_exceeded + "
                                    "packets_lost_ttl_expired) > 5";
        QTest::newRow("name") << "tgw"
                              << "tgw_attachment_id == \"VPC A\""
                              << "tgw_attachment_id in [\"VPC A\", \"" + kA + "\", \"" + kC + "\"]";
        QTest::newRow("id-shaped value is no name") << "tgw"
                                                    << "tgw_attachment_id == " + kA << "tgw_attachment_id = \"" + kA + "\"";
        QTest::newRow("VPC discovered ==") << "vpc"
                                           << "dstport == 443"
                                           << "dstPort = 443";
        QTest::newRow("VPC discovered CIDR")
            << "vpc"
            << "addr == 10.0.0.0/8"
            << "(isIpv4InSubnet(srcAddr, \"10.0.0.0/8\") or isIpv4InSubnet(dstAddr, \"10.0.0.0/8\"))";
        QTest::newRow("VPC discovered time") << "vpc"
                                             << "end < 1764583200"
                                             << "endTime < 1764583200";
        QTest::newRow("VPC discovered text") << "vpc"
                                             << "action == REJECT"
                                             << "action = \"REJECT\"";
        QTest::newRow("custom format") << "${version} ${vpc-id} ${srcaddr} ${dstport}"
                                       << "vpc == vpc-0aaa1111"
                                       << "vpc_id = \"vpc-0aaa1111\"";
    }

    void filterPerOperator()
    {
        QFETCH(QString, format);
        QFETCH(QString, filter);
        QFETCH(QString, expected);
        NameDirectory names;
        names.add(named(kA, QStringLiteral("VPC A")));
        names.add(named(kC, QStringLiteral("VPC A")));
        RemoteQuery q;
        q.view = RemoteView::Records;
        q.fields = remoteFormatFields(format).value();
        q.filter = filter;
        q.names = &names;
        auto r = insightsQuery(q);
        QVERIFY2(r.ok(), qPrintable(errorOf(r)));
        QCOMPARE(filterLine(r.value()), expected);
        if (filter.contains(QLatin1String("VPC A")))
            QVERIFY2(r->contains(QStringLiteral("# name (resolved to ids here): \"VPC A\" = ") + kA), qPrintable(r.value()));
    }

    void views_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("view");
        QTest::addColumn<QString>("expected");
        const QString tgwParse = QStringLiteral(
            "parse @message \"* * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * *\" as version, "
            "resource_type, "
            "account_id, tgw_id, tgw_attachment_id, tgw_src_vpc_account_id, tgw_dst_vpc_account_id, tgw_src_vpc_id, "
            "tgw_dst_vpc_id, "
            "tgw_src_subnet_id, tgw_dst_subnet_id, tgw_src_eni, tgw_dst_eni, tgw_src_az_id, tgw_dst_az_id, "
            "tgw_pair_attachment_id, "
            "srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, start, end, log_status, type, packets_lost_no_route, "
            "packets_lost_blackhole, packets_lost_mtu_exceeded, packets_lost_ttl_expired, tcp_flags, region, flow_direction, "
            "pkt_src_aws_service, pkt_dst_aws_service");
        const QString twin = QStringLiteral("# not expressible here: twin de-duplication (a flow logged at both attachments is "
                                            "counted at each); rows are split by "
                                            "flow_direction and the app keeps the larger side per row when it opens the result");
        const QString lost =
            QStringLiteral("sum(packets_lost_no_route) as packets_lost_no_route, sum(packets_lost_blackhole) as "
                           "packets_lost_blackhole, sum(packets_lost_mtu_exceeded) as packets_lost_mtu_exceeded, "
                           "sum(packets_lost_ttl_expired) as packets_lost_ttl_expired");
        QTest::newRow("TGW edges") << "tgw"
                                   << "edges"
                                   << QStringList{"# Flowlog Explorer: edges by attachment",
                                                  "# filter: dstport == 443",
                                                  twin,
                                                  tgwParse,
                                                  "| filter dstport = 443",
                                                  "| filter packets != \"-\" or bytes != \"-\"",
                                                  "| filter ispresent(tgw_attachment_id) and tgw_attachment_id != \"-\"",
                                                  "| stats count(*) as flows, sum(packets) as packets, sum(bytes) as bytes, "
                                                      + lost + " by tgw_attachment_id, tgw_pair_attachment_id, flow_direction"}
                                          .join(QLatin1Char('\n'));
        QTest::newRow("TGW series")
            << "tgw"
            << "series"
            << QStringList{"# Flowlog Explorer: series",
                           "# filter: dstport == 443",
                           twin,
                           tgwParse,
                           "| filter dstport = 443",
                           "| filter packets != \"-\" or bytes != \"-\"",
                           "# bins by the event time (@timestamp), which CloudWatch Logs sets from the record's start",
                           "| stats count(*) as flows, sum(packets) as packets, sum(bytes) as bytes, " + lost
                               + " by bin(300s), flow_direction"}
                   .join(QLatin1Char('\n'));
        QTest::newRow("TGW drops") << "tgw"
                                   << "drops"
                                   << QStringList{"# Flowlog Explorer: drops",
                                                  "# filter: dstport == 443",
                                                  twin,
                                                  tgwParse,
                                                  "| filter dstport = 443",
                                                  "| filter packets_lost_no_route > 0 or packets_lost_blackhole > 0 or "
                                                  "packets_lost_mtu_exceeded > 0 or packets_lost_ttl_expired > 0",
                                                  "| stats " + lost
                                                      + ", count(*) as records, min(start) as first_seen, max(end) as "
                                                        "last_seen by tgw_attachment_id, tgw_pair_attachment_id, flow_direction"}
                                          .join(QLatin1Char('\n'));
        QTest::newRow("VPC records") << "vpc"
                                     << "records"
                                     << QStringList{"# Flowlog Explorer: records", "# filter: dstport == 443",
                                                    "| filter dstPort = 443",      "| fields srcAddr, dstAddr, bytes",
                                                    "| sort bytes desc",           "| limit 100"}
                                            .join(QLatin1Char('\n'));
        QTest::newRow("VPC drops")
            << "vpc"
            << "drops"
            << QStringList{"# Flowlog Explorer: drops", "# filter: dstport == 443", "| filter dstPort = 443",
                           "| filter action = \"REJECT\"",
                           "| stats sum(packets) as rejected_packets, count(*) as records, min(startTime) as "
                           "first_seen, max(endTime) as last_seen by interfaceId"}
                   .join(QLatin1Char('\n'));
        QTest::newRow("VPC edges by vpc (custom)")
            << "${version} ${vpc-id} ${srcaddr} ${dstaddr} ${packets} ${bytes} ${start} ${end}"
            << "edges"
            << QStringList{"# Flowlog Explorer: edges by vpc",
                           "# filter: dstport == 443",
                           "parse @message \"* * * * * * * *\" as version, vpc_id, srcaddr, dstaddr, packets, bytes, start, end",
                           "| filter dstport = 443",
                           "| filter packets != \"-\" or bytes != \"-\"",
                           "| fields vpc_id as src, vpc_id as dst, packets, bytes, packets_lost_no_route, "
                           "packets_lost_blackhole, "
                           "packets_lost_mtu_exceeded, packets_lost_ttl_expired",
                           "| stats count(*) as flows, sum(packets) as packets, sum(bytes) as bytes, " + lost + " by src, dst"}
                   .join(QLatin1Char('\n'));
    }

    void views()
    {
        QFETCH(QString, format);
        QFETCH(QString, view);
        QFETCH(QString, expected);
        RemoteQuery q;
        q.view = *remoteViewFromString(view);
        q.by = format.contains(QLatin1String("vpc-id")) ? EdgeDimension::Vpc : EdgeDimension::Attachment;
        q.fields = remoteFormatFields(format).value();
        q.filter = QStringLiteral("dstport == 443");
        q.columns = {QStringLiteral("srcaddr"), QStringLiteral("dstaddr"), QStringLiteral("bytes")};
        q.sort = {{QStringLiteral("bytes"), true}};
        q.limit = 100;
        auto r = insightsQuery(q);
        QVERIFY2(r.ok(), qPrintable(errorOf(r)));
        QCOMPARE(r.value(), expected);
    }

    void parsePatternForEveryFieldCount()
    {
        // Every prefix of the field registry as a format: the pattern has one '*' per field,
        // the names are the fields in order, and the glob splits a record of that many tokens
        // into exactly those tokens.
        const auto all = allFields();
        for (size_t n = 1; n <= all.size(); ++n) {
            QStringList fields;
            QStringList tokens;
            for (size_t i = 0; i < n; ++i) {
                fields << QString::fromLatin1(all[i].column);
                tokens << QStringLiteral("v%1-x").arg(i);
            }
            const QString parse = insightsParseCommand(fields);
            if (fields == remoteFormatFields(QStringLiteral("vpc")).value()) {
                QVERIFY2(parse.isEmpty(), "the VPC default is discovered, not parsed");
                continue;
            }
            static const QRegularExpression re(QStringLiteral("^parse @message \"([* ]+)\" as (.+)$"));
            const auto m = re.match(parse);
            QVERIFY2(m.hasMatch(), qPrintable(parse));
            const QStringList stars = m.captured(1).split(QLatin1Char(' '));
            QCOMPARE(stars.size(), static_cast<qsizetype>(n));
            QCOMPARE(m.captured(2).split(QStringLiteral(", ")), fields);
            QString glob = QStringLiteral("^");
            for (qsizetype i = 0; i < stars.size(); ++i) glob += (i ? QStringLiteral(" ") : QString()) + QStringLiteral("(.*?)");
            const auto g = QRegularExpression(glob + QStringLiteral("$")).match(tokens.join(QLatin1Char(' ')));
            QVERIFY(g.hasMatch());
            for (qsizetype i = 0; i < tokens.size(); ++i) QCOMPARE(g.captured(static_cast<int>(i + 1)), tokens[i]);
        }
        QCOMPARE(insightsParseCommand(remoteFormatFields(QStringLiteral("tgw")).value()).count(QLatin1Char('*')), 36);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("message");
        QTest::newRow("bad value") << "dstport == abc"
                                   << "expected a number for 'dstport' at 12, got 'abc'";
        QTest::newRow("address order") << "srcaddr > 10.0.0.1"
                                       << "does not work on address field";
        QTest::newRow("has on a port") << "dstport has SYN"
                                       << "'has' works on tcp-flags only";
    }

    void errors()
    {
        QFETCH(QString, filter);
        QFETCH(QString, message);
        RemoteQuery q;
        q.filter = filter;
        auto r = insightsQuery(q);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(message), qPrintable(errorOf(r)));
    }
};

QTEST_GUILESS_MAIN(TestRemoteInsights)
#include "tst_remote_insights.moc"
