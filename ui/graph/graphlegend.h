#pragma once
// The graph's legend as a flow of small pieces (node kinds, the scales, the compared looks)
// laid out in the pane's width: pieces wrap onto more lines, a text wider than the pane is
// elided, the drop-colour bar shrinks, and when the lines would take more than a share of a
// short pane the least important pieces (the last ones) are left out. So the legend is never
// clipped at any dock width. GUI thread (or any thread painting on an image).
#include "ui/graph/graphpaint.h"

#include <QRectF>
#include <QString>
#include <vector>

class QPainter;

namespace ui {

struct LegendPiece {
    enum class Kind { Node, Text, Stroke, SeverityBar };
    Kind kind = Kind::Text;
    QString text;                     ///< as drawn (already elided to fit)
    NodeKind node = NodeKind::None;   ///< Node: the shape and fill drawn before the text
    QColor color;                     ///< Stroke: its colour (invalid: the plain edge colour)
    Qt::PenStyle pen = Qt::SolidLine; ///< Stroke: its dash
    bool newLine = false;             ///< starts a new line (the scales start below the kinds)
    QRectF rect;                      ///< where it is drawn, device units
};

struct LegendLayout {
    std::vector<LegendPiece> pieces;
    QRectF rect;       ///< union of the pieces' rects (inside the pane); empty without a legend
    double height = 0; ///< height of the strip at the pane's bottom the graph must leave free
};

/// The legend of `graph` laid out at the bottom of `deviceRect`; empty when options.legend is
/// off or the graph has no nodes.
LegendLayout layoutLegend(const Graph& graph, const GraphPaintOptions& options, const GraphFonts& fonts,
                          const QRectF& deviceRect);
void paintLegend(QPainter& painter, const LegendLayout& legend, const GraphStyle& style, const GraphFonts& fonts);

} // namespace ui
