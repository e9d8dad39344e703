#pragma once
// Test helper for the Athena SQL checks (tests/core/tst_remote_sql*.cpp): a stand-in for Athena.
// Generated TGW and VPC default records (ingress and egress of a flow in different files, VPC
// records, ties, NODATA) written as flow log files for the app and, straight from the generator
// (not through the app's parser), as a plain SQLite table with Athena's column types; the
// independent transpiler (sqlglot, Debian package python3-sqlglot, run by /usr/bin/python3) that
// turns the generated Trino SQL into SQLite, and the SQLite functions that stand in for the Trino
// functions sqlglot leaves as they are (IPADDRESS cast, contains(), chr(), strpos(),
// bitwise_and()).
#include "core/model/fields.h"
#include "core/model/result.h"
#include "core/query/filter_ip.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QString>
#include <QStringList>
#include <sqlite3.h>

#include <map>
#include <string>
#include <vector>

namespace athenaoracle {

using namespace core;

inline constexpr qint64 T0 = 1764547200; // 2025-12-01T00:00:00Z
inline const char* const kPython = "/usr/bin/python3";

/// Translates or parses Trino SQL with sqlglot. sqlglot 10.6 (Debian 12) predates Trino's
/// IPADDRESS type: its trino tokenizer is taught the name (as a type it has), and the cast is
/// mapped to the SQLite function to_ipaddress() the test provides.
inline const char* const kTranspiler = R"PY(
import json, sys
import sqlglot
from sqlglot import exp
from sqlglot.dialects.trino import Trino
from sqlglot.tokens import TokenType

class FlowTrino(Trino):
    class Tokenizer(Trino.Tokenizer):
        KEYWORDS = {**Trino.Tokenizer.KEYWORDS, "IPADDRESS": TokenType.UUID}

def ip_cast(node):
    if isinstance(node, exp.Cast) and node.to.this == exp.DataType.Type.UUID:
        return exp.Anonymous(this="to_ipaddress", expressions=[node.this])
    return node

req = json.load(sys.stdin)
out = []
for q in req["queries"]:
    try:
        tree = sqlglot.parse_one(q, read=FlowTrino)
        if req["mode"] == "sqlite":
            out.append({"ok": True, "sql": tree.transform(ip_cast).sql(dialect="sqlite")})
        else:
            out.append({"ok": True})
    except Exception as e:
        out.append({"ok": False, "error": str(e)[:300]})
json.dump(out, sys.stdout)
)PY";

/// Runs the transpiler over `queries`; one result object per query.
inline QJsonArray transpile(const QStringList& queries, const QString& mode, QString* problem)
{
    QProcess p;
    p.start(QString::fromLatin1(kPython), {QStringLiteral("-c"), QString::fromLatin1(kTranspiler)});
    if (!p.waitForStarted()) {
        *problem = QStringLiteral("cannot start %1").arg(QString::fromLatin1(kPython));
        return {};
    }
    QJsonObject req{{QStringLiteral("mode"), mode}, {QStringLiteral("queries"), QJsonArray::fromStringList(queries)}};
    p.write(QJsonDocument(req).toJson(QJsonDocument::Compact));
    p.closeWriteChannel();
    if (!p.waitForFinished(300000)) {
        *problem = QStringLiteral("sqlglot did not finish");
        return {};
    }
    if (p.exitCode() != 0) {
        *problem =
            QStringLiteral("sqlglot failed (is python3-sqlglot installed?): %1").arg(QString::fromUtf8(p.readAllStandardError()));
        return {};
    }
    return QJsonDocument::fromJson(p.readAllStandardOutput()).array();
}

// ---------------------------------------------------------------------------------------------
// Generated data: TGW default records (ingress and egress of a flow in different files) and
// VPC default records.

inline const char* const kAttach[4] = {"tgw-attach-0aaa00000000000a1", "tgw-attach-0bbb00000000000b2",
                                       "tgw-attach-0ccc00000000000c3", "tgw-attach-0ddd00000000000d4"};
inline const char* const kTieAttach = "tgw-attach-0eee00000000000e5";                         ///< drops with ties in their top 3
inline const char* const kVpc[4] = {"vpc-0aaa1111", "vpc-0bbb2222", "vpc-0ccc3333", nullptr}; // the 4th is a VPN

using Fields = std::map<QString, QString>; ///< column -> value ('-' or absent = NULL)

inline QStringList tgwColumns()
{
    QStringList out;
    for (FieldId f : tgwDefaultLayout()) out << QString::fromLatin1(fieldInfo(f).column);
    return out;
}
inline QStringList vpcColumns()
{
    QStringList out;
    for (FieldId f : vpcDefaultLayout()) out << QString::fromLatin1(fieldInfo(f).column);
    return out;
}

inline QByteArray lineOf(const Fields& r, const QStringList& columns)
{
    QStringList parts;
    for (const QString& c : columns) {
        const auto it = r.find(c);
        parts << (it == r.end() || it->second.isEmpty() ? QStringLiteral("-") : it->second);
    }
    return parts.join(QLatin1Char(' ')).toUtf8() + '\n';
}

struct Data {
    std::vector<Fields> ingress, egress, other, vpc;
};

inline Data generate()
{
    Data d;
    QRandomGenerator rng(15);
    for (int i = 0; i < 160; ++i) {
        const int entry = static_cast<int>(rng.bounded(4));
        const int exit = (entry + 1 + static_cast<int>(rng.bounded(3))) % 4;
        Fields r;
        r["version"] = "6";
        r["resource_type"] = "TransitGateway";
        r["account_id"] = "111111111111";
        r["tgw_id"] = "tgw-0123456789abcdef0";
        r["tgw_src_vpc_account_id"] = kVpc[entry] ? "111111111111" : "";
        r["tgw_dst_vpc_account_id"] = kVpc[exit] ? "222222222222" : "";
        r["tgw_src_vpc_id"] = kVpc[entry] ? kVpc[entry] : "";
        r["tgw_dst_vpc_id"] = kVpc[exit] ? kVpc[exit] : "";
        r["tgw_src_subnet_id"] = kVpc[entry] ? QStringLiteral("subnet-0%1").arg(entry + 1) : QString();
        r["tgw_dst_subnet_id"] = kVpc[exit] ? QStringLiteral("subnet-0%1").arg(exit + 1) : QString();
        r["tgw_src_az_id"] = QStringLiteral("use1-az%1").arg(entry % 2 + 1);
        r["tgw_dst_az_id"] = QStringLiteral("use1-az%1").arg(exit % 2 + 1);
        const bool v6 = i % 9 == 4;
        r["srcaddr"] = v6 ? QStringLiteral("2600:1f18:%1::%2").arg(entry + 1).arg(i + 1)
                          : QStringLiteral("10.%1.%2.%3").arg(entry).arg(i % 4).arg(i % 50 + 1);
        r["dstaddr"] = v6 ? QStringLiteral("2600:1f18:%1::%2").arg(exit + 11).arg(i % 2 + 1)
                          : QStringLiteral("%1.%2.0.%3").arg(i % 7 == 0 ? 192 : 10).arg(i % 7 == 0 ? 168 : exit).arg(i % 9 + 1);
        r["type"] = v6 ? "IPv6" : "IPv4";
        static const int kProtocols[] = {6, 6, 17, 1, 50};
        const int proto = kProtocols[i % 5];
        r["protocol"] = QString::number(proto);
        if (proto != 1 && proto != 50) {
            static const int kPorts[] = {443, 22, 53, 3389, 8080};
            r["srcport"] = QString::number(30000 + static_cast<int>(rng.bounded(2000)));
            r["dstport"] = QString::number(kPorts[rng.bounded(5)]);
        } else {
            r["srcport"] = "0", r["dstport"] = "0";
        }
        r["packets"] = QString::number(1 + rng.bounded(50));
        r["bytes"] = QString::number(100 + rng.bounded(90000));
        const qint64 start = T0 + static_cast<qint64>(rng.bounded(2 * 86400));
        r["start"] = QString::number(start);
        r["end"] = QString::number(start + 60);
        r["log_status"] = "OK";
        static const char* const kFlags[] = {"0", "2", "18", "19", "16", "3", ""};
        r["tcp_flags"] = proto == 6 ? kFlags[rng.bounded(7)] : "";
        r["region"] = i % 31 == 3 ? "it's-a-region" : "us-east-1";
        r["pkt_src_aws_service"] = i % 13 == 1 ? "S3" : "";
        for (const char* c :
             {"packets_lost_no_route", "packets_lost_blackhole", "packets_lost_mtu_exceeded", "packets_lost_ttl_expired"})
            r[c] = "0";
        const int kind = static_cast<int>(rng.bounded(20));
        QString pair = QString::fromLatin1(kAttach[exit]);
        if (kind == 0) r["packets_lost_blackhole"] = QString::number(1 + rng.bounded(9)), pair.clear();
        if (kind == 1) r["packets_lost_no_route"] = QString::number(1 + rng.bounded(9)), pair.clear();
        if (kind == 2) r["packets_lost_mtu_exceeded"] = QString::number(1 + rng.bounded(9));
        if (kind == 3) r["packets_lost_ttl_expired"] = QString::number(1 + rng.bounded(9));
        if (kind == 4) r["packets_lost_mtu_exceeded"] = ""; // '-' counter
        Fields in = r, out = r;
        in["tgw_attachment_id"] = kAttach[entry], in["tgw_pair_attachment_id"] = pair, in["flow_direction"] = "ingress";
        in["tgw_src_eni"] = QStringLiteral("eni-0%1aaa0001").arg(entry),
        in["tgw_dst_eni"] = QStringLiteral("eni-0%1bbb0002").arg(exit);
        out["tgw_attachment_id"] = kAttach[exit], out["tgw_pair_attachment_id"] = kAttach[entry],
        out["flow_direction"] = "egress";
        out["tgw_src_eni"] = in["tgw_src_eni"], out["tgw_dst_eni"] = in["tgw_dst_eni"];
        const int side = static_cast<int>(rng.bounded(10)); // 0-5 both, 6-7 ingress only, 8-9 egress only
        const bool dropped = pair.isEmpty();
        if (side <= 7 || dropped) d.ingress.push_back(in);
        if (!dropped && (side <= 5 || side >= 8)) d.egress.push_back(out);
        if (i % 17 == 5 && !dropped) { // the same flow logged twice at each side
            d.ingress.push_back(in);
            d.egress.push_back(out);
        }
        if (i % 23 == 7) d.other.push_back(in); // an identical ingress record without a second egress
    }
    // NODATA and SKIPDATA intervals.
    for (int i = 0; i < 4; ++i) {
        Fields r;
        r["version"] = "6", r["resource_type"] = "TransitGateway", r["account_id"] = "111111111111";
        r["tgw_id"] = "tgw-0123456789abcdef0", r["tgw_attachment_id"] = kAttach[i];
        r["start"] = QString::number(T0 + 3600 * i), r["end"] = QString::number(T0 + 3600 * i + 60);
        r["log_status"] = i % 2 ? "NODATA" : "SKIPDATA";
        r["region"] = "us-east-1";
        d.other.push_back(r);
    }
    // TGW records logged without their own attachment id (and direction): their tgw-src-* and
    // tgw-dst-* fields still place them in the VPC, subnet, AZ and account views.
    for (size_t i = 0; i < 3; ++i) {
        Fields r = d.ingress[i];
        r["tgw_attachment_id"] = "", r["flow_direction"] = "";
        if (i == 2) r["tgw_pair_attachment_id"] = "";
        d.other.push_back(r);
    }
    // Ties in the drops' top 3, at an attachment of their own: the same packets lost from
    // addresses whose text and numeric orders differ (IPv6 among them) and at several ports.
    static const char* const kTieSrc[] = {"10.9.0.9", "10.9.0.10", "10.9.0.100", "2600:1f18:7::1", "172.31.0.1", "10.9.0.8"};
    static const int kTiePort[] = {443, 22, 8080, 53, 443, 22};
    for (int i = 0; i < 6; ++i) {
        Fields r = d.ingress.front();
        r["tgw_attachment_id"] = kTieAttach, r["tgw_pair_attachment_id"] = "", r["flow_direction"] = "ingress";
        r["srcaddr"] = kTieSrc[i], r["dstaddr"] = i % 2 ? "10.1.0.9" : "10.1.0.10";
        r["protocol"] = "6", r["dstport"] = QString::number(kTiePort[i]), r["srcport"] = "40000";
        for (const char* c :
             {"packets_lost_no_route", "packets_lost_blackhole", "packets_lost_mtu_exceeded", "packets_lost_ttl_expired"})
            r[c] = "0";
        r["packets_lost_blackhole"] = i == 5 ? "1" : "3";
        r["start"] = QString::number(T0 + 600 * i), r["end"] = QString::number(T0 + 600 * i + 60);
        d.other.push_back(r);
    }
    // VPC default records.
    for (int i = 0; i < 80; ++i) {
        Fields r;
        r["version"] = "2", r["account_id"] = "333333333333";
        r["interface_id"] = QStringLiteral("eni-0%1cc00001").arg(i % 5);
        const bool nodata = i % 19 == 3;
        if (!nodata) {
            r["srcaddr"] =
                i % 8 == 2 ? QStringLiteral("2600:1f18:9::%1").arg(i) : QStringLiteral("10.5.%1.%2").arg(i % 3).arg(i % 40 + 1);
            r["dstaddr"] = i % 8 == 2 ? QStringLiteral("2600:1f18:8::1") : QStringLiteral("172.16.0.%1").arg(i % 6 + 1);
            r["srcport"] = QString::number(40000 + i), r["dstport"] = QString::number(i % 3 ? 443 : 22);
            r["protocol"] = i % 4 ? "6" : "17";
            r["packets"] = QString::number(i % 7 + 1), r["bytes"] = QString::number(60 * (i + 1));
            r["action"] = i % 3 == 0 ? "REJECT" : "ACCEPT";
        }
        r["start"] = QString::number(T0 + 900 * i), r["end"] = QString::number(T0 + 900 * i + 55);
        r["log_status"] = nodata ? "NODATA" : "OK";
        d.vpc.push_back(r);
    }
    return d;
}

inline QByteArray fileOf(const std::vector<Fields>& rows, const QStringList& columns)
{
    QStringList header;
    for (const QString& c : columns) header << QString::fromLatin1(fieldInfo(*findField(c.toStdString())).name);
    QByteArray out = header.join(QLatin1Char(' ')).toUtf8() + '\n';
    for (const Fields& r : rows) out += lineOf(r, columns);
    return out;
}

// ---------------------------------------------------------------------------------------------
// The plain SQLite side.

inline void ipCast(sqlite3_context* c, int, sqlite3_value** argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(c);
    sqlite3_result_value(c, argv[0]);
}

/// contains(network, address): Trino's IP containment (sqlglot names it ARRAY_CONTAINS).
inline void ipContains(sqlite3_context* c, int, sqlite3_value** argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) return sqlite3_result_null(c);
    const std::string net(reinterpret_cast<const char*>(sqlite3_value_text(argv[0])));
    const std::string addr(reinterpret_cast<const char*>(sqlite3_value_text(argv[1])));
    const auto n = parseIpNetwork(net);
    const auto a = parseIpAddress(addr);
    if (!n || !a) return sqlite3_result_error(c, "bad address", -1);
    sqlite3_result_int(c, networkContains(*n, *a) ? 1 : 0);
}

inline void strPosition(sqlite3_context* c, int, sqlite3_value** argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(c);
    const QByteArray hay(reinterpret_cast<const char*>(sqlite3_value_text(argv[0])));
    const QByteArray needle(reinterpret_cast<const char*>(sqlite3_value_text(argv[1])));
    sqlite3_result_int64(c, hay.indexOf(needle) + 1);
}

inline void bitwiseAnd(sqlite3_context* c, int, sqlite3_value** argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) return sqlite3_result_null(c);
    sqlite3_result_int64(c, sqlite3_value_int64(argv[0]) & sqlite3_value_int64(argv[1]));
}

inline void chr(sqlite3_context* c, int, sqlite3_value** argv)
{
    const QByteArray s = QString(QChar(static_cast<char16_t>(sqlite3_value_int(argv[0])))).toUtf8();
    sqlite3_result_text(c, s.constData(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
}

struct Athena {
    sqlite3* db = nullptr;
    ~Athena() { sqlite3_close(db); }
};

/// The Athena table as plain SQLite: the fields with Athena's types (int/bigint -> INTEGER,
/// string -> TEXT, '-' -> NULL) plus the classic layout's partition columns.
inline bool createAthena(Athena& a, const QStringList& columns, const std::vector<Fields>& rows)
{
    if (sqlite3_open(":memory:", &a.db) != SQLITE_OK) return false;
    sqlite3_create_function(a.db, "to_ipaddress", 1, SQLITE_UTF8, nullptr, ipCast, nullptr, nullptr);
    sqlite3_create_function(a.db, "array_contains", 2, SQLITE_UTF8, nullptr, ipContains, nullptr, nullptr);
    sqlite3_create_function(a.db, "str_position", 2, SQLITE_UTF8, nullptr, strPosition, nullptr, nullptr);
    sqlite3_create_function(a.db, "bitwise_and", 2, SQLITE_UTF8, nullptr, bitwiseAnd, nullptr, nullptr);
    sqlite3_create_function(a.db, "chr", 1, SQLITE_UTF8, nullptr, chr, nullptr, nullptr);
    QStringList defs;
    for (const QString& c : columns) {
        const bool integer = fieldInfo(*findField(c.toStdString())).type == FieldType::Integer;
        defs << QStringLiteral("\"%1\" %2").arg(c, integer ? QStringLiteral("INTEGER") : QStringLiteral("TEXT"));
    }
    defs << QStringLiteral("aws_account_id TEXT") << QStringLiteral("aws_region TEXT") << QStringLiteral("day TEXT");
    const QByteArray create = QStringLiteral("CREATE TABLE flow_logs (%1)").arg(defs.join(QStringLiteral(", "))).toUtf8();
    if (sqlite3_exec(a.db, create.constData(), nullptr, nullptr, nullptr) != SQLITE_OK) return false;
    QStringList marks;
    for (qsizetype i = 0; i < columns.size() + 3; ++i) marks << QStringLiteral("?");
    const QByteArray insert = QStringLiteral("INSERT INTO flow_logs VALUES (%1)").arg(marks.join(QLatin1Char(','))).toUtf8();
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(a.db, insert.constData(), -1, &st, nullptr) != SQLITE_OK) return false;
    for (const Fields& r : rows) {
        int k = 1;
        for (const QString& c : columns) {
            const auto it = r.find(c);
            if (it == r.end() || it->second.isEmpty()) {
                sqlite3_bind_null(st, k++);
            } else if (fieldInfo(*findField(c.toStdString())).type == FieldType::Integer) {
                sqlite3_bind_int64(st, k++, it->second.toLongLong());
            } else {
                const QByteArray v = it->second.toUtf8();
                sqlite3_bind_text(st, k++, v.constData(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
            }
        }
        sqlite3_bind_text(st, k++, "111111111111", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, k++, "us-east-1", -1, SQLITE_STATIC);
        const QByteArray day = QDateTime::fromSecsSinceEpoch(r.at(QStringLiteral("start")).toLongLong(), Qt::UTC)
                                   .toString(QStringLiteral("yyyy/MM/dd"))
                                   .toUtf8();
        sqlite3_bind_text(st, k++, day.constData(), static_cast<int>(day.size()), SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE) return false;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return true;
}

inline QString cellText(sqlite3_stmt* st, int i)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL) return QStringLiteral("\\N");
    return QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(st, i)));
}

inline Result<QStringList> runRows(sqlite3* db, const QString& sql)
{
    sqlite3_stmt* st = nullptr;
    const QByteArray s = sql.toUtf8();
    if (sqlite3_prepare_v2(db, s.constData(), -1, &st, nullptr) != SQLITE_OK)
        return Error{{}, 0, 0, QString::fromUtf8(sqlite3_errmsg(db))};
    QStringList rows;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        QStringList cells;
        for (int i = 0; i < sqlite3_column_count(st); ++i) cells << cellText(st, i);
        rows << cells.join(QLatin1Char(','));
    }
    QString error = rc == SQLITE_DONE ? QString() : QString::fromUtf8(sqlite3_errmsg(db));
    sqlite3_finalize(st);
    if (!error.isEmpty()) return Error{{}, 0, 0, error};
    return rows;
}

} // namespace athenaoracle
