#include "ui/logic/graphtop.h"

#include "ui/logic/graphformat.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ui {

TopEdges selectTopEdges(const std::vector<core::Edge>& edges, int n, EdgeWeight weight, bool keepDrops)
{
    TopEdges top;
    std::vector<int> order(edges.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return edgeWeight(edges[static_cast<size_t>(a)], weight) > edgeWeight(edges[static_cast<size_t>(b)], weight);
    });
    const size_t cut = static_cast<size_t>(std::clamp<qsizetype>(n, 0, static_cast<qsizetype>(order.size())));
    top.shown.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(cut));
    std::vector<int> rest(order.begin() + static_cast<std::ptrdiff_t>(cut), order.end());
    if (keepDrops && n > 0) {
        std::vector<int> drops;
        for (int i : rest)
            if (edges[static_cast<size_t>(i)].dropped() > 0) drops.push_back(i);
        std::stable_sort(drops.begin(), drops.end(), [&](int a, int b) {
            return edges[static_cast<size_t>(a)].dropped() > edges[static_cast<size_t>(b)].dropped();
        });
        const auto cap = static_cast<size_t>(std::max(1, n / 2));
        if (drops.size() > cap) drops.resize(cap);
        for (int i : drops) top.shown.push_back(i);
        std::vector<char> taken(edges.size(), 0);
        for (int i : drops) taken[static_cast<size_t>(i)] = 1;
        std::vector<int> kept;
        for (int i : rest)
            if (!taken[static_cast<size_t>(i)]) kept.push_back(i);
        rest.swap(kept);
    }
    top.hiddenCount = static_cast<int>(rest.size());
    for (int i : rest) {
        top.hiddenWeight += edgeWeight(edges[static_cast<size_t>(i)], weight);
        top.hiddenDropped += edges[static_cast<size_t>(i)].dropped();
    }
    return top;
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

TopEdges selectEdges(const std::vector<core::Edge>& edges, int n, EdgeWeight weight, EdgeRank rank, bool keepDrops)
{
    TopEdges top;
    if (rank == EdgeRank::Traffic) {
        top = selectTopEdges(edges, n, weight, keepDrops);
    } else {
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
        top.shown.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(cut));
        std::vector<char> shown(edges.size(), 0);
        for (int i : top.shown) shown[static_cast<size_t>(i)] = 1;
        for (size_t i = 0; i < edges.size(); ++i) {
            if (shown[i]) continue;
            ++top.hiddenCount;
            top.hiddenWeight += edgeWeight(edges[i], weight);
            top.hiddenDropped += edges[i].dropped();
        }
    }
    top.rank = rank;
    std::vector<char> shown(edges.size(), 0);
    for (int i : top.shown) shown[static_cast<size_t>(i)] = 1;
    for (size_t i = 0; i < edges.size(); ++i)
        if (!shown[i] && edges[i].dropped() > 0) top.hiddenDrops.push_back(static_cast<int>(i));
    std::stable_sort(top.hiddenDrops.begin(), top.hiddenDrops.end(), [&](int a, int b) {
        return edges[static_cast<size_t>(a)].dropped() > edges[static_cast<size_t>(b)].dropped();
    });
    return top;
}

void keepEdges(TopEdges& top, const std::vector<core::Edge>& edges, const QSet<QPair<QString, QString>>& keep, EdgeWeight weight)
{
    if (keep.isEmpty()) return;
    std::vector<char> shown(edges.size(), 0);
    for (int i : top.shown) shown[static_cast<size_t>(i)] = 1;
    for (size_t i = 0; i < edges.size(); ++i) {
        const core::Edge& e = edges[i];
        if (shown[i] || !keep.contains(qMakePair(e.src, e.dst))) continue;
        top.shown.push_back(static_cast<int>(i));
        --top.hiddenCount;
        top.hiddenWeight -= edgeWeight(e, weight);
        top.hiddenDropped -= e.dropped();
        top.hiddenDrops.erase(std::remove(top.hiddenDrops.begin(), top.hiddenDrops.end(), static_cast<int>(i)),
                              top.hiddenDrops.end());
    }
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
