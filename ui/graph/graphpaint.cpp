// The graph painter (graphpaint.h): edges, nodes and labels drawn from a laid-out Graph, and the
// style, fonts, shapes and label texts they use. Size (~500 lines): one painter whose steps share
// one painting context (Painting); the legend is apart in graphlegend.cpp.
#include "ui/graph/graphpaint.h"

#include "ui/graph/graphlegend.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPalette>
#include <algorithm>
#include <cmath>

namespace ui {
namespace {

constexpr double kPi = 3.14159265358979323846;

QPainterPath polygonPath(QPointF c, double r, int sides, double startAngle)
{
    QPolygonF poly;
    for (int i = 0; i < sides; ++i) {
        const double a = startAngle + 2 * kPi * i / sides;
        poly << QPointF(c.x() + r * std::cos(a), c.y() + r * std::sin(a));
    }
    poly << poly.front();
    QPainterPath path;
    path.addPolygon(poly);
    path.closeSubpath();
    return path;
}

QColor mix(const QColor& a, const QColor& b, double t)
{
    t = std::clamp(t, 0.0, 1.0);
    auto lerp = [t](float x, float y) { return x + (y - x) * static_cast<float>(t); };
    return QColor::fromRgbF(lerp(a.redF(), b.redF()), lerp(a.greenF(), b.greenF()), lerp(a.blueF(), b.blueF()),
                            lerp(a.alphaF(), b.alphaF()));
}

QColor faded(QColor c, bool lit)
{
    if (!lit) c.setAlphaF(c.alphaF() * 0.2f);
    return c;
}

void drawHaloText(QPainter& p, const QRectF& box, const QString& text, const QFont& font, const QColor& color, const QColor& halo,
                  Qt::Alignment align = Qt::AlignCenter)
{
    p.setFont(font);
    p.setPen(Qt::NoPen);
    p.setBrush(halo);
    p.drawRoundedRect(box, 3, 3);
    p.setPen(color);
    p.drawText(box.adjusted(3, 0, -3, 0), align | Qt::AlignVCenter, text);
}

/// "Name" of a "Name (id)" label, else the label.
QString shortLabel(const QString& label, const QString& id)
{
    const QString suffix = QStringLiteral(" (") + id + QLatin1Char(')');
    if (label.endsWith(suffix) && label.size() > suffix.size()) return label.left(label.size() - suffix.size());
    return label;
}

/// Which nodes and edges are drawn at full strength: everything, or with a selection or a
/// find, what it touches.
struct Lit {
    std::vector<char> nodes, edges;
};

Lit computeLit(const Graph& g, const GraphPaintOptions& options)
{
    Lit lit;
    const bool dimming = !options.selection.isEmpty() || !options.found.isEmpty();
    lit.nodes.assign(g.nodes.size(), dimming ? 0 : 1);
    lit.edges.assign(g.edges.size(), dimming ? 0 : 1);
    if (!dimming) return lit;
    std::vector<char> core(g.nodes.size(), 0);
    for (size_t i = 0; i < g.nodes.size(); ++i)
        if (options.selection.nodes.contains(g.nodes[i].id) || options.found.contains(g.nodes[i].id)) core[i] = 1;
    for (size_t i = 0; i < g.edges.size(); ++i) {
        const auto& e = g.edges[i];
        const auto& d = g.data[static_cast<size_t>(e.data)];
        if (core[static_cast<size_t>(e.src)] || core[static_cast<size_t>(e.dst)]
            || options.selection.edges.contains({d.src, d.dst}))
            lit.edges[i] = 1;
    }
    // The ends of a lit edge stay lit (a selected node's neighbours, a selected edge's ends).
    for (size_t i = 0; i < g.edges.size(); ++i)
        if (lit.edges[i]) {
            lit.nodes[static_cast<size_t>(g.edges[i].src)] = 1;
            lit.nodes[static_cast<size_t>(g.edges[i].dst)] = 1;
        }
    for (size_t i = 0; i < g.nodes.size(); ++i)
        if (core[i]) lit.nodes[i] = 1;
    return lit;
}

struct Painting {
    QPainter& p;
    const Graph& g;
    const Viewport& view;
    const GraphStyle& style;
    const GraphPaintOptions& options;
    GraphFonts fonts;
    QRectF area;
    Lit lit;

    bool edgeHot(int i) const
    {
        const auto& e = g.data[static_cast<size_t>(g.edges[static_cast<size_t>(i)].data)];
        return options.selection.edges.contains({e.src, e.dst}) || (options.hover.kind == Hit::Edge && options.hover.index == i);
    }
    const EdgeDecoration* decoration(int i) const
    {
        if (options.decorations.isEmpty()) return nullptr;
        const auto& e = g.data[static_cast<size_t>(g.edges[static_cast<size_t>(i)].data)];
        const auto it = options.decorations.constFind({e.src, e.dst});
        return it == options.decorations.constEnd() ? nullptr : &it.value();
    }
    bool nodeHovered(size_t i) const { return options.hover.kind == Hit::Node && options.hover.index == static_cast<int>(i); }
};

void paintEdges(Painting& c, std::vector<EdgeGeometry>& geometry)
{
    QPainter& p = c.p;
    const Graph& g = c.g;
    const double scale = std::max(c.view.scale, 1e-6);
    // Lightest first so heavy ones stay on top; drops above traffic of the same weight.
    std::vector<int> order(g.edges.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        const auto& x = g.edges[static_cast<size_t>(a)];
        const auto& y = g.edges[static_cast<size_t>(b)];
        if ((x.severity > 0.3) != (y.severity > 0.3)) return y.severity > 0.3;
        return x.weight < y.weight;
    });
    geometry.assign(g.edges.size(), {});
    const QTransform base = p.worldTransform();
    QTransform t;
    t.translate(c.view.offset.x(), c.view.offset.y());
    t.scale(scale, scale);
    p.setWorldTransform(t * base);
    for (int i : order) {
        const auto& e = g.edges[static_cast<size_t>(i)];
        const auto geo = edgeGeometry(g, i);
        geometry[static_cast<size_t>(i)] = geo;
        const bool hot = c.edgeHot(i);
        const EdgeDecoration* decor = c.decoration(i);
        QColor color = decor ? decor->color : c.style.edgeColor(e.severity);
        if (hot && e.severity <= 0 && !decor) color = c.style.highlight;
        color = faded(color, c.lit.edges[static_cast<size_t>(i)] || hot);
        const double width = std::max(e.thickness + (hot ? 2.0 : 0.0), 1.0 / scale);
        const double arrow = std::max(7.0 + e.thickness * 1.1, 7.0 / scale);
        QPainterPath path(geo.p0);
        path.cubicTo(geo.c1, geo.c2, geo.p1 - geo.direction * arrow * 0.7);
        if (hot && e.severity > 0) {
            p.setPen(QPen(c.style.highlight, width + 4.0 / scale, Qt::SolidLine, Qt::FlatCap));
            p.setBrush(Qt::NoBrush);
            p.drawPath(path);
        }
        p.setPen(QPen(color, width, decor ? decor->style : Qt::SolidLine, Qt::FlatCap));
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
        const QPointF perp(-geo.direction.y(), geo.direction.x());
        const QPointF baseP = geo.p1 - geo.direction * arrow;
        QPolygonF head;
        head << geo.p1 << baseP + perp * arrow * 0.5 << baseP - perp * arrow * 0.5;
        p.setPen(Qt::NoPen);
        p.setBrush(color);
        p.drawPolygon(head);
    }
    p.setWorldTransform(base);
}

void paintNodes(Painting& c)
{
    QPainter& p = c.p;
    const Graph& g = c.g;
    for (size_t i = 0; i < g.nodes.size(); ++i) {
        const auto& n = g.nodes[i];
        const bool selected = c.options.selection.nodes.contains(n.id);
        const bool hovered = c.nodeHovered(i);
        const bool found = c.options.found.contains(n.id);
        const QPointF centre = c.view.map(n.pos);
        const double r = deviceRadius(n, c.view.scale);
        if (found) {
            p.setPen(Qt::NoPen);
            p.setBrush(c.style.found);
            p.drawEllipse(centre, r + 7, r + 7);
        }
        QPen border(selected || hovered ? c.style.highlight : c.style.nodeBorder, selected ? 3.5 : hovered ? 2.5 : 1.2);
        if (n.kind == NodeKind::None || n.kind == NodeKind::Group) border.setStyle(Qt::DashLine);
        const bool lit = c.lit.nodes[i] || hovered;
        border.setColor(faded(border.color(), lit));
        p.setPen(r < 4 ? QPen(Qt::NoPen) : border);
        p.setBrush(faded(c.style.nodeFill(n.kind), lit));
        p.drawPath(nodeShape(n.kind, centre, r));
        if (n.kind == NodeKind::Sink && r >= 6) {
            p.setPen(QPen(c.style.background, std::max(r * 0.18, 1.0), Qt::SolidLine, Qt::RoundCap));
            const double d = r * 0.42;
            p.drawLine(centre + QPointF(-d, -d), centre + QPointF(d, d));
            p.drawLine(centre + QPointF(-d, d), centre + QPointF(d, -d));
        }
        if (n.kind == NodeKind::Group && r >= 8) {
            p.setPen(QPen(c.style.background, 2.0));
            const double d = r * 0.45;
            p.drawLine(centre + QPointF(-d, 0), centre + QPointF(d, 0));
            p.drawLine(centre + QPointF(0, -d), centre + QPointF(0, d));
        }
    }
}

void paintLabels(Painting& c, const std::vector<EdgeGeometry>& geometry)
{
    const Graph& g = c.g;
    const auto sizes = nodeLabelSizes(g, c.fonts, c.options);
    const auto forced = forcedLabels(g, c.options);
    LabelSpace space(c.area);
    const NodeLabelPlacement placed = placeNodeLabels(g, c.view, sizes, c.area, forced, &space);

    // Edge labels: the hovered / selected ones, then the worst drops, then the heaviest, each
    // where it overlaps nothing; at most 30 unless hot.
    const QFontMetricsF fmSmall(c.fonts.small);
    std::vector<int> order(g.edges.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        const bool ha = c.edgeHot(a), hb = c.edgeHot(b);
        if (ha != hb) return ha;
        const bool da = c.decoration(a) != nullptr, db = c.decoration(b) != nullptr;
        if (da != db) return da;
        const auto& x = g.edges[static_cast<size_t>(a)];
        const auto& y = g.edges[static_cast<size_t>(b)];
        if (x.severity != y.severity) return x.severity > y.severity;
        return x.weight > y.weight;
    });
    static constexpr double kSlide[] = {0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74};
    int shown = 0;
    for (int i : order) {
        const auto& e = g.edges[static_cast<size_t>(i)];
        const bool hot = c.edgeHot(i);
        if (!hot && (shown >= 30 || !c.lit.edges[static_cast<size_t>(i)])) continue;
        QString text = formatWeight(e.weight, g.weight);
        const auto& data = g.data[static_cast<size_t>(e.data)];
        const EdgeDecoration* decor = c.decoration(i);
        if (decor) text = decor->label;
        else if (e.hasDrops())
            text += QStringLiteral(" \u00b7 ") + dropSummary(data) + QStringLiteral(" \u00b7 ") + formatShare(dropShare(data));
        const double w = fmSmall.horizontalAdvance(text) + 6, h = fmSmall.height();
        const auto& geo = geometry[static_cast<size_t>(i)];
        QRectF best;
        for (double t : kSlide) {
            const QPointF at = c.view.map(bezierPoint(geo, t));
            const QRectF box(at.x() - w / 2, at.y() - h / 2, w, h);
            if (space.isFree(box)) {
                best = box;
                break;
            }
        }
        if (best.isNull()) {
            if (!hot) continue;
            const QPointF at = c.view.map(bezierPoint(geo, 0.5));
            best = QRectF(at.x() - w / 2, at.y() - h / 2, w, h);
        }
        space.claim(best);
        ++shown;
        drawHaloText(c.p, best, text, c.fonts.small,
                     decor            ? decor->color
                     : e.severity > 0 ? c.style.edgeColor(std::max(e.severity, 0.5))
                                      : c.style.mutedText,
                     c.style.halo);
    }

    const QFontMetricsF fm(c.fonts.normal);
    for (size_t i = 0; i < g.nodes.size(); ++i) {
        const QRectF& r = placed.rects[i];
        if (r.isNull()) continue;
        const auto& n = g.nodes[i];
        const bool selected = c.options.selection.nodes.contains(n.id);
        const bool lit = c.lit.nodes[i] || c.nodeHovered(i);
        const QFont& font = selected ? c.fonts.bold : c.fonts.normal;
        const QString label = nodeDisplayLabel(g, static_cast<int>(i), c.options.labels);
        const QColor color = faded(n.kind == NodeKind::Sink ? c.style.drop : c.style.text, lit);
        const double line = QFontMetricsF(font).height();
        if (placed.full[i]) {
            drawHaloText(c.p, QRectF(r.left(), r.top(), r.width(), line), label, font, color, c.style.halo);
            drawHaloText(c.p, QRectF(r.left(), r.top() + line, r.width(), r.height() - line),
                         nodeSubLabel(g, static_cast<int>(i)), c.fonts.small, faded(c.style.mutedText, lit), c.style.halo);
        } else {
            drawHaloText(c.p, r, shortLabel(label, n.id), font, color, c.style.halo);
        }
    }
}

} // namespace

GraphStyle GraphStyle::fromPalette(const QPalette& palette)
{
    GraphStyle s;
    s.background = palette.color(QPalette::Base);
    s.text = palette.color(QPalette::Text);
    s.dark = s.background.lightnessF() < 0.5;
    s.mutedText = s.text;
    s.mutedText.setAlphaF(0.7f);
    s.edge = s.dark ? QColor(150, 170, 200) : QColor(70, 90, 120);
    s.edge.setAlphaF(s.dark ? 0.55f : 0.45f);
    s.drop = s.dark ? QColor(255, 80, 70) : QColor(215, 25, 25);
    s.highlight = s.dark ? QColor(255, 200, 60) : QColor(230, 140, 0);
    s.found = s.dark ? QColor(255, 220, 80, 110) : QColor(255, 190, 0, 120);
    s.halo = s.background;
    s.halo.setAlphaF(0.85f);
    s.nodeBorder = s.dark ? QColor(230, 235, 245) : QColor(40, 50, 65);
    return s;
}

QColor GraphStyle::edgeColor(double severity) const
{
    if (!(severity > 0)) return edge;
    // A faint pink for a trace of drops, full red for severe ones; opacity grows with it.
    QColor light = dark ? QColor(200, 140, 140) : QColor(235, 150, 140);
    light.setAlphaF(0.55f);
    QColor full = drop;
    full.setAlphaF(0.95f);
    return mix(light, full, std::clamp((severity - 0.05) / 0.8, 0.0, 1.0));
}

QColor GraphStyle::nodeFill(NodeKind kind) const
{
    auto pick = [this](QColor light, QColor darkC) { return dark ? darkC : light; };
    switch (kind) {
    case NodeKind::Unknown:
        return pick(QColor(120, 144, 170), QColor(95, 120, 150));
    case NodeKind::Vpc:
        return pick(QColor(66, 133, 214), QColor(60, 120, 200));
    case NodeKind::Vpn:
        return pick(QColor(240, 150, 50), QColor(215, 130, 40));
    case NodeKind::DirectConnectGateway:
        return pick(QColor(150, 100, 210), QColor(140, 95, 200));
    case NodeKind::Peering:
        return pick(QColor(40, 170, 160), QColor(35, 150, 140));
    case NodeKind::Connect:
        return pick(QColor(90, 170, 80), QColor(80, 150, 70));
    case NodeKind::Subnet:
        return pick(QColor(110, 160, 225), QColor(85, 135, 200));
    case NodeKind::Az:
        return pick(QColor(100, 180, 200), QColor(80, 150, 170));
    case NodeKind::Account:
        return pick(QColor(200, 170, 90), QColor(170, 145, 70));
    case NodeKind::Address:
        return pick(QColor(140, 160, 180), QColor(110, 130, 150));
    case NodeKind::Group:
        return pick(QColor(110, 120, 140), QColor(90, 100, 120));
    case NodeKind::Sink:
        return drop;
    case NodeKind::None:
        return background;
    }
    return background;
}

GraphFonts GraphFonts::from(const QFont& base)
{
    GraphFonts f;
    f.normal = base;
    f.normal.setPointSizeF(9);
    f.bold = f.normal;
    f.bold.setBold(true);
    f.small = base;
    f.small.setPointSizeF(8);
    return f;
}

QRectF graphArea(const QRectF& deviceRect, const Graph& graph, const GraphPaintOptions& options, const GraphFonts& fonts)
{
    return deviceRect.adjusted(0, 0, 0, -layoutLegend(graph, options, fonts, deviceRect).height);
}

QPainterPath nodeShape(NodeKind kind, QPointF c, double r)
{
    QPainterPath path;
    switch (kind) {
    case NodeKind::Vpc:
    case NodeKind::Subnet: {
        const double h = r * 0.86;
        path.addRoundedRect(QRectF(c.x() - h, c.y() - h, 2 * h, 2 * h), r * 0.25, r * 0.25);
        return path;
    }
    case NodeKind::Account:
        path.addRect(QRectF(c.x() - r * 0.82, c.y() - r * 0.82, r * 1.64, r * 1.64));
        return path;
    case NodeKind::Group:
        path.addRoundedRect(QRectF(c.x() - r, c.y() - r * 0.8, 2 * r, r * 1.6), r * 0.4, r * 0.4);
        return path;
    case NodeKind::Vpn:
        return polygonPath(c, r * 1.1, 4, -kPi / 2);
    case NodeKind::DirectConnectGateway:
        return polygonPath(c, r, 6, 0);
    case NodeKind::Peering:
        return polygonPath(c, r * 1.15, 3, -kPi / 2);
    case NodeKind::Connect:
        return polygonPath(c, r, 5, -kPi / 2);
    case NodeKind::Unknown:
    case NodeKind::Az:
    case NodeKind::Address:
    case NodeKind::Sink:
    case NodeKind::None:
        break;
    }
    path.addEllipse(c, r, r);
    return path;
}

QString nodeDisplayLabel(const Graph& graph, int node, const QHash<QString, QString>& labels)
{
    const auto& n = graph.nodes[static_cast<size_t>(node)];
    if (n.kind == NodeKind::Sink) return QStringLiteral("no exit (no route / blackhole)");
    if (n.kind == NodeKind::Group) return QStringLiteral("%1 (%2)").arg(n.group).arg(n.members);
    if (n.kind == NodeKind::None) {
        switch (graph.dimension) {
        case core::EdgeDimension::Vpc:
            return QStringLiteral("(no VPC: VPN, DX, peering)");
        case core::EdgeDimension::Subnet:
            return QStringLiteral("(no subnet: VPN, DX, peering)");
        case core::EdgeDimension::Az:
            return QStringLiteral("(no AZ: VPN, DX, peering)");
        case core::EdgeDimension::Account:
            return QStringLiteral("(no account: VPN, DX, peering)");
        case core::EdgeDimension::Addr:
            return QStringLiteral("(no address)");
        case core::EdgeDimension::Attachment:
            break;
        }
        return QStringLiteral("(none)");
    }
    return labels.value(n.id, n.id);
}

QString nodeSubLabel(const Graph& graph, int node)
{
    const auto& n = graph.nodes[static_cast<size_t>(node)];
    if (n.kind == NodeKind::Sink) return QStringLiteral("%1 dropped packets").arg(formatInteger(n.dropped));
    QString s = formatWeight(n.traffic, graph.weight);
    if (n.dropped > 0) s += QStringLiteral(" \u00b7 %1 dropped").arg(formatCount(n.dropped));
    return s;
}

std::vector<NodeLabelSize> nodeLabelSizes(const Graph& graph, const GraphFonts& fonts, const GraphPaintOptions& options)
{
    const QFontMetricsF normal(fonts.normal), bold(fonts.bold), small(fonts.small);
    std::vector<NodeLabelSize> sizes;
    sizes.reserve(graph.nodes.size());
    for (size_t i = 0; i < graph.nodes.size(); ++i) {
        const auto& n = graph.nodes[i];
        const QFontMetricsF& fm = options.selection.nodes.contains(n.id) ? bold : normal;
        const QString label = nodeDisplayLabel(graph, static_cast<int>(i), options.labels);
        const double w1 = fm.horizontalAdvance(label) + 8;
        const double w2 = small.horizontalAdvance(nodeSubLabel(graph, static_cast<int>(i))) + 8;
        NodeLabelSize s;
        s.full = QSizeF(std::max(w1, w2), fm.height() + small.height());
        s.nameOnly = QSizeF(fm.horizontalAdvance(shortLabel(label, n.id)) + 8, fm.height());
        sizes.push_back(s);
    }
    return sizes;
}

std::vector<char> forcedLabels(const Graph& graph, const GraphPaintOptions& options)
{
    std::vector<char> forced(graph.nodes.size(), 0);
    for (size_t i = 0; i < graph.nodes.size(); ++i) {
        const auto& id = graph.nodes[i].id;
        forced[i] = options.selection.nodes.contains(id) || options.found.contains(id)
                    || (options.hover.kind == Hit::Node && options.hover.index == static_cast<int>(i));
    }
    return forced;
}

void paintGraph(QPainter& p, const QRectF& deviceRect, const Graph& g, const Viewport& view, const GraphStyle& style,
                const GraphPaintOptions& options)
{
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.fillRect(deviceRect, style.background);
    const GraphFonts fonts = GraphFonts::from(p.font());
    const LegendLayout legend = layoutLegend(g, options, fonts, deviceRect);
    Painting c{p, g, view, style, options, fonts, deviceRect.adjusted(0, 0, 0, -legend.height), {}};
    if (g.nodes.empty()) {
        p.setPen(style.mutedText);
        p.setFont(c.fonts.normal);
        p.drawText(deviceRect, Qt::AlignCenter | Qt::TextWordWrap, options.emptyText);
        p.restore();
        return;
    }
    c.lit = computeLit(g, options);
    std::vector<EdgeGeometry> geometry;
    paintEdges(c, geometry);
    paintNodes(c);
    paintLabels(c, geometry);
    paintLegend(p, legend, style, fonts);
    p.restore();
}

} // namespace ui
