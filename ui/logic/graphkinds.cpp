#include "ui/logic/graphkinds.h"

namespace ui {

NodeKind nodeKindFromString(const QString& resourceType)
{
    const QString t = resourceType.trimmed().toLower();
    if (t == QLatin1String("vpc")) return NodeKind::Vpc;
    if (t == QLatin1String("vpn")) return NodeKind::Vpn;
    if (t == QLatin1String("direct-connect-gateway")) return NodeKind::DirectConnectGateway;
    if (t == QLatin1String("peering")) return NodeKind::Peering;
    if (t == QLatin1String("connect")) return NodeKind::Connect;
    return NodeKind::Unknown;
}

QString nodeKindName(NodeKind kind)
{
    switch (kind) {
    case NodeKind::Unknown:
        return QStringLiteral("attachment");
    case NodeKind::Vpc:
        return QStringLiteral("VPC");
    case NodeKind::Vpn:
        return QStringLiteral("VPN");
    case NodeKind::DirectConnectGateway:
        return QStringLiteral("Direct Connect gateway");
    case NodeKind::Peering:
        return QStringLiteral("peering");
    case NodeKind::Connect:
        return QStringLiteral("Connect");
    case NodeKind::Subnet:
        return QStringLiteral("subnet");
    case NodeKind::Az:
        return QStringLiteral("Availability Zone");
    case NodeKind::Account:
        return QStringLiteral("account");
    case NodeKind::Address:
        return QStringLiteral("address");
    case NodeKind::Sink:
        return QStringLiteral("dropped: no exit attachment (no route / blackhole)");
    case NodeKind::None:
        return QStringLiteral("no value");
    case NodeKind::Group:
        return QStringLiteral("group (click to expand)");
    }
    return {};
}

NodeKind inferNodeKind(core::EdgeDimension dimension, const QString& id)
{
    using D = core::EdgeDimension;
    if (id == QLatin1String("-") || id.isEmpty()) return dimension == D::Attachment ? NodeKind::Sink : NodeKind::None;
    switch (dimension) {
    case D::Attachment:
        return NodeKind::Unknown;
    case D::Vpc:
        return NodeKind::Vpc;
    case D::Subnet:
        return NodeKind::Subnet;
    case D::Az:
        return NodeKind::Az;
    case D::Account:
        return NodeKind::Account;
    case D::Addr:
        return NodeKind::Address;
    }
    return NodeKind::Unknown;
}

qint64 edgeWeight(const core::Edge& edge, EdgeWeight weight)
{
    switch (weight) {
    case EdgeWeight::Bytes:
        return edge.bytes;
    case EdgeWeight::Packets:
        return edge.packets;
    case EdgeWeight::Flows:
        return edge.flows;
    }
    return edge.bytes;
}

QString edgeWeightName(EdgeWeight weight)
{
    switch (weight) {
    case EdgeWeight::Bytes:
        return QStringLiteral("bytes");
    case EdgeWeight::Packets:
        return QStringLiteral("packets");
    case EdgeWeight::Flows:
        return QStringLiteral("flows");
    }
    return {};
}

QString edgeRankName(EdgeRank rank)
{
    switch (rank) {
    case EdgeRank::Traffic:
        return QStringLiteral("traffic");
    case EdgeRank::Dropped:
        return QStringLiteral("dropped packets");
    case EdgeRank::DropShare:
        return QStringLiteral("drop share");
    }
    return {};
}

} // namespace ui
