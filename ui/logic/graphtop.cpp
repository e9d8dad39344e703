#include "ui/logic/graphtop.h"

#include "ui/logic/graphformat.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ui {

namespace {

/// The top `n` by `weight`, plus (keepDrops) up to max(1, n/2) of the rest with drops.
std::vector<int> rankByTraffic(const std::vector<core::Edge>& edges, int n, EdgeWeight weight, bool keepDrops)
{
    std::vector<int> order(edges.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return edgeWeight(edges[static_cast<size_t>(a)], weight) > edgeWeight(edges[static_cast<size_t>(b)], weight);
    });
    const size_t cut = static_cast<size_t>(std::clamp<qsizetype>(n, 0, static_cast<qsizetype>(order.size())));
    std::vector<int> shown(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(cut));
    if (keepDrops && n > 0) {
        std::vector<int> drops;
        for (size_t k = cut; k < order.size(); ++k)
            if (edges[static_cast<size_t>(order[k])].dropped() > 0) drops.push_back(order[k]);
        std::stable_sort(drops.begin(), drops.end(), [&](int a, int b) {
            return edges[static_cast<size_t>(a)].dropped() > edges[static_cast<size_t>(b)].dropped();
        });
        const auto cap = static_cast<size_t>(std::max(1, n / 2));
        if (drops.size() > cap) drops.resize(cap);
        shown.insert(shown.end(), drops.begin(), drops.end());
    }
    return shown;
}

/// The first `n` edges with drops by `rank` (Dropped or DropShare).
std::vector<int> rankByDrops(const std::vector<core::Edge>& edges, int n, EdgeWeight weight, EdgeRank rank)
{
    std::vector<int> order;
    order.reserve(edges.size());
    for (size_t i = 0; i < edges.size(); ++i)
        if (edges[i].dropped() > 0) order.push_back(static_cast<int>(i));
    auto at = [&](int i) -> const core::Edge& { return edges[static_cast<size_t>(i)]; };
    if (rank == EdgeRank::Dropped)
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
            if (at(a).dropped() != at(b).dropped()) return at(a).dropped() > at(b).dropped();
            return edgeWeight(at(a), weight) > edgeWeight(at(b), weight);
        });
    else
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
            const double sa = dropShare(at(a)), sb = dropShare(at(b));
            if (sa != sb) return sa > sb;
            return at(a).dropped() > at(b).dropped();
        });
    const auto cut = static_cast<size_t>(std::clamp<qsizetype>(n, 0, static_cast<qsizetype>(order.size())));
    order.resize(cut);
    return order;
}

} // namespace

TopEdges selectTopEdges(const std::vector<core::Edge>& edges, int n, EdgeWeight weight, bool keepDrops)
{
    return selectEdges(edges, n, weight, EdgeRank::Traffic, keepDrops);
}

QString hiddenSummary(const TopEdges& top, EdgeWeight weight)
{
    if (top.hiddenCount <= 0) return {};
    QString s = QLatin1String(top.rank == EdgeRank::Traffic ? "+ %1 smaller edge%2 (%3" : "+ %1 more edge%2 (%3")
                    .arg(formatInteger(top.hiddenCount), top.hiddenCount == 1 ? QString() : QStringLiteral("s"),
                         formatWeight(top.hiddenWeight, weight));
    if (top.hiddenDropped > 0) s += QStringLiteral(", %1 dropped packets").arg(formatInteger(top.hiddenDropped));
    return s + QLatin1Char(')');
}

TopEdges selectEdges(const std::vector<core::Edge>& edges, int n, EdgeWeight weight, EdgeRank rank, bool keepDrops,
                     const QSet<QPair<QString, QString>>& keep)
{
    TopEdges top;
    top.rank = rank;
    top.shown = rank == EdgeRank::Traffic ? rankByTraffic(edges, n, weight, keepDrops) : rankByDrops(edges, n, weight, rank);
    // One mask for the ranked edges and the kept ones; the hidden sums are what it leaves out.
    std::vector<char> shown(edges.size(), 0);
    for (int i : top.shown) shown[static_cast<size_t>(i)] = 1;
    for (size_t i = 0; i < edges.size() && !keep.isEmpty(); ++i)
        if (!shown[i] && keep.contains(qMakePair(edges[i].src, edges[i].dst))) {
            shown[i] = 1;
            top.shown.push_back(static_cast<int>(i));
        }
    for (size_t i = 0; i < edges.size(); ++i) {
        if (shown[i]) continue;
        ++top.hiddenCount;
        top.hiddenWeight += edgeWeight(edges[i], weight);
        top.hiddenDropped += edges[i].dropped();
        if (edges[i].dropped() > 0) top.hiddenDrops.push_back(static_cast<int>(i));
    }
    std::stable_sort(top.hiddenDrops.begin(), top.hiddenDrops.end(), [&](int a, int b) {
        return edges[static_cast<size_t>(a)].dropped() > edges[static_cast<size_t>(b)].dropped();
    });
    return top;
}

double dropShare(const core::Edge& edge)
{
    const qint64 d = edge.dropped();
    if (d <= 0 || edge.packets <= 0) return d > 0 ? 1.0 : 0.0;
    return std::min(1.0, static_cast<double>(d) / static_cast<double>(edge.packets));
}

double dropSeverity(qint64 dropped, qint64 packets)
{
    if (dropped <= 0) return 0.0;
    const double share = packets > 0 ? std::min(1.0, static_cast<double>(dropped) / static_cast<double>(packets)) : 1.0;
    const double byShare = std::pow(share, 0.4);
    const double byCount = 0.6 * std::clamp(std::log10(static_cast<double>(dropped)) / 7.0, 0.0, 1.0);
    return std::clamp(std::max(byShare, byCount), 0.0, 1.0);
}

double dropSeverity(const core::Edge& edge)
{
    return dropSeverity(edge.dropped(), edge.packets);
}

std::vector<SeverityTick> severityTicks()
{
    std::vector<SeverityTick> ticks;
    for (double share : {0.001, 0.01, 0.1, 0.7}) ticks.push_back({std::pow(share, 0.4), formatShare(share)});
    return ticks;
}

} // namespace ui
