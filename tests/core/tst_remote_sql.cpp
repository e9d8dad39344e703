// The Athena SQL of core/remote checked by what it computes, not by its text. The same generated
// flow logs are loaded into the app's store and into a plain SQLite table with Athena's column
// types (written straight from the generator, not through the app's parser); the generated Trino
// SQL is translated to SQLite by an independent transpiler (sqlglot, Debian package
// python3-sqlglot, run by /usr/bin/python3) and run there, and its rows must equal the app's
// records, edges, series and drops for a table of filters (every operator, CIDR v4/v6, times,
// `in`, names, drops, twins split across files, duplicate flows). SQLite functions stand in
// for the Trino functions sqlglot leaves as they are (IPADDRESS cast, contains(), chr(),
// strpos(), bitwise_and()). Also: the SQL of every filter the 20,000-random-expression
// generator compiles parses under sqlglot's trino dialect.
#include "core/analysis/aggregate.h"
#include "core/analysis/drops.h"
#include "core/ingest/loader.h"
#include "core/model/fields.h"
#include "core/query/filter.h"
#include "core/query/filter_ip.h"
#include "core/remote/remote.h"
#include "core/store/store.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTest>
#include <sqlite3.h>

#include <map>

#include "tests/randomfilters.h"

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

constexpr qint64 T0 = 1764547200; // 2025-12-01T00:00:00Z
const char* const kPython = "/usr/bin/python3";

/// Translates or parses Trino SQL with sqlglot. sqlglot 10.6 (Debian 12) predates Trino's
/// IPADDRESS type: its trino tokenizer is taught the name (as a type it has), and the cast is
/// mapped to the SQLite function to_ipaddress() the test provides.
const char* const kTranspiler = R"PY(
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
QJsonArray transpile(const QStringList& queries, const QString& mode, QString* problem)
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

const char* const kAttach[4] = {"tgw-attach-0aaa00000000000a1", "tgw-attach-0bbb00000000000b2", "tgw-attach-0ccc00000000000c3",
                                "tgw-attach-0ddd00000000000d4"};
const char* const kTieAttach = "tgw-attach-0eee00000000000e5";                         ///< drops with ties in their top 3
const char* const kVpc[4] = {"vpc-0aaa1111", "vpc-0bbb2222", "vpc-0ccc3333", nullptr}; // the 4th is a VPN

using Fields = std::map<QString, QString>; ///< column -> value ('-' or absent = NULL)

QStringList tgwColumns()
{
    QStringList out;
    for (FieldId f : tgwDefaultLayout()) out << QString::fromLatin1(fieldInfo(f).column);
    return out;
}
QStringList vpcColumns()
{
    QStringList out;
    for (FieldId f : vpcDefaultLayout()) out << QString::fromLatin1(fieldInfo(f).column);
    return out;
}

QByteArray lineOf(const Fields& r, const QStringList& columns)
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

Data generate()
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

QByteArray fileOf(const std::vector<Fields>& rows, const QStringList& columns)
{
    QStringList header;
    for (const QString& c : columns) header << QString::fromLatin1(fieldInfo(*findField(c.toStdString())).name);
    QByteArray out = header.join(QLatin1Char(' ')).toUtf8() + '\n';
    for (const Fields& r : rows) out += lineOf(r, columns);
    return out;
}

// ---------------------------------------------------------------------------------------------
// The plain SQLite side.

void ipCast(sqlite3_context* c, int, sqlite3_value** argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(c);
    sqlite3_result_value(c, argv[0]);
}

/// contains(network, address): Trino's IP containment (sqlglot names it ARRAY_CONTAINS).
void ipContains(sqlite3_context* c, int, sqlite3_value** argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) return sqlite3_result_null(c);
    const std::string net(reinterpret_cast<const char*>(sqlite3_value_text(argv[0])));
    const std::string addr(reinterpret_cast<const char*>(sqlite3_value_text(argv[1])));
    const auto n = parseIpNetwork(net);
    const auto a = parseIpAddress(addr);
    if (!n || !a) return sqlite3_result_error(c, "bad address", -1);
    sqlite3_result_int(c, networkContains(*n, *a) ? 1 : 0);
}

void strPosition(sqlite3_context* c, int, sqlite3_value** argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(c);
    const QByteArray hay(reinterpret_cast<const char*>(sqlite3_value_text(argv[0])));
    const QByteArray needle(reinterpret_cast<const char*>(sqlite3_value_text(argv[1])));
    sqlite3_result_int64(c, hay.indexOf(needle) + 1);
}

void bitwiseAnd(sqlite3_context* c, int, sqlite3_value** argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) return sqlite3_result_null(c);
    sqlite3_result_int64(c, sqlite3_value_int64(argv[0]) & sqlite3_value_int64(argv[1]));
}

void chr(sqlite3_context* c, int, sqlite3_value** argv)
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
bool createAthena(Athena& a, const QStringList& columns, const std::vector<Fields>& rows)
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

QString cellText(sqlite3_stmt* st, int i)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL) return QStringLiteral("\\N");
    return QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(st, i)));
}

Result<QStringList> runRows(sqlite3* db, const QString& sql)
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

// ---------------------------------------------------------------------------------------------
// The app's side, as rows of the same shape.

QString num(qint64 v)
{
    return QString::number(v);
}

QStringList appEdges(const Store& s, const QString& filter, EdgeDimension by)
{
    QStringList out;
    const auto edges = computeEdges(s, filter, by);
    for (const Edge& e : edges.value())
        out << QStringList{e.src,          e.dst,          num(e.flows),   num(e.packets), num(e.bytes),
                           num(e.lost[0]), num(e.lost[1]), num(e.lost[2]), num(e.lost[3])}
                   .join(QLatin1Char(','));
    return out;
}

QStringList appSeries(const Store& s, const QString& filter, qint64 bin)
{
    QStringList out;
    const auto series = computeSeries(s, filter, bin);
    for (const SeriesBin& b : series.value().bins) {
        if (b.flows == 0) continue; // SQL has no rows for empty bins
        out << QStringList{num(b.start),   num(b.flows),   num(b.packets), num(b.bytes),
                           num(b.lost[0]), num(b.lost[1]), num(b.lost[2]), num(b.lost[3])}
                   .join(QLatin1Char(','));
    }
    return out;
}

QStringList appDrops(const Store& s, const QString& filter, const NameDirectory* names)
{
    QStringList out;
    const auto drops = computeDrops(s, filter, names);
    for (const DropRow& d : drops.value())
        out << QStringList{d.entry,
                           d.exit,
                           dropReasonName(d.reason),
                           num(d.packets),
                           num(d.records),
                           d.firstSeen ? num(d.firstSeen) : QStringLiteral("\\N"),
                           d.lastSeen ? num(d.lastSeen) : QStringLiteral("\\N"),
                           formatTopValues(d.topSources),
                           formatTopValues(d.topDestinations),
                           formatTopValues(d.topPorts),
                           d.routeTableId}
                   .join(QLatin1Char(','));
    return out;
}

QStringList appRecords(const Store& s, const QString& filter, const QStringList& columns)
{
    auto f = compileFilter(filter);
    QStringList quoted;
    for (const QString& c : columns) quoted << QLatin1Char('"') + c + QLatin1Char('"');
    auto st = s.prepare(QStringLiteral("SELECT %1 FROM flows WHERE %2").arg(quoted.join(QLatin1Char(',')), f->where));
    st->bindAll(f->params);
    QStringList rows;
    while (st->next()) {
        QStringList cells;
        for (int i = 0; i < st->columnCount(); ++i) cells << (st->isNull(i) ? QStringLiteral("\\N") : st->text(i));
        rows << cells.join(QLatin1Char(','));
    }
    return rows;
}

struct Case {
    QString name;
    bool vpc = false;
    QString filter;
};

std::vector<Case> cases()
{
    const QString A = QString::fromLatin1(kAttach[0]), B = QString::fromLatin1(kAttach[1]);
    std::vector<Case> c = {
        {"all", false, ""},
        {"==", false, "dstport == 443"},
        {"!=", false, "dstport != 443"},
        {"<", false, "packets < 10"},
        {"<=", false, "packets <= 10"},
        {">", false, "bytes > 50000"},
        {">=", false, "bytes >= 50000"},
        {"in ports", false, "port in {22, 3389}"},
        {"in protocols", false, "proto in {tcp, udp}"},
        {"protocol name", false, "proto == icmp"},
        {"contains", false, "attachment contains 0BBB"},
        {"contains with a quote", false, "region contains \"'S-A\""},
        {"text with a quote", false, "region == \"it's-a-region\""},
        {"has", false, "tcp_flags has SYN"},
        {"has two", false, "tcp_flags has SYN|ACK"},
        {"flags ==", false, "tcp_flags == SYN|ACK"},
        {"not present", false, "not tcp_flags"},
        {"present", false, "pkt_src_aws_service"},
        {"CIDR v4", false, "srcaddr == 10.1.0.0/16"},
        {"CIDR v4 alias", false, "addr == 10.2.0.0/16"},
        {"CIDR v4 !=", false, "dstaddr != 10.0.0.0/8"},
        {"CIDR v6", false, "addr == 2600:1f18:2::/48"},
        {"CIDR ::/0 (no IPv4)", false, "srcaddr == ::/0"},
        {"host v4", false, "dstaddr == 192.168.0.1"},
        {"host v6", false, "dstaddr == 2600:1f18:12:0::1"},
        {"addr in", false, "addr in {10.0.0.0/16, 2600:1f18:3::/48}"},
        {"time range", false, "start >= \"2025-12-01 06:00\" and start < \"2025-12-01 18:00\""},
        {"time ISO", false, "end <= 2025-12-02T03:00:00Z"},
        {"time >", false, "start > 1764633600"},
        {"one attachment (twin rule)", false, "tgw_attachment_id == " + A},
        {"attachment alias", false, "attachment == " + B},
        {"attachment !=", false, "attachment != " + B},
        {"direction", false, "flow_direction == egress"},
        {"drops", false, "drops"},
        {"not drops", false, "not drops"},
        {"drops >", false, "drops > 4"},
        {"no route", false, "packets_lost_no_route > 0 or packets_lost_blackhole > 0"},
        {"no pair", false, "not tgw_pair_attachment_id"},
        {"name", false, "attachment == \"VPC A\""},
        {"name in", false, "attachment in {\"VPC A\", " + B + "}"},
        {"name !=", false, "tgw_pair_attachment_id != \"VPC A\""},
        {"unknown name", false, "attachment == \"nobody\""},
        {"absent column", false, "action == ACCEPT"},
        {"absent column !=", false, "action != ACCEPT"},
        {"log status", false, "log_status != OK"},
        {"and/or", false, "(port == 22 or port == 443) and bytes > 1000 and not proto == udp"},
        {"vpc", false, "vpc == vpc-0aaa1111"},
        {"VPC all", true, ""},
        {"VPC reject", true, "action == REJECT"},
        {"VPC eni", true, "interface_id == eni-01cc00001"},
        {"VPC CIDR", true, "addr == 10.5.1.0/24"},
        {"VPC v6", true, "srcaddr == 2600:1f18:9::/48"},
        {"VPC port", true, "srcport > 40040 and dstport in {443}"},
        {"VPC nodata", true, "log_status == NODATA"},
    };
    return c;
}

const QStringList kViews = {QStringLiteral("records"),    QStringLiteral("edges attachment"), QStringLiteral("edges vpc"),
                            QStringLiteral("edges addr"), QStringLiteral("series"),           QStringLiteral("drops")};

RemoteQuery queryFor(const QString& view, const QString& filter, bool vpc, const NameDirectory* names)
{
    RemoteQuery q;
    q.filter = filter;
    q.fields = vpc ? vpcColumns() : tgwColumns();
    q.names = names;
    q.limit = 0;
    q.binSeconds = 3600;
    if (view == QLatin1String("records")) q.view = RemoteView::Records;
    else if (view == QLatin1String("series")) q.view = RemoteView::Series;
    else if (view == QLatin1String("drops")) q.view = RemoteView::Drops;
    else {
        q.view = RemoteView::Edges;
        q.by = *edgeDimensionFromString(view.section(QLatin1Char(' '), 1));
    }
    return q;
}

} // namespace

class TestRemoteSql : public QObject {
    Q_OBJECT

    std::unique_ptr<Store> m_tgw, m_vpc;
    Athena m_athenaTgw, m_athenaVpc;
    NameDirectory m_names;
    std::map<QString, QString> m_sqlite; ///< "case|view" -> translated SQL (or "!error")
    std::map<QString, QString> m_trino;

private Q_SLOTS:
    void initTestCase()
    {
        const Data d = generate();
        NameEntry a = named(QString::fromLatin1(kAttach[0]), QStringLiteral("VPC A"));
        a.routeTableId = QStringLiteral("tgw-rtb-0aaa000000000001");
        m_names.add(a);
        NameEntry tie = named(QString::fromLatin1(kTieAttach), QStringLiteral("ties"));
        tie.routeTableId = QStringLiteral("tgw-rtb-0eee00000000000e'5"); // a quote in a literal
        m_names.add(tie);
        m_names.add(named(QString::fromLatin1(kAttach[2]), QStringLiteral("VPC A"))); // two attachments share a name
        m_names.add(named(QString::fromLatin1(kAttach[3]), QStringLiteral("on-prem VPN")));
        m_tgw = std::move(Store::create().value());
        m_vpc = std::move(Store::create().value());
        // Twins split across files and loads: ingress records in one file, egress in another.
        for (const auto& [rows, name] :
             {std::pair{&d.ingress, "ingress.log"}, {&d.egress, "egress.log"}, {&d.other, "other.log"}}) {
            const LoadReport r = loadBuffer(*m_tgw, fileOf(*rows, tgwColumns()), QString::fromLatin1(name), LoadOptions{});
            QCOMPARE(r.rejected, 0);
        }
        QVERIFY(storeNames(*m_tgw, m_names).ok());
        QCOMPARE(loadBuffer(*m_vpc, fileOf(d.vpc, vpcColumns()), QStringLiteral("vpc.log"), LoadOptions{}).rejected, 0);
        std::vector<Fields> all = d.ingress;
        all.insert(all.end(), d.egress.begin(), d.egress.end());
        all.insert(all.end(), d.other.begin(), d.other.end());
        QVERIFY(createAthena(m_athenaTgw, tgwColumns(), all));
        QVERIFY(createAthena(m_athenaVpc, vpcColumns(), d.vpc));

        QStringList keys, queries;
        for (const Case& c : cases()) {
            for (const QString& view : kViews) {
                auto sql = athenaSql(queryFor(view, c.filter, c.vpc, &m_names));
                QVERIFY2(sql.ok(), qPrintable(c.name + QLatin1Char(' ') + view + QStringLiteral(": ") + errorOf(sql)));
                keys << c.name + QLatin1Char('|') + view;
                queries << sql.value();
                m_trino[keys.back()] = sql.value();
            }
        }
        QString problem;
        const QJsonArray out = transpile(queries, QStringLiteral("sqlite"), &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(out.size(), queries.size());
        for (qsizetype i = 0; i < keys.size(); ++i) {
            const QJsonObject o = out[i].toObject();
            m_sqlite[keys[i]] = o.value(QStringLiteral("ok")).toBool()
                                    ? o.value(QStringLiteral("sql")).toString()
                                    : QStringLiteral("!") + o.value(QStringLiteral("error")).toString();
        }
    }

    void sameAsTheApp_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("vpc");
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("view");
        for (const Case& c : cases())
            for (const QString& view : kViews)
                QTest::newRow(qPrintable(c.name + QStringLiteral(" / ") + view)) << c.name << c.vpc << c.filter << view;
    }

    void sameAsTheApp()
    {
        QFETCH(QString, name);
        QFETCH(bool, vpc);
        QFETCH(QString, filter);
        QFETCH(QString, view);
        const QString key = name + QLatin1Char('|') + view;
        const QString sql = m_sqlite[key];
        QVERIFY2(!sql.startsWith(QLatin1Char('!')), qPrintable(QStringLiteral("sqlglot: %1\n%2").arg(sql, m_trino[key])));
        const Store& store = vpc ? *m_vpc : *m_tgw;
        auto rows = runRows(vpc ? m_athenaVpc.db : m_athenaTgw.db, sql);
        QVERIFY2(rows.ok(), qPrintable(errorOf(rows) + QStringLiteral("\n") + sql));
        QStringList expected;
        if (view == QLatin1String("records")) expected = appRecords(store, filter, vpc ? vpcColumns() : tgwColumns());
        else if (view == QLatin1String("series")) expected = appSeries(store, filter, 3600);
        else if (view == QLatin1String("drops")) expected = appDrops(store, filter, &m_names);
        else expected = appEdges(store, filter, *edgeDimensionFromString(view.section(QLatin1Char(' '), 1)));
        QStringList got = rows.value();
        if (view == QLatin1String("records")) { // no id in Athena: compare as multisets
            got.sort();
            expected.sort();
        }
        if (got != expected) {
            qWarning().noquote() << "Trino SQL:\n" << m_trino[key];
            QCOMPARE(got, expected);
        }
        if (view == QLatin1String("records") && !name.contains(QLatin1String("unknown")) && !name.contains(QLatin1String("::/0"))
            && name != QLatin1String("absent column"))
            QVERIFY2(!expected.isEmpty(), "a case that selects no record tests little");
    }

    // The tie data set really has ties, in an order that is not numeric: the app's row (which
    // sameAsTheApp compares with the SQL's) is pinned here.
    void dropsTopTies()
    {
        const auto drops = computeDrops(*m_tgw, {}, &m_names);
        QVERIFY(drops.ok());
        const DropRow* tie = nullptr;
        for (const DropRow& d : drops.value())
            if (d.entry == QLatin1String(kTieAttach)) tie = &d;
        QVERIFY(tie);
        QCOMPARE(formatTopValues(tie->topSources), QStringLiteral("10.9.0.10 (3); 10.9.0.100 (3); 10.9.0.9 (3)"));
        QCOMPARE(formatTopValues(tie->topDestinations), QStringLiteral("10.1.0.10 (9); 10.1.0.9 (7)"));
        QCOMPARE(formatTopValues(tie->topPorts), QStringLiteral("443 (6); 22 (4); 53 (3)"));
        QCOMPARE(tie->routeTableId, QStringLiteral("tgw-rtb-0eee00000000000e'5"));
        const QString sql = m_sqlite[QStringLiteral("all|drops")];
        auto rows = runRows(m_athenaTgw.db, sql);
        QVERIFY2(rows.ok(), qPrintable(errorOf(rows)));
        bool found = false;
        for (const QString& row : rows.value())
            found = found || row.contains(QLatin1String("10.9.0.10 (3); 10.9.0.100 (3); 10.9.0.9 (3)"));
        QVERIFY2(found, qPrintable(rows->join(QLatin1Char('\n'))));
    }

    void randomFiltersParseUnderTrino()
    {
        QStringList queries, expressions;
        int i = 0;
        for (const QString& e : randomFilterExpressions()) {
            if (!compileFilter(e).ok()) {
                QVERIFY2(!trinoFilter(e, {}).ok(), qPrintable(e)); // the same errors
                continue;
            }
            auto where = trinoFilter(e, tgwColumns(), &m_names);
            QVERIFY2(where.ok(), qPrintable(e + QStringLiteral(": ") + errorOf(where)));
            expressions << e;
            if (++i % 25 == 0) {
                RemoteQuery q = queryFor(QStringLiteral("edges attachment"), e, false, &m_names);
                queries << athenaSql(q).value();
            } else {
                queries << QStringLiteral("SELECT count(*) FROM flow_logs WHERE ") + where.value();
            }
        }
        QVERIFY(queries.size() > 100);
        QString problem;
        const QJsonArray out = transpile(queries, QStringLiteral("parse"), &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(out.size(), queries.size());
        for (qsizetype k = 0; k < out.size(); ++k)
            QVERIFY2(out[k].toObject().value(QStringLiteral("ok")).toBool(),
                     qPrintable(expressions[k] + QStringLiteral("\n") + queries[k] + QStringLiteral("\n")
                                + out[k].toObject().value(QStringLiteral("error")).toString()));
    }

    void literalsAreQuoted_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("expected");
        QTest::newRow("quote doubled") << "region == \"x' OR 1=1 --\""
                                       << "\"region\" = 'x'' OR 1=1 --'";
        QTest::newRow("newline as chr") << "region == \"a\\nb\""
                                        << "\"region\" = ('a' || chr(10) || 'b')";
        QTest::newRow("backslash kept") << "region == 'a\\\\b'"
                                        << "\"region\" = 'a\\b'";
        QTest::newRow("like escaped") << "region contains \"50%_\""
                                      << "lower(\"region\") LIKE '%50\\%\\_%' ESCAPE '\\'";
    }

    void literalsAreQuoted()
    {
        QFETCH(QString, filter);
        QFETCH(QString, expected);
        auto w = trinoFilter(filter, tgwColumns());
        QVERIFY2(w.ok(), qPrintable(errorOf(w)));
        QCOMPARE(w.value(), expected);
    }

    void partitionPredicate_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<int>("layout");
        QTest::addColumn<QString>("expected");
        QTest::newRow("classic range") << "start >= \"2025-12-01 10:00\" and start < \"2025-12-03 00:00\"" << 0
                                       << "\"day\" BETWEEN '2025/12/01' AND '2025/12/03'";
        QTest::newRow("classic lower") << "start >= 2025-12-01T10:00:00Z" << 0 << "\"day\" >= '2025/12/01'";
        QTest::newRow("classic end bound") << "end < 2025-12-05T00:00:00Z" << 0 << "\"day\" <= '2025/12/05'";
        QTest::newRow("hive one month") << "start >= \"2025-12-01 10:00\" and start < \"2025-12-03 00:00\"" << 1
                                        << "(\"year\" = '2025' AND \"month\" = '12' AND \"day\" BETWEEN '01' AND '03')";
        QTest::newRow("hive two months")
            << "start >= \"2025-11-30 10:00\" and start < \"2025-12-31 12:00\"" << 1
            << "((\"year\" = '2025' AND \"month\" = '11' AND \"day\" = '30') OR (\"year\" = '2025' AND "
               "\"month\" = '12') OR (\"year\" = '2026' AND \"month\" = '01' AND \"day\" = '01'))";
        QTest::newRow("or is no bound") << "start >= 1764547200 or bytes > 1" << 0 << "";
    }

    void partitionPredicate()
    {
        QFETCH(QString, filter);
        QFETCH(int, layout);
        QFETCH(QString, expected);
        RemoteQuery q;
        q.view = RemoteView::Records;
        q.filter = filter;
        q.layout = layout ? S3Layout::Hive : S3Layout::Classic;
        const QString sql = athenaSql(q).value();
        if (expected.isEmpty()) {
            QVERIFY2(!sql.contains(QLatin1String("\"day\"")), qPrintable(sql));
        } else {
            QVERIFY2(sql.contains(QStringLiteral("WHERE ") + expected + QStringLiteral("\n  AND ")), qPrintable(sql));
        }
    }

    void errors_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("table");
        QTest::addColumn<QString>("message");
        QTest::newRow("filter error keeps its position") << "bytes >"
                                                         << "flow_logs"
                                                         << "expected a value after '>' at 8";
        QTest::newRow("address order") << "srcaddr < 10.0.0.1"
                                       << "flow_logs"
                                       << "does not work on address field";
        QTest::newRow("bad table") << ""
                                   << "t; DROP TABLE x"
                                   << "table name";
    }

    void errors()
    {
        QFETCH(QString, filter);
        QFETCH(QString, table);
        QFETCH(QString, message);
        RemoteQuery q;
        q.filter = filter;
        q.table = table;
        auto r = athenaSql(q);
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(message), qPrintable(errorOf(r)));
    }
};

QTEST_GUILESS_MAIN(TestRemoteSql)
#include "tst_remote_sql.moc"
