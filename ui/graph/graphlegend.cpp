#include "ui/graph/graphlegend.h"

#include "ui/logic/graphkinds.h"
#include "ui/logic/graphtop.h"

#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>

namespace ui {
namespace {

constexpr double kPad = 8;        ///< strip inset from the pane's left, right and bottom
constexpr double kGap = 16;       ///< between pieces on a line
constexpr double kLineGap = 3;    ///< between lines
constexpr double kBarWidth = 300; ///< the drop-colour bar when there is room
constexpr double kBarHeight = 8;
constexpr double kSwatch = 13;     ///< node shape + space before its name
constexpr double kStroke = 31;     ///< sample stroke + space before its name
constexpr double kMaxShare = 0.45; ///< of the pane's height the legend may take

LegendPiece text(const QString& s, bool newLine = false)
{
    LegendPiece p;
    p.kind = LegendPiece::Kind::Text;
    p.text = s;
    p.newLine = newLine;
    return p;
}

LegendPiece stroke(const QString& s, const QColor& color, Qt::PenStyle pen)
{
    LegendPiece p;
    p.kind = LegendPiece::Kind::Stroke;
    p.text = s;
    p.color = color;
    p.pen = pen;
    return p;
}

/// Every piece in order of importance: node kinds, then the scales.
std::vector<LegendPiece> pieces(const Graph& g, const GraphPaintOptions& options)
{
    std::vector<LegendPiece> out;
    std::vector<NodeKind> kinds;
    for (const auto& n : g.nodes)
        if (std::find(kinds.begin(), kinds.end(), n.kind) == kinds.end()) kinds.push_back(n.kind);
    std::sort(kinds.begin(), kinds.end());
    for (NodeKind k : kinds) {
        LegendPiece p;
        p.kind = LegendPiece::Kind::Node;
        p.node = k;
        p.text = k == NodeKind::Sink ? QStringLiteral("dropped, no exit") : nodeKindName(k);
        out.push_back(p);
    }
    out.push_back(text(QStringLiteral("arrow = entry \u2192 exit"), true));
    if (options.decorations.isEmpty()) {
        out.push_back(text(QStringLiteral("width and node area ~ %1 (from zero)").arg(edgeWeightName(g.weight))));
        out.push_back(text(QStringLiteral("colour = share of packets dropped:")));
        LegendPiece bar;
        bar.kind = LegendPiece::Kind::SeverityBar;
        out.push_back(bar);
        out.push_back(text(QStringLiteral("(and by count: 1 M dropped \u2248 20 %)")));
        return out;
    }
    // While comparing: one sample stroke per look present (new, gone, grown, shrunk).
    out.push_back(text(QStringLiteral("width ~ %1").arg(edgeWeightName(g.weight))));
    out.push_back(text(QStringLiteral("compared with the baseline:")));
    QList<const EdgeDecoration*> looks;
    for (const EdgeDecoration& d : options.decorations) {
        bool seen = false;
        for (const EdgeDecoration* l : looks) seen = seen || l->key == d.key;
        if (!seen) looks << &d;
    }
    std::sort(looks.begin(), looks.end(), [](const EdgeDecoration* a, const EdgeDecoration* b) {
        static const QStringList order{QStringLiteral("new"), QStringLiteral("gone")};
        const auto rank = [](const QString& k) {
            const qsizetype i = order.indexOf(k);
            return i < 0 ? 2 + static_cast<int>(k.startsWith(QLatin1String("shrunk"))) : static_cast<int>(i);
        };
        return rank(a->key) < rank(b->key);
    });
    for (const EdgeDecoration* d : looks) out.push_back(stroke(d->key, d->color, d->style));
    out.push_back(stroke(QStringLiteral("within the threshold"), QColor(), Qt::SolidLine));
    return out;
}

/// Places `items` in lines of `width` from y = 0; returns the total height.
double flow(std::vector<LegendPiece>& items, const QFontMetricsF& fm, double left, double width)
{
    const double lineH = fm.height();
    double x = left, top = 0, lineHeight = 0;
    size_t lineStart = 0;
    const auto endLine = [&](size_t end) {
        for (size_t i = lineStart; i < end; ++i) // bottom-aligned: texts sit beside the bar, under its ticks
            items[i].rect.moveTop(top + lineHeight - items[i].rect.height());
        top += lineHeight + kLineGap;
        lineStart = end;
        x = left;
        lineHeight = 0;
    };
    for (size_t i = 0; i < items.size(); ++i) {
        LegendPiece& p = items[i];
        double w = 0, h = lineH;
        switch (p.kind) {
        case LegendPiece::Kind::Node:
            p.text = fm.elidedText(p.text, Qt::ElideRight, std::max(0.0, width - kSwatch));
            w = kSwatch + fm.horizontalAdvance(p.text);
            break;
        case LegendPiece::Kind::Stroke:
            p.text = fm.elidedText(p.text, Qt::ElideRight, std::max(0.0, width - kStroke));
            w = kStroke + fm.horizontalAdvance(p.text);
            break;
        case LegendPiece::Kind::Text:
            p.text = fm.elidedText(p.text, Qt::ElideRight, width);
            w = fm.horizontalAdvance(p.text);
            break;
        case LegendPiece::Kind::SeverityBar:
            w = std::min(kBarWidth, width);
            h = lineH + kBarHeight + 4; // tick labels above the bar, tick marks below
            break;
        }
        w = std::min(w, width);
        if (i > lineStart && (p.newLine || x + w > left + width)) endLine(i);
        p.rect = QRectF(x, 0, w, h);
        x += w + kGap;
        lineHeight = std::max(lineHeight, h);
    }
    if (lineStart < items.size()) endLine(items.size());
    return items.empty() ? 0 : top - kLineGap;
}

} // namespace

LegendLayout layoutLegend(const Graph& graph, const GraphPaintOptions& options, const GraphFonts& fonts, const QRectF& deviceRect)
{
    LegendLayout out;
    if (!options.legend || graph.nodes.empty()) return out;
    const QFontMetricsF fm(fonts.small);
    const double left = deviceRect.left() + kPad;
    const double width = deviceRect.width() - 2 * kPad;
    if (width < 20) return out;
    std::vector<LegendPiece> items = pieces(graph, options);
    // A short pane keeps the most important pieces that fit in its share.
    double height = flow(items, fm, left, width);
    while (!items.empty() && height + 2 * kPad > kMaxShare * deviceRect.height()) {
        items.pop_back();
        height = flow(items, fm, left, width);
    }
    if (items.empty()) return out;
    out.height = height + 2 * kPad;
    const double top = deviceRect.bottom() - kPad - height;
    for (LegendPiece& p : items) {
        p.rect.translate(0, top);
        out.rect |= p.rect;
    }
    out.pieces = std::move(items);
    return out;
}

void paintLegend(QPainter& p, const LegendLayout& legend, const GraphStyle& style, const GraphFonts& fonts)
{
    const QFontMetricsF fm(fonts.small);
    p.setFont(fonts.small);
    for (const LegendPiece& piece : legend.pieces) {
        const QRectF& r = piece.rect;
        switch (piece.kind) {
        case LegendPiece::Kind::Node:
            p.setPen(QPen(style.nodeBorder, 0.8));
            p.setBrush(style.nodeFill(piece.node));
            p.drawPath(nodeShape(piece.node, QPointF(r.left() + 5, r.center().y()), 5));
            p.setPen(style.mutedText);
            p.drawText(r.adjusted(kSwatch, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, piece.text);
            break;
        case LegendPiece::Kind::Text:
            p.setPen(style.mutedText);
            p.drawText(r, Qt::AlignLeft | Qt::AlignVCenter, piece.text);
            break;
        case LegendPiece::Kind::Stroke:
            p.setPen(QPen(piece.color.isValid() ? piece.color : style.edge, 3, piece.pen, Qt::FlatCap));
            p.drawLine(QPointF(r.left(), r.center().y()), QPointF(r.left() + 26, r.center().y()));
            p.setPen(style.mutedText);
            p.drawText(r.adjusted(kStroke, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, piece.text);
            break;
        case LegendPiece::Kind::SeverityBar: {
            const QRectF bar(r.left(), r.bottom() - kBarHeight - 2, r.width(), kBarHeight);
            for (int i = 0; i < 60; ++i) {
                const double s0 = i / 60.0;
                p.fillRect(QRectF(bar.left() + bar.width() * s0, bar.top(), bar.width() / 60.0 + 0.5, kBarHeight),
                           style.edgeColor(std::max(s0, 0.001)));
            }
            p.setPen(style.mutedText);
            double lastRight = -1e9;
            for (const auto& tick : severityTicks()) {
                const double tx = bar.left() + bar.width() * tick.severity;
                p.drawLine(QPointF(tx, bar.bottom()), QPointF(tx, bar.bottom() + 2));
                const double w = fm.horizontalAdvance(tick.label);
                if (w > r.width()) continue;
                const double lx = std::clamp(tx - w / 2, r.left(), r.right() - w); // inside the piece
                if (lx < lastRight + 4) continue;                                  // no room: the tick mark alone
                p.drawText(QPointF(lx, bar.top() - 2 - fm.descent()), tick.label);
                lastRight = lx + w;
            }
            break;
        }
        }
    }
}

} // namespace ui
