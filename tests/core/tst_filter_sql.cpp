// The filter language's SQL, checked by what it does rather than how it is spelled: each
// compiled filter runs on SQLite and must select the same records as a hand-written oracle
// query; table aliases, parameter numbering and parameter sharing are checked by running the
// SQL where a mistake would fail or change the result. Plus injection safety and the
// flowlog_in_cidr() SQL function.
#include "core/query/filter.h"

#include <QRegularExpression>
#include <QTest>
#include <sqlite3.h>

#include "tests/filtertestutil.h"

using namespace core;
using namespace filtertest;

class TestFilterSql : public QObject {
    Q_OBJECT

private:
    FixtureDb m_db;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_db.open()); }

    void sqlSelectsLikeOracle_data()
    {
        // oracle: plain SQL over `flows` with literal values and names resolved by hand (see
        // fixtureRows() and fixtureNames(); names are loaded for every row).
        // ids: what both must select, so that no row passes by selecting nothing by mistake.
        // params: how many values the filter binds (a value used by several columns is bound once).
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("alias");
        QTest::addColumn<int>("firstParam");
        QTest::addColumn<QString>("oracle");
        QTest::addColumn<QString>("ids");
        QTest::addColumn<int>("params");
        QTest::newRow("empty") << ""
                               << "" << 1 << "1"
                               << "1 2 3 4 5 6 7" << 0;
        QTest::newRow("eq") << "srcport == 443"
                            << "" << 1 << "srcport = 443"
                            << "7" << 1;
        QTest::newRow("alias qualified") << "srcport == 443"
                                         << "t" << 1 << "srcport = 443"
                                         << "7" << 1;
        QTest::newRow("first param") << "srcport == 443 and action == ACCEPT"
                                     << "f" << 5 << "srcport = 443 AND action = 'ACCEPT'"
                                     << "7" << 2;
        QTest::newRow("alias columns share one param") << "port == 443"
                                                       << "" << 1 << "srcport = 443 OR dstport = 443"
                                                       << "1 2 7" << 1;
        QTest::newRow("ne negates, NULL included") << "action != ACCEPT"
                                                   << "" << 1 << "action IS NOT 'ACCEPT'"
                                                   << "1 2 3 4 5 6" << 1;
        QTest::newRow("cidr") << "srcaddr == 10.0.0.1/16"
                              << "" << 1 << "srcaddr LIKE '10.0.%'"
                              << "1 2 3 7" << 1;
        QTest::newRow("ipv6 host, other spelling") << "srcaddr == 2600:1F18:ABCD::0001"
                                                   << "" << 1 << "srcaddr = '2600:1f18:abcd::1'"
                                                   << "4" << 1;
        QTest::newRow("has") << "tcp_flags has SYN|ACK"
                             << "" << 1 << "tcp_flags IN (18, 19)"
                             << "1 2 7" << 1;
        QTest::newRow("time") << "start >= 2026-11-29T11:00:00Z"
                              << "" << 1 << "start >= 1795950000"
                              << "6 7" << 1;
        // Unescaped, "b%s" would match "web's" as a LIKE pattern and drop record 7.
        QTest::newRow("contains escapes LIKE wildcards")
            << "ecs-service-name contains \"s 100%_s\" and not ecs-service-name contains \"b%s\""
            << "" << 1 << "instr(ecs_service_name, 's 100%_s') > 0 AND NOT coalesce(instr(ecs_service_name, 'b%s') > 0, 0)"
            << "7" << 3;
        QTest::newRow("id field also matches names") << "tgw-attachment-id == \"VPC A\""
                                                     << "" << 1 << "tgw_attachment_id = 'tgw-attach-aaa'"
                                                     << "1 3" << 1;
        QTest::newRow("alias with names") << "attachment == \"on-prem VPN\""
                                          << "t" << 3
                                          << "tgw_attachment_id = 'tgw-attach-bbb' OR tgw_pair_attachment_id = 'tgw-attach-bbb'"
                                          << "1 2" << 1;
        QTest::newRow("in with names") << "vpc-id in {prod, vpc-333}"
                                       << "" << 1 << "vpc_id IN ('vpc-111', 'vpc-222', 'vpc-333')"
                                       << "6 7" << 2;
        QTest::newRow("!= with names negates the set test") << "interface-id != web-1"
                                                            << "" << 1 << "interface_id IS NOT 'eni-0001'"
                                                            << "1 2 3 4 5 7" << 1;
        // By name, tgw-attach-ddd (record 4's pair) would match.
        QTest::newRow("AWS-shaped id: ids only") << "tgw-pair-attachment-id == tgw-attach-0123456789abcdef0"
                                                 << "" << 1 << "tgw_pair_attachment_id = 'tgw-attach-0123456789abcdef0'"
                                                 << "" << 1;
        QTest::newRow("AWS-shaped 8-digit id on an alias")
            << "vpc == 'vpc-0aaa1111'"
            << "" << 1 << "'vpc-0aaa1111' IN (vpc_id, tgw_src_vpc_id, tgw_dst_vpc_id)"
            << "" << 1;
        QTest::newRow("AWS-shaped instance id") << "instance-id != i-0abc1234def567890"
                                                << "" << 1 << "instance_id IS NOT 'i-0abc1234def567890'"
                                                << "1 2 3 4 5 6 7" << 1;
        QTest::newRow("in: names only for values not shaped like ids")
            << "attachment in {tgw-attach-0123456789abcdef0, \"VPC A\"}"
            << "" << 1
            << "tgw_attachment_id IN ('tgw-attach-0123456789abcdef0', 'tgw-attach-aaa') OR tgw_pair_attachment_id IN "
               "('tgw-attach-0123456789abcdef0', 'tgw-attach-aaa')"
            << "1 2 3" << 2;
        QTest::newRow("in: only id-shaped values, no name lookup") << "vpc-id in {vpc-0aaa1111, vpc-0bbb2222}"
                                                                   << "" << 1 << "vpc_id IN ('vpc-0aaa1111', 'vpc-0bbb2222')"
                                                                   << "" << 2;
        // By name, "web-1" (eni-0001, record 6) would match.
        QTest::newRow("contains: ids only")
            << "eni contains web-1"
            << "" << 1 << "instr(interface_id, 'web-1') > 0 OR instr(tgw_src_eni, 'web-1') > 0 OR instr(tgw_dst_eni, 'web-1') > 0"
            << "" << 2;
        // By name, 123456789012 (records 6, 7) would match.
        QTest::newRow("account is not name-able") << "account-id == acct"
                                                  << "" << 1 << "account_id = 'acct'"
                                                  << "" << 1;
        QTest::newRow("one escape param") << "port contains 4 or action contains x"
                                          << "" << 1
                                          << "instr(srcport, '4') > 0 OR instr(dstport, '4') > 0 OR instr(lower(action), 'x') > 0"
                                          << "1 2 7" << 3;
    }

    void sqlSelectsLikeOracle()
    {
        QFETCH(QString, expression);
        QFETCH(QString, alias);
        QFETCH(int, firstParam);
        QFETCH(QString, oracle);
        QFETCH(QString, ids);
        QFETCH(int, params);
        QVERIFY(m_db.setNames(fixtureNames()));
        QCOMPARE(m_db.ids(QStringLiteral("SELECT id FROM flows WHERE ") + oracle + QStringLiteral(" ORDER BY id")), ids);

        const auto f = compileFilter(expression, alias, firstParam);
        QVERIFY2(f.ok(), qPrintable(f.ok() ? QString() : f.error().toString()));
        QCOMPARE(f->params.size(), params);
        // Placeholders stay within firstParam .. firstParam + params - 1.
        const QRegularExpression placeholder(QStringLiteral("\\?(\\d+)"));
        for (auto it = placeholder.globalMatch(f->where); it.hasNext();) {
            const int n = it.next().captured(1).toInt();
            QVERIFY2(n >= firstParam && n < firstParam + params, qPrintable(f->where));
        }
        // With an alias, a second copy of `flows` in the same statement makes any unqualified
        // column ambiguous (an SQL error). Parameters before firstParam stay unbound (NULL).
        const QString from = alias.isEmpty() ? QStringLiteral("flows")
                                             : QStringLiteral("flows AS %1 JOIN flows AS other ON other.id = %1.id").arg(alias);
        const QString id = alias.isEmpty() ? QStringLiteral("id") : alias + QStringLiteral(".id");
        QCOMPARE(
            m_db.ids(QStringLiteral("SELECT %1 FROM %2 WHERE %3 ORDER BY %1").arg(id, from, f->where), f->params, firstParam),
            ids);
        QVERIFY(m_db.setNames({}));
    }

    void injectionNeverInSql()
    {
        const QString evil = QStringLiteral("x' OR 1=1 --");
        const auto f = compileFilter(QStringLiteral("srcaddr contains \"%1\" or action == \"%1\"").arg(evil));
        QVERIFY(f.ok());
        QVERIFY(!f->where.contains(QLatin1String("OR 1=1")));
        QVERIFY(!f->where.contains(QLatin1Char('\'')));
        QCOMPARE(m_db.count(f.value()), 0LL);
        // A CIDR/address value that is not an address is refused, never pasted.
        const auto g = compileFilter(QStringLiteral("srcaddr == \"%1\"").arg(evil));
        QVERIFY(!g.ok());
        QVERIFY(g.error().message.contains(QLatin1String("IP address")));
    }

    void cidrFunction_data()
    {
        QTest::addColumn<QString>("address");
        QTest::addColumn<QString>("network");
        QTest::addColumn<int>("expected"); // -1 = NULL
        QTest::newRow("in") << "10.0.5.5"
                            << "10.0.0.0/16" << 1;
        QTest::newRow("out") << "10.1.5.5"
                             << "10.0.0.0/16" << 0;
        QTest::newRow("odd prefix in") << "10.0.0.130"
                                       << "10.0.0.128/25" << 1;
        QTest::newRow("odd prefix out") << "10.0.0.127"
                                        << "10.0.0.128/25" << 0;
        QTest::newRow("v6 in") << "2600:1f18:1::5"
                               << "2600:1f18::/32" << 1;
        QTest::newRow("v6 out") << "2600:1f19::5"
                                << "2600:1f18::/32" << 0;
        QTest::newRow("v6 vs v4 net") << "::ffff:10.0.0.1"
                                      << "10.0.0.0/8" << 0;
        QTest::newRow("garbage address") << "not-an-ip"
                                         << "10.0.0.0/8" << 0;
        QTest::newRow("NULL address") << ""
                                      << "10.0.0.0/8" << -1;
    }

    void cidrFunction()
    {
        QFETCH(QString, address);
        QFETCH(QString, network);
        QFETCH(int, expected);
        sqlite3_stmt* stmt = nullptr;
        QCOMPARE(sqlite3_prepare_v2(m_db.handle(), "SELECT flowlog_in_cidr(?1, ?2)", -1, &stmt, nullptr), SQLITE_OK);
        const QByteArray a = address.toUtf8();
        const QByteArray n = network.toUtf8();
        if (address.isEmpty()) sqlite3_bind_null(stmt, 1);
        else sqlite3_bind_text(stmt, 1, a.constData(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(stmt, 2, n.constData(), -1, SQLITE_TRANSIENT);
        QCOMPARE(sqlite3_step(stmt), SQLITE_ROW);
        const int got = sqlite3_column_type(stmt, 0) == SQLITE_NULL ? -1 : sqlite3_column_int(stmt, 0);
        sqlite3_finalize(stmt);
        QCOMPARE(got, expected);
    }
};

QTEST_GUILESS_MAIN(TestFilterSql)
#include "tst_filter_sql.moc"
