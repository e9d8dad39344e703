// The filter language over data: match counts on a small hand-made `flows` table
// (tests/filtertestutil.h) and on the real store, random expressions that must either fail with
// a position or compile to SQL SQLite accepts, and one filter compiled twice into one statement.
// The SQL itself: tst_filter_sql.cpp; errors and text helpers: tst_filter_syntax.cpp; names:
// tst_filter_names.cpp.
#include "core/ingest/loader.h"
#include "core/query/filter.h"
#include "core/store/store.h"

#include <QFile>
#include <QTest>

#include "tests/filtertestutil.h"
#include "tests/randomfilters.h"
#include "tests/testpaths.h"

using namespace core;
using namespace filtertest;

class TestFilter : public QObject {
    Q_OBJECT

private:
    FixtureDb m_db;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_db.open()); }

    void matches_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("empty") << "" << 7LL;
        QTest::newRow("whitespace") << "   " << 7LL;
        QTest::newRow("srcaddr equals") << "srcaddr == 10.0.1.5" << 2LL;
        QTest::newRow("single =") << "srcaddr = 10.0.1.5" << 2LL;
        QTest::newRow("addr alias") << "addr == 10.0.1.5" << 4LL;
        QTest::newRow("addr != means neither") << "addr != 10.0.1.5" << 3LL;
        QTest::newRow("cidr /16") << "srcaddr == 10.0.0.0/16" << 4LL;
        QTest::newRow("cidr host bits set") << "srcaddr == 10.0.1.77/24" << 3LL;
        QTest::newRow("cidr /0 matches every IPv4") << "srcaddr == 0.0.0.0/0" << 5LL;
        QTest::newRow("cidr not") << "not dstaddr == 10.0.0.0/8" << 3LL;
        QTest::newRow("cidr !=") << "dstaddr != 10.0.0.0/8" << 3LL;
        QTest::newRow("ipv6 cidr") << "addr == 2600:1f18::/32" << 1LL;
        QTest::newRow("ipv6 cidr narrow") << "srcaddr == 2600:1f18:abcd::/48" << 1LL;
        QTest::newRow("ipv6 cidr miss") << "dstaddr == 2600:1f18:abcd::/48" << 0LL;
        QTest::newRow("ipv6 host other spelling") << "srcaddr == 2600:1f18:abcd:0:0:0:0:1" << 1LL;
        QTest::newRow("ipv4 not in ipv6 net") << "addr == ::/0" << 1LL;
        QTest::newRow("addr in list with cidr") << "addr in {192.168.0.0/16, 203.0.113.9}" << 2LL;
        QTest::newRow("port alias") << "port == 443" << 3LL;
        QTest::newRow("port in") << "port in {53, 80}" << 2LL;
        QTest::newRow("dstport range") << "dstport >= 80 and dstport < 1024" << 3LL;
        QTest::newRow("port >") << "port > 40000" << 4LL;
        QTest::newRow("proto name") << "proto == tcp" << 4LL;
        QTest::newRow("protocol name upper") << "protocol == UDP" << 1LL;
        QTest::newRow("proto icmp") << "proto == icmp" << 1LL;
        QTest::newRow("proto number") << "protocol == 17" << 1LL;
        QTest::newRow("proto in names") << "proto in {udp, icmp}" << 2LL;
        QTest::newRow("attachment alias") << "attachment == tgw-attach-aaa" << 3LL;
        QTest::newRow("attachment !=") << "attachment != tgw-attach-aaa" << 4LL;
        QTest::newRow("hyphen field") << "tgw-attachment-id == tgw-attach-aaa" << 2LL;
        QTest::newRow("underscore field") << "tgw_attachment_id == tgw-attach-bbb" << 1LL;
        QTest::newRow("field name case") << "TGW-Attachment-Id == tgw-attach-bbb" << 1LL;
        QTest::newRow("vpc alias") << "vpc == vpc-111" << 3LL;
        QTest::newRow("subnet alias") << "subnet == subnet-2" << 2LL;
        QTest::newRow("drops") << "drops > 0" << 2LL;
        QTest::newRow("drops bare") << "drops" << 2LL;
        QTest::newRow("drops == 0 counts NULL as 0") << "drops == 0" << 5LL;
        QTest::newRow("drops >= 5") << "drops >= 5" << 1LL;
        QTest::newRow("tcp flags has SYN") << "tcp_flags has SYN" << 4LL;
        QTest::newRow("tcp flags has SYN|ACK") << "tcp-flags has SYN|ACK" << 3LL;
        QTest::newRow("tcp flags has FIN") << "tcp_flags has fin" << 1LL;
        QTest::newRow("tcp flags == SYN|ACK") << "tcp_flags == SYN|ACK" << 2LL;
        QTest::newRow("flags alias number") << "flags == 2" << 1LL;
        QTest::newRow("not has") << "not tcp_flags has ACK" << 4LL;
        QTest::newRow("start unix") << "start >= 1795946460" << 5LL;
        QTest::newRow("start iso Z") << "start >= 2026-11-29T11:00:00Z" << 2LL;
        QTest::newRow("start quoted space") << "start < \"2026-11-29 10:01\"" << 2LL;
        QTest::newRow("start quoted seconds") << "start == \"2026-11-29 10:02:00\"" << 1LL;
        QTest::newRow("start ms") << "start == 1795946400000" << 2LL;
        QTest::newRow("end window") << "end > 2026-11-29T10:00:00Z and end <= 2026-11-29T10:03:00Z" << 4LL;
        QTest::newRow("and") << "srcaddr == 10.0.1.5 and flow_direction == egress" << 1LL;
        QTest::newRow("&&") << "srcaddr == 10.0.1.5 && flow-direction == ingress" << 1LL;
        QTest::newRow("or") << "action == REJECT or log_status == NODATA" << 2LL;
        QTest::newRow("||") << "action == REJECT || log_status == NODATA" << 2LL;
        QTest::newRow("! paren") << "!(action == REJECT || log_status == NODATA)" << 5LL;
        QTest::newRow("precedence and over or") << "action == REJECT or proto == tcp and bytes > 1000" << 2LL;
        QTest::newRow("parentheses") << "(action == REJECT or proto == tcp) and bytes > 1000" << 1LL;
        QTest::newRow("not NULL complements") << "not action == ACCEPT" << 6LL;
        QTest::newRow("!= includes NULL") << "action != ACCEPT" << 6LL;
        QTest::newRow("double not") << "not not action == ACCEPT" << 1LL;
        QTest::newRow("presence") << "action" << 2LL;
        QTest::newRow("absence") << "not tcp_flags" << 3LL;
        QTest::newRow("contains") << "attachment contains attach-a" << 3LL;
        QTest::newRow("contains case-insensitive") << "resource_type contains transit" << 3LL;
        QTest::newRow("contains percent literal") << "ecs-service-name contains \"100%_\"" << 1LL;
        QTest::newRow("contains percent no wildcard") << "ecs-service-name contains \"1%0\"" << 0LL;
        QTest::newRow("contains underscore literal") << "interface_id contains \"_\"" << 0LL;
        QTest::newRow("contains backslash literal") << "interface_id contains \"\\\\\"" << 0LL;
        QTest::newRow("contains number column") << "port contains 44" << 3LL;
        QTest::newRow("contains quote") << "ecs_service_name contains \"web's\"" << 1LL;
        QTest::newRow("single-quoted string") << "ecs_service_name == 'web\\'s 100%_svc'" << 1LL;
        QTest::newRow("text equality is exact") << "action == accept" << 0LL;
        QTest::newRow("text in") << "action in {ACCEPT, REJECT}" << 2LL;
        QTest::newRow("bytes") << "bytes > 1000" << 1LL;
        QTest::newRow("negative number") << "srcport > -1" << 6LL;
        QTest::newRow("account alias") << "account == 123456789012" << 2LL;
        QTest::newRow("eni alias") << "eni == eni-0001" << 1LL;
        QTest::newRow("line pseudo-field") << "line <= 2" << 2LL;
        QTest::newRow("deep but allowed nesting")
            << QString(50, QLatin1Char('(')) + QStringLiteral("port == 443") + QString(50, QLatin1Char(')')) << 3LL;
        QTest::newRow("many terms") << [] {
            QStringList t;
            for (int i = 0; i < 500; ++i) t << QStringLiteral("srcport == %1").arg(i + 1);
            return t.join(QStringLiteral(" or "));
        }() << 1LL;
        // Longer than SQLite's expression depth limit (1000) if nested one level per term.
        QTest::newRow("3000 alias terms") << QStringList(3000, QStringLiteral("az")).join(QStringLiteral("||")) << 0LL;
        QTest::newRow("1000 name-able alias terms")
            << QStringList(1000, QStringLiteral("attachment == \"VPC A\"")).join(QStringLiteral(" || ")) << 0LL;
        QTest::newRow("in with 1000 values on an id field") << [] {
            QStringList v;
            for (int i = 0; i < 1000; ++i) v << QStringLiteral("\"name %1\"").arg(i);
            return QStringLiteral("vpc in {%1, vpc-333}").arg(v.join(QStringLiteral(", ")));
        }() << 1LL;
        QTest::newRow("3000 and terms") << QStringList(3000, QStringLiteral("!srcport")).join(QStringLiteral("&&")) << 1LL;
        QTest::newRow("injection") << "srcaddr contains \"x' OR 1=1 --\"" << 0LL;
        QTest::newRow("injection text eq") << "action == \"x' OR '1'='1\"" << 0LL;
        QTest::newRow("injection quotes") << "action == \"\\\"); DROP TABLE flows; --\"" << 0LL;
    }

    void matches()
    {
        QFETCH(QString, expression);
        QFETCH(qint64, expected);
        const auto f = compileFilter(expression, QStringLiteral("t"));
        QVERIFY2(f.ok(), qPrintable(f.ok() ? QString() : f.error().toString()));
        QCOMPARE(m_db.count(f.value()), expected);
        // Unqualified and renumbered forms mean the same.
        const auto g = compileFilter(expression, {}, 1);
        QVERIFY(g.ok());
        QCOMPARE(m_db.count(g.value()), expected);
        QVERIFY(validateFilter(expression) == std::nullopt);
    }

    void matchesOnStore_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("all") << "" << 5LL;
        QTest::newRow("cidr alias") << "addr == 10.0.0.0/16" << 3LL;
        QTest::newRow("ipv6 cidr") << "addr == 2600:1f18::/32" << 1LL;
        QTest::newRow("host") << "dstaddr == 192.168.5.5" << 1LL;
        QTest::newRow("attachment") << "attachment == tgw-attach-aaa" << 3LL;
        QTest::newRow("drops") << "drops" << 2LL;
        QTest::newRow("proto") << "proto == udp" << 1LL;
        QTest::newRow("has") << "tcp_flags has SYN" << 3LL;
        QTest::newRow("nodata") << "log_status == NODATA" << 1LL;
        QTest::newRow("time") << "start >= \"2026-11-29 10:01\"" << 3LL;
        QTest::newRow("vpc") << "vpc == vpc-0aaa" << 3LL;
        QTest::newRow("contains formula text") << "pkt_src_aws_service contains \"=1\"" << 1LL;
        QTest::newRow("absent address") << "not srcaddr" << 1LL;
        QTest::newRow("!= with NULL") << "flow_direction != ingress" << 2LL;
    }

    void matchesOnStore()
    {
        // The same language over the real store (the `flows` view, loaded through the loader).
        QFETCH(QString, expression);
        QFETCH(qint64, expected);
        static std::unique_ptr<Store> store = [] {
            auto created = Store::create();
            if (!created.ok()) return std::unique_ptr<Store>();
            QFile f(testpaths::testData() + QStringLiteral("/cli/tgw.log"));
            if (f.open(QIODevice::ReadOnly)) loadBuffer(*created.value(), f.readAll(), QStringLiteral("tgw.log"), LoadOptions{});
            return std::move(created.value());
        }();
        QVERIFY(store);
        QCOMPARE(store->recordCount(), 5LL);
        const auto f = compileFilter(expression, QStringLiteral("f"), 3);
        QVERIFY2(f.ok(), qPrintable(f.ok() ? QString() : f.error().toString()));
        auto st = store->prepare(QStringLiteral("SELECT ?1 + ?2, count(*) FROM flows AS f WHERE ") + f->where);
        QVERIFY2(st.ok(), qPrintable(st.ok() ? QString() : st.error().message));
        st->bind(1, 0);
        st->bind(2, 0);
        for (int i = 0; i < f->params.size(); ++i) st->bind(3 + i, f->params[i]);
        QVERIFY(st->next());
        QCOMPARE(st->int64(1), expected);
    }

    void randomExpressionsNeverBreakSql()
    {
        // Property: any expression either fails with a positioned error or compiles to SQL that
        // SQLite accepts. Deterministic (fixed seed) random mixes of valid and hostile fragments.
        int compiled = 0;
        for (const QString& expression : randomFilterExpressions()) {
            const auto f = compileFilter(expression, QStringLiteral("t"), 1);
            if (!f.ok()) {
                QVERIFY2(f.error().column >= 1 && f.error().column <= expression.size() + 1, qPrintable(expression));
                QVERIFY2(!f.error().message.isEmpty(), qPrintable(expression));
                continue;
            }
            ++compiled;
            QVERIFY2(m_db.count(f.value()) >= 0, qPrintable(expression));
        }
        QVERIFY(compiled > 100);
    }

    void combinedTwiceIntoOneStatement()
    {
        // Aggregations compile the same filter twice into one statement with different aliases.
        const QString e = QStringLiteral("attachment == tgw-attach-aaa and port == 443");
        const auto a = compileFilter(e, QStringLiteral("a"), 1);
        QVERIFY(a.ok());
        const auto b = compileFilter(e, QStringLiteral("b"), 1 + static_cast<int>(a->params.size()));
        QVERIFY(b.ok());
        FilterSql both;
        both.where = QStringLiteral("EXISTS (SELECT 1 FROM flows AS a WHERE a.id = t.id AND %1) AND EXISTS "
                                    "(SELECT 1 FROM flows AS b WHERE b.id = t.id AND %2)")
                         .arg(a->where, b->where);
        both.params = a->params + b->params;
        QCOMPARE(m_db.count(both), 2LL);
    }
};

QTEST_GUILESS_MAIN(TestFilter)
#include "tst_filter.moc"
