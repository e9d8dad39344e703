// The filter language and AWS resource names: which columns are name-able, which values are
// looked up as names, and what name filters select on the fixture (tests/filtertestutil.h).
#include "core/query/filter.h"

#include <QTest>

#include "tests/filtertestutil.h"

using namespace core;
using namespace filtertest;

class TestFilterNames : public QObject {
    Q_OBJECT

private:
    FixtureDb m_db;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_db.open()); }

    void nameableColumns_data()
    {
        QTest::addColumn<QString>("column");
        QTest::addColumn<bool>("nameable");
        for (const char* c : {"interface_id", "vpc_id", "subnet_id", "instance_id", "tgw_id", "tgw_attachment_id",
                              "tgw_pair_attachment_id", "tgw_src_vpc_id", "tgw_dst_vpc_id", "tgw_src_subnet_id",
                              "tgw_dst_subnet_id", "tgw_src_eni", "tgw_dst_eni", "resource_id"})
            QTest::newRow(c) << QString::fromLatin1(c) << true;
        for (const char* c : {"account_id", "tgw_src_vpc_account_id", "az_id", "tgw_src_az_id", "srcaddr", "action", "region",
                              "bytes", "id", "twin_id", "tgw-attachment-id", "TGW_ATTACHMENT_ID", ""})
            QTest::newRow(c[0] ? c : "empty") << QString::fromLatin1(c) << false;
    }

    void nameableColumns()
    {
        QFETCH(QString, column);
        QFETCH(bool, nameable);
        QCOMPARE(isNameableColumn(column), nameable);
    }

    void idShapedValuesAreNotNames_data()
    {
        // Values that are NOT shaped like an AWS id still look names up.
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("idShaped");
        QTest::newRow("17 hex digits") << "tgw-attach-0123456789abcdef0" << true;
        QTest::newRow("8 hex digits") << "vpc-0aaa1111" << true;
        QTest::newRow("one-letter prefix") << "i-0abc1234def567890" << true;
        QTest::newRow("upper-case hex") << "vpc-0AAA1111" << false;
        QTest::newRow("9 digits") << "vpc-0aaa11112" << false;
        QTest::newRow("16 digits") << "vpc-0aaa1111bbbb2222" << false;
        QTest::newRow("not hex") << "vpc-zzzzzzzz" << false;
        QTest::newRow("no prefix") << "-0aaa1111" << false;
        QTest::newRow("double dash") << "tgw--attach-01234567" << false;
        QTest::newRow("digit in prefix") << "vpc2-0aaa1111" << false;
        QTest::newRow("space") << "my vpc-0aaa1111" << false;
        QTest::newRow("short fixture id") << "tgw-attach-aaa" << false;
        QTest::newRow("plain name") << "prod" << false;
    }

    void idShapedValuesAreNotNames()
    {
        // `value` is the Name tag of vpc-111 (record 6) and no record's vpc_id: the filter selects
        // record 6 exactly when it looks the value up as a name.
        QFETCH(QString, value);
        QFETCH(bool, idShaped);
        QVERIFY(m_db.setNames({{QStringLiteral("vpc-111"), value}}));
        const auto f = compileFilter(QStringLiteral("vpc-id == ") + quoteFilterValue(value));
        QVERIFY2(f.ok(), qPrintable(f.ok() ? QString() : f.error().toString()));
        QCOMPARE(m_db.matchingIds(f.value()), idShaped ? QString() : QStringLiteral("6"));
        QVERIFY(m_db.setNames({}));
    }

    void names_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<bool>("withNames");
        QTest::addColumn<QString>("ids"); // matching record ids, ascending
        QTest::newRow("alias by name") << "attachment == \"VPC A\"" << true << "1 2 3";
        QTest::newRow("alias by name, no names loaded") << "attachment == \"VPC A\"" << false << "";
        QTest::newRow("alias by id, names loaded") << "attachment == tgw-attach-bbb" << true << "1 2";
        QTest::newRow("field by name") << "tgw-attachment-id == \"VPC A\"" << true << "1 3";
        QTest::newRow("pair field by name") << "tgw_pair_attachment_id == 'VPC A'" << true << "2";
        QTest::newRow("pair != name, NULL pairs included")
            << "tgw-pair-attachment-id != \"on-prem VPN\"" << true << "2 3 4 5 6 7";
        QTest::newRow("alias != name: neither side") << "attachment != \"on-prem VPN\"" << true << "3 4 5 6 7";
        QTest::newRow("not alias == name") << "not attachment == \"on-prem VPN\"" << true << "3 4 5 6 7";
        QTest::newRow("name is another id: both match") << "attachment == tgw-attach-aaa" << true << "1 2 3 4";
        QTest::newRow("name is another id, no names") << "attachment == tgw-attach-aaa" << false << "1 2 3";
        QTest::newRow("name shaped like an AWS id is not looked up")
            << "attachment == tgw-attach-0123456789abcdef0" << true << "";
        QTest::newRow("same, quoted") << "tgw-pair-attachment-id == \"tgw-attach-0123456789abcdef0\"" << true << "";
        QTest::newRow("names are case-sensitive") << "attachment == \"vpc a\"" << true << "";
        QTest::newRow("unknown name") << "attachment == \"no such name\"" << true << "";
        QTest::newRow("empty name matches no unnamed id") << "vpc == \"\"" << true << "";
        QTest::newRow("in: names and ids") << "attachment in {\"VPC A\", tgw-attach-ccc}" << true << "1 2 3 4";
        QTest::newRow("in: one unknown") << "attachment in {\"on-prem VPN\", \"nope\"}" << true << "1 2";
        QTest::newRow("in: no names loaded") << "attachment in {\"on-prem VPN\", tgw-attach-ccc}" << false << "4";
        QTest::newRow("not in") << "not attachment in {\"VPC A\"}" << true << "4 5 6 7";
        QTest::newRow("two ids share a name") << "vpc == prod" << true << "1 2 6";
        QTest::newRow("vpc-id by name") << "vpc-id == prod" << true << "6";
        QTest::newRow("tgw-dst-vpc-id by name") << "tgw-dst-vpc-id == prod" << true << "1 2";
        QTest::newRow("vpc != name") << "vpc-id != prod" << true << "1 2 3 4 5 7";
        QTest::newRow("unnamed id still by id") << "vpc == vpc-333" << true << "7";
        QTest::newRow("name with quotes, comma, spaces") << "subnet == \"app \\\"blue\\\", 'x'\"" << true << "1 2";
        QTest::newRow("same, single-quoted") << "tgw-src-subnet-id == 'app \"blue\", \\'x\\''" << true << "1 2";
        QTest::newRow("interface-id by name") << "interface-id == \"web-1\"" << true << "6";
        QTest::newRow("eni alias by name") << "eni == web-1" << true << "6";
        QTest::newRow("unicode name") << "eni == \"Ünïcødé ☃ 名前\"" << true << "7";
        QTest::newRow("unicode name, no names") << "eni == \"Ünïcødé ☃ 名前\"" << false << "";
        QTest::newRow("eni != name") << "eni != \"web-1\"" << true << "1 2 3 4 5 7";
        QTest::newRow("contains does not look at names") << "attachment contains VPC" << true << "";
        QTest::newRow("account is not name-able") << "account == acct" << true << "";
        QTest::newRow("combined with other terms") << "attachment == \"VPC A\" and dstport == 53" << true << "3";
        QTest::newRow("or of names") << "vpc-id == prod or eni == \"Ünïcødé ☃ 名前\"" << true << "6 7";
    }

    void names()
    {
        QFETCH(QString, expression);
        QFETCH(bool, withNames);
        QFETCH(QString, ids);
        QVERIFY(m_db.setNames(withNames ? fixtureNames() : QList<QPair<QString, QVariant>>{}));
        struct Clear {
            const FixtureDb& db;
            ~Clear() { db.setNames({}); }
        } clear{m_db};
        for (const QString& alias : {QString(), QStringLiteral("t")}) {
            const auto f = compileFilter(expression, alias, 1);
            QVERIFY2(f.ok(), qPrintable(f.ok() ? QString() : f.error().toString()));
            QCOMPARE(m_db.matchingIds(f.value()), ids);
            // Values (names included) are parameters: no string literal in the SQL, ever.
            QVERIFY2(!f->where.contains(QLatin1Char('\'')), qPrintable(f->where));
            QVERIFY2(!f->where.contains(QLatin1String("VPC A")) && !f->where.contains(QLatin1String("prod"))
                         && !f->where.contains(QLatin1String("web-1")),
                     qPrintable(f->where));
        }
    }
};

QTEST_GUILESS_MAIN(TestFilterNames)
#include "tst_filter_names.moc"
