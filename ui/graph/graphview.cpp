#include "ui/graph/graphview.h"

#include <QApplication>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace ui {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kLabelMarginX = 120; // device px left/right of the graph for labels
constexpr double kLabelMarginTop = 30;
constexpr double kLabelMarginBottom = 84;

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

QPainterPath nodeShape(const GraphNode& n)
{
    const double r = n.radius;
    const QPointF c = n.pos;
    QPainterPath path;
    switch (n.kind) {
    case NodeKind::Vpc:
    case NodeKind::Subnet: {
        const double h = r * 0.86;
        path.addRoundedRect(QRectF(c.x() - h, c.y() - h, 2 * h, 2 * h), r * 0.25, r * 0.25);
        return path;
    }
    case NodeKind::Account:
        path.addRect(QRectF(c.x() - r * 0.82, c.y() - r * 0.82, r * 1.64, r * 1.64));
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

QString td(const QString& s, bool right = true)
{
    return QStringLiteral("<td%1>%2</td>").arg(right ? QStringLiteral(" align=right") : QString(), s);
}

const core::Edge* findData(const Graph& g, const QString& src, const QString& dst)
{
    for (const auto& e : g.data)
        if (e.src == src && e.dst == dst) return &e;
    return nullptr;
}

void drawHaloText(QPainter& p, const QPointF& topCenter, const QString& text, const QFont& font, const QColor& color,
                  const QColor& halo)
{
    p.setFont(font);
    const QFontMetricsF fm(font);
    const double w = fm.horizontalAdvance(text);
    const QRectF box(topCenter.x() - w / 2 - 3, topCenter.y(), w + 6, fm.height());
    p.setPen(Qt::NoPen);
    p.setBrush(halo);
    p.drawRoundedRect(box, 3, 3);
    p.setPen(color);
    p.drawText(box, Qt::AlignCenter, text);
}

} // namespace

GraphStyle GraphStyle::fromPalette(const QPalette& palette)
{
    GraphStyle s;
    s.background = palette.color(QPalette::Base);
    s.text = palette.color(QPalette::Text);
    s.dark = s.background.lightnessF() < 0.5;
    s.mutedText = s.text;
    s.mutedText.setAlphaF(0.65f);
    s.edge = s.dark ? QColor(150, 170, 200) : QColor(70, 90, 120);
    s.edge.setAlphaF(s.dark ? 0.60f : 0.50f);
    s.drop = s.dark ? QColor(255, 95, 85) : QColor(205, 35, 35);
    s.highlight = s.dark ? QColor(255, 200, 60) : QColor(230, 140, 0);
    s.halo = s.background;
    s.halo.setAlphaF(0.82f);
    s.nodeBorder = s.dark ? QColor(230, 235, 245) : QColor(40, 50, 65);
    return s;
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
    case NodeKind::Sink:
        return drop;
    case NodeKind::None:
        return background;
    }
    return background;
}

QString nodeDisplayLabel(const Graph& graph, int node, const QHash<QString, QString>& labels)
{
    const auto& n = graph.nodes[static_cast<size_t>(node)];
    if (n.kind == NodeKind::Sink) return QStringLiteral("no exit (no route / blackhole)");
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

QString nodeTooltip(const Graph& graph, int node, const QHash<QString, QString>& labels)
{
    const auto& n = graph.nodes[static_cast<size_t>(node)];
    core::Edge out, in;
    int outEdges = 0, inEdges = 0;
    for (const auto& e : graph.data) {
        if (e.src == n.id) {
            out.flows += e.flows;
            out.packets += e.packets;
            out.bytes += e.bytes;
            for (int r = 0; r < core::LostReasonCount; ++r) out.lost[static_cast<size_t>(r)] += e.lost[static_cast<size_t>(r)];
            ++outEdges;
        }
        if (e.dst == n.id) {
            in.flows += e.flows;
            in.packets += e.packets;
            in.bytes += e.bytes;
            for (int r = 0; r < core::LostReasonCount; ++r) in.lost[static_cast<size_t>(r)] += e.lost[static_cast<size_t>(r)];
            ++inEdges;
        }
    }
    const QString label = nodeDisplayLabel(graph, node, labels);
    QString html = QStringLiteral("<b>%1</b>").arg(label.toHtmlEscaped());
    if (labels.contains(n.id) && !label.contains(n.id)) html += QStringLiteral("<br>%1").arg(n.id.toHtmlEscaped());
    html += QStringLiteral("<br><i>%1</i>").arg(nodeKindName(n.kind));
    html += QStringLiteral("<table cellspacing=0 cellpadding=2><tr><th></th><th align=right>sent</th>"
                           "<th align=right>received</th></tr>");
    auto row = [&](const QString& name, qint64 a, qint64 b, bool bytes = false) {
        html += QStringLiteral("<tr>") + td(name, false) + td(bytes ? formatBytes(a) : formatInteger(a))
                + td(bytes ? formatBytes(b) : formatInteger(b)) + QStringLiteral("</tr>");
    };
    row(QStringLiteral("flows"), out.flows, in.flows);
    row(QStringLiteral("packets"), out.packets, in.packets);
    row(QStringLiteral("bytes"), out.bytes, in.bytes, true);
    row(QStringLiteral("peers"), outEdges, inEdges);
    static const char* const reasons[] = {"lost: no route", "lost: blackhole", "lost: MTU exceeded", "lost: TTL expired"};
    for (int r = 0; r < core::LostReasonCount; ++r) {
        const auto ur = static_cast<size_t>(r);
        if (out.lost[ur] || in.lost[ur]) row(QLatin1String(reasons[r]), out.lost[ur], in.lost[ur]);
    }
    html += QStringLiteral("</table>");
    return html;
}

QString edgeTooltip(const Graph& graph, int edge, const QHash<QString, QString>& labels)
{
    const auto& ge = graph.edges[static_cast<size_t>(edge)];
    const auto& fwd = graph.data[static_cast<size_t>(ge.data)];
    const core::Edge* rev = fwd.src == fwd.dst ? nullptr : findData(graph, fwd.dst, fwd.src);
    const QString a = nodeDisplayLabel(graph, ge.src, labels).toHtmlEscaped();
    const QString b = nodeDisplayLabel(graph, ge.dst, labels).toHtmlEscaped();
    QString html = QStringLiteral("<b>%1 &rarr; %2</b>").arg(a, b);
    html += QStringLiteral("<table cellspacing=0 cellpadding=2><tr><th></th><th align=right>%1 &rarr; %2</th>").arg(a, b);
    if (rev) html += QStringLiteral("<th align=right>%1 &rarr; %2</th>").arg(b, a);
    html += QStringLiteral("</tr>");
    auto row = [&](const QString& name, qint64 x, qint64 y, bool bytes = false, bool isDrop = false) {
        auto fmt = [&](qint64 v) {
            const QString t = bytes ? formatBytes(v) : formatInteger(v);
            return isDrop && v > 0 ? QStringLiteral("<font color=#d02020><b>%1</b></font>").arg(t) : t;
        };
        html += QStringLiteral("<tr>") + td(name, false) + td(fmt(x));
        if (rev) html += td(fmt(y));
        html += QStringLiteral("</tr>");
    };
    const core::Edge none;
    const core::Edge& r = rev ? *rev : none;
    row(QStringLiteral("flows"), fwd.flows, r.flows);
    row(QStringLiteral("packets"), fwd.packets, r.packets);
    row(QStringLiteral("bytes"), fwd.bytes, r.bytes, true);
    static const char* const reasons[] = {"lost: no route", "lost: blackhole", "lost: MTU exceeded", "lost: TTL expired"};
    for (int i = 0; i < core::LostReasonCount; ++i) {
        const auto ui = static_cast<size_t>(i);
        row(QLatin1String(reasons[i]), fwd.lost[ui], r.lost[ui], false, true);
    }
    html += QStringLiteral("</table><i>Click: filter on this direction; Shift/Ctrl+click: add to selection</i>");
    return html;
}

QTransform fitTransform(const Graph& graph, const QRectF& deviceRect, double maxScale)
{
    const QRectF b = graphBounds(graph);
    const double availW = std::max(40.0, deviceRect.width() - 2 * kLabelMarginX);
    const double availH = std::max(40.0, deviceRect.height() - kLabelMarginTop - kLabelMarginBottom);
    double scale = maxScale;
    if (b.width() > 1e-6) scale = std::min(scale, availW / b.width());
    if (b.height() > 1e-6) scale = std::min(scale, availH / b.height());
    scale = std::max(scale, 0.02);
    const QPointF areaCenter(deviceRect.center().x(), deviceRect.top() + kLabelMarginTop + availH / 2);
    const QPointF c = b.isNull() ? QPointF() : b.center();
    QTransform t;
    t.translate(areaCenter.x() - c.x() * scale, areaCenter.y() - c.y() * scale);
    t.scale(scale, scale);
    return t;
}

void paintGraph(QPainter& p, const QRectF& deviceRect, const Graph& g, const QTransform& toDevice, const GraphStyle& style,
                const GraphPaintOptions& options)
{
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.fillRect(deviceRect, style.background);
    QFont font = p.font();
    font.setPointSizeF(9);
    QFont bold = font;
    bold.setBold(true);
    QFont small = font;
    small.setPointSizeF(8);

    if (g.nodes.empty()) {
        p.setPen(style.mutedText);
        p.setFont(font);
        p.drawText(deviceRect, Qt::AlignCenter | Qt::TextWordWrap, options.emptyText);
        p.restore();
        return;
    }
    const double scale = std::max(toDevice.m11(), 1e-6);
    const QTransform base = p.worldTransform();
    auto edgeSelected = [&](int i) {
        const auto& e = g.data[static_cast<size_t>(g.edges[static_cast<size_t>(i)].data)];
        return options.selection.edges.contains({e.src, e.dst});
    };
    // With a selection, what is not part of it fades so the selection stands out.
    const bool dimming = !options.selection.isEmpty();
    std::vector<char> nodeLit(g.nodes.size(), dimming ? 0 : 1);
    std::vector<char> edgeLit(g.edges.size(), dimming ? 0 : 1);
    if (dimming) {
        for (size_t i = 0; i < g.nodes.size(); ++i)
            if (options.selection.nodes.contains(g.nodes[i].id)) nodeLit[i] = 1;
        for (size_t i = 0; i < g.edges.size(); ++i) {
            const auto& e = g.edges[i];
            const bool touches = nodeLit[static_cast<size_t>(e.src)] || nodeLit[static_cast<size_t>(e.dst)];
            if (edgeSelected(static_cast<int>(i)) || touches) edgeLit[i] = 1;
        }
        // Neighbours of a selected node and the ends of a selected edge stay lit.
        for (size_t i = 0; i < g.edges.size(); ++i)
            if (edgeLit[i]) {
                nodeLit[static_cast<size_t>(g.edges[i].src)] = 1;
                nodeLit[static_cast<size_t>(g.edges[i].dst)] = 1;
            }
    }
    auto faded = [](QColor c, bool lit) {
        if (!lit) c.setAlphaF(c.alphaF() * 0.25f);
        return c;
    };

    // Edges, lightest first so heavy ones stay on top.
    std::vector<int> order(g.edges.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return g.edges[static_cast<size_t>(a)].weight < g.edges[static_cast<size_t>(b)].weight;
    });
    std::vector<EdgeGeometry> geometry(g.edges.size());
    p.setWorldTransform(toDevice * base);
    for (int i : order) {
        const auto& e = g.edges[static_cast<size_t>(i)];
        const auto geo = edgeGeometry(g, i);
        geometry[static_cast<size_t>(i)] = geo;
        const bool hot = edgeSelected(i) || (options.hover.kind == Hit::Edge && options.hover.index == i);
        QColor color = e.hasDrops() ? style.drop : style.edge;
        if (hot && !e.hasDrops()) color = style.highlight;
        color = faded(color, edgeLit[static_cast<size_t>(i)] || hot);
        const double width = std::max(e.thickness + (hot ? 2.0 : 0.0), 1.0 / scale);
        const double arrow = std::max(7.0 + e.thickness * 1.1, 7.0 / scale);
        QPainterPath path(geo.p0);
        path.cubicTo(geo.c1, geo.c2, geo.p1 - geo.direction * arrow * 0.7);
        QPen pen(color, width, e.hasDrops() ? Qt::CustomDashLine : Qt::SolidLine, Qt::FlatCap);
        if (e.hasDrops()) pen.setDashPattern({2.5, 1.5});
        if (hot && e.hasDrops()) {
            QPen glow(style.highlight, width + 4.0 / scale, Qt::SolidLine, Qt::FlatCap);
            p.setPen(glow);
            p.setBrush(Qt::NoBrush);
            p.drawPath(path);
        }
        p.setPen(pen);
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

    // Nodes.
    for (size_t i = 0; i < g.nodes.size(); ++i) {
        const auto& n = g.nodes[i];
        const bool selected = options.selection.nodes.contains(n.id);
        const bool hovered = options.hover.kind == Hit::Node && options.hover.index == static_cast<int>(i);
        const QPainterPath shape = nodeShape(n);
        QPen border(selected || hovered ? style.highlight : style.nodeBorder, selected ? 3.5 : hovered ? 2.5 : 1.2);
        border.setCosmetic(true);
        if (n.kind == NodeKind::None) border.setStyle(Qt::DashLine);
        const bool lit = nodeLit[i] || hovered;
        border.setColor(faded(border.color(), lit));
        p.setPen(border);
        p.setBrush(faded(style.nodeFill(n.kind), lit));
        p.drawPath(shape);
        if (n.kind == NodeKind::Sink) {
            QPen x(style.background, std::max(n.radius * 0.18, 1.0 / scale), Qt::SolidLine, Qt::RoundCap);
            p.setPen(x);
            const double d = n.radius * 0.42;
            p.drawLine(n.pos + QPointF(-d, -d), n.pos + QPointF(d, d));
            p.drawLine(n.pos + QPointF(-d, d), n.pos + QPointF(d, -d));
        }
    }

    // Text at device size. Node labels claim their place first; edge labels then slide along
    // their curve to the first spot that overlaps nothing already placed.
    p.setWorldTransform(base);
    const QFontMetricsF fmFont(font), fmSmall(small);
    std::vector<QRectF> taken;
    auto textBox = [](const QPointF& topCenter, const QString& text, const QFontMetricsF& fm) {
        const double w = fm.horizontalAdvance(text);
        return QRectF(topCenter.x() - w / 2 - 3, topCenter.y(), w + 6, fm.height());
    };
    for (const auto& n : g.nodes) {
        const QPointF c = toDevice.map(n.pos);
        const double r = n.radius * scale;
        taken.emplace_back(c.x() - r, c.y() - r, 2 * r, 2 * r);
    }
    struct NodeLabel {
        size_t node;
        QPointF at;
        QString label, sub;
        QString full; ///< "Name (id)" when the label was shortened to the name, else ""
        QRectF box, subBox;
    };
    std::vector<NodeLabel> nodeLabels;
    const bool manyNodes = g.nodes.size() > 60;
    // Heaviest nodes come first; a lighter node's label that would cover one is left out
    // (hover shows it). Places are decided with "Name" for "Name (id)" labels, so showing ids
    // never costs a label; the id is then added where it covers nothing.
    auto clashes = [&nodeLabels](const QRectF& box, const QRectF& subBox, size_t except) {
        for (size_t k = 0; k < nodeLabels.size(); ++k)
            if (k != except
                && (nodeLabels[k].box.intersects(box) || nodeLabels[k].box.intersects(subBox)
                    || nodeLabels[k].subBox.intersects(box) || nodeLabels[k].subBox.intersects(subBox)))
                return true;
        return false;
    };
    for (size_t i = 0; i < g.nodes.size(); ++i) {
        const auto& n = g.nodes[i];
        const bool selected = options.selection.nodes.contains(n.id);
        const bool hovered = options.hover.kind == Hit::Node && options.hover.index == static_cast<int>(i);
        if (!(selected || hovered || !manyNodes || i < 30 || scale >= 0.7)) continue;
        NodeLabel l{i,
                    toDevice.map(n.pos + QPointF(0, n.radius)) + QPointF(0, 3),
                    nodeDisplayLabel(g, static_cast<int>(i), options.labels),
                    n.kind == NodeKind::Sink ? QStringLiteral("%1 dropped packets").arg(formatInteger(n.dropped))
                                             : formatWeight(n.traffic, g.weight),
                    QString(),
                    QRectF(),
                    QRectF()};
        const QString idSuffix = QStringLiteral(" (") + n.id + QLatin1Char(')');
        if (l.label.endsWith(idSuffix) && l.label.size() > idSuffix.size()) {
            l.full = l.label;
            l.label.chop(idSuffix.size());
        }
        l.box = textBox(l.at, l.label, fmFont);
        l.subBox = textBox(l.at + QPointF(0, fmFont.height()), l.sub, fmSmall);
        if (clashes(l.box, l.subBox, nodeLabels.size()) && !selected && !hovered) continue;
        nodeLabels.push_back(l);
    }
    for (size_t k = 0; k < nodeLabels.size(); ++k) {
        NodeLabel& l = nodeLabels[k];
        if (l.full.isEmpty()) continue;
        const QRectF full = textBox(l.at, l.full, fmFont);
        if (clashes(full, l.subBox, k)) continue;
        l.label = l.full;
        l.box = full;
    }
    for (const NodeLabel& l : nodeLabels) {
        taken.push_back(l.box);
        taken.push_back(l.subBox);
    }

    std::vector<int> labelOrder(order.rbegin(), order.rend()); // heaviest first
    std::stable_partition(labelOrder.begin(), labelOrder.end(),
                          [&](int i) { return g.edges[static_cast<size_t>(i)].hasDrops(); });
    const bool manyEdges = g.edges.size() > 40;
    static constexpr double kSlide[] = {0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74};
    for (int i : labelOrder) {
        const auto& e = g.edges[static_cast<size_t>(i)];
        const bool hot = edgeSelected(i) || (options.hover.kind == Hit::Edge && options.hover.index == i);
        const bool show = hot || ((!manyEdges || i < 25 || e.hasDrops()) && scale >= 0.25 && edgeLit[static_cast<size_t>(i)]);
        if (!show) continue;
        QString text = formatWeight(e.weight, g.weight);
        if (e.hasDrops()) text += QStringLiteral(" \u00b7 ") + dropSummary(g.data[static_cast<size_t>(e.data)]);
        const auto& geo = geometry[static_cast<size_t>(i)];
        QRectF best;
        double bestOverlap = 1e300;
        for (double t : kSlide) {
            const QPointF at = toDevice.map(bezierPoint(geo, t)) - QPointF(0, fmSmall.height() / 2);
            const QRectF box = textBox(at, text, fmSmall);
            double overlap = 0;
            for (const QRectF& r : taken) {
                const QRectF x = box.intersected(r);
                if (!x.isEmpty()) overlap += x.width() * x.height();
            }
            if (overlap < bestOverlap) {
                bestOverlap = overlap;
                best = box;
            }
            if (overlap <= 0) break;
        }
        if (bestOverlap > 0 && manyEdges && !hot) continue; // no room: the tooltip has it
        taken.push_back(best);
        drawHaloText(p, QPointF(best.center().x(), best.top()), text, small, e.hasDrops() ? style.drop : style.mutedText,
                     style.halo);
    }
    for (const auto& l : nodeLabels) {
        const auto& n = g.nodes[l.node];
        const bool selected = options.selection.nodes.contains(n.id);
        const bool lit = nodeLit[l.node] || (options.hover.kind == Hit::Node && options.hover.index == static_cast<int>(l.node));
        drawHaloText(p, l.at, l.label, selected ? bold : font, faded(n.kind == NodeKind::Sink ? style.drop : style.text, lit),
                     style.halo);
        drawHaloText(p, l.at + QPointF(0, fmFont.height()), l.sub, small, faded(style.mutedText, lit), style.halo);
    }

    if (options.legend) {
        p.setFont(small);
        p.setPen(style.mutedText);
        const QString legend =
            QStringLiteral("arrow = direction (entry \u2192 exit) \u00b7 width ~ log(%1) \u00b7 node size ~ traffic \u00b7 "
                           "red dashed = dropped packets")
                .arg(edgeWeightName(g.weight));
        const QRectF area = deviceRect.adjusted(8, 4, -8, -6);
        p.drawText(area, Qt::AlignLeft | Qt::AlignBottom, legend);
        // Shapes of the node kinds present.
        std::vector<NodeKind> kinds;
        for (const auto& n : g.nodes)
            if (std::find(kinds.begin(), kinds.end(), n.kind) == kinds.end()) kinds.push_back(n.kind);
        std::sort(kinds.begin(), kinds.end());
        double x = area.left() + 6;
        const double y = area.bottom() - fmSmall.height() * 1.9;
        for (NodeKind k : kinds) {
            GraphNode glyph;
            glyph.kind = k;
            glyph.radius = 5;
            glyph.pos = QPointF(x, y);
            QPen pen(style.nodeBorder, 0.8);
            p.setPen(pen);
            p.setBrush(style.nodeFill(k));
            p.drawPath(nodeShape(glyph));
            const QString name = k == NodeKind::Sink ? QStringLiteral("dropped, no exit") : nodeKindName(k);
            p.setPen(style.mutedText);
            p.drawText(QPointF(x + 9, y + fmSmall.ascent() / 2 - 1), name);
            x += 9 + fmSmall.horizontalAdvance(name) + 16;
        }
    }
    p.restore();
}

GraphView::GraphView(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(200, 150);
    setAutoFillBackground(false);
}

void GraphView::setGraph(Graph graph, bool fit)
{
    m_graph = std::move(graph);
    m_options.hover = {};
    m_drag = Drag::None;
    if (fit) {
        m_autoFit = true;
        m_transform = fitTransform(m_graph, rect());
    }
    update();
}

void GraphView::setLabels(const QHash<QString, QString>& labels)
{
    m_options.labels = labels;
    update();
}

void GraphView::setSelection(const GraphSelection& selection)
{
    m_options.selection = selection;
    update();
}

void GraphView::setEmptyText(const QString& text)
{
    m_options.emptyText = text;
    update();
}

QPointF GraphView::mapToScene(const QPointF& widgetPos) const
{
    return m_transform.inverted().map(widgetPos);
}

QPointF GraphView::mapFromScene(const QPointF& scenePos) const
{
    return m_transform.map(scenePos);
}

QPoint GraphView::nodePosition(const QString& id) const
{
    const int i = m_graph.findNode(id);
    if (i < 0) return {-1, -1};
    return mapFromScene(m_graph.nodes[static_cast<size_t>(i)].pos).toPoint();
}

QPoint GraphView::edgePosition(const QString& src, const QString& dst) const
{
    const int i = m_graph.findEdge(src, dst);
    if (i < 0) return {-1, -1};
    return mapFromScene(bezierPoint(edgeGeometry(m_graph, i), 0.5)).toPoint();
}

void GraphView::render(QPainter& painter, const QSizeF& size) const
{
    const QRectF r(QPointF(0, 0), size);
    GraphPaintOptions options = m_options;
    options.hover = {};
    paintGraph(painter, r, m_graph, fitTransform(m_graph, r), GraphStyle::fromPalette(palette()), options);
}

void GraphView::fitToView()
{
    m_autoFit = true;
    m_transform = fitTransform(m_graph, rect());
    update();
}

void GraphView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    paintGraph(p, rect(), m_graph, m_transform, GraphStyle::fromPalette(palette()), m_options);
}

void GraphView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    if (m_autoFit) m_transform = fitTransform(m_graph, rect());
}

void GraphView::wheelEvent(QWheelEvent* event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) return;
    const double factor = std::pow(1.2, steps);
    const double newScale = std::clamp(zoom() * factor, 0.02, 20.0);
    const double f = newScale / zoom();
    const QPointF cursor = event->position();
    const QPointF scenePt = mapToScene(cursor);
    QTransform t;
    t.translate(cursor.x() - scenePt.x() * newScale, cursor.y() - scenePt.y() * newScale);
    t.scale(newScale, newScale);
    if (f != 1.0) {
        m_transform = t;
        m_autoFit = false;
        update();
    }
    event->accept();
}

Hit GraphView::hitAt(const QPointF& widgetPos) const
{
    return hitTest(m_graph, mapToScene(widgetPos), 4.0 / std::max(zoom(), 1e-6));
}

void GraphView::setHover(const Hit& hit)
{
    if (hit == m_options.hover) return;
    m_options.hover = hit;
    setCursor(hit.kind == Hit::None ? Qt::ArrowCursor : Qt::PointingHandCursor);
    update();
}

void GraphView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
    m_pressPos = m_lastPos = event->position();
    m_pressHit = hitAt(event->position());
    m_drag = Drag::Pending;
    if (m_pressHit.kind == Hit::Node)
        m_grabOffset = m_graph.nodes[static_cast<size_t>(m_pressHit.index)].pos - mapToScene(event->position());
    event->accept();
}

void GraphView::mouseMoveEvent(QMouseEvent* event)
{
    const QPointF pos = event->position();
    if (m_drag == Drag::None) {
        setHover(hitAt(pos));
        return;
    }
    if (m_drag == Drag::Pending) {
        if ((pos - m_pressPos).manhattanLength() < QApplication::startDragDistance()) return;
        m_drag = m_pressHit.kind == Hit::Node ? Drag::Node : Drag::Pan;
        QToolTip::hideText();
        setCursor(m_drag == Drag::Node ? Qt::ClosedHandCursor : Qt::SizeAllCursor);
    }
    if (m_drag == Drag::Node) {
        m_graph.nodes[static_cast<size_t>(m_pressHit.index)].pos = mapToScene(pos) + m_grabOffset;
    } else {
        const QPointF d = pos - m_lastPos;
        QTransform t;
        t.translate(d.x(), d.y());
        m_transform = m_transform * t;
        m_autoFit = false;
    }
    m_lastPos = pos;
    update();
}

void GraphView::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) return QWidget::mouseReleaseEvent(event);
    const Drag drag = m_drag;
    m_drag = Drag::None;
    setCursor(Qt::ArrowCursor);
    if (drag != Drag::Pending) return;
    const Hit hit = m_pressHit;
    if (hit.kind == Hit::Node) {
        Q_EMIT nodeClicked(m_graph.nodes[static_cast<size_t>(hit.index)].id, event->modifiers());
    } else if (hit.kind == Hit::Edge) {
        const auto& e = m_graph.data[static_cast<size_t>(m_graph.edges[static_cast<size_t>(hit.index)].data)];
        Q_EMIT edgeClicked(e.src, e.dst, event->modifiers());
    }
}

void GraphView::leaveEvent(QEvent* event)
{
    setHover({});
    QWidget::leaveEvent(event);
}

bool GraphView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const Hit hit = hitAt(help->pos());
        QString text;
        if (hit.kind == Hit::Node) text = nodeTooltip(m_graph, hit.index, m_options.labels);
        else if (hit.kind == Hit::Edge) text = edgeTooltip(m_graph, hit.index, m_options.labels);
        if (text.isEmpty()) {
            QToolTip::hideText();
            event->ignore();
        } else {
            QToolTip::showText(help->globalPos(), text, this);
        }
        return true;
    }
    return QWidget::event(event);
}

} // namespace ui
