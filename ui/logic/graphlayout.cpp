#include "ui/logic/graphlayout.h"

#include <QHash>
#include <algorithm>
#include <cmath>
#include <numeric>

namespace ui {
namespace {

constexpr double kPi = 3.14159265358979323846;

/// Points of an ellipse by arc length: a table of cumulative lengths over the parameter.
class EllipseArc {
public:
    EllipseArc(double a, double b) : m_a(a), m_b(b)
    {
        m_cumulative.resize(kSteps + 1);
        m_cumulative[0] = 0;
        QPointF prev = at(0);
        for (int i = 1; i <= kSteps; ++i) {
            const QPointF p = at(2 * kPi * i / kSteps);
            m_cumulative[static_cast<size_t>(i)] =
                m_cumulative[static_cast<size_t>(i - 1)] + std::hypot(p.x() - prev.x(), p.y() - prev.y());
            prev = p;
        }
    }
    double perimeter() const { return m_cumulative.back(); }
    /// The point at `fraction` (0..1) of the perimeter, clockwise on screen from the top.
    QPointF pointAt(double fraction) const
    {
        fraction -= std::floor(fraction);
        const double s = fraction * perimeter();
        const auto it = std::lower_bound(m_cumulative.begin(), m_cumulative.end(), s);
        const auto i = static_cast<size_t>(std::clamp<std::ptrdiff_t>(it - m_cumulative.begin(), 1, kSteps));
        const double s0 = m_cumulative[i - 1], s1 = m_cumulative[i];
        const double u = s1 - s0 > 1e-12 ? (s - s0) / (s1 - s0) : 0.0;
        return at(2 * kPi * (static_cast<double>(i - 1) + u) / kSteps);
    }

private:
    static constexpr int kSteps = 720;
    /// Parameter 0 is the top; increasing t goes clockwise on screen (y down).
    QPointF at(double t) const { return {m_a * std::sin(t), -m_b * std::cos(t)}; }
    double m_a, m_b;
    std::vector<double> m_cumulative;
};

} // namespace

std::vector<QPointF> circularLayout(int n, double radius)
{
    std::vector<QPointF> pos;
    if (n <= 0) return pos;
    if (n == 1) return {QPointF(0, 0)};
    const double start = n == 2 ? kPi : -kPi / 2;
    for (int i = 0; i < n; ++i) {
        const double a = start + 2 * kPi * i / n;
        pos.emplace_back(radius * std::cos(a), radius * std::sin(a));
    }
    return pos;
}

double circularRadius(int n, double spacing)
{
    return std::max(140.0, n * spacing / (2 * kPi));
}

int circularCrossings(const std::vector<int>& slotOf, const std::vector<std::pair<int, int>>& links)
{
    const int n = static_cast<int>(slotOf.size());
    std::vector<std::pair<int, int>> chords;
    for (const auto& [a, b] : links) {
        if (a == b || a < 0 || b < 0 || a >= n || b >= n) continue;
        const int i = slotOf[static_cast<size_t>(a)], j = slotOf[static_cast<size_t>(b)];
        chords.emplace_back(std::min(i, j), std::max(i, j));
    }
    int crossings = 0;
    for (size_t x = 0; x < chords.size(); ++x)
        for (size_t y = x + 1; y < chords.size(); ++y) {
            const auto [a, b] = chords[x];
            const auto [c, d] = chords[y];
            if (a == c || a == d || b == c || b == d) continue; // shared node: no crossing
            if ((a < c && c < b && b < d) || (c < a && a < d && d < b)) ++crossings;
        }
    return crossings;
}

std::vector<int> circularOrder(int n, const std::vector<std::pair<int, int>>& links)
{
    std::vector<int> slot(static_cast<size_t>(std::max(n, 0)));
    std::iota(slot.begin(), slot.end(), 0);
    // A->B and B->A are one chord.
    std::vector<std::pair<int, int>> unique;
    for (const auto& [a, b] : links) {
        const std::pair<int, int> key{std::min(a, b), std::max(a, b)};
        if (std::find(unique.begin(), unique.end(), key) == unique.end()) unique.push_back(key);
    }
    int best = circularCrossings(slot, unique);
    for (int round = 0; round < 20 && best > 0; ++round) {
        bool improved = false;
        for (size_t i = 0; i < slot.size(); ++i)
            for (size_t j = i + 1; j < slot.size(); ++j) {
                std::swap(slot[i], slot[j]);
                const int c = circularCrossings(slot, unique);
                if (c < best) {
                    best = c;
                    improved = true;
                } else {
                    std::swap(slot[i], slot[j]);
                }
            }
        if (!improved) break;
    }
    return slot;
}

std::vector<QPointF> ringLayout(const Graph& graph, double aspect)
{
    const size_t n = graph.nodes.size();
    std::vector<QPointF> pos(n);
    if (n == 0) return pos;
    aspect = std::clamp(aspect, 0.4, 4.0);

    // Groups in order of traffic (heaviest first), their nodes heaviest first (node order).
    struct Group {
        QString name;
        qint64 traffic = 0;
        std::vector<size_t> nodes;
        std::vector<std::vector<size_t>> rings; ///< nodes per ring, outer first
        double outerLength = 0;                 ///< arc length the group needs on the outer ring
    };
    std::vector<Group> groups;
    QHash<QString, size_t> groupIndex;
    for (size_t i = 0; i < n; ++i) {
        const auto& node = graph.nodes[i];
        auto it = groupIndex.constFind(node.group);
        if (it == groupIndex.constEnd()) {
            it = groupIndex.insert(node.group, groups.size());
            groups.push_back({node.group, 0, {}, {}, 0});
        }
        groups[*it].traffic += node.traffic;
        groups[*it].nodes.push_back(i);
    }
    std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
        if (a.traffic != b.traffic) return a.traffic > b.traffic;
        return a.name < b.name;
    });

    // Rings: the outer one holds the most; inner rings shrink by up to 45 %.
    const int rings = std::max(1, static_cast<int>((n + kRingCapacity - 1) / kRingCapacity));
    std::vector<double> factor(static_cast<size_t>(rings));
    for (int k = 0; k < rings; ++k) factor[static_cast<size_t>(k)] = rings > 1 ? 1.0 - 0.45 * k / (rings - 1) : 1.0;
    const double factorSum = std::accumulate(factor.begin(), factor.end(), 0.0);
    size_t outerCount = 0;
    for (auto& g : groups) {
        g.rings.resize(static_cast<size_t>(rings));
        size_t next = 0;
        double quota = 0;
        for (int k = 0; k < rings; ++k) {
            quota += static_cast<double>(g.nodes.size()) * factor[static_cast<size_t>(k)] / factorSum;
            const size_t upTo =
                k == rings - 1 ? g.nodes.size() : std::min(g.nodes.size(), static_cast<size_t>(std::lround(quota)));
            for (; next < upTo; ++next) g.rings[static_cast<size_t>(k)].push_back(g.nodes[next]);
        }
        outerCount += g.rings[0].size();
    }

    // Arc length per outer node: generous for few nodes (room for labels), at least the
    // node's diameter + 8 so neighbours never touch.
    const double spacing = std::clamp(3600.0 / static_cast<double>(std::max<size_t>(outerCount, 1)), 36.0, 130.0);
    const double gap = groups.size() > 1 ? std::max(spacing, 60.0) : 0.0;
    double perimeter = 0;
    for (auto& g : groups) {
        for (size_t i : g.rings[0]) g.outerLength += std::max(spacing, 2 * graph.nodes[i].radius + 8);
        // Inner rings must fit in the same sector: make the sector long enough for them too.
        for (int k = 1; k < rings; ++k) {
            double inner = 0;
            for (size_t i : g.rings[static_cast<size_t>(k)]) inner += 2 * graph.nodes[i].radius + 8;
            g.outerLength = std::max(g.outerLength, inner / factor[static_cast<size_t>(k)]);
        }
        perimeter += g.outerLength + gap;
    }

    const EllipseArc unit(std::sqrt(aspect), 1.0 / std::sqrt(aspect));
    const double s = std::max(perimeter / unit.perimeter(), 60.0);
    std::vector<EllipseArc> arcs;
    for (double f : factor) arcs.emplace_back(std::sqrt(aspect) * s * f, s * f / std::sqrt(aspect));

    double start = 0; // arc length on the outer ring where the group's sector begins
    for (const auto& g : groups) {
        const double from = (start + gap / 2) / perimeter, span = g.outerLength / perimeter;
        for (int k = 0; k < rings; ++k) {
            const auto& ring = g.rings[static_cast<size_t>(k)];
            if (ring.empty()) continue;
            if (k == 0) {
                double at = 0;
                for (size_t i : ring) {
                    const double w = std::max(spacing, 2 * graph.nodes[i].radius + 8);
                    pos[i] = arcs[0].pointAt(from + (at + w / 2) / perimeter);
                    at += w;
                }
            } else {
                for (size_t j = 0; j < ring.size(); ++j)
                    pos[ring[j]] = arcs[static_cast<size_t>(k)].pointAt(
                        from + span * (static_cast<double>(j) + 0.5) / static_cast<double>(ring.size()));
            }
        }
        start += g.outerLength + gap;
    }
    return pos;
}

void layoutGraph(Graph& graph, double aspect)
{
    const int n = static_cast<int>(graph.nodes.size());
    std::vector<QPointF> pos;
    if (n <= kCircularMaxNodes) {
        std::vector<std::pair<int, int>> links;
        links.reserve(graph.edges.size());
        for (const auto& e : graph.edges) links.emplace_back(e.src, e.dst);
        const auto circle = circularLayout(n, circularRadius(n));
        const auto slot = circularOrder(n, links);
        for (size_t i = 0; i < slot.size(); ++i) pos.push_back(circle[static_cast<size_t>(slot[i])]);
    } else {
        pos = ringLayout(graph, aspect);
    }
    for (size_t i = 0; i < graph.nodes.size(); ++i) graph.nodes[i].pos = pos[i];
}

} // namespace ui
