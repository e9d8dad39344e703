// AWS CLI describe-*.json output for the generator's topology (for the names feature).
#include "flowgen.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace flowgen {

namespace {

QJsonArray nameTags(const std::string& name, const char* extraKey = nullptr, const char* extraValue = nullptr)
{
    QJsonArray tags;
    tags.append(
        QJsonObject{{QStringLiteral("Key"), QStringLiteral("Name")}, {QStringLiteral("Value"), QString::fromStdString(name)}});
    if (extraKey)
        tags.append(
            QJsonObject{{QStringLiteral("Key"), QLatin1String(extraKey)}, {QStringLiteral("Value"), QLatin1String(extraValue)}});
    return tags;
}

bool writeJson(const QString& path, const QJsonObject& o)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
    return f.write(QJsonDocument(o).toJson(QJsonDocument::Indented)) > 0;
}

QString s(const std::string& v)
{
    return QString::fromStdString(v);
}

} // namespace

bool writeDescribeJson(const QString& dir)
{
    const Topology& topo = topology();
    QDir().mkpath(dir);
    const QString created = QStringLiteral("2025-06-02T09:14:27.000Z");
    QJsonArray atts, vpcs, subnets, enis;
    for (const Attachment& a : topo.attachments) {
        QJsonObject o{
            {QStringLiteral("TransitGatewayAttachmentId"), s(a.id)},
            {QStringLiteral("TransitGatewayId"), s(topo.tgwId)},
            {QStringLiteral("TransitGatewayOwnerId"), s(topo.account)},
            {QStringLiteral("ResourceOwnerId"), s(a.account)},
            {QStringLiteral("ResourceType"), s(a.type)},
            {QStringLiteral("ResourceId"), s(a.resourceId)},
            {QStringLiteral("State"), QStringLiteral("available")},
            {QStringLiteral("Association"), QJsonObject{{QStringLiteral("TransitGatewayRouteTableId"), s(topo.routeTableId)},
                                                        {QStringLiteral("State"), QStringLiteral("associated")}}},
            {QStringLiteral("CreationTime"), created},
            {QStringLiteral("Tags"), nameTags(a.name, "env", a.name.rfind("prod", 0) == 0 ? "prod" : "shared")}};
        atts.append(o);
        if (a.type != "vpc") continue;
        const std::string cidr = a.cidr + "0.0/16";
        QJsonObject v{
            {QStringLiteral("CidrBlock"), s(cidr)},
            {QStringLiteral("DhcpOptionsId"), QStringLiteral("dopt-0123abcd4567ef890")},
            {QStringLiteral("State"), QStringLiteral("available")},
            {QStringLiteral("VpcId"), s(a.vpcId)},
            {QStringLiteral("OwnerId"), s(a.account)},
            {QStringLiteral("InstanceTenancy"), QStringLiteral("default")},
            {QStringLiteral("CidrBlockAssociationSet"),
             QJsonArray{QJsonObject{
                 {QStringLiteral("AssociationId"), s(detail::hexId("vpc-cidr-assoc-", std::hash<std::string>{}(a.vpcId)))},
                 {QStringLiteral("CidrBlock"), s(cidr)},
                 {QStringLiteral("CidrBlockState"), QJsonObject{{QStringLiteral("State"), QStringLiteral("associated")}}}}}},
            {QStringLiteral("IsDefault"), false},
            {QStringLiteral("Tags"), nameTags(a.name)}};
        if (!a.cidr6.empty())
            v.insert(
                QStringLiteral("Ipv6CidrBlockAssociationSet"),
                QJsonArray{QJsonObject{
                    {QStringLiteral("AssociationId"), s(detail::hexId("vpc-cidr-assoc-", std::hash<std::string>{}(a.cidr6)))},
                    {QStringLiteral("Ipv6CidrBlock"), s(a.cidr6 + ":/56")},
                    {QStringLiteral("Ipv6CidrBlockState"), QJsonObject{{QStringLiteral("State"), QStringLiteral("associated")}}},
                    {QStringLiteral("NetworkBorderGroup"), s(topo.region)},
                    {QStringLiteral("Ipv6Pool"), QStringLiteral("Amazon")}}});
        vpcs.append(v);
        for (size_t i = 0; i < a.subnets.size(); ++i) {
            const std::string scidr = a.cidr + std::to_string(i * 128) + ".0/17";
            const std::string az = a.azs[i] == "use1-az1" ? "us-east-1a" : a.azs[i] == "use1-az2" ? "us-east-1b" : "us-east-1d";
            subnets.append(QJsonObject{
                {QStringLiteral("AvailabilityZone"), s(az)},
                {QStringLiteral("AvailabilityZoneId"), s(a.azs[i])},
                {QStringLiteral("AvailableIpAddressCount"), 32000},
                {QStringLiteral("CidrBlock"), s(scidr)},
                {QStringLiteral("DefaultForAz"), false},
                {QStringLiteral("MapPublicIpOnLaunch"), false},
                {QStringLiteral("State"), QStringLiteral("available")},
                {QStringLiteral("SubnetId"), s(a.subnets[i])},
                {QStringLiteral("VpcId"), s(a.vpcId)},
                {QStringLiteral("OwnerId"), s(a.account)},
                {QStringLiteral("AssignIpv6AddressOnCreation"), false},
                {QStringLiteral("Ipv6CidrBlockAssociationSet"), QJsonArray()},
                {QStringLiteral("Tags"), nameTags(a.name + (i == 0 ? "-tgw-a" : "-tgw-b"))},
                {QStringLiteral("SubnetArn"), s("arn:aws:ec2:" + topo.region + ":" + a.account + ":subnet/" + a.subnets[i])}});
            const std::string ip = a.cidr + std::to_string(i * 128) + ".4";
            enis.append(QJsonObject{
                {QStringLiteral("AvailabilityZone"), s(az)},
                {QStringLiteral("Description"), s("Network Interface for Transit Gateway Attachment " + a.id)},
                {QStringLiteral("Groups"), QJsonArray()},
                {QStringLiteral("InterfaceType"), QStringLiteral("transit_gateway")},
                {QStringLiteral("Ipv6Addresses"), QJsonArray()},
                {QStringLiteral("MacAddress"),
                 QStringLiteral("0e:12:34:56:78:%1").arg(static_cast<int>(i) + 10, 2, 10, QLatin1Char('0'))},
                {QStringLiteral("NetworkInterfaceId"), s(a.tgwEnis[i])},
                {QStringLiteral("OwnerId"), s(a.account)},
                {QStringLiteral("PrivateIpAddress"), s(ip)},
                {QStringLiteral("PrivateIpAddresses"),
                 QJsonArray{QJsonObject{{QStringLiteral("Primary"), true}, {QStringLiteral("PrivateIpAddress"), s(ip)}}}},
                {QStringLiteral("RequesterId"), QStringLiteral("AROAEXAMPLEROLEID:TransitGatewayService")},
                {QStringLiteral("RequesterManaged"), true},
                {QStringLiteral("SourceDestCheck"), false},
                {QStringLiteral("Status"), QStringLiteral("in-use")},
                {QStringLiteral("SubnetId"), s(a.subnets[i])},
                {QStringLiteral("TagSet"), QJsonArray()},
                {QStringLiteral("VpcId"), s(a.vpcId)}});
        }
    }
    for (const Eni& e : topo.enis) {
        enis.append(QJsonObject{
            {QStringLiteral("Attachment"),
             QJsonObject{{QStringLiteral("AttachmentId"), s(detail::hexId("eni-attach-", std::hash<std::string>{}(e.id)))},
                         {QStringLiteral("DeviceIndex"), 0},
                         {QStringLiteral("InstanceId"), s(detail::hexId("i-", std::hash<std::string>{}(e.name)))},
                         {QStringLiteral("InstanceOwnerId"), s(topo.account)},
                         {QStringLiteral("Status"), QStringLiteral("attached")}}},
            {QStringLiteral("AvailabilityZone"), QStringLiteral("us-east-1a")},
            {QStringLiteral("Description"), s(e.description)},
            {QStringLiteral("Groups"),
             QJsonArray{QJsonObject{{QStringLiteral("GroupName"), s(e.name + "-sg")},
                                    {QStringLiteral("GroupId"), s(detail::hexId("sg-", std::hash<std::string>{}(e.name)))}}}},
            {QStringLiteral("InterfaceType"), QStringLiteral("interface")},
            {QStringLiteral("Ipv6Addresses"), QJsonArray()},
            {QStringLiteral("MacAddress"), QStringLiteral("0e:ab:cd:ef:01:23")},
            {QStringLiteral("NetworkInterfaceId"), s(e.id)},
            {QStringLiteral("OwnerId"), s(topo.account)},
            {QStringLiteral("PrivateIpAddress"), s(e.privateIp)},
            {QStringLiteral("PrivateIpAddresses"),
             QJsonArray{QJsonObject{{QStringLiteral("Primary"), true}, {QStringLiteral("PrivateIpAddress"), s(e.privateIp)}}}},
            {QStringLiteral("RequesterManaged"), false},
            {QStringLiteral("SourceDestCheck"), true},
            {QStringLiteral("Status"), QStringLiteral("in-use")},
            {QStringLiteral("SubnetId"), s(e.subnetId)},
            {QStringLiteral("TagSet"), nameTags(e.name)},
            {QStringLiteral("VpcId"), s(e.vpcId)}});
    }
    QString tgwFormat, vpcFormat;
    for (const QString& f : QString::fromStdString(tgwHeader()).split(QLatin1Char(' ')))
        tgwFormat += (tgwFormat.isEmpty() ? QString() : QStringLiteral(" ")) + QStringLiteral("${%1}").arg(f);
    for (const QString& f : QString::fromStdString(vpcHeader()).split(QLatin1Char(' ')))
        vpcFormat += (vpcFormat.isEmpty() ? QString() : QStringLiteral(" ")) + QStringLiteral("${%1}").arg(f);
    QJsonArray flowLogs;
    flowLogs.append(QJsonObject{
        {QStringLiteral("CreationTime"), created},
        {QStringLiteral("DeliverLogsStatus"), QStringLiteral("SUCCESS")},
        {QStringLiteral("FlowLogId"), s(topo.tgwFlowLogId)},
        {QStringLiteral("FlowLogStatus"), QStringLiteral("ACTIVE")},
        {QStringLiteral("ResourceId"), s(topo.tgwId)},
        {QStringLiteral("LogDestinationType"), QStringLiteral("s3")},
        {QStringLiteral("LogDestination"), QStringLiteral("arn:aws:s3:::example-flowlogs-bucket")},
        {QStringLiteral("LogFormat"), tgwFormat},
        {QStringLiteral("Tags"), nameTags("tgw-flow-logs")},
        {QStringLiteral("MaxAggregationInterval"), 60},
        {QStringLiteral("DestinationOptions"), QJsonObject{{QStringLiteral("FileFormat"), QStringLiteral("plain-text")},
                                                           {QStringLiteral("HiveCompatiblePartitions"), false},
                                                           {QStringLiteral("PerHourPartition"), false}}}});
    for (const Eni& e : topo.enis)
        flowLogs.append(QJsonObject{{QStringLiteral("CreationTime"), created},
                                    {QStringLiteral("DeliverLogsStatus"), QStringLiteral("SUCCESS")},
                                    {QStringLiteral("FlowLogId"), s(topo.vpcFlowLogId)},
                                    {QStringLiteral("FlowLogStatus"), QStringLiteral("ACTIVE")},
                                    {QStringLiteral("ResourceId"), s(e.id)},
                                    {QStringLiteral("TrafficType"), QStringLiteral("ALL")},
                                    {QStringLiteral("LogDestinationType"), QStringLiteral("s3")},
                                    {QStringLiteral("LogDestination"), QStringLiteral("arn:aws:s3:::example-flowlogs-bucket")},
                                    {QStringLiteral("LogFormat"), vpcFormat},
                                    {QStringLiteral("Tags"), nameTags("eni-flow-logs")},
                                    {QStringLiteral("MaxAggregationInterval"), 60}});
    bool ok = true;
    ok &= writeJson(dir + QStringLiteral("/describe-transit-gateway-attachments.json"),
                    QJsonObject{{QStringLiteral("TransitGatewayAttachments"), atts}});
    ok &= writeJson(dir + QStringLiteral("/describe-vpcs.json"), QJsonObject{{QStringLiteral("Vpcs"), vpcs}});
    ok &= writeJson(dir + QStringLiteral("/describe-subnets.json"), QJsonObject{{QStringLiteral("Subnets"), subnets}});
    ok &= writeJson(dir + QStringLiteral("/describe-network-interfaces.json"),
                    QJsonObject{{QStringLiteral("NetworkInterfaces"), enis}});
    ok &= writeJson(dir + QStringLiteral("/describe-flow-logs.json"), QJsonObject{{QStringLiteral("FlowLogs"), flowLogs}});
    return ok;
}

} // namespace flowgen
