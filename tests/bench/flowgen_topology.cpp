// flowgen's topology: the transit gateway, its attachments, subnets and ENIs for an estate, and
// the header lines (the TGW and VPC default field lists).
#include "flowgen.h"

#include <algorithm>
#include <cstdio>

namespace flowgen {

std::string detail::hexId(const char* prefix, uint64_t v, int digits)
{
    static const char* hex = "0123456789abcdef";
    std::string s = prefix;
    for (int i = digits - 1; i >= 0; --i) s += hex[(v >> ((i % 16) * 4)) & 0xf];
    return s;
}

namespace {

constexpr const char* kTgwFields[36] = {"version",
                                        "resource-type",
                                        "account-id",
                                        "tgw-id",
                                        "tgw-attachment-id",
                                        "tgw-src-vpc-account-id",
                                        "tgw-dst-vpc-account-id",
                                        "tgw-src-vpc-id",
                                        "tgw-dst-vpc-id",
                                        "tgw-src-subnet-id",
                                        "tgw-dst-subnet-id",
                                        "tgw-src-eni",
                                        "tgw-dst-eni",
                                        "tgw-src-az-id",
                                        "tgw-dst-az-id",
                                        "tgw-pair-attachment-id",
                                        "srcaddr",
                                        "dstaddr",
                                        "srcport",
                                        "dstport",
                                        "protocol",
                                        "packets",
                                        "bytes",
                                        "start",
                                        "end",
                                        "log-status",
                                        "type",
                                        "packets-lost-no-route",
                                        "packets-lost-blackhole",
                                        "packets-lost-mtu-exceeded",
                                        "packets-lost-ttl-expired",
                                        "tcp-flags",
                                        "region",
                                        "flow-direction",
                                        "pkt-src-aws-service",
                                        "pkt-dst-aws-service"};

constexpr const char* kVpcFields[14] = {"version",  "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport",
                                        "protocol", "packets",    "bytes",        "start",   "end",     "action",  "log-status"};

Topology makeTopology(const Options& o)
{
    Topology t;
    t.tgwId = "tgw-0a1b2c3d4e5f60718";
    t.region = "us-east-1";
    t.account = "111122223333";
    t.tgwFlowLogId = "fl-0f1e2d3c4b5a69788";
    t.vpcFlowLogId = "fl-0a9b8c7d6e5f41322";
    t.routeTableId = "tgw-rtb-0c1d2e3f4a5b69708";
    struct Def {
        const char* type;
        const char* name;
        const char* account;
        const char* cidr;
        const char* cidr6;
    };
    const Def defs[] = {
        {"vpc", "prod-app", "111122223333", "10.10.", "2600:1f18:4a10:"},
        {"vpc", "prod-db", "111122223333", "10.20.", "2600:1f18:4a20:"},
        {"vpc", "shared-services", "444455556666", "10.30.", "2600:1f18:4a30:"},
        {"vpc", "dev", "777788889999", "10.40.", ""},
        {"vpc", "egress-inspection", "111122223333", "10.50.", ""},
        {"vpn", "onprem-vpn", "111122223333", "192.168.", ""},
        {"direct-connect-gateway", "dx-datacenter", "111122223333", "172.16.", ""},
        {"peering", "peer-eu-west-1", "555566667777", "10.100.", ""},
    };
    static const char* kAzs[] = {"use1-az1", "use1-az2", "use1-az4", "use1-az3", "use1-az5", "use1-az6"};
    const size_t azCount = o.azs > 0 ? static_cast<size_t>(std::clamp(o.azs, 1, 6)) : 3;
    const int subnetCount = o.enisPerAttachment > 0 ? std::clamp(o.enisPerAttachment, 1, 16) : 2;
    uint64_t n = 0x3a5c7e9b1d2f4061ULL;
    auto addVpcParts = [&](Attachment& a, size_t i) {
        for (int s = 0; s < subnetCount; ++s) {
            a.subnets.push_back(detail::hexId("subnet-", n * 5 + i * 0x3333333333333ULL + static_cast<uint64_t>(s)));
            a.enis.push_back(detail::hexId("eni-", n * 7 + i * 0x4444444444444ULL + static_cast<uint64_t>(s)));
            a.tgwEnis.push_back(detail::hexId("eni-", n * 11 + i * 0x5555555555555ULL + static_cast<uint64_t>(s)));
            a.azs.push_back(kAzs[(i + static_cast<size_t>(s)) % azCount]);
        }
    };
    for (size_t i = 0; i < std::size(defs); ++i) {
        const Def& d = defs[i];
        Attachment a;
        a.type = d.type;
        a.name = d.name;
        a.account = d.account;
        a.cidr = d.cidr;
        a.cidr6 = d.cidr6;
        a.id = detail::hexId("tgw-attach-", n + i * 0x1111111111111ULL);
        if (a.type == "vpc") {
            a.vpcId = detail::hexId("vpc-", n * 3 + i * 0x2222222222222ULL);
            a.resourceId = a.vpcId;
            addVpcParts(a, i);
        } else if (a.type == "vpn") {
            a.resourceId = detail::hexId("vpn-", n * 13 + i);
        } else if (a.type == "direct-connect-gateway") {
            a.resourceId = "5f4e3d2c-1b0a-4f9e-8d7c-6b5a49382716";
        } else {
            a.resourceId = "tgw-0e9d8c7b6a5f40312";
        }
        t.attachments.push_back(std::move(a));
    }
    // A larger estate: more VPCs, in accounts of six each, each with a /20 of 10.128.0.0/9
    // (second octet 128 + k / 16, third octet (k % 16) * 16 + subnet).
    const size_t total = static_cast<size_t>(std::clamp(o.attachments, 8, 2048));
    for (size_t i = std::size(defs); i < total; ++i) {
        const size_t k = i - std::size(defs);
        Attachment a;
        a.type = "vpc";
        char buf[32];
        std::snprintf(buf, sizeof buf, "team-%03zu", k);
        a.name = buf;
        std::snprintf(buf, sizeof buf, "%012llu", 200000000000ULL + static_cast<unsigned long long>(k / 6) * 1000003ULL);
        a.account = buf;
        a.cidr = "10." + std::to_string(128 + k / 16) + ".";
        a.thirdOctetBase = static_cast<int>((k % 16) * 16);
        a.id = detail::hexId("tgw-attach-", n + i * 0x1111111111111ULL);
        a.vpcId = detail::hexId("vpc-", n * 3 + i * 0x2222222222222ULL);
        a.resourceId = a.vpcId;
        addVpcParts(a, i);
        t.attachments.push_back(std::move(a));
    }
    const Attachment& app = t.attachments[0];
    const Attachment& egress = t.attachments[4];
    t.enis.push_back(
        {detail::hexId("eni-", 0x77aa11bb22cc33ULL), app.vpcId, app.subnets[0], "10.10.1.25", "app server", "prod-app-server-1"});
    t.enis.push_back(
        {detail::hexId("eni-", 0x88dd44ee55ff66ULL), egress.vpcId, egress.subnets[1], "10.50.128.10", "bastion host", "bastion"});
    return t;
}
} // namespace

const Topology& topology()
{
    static const Topology t = makeTopology(Options{});
    return t;
}

Topology topology(const Options& options)
{
    return options.classicEstate() ? topology() : makeTopology(options);
}

std::string tgwHeader()
{
    std::string s;
    for (const char* f : kTgwFields) {
        if (!s.empty()) s += ' ';
        s += f;
    }
    return s;
}

std::string vpcHeader()
{
    std::string s;
    for (const char* f : kVpcFields) {
        if (!s.empty()) s += ' ';
        s += f;
    }
    return s;
}

} // namespace flowgen
