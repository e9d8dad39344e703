#pragma once
// The matrix while a comparison is active: the cells of new, gone and changed pairs carry the
// graph's diff looks (graphdiff.h): a frame in the diff colour (dashed, over a faded and
// hatched cell, for a gone pair, whose cell shows its baseline value), ▲ / ▼ in the corner of a changed cell, the whole
// cell in the colour when cells are too small for a frame; and the legend's key. GUI thread.
#include "ui/graph/graphpaint.h"
#include "ui/logic/graphmatrix.h"

#include <QHash>
#include <QPainter>

namespace ui {

using EdgeDecorations = QHash<QPair<QString, QString>, EdgeDecoration>;

/// The width of a marked cell's frame for cells of cw x ch device px; 0: too small, the cell
/// is filled with the colour instead.
double matrixDiffFrameWidth(double cw, double ch);

/// Paints the marks of `decorations` on the cells of `mx` whose (0, 0) corner is at `origin`
/// and whose size is cw x ch (the caller clips to the cell area); a gone cell is faded towards
/// `style`'s background.
void paintMatrixDiff(QPainter& p, const TrafficMatrix& mx, const EdgeDecorations& decorations, QPointF origin, double cw,
                     double ch, const GraphStyle& style);

/// Paints the key of the looks present in `decorations` ("compared: [] new [] gone ...") with its
/// text's baseline at `at`. Nothing when `decorations` is empty.
void paintMatrixDiffKey(QPainter& p, const EdgeDecorations& decorations, QPointF at, const GraphStyle& style);

} // namespace ui
