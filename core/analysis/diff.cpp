// Before/after comparison of edges, drops and series (see diff.h).
#include "core/analysis/diff.h"

#include "core/analysis/aggregate_impl.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <limits>

namespace core {

QString diffStatusName(DiffStatus status)
{
    switch (status) {
    case DiffStatus::Same:
        return QStringLiteral("same");
    case DiffStatus::New:
        return QStringLiteral("new");
    case DiffStatus::Gone:
        return QStringLiteral("gone");
    case DiffStatus::Changed:
        return QStringLiteral("changed");
    case DiffStatus::Grown:
        return QStringLiteral("grown");
    case DiffStatus::Shrunk:
        return QStringLiteral("shrunk");
    }
    return {};
}

double percentChange(qint64 before, qint64 after)
{
    if (before == 0) return after == 0 ? 0.0 : std::numeric_limits<double>::infinity();
    return (static_cast<double>(after) - static_cast<double>(before)) * 100.0 / static_cast<double>(before);
}

namespace {

int edgeStatusRank(DiffStatus s)
{
    switch (s) {
    case DiffStatus::New:
        return 0;
    case DiffStatus::Gone:
        return 1;
    case DiffStatus::Changed:
        return 2;
    default:
        return 3;
    }
}

int dropStatusRank(DiffStatus s)
{
    switch (s) {
    case DiffStatus::New:
        return 0;
    case DiffStatus::Grown:
        return 1;
    case DiffStatus::Gone:
        return 2;
    case DiffStatus::Shrunk:
        return 3;
    default:
        return 4;
    }
}

QString edgeKey(const QString& src, const QString& dst)
{
    return src + QChar(0x1f) + dst;
}

} // namespace

std::vector<EdgeDiff> diffEdges(const std::vector<Edge>& before, const std::vector<Edge>& after, double changedPercent)
{
    std::vector<EdgeDiff> out;
    QHash<QString, size_t> index;
    for (const Edge& e : before) {
        const QString key = edgeKey(e.src, e.dst);
        auto it = index.find(key);
        if (it == index.end()) {
            it = index.insert(key, out.size());
            out.push_back({e.src, e.dst, Edge{e.src, e.dst}, Edge{e.src, e.dst}, DiffStatus::Same, 0});
        }
        out[*it].before = e;
    }
    for (const Edge& e : after) {
        const QString key = edgeKey(e.src, e.dst);
        auto it = index.find(key);
        if (it == index.end()) {
            it = index.insert(key, out.size());
            out.push_back({e.src, e.dst, Edge{e.src, e.dst}, Edge{e.src, e.dst}, DiffStatus::Same, 0});
        }
        out[*it].after = e;
    }
    for (EdgeDiff& d : out) {
        const bool had = d.before.flows > 0 || d.before.packets > 0 || d.before.bytes > 0 || d.before.dropped() > 0;
        const bool has = d.after.flows > 0 || d.after.packets > 0 || d.after.bytes > 0 || d.after.dropped() > 0;
        double change = 0;
        for (double c : {percentChange(d.before.flows, d.after.flows), percentChange(d.before.packets, d.after.packets),
                         percentChange(d.before.bytes, d.after.bytes), percentChange(d.before.dropped(), d.after.dropped())})
            change = std::max(change, std::abs(c));
        d.changePercent = change;
        if (had && !has) d.status = DiffStatus::Gone;
        else if (!had && has) d.status = DiffStatus::New;
        else d.status = change > changedPercent ? DiffStatus::Changed : DiffStatus::Same;
    }
    std::sort(out.begin(), out.end(), [](const EdgeDiff& a, const EdgeDiff& b) {
        const int ra = edgeStatusRank(a.status), rb = edgeStatusRank(b.status);
        if (ra != rb) return ra < rb;
        const qint64 da = std::abs(a.after.bytes - a.before.bytes), db = std::abs(b.after.bytes - b.before.bytes);
        if (da != db) return da > db;
        if (a.src != b.src) return a.src < b.src;
        return a.dst < b.dst;
    });
    return out;
}

std::vector<DropDiff> diffDrops(const std::vector<DropRow>& before, const std::vector<DropRow>& after, double grownPercent)
{
    std::vector<DropDiff> out;
    QHash<QString, size_t> index;
    auto slot = [&](const DropRow& r) -> DropDiff& {
        const QString key = edgeKey(r.entry, r.exit) + QChar(0x1f) + dropReasonName(r.reason);
        auto it = index.find(key);
        if (it == index.end()) {
            it = index.insert(key, out.size());
            DropDiff d;
            d.entry = r.entry;
            d.exit = r.exit;
            d.reason = r.reason;
            out.push_back(d);
        }
        return out[*it];
    };
    for (const DropRow& r : before) {
        DropDiff& d = slot(r);
        d.packetsBefore += r.packets;
        d.recordsBefore += r.records;
    }
    for (const DropRow& r : after) {
        DropDiff& d = slot(r);
        d.packetsAfter += r.packets;
        d.recordsAfter += r.records;
    }
    for (DropDiff& d : out) {
        const bool had = d.packetsBefore > 0 || d.recordsBefore > 0;
        const bool has = d.packetsAfter > 0 || d.recordsAfter > 0;
        const double change = percentChange(d.packetsBefore, d.packetsAfter);
        if (had && !has) d.status = DiffStatus::Gone;
        else if (!had && has) d.status = DiffStatus::New;
        else if (change > grownPercent) d.status = DiffStatus::Grown;
        else if (change < -grownPercent) d.status = DiffStatus::Shrunk;
        else d.status = DiffStatus::Same;
    }
    std::sort(out.begin(), out.end(), [](const DropDiff& a, const DropDiff& b) {
        const int ra = dropStatusRank(a.status), rb = dropStatusRank(b.status);
        if (ra != rb) return ra < rb;
        if (a.packetsAfter != b.packetsAfter) return a.packetsAfter > b.packetsAfter;
        if (a.entry != b.entry) return a.entry < b.entry;
        if (a.exit != b.exit) return a.exit < b.exit;
        return static_cast<int>(a.reason) < static_cast<int>(b.reason);
    });
    return out;
}

std::vector<SeriesBin> alignBaseline(const Series& current, const Series& baseline, qint64 offsetSeconds)
{
    std::vector<SeriesBin> out;
    out.reserve(current.bins.size());
    for (const SeriesBin& b : current.bins) {
        SeriesBin z;
        z.start = b.start;
        out.push_back(z);
    }
    if (out.empty() || current.binSeconds <= 0) return out;
    const qint64 first = out.front().start;
    for (const SeriesBin& b : baseline.bins) {
        const qint64 t = b.start + offsetSeconds;
        if (t < first) continue;
        const qint64 i = (t - first) / current.binSeconds;
        if (i >= static_cast<qint64>(out.size())) continue;
        SeriesBin& o = out[static_cast<size_t>(i)];
        // Several baseline bins can land in one (a finer baseline): held at 2^63-1 like every view sum.
        detail::addCapped(o.flows, b.flows);
        detail::addCapped(o.packets, b.packets);
        detail::addCapped(o.bytes, b.bytes);
        for (size_t r = 0; r < o.lost.size(); ++r) detail::addCapped(o.lost[r], b.lost[r]);
        detail::addCapped(o.rejects, b.rejects);
    }
    return out;
}

QString splitFilter(const QString& filter, qint64 splitTime, bool before)
{
    QString time = QStringLiteral("start %1 %2").arg(before ? QStringLiteral("<") : QStringLiteral(">=")).arg(splitTime);
    if (filter.trimmed().isEmpty()) return time;
    return QStringLiteral("(%1) and %2").arg(filter, time);
}

namespace {

QStringList edgeDiffFields(const EdgeDiff& d)
{
    auto triple = [](qint64 a, qint64 b) { return QStringList{QString::number(a), QString::number(b), QString::number(b - a)}; };
    QStringList f{d.src, d.dst, diffStatusName(d.status)};
    f << triple(d.before.flows, d.after.flows) << triple(d.before.packets, d.after.packets)
      << triple(d.before.bytes, d.after.bytes) << triple(d.before.dropped(), d.after.dropped());
    f << (std::isfinite(d.changePercent) && d.status != DiffStatus::New && d.status != DiffStatus::Gone
              ? QString::number(d.changePercent, 'f', 1)
              : QString());
    return f;
}

const QStringList& edgeDiffHeader()
{
    static const QStringList h{QStringLiteral("src"),       QStringLiteral("dst"),       QStringLiteral("status"),
                               QStringLiteral("flows_a"),   QStringLiteral("flows_b"),   QStringLiteral("flows_delta"),
                               QStringLiteral("packets_a"), QStringLiteral("packets_b"), QStringLiteral("packets_delta"),
                               QStringLiteral("bytes_a"),   QStringLiteral("bytes_b"),   QStringLiteral("bytes_delta"),
                               QStringLiteral("dropped_a"), QStringLiteral("dropped_b"), QStringLiteral("dropped_delta"),
                               QStringLiteral("change_pct")};
    return h;
}

} // namespace

QByteArray edgeDiffCsv(const std::vector<EdgeDiff>& rows, const CsvOptions& options)
{
    QByteArray out = edgeDiffHeader().join(QLatin1Char(',')).toUtf8() + "\r\n";
    for (const EdgeDiff& d : rows) out += csvRecord(edgeDiffFields(d), options);
    return out;
}

QByteArray edgeDiffJson(const std::vector<EdgeDiff>& rows)
{
    QJsonArray out;
    const QStringList& header = edgeDiffHeader();
    for (const EdgeDiff& d : rows) {
        const QStringList f = edgeDiffFields(d);
        QJsonObject o;
        for (qsizetype i = 0; i < header.size(); ++i) {
            if (i < 3) o.insert(header[i], f[i]);
            else if (f[i].isEmpty()) o.insert(header[i], QJsonValue::Null);
            else if (i == header.size() - 1) o.insert(header[i], f[i].toDouble());
            else o.insert(header[i], f[i].toLongLong());
        }
        out.append(o);
    }
    return QJsonDocument(out).toJson(QJsonDocument::Indented);
}

} // namespace core
