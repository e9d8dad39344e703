#pragma once
// What the attachment graph's nodes stand for (kinds, inferred from ids or loaded names) and
// what its edges measure (bytes, packets, flows) and are ranked by. Pure functions; any thread.
#include "core/analysis/aggregate.h"

#include <QString>

namespace ui {

/// What a node stands for; drawn as a shape. Attachment kinds come from names (describe-*
/// output) when loaded; other dimensions are inferred from the dimension and the id.
enum class NodeKind {
    Unknown, ///< an attachment whose type is not known yet
    Vpc,
    Vpn,
    DirectConnectGateway,
    Peering,
    Connect,
    Subnet,
    Az,
    Account,
    Address,
    Sink,  ///< "-" in the attachment dimension: dropped with no exit attachment
    None,  ///< "-" in other dimensions: no value (e.g. the VPN side has no VPC)
    Group, ///< a collapsed group of nodes (expands on click)
};

/// "vpc", "vpn", "direct-connect-gateway", "peering", "connect" (AWS ResourceType) -> kind.
NodeKind nodeKindFromString(const QString& resourceType);
QString nodeKindName(NodeKind kind);
/// Kind inferable from the dimension and the id alone ("-" -> Sink/None, vpc-... -> Vpc, ...).
NodeKind inferNodeKind(core::EdgeDimension dimension, const QString& id);

enum class EdgeWeight { Bytes, Packets, Flows };

qint64 edgeWeight(const core::Edge& edge, EdgeWeight weight);
QString edgeWeightName(EdgeWeight weight); ///< "bytes", "packets", "flows"

/// What the top-N cut ranks edges by: their weight (traffic), their dropped packets, or the
/// share of their packets that was dropped.
enum class EdgeRank { Traffic, Dropped, DropShare };
QString edgeRankName(EdgeRank rank); ///< "traffic", "dropped packets", "drop share"

} // namespace ui
