#pragma once
// Filter text for drill-down clicks in the attachment graph: a node selects every record
// touching it, an edge A->B selects exactly the records of traffic from A to B (both logged
// sides for TGW attachments). Pure string building over core/filter.h; any thread.
#include "core/analysis/aggregate.h"

#include <QString>
#include <QStringList>

namespace ui {

/// Records touching node `id` in `dimension` ("attachment == tgw-attach-1", "vpc == vpc-1", ...).
/// "-" (no value) selects the records the aggregation put on that pseudo-node.
QString nodeFilter(core::EdgeDimension dimension, const QString& id);

/// Records of the traffic from `src` to `dst` in `dimension`. For attachments:
/// (tgw_attachment_id == A and tgw_pair_attachment_id == B and flow_direction == ingress) or
/// (tgw_attachment_id == B and tgw_pair_attachment_id == A and flow_direction == egress);
/// "-" as an endpoint is written with the NULL test (`not tgw_pair_attachment_id`).
QString edgeFilter(core::EdgeDimension dimension, const QString& src, const QString& dst);

/// `base` and (t1 or t2 or ...), parenthesised as needed; empty terms are skipped.
QString selectionFilter(const QString& base, const QStringList& terms);

} // namespace ui
