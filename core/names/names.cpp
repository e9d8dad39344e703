#include "core/names/names.h"

#include "core/store/store.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace core {
namespace {

QString str(const QJsonObject& o, const char* key)
{
    return o.value(QLatin1String(key)).toString();
}

QString nameTag(const QJsonObject& o)
{
    for (const char* key : {"Tags", "TagSet"}) {
        const QJsonArray tags = o.value(QLatin1String(key)).toArray();
        for (const auto& t : tags) {
            const QJsonObject tag = t.toObject();
            if (tag.value(QLatin1String("Key")).toString() == QLatin1String("Name"))
                return tag.value(QLatin1String("Value")).toString();
        }
    }
    return {};
}

QStringList cidrs(const QJsonObject& o)
{
    QStringList out;
    const QString primary = str(o, "CidrBlock");
    if (!primary.isEmpty()) out << primary;
    for (const auto& a : o.value(QLatin1String("CidrBlockAssociationSet")).toArray()) {
        const QString c = str(a.toObject(), "CidrBlock");
        if (!c.isEmpty() && !out.contains(c)) out << c;
    }
    for (const auto& a : o.value(QLatin1String("Ipv6CidrBlockAssociationSet")).toArray()) {
        const QString c = str(a.toObject(), "Ipv6CidrBlock");
        if (!c.isEmpty() && !out.contains(c)) out << c;
    }
    return out;
}

QString zone(const QJsonObject& o)
{
    const QString id = str(o, "AvailabilityZoneId");
    return id.isEmpty() ? str(o, "AvailabilityZone") : id;
}

using Parser = void (*)(const QJsonObject&, std::vector<NameEntry>&);

void parseAttachment(const QJsonObject& o, std::vector<NameEntry>& out)
{
    NameEntry e;
    e.id = str(o, "TransitGatewayAttachmentId");
    e.name = nameTag(o);
    e.kind = str(o, "ResourceType");
    e.resourceId = str(o, "ResourceId");
    e.ownerId = str(o, "ResourceOwnerId");
    e.routeTableId = str(o.value(QLatin1String("Association")).toObject(), "TransitGatewayRouteTableId");
    out.push_back(e);
}

void parseTgw(const QJsonObject& o, std::vector<NameEntry>& out)
{
    NameEntry e;
    e.id = str(o, "TransitGatewayId");
    e.name = nameTag(o);
    e.kind = QStringLiteral("tgw");
    e.ownerId = str(o, "OwnerId");
    e.description = str(o, "Description");
    out.push_back(e);
}

void parseVpc(const QJsonObject& o, std::vector<NameEntry>& out)
{
    NameEntry e;
    e.id = str(o, "VpcId");
    e.name = nameTag(o);
    e.kind = QStringLiteral("vpc");
    e.ownerId = str(o, "OwnerId");
    e.cidr = cidrs(o).join(QLatin1Char(','));
    out.push_back(e);
}

void parseSubnet(const QJsonObject& o, std::vector<NameEntry>& out)
{
    NameEntry e;
    e.id = str(o, "SubnetId");
    e.name = nameTag(o);
    e.kind = QStringLiteral("subnet");
    e.ownerId = str(o, "OwnerId");
    e.vpcId = str(o, "VpcId");
    e.az = zone(o);
    e.cidr = cidrs(o).join(QLatin1Char(','));
    out.push_back(e);
}

void parseEni(const QJsonObject& o, std::vector<NameEntry>& out)
{
    NameEntry e;
    e.id = str(o, "NetworkInterfaceId");
    e.name = nameTag(o);
    e.kind = QStringLiteral("eni");
    e.ownerId = str(o, "OwnerId");
    e.vpcId = str(o, "VpcId");
    e.subnetId = str(o, "SubnetId");
    e.az = zone(o);
    e.description = str(o, "Description");
    e.instanceId = str(o.value(QLatin1String("Attachment")).toObject(), "InstanceId");
    const QString primary = str(o, "PrivateIpAddress");
    if (!primary.isEmpty()) e.privateIps << primary;
    // The IPv4 list (which repeats the primary) and then the IPv6 list; each address once.
    const auto addAll = [&o, &e](const char* list, const char* key) {
        for (const auto& a : o.value(QLatin1String(list)).toArray()) {
            const QString ip = str(a.toObject(), key);
            if (!ip.isEmpty() && !e.privateIps.contains(ip)) e.privateIps << ip;
        }
    };
    addAll("PrivateIpAddresses", "PrivateIpAddress");
    addAll("Ipv6Addresses", "Ipv6Address");
    out.push_back(e);
}

void parseVpn(const QJsonObject& o, std::vector<NameEntry>& out)
{
    NameEntry e;
    e.id = str(o, "VpnConnectionId");
    e.name = nameTag(o);
    e.kind = QStringLiteral("vpn");
    e.description = str(o, "CustomerGatewayId");
    out.push_back(e);
}

void parsePeering(const QJsonObject& o, std::vector<NameEntry>& out)
{
    NameEntry e;
    e.id = str(o, "TransitGatewayAttachmentId");
    e.name = nameTag(o);
    e.kind = QStringLiteral("peering");
    const QJsonObject accepter = o.value(QLatin1String("AccepterTgwInfo")).toObject();
    e.resourceId = str(accepter, "TransitGatewayId");
    e.ownerId = str(accepter, "OwnerId");
    e.description = str(accepter, "Region");
    out.push_back(e);
}

void parseFlowLog(const QJsonObject& o, std::vector<NameEntry>& out)
{
    NameEntry e;
    e.id = str(o, "FlowLogId");
    e.name = nameTag(o);
    e.kind = QStringLiteral("flow-log");
    e.resourceId = str(o, "ResourceId");
    e.logFormat = str(o, "LogFormat");
    // The destination: an ARN (S3, Firehose, or arn:aws:logs:...:log-group:<name>), else the
    // CloudWatch log group name (older CLI output gives only LogGroupName). The loader reads
    // the log group from either form (flowlogformat.h flowLogFormats()).
    e.description = str(o, "LogDestination");
    if (e.description.isEmpty()) e.description = str(o, "LogGroupName");
    out.push_back(e);
}

struct Source {
    const char* key;
    const char* command;
    Parser parse;
};

constexpr Source kSources[] = {
    {"TransitGatewayAttachments", "describe-transit-gateway-attachments", parseAttachment},
    {"TransitGatewayPeeringAttachments", "describe-transit-gateway-peering-attachments", parsePeering},
    {"TransitGateways", "describe-transit-gateways", parseTgw},
    {"Vpcs", "describe-vpcs", parseVpc},
    {"Subnets", "describe-subnets", parseSubnet},
    {"NetworkInterfaces", "describe-network-interfaces", parseEni},
    {"VpnConnections", "describe-vpn-connections", parseVpn},
    {"FlowLogs", "describe-flow-logs", parseFlowLog},
};

/// Splits concatenated top-level JSON values ("{...}{...}" or one per line, as paginated CLI
/// output saved with >> gives). Returns byte ranges; a trailing unterminated value is one range.
std::vector<std::pair<qsizetype, qsizetype>> splitTopLevel(const QByteArray& data)
{
    std::vector<std::pair<qsizetype, qsizetype>> out;
    int depth = 0;
    bool inString = false;
    bool escape = false;
    qsizetype begin = -1;
    for (qsizetype i = 0; i < data.size(); ++i) {
        const char c = data[i];
        if (inString) {
            if (escape) escape = false;
            else if (c == '\\') escape = true;
            else if (c == '"') inString = false;
            continue;
        }
        if (begin < 0) {
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
            begin = i;
        }
        if (c == '"') inString = true;
        else if (c == '{' || c == '[') ++depth;
        else if (c == '}' || c == ']') {
            if (--depth <= 0) {
                out.emplace_back(begin, i + 1);
                begin = -1;
                depth = 0;
            }
        } else if (depth == 0) {
            // a scalar at top level: let the JSON parser report it
            qsizetype end = i;
            while (end < data.size() && data[end] != '\n') ++end;
            out.emplace_back(begin, end);
            begin = -1;
            i = end;
        }
    }
    if (begin >= 0) out.emplace_back(begin, data.size());
    return out;
}

qint64 lineAt(const QByteArray& data, qsizetype offset)
{
    return 1 + data.left(offset).count('\n');
}

} // namespace

void NameDirectory::add(const NameEntry& e)
{
    if (e.id.isEmpty()) return;
    const auto it = m_index.constFind(e.id);
    if (it == m_index.constEnd()) {
        m_index.insert(e.id, static_cast<qsizetype>(m_entries.size()));
        m_entries.push_back(e);
        return;
    }
    NameEntry& t = m_entries[static_cast<size_t>(*it)];
    auto merge = [](QString& into, const QString& from) {
        if (!from.isEmpty()) into = from;
    };
    merge(t.name, e.name);
    // An attachment's resource type beats the object kind a peering listing gives it.
    if (t.kind.isEmpty() || (!e.kind.isEmpty() && e.kind != QLatin1String("peering"))) merge(t.kind, e.kind);
    merge(t.resourceId, e.resourceId);
    merge(t.ownerId, e.ownerId);
    merge(t.routeTableId, e.routeTableId);
    merge(t.cidr, e.cidr);
    merge(t.az, e.az);
    merge(t.vpcId, e.vpcId);
    merge(t.subnetId, e.subnetId);
    merge(t.instanceId, e.instanceId);
    merge(t.description, e.description);
    merge(t.logFormat, e.logFormat);
    for (const auto& ip : e.privateIps)
        if (!t.privateIps.contains(ip)) t.privateIps << ip;
}

const NameEntry* NameDirectory::find(const QString& id) const
{
    const auto it = m_index.constFind(id);
    return it == m_index.constEnd() ? nullptr : &m_entries[static_cast<size_t>(*it)];
}

QString NameDirectory::name(const QString& id) const
{
    const NameEntry* e = find(id);
    return e ? e->name : QString();
}

QString NameDirectory::label(const QString& id) const
{
    const QString n = name(id);
    return n.isEmpty() ? id : QStringLiteral("%1 (%2)").arg(n, id);
}

QStringList NameDirectory::idsForName(const QString& n) const
{
    QStringList out;
    for (const auto& e : m_entries)
        if (!n.isEmpty() && e.name == n) out << e.id;
    return out;
}

QString NameDirectory::eniForAddress(const QString& address) const
{
    for (const auto& e : m_entries)
        if (e.privateIps.contains(address)) return e.id;
    return {};
}

QHash<QString, QString> NameDirectory::logFormats() const
{
    QHash<QString, QString> out;
    for (const auto& e : m_entries)
        if (!e.logFormat.isEmpty()) out.insert(e.id, e.logFormat);
    return out;
}

Result<NamesFileReport> parseNamesJson(const QByteArray& json, const QString& path, NameDirectory& into)
{
    NamesFileReport report;
    report.path = path;
    std::vector<NameEntry> found;
    QStringList sources;
    const auto ranges = splitTopLevel(json);
    if (ranges.empty())
        return Error{path, 0, 0, QStringLiteral("empty file: expected JSON printed by an 'aws ec2 describe-...' command")};
    for (const auto& [begin, end] : ranges) {
        QJsonParseError err{};
        const QJsonDocument doc = QJsonDocument::fromJson(json.mid(begin, end - begin), &err);
        if (err.error != QJsonParseError::NoError) {
            const qsizetype at = begin + err.offset;
            return Error{path, lineAt(json, at), 0,
                         QStringLiteral("not valid JSON: %1 (byte %2)").arg(err.errorString()).arg(at)};
        }
        if (!doc.isObject())
            return Error{path, lineAt(json, begin), 0,
                         QStringLiteral("expected a JSON object printed by an 'aws ec2 describe-...' command")};
        const QJsonObject top = doc.object();
        bool known = false;
        for (const auto& s : kSources) {
            const QJsonValue v = top.value(QLatin1String(s.key));
            if (v.isUndefined()) continue;
            if (!v.isArray())
                return Error{path, lineAt(json, begin), 0, QStringLiteral("'%1' is not a list").arg(QLatin1String(s.key))};
            known = true;
            if (!sources.contains(QLatin1String(s.command))) sources << QLatin1String(s.command);
            for (const auto& item : v.toArray())
                if (item.isObject()) s.parse(item.toObject(), found);
        }
        if (!known)
            return Error{path, lineAt(json, begin), 0,
                         QStringLiteral("no known AWS CLI output in this JSON (expected a top-level key such as "
                                        "TransitGatewayAttachments, Vpcs, Subnets, NetworkInterfaces or FlowLogs)")};
    }
    for (const auto& e : found) into.add(e);
    report.source = sources.join(QLatin1String(", "));
    report.entries = static_cast<int>(found.size());
    return report;
}

Result<NamesFileReport> loadNamesFile(const QString& path, NameDirectory& into)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return Error{path, 0, 0, QStringLiteral("cannot open: %1").arg(f.errorString())};
    constexpr qint64 kMaxBytes = 512LL * 1024 * 1024;
    if (f.size() > kMaxBytes)
        return Error{path, 0, 0, QStringLiteral("file is larger than 512 MiB; not an AWS CLI describe output")};
    return parseNamesJson(f.readAll(), path, into);
}

bool looksLikeNamesJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return false;
    const QByteArray head = f.read(qint64{64} * 1024);
    qsizetype i = 0;
    if (head.startsWith("\xEF\xBB\xBF")) i = 3;
    while (i < head.size() && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) ++i;
    if (i >= head.size() || head[i] != '{') return false;
    ++i;
    while (i < head.size() && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) ++i;
    for (const auto& src : kSources) {
        const QByteArray key = QByteArray("\"") + src.key + "\"";
        if (head.mid(i, key.size()) == key) return true;
    }
    return false;
}

Status storeNames(const Store& store, const NameDirectory& names)
{
    // Store::create() made both tables; replace their contents.
    if (auto s = store.exec(QStringLiteral("DELETE FROM names; DELETE FROM name_addresses;")); !s.ok()) return s.error();
    auto ins = store.prepare(QStringLiteral("INSERT OR REPLACE INTO names VALUES(?,?,?,?,?,?,?,?,?,?,?,?)"));
    if (!ins.ok()) return ins.error();
    auto addr = store.prepare(QStringLiteral("INSERT INTO name_addresses VALUES(?,?)"));
    if (!addr.ok()) return addr.error();
    auto nullable = [](const QString& s) { return s.isEmpty() ? QVariant() : QVariant(s); };
    for (const auto& e : names.entries()) {
        ins->reset();
        ins->bindAll({e.id, nullable(e.name), nullable(e.kind), nullable(e.resourceId), nullable(e.ownerId),
                      nullable(e.routeTableId), nullable(e.cidr), nullable(e.az), nullable(e.vpcId), nullable(e.subnetId),
                      nullable(e.instanceId), nullable(e.description)});
        ins->next();
        if (!ins->error().isEmpty()) return Error{{}, 0, 0, QStringLiteral("storing names: %1").arg(ins->error())};
        for (const auto& ip : e.privateIps) {
            addr->reset();
            addr->bindAll({ip, e.id});
            addr->next();
            if (!addr->error().isEmpty()) return Error{{}, 0, 0, QStringLiteral("storing names: %1").arg(addr->error())};
        }
    }
    return Ok{};
}

} // namespace core
