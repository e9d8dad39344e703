// The filter language: match counts over a small hand-made `flows` table, the SQL text and
// parameters, error positions and messages, injection safety, and the text helpers.
#include "core/ingest/loader.h"
#include "core/model/fields.h"
#include "core/query/filter.h"
#include "core/query/filter_ip.h"
#include "core/store/store.h"

#include <QFile>

#include <QRandomGenerator>
#include <QTest>
#include <sqlite3.h>

using namespace core;

namespace {

constexpr qint64 T0 = 1795946400; // 2026-11-29T10:00:00Z

/// One row of the fixture: column -> value (absent = NULL).
using Row = QVariantMap;

QList<Row> fixtureRows()
{
    QList<Row> rows;
    // 1: TGW ingress at aaa, exits at bbb, TCP SYN|ACK.
    rows << Row{{"version", 6},
                {"resource_type", "TransitGateway"},
                {"account_id", "111111111111"},
                {"tgw_attachment_id", "tgw-attach-aaa"},
                {"tgw_pair_attachment_id", "tgw-attach-bbb"},
                {"tgw_src_vpc_id", "vpc-111"},
                {"tgw_dst_vpc_id", "vpc-222"},
                {"tgw_src_subnet_id", "subnet-1"},
                {"tgw_dst_subnet_id", "subnet-2"},
                {"srcaddr", "10.0.1.5"},
                {"dstaddr", "10.1.2.7"},
                {"srcport", 44321},
                {"dstport", 443},
                {"protocol", 6},
                {"packets", 10},
                {"bytes", 1000},
                {"start", T0},
                {"end", T0 + 60},
                {"log_status", "OK"},
                {"type", "IPv4"},
                {"packets_lost_no_route", 0},
                {"packets_lost_blackhole", 0},
                {"packets_lost_mtu_exceeded", 0},
                {"packets_lost_ttl_expired", 0},
                {"tcp_flags", 18},
                {"region", "us-east-1"},
                {"flow_direction", "ingress"}};
    // 2: the same flow logged at bbb (egress).
    Row r2 = rows.front();
    r2["tgw_attachment_id"] = "tgw-attach-bbb";
    r2["tgw_pair_attachment_id"] = "tgw-attach-aaa";
    r2["flow_direction"] = "egress";
    rows << r2;
    // 3: blackhole drops at aaa, no exit attachment, UDP DNS.
    rows << Row{{"version", 6},
                {"resource_type", "TransitGateway"},
                {"tgw_attachment_id", "tgw-attach-aaa"},
                {"srcaddr", "10.0.1.6"},
                {"dstaddr", "192.168.5.5"},
                {"srcport", 5353},
                {"dstport", 53},
                {"protocol", 17},
                {"packets", 5},
                {"bytes", 300},
                {"start", T0 + 60},
                {"end", T0 + 120},
                {"log_status", "OK"},
                {"packets_lost_blackhole", 5},
                {"flow_direction", "ingress"}};
    // 4: IPv6 with MTU drops.
    rows << Row{{"version", 6},
                {"tgw_attachment_id", "tgw-attach-ccc"},
                {"tgw_pair_attachment_id", "tgw-attach-ddd"},
                {"srcaddr", "2600:1f18:abcd::1"},
                {"dstaddr", "2600:1f18:ffff::2"},
                {"srcport", 50000},
                {"dstport", 80},
                {"protocol", 6},
                {"packets", 7},
                {"bytes", 500},
                {"start", T0 + 120},
                {"end", T0 + 180},
                {"log_status", "OK"},
                {"type", "IPv6"},
                {"packets_lost_mtu_exceeded", 3},
                {"tcp_flags", 2},
                {"flow_direction", "ingress"}};
    // 5: NODATA: nearly everything NULL.
    rows << Row{{"version", 6},
                {"tgw_attachment_id", "tgw-attach-eee"},
                {"start", T0 + 180},
                {"end", T0 + 240},
                {"log_status", "NODATA"}};
    // 6: VPC REJECT, ICMP from outside.
    rows << Row{{"version", 2},
                {"account_id", "123456789012"},
                {"interface_id", "eni-0001"},
                {"vpc_id", "vpc-111"},
                {"srcaddr", "203.0.113.9"},
                {"dstaddr", "10.0.1.5"},
                {"srcport", 0},
                {"dstport", 0},
                {"protocol", 1},
                {"packets", 1},
                {"bytes", 84},
                {"start", T0 + 3600},
                {"end", T0 + 3660},
                {"action", "REJECT"},
                {"log_status", "OK"}};
    // 7: VPC ACCEPT, TCP SYN|ACK|FIN, a quote and percent sign in a text field.
    rows << Row{{"version", 2},
                {"account_id", "123456789012"},
                {"interface_id", "eni-0002"},
                {"vpc_id", "vpc-333"},
                {"srcaddr", "10.0.2.1"},
                {"dstaddr", "10.0.1.5"},
                {"srcport", 443},
                {"dstport", 50000},
                {"protocol", 6},
                {"packets", 1500},
                {"bytes", 2000000},
                {"start", T0 + 7200},
                {"end", T0 + 7260},
                {"action", "ACCEPT"},
                {"log_status", "OK"},
                {"tcp_flags", 19},
                {"ecs_service_name", "web's 100%_svc"}};
    return rows;
}

} // namespace

class TestFilter : public QObject {
    Q_OBJECT

private:
    sqlite3* m_db = nullptr;

    qint64 count(const FilterSql& f)
    {
        const QString sql = QStringLiteral("SELECT count(*) FROM flows AS t WHERE ") + f.where;
        sqlite3_stmt* stmt = nullptr;
        const QByteArray utf8 = sql.toUtf8();
        if (sqlite3_prepare_v2(m_db, utf8.constData(), -1, &stmt, nullptr) != SQLITE_OK) {
            qWarning() << "prepare failed:" << sqlite3_errmsg(m_db) << sql;
            return -1;
        }
        bind(stmt, f.params, 1);
        qint64 n = -1;
        const int rc = sqlite3_step(stmt);
        if (rc == SQLITE_ROW) n = sqlite3_column_int64(stmt, 0);
        else qWarning() << "step failed:" << sqlite3_errmsg(m_db) << sql;
        sqlite3_finalize(stmt);
        return n;
    }

    /// Ids (space-separated, ascending) of the fixture records the filter selects; "error" on SQL error.
    QString matchingIds(const FilterSql& f)
    {
        const QByteArray sql =
            (QStringLiteral("SELECT t.id FROM flows AS t WHERE ") + f.where + QStringLiteral(" ORDER BY t.id")).toUtf8();
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(m_db, sql.constData(), -1, &stmt, nullptr) != SQLITE_OK) {
            qWarning() << "prepare failed:" << sqlite3_errmsg(m_db) << sql;
            return QStringLiteral("error");
        }
        bind(stmt, f.params, 1);
        QStringList ids;
        int rc = SQLITE_ROW;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) ids << QString::number(sqlite3_column_int64(stmt, 0));
        sqlite3_finalize(stmt);
        return rc == SQLITE_DONE ? ids.join(QLatin1Char(' ')) : QStringLiteral("error");
    }

    /// Replaces the fixture's names table: id -> Name tag (a null QVariant: an entry without a Name tag).
    bool setNames(const QList<QPair<QString, QVariant>>& names)
    {
        if (sqlite3_exec(m_db, "DELETE FROM names", nullptr, nullptr, nullptr) != SQLITE_OK) return false;
        for (const auto& [id, name] : names) {
            sqlite3_stmt* stmt = nullptr;
            if (sqlite3_prepare_v2(m_db, "INSERT INTO names (id, name) VALUES (?1, ?2)", -1, &stmt, nullptr) != SQLITE_OK)
                return false;
            const QByteArray i = id.toUtf8();
            const QByteArray n = name.toString().toUtf8();
            sqlite3_bind_text(stmt, 1, i.constData(), static_cast<int>(i.size()), SQLITE_TRANSIENT);
            if (name.isNull()) sqlite3_bind_null(stmt, 2);
            else sqlite3_bind_text(stmt, 2, n.constData(), static_cast<int>(n.size()), SQLITE_TRANSIENT);
            const int rc = sqlite3_step(stmt);
            sqlite3_finalize(stmt);
            if (rc != SQLITE_DONE) return false;
        }
        return true;
    }

    /// The names the name tests load (records: see fixtureRows()).
    static QList<QPair<QString, QVariant>> fixtureNames()
    {
        return {{QStringLiteral("tgw-attach-aaa"), QStringLiteral("VPC A")},
                {QStringLiteral("tgw-attach-bbb"), QStringLiteral("on-prem VPN")},
                // a name that is another attachment's id
                {QStringLiteral("tgw-attach-ccc"), QStringLiteral("tgw-attach-aaa")},
                // a name shaped like a real AWS id (spoofing another attachment)
                {QStringLiteral("tgw-attach-ddd"), QStringLiteral("tgw-attach-0123456789abcdef0")},
                // two VPCs with the same name
                {QStringLiteral("vpc-111"), QStringLiteral("prod")},
                {QStringLiteral("vpc-222"), QStringLiteral("prod")},
                // known, but without a Name tag
                {QStringLiteral("vpc-333"), QVariant()},
                {QStringLiteral("subnet-1"), QStringLiteral("app \"blue\", 'x'")},
                {QStringLiteral("eni-0001"), QStringLiteral("web-1")},
                {QStringLiteral("eni-0002"), QStringLiteral("Ünïcødé ☃ 名前")},
                // an account id with a name: accounts are not name-able, so this is never used
                {QStringLiteral("123456789012"), QStringLiteral("acct")}};
    }

    static void bind(sqlite3_stmt* stmt, const QVariantList& params, int first)
    {
        for (int i = 0; i < params.size(); ++i) {
            const QVariant& v = params[i];
            const int index = first + i;
            if (v.typeId() == QMetaType::LongLong || v.typeId() == QMetaType::Int) {
                sqlite3_bind_int64(stmt, index, v.toLongLong());
            } else {
                const QByteArray text = v.toString().toUtf8();
                sqlite3_bind_text(stmt, index, text.constData(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
            }
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCOMPARE(sqlite3_open(":memory:", &m_db), SQLITE_OK);
        registerSqlFunctions(m_db);
        // Every Store has a `names` table (empty until names are loaded); filters on id fields use it.
        QCOMPARE(sqlite3_exec(m_db, "CREATE TABLE names (id TEXT PRIMARY KEY, name TEXT)", nullptr, nullptr, nullptr), SQLITE_OK);
        QStringList cols = {QStringLiteral("id INTEGER PRIMARY KEY"), QStringLiteral("file_id INTEGER"),
                            QStringLiteral("line INTEGER")};
        for (const FieldInfo& f : allFields())
            cols << QStringLiteral("\"%1\" %2")
                        .arg(QString::fromLatin1(f.column),
                             f.type == FieldType::Integer ? QStringLiteral("INTEGER") : QStringLiteral("TEXT"));
        cols << QStringLiteral("twin_id INTEGER");
        const QByteArray create =
            (QStringLiteral("CREATE TABLE flows (") + cols.join(QStringLiteral(", ")) + QStringLiteral(")")).toUtf8();
        QCOMPARE(sqlite3_exec(m_db, create.constData(), nullptr, nullptr, nullptr), SQLITE_OK);
        int line = 0;
        for (const Row& row : fixtureRows()) {
            QStringList names = {QStringLiteral("file_id"), QStringLiteral("line")};
            QVariantList values = {1, ++line};
            for (auto it = row.begin(); it != row.end(); ++it) {
                names << QLatin1Char('"') + it.key() + QLatin1Char('"');
                values << it.value();
            }
            QStringList marks;
            for (int i = 0; i < names.size(); ++i) marks << QStringLiteral("?");
            const QByteArray sql = QStringLiteral("INSERT INTO flows (%1) VALUES (%2)")
                                       .arg(names.join(QLatin1Char(',')), marks.join(QLatin1Char(',')))
                                       .toUtf8();
            sqlite3_stmt* stmt = nullptr;
            QCOMPARE(sqlite3_prepare_v2(m_db, sql.constData(), -1, &stmt, nullptr), SQLITE_OK);
            QVariantList typed;
            for (const QVariant& v : values) typed << (v.typeId() == QMetaType::QString ? v : QVariant(v.toLongLong()));
            bind(stmt, typed, 1);
            QCOMPARE(sqlite3_step(stmt), SQLITE_DONE);
            sqlite3_finalize(stmt);
        }
    }

    void cleanupTestCase() { sqlite3_close(m_db); }

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
        QCOMPARE(count(f.value()), expected);
        // Unqualified and renumbered forms mean the same.
        const auto g = compileFilter(expression, {}, 1);
        QVERIFY(g.ok());
        QCOMPARE(count(g.value()), expected);
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
            QFile f(QStringLiteral(FLOWLOG_TEST_DATA "/cli/tgw.log"));
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

    void sqlText_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("alias");
        QTest::addColumn<int>("firstParam");
        QTest::addColumn<QString>("where");
        QTest::addColumn<QVariantList>("params");
        QTest::newRow("empty") << ""
                               << "" << 1 << "1" << QVariantList{};
        QTest::newRow("eq") << "srcport == 80"
                            << "" << 1 << "\"srcport\" = ?1" << QVariantList{80LL};
        QTest::newRow("alias qualified") << "srcport == 80"
                                         << "t" << 1 << "t.\"srcport\" = ?1" << QVariantList{80LL};
        QTest::newRow("first param") << "srcport == 80 and action == ACCEPT"
                                     << "f" << 5 << "(f.\"srcport\" = ?5 AND f.\"action\" = ?6)"
                                     << QVariantList{80LL, QStringLiteral("ACCEPT")};
        QTest::newRow("alias columns share one param")
            << "port == 443"
            << "" << 1 << "(\"srcport\" = ?1 OR \"dstport\" = ?1)" << QVariantList{443LL};
        QTest::newRow("ne negates") << "action != ACCEPT"
                                    << "" << 1 << "(NOT coalesce(\"action\" = ?1, 0))" << QVariantList{QStringLiteral("ACCEPT")};
        QTest::newRow("cidr") << "srcaddr == 10.0.0.1/16"
                              << "" << 1 << "flowlog_in_cidr(\"srcaddr\", ?1)" << QVariantList{QStringLiteral("10.0.0.0/16")};
        QTest::newRow("ipv6 host") << "srcaddr == 2600:1F18::0001"
                                   << "" << 1 << "flowlog_in_cidr(\"srcaddr\", ?1)"
                                   << QVariantList{QStringLiteral("2600:1f18::1/128")};
        QTest::newRow("has") << "tcp_flags has SYN|ACK"
                             << "" << 1 << "(\"tcp_flags\" & ?1) = ?1" << QVariantList{18LL};
        QTest::newRow("time") << "start >= 2026-11-29T10:00:00Z"
                              << "" << 1 << "\"start\" >= ?1" << QVariantList{T0};
        QTest::newRow("contains escapes LIKE wildcards")
            << "action contains \"A%c_\\\\\""
            << "" << 1 << "\"action\" LIKE ?1 ESCAPE ?2" << QVariantList{QStringLiteral("%A\\%c\\_\\\\%"), QStringLiteral("\\")};
        QTest::newRow("id field also matches names")
            << "tgw-attachment-id == \"VPC A\""
            << "" << 1 << "\"tgw_attachment_id\" IN (SELECT ?1 UNION ALL SELECT names.id FROM names WHERE names.name = ?1)"
            << QVariantList{QStringLiteral("VPC A")};
        QTest::newRow("alias with names")
            << "attachment == x"
            << "t" << 3
            << "(t.\"tgw_attachment_id\" IN (SELECT ?3 UNION ALL SELECT names.id FROM names WHERE names.name = ?3) OR "
               "t.\"tgw_pair_attachment_id\" IN (SELECT ?3 UNION ALL SELECT names.id FROM names WHERE names.name = ?3))"
            << QVariantList{QStringLiteral("x")};
        QTest::newRow("in with names")
            << "vpc-id in {prod, vpc-1}"
            << "" << 1 << "(\"vpc_id\" IN (?1, ?2) OR \"vpc_id\" IN (SELECT names.id FROM names WHERE names.name IN (?1, ?2)))"
            << QVariantList{QStringLiteral("prod"), QStringLiteral("vpc-1")};
        QTest::newRow("!= with names negates the set test")
            << "interface-id != web-1"
            << "" << 1
            << "(NOT coalesce(\"interface_id\" IN (SELECT ?1 UNION ALL SELECT names.id FROM names WHERE "
               "names.name = ?1), 0))"
            << QVariantList{QStringLiteral("web-1")};
        QTest::newRow("AWS-shaped id: ids only")
            << "tgw-attachment-id == tgw-attach-0123456789abcdef0"
            << "" << 1 << "\"tgw_attachment_id\" = ?1" << QVariantList{QStringLiteral("tgw-attach-0123456789abcdef0")};
        QTest::newRow("AWS-shaped 8-digit id on an alias")
            << "vpc == 'vpc-0aaa1111'"
            << "" << 1 << "(\"vpc_id\" = ?1 OR \"tgw_src_vpc_id\" = ?1 OR \"tgw_dst_vpc_id\" = ?1)"
            << QVariantList{QStringLiteral("vpc-0aaa1111")};
        QTest::newRow("AWS-shaped instance id")
            << "instance-id != i-0abc1234def567890"
            << "" << 1 << "(NOT coalesce(\"instance_id\" = ?1, 0))" << QVariantList{QStringLiteral("i-0abc1234def567890")};
        QTest::newRow("in: names only for values not shaped like ids")
            << "attachment in {tgw-attach-0123456789abcdef0, \"VPC A\"}"
            << "" << 1
            << "(\"tgw_attachment_id\" IN (?1, ?2) OR \"tgw_pair_attachment_id\" IN (?1, ?2) OR \"tgw_attachment_id\" IN "
               "(SELECT names.id FROM names WHERE names.name IN (?2)) OR \"tgw_pair_attachment_id\" IN (SELECT names.id FROM "
               "names WHERE names.name IN (?2)))"
            << QVariantList{QStringLiteral("tgw-attach-0123456789abcdef0"), QStringLiteral("VPC A")};
        QTest::newRow("in: only id-shaped values, no name lookup")
            << "vpc-id in {vpc-0aaa1111, vpc-0bbb2222}"
            << "" << 1 << "\"vpc_id\" IN (?1, ?2)"
            << QVariantList{QStringLiteral("vpc-0aaa1111"), QStringLiteral("vpc-0bbb2222")};
        QTest::newRow("contains: ids only")
            << "eni contains web"
            << "" << 1
            << "(\"interface_id\" LIKE ?1 ESCAPE ?2 OR \"tgw_src_eni\" LIKE ?1 ESCAPE ?2 OR \"tgw_dst_eni\" LIKE ?1 ESCAPE ?2)"
            << QVariantList{QStringLiteral("%web%"), QStringLiteral("\\")};
        QTest::newRow("account is not name-able") << "account-id == acct"
                                                  << "" << 1 << "\"account_id\" = ?1" << QVariantList{QStringLiteral("acct")};
        QTest::newRow("one escape param")
            << "port contains 4 or action contains x"
            << "" << 1 << "((\"srcport\" LIKE ?1 ESCAPE ?2 OR \"dstport\" LIKE ?1 ESCAPE ?2) OR \"action\" LIKE ?3 ESCAPE ?2)"
            << QVariantList{QStringLiteral("%4%"), QStringLiteral("\\"), QStringLiteral("%x%")};
    }

    void sqlText()
    {
        QFETCH(QString, expression);
        QFETCH(QString, alias);
        QFETCH(int, firstParam);
        QFETCH(QString, where);
        QFETCH(QVariantList, params);
        const auto f = compileFilter(expression, alias, firstParam);
        QVERIFY2(f.ok(), qPrintable(f.ok() ? QString() : f.error().toString()));
        QCOMPARE(f->where, where);
        QCOMPARE(f->params.size(), params.size());
        for (int i = 0; i < params.size(); ++i) QCOMPARE(f->params[i].toString(), params[i].toString());
    }

    void injectionNeverInSql()
    {
        const QString evil = QStringLiteral("x' OR 1=1 --");
        const auto f = compileFilter(QStringLiteral("srcaddr contains \"%1\" or action == \"%1\"").arg(evil));
        QVERIFY(f.ok());
        QVERIFY(!f->where.contains(QLatin1String("OR 1=1")));
        QVERIFY(!f->where.contains(QLatin1Char('\'')));
        QCOMPARE(count(f.value()), 0LL);
        // A CIDR/address value that is not an address is refused, never pasted.
        const auto g = compileFilter(QStringLiteral("srcaddr == \"%1\"").arg(evil));
        QVERIFY(!g.ok());
        QVERIFY(g.error().message.contains(QLatin1String("IP address")));
    }

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
        QCOMPARE(sqlite3_prepare_v2(m_db, "SELECT flowlog_in_cidr(?1, ?2)", -1, &stmt, nullptr), SQLITE_OK);
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

    void randomExpressionsNeverBreakSql()
    {
        // Property: any expression either fails with a positioned error or compiles to SQL that
        // SQLite accepts. Deterministic (fixed seed) random mixes of valid and hostile fragments.
        static const QStringList fragments = {"srcaddr",
                                              "addr",
                                              "port",
                                              "drops",
                                              "proto",
                                              "tcp_flags",
                                              "start",
                                              "action",
                                              "attachment",
                                              "scraddr",
                                              "==",
                                              "!=",
                                              "<",
                                              ">=",
                                              "=",
                                              "in",
                                              "contains",
                                              "has",
                                              "and",
                                              "or",
                                              "not",
                                              "&&",
                                              "||",
                                              "!",
                                              "(",
                                              ")",
                                              "{",
                                              "}",
                                              ",",
                                              "|",
                                              "10.0.0.0/8",
                                              "2600:1f18::/32",
                                              "443",
                                              "-1",
                                              "tcp",
                                              "SYN|ACK",
                                              "\"x' OR 1=1 --\"",
                                              "'a\\'b'",
                                              "\"",
                                              "2026-11-29T10:00:00Z",
                                              "\"2026-11-29 10:00\"",
                                              "ACCEPT",
                                              "\u00e9\u00e8",
                                              "&",
                                              ";",
                                              "--",
                                              "%",
                                              "_",
                                              "\\",
                                              "\t",
                                              "9999999999999999999999"};
        QRandomGenerator rng(20261129);
        int compiled = 0;
        for (int i = 0; i < 20000; ++i) {
            QStringList parts;
            const int n = 1 + static_cast<int>(rng.bounded(9));
            for (int k = 0; k < n; ++k) parts << fragments[static_cast<int>(rng.bounded(static_cast<quint32>(fragments.size())))];
            const QString expression = parts.join(rng.bounded(4) == 0 ? QString() : QStringLiteral(" "));
            const auto f = compileFilter(expression, QStringLiteral("t"), 1);
            if (!f.ok()) {
                QVERIFY2(f.error().column >= 1 && f.error().column <= expression.size() + 1, qPrintable(expression));
                QVERIFY2(!f.error().message.isEmpty(), qPrintable(expression));
                continue;
            }
            ++compiled;
            QVERIFY2(count(f.value()) >= 0, qPrintable(expression));
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
        QCOMPARE(count(both), 2LL);
    }

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
        QFETCH(QString, value);
        QFETCH(bool, idShaped);
        const auto f = compileFilter(QStringLiteral("vpc-id == ") + quoteFilterValue(value));
        QVERIFY2(f.ok(), qPrintable(f.ok() ? QString() : f.error().toString()));
        QCOMPARE(!f->where.contains(QLatin1String("names")), idShaped);
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
        QVERIFY(setNames(withNames ? fixtureNames() : QList<QPair<QString, QVariant>>{}));
        struct Clear {
            TestFilter* self;
            ~Clear() { self->setNames({}); }
        } clear{this};
        for (const QString& alias : {QString(), QStringLiteral("t")}) {
            const auto f = compileFilter(expression, alias, 1);
            QVERIFY2(f.ok(), qPrintable(f.ok() ? QString() : f.error().toString()));
            QCOMPARE(matchingIds(f.value()), ids);
            // Values (names included) are parameters: no string literal in the SQL, ever.
            QVERIFY2(!f->where.contains(QLatin1Char('\'')), qPrintable(f->where));
            QVERIFY2(!f->where.contains(QLatin1String("VPC A")) && !f->where.contains(QLatin1String("prod"))
                         && !f->where.contains(QLatin1String("web-1")),
                     qPrintable(f->where));
        }
    }
};

QTEST_GUILESS_MAIN(TestFilter)
#include "tst_filter.moc"
