#pragma once
// The registry of every known flow log field (VPC v2..v8+, Transit Gateway), the single
// source of truth for the parser, the store schema, the filter language and the UI.
#include <QString>
#include <optional>
#include <span>
#include <string_view>

namespace core {

/// Every known field, in registry order. Values index allFields().
enum class FieldId : int {
    // v2 (VPC default)
    Version,
    AccountId,
    InterfaceId,
    SrcAddr,
    DstAddr,
    SrcPort,
    DstPort,
    Protocol,
    Packets,
    Bytes,
    Start,
    End,
    Action,
    LogStatus,
    // v3
    VpcId,
    SubnetId,
    InstanceId,
    TcpFlags,
    Type,
    PktSrcAddr,
    PktDstAddr,
    // v4
    Region,
    AzId,
    SublocationType,
    SublocationId,
    // v5
    PktSrcAwsService,
    PktDstAwsService,
    FlowDirection,
    TrafficPath,
    // v6 (Transit Gateway)
    ResourceType,
    TgwId,
    TgwAttachmentId,
    TgwSrcVpcAccountId,
    TgwDstVpcAccountId,
    TgwSrcVpcId,
    TgwDstVpcId,
    TgwSrcSubnetId,
    TgwDstSubnetId,
    TgwSrcEni,
    TgwDstEni,
    TgwSrcAzId,
    TgwDstAzId,
    TgwPairAttachmentId,
    PacketsLostNoRoute,
    PacketsLostBlackhole,
    PacketsLostMtuExceeded,
    PacketsLostTtlExpired,
    // v7 (ECS)
    EcsClusterArn,
    EcsClusterName,
    EcsContainerInstanceArn,
    EcsContainerInstanceId,
    EcsContainerId,
    EcsSecondContainerId,
    EcsServiceName,
    EcsTaskDefinitionArn,
    EcsTaskArn,
    EcsTaskId,
    // v8 and later
    RejectReason,
    ResourceId,
    EncryptionStatus,
    Count
};

constexpr int kFieldCount = static_cast<int>(FieldId::Count);

/// Storage/SQL type. Address values are IPv4 or IPv6 text in SQL (the view decodes them).
enum class FieldType { Integer, Text, Address };

struct FieldInfo {
    FieldId id;
    const char* name;   ///< AWS name with hyphens, e.g. "tgw-attachment-id"
    const char* column; ///< SQL column name with underscores, e.g. "tgw_attachment_id"
    FieldType type;
    int sinceVersion;        ///< flow log version that introduced it (2..8, 9 = later)
    const char* description; ///< one sentence for tooltips and the details pane
};

/// All known fields in FieldId order. Static storage; any thread.
std::span<const FieldInfo> allFields();

/// Registry entry for an id. Any thread.
const FieldInfo& fieldInfo(FieldId id);

/// Looks a field up by AWS (hyphen) or SQL (underscore) name, case-insensitive, with or
/// without "${...}". Returns nullopt for unknown names. Any thread.
std::optional<FieldId> findField(std::string_view name);

/// The fixed 36-field Transit Gateway default layout (version 6), in AWS order.
std::span<const FieldId> tgwDefaultLayout();

/// The fixed 14-field VPC default layout (version 2), in AWS order.
std::span<const FieldId> vpcDefaultLayout();

/// Lower-case, underscore form of an arbitrary header token, safe as an SQL identifier
/// (letters, digits, underscore; prefixed "x_" if it would start with a digit or clash
/// with a known column). Used for unknown fields kept as extra text columns.
QString extraColumnName(std::string_view headerToken);

/// Human meaning of a protocol number ("TCP"), empty if unknown.
QString protocolName(qint64 number);
/// Protocol number for a name (tcp, udp, icmp, icmpv6, esp, gre, ...), case-insensitive.
std::optional<int> protocolNumber(std::string_view name);
/// "SYN|ACK" for 18; "0" stays "-" only if the value is NULL (caller decides).
QString tcpFlagsText(qint64 flags);
/// Meaning of a traffic-path value (1..8), empty if unknown.
QString trafficPathText(qint64 value);

} // namespace core
