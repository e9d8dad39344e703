#pragma once
// The project's realistic flow log generator (benchmarks, demo data, large tests).
//
// Topology: one transit gateway with 8 attachments (5 VPCs, a VPN, a Direct Connect gateway,
// a TGW peering). Traffic is a weighted mix of conversations with heavy hitters (Zipf),
// responses (80% of TCP and DNS requests: addresses and ports swapped, same protocol, in the
// same 60 s interval or, for some requests late in theirs, early in the next), a diurnal
// curve, and each flow logged at both attachments (ingress at entry, egress at exit, same
// counters). Episodes: no-route and blackhole drops (pair '-', no response), MTU drops
// towards the VPN, TTL expiry on the peering, NODATA while the dev VPC is idle, some IPv6.
// Optional VPC v2 records for two ENIs: the app server's database flows (most with their
// response) and REJECTed scans of a bastion. Deterministic for a seed.
#include <QString>
#include <QStringList>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace flowgen {

struct Options {
    uint64_t seed = 1;
    int64_t startTime = 1764547200;  ///< 2025-12-01T00:00:00Z
    int64_t durationSeconds = 86400; ///< covered span (60 s intervals)
    int64_t tgwRecords = 100000;     ///< TGW records to write (exact)
    bool vpcRecords = false;         ///< also VPC v2 records for two ENIs
    double ipv6Share = 0.04;         ///< share of conversations over IPv6
    // --- estate size (the defaults are the classic 8-attachment topology, byte-identical) ---
    int attachments = 8;       ///< TGW attachments (8..2048); beyond 8: more VPCs (other accounts)
    int azs = 0;               ///< AZs the VPC attachments spread over (1..6); 0 = the classic 3
    int enisPerAttachment = 0; ///< subnets (one TGW ENI each) per VPC attachment (1..16); 0 = 2
    int conversations = 3000;  ///< size of the conversation pool
    double zipfExponent = 1.1; ///< popularity skew of the pool (lower = flatter, more combinations)
    bool awsServices = false;  ///< conversations to AWS service ranges (S3, DYNAMODB, ...) through the
                               ///< egress VPC; only those records carry pkt-src/dst-aws-service
    /// True when the estate options are the defaults (the classic topology and mix).
    bool classicEstate() const
    {
        return attachments == 8 && azs == 0 && enisPerAttachment == 0 && conversations == 3000 && zipfExponent == 1.1
               && !awsServices;
    }
    /// The "large" preset: 150 attachments over 6 AZs, 4 ENIs each, 60,000 conversations with a
    /// flat popularity and AWS service traffic: > 100,000 distinct combinations of the text
    /// fields in 1M records (a large organisation's TGW).
    void setLargeEstate()
    {
        attachments = 150;
        azs = 6;
        enisPerAttachment = 4;
        conversations = 60000;
        zipfExponent = 0.6;
        awsServices = true;
    }
};

struct Attachment {
    std::string id;
    std::string type; ///< vpc, vpn, direct-connect-gateway, peering
    std::string name;
    std::string resourceId;
    std::string account;
    std::string vpcId; ///< empty unless type == vpc
    std::string cidr;  ///< IPv4 prefix "10.10." etc. (first two octets)
    std::string cidr6; ///< IPv6 prefix, empty if none
    std::vector<std::string> subnets, enis, azs, tgwEnis;
    int thirdOctetBase = -1; ///< >= 0: prefix is "A.B." and subnet s uses third octet base + s
};

struct Eni {
    std::string id, vpcId, subnetId, privateIp, description, name;
};

struct Topology {
    std::string tgwId, region, account, tgwFlowLogId, vpcFlowLogId, routeTableId;
    std::vector<Attachment> attachments;
    std::vector<Eni> enis; ///< ENIs with VPC flow logs
};

/// The fixed topology (independent of the seed).
const Topology& topology();
/// The topology of `options`' estate (attachments, AZs, ENIs); topology() for the defaults.
Topology topology(const Options& options);

/// The 36 TGW default field names, space separated (the S3 header line).
std::string tgwHeader();
/// The 14 VPC default field names.
std::string vpcHeader();

/// Generates records in time order. `tgw(line, intervalStart)` gets each TGW record line
/// (no newline); `vpc(line, intervalStart)` each VPC line if options.vpcRecords.
void generate(const Options& options, const std::function<void(const std::string&, int64_t)>& tgw,
              const std::function<void(const std::string&, int64_t)>& vpc = {});

/// Writes TGW lines to one file (optionally with the header line, optionally gzip).
/// Returns bytes of text written, or -1 on error.
int64_t writeTgwFile(const QString& path, const Options& options, bool header, bool gzip);

/// Writes an S3 download tree under `root` (AWSLogs/<acct>/vpcflowlogs/<region>/YYYY/MM/DD/...),
/// one gzip file per flow log per 5 minutes, each starting with a header line. Returns the
/// number of files written, or -1 on error.
int writeS3Tree(const QString& root, const Options& options);

/// Writes describe-transit-gateway-attachments.json, describe-vpcs.json, describe-subnets.json,
/// describe-network-interfaces.json and describe-flow-logs.json (AWS CLI output shape) into `dir`.
bool writeDescribeJson(const QString& dir);

namespace detail {
/// prefix + `digits` hex digits of v (AWS-style ids).
std::string hexId(const char* prefix, uint64_t v, int digits = 17);
} // namespace detail

} // namespace flowgen
