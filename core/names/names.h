#pragma once
// Names for AWS ids, read from the JSON the AWS CLI prints (describe-transit-gateway-attachments,
// describe-transit-gateways, describe-vpcs, describe-subnets, describe-network-interfaces,
// describe-vpn-connections, describe-transit-gateway-peering-attachments, describe-flow-logs).
#include "core/model/result.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>
#include <vector>

namespace core {

class Store;

/// What the AWS CLI told us about one id. Empty strings where the JSON said nothing.
struct NameEntry {
    QString id;           ///< tgw-attach-..., vpc-..., subnet-..., eni-..., tgw-..., vpn-..., fl-...
    QString name;         ///< the Name tag
    QString kind;         ///< attachment resource type (vpc, vpn, direct-connect-gateway, peering,
                          ///< connect, ...) or the object kind (tgw, vpc, subnet, eni, vpn, flow-log)
    QString resourceId;   ///< resource behind an attachment (vpc-..., vpn-..., ...)
    QString ownerId;      ///< ResourceOwnerId / OwnerId
    QString routeTableId; ///< TGW route table associated with an attachment
    QString cidr;         ///< VPC / subnet CIDR block(s), comma-separated
    QString az;           ///< subnet / ENI availability zone (AvailabilityZoneId if given, else name)
    QString vpcId;
    QString subnetId;
    QString instanceId; ///< ENI attachment's instance
    QString description;
    QStringList privateIps; ///< ENI private addresses (IPv4 and IPv6)
    QString logFormat;      ///< flow logs: LogFormat
};

/// All names known to a session, merged from any number of CLI JSON files. Value type.
class NameDirectory {
public:
    /// Adds or merges (non-empty fields of `e` win) an entry.
    void add(const NameEntry& e);
    const NameEntry* find(const QString& id) const;
    /// Name tag for an id, empty if unknown.
    QString name(const QString& id) const;
    /// "Name (id)" when a name is known, else the id.
    QString label(const QString& id) const;
    /// Ids whose Name tag equals `name` (case-sensitive), for filters like attachment == "VPC A".
    QStringList idsForName(const QString& name) const;
    /// ENI id owning a private address, empty if unknown.
    QString eniForAddress(const QString& address) const;
    /// Flow log LogFormat strings found in describe-flow-logs output, by flow log id.
    QHash<QString, QString> logFormats() const;
    const std::vector<NameEntry>& entries() const { return m_entries; }
    bool isEmpty() const { return m_entries.empty(); }

private:
    std::vector<NameEntry> m_entries;
    QHash<QString, qsizetype> m_index;
};

/// What one file contributed.
struct NamesFileReport {
    QString path;
    QString source; ///< e.g. "describe-transit-gateway-attachments"
    int entries = 0;
};

/// Parses one AWS CLI JSON document (detected by its top-level key: TransitGatewayAttachments,
/// TransitGateways, Vpcs, Subnets, NetworkInterfaces, VpnConnections,
/// TransitGatewayPeeringAttachments, FlowLogs; unknown keys ignored; several concatenated
/// pages (NextToken) accepted). On error nothing is added to `into` and the Error names the
/// file and the problem. Any thread.
Result<NamesFileReport> parseNamesJson(const QByteArray& json, const QString& path, NameDirectory& into);

/// Reads and parses a file (see parseNamesJson).
Result<NamesFileReport> loadNamesFile(const QString& path, NameDirectory& into);

/// True when the file looks like AWS CLI describe-* JSON (a JSON object whose first key is one
/// of the keys parseNamesJson knows), judged from its first 64 KiB. Used by the loader to send
/// such files to the names directory instead of the flow log readers. Any thread.
bool looksLikeNamesJson(const QString& path);

/// Writes the directory into the store's `names` table (id PRIMARY KEY, name, kind,
/// resource_id, owner_id, route_table_id, cidr, az, vpc_id, subnet_id, instance_id,
/// description) and `name_addresses` (address, eni_id), replacing earlier contents, so SQL
/// can join them. Any thread.
Status storeNames(const Store& store, const NameDirectory& names);

} // namespace core
