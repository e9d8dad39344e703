#pragma once
// Test helper for the filter-language tests (tests/core/tst_filter*.cpp): a small hand-made
// `flows` table in an in-memory SQLite database (the same columns as the store, seven records
// described in fixtureRows()) and a `names` table, plus ways to run compiled filters on it.
#include "core/model/fields.h"
#include "core/query/filter.h"

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <QtDebug>
#include <sqlite3.h>

namespace filtertest {

constexpr qint64 T0 = 1795946400; // 2026-11-29T10:00:00Z

/// One row of the fixture: column -> value (absent = NULL).
using Row = QVariantMap;

inline QList<Row> fixtureRows()
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

/// The names the name tests load (records: see fixtureRows()).
inline QList<QPair<QString, QVariant>> fixtureNames()
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

/// Binds `params` from index `first` on (integers as integers, everything else as text).
inline void bind(sqlite3_stmt* stmt, const QVariantList& params, int first)
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

/// The fixture database. Single-threaded; open() once, then query.
class FixtureDb {
public:
    FixtureDb() = default;
    FixtureDb(const FixtureDb&) = delete;
    FixtureDb& operator=(const FixtureDb&) = delete;
    ~FixtureDb() { sqlite3_close(m_db); }

    sqlite3* handle() const { return m_db; }

    /// Creates the tables (flows with every schema column, names empty) and the fixture rows,
    /// with the filter SQL functions registered. False (with a qWarning) on any SQLite error.
    bool open()
    {
        if (sqlite3_open(":memory:", &m_db) != SQLITE_OK) return false;
        core::registerSqlFunctions(m_db);
        // Every Store has a `names` table (empty until names are loaded); filters on id fields use it.
        if (!exec("CREATE TABLE names (id TEXT PRIMARY KEY, name TEXT)")) return false;
        QStringList cols = {QStringLiteral("id INTEGER PRIMARY KEY"), QStringLiteral("file_id INTEGER"),
                            QStringLiteral("line INTEGER")};
        for (const core::FieldInfo& f : core::allFields())
            cols << QStringLiteral("\"%1\" %2")
                        .arg(QString::fromLatin1(f.column),
                             f.type == core::FieldType::Integer ? QStringLiteral("INTEGER") : QStringLiteral("TEXT"));
        cols << QStringLiteral("twin_id INTEGER");
        if (!exec((QStringLiteral("CREATE TABLE flows (") + cols.join(QStringLiteral(", ")) + QStringLiteral(")")).toUtf8()))
            return false;
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
            if (sqlite3_prepare_v2(m_db, sql.constData(), -1, &stmt, nullptr) != SQLITE_OK) return false;
            QVariantList typed;
            for (const QVariant& v : values) typed << (v.typeId() == QMetaType::QString ? v : QVariant(v.toLongLong()));
            bind(stmt, typed, 1);
            const int rc = sqlite3_step(stmt);
            sqlite3_finalize(stmt);
            if (rc != SQLITE_DONE) return false;
        }
        return true;
    }

    /// Records the filter selects (`flows AS t`); -1 on an SQL error.
    qint64 count(const core::FilterSql& f) const
    {
        const QByteArray sql = (QStringLiteral("SELECT count(*) FROM flows AS t WHERE ") + f.where).toUtf8();
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(m_db, sql.constData(), -1, &stmt, nullptr) != SQLITE_OK) {
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
    QString matchingIds(const core::FilterSql& f) const
    {
        return ids(QStringLiteral("SELECT t.id FROM flows AS t WHERE ") + f.where + QStringLiteral(" ORDER BY t.id"), f.params,
                   1);
    }

    /// Ids (space-separated, in result order) from the first column of `sql`, with `params`
    /// bound from index `first`; "error" on an SQL error.
    QString ids(const QString& sql, const QVariantList& params = {}, int first = 1) const
    {
        const QByteArray utf8 = sql.toUtf8();
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(m_db, utf8.constData(), -1, &stmt, nullptr) != SQLITE_OK) {
            qWarning() << "prepare failed:" << sqlite3_errmsg(m_db) << sql;
            return QStringLiteral("error");
        }
        bind(stmt, params, first);
        QStringList out;
        int rc = SQLITE_ROW;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) out << QString::number(sqlite3_column_int64(stmt, 0));
        if (rc != SQLITE_DONE) qWarning() << "step failed:" << sqlite3_errmsg(m_db) << sql;
        sqlite3_finalize(stmt);
        return rc == SQLITE_DONE ? out.join(QLatin1Char(' ')) : QStringLiteral("error");
    }

    /// Replaces the names table: id -> Name tag (a null QVariant: an entry without a Name tag).
    bool setNames(const QList<QPair<QString, QVariant>>& names) const
    {
        if (!exec("DELETE FROM names")) return false;
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

private:
    bool exec(const QByteArray& sql) const
    {
        char* message = nullptr;
        if (sqlite3_exec(m_db, sql.constData(), nullptr, nullptr, &message) == SQLITE_OK) return true;
        qWarning() << "exec failed:" << message << sql;
        sqlite3_free(message);
        return false;
    }

    sqlite3* m_db = nullptr;
};

} // namespace filtertest
