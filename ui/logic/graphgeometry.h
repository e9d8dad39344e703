#pragma once
// Where the attachment graph's parts are: edge curves, hit-testing, the drawing's bounds and
// the scene -> device mapping that fits it into a pane. Scene units are abstract ("pixels at
// zoom 1"). Pure functions; any thread.
#include "ui/logic/graphbuild.h"

#include <QPointF>
#include <QRectF>

namespace ui {

double vectorLength(QPointF v);
/// v / |v|, or `fallback` for a (near) zero vector.
QPointF normalizedVector(QPointF v, QPointF fallback);
QPointF rotatedVector(QPointF v, double angle);

/// An edge as a cubic Bézier from the rim of its source to the rim of its target. A->B and
/// B->A bend to opposite sides; self loops (A->A) are drawn as a loop outside the node.
struct EdgeGeometry {
    QPointF p0, c1, c2, p1;
    QPointF labelPos;  ///< where the label goes (the curve's middle)
    QPointF direction; ///< unit tangent at p1 (for the arrow head)
};
EdgeGeometry edgeGeometry(const Graph& graph, int edge);
QPointF bezierPoint(const EdgeGeometry& g, double t);

/// Distance from p to the segment a-b.
double distanceToSegment(QPointF p, QPointF a, QPointF b);

struct Hit {
    enum Kind { None, Node, Edge };
    Kind kind = None;
    int index = -1;
    bool operator==(const Hit& o) const { return kind == o.kind && index == o.index; }
};

/// What is under `scenePos`: a node (within radius + tolerance; topmost = last drawn wins),
/// else the nearest edge within thickness/2 + tolerance, else None.
Hit hitTest(const Graph& graph, QPointF scenePos, double tolerance = 4.0);

/// Bounding box of nodes (with radius) and self loops, in scene units.
QRectF graphBounds(const Graph& graph);

/// Scene -> device mapping: device = scene * scale + offset (no rotation, same scale on both axes).
struct Viewport {
    double scale = 1.0;
    QPointF offset;
    QPointF map(QPointF scene) const { return scene * scale + offset; }
    QPointF unmap(QPointF device) const { return (device - offset) / scale; }
};

/// Room kept around the scene bounds, in device units (for labels drawn at device size).
struct FitMargins {
    double left = 0, top = 0, right = 0, bottom = 0;
};

/// The viewport that shows `sceneBounds` as large as fits in `deviceRect` minus `margins`,
/// centred there, never magnifying beyond `maxScale` (nor below 0.02).
Viewport fitViewport(const QRectF& sceneBounds, const QRectF& deviceRect, const FitMargins& margins, double maxScale);

} // namespace ui
