// The filter language's text side: error positions and messages, time literals, quoting of
// values, and the helpers that build filter text (filterTerm, combineFilters, completions).
#include "core/query/filter.h"

#include <QTest>

using namespace core;

namespace {

constexpr qint64 T0 = 1795946400; // 2026-11-29T10:00:00Z

} // namespace

class TestFilterSyntax : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void errors_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing value") << "srcaddr ==" << 11 << "expected a value after '==' at 11";
        QTest::newRow("missing value mid") << "srcaddr == and port == 1" << 12 << "expected a value after '==' at 12, got 'and'";
        QTest::newRow("typo") << "scraddr == 10.0.0.1" << 1 << "unknown field 'scraddr'; did you mean 'srcaddr'?";
        QTest::newRow("typo hyphen") << "port == 1 and tgw-atachment-id == x" << 15
                                     << "unknown field 'tgw-atachment-id'; did you mean 'tgw-attachment-id'?";
        QTest::newRow("typo alias") << "atachment == x" << 1 << "unknown field 'atachment'; did you mean 'attachment'?";
        QTest::newRow("unknown no suggestion") << "zzzzzzzzzz == 1" << 1 << "unknown field 'zzzzzzzzzz' at 1";
        QTest::newRow("pasted 100k token: no suggestion, quoted name cut to 64")
            << QString(QString(100000, QLatin1Char('s')) + QStringLiteral(" == 1")) << 1
            << QString(QStringLiteral("unknown field '") + QString(64, QLatin1Char('s')) + QStringLiteral("...' at 1"));
        QTest::newRow("value in field position") << "10.0.0.1" << 1 << "unknown field '10.0.0.1' at 1";
        QTest::newRow("missing operator")
            << "srcport 80" << 9
            << "expected an operator (==, !=, <, <=, >, >=, in, contains, has) after 'srcport' at 9, got '80'";
        QTest::newRow("not a number") << "srcport == abc" << 12 << "expected a number for 'srcport' at 12, got 'abc'";
        QTest::newRow("bad protocol")
            << "proto == foo" << 10
            << "expected a protocol number or name (tcp, udp, icmp, icmpv6, esp, gre) for 'proto' at 10, got 'foo'";
        QTest::newRow("bad address")
            << "addr == 10.0.0.300" << 9
            << "expected an IP address or CIDR (10.0.0.0/16, 2600:1f18::/32) for 'addr' at 9, got '10.0.0.300'";
        QTest::newRow("bad prefix")
            << "addr == 10.0.0.0/33" << 9
            << "expected an IP address or CIDR (10.0.0.0/16, 2600:1f18::/32) for 'addr' at 9, got '10.0.0.0/33'";
        QTest::newRow("address order")
            << "srcaddr < 10.0.0.1" << 9
            << "'<' does not work on address field 'srcaddr' at 9; use a CIDR such as srcaddr == 10.0.0.0/8";
        QTest::newRow("bad time")
            << "start > yesterday" << 9
            << "expected a time (Unix seconds, 2026-11-29T10:00:00Z or \"2026-11-29 10:00\") for 'start' at 9, got 'yesterday'";
        QTest::newRow("bad flag")
            << "tcp_flags has SYN|XYZ" << 15
            << "expected TCP flags (FIN, SYN, RST, PSH, ACK, URG, joined by '|') for 'tcp-flags' at 15, got 'SYN|XYZ'";
        QTest::newRow("has on non-flags") << "srcport has SYN" << 9 << "'has' works on tcp-flags only, not on 'srcport' (at 9)";
        QTest::newRow("unclosed paren") << "(srcport == 1" << 14 << "expected ')' at 14 to close '(' at 1, got the end";
        QTest::newRow("stray paren") << "srcport == 1)" << 13 << "unexpected ')' at 13 without a matching '('";
        QTest::newRow("trailing token") << "srcport == 1 dstport == 2" << 14
                                        << "expected 'and', 'or' or the end at 14, got 'dstport'";
        QTest::newRow("dangling and") << "srcport == 1 and" << 17 << "expected a field name at 17";
        QTest::newRow("unterminated string")
            << "action == \"ACC" << 11 << "unterminated string starting at 11; expected a closing \"";
        QTest::newRow("bad escape") << "action == \"a\\qb\"" << 13
                                    << "unknown escape '\\q' at 13; use \\\\, \\\", \\', \\n, \\t or \\r";
        QTest::newRow("in without brace") << "port in 80" << 9 << "expected '{' after 'in' at 9, got '80'";
        QTest::newRow("in unclosed") << "port in {80, 443" << 17 << "expected ',' or '}' at 17, got the end";
        QTest::newRow("in empty") << "port in {}" << 10 << "expected a value after '{' at 10, got '}'";
        QTest::newRow("single &") << "port == 1 & port == 2" << 11 << "expected '&&' at 11";
        QTest::newRow("operator first") << "== 1" << 1 << "expected a field name at 1, got '=='";
        QTest::newRow("nested too deeply") << QString(300, QLatin1Char('(')) + QStringLiteral("port == 1")
                                                  + QString(300, QLatin1Char(')'))
                                           << 101 << "expression nested too deeply at 101 (more than 100 levels)";
        QTest::newRow("not chain too deep") << QString(2000, QLatin1Char('!')) + QStringLiteral("drops") << 101
                                            << "expression nested too deeply at 101 (more than 100 levels)";
    }

    void errors()
    {
        QFETCH(QString, expression);
        QFETCH(int, column);
        QFETCH(QString, message);
        const auto f = compileFilter(expression);
        QVERIFY(!f.ok());
        QCOMPARE(f.error().message, message);
        QCOMPARE(f.error().column, column);
        const auto v = validateFilter(expression);
        QVERIFY(v.has_value());
        QCOMPARE(v->column, column);
    }

    void timeLiteral_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("expected"); // -1 = invalid
        QTest::newRow("unix") << "1795946400" << T0;
        QTest::newRow("unix ms") << "1795946400123" << T0;
        QTest::newRow("iso Z") << "2026-11-29T10:00:00Z" << T0;
        QTest::newRow("iso no seconds") << "2026-11-29T10:00Z" << T0;
        QTest::newRow("iso fraction") << "2026-11-29T10:00:00.250Z" << T0;
        QTest::newRow("iso offset") << "2026-11-29T12:00:00+02:00" << T0;
        QTest::newRow("iso negative offset") << "2026-11-29T05:00:00-0500" << T0;
        QTest::newRow("space minutes") << "2026-11-29 10:00" << T0;
        QTest::newRow("space seconds") << "2026-11-29 10:00:30" << T0 + 30;
        QTest::newRow("date only") << "2026-11-29" << T0 - 36000;
        QTest::newRow("epoch") << "1970-01-01T00:00:00Z" << 0LL;
        QTest::newRow("bad month") << "2026-13-01 10:00" << -1LL;
        QTest::newRow("bad hour") << "2026-11-29 25:00" << -1LL;
        QTest::newRow("garbage") << "tomorrow" << -1LL;
        QTest::newRow("empty") << "" << -1LL;
    }

    void timeLiteral()
    {
        QFETCH(QString, text);
        QFETCH(qint64, expected);
        const auto t = parseTimeLiteral(text);
        if (expected < 0) {
            QVERIFY(!t.has_value());
        } else {
            QVERIFY(t.has_value());
            QCOMPARE(*t, expected);
        }
    }

    void quoteValue_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("quoted");
        QTest::newRow("address") << "10.0.0.1"
                                 << "10.0.0.1";
        QTest::newRow("ipv6") << "2600:1f18::1"
                              << "2600:1f18::1";
        QTest::newRow("id") << "tgw-attach-0abc"
                            << "tgw-attach-0abc";
        QTest::newRow("space") << "a b"
                               << "\"a b\"";
        QTest::newRow("quote") << "say \"hi\""
                               << "\"say \\\"hi\\\"\"";
        QTest::newRow("backslash") << "a\\b"
                                   << "\"a\\\\b\"";
        QTest::newRow("keyword") << "and"
                                 << "\"and\"";
        QTest::newRow("empty") << ""
                               << "\"\"";
        QTest::newRow("operator chars") << "a==b"
                                        << "\"a==b\"";
    }

    void quoteValue()
    {
        QFETCH(QString, value);
        QFETCH(QString, quoted);
        QCOMPARE(quoteFilterValue(value), quoted);
        // Round trip: the quoted value compiles back to the same parameter.
        const auto f = compileFilter(QStringLiteral("action == ") + quoted);
        QVERIFY2(f.ok(), qPrintable(f.ok() ? QString() : f.error().toString()));
        QCOMPARE(f->params.value(0).toString(), value);
    }

    void helpers()
    {
        QCOMPARE(filterTerm(QStringLiteral("srcaddr"), QStringLiteral("10.0.0.1")), QStringLiteral("srcaddr == 10.0.0.1"));
        QCOMPARE(filterTerm(QStringLiteral("action"), QStringLiteral("ACCEPT"), true), QStringLiteral("action != ACCEPT"));
        QCOMPARE(filterTerm(QStringLiteral("ecs_service_name"), QStringLiteral("a b")),
                 QStringLiteral("ecs_service_name == \"a b\""));
        QCOMPARE(filterTerm(QStringLiteral("action"), QString()), QStringLiteral("not action"));
        QCOMPARE(filterTerm(QStringLiteral("action"), QString(), true), QStringLiteral("action"));
        QCOMPARE(combineFilters(QString(), QStringLiteral("a == 1")), QStringLiteral("a == 1"));
        QCOMPARE(combineFilters(QStringLiteral("port == 1"), QString()), QStringLiteral("port == 1"));
        QCOMPARE(combineFilters(QStringLiteral("port == 1"), QStringLiteral("port == 2")),
                 QStringLiteral("port == 1 and port == 2"));
        QCOMPARE(combineFilters(QStringLiteral("port == 1 or port == 2"), QStringLiteral("action == ACCEPT")),
                 QStringLiteral("(port == 1 or port == 2) and action == ACCEPT"));
        QCOMPARE(combineFilters(QStringLiteral("port == 1 or port == 2"), QStringLiteral("port == 3"), true),
                 QStringLiteral("port == 1 or port == 2 or port == 3"));
        QCOMPARE(combineFilters(QStringLiteral("port == 1 and port == 2"), QStringLiteral("port == 3"), true),
                 QStringLiteral("(port == 1 and port == 2) or port == 3"));
        // Every combination stays valid filter text.
        QVERIFY(!validateFilter(combineFilters(QStringLiteral("port == 1 or port == 2"), QStringLiteral("not drops"))));
        const QStringList completions = filterCompletions();
        for (const char* expected : {"srcaddr", "tgw-attachment-id", "tgw_attachment_id", "addr", "attachment", "drops", "proto",
                                     "and", "contains", "has"})
            QVERIFY2(completions.contains(QLatin1String(expected)), expected);
    }
};

QTEST_GUILESS_MAIN(TestFilterSyntax)
#include "tst_filter_syntax.moc"
