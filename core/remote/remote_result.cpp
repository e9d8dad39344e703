// Aggregate results read back into the views' types: Athena result CSV (quoted values), the
// CSV `flowlog-cli edges|series|drops` writes, and Logs Insights CSV/JSON exports of the
// queries insightsQuery() builds. The view is recognised from the column names. Logs Insights
// rows split by flow_direction (it cannot pair twins) are merged by keeping, per row key, the
// side with more bytes (edges, series) or packets (drops): a flow logged at both attachments
// then counts once, and a direction logged at one side only keeps that side.
#include "core/model/fields.h"
#include "core/remote/remote.h"
#include "core/remote/remote_impl.h"

#include <QDateTime>
#include <QFile>
#include <QHash>
#include <QRegularExpression>
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <tuple>

namespace core {

using remote::parseResultTable;
using remote::Table;

namespace {

class Reader {
public:
    Reader(const Table& t, const QString& path) : m_t(t), m_path(path) {}
    int col(const QString& name) const { return static_cast<int>(m_t.columns.indexOf(name)); }
    int firstCol(std::initializer_list<const char*> names) const
    {
        for (const char* n : names)
            if (const int c = col(QString::fromLatin1(n)); c >= 0) return c;
        return -1;
    }
    QString text(size_t row, int c) const
    {
        if (c < 0) return {};
        return m_t.rows[row][c].trimmed();
    }
    /// Integer cell; empty and '-' read as 0; decimals (Logs Insights sums) are rounded.
    Result<qint64> number(size_t row, int c) const
    {
        const QString s = text(row, c);
        if (s.isEmpty() || s == QLatin1String("-")) return qint64(0);
        bool ok = false;
        const qint64 n = s.toLongLong(&ok);
        if (ok) return n;
        const double d = s.toDouble(&ok);
        if (ok && std::isfinite(d) && std::fabs(d) < 9e18) return static_cast<qint64>(std::llround(d));
        return Error{m_path, m_t.lines[row], c + 1,
                     QStringLiteral("column '%1': '%2' is not a number").arg(m_t.columns[c], s.left(40))};
    }
    /// A time cell: Unix seconds, or "2026-11-29 10:00:00.000" (Logs Insights, UTC).
    Result<qint64> time(size_t row, int c) const
    {
        const QString s = text(row, c);
        bool ok = false;
        const qint64 n = s.toLongLong(&ok);
        if (ok) return n > 100000000000LL ? n / 1000 : n;
        for (const char* f :
             {"yyyy-MM-dd HH:mm:ss.zzz", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss.zzzZ", "yyyy-MM-ddTHH:mm:ssZ"}) {
            QDateTime dt = QDateTime::fromString(s, QString::fromLatin1(f));
            if (dt.isValid()) {
                dt.setTimeSpec(Qt::UTC);
                return dt.toSecsSinceEpoch();
            }
        }
        return Error{m_path, m_t.lines[row], c + 1,
                     QStringLiteral("column '%1': '%2' is not a time").arg(m_t.columns[c], s.left(40))};
    }
    /// A top-values cell as formatTopValues() writes it: "10.0.0.1 (120); 10.0.0.2 (7)"; empty = none.
    Result<std::vector<TopValue>> topValues(size_t row, int c) const
    {
        std::vector<TopValue> out;
        const QString s = text(row, c);
        if (s.isEmpty()) return out;
        for (const QString& part : s.split(QStringLiteral("; "))) {
            const qsizetype open = part.lastIndexOf(QStringLiteral(" ("));
            bool ok = false;
            const qint64 packets =
                open > 0 && part.endsWith(QLatin1Char(')')) ? part.mid(open + 2, part.size() - open - 3).toLongLong(&ok) : 0;
            if (!ok)
                return Error{m_path, m_t.lines[row], c + 1,
                             QStringLiteral("column '%1': '%2' is not 'value (packets)'").arg(m_t.columns[c], part.left(60))};
            out.push_back({part.left(open), packets});
        }
        return out;
    }
    size_t rows() const { return m_t.rows.size(); }

private:
    const Table& m_t;
    QString m_path;
};

const char* const kLost[4] = {"packets_lost_no_route", "packets_lost_blackhole", "packets_lost_mtu_exceeded",
                              "packets_lost_ttl_expired"};

QString orDash(const QString& s)
{
    return s.isEmpty() ? QStringLiteral("-") : s;
}

Result<RemoteResult> readEdges(const Reader& r, int src, int dst, int attach, int pair, int direction)
{
    RemoteResult out;
    out.view = RemoteView::Edges;
    const int flows = r.col(QStringLiteral("flows")), packets = r.col(QStringLiteral("packets")),
              bytes = r.col(QStringLiteral("bytes"));
    int lost[4];
    for (int i = 0; i < 4; ++i) lost[i] = r.col(QString::fromLatin1(kLost[i]));
    // key -> (ingress-or-unknown side, egress side)
    std::map<std::pair<QString, QString>, std::pair<Edge, Edge>> merged;
    for (size_t i = 0; i < r.rows(); ++i) {
        Edge e;
        const bool egress = direction >= 0 && r.text(i, direction) == QLatin1String("egress");
        if (attach >= 0) {
            const QString a = orDash(r.text(i, attach)), p = orDash(r.text(i, pair));
            e.src = egress ? p : a;
            e.dst = egress ? a : p;
        } else {
            e.src = orDash(r.text(i, src));
            e.dst = orDash(r.text(i, dst));
        }
        auto f = r.number(i, flows);
        auto pk = r.number(i, packets);
        auto b = r.number(i, bytes);
        if (!f) return f.error();
        if (!pk) return pk.error();
        if (!b) return b.error();
        e.flows = *f, e.packets = *pk, e.bytes = *b;
        for (int k = 0; k < 4; ++k) {
            auto l = r.number(i, lost[k]);
            if (!l) return l.error();
            e.lost[static_cast<size_t>(k)] = *l;
        }
        auto& slot = merged[{e.src, e.dst}];
        Edge& side = egress ? slot.second : slot.first;
        side.src = e.src, side.dst = e.dst;
        side.flows += e.flows, side.packets += e.packets, side.bytes += e.bytes;
        for (size_t k = 0; k < 4; ++k) side.lost[k] += e.lost[k];
    }
    for (auto& [key, sides] : merged) {
        Edge& pick = sides.second.bytes > sides.first.bytes || (sides.first.src.isEmpty()) ? sides.second : sides.first;
        pick.src = key.first, pick.dst = key.second;
        out.edges.push_back(pick);
    }
    std::sort(out.edges.begin(), out.edges.end(), [](const Edge& a, const Edge& b) {
        if (a.bytes != b.bytes) return a.bytes > b.bytes;
        if (a.src != b.src) return a.src < b.src;
        return a.dst < b.dst;
    });
    out.rows = static_cast<qint64>(r.rows());
    return out;
}

Result<RemoteResult> readSeries(const Reader& r, int binCol, qint64 binHint, int direction)
{
    RemoteResult out;
    out.view = RemoteView::Series;
    const int flows = r.col(QStringLiteral("flows")), packets = r.col(QStringLiteral("packets")),
              bytes = r.col(QStringLiteral("bytes"));
    const int rejects = r.col(QStringLiteral("rejects"));
    int lost[4];
    for (int i = 0; i < 4; ++i) lost[i] = r.col(QString::fromLatin1(kLost[i]));
    std::map<qint64, std::pair<SeriesBin, SeriesBin>> bins;
    for (size_t i = 0; i < r.rows(); ++i) {
        auto t = r.time(i, binCol);
        if (!t) return t.error();
        SeriesBin b;
        b.start = *t;
        for (auto [dest, c] :
             {std::pair<qint64*, int>{&b.flows, flows}, {&b.packets, packets}, {&b.bytes, bytes}, {&b.rejects, rejects}}) {
            auto n = r.number(i, c);
            if (!n) return n.error();
            *dest = *n;
        }
        for (int k = 0; k < 4; ++k) {
            auto l = r.number(i, lost[k]);
            if (!l) return l.error();
            b.lost[static_cast<size_t>(k)] = *l;
        }
        const bool egress = direction >= 0 && r.text(i, direction) == QLatin1String("egress");
        auto& slot = bins[b.start];
        SeriesBin& side = egress ? slot.second : slot.first;
        side.start = b.start;
        side.flows += b.flows, side.packets += b.packets, side.bytes += b.bytes, side.rejects += b.rejects;
        for (size_t k = 0; k < 4; ++k) side.lost[k] += b.lost[k];
    }
    qint64 bin = binHint;
    if (bin <= 0) {
        qint64 prev = 0;
        bool first = true;
        for (const auto& [start, sides] : bins) {
            if (!first && (bin <= 0 || start - prev < bin)) bin = start - prev;
            prev = start;
            first = false;
        }
        if (bin <= 0) bin = 60;
    }
    out.series.binSeconds = bin;
    if (bins.empty()) return out;
    const qint64 firstStart = bins.begin()->first, lastStart = bins.rbegin()->first;
    if ((lastStart - firstStart) / bin > 5'000'000)
        return Error{{}, 0, 0, QStringLiteral("%1 bins of %2 s are too many").arg((lastStart - firstStart) / bin).arg(bin)};
    for (qint64 s = firstStart; s <= lastStart; s += bin) {
        SeriesBin b;
        b.start = s;
        if (auto it = bins.find(s); it != bins.end()) {
            const SeriesBin& pick = it->second.second.bytes > it->second.first.bytes ? it->second.second : it->second.first;
            b = pick;
            b.start = s;
        }
        out.series.bins.push_back(b);
    }
    // Bins that do not fall on the grid (irregular input) are added to the bin holding them.
    for (const auto& [start, sides] : bins) {
        if ((start - firstStart) % bin == 0) continue;
        const SeriesBin& pick = sides.second.bytes > sides.first.bytes ? sides.second : sides.first;
        SeriesBin& into = out.series.bins[static_cast<size_t>((start - firstStart) / bin)];
        into.flows += pick.flows, into.packets += pick.packets, into.bytes += pick.bytes, into.rejects += pick.rejects;
        for (size_t k = 0; k < 4; ++k) into.lost[k] += pick.lost[k];
    }
    out.rows = static_cast<qint64>(r.rows());
    return out;
}

void sortDrops(std::vector<DropRow>& rows)
{
    std::sort(rows.begin(), rows.end(), [](const DropRow& a, const DropRow& b) {
        if (a.packets != b.packets) return a.packets > b.packets;
        if (a.entry != b.entry) return a.entry < b.entry;
        if (a.exit != b.exit) return a.exit < b.exit;
        return static_cast<int>(a.reason) < static_cast<int>(b.reason);
    });
    for (DropRow& d : rows) explainDrop(d);
}

Result<RemoteResult> readDrops(const Reader& r)
{
    RemoteResult out;
    out.view = RemoteView::Drops;
    const int entry = r.col(QStringLiteral("entry")), exit = r.col(QStringLiteral("exit")),
              reason = r.col(QStringLiteral("reason"));
    const int packets = r.col(QStringLiteral("packets")), records = r.col(QStringLiteral("records"));
    const int first = r.col(QStringLiteral("first_seen")), last = r.col(QStringLiteral("last_seen"));
    const int rt = r.col(QStringLiteral("route_table_id"));
    const int sources = r.col(QStringLiteral("top_sources")), destinations = r.col(QStringLiteral("top_destinations")),
              ports = r.col(QStringLiteral("top_dst_ports"));
    for (size_t i = 0; i < r.rows(); ++i) {
        DropRow d;
        d.entry = orDash(r.text(i, entry));
        d.exit = orDash(r.text(i, exit));
        const auto why = dropReasonFromName(r.text(i, reason));
        if (!why) return Error{{}, 0, reason + 1, QStringLiteral("unknown drop reason '%1'").arg(r.text(i, reason).left(40))};
        d.reason = *why;
        for (auto [dest, c] : {std::pair<qint64*, int>{&d.packets, packets}, {&d.records, records}}) {
            auto n = r.number(i, c);
            if (!n) return n.error();
            *dest = *n;
        }
        if (!r.text(i, first).isEmpty()) {
            auto t = r.time(i, first);
            if (!t) return t.error();
            d.firstSeen = *t;
        }
        if (!r.text(i, last).isEmpty()) {
            auto t = r.time(i, last);
            if (!t) return t.error();
            d.lastSeen = *t;
        }
        d.routeTableId = r.text(i, rt);
        for (auto [dest, c] : {std::pair<std::vector<TopValue>*, int>{&d.topSources, sources},
                               {&d.topDestinations, destinations},
                               {&d.topPorts, ports}}) {
            auto top = r.topValues(i, c);
            if (!top) return top.error();
            *dest = std::move(top.value());
        }
        out.drops.push_back(d);
    }
    sortDrops(out.drops);
    out.rows = static_cast<qint64>(r.rows());
    return out;
}

/// Logs Insights drops: per attachment, pair and direction, the four lost sums; or per
/// interface the rejected packets.
Result<RemoteResult> readInsightsDrops(const Reader& r)
{
    RemoteResult out;
    out.view = RemoteView::Drops;
    const int attach = r.col(QStringLiteral("tgw_attachment_id")), pair = r.col(QStringLiteral("tgw_pair_attachment_id"));
    const int direction = r.col(QStringLiteral("flow_direction")), records = r.col(QStringLiteral("records"));
    const int first = r.col(QStringLiteral("first_seen")), last = r.col(QStringLiteral("last_seen"));
    const int rejected = r.col(QStringLiteral("rejected_packets"));
    const int eni = r.firstCol({"interface_id", "interfaceid"});
    std::map<std::tuple<QString, QString, int>, std::pair<DropRow, DropRow>> merged;
    for (size_t i = 0; i < r.rows(); ++i) {
        auto rec = r.number(i, records);
        if (!rec) return rec.error();
        qint64 firstSeen = 0, lastSeen = 0;
        if (!r.text(i, first).isEmpty()) {
            auto t = r.time(i, first);
            if (!t) return t.error();
            firstSeen = *t;
        }
        if (!r.text(i, last).isEmpty()) {
            auto t = r.time(i, last);
            if (!t) return t.error();
            lastSeen = *t;
        }
        const bool egress = direction >= 0 && r.text(i, direction) == QLatin1String("egress");
        auto add = [&](const QString& en, const QString& ex, DropReason why, qint64 packets) {
            auto& slot = merged[{en, ex, static_cast<int>(why)}];
            DropRow& d = egress ? slot.second : slot.first;
            d.entry = en, d.exit = ex, d.reason = why;
            d.packets += packets;
            d.records += *rec;
            if (firstSeen && (!d.firstSeen || firstSeen < d.firstSeen)) d.firstSeen = firstSeen;
            if (lastSeen > d.lastSeen) d.lastSeen = lastSeen;
        };
        if (rejected >= 0) {
            auto p = r.number(i, rejected);
            if (!p) return p.error();
            add(orDash(r.text(i, eni)), QStringLiteral("-"), DropReason::Rejected, *p);
            continue;
        }
        const QString a = orDash(r.text(i, attach)), p = orDash(r.text(i, pair));
        for (int k = 0; k < 4; ++k) {
            auto l = r.number(i, r.col(QString::fromLatin1(kLost[k])));
            if (!l) return l.error();
            if (*l > 0) add(egress ? p : a, egress ? a : p, static_cast<DropReason>(k), *l);
        }
    }
    for (auto& [key, sides] : merged)
        out.drops.push_back(sides.second.packets > sides.first.packets ? sides.second : sides.first);
    sortDrops(out.drops);
    out.rows = static_cast<qint64>(r.rows());
    return out;
}

} // namespace

Result<RemoteResult> readRemoteResult(const QByteArray& data, const QString& path)
{
    auto table = parseResultTable(data, path);
    if (!table) return table.error();
    const Reader r(table.value(), path);
    const QStringList& c = table->columns;
    auto has = [&](const char* name) { return c.contains(QString::fromLatin1(name)); };
    Result<RemoteResult> out = Error{path, 1, 0, QString()};
    if (has("reason") && has("entry") && has("exit")) {
        out = readDrops(r);
    } else if (has("records") && (has("packets_lost_no_route") || has("rejected_packets"))) {
        out = readInsightsDrops(r);
    } else if (has("flows") && has("bytes") && has("src") && has("dst")) {
        out = readEdges(r, r.col(QStringLiteral("src")), r.col(QStringLiteral("dst")), -1, -1,
                        r.col(QStringLiteral("flow_direction")));
    } else if (has("flows") && has("bytes") && has("tgw_attachment_id") && has("tgw_pair_attachment_id")) {
        out = readEdges(r, -1, -1, r.col(QStringLiteral("tgw_attachment_id")), r.col(QStringLiteral("tgw_pair_attachment_id")),
                        r.col(QStringLiteral("flow_direction")));
    } else {
        int bin = r.col(QStringLiteral("bin_start"));
        qint64 hint = 0;
        for (int i = 0; bin < 0 && i < c.size(); ++i) {
            if (c[i].startsWith(QLatin1String("bin("))) { // Logs Insights: bin(300s)
                bin = i;
                QString n = c[i].mid(4);
                n.chop(1);
                const qint64 unit = n.endsWith(QLatin1Char('s'))   ? 1
                                    : n.endsWith(QLatin1Char('m')) ? 60
                                    : n.endsWith(QLatin1Char('h')) ? 3600
                                    : n.endsWith(QLatin1Char('d')) ? 86400
                                                                   : 0;
                hint = unit * n.left(n.size() - 1).toLongLong();
            }
        }
        if (bin >= 0 && has("flows") && has("bytes")) out = readSeries(r, bin, hint, r.col(QStringLiteral("flow_direction")));
        else
            return Error{path, 1, 0,
                         QStringLiteral("'%1' is not an edges, series or drops result (columns: %2); expected the columns of "
                                        "`flowlog-cli athena-sql` or `insights-query`")
                             .arg(path, c.join(QStringLiteral(", ")).left(200))};
    }
    if (!out.ok() && out.error().file.isEmpty()) {
        Error e = out.error();
        e.file = path;
        return e;
    }
    return out;
}

EdgeDimension remoteEdgesDimension(const std::vector<Edge>& edges)
{
    static const QRegularExpression account(QStringLiteral("^\\d{12}$"));
    static const QRegularExpression az(QStringLiteral("^[a-z]{2,4}\\d+-az\\d+$"));
    for (const Edge& e : edges) {
        for (const QString& id : {e.src, e.dst}) {
            if (id.isEmpty() || id == QLatin1String("-")) continue;
            if (id.startsWith(QLatin1String("tgw-attach-"))) return EdgeDimension::Attachment;
            if (id.startsWith(QLatin1String("vpc-"))) return EdgeDimension::Vpc;
            if (id.startsWith(QLatin1String("subnet-"))) return EdgeDimension::Subnet;
            if (account.match(id).hasMatch()) return EdgeDimension::Account;
            if (az.match(id).hasMatch()) return EdgeDimension::Az;
            return EdgeDimension::Addr;
        }
    }
    return EdgeDimension::Attachment;
}

Result<RemoteResult> readRemoteResultFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return Error{path, 0, 0, QStringLiteral("cannot open '%1': %2").arg(path, f.errorString())};
    if (f.size() > (qint64(512) << 20)) return Error{path, 0, 0, QStringLiteral("'%1' is larger than 512 MB").arg(path)};
    return readRemoteResult(f.readAll(), path);
}

} // namespace core
