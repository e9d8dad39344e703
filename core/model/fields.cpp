#include "core/model/fields.h"

#include <QStringList>
#include <array>
#include <cctype>

namespace core {
namespace {

using T = FieldType;
using F = FieldId;

constexpr std::array<FieldInfo, kFieldCount> kFields{{
    {F::Version, "version", "version", T::Integer, 2, "Flow log version (2 = VPC default, 6 = Transit Gateway default)."},
    {F::AccountId, "account-id", "account_id", T::Text, 2,
     "AWS account that owns the interface or transit gateway that logged the flow (may be 'unknown')."},
    {F::InterfaceId, "interface-id", "interface_id", T::Text, 2, "Network interface (ENI) the traffic was recorded for."},
    {F::SrcAddr, "srcaddr", "srcaddr", T::Address, 2,
     "Source address of incoming traffic, or of the interface for outgoing traffic (IPv4 or IPv6)."},
    {F::DstAddr, "dstaddr", "dstaddr", T::Address, 2,
     "Destination address of outgoing traffic, or of the interface for incoming traffic (IPv4 or IPv6)."},
    {F::SrcPort, "srcport", "srcport", T::Integer, 2, "Source port."},
    {F::DstPort, "dstport", "dstport", T::Integer, 2, "Destination port."},
    {F::Protocol, "protocol", "protocol", T::Integer, 2,
     "IANA protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, 50 ESP, 47 GRE)."},
    {F::Packets, "packets", "packets", T::Integer, 2, "Packets transferred during the aggregation interval."},
    {F::Bytes, "bytes", "bytes", T::Integer, 2, "Bytes transferred during the aggregation interval."},
    {F::Start, "start", "start", T::Integer, 2, "Time of the first packet of the interval, Unix seconds (UTC)."},
    {F::End, "end", "end", T::Integer, 2, "Time of the last packet of the interval, Unix seconds (UTC)."},
    {F::Action, "action", "action", T::Text, 2, "ACCEPT or REJECT by security groups / network ACLs (VPC logs)."},
    {F::LogStatus, "log-status", "log_status", T::Text, 2,
     "OK, NODATA (no traffic in the interval) or SKIPDATA (records skipped by AWS)."},
    {F::VpcId, "vpc-id", "vpc_id", T::Text, 3, "VPC of the network interface."},
    {F::SubnetId, "subnet-id", "subnet_id", T::Text, 3, "Subnet of the network interface."},
    {F::InstanceId, "instance-id", "instance_id", T::Text, 3, "Instance the interface is attached to, if you own it."},
    {F::TcpFlags, "tcp-flags", "tcp_flags", T::Integer, 3,
     "OR of TCP flags seen in the interval: FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32."},
    {F::Type, "type", "type", T::Text, 3, "Traffic type: IPv4, IPv6 or EFA."},
    {F::PktSrcAddr, "pkt-srcaddr", "pkt_srcaddr", T::Address, 3, "Packet-level (original) source address."},
    {F::PktDstAddr, "pkt-dstaddr", "pkt_dstaddr", T::Address, 3, "Packet-level (original) destination address."},
    {F::Region, "region", "region", T::Text, 4, "Region of the interface or transit gateway."},
    {F::AzId, "az-id", "az_id", T::Text, 4, "Availability Zone id of the interface."},
    {F::SublocationType, "sublocation-type", "sublocation_type", T::Text, 4, "wavelength, outpost or localzone."},
    {F::SublocationId, "sublocation-id", "sublocation_id", T::Text, 4, "Id of the sublocation."},
    {F::PktSrcAwsService, "pkt-src-aws-service", "pkt_src_aws_service", T::Text, 5,
     "AWS service the source address belongs to (AMAZON, S3, EC2, ...)."},
    {F::PktDstAwsService, "pkt-dst-aws-service", "pkt_dst_aws_service", T::Text, 5,
     "AWS service the destination address belongs to."},
    {F::FlowDirection, "flow-direction", "flow_direction", T::Text, 5,
     "ingress or egress, relative to the interface or attachment that logged the record."},
    {F::TrafficPath, "traffic-path", "traffic_path", T::Integer, 5,
     "Path egress traffic takes: 1 same VPC, 2 IGW/gateway endpoint, 3 VGW, 4 intra-region peering, 5 inter-region peering, 6 "
     "local gateway, 7 gateway endpoint (Nitro), 8 IGW (Nitro)."},
    {F::ResourceType, "resource-type", "resource_type", T::Text, 6, "Resource that logged the record (TransitGateway)."},
    {F::TgwId, "tgw-id", "tgw_id", T::Text, 6, "Transit gateway id."},
    {F::TgwAttachmentId, "tgw-attachment-id", "tgw_attachment_id", T::Text, 6, "Attachment that logged the record."},
    {F::TgwSrcVpcAccountId, "tgw-src-vpc-account-id", "tgw_src_vpc_account_id", T::Text, 6, "Account of the source VPC."},
    {F::TgwDstVpcAccountId, "tgw-dst-vpc-account-id", "tgw_dst_vpc_account_id", T::Text, 6, "Account of the destination VPC."},
    {F::TgwSrcVpcId, "tgw-src-vpc-id", "tgw_src_vpc_id", T::Text, 6, "Source VPC."},
    {F::TgwDstVpcId, "tgw-dst-vpc-id", "tgw_dst_vpc_id", T::Text, 6, "Destination VPC."},
    {F::TgwSrcSubnetId, "tgw-src-subnet-id", "tgw_src_subnet_id", T::Text, 6, "Source subnet."},
    {F::TgwDstSubnetId, "tgw-dst-subnet-id", "tgw_dst_subnet_id", T::Text, 6, "Destination subnet."},
    {F::TgwSrcEni, "tgw-src-eni", "tgw_src_eni", T::Text, 6, "Transit gateway ENI on the source side."},
    {F::TgwDstEni, "tgw-dst-eni", "tgw_dst_eni", T::Text, 6, "Transit gateway ENI on the destination side."},
    {F::TgwSrcAzId, "tgw-src-az-id", "tgw_src_az_id", T::Text, 6, "Availability Zone id of the source."},
    {F::TgwDstAzId, "tgw-dst-az-id", "tgw_dst_az_id", T::Text, 6, "Availability Zone id of the destination."},
    {F::TgwPairAttachmentId, "tgw-pair-attachment-id", "tgw_pair_attachment_id", T::Text, 6,
     "The other attachment of the flow: exit for ingress records, entry for egress records."},
    {F::PacketsLostNoRoute, "packets-lost-no-route", "packets_lost_no_route", T::Integer, 6,
     "Packets dropped because the transit gateway route table has no route to the destination."},
    {F::PacketsLostBlackhole, "packets-lost-blackhole", "packets_lost_blackhole", T::Integer, 6,
     "Packets dropped by a blackhole route."},
    {F::PacketsLostMtuExceeded, "packets-lost-mtu-exceeded", "packets_lost_mtu_exceeded", T::Integer, 6,
     "Packets dropped for exceeding the MTU (8500 bytes; 1500 over VPN). No ICMP frag-needed is sent."},
    {F::PacketsLostTtlExpired, "packets-lost-ttl-expired", "packets_lost_ttl_expired", T::Integer, 6,
     "Packets dropped because their TTL expired (routing loop or low TTL)."},
    {F::EcsClusterArn, "ecs-cluster-arn", "ecs_cluster_arn", T::Text, 7, "ECS cluster ARN."},
    {F::EcsClusterName, "ecs-cluster-name", "ecs_cluster_name", T::Text, 7, "ECS cluster name."},
    {F::EcsContainerInstanceArn, "ecs-container-instance-arn", "ecs_container_instance_arn", T::Text, 7,
     "ECS container instance ARN."},
    {F::EcsContainerInstanceId, "ecs-container-instance-id", "ecs_container_instance_id", T::Text, 7,
     "ECS container instance id."},
    {F::EcsContainerId, "ecs-container-id", "ecs_container_id", T::Text, 7, "Docker id of the container."},
    {F::EcsSecondContainerId, "ecs-second-container-id", "ecs_second_container_id", T::Text, 7,
     "Docker id of a second container."},
    {F::EcsServiceName, "ecs-service-name", "ecs_service_name", T::Text, 7, "ECS service name."},
    {F::EcsTaskDefinitionArn, "ecs-task-definition-arn", "ecs_task_definition_arn", T::Text, 7, "ECS task definition ARN."},
    {F::EcsTaskArn, "ecs-task-arn", "ecs_task_arn", T::Text, 7, "ECS task ARN."},
    {F::EcsTaskId, "ecs-task-id", "ecs_task_id", T::Text, 7, "ECS task id."},
    {F::RejectReason, "reject-reason", "reject_reason", T::Text, 8,
     "Why traffic was rejected: BPA (VPC Block Public Access) or '-'."},
    {F::ResourceId, "resource-id", "resource_id", T::Text, 9, "Id of the resource (e.g. NAT gateway) that logged the record."},
    {F::EncryptionStatus, "encryption-status", "encryption_status", T::Integer, 9,
     "0 not encrypted, 1 Nitro, 2 application, 3 both."},
}};

constexpr std::array<FieldId, 36> kTgwDefault{F::Version,
                                              F::ResourceType,
                                              F::AccountId,
                                              F::TgwId,
                                              F::TgwAttachmentId,
                                              F::TgwSrcVpcAccountId,
                                              F::TgwDstVpcAccountId,
                                              F::TgwSrcVpcId,
                                              F::TgwDstVpcId,
                                              F::TgwSrcSubnetId,
                                              F::TgwDstSubnetId,
                                              F::TgwSrcEni,
                                              F::TgwDstEni,
                                              F::TgwSrcAzId,
                                              F::TgwDstAzId,
                                              F::TgwPairAttachmentId,
                                              F::SrcAddr,
                                              F::DstAddr,
                                              F::SrcPort,
                                              F::DstPort,
                                              F::Protocol,
                                              F::Packets,
                                              F::Bytes,
                                              F::Start,
                                              F::End,
                                              F::LogStatus,
                                              F::Type,
                                              F::PacketsLostNoRoute,
                                              F::PacketsLostBlackhole,
                                              F::PacketsLostMtuExceeded,
                                              F::PacketsLostTtlExpired,
                                              F::TcpFlags,
                                              F::Region,
                                              F::FlowDirection,
                                              F::PktSrcAwsService,
                                              F::PktDstAwsService};

constexpr std::array<FieldId, 14> kVpcDefault{F::Version, F::AccountId, F::InterfaceId, F::SrcAddr,  F::DstAddr,
                                              F::SrcPort, F::DstPort,   F::Protocol,    F::Packets,  F::Bytes,
                                              F::Start,   F::End,       F::Action,      F::LogStatus};

bool sameName(std::string_view a, std::string_view b)
{
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        char x = static_cast<char>(std::tolower(static_cast<unsigned char>(a[i])));
        char y = static_cast<char>(std::tolower(static_cast<unsigned char>(b[i])));
        if (x == '_') x = '-';
        if (y == '_') y = '-';
        if (x != y) return false;
    }
    return true;
}

} // namespace

std::span<const FieldInfo> allFields()
{
    return kFields;
}

const FieldInfo& fieldInfo(FieldId id)
{
    return kFields[static_cast<size_t>(id)];
}

std::optional<FieldId> findField(std::string_view name)
{
    while (!name.empty() && (name.front() == ' ' || name.front() == '\t')) name.remove_prefix(1);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t' || name.back() == '\r')) name.remove_suffix(1);
    if (name.size() >= 3 && name.substr(0, 2) == "${" && name.back() == '}') name = name.substr(2, name.size() - 3);
    for (const auto& f : kFields)
        if (sameName(name, f.name)) return f.id;
    return std::nullopt;
}

std::span<const FieldId> tgwDefaultLayout()
{
    return kTgwDefault;
}
std::span<const FieldId> vpcDefaultLayout()
{
    return kVpcDefault;
}

QString extraColumnName(std::string_view token)
{
    QString out;
    for (char c : token) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u)) out += QLatin1Char(static_cast<char>(std::tolower(u)));
        else if (!out.endsWith(QLatin1Char('_'))) out += QLatin1Char('_');
    }
    while (out.endsWith(QLatin1Char('_'))) out.chop(1);
    while (out.startsWith(QLatin1Char('_'))) out.remove(0, 1);
    const bool clash = findField(out.toStdString()).has_value() || out == QLatin1String("id") || out == QLatin1String("file_id")
                       || out == QLatin1String("line");
    if (out.isEmpty() || out.front().isDigit() || clash) out.prepend(QLatin1String("x_"));
    return out;
}

QString protocolName(qint64 n)
{
    switch (n) {
    case 1:
        return QStringLiteral("ICMP");
    case 2:
        return QStringLiteral("IGMP");
    case 4:
        return QStringLiteral("IPIP");
    case 6:
        return QStringLiteral("TCP");
    case 17:
        return QStringLiteral("UDP");
    case 41:
        return QStringLiteral("IPv6");
    case 47:
        return QStringLiteral("GRE");
    case 50:
        return QStringLiteral("ESP");
    case 51:
        return QStringLiteral("AH");
    case 58:
        return QStringLiteral("ICMPv6");
    case 89:
        return QStringLiteral("OSPF");
    case 132:
        return QStringLiteral("SCTP");
    default:
        return {};
    }
}

std::optional<int> protocolNumber(std::string_view name)
{
    static constexpr std::pair<std::string_view, int> kNames[] = {
        {"icmp", 1}, {"igmp", 2}, {"ipip", 4},    {"tcp", 6},        {"udp", 17},  {"ipv6", 41}, {"gre", 47},
        {"esp", 50}, {"ah", 51},  {"icmpv6", 58}, {"ipv6-icmp", 58}, {"ospf", 89}, {"sctp", 132}};
    for (auto [n, v] : kNames)
        if (sameName(name, n)) return v;
    return std::nullopt;
}

QString tcpFlagsText(qint64 flags)
{
    static constexpr std::pair<int, const char*> kBits[] = {{2, "SYN"}, {16, "ACK"}, {1, "FIN"},
                                                            {4, "RST"}, {8, "PSH"},  {32, "URG"}};
    if (flags == 0) return QStringLiteral("0");
    QStringList parts;
    qint64 rest = flags;
    for (auto [bit, name] : kBits)
        if (flags & bit) {
            parts << QLatin1String(name);
            rest &= ~static_cast<qint64>(bit);
        }
    if (rest) parts << QString::number(rest);
    return parts.join(QLatin1Char('|'));
}

QString trafficPathText(qint64 v)
{
    switch (v) {
    case 1:
        return QStringLiteral("through another resource in the same VPC");
    case 2:
        return QStringLiteral("through an internet gateway or gateway VPC endpoint");
    case 3:
        return QStringLiteral("through a virtual private gateway");
    case 4:
        return QStringLiteral("through an intra-region VPC peering connection");
    case 5:
        return QStringLiteral("through an inter-region VPC peering connection");
    case 6:
        return QStringLiteral("through a local gateway");
    case 7:
        return QStringLiteral("through a gateway VPC endpoint (Nitro)");
    case 8:
        return QStringLiteral("through an internet gateway (Nitro)");
    default:
        return {};
    }
}

} // namespace core
