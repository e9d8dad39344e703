// flowgen's traffic: the conversation pool, the diurnal curve and the episodes, generated as
// TGW (and VPC) record lines in time order. Its building blocks (random generator, flow types,
// line builder) are in flowgen_traffic.h, the topology in flowgen_topology.cpp, the file writers
// in flowgen_write.cpp. generate() stays one function: its stages share the pool and the clock.
#include "flowgen.h"
#include "flowgen_traffic.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace flowgen {

using namespace detail;

void generate(const Options& o, const std::function<void(const std::string&, int64_t)>& tgw,
              const std::function<void(const std::string&, int64_t)>& vpc)
{
    const Topology estate = o.classicEstate() ? Topology{} : topology(o);
    const Topology& topo = o.classicEstate() ? topology() : estate;
    const int subnetCount = o.enisPerAttachment > 0 ? std::clamp(o.enisPerAttachment, 1, 16) : 2;
    const int attachmentCount = static_cast<int>(topo.attachments.size());
    Rng rng(o.seed);

    // Conversation pool, ranked for Zipf popularity (heavy hitters first).
    double totalWeight = 0;
    for (const auto& k : kClasses) totalWeight += k.weight;
    std::vector<Conversation> pool(static_cast<size_t>(std::max(1, o.conversations)));
    // Estate options beyond the classic 8 attachments: a share of the pool is conversations
    // between any two attachments, and (awsServices) traffic to AWS service ranges.
    const double genericShare = attachmentCount > 8 ? 1.0 - 8.0 / attachmentCount : 0.0;
    const double serviceShare = o.awsServices ? 0.15 : 0.0;
    double serviceWeight = 0;
    for (const auto& r : kServiceRanges) serviceWeight += r.weight;
    static constexpr int kGenericPorts[][2] = {{6, 443}, {6, 5432}, {6, 3306}, {6, 6379}, {6, 8080},
                                               {17, 53}, {6, 22},   {6, 9092}, {6, 443},  {17, 123}};
    for (size_t i = 0; i < pool.size(); ++i) {
        if (!o.classicEstate()) {
            const double kind = rng.real();
            if (kind < serviceShare) {
                double pick = rng.real() * serviceWeight;
                size_t k = 0;
                while (k + 1 < std::size(kServiceRanges) && pick >= kServiceRanges[k].weight) pick -= kServiceRanges[k++].weight;
                const ServiceRange& sr = kServiceRanges[k];
                Conversation c;
                do c.src = static_cast<int>(rng.below(static_cast<uint64_t>(attachmentCount)));
                while (topo.attachments[static_cast<size_t>(c.src)].type != "vpc" || c.src == 4);
                c.dst = 4; // out through the egress VPC
                c.proto = 6;
                c.dport = 443;
                c.meanBytes = 20000;
                c.srcSubnet = static_cast<int>(rng.below(static_cast<uint64_t>(subnetCount)));
                c.dstSubnet = static_cast<int>(rng.below(static_cast<uint64_t>(subnetCount)));
                c.srcIp = ip4(topo.attachments[static_cast<size_t>(c.src)], rng, c.srcSubnet, subnetCount);
                c.dstIp = std::string(sr.prefix)
                          + std::to_string(sr.thirdFrom + static_cast<int>(rng.below(static_cast<uint64_t>(sr.thirdCount)))) + '.'
                          + std::to_string(rng.below(254) + 1);
                c.dstService = sr.service;
                pool[i] = std::move(c);
                continue;
            }
            if (kind < serviceShare + genericShare * (1.0 - serviceShare)) {
                Conversation c;
                c.src = static_cast<int>(rng.below(static_cast<uint64_t>(attachmentCount)));
                do c.dst = static_cast<int>(rng.below(static_cast<uint64_t>(attachmentCount)));
                while (c.dst == c.src);
                const auto& port = kGenericPorts[rng.below(std::size(kGenericPorts))];
                c.proto = port[0];
                c.dport = port[1];
                c.meanBytes = 500.0 * static_cast<double>(1 + rng.below(60));
                c.srcSubnet = static_cast<int>(rng.below(static_cast<uint64_t>(subnetCount)));
                c.dstSubnet = static_cast<int>(rng.below(static_cast<uint64_t>(subnetCount)));
                c.srcIp = ip4(topo.attachments[static_cast<size_t>(c.src)], rng, c.srcSubnet, subnetCount);
                c.dstIp = ip4(topo.attachments[static_cast<size_t>(c.dst)], rng, c.dstSubnet, subnetCount);
                c.respond = c.proto == 6 || c.dport == 53;
                pool[i] = std::move(c);
                continue;
            }
        }
        double pick = rng.real() * totalWeight;
        size_t k = 0;
        while (k + 1 < std::size(kClasses) && pick >= kClasses[k].weight) pick -= kClasses[k++].weight;
        const ClassDef& cd = kClasses[k];
        Conversation c;
        c.src = cd.src;
        c.dst = cd.dst;
        c.proto = cd.proto;
        c.dport = cd.dport;
        c.meanBytes = cd.meanBytes;
        c.srcSubnet = static_cast<int>(rng.below(static_cast<uint64_t>(subnetCount)));
        c.dstSubnet = static_cast<int>(rng.below(static_cast<uint64_t>(subnetCount)));
        const auto& A = topo.attachments[static_cast<size_t>(c.src)];
        const auto& B = topo.attachments[static_cast<size_t>(c.dst)];
        c.v6 = !A.cidr6.empty() && !B.cidr6.empty() && rng.real() < o.ipv6Share * 3;
        c.srcIp = c.v6 ? ip6(A.cidr6, rng, c.srcSubnet) : ip4(A, rng, c.srcSubnet, subnetCount);
        c.dstIp = c.v6 ? ip6(B.cidr6, rng, c.dstSubnet) : ip4(B, rng, c.dstSubnet, subnetCount);
        c.respond = c.proto == 6 || c.dport == 53;
        pool[i] = std::move(c);
    }
    std::vector<double> zipf(pool.size());
    double acc = 0;
    for (size_t i = 0; i < pool.size(); ++i) zipf[i] = (acc += 1.0 / std::pow(static_cast<double>(i + 1), o.zipfExponent));
    for (double& z : zipf) z /= acc;
    auto pickConversation = [&]() -> const Conversation& {
        const double u = rng.real();
        const size_t i = static_cast<size_t>(std::lower_bound(zipf.begin(), zipf.end(), u) - zipf.begin());
        return pool[std::min(i, pool.size() - 1)];
    };

    const int64_t intervals = std::max<int64_t>(1, o.durationSeconds / 60);
    auto diurnal = [&](int64_t i) {
        const double hour = std::fmod(static_cast<double>(o.startTime + i * 60) / 3600.0, 24.0);
        return 0.55 + 0.45 * std::sin((hour - 8.0) / 24.0 * 6.283185307179586);
    };
    double weightSum = 0;
    for (int64_t i = 0; i < intervals; ++i) weightSum += diurnal(i);

    const int devIdx = 3, appIdx = 0, vpnIdx = 5, peerIdx = 7, sharedIdx = 2;
    auto in = [&](int64_t i, double a, double b) {
        const double f = static_cast<double>(i) / static_cast<double>(intervals);
        return f >= a && f < b;
    };

    LineBuilder lb;
    int64_t written = 0;
    double cumulative = 0;
    const std::string header = tgwHeader();
    (void)header;

    auto emitTgw = [&](const Flow& f, int att, bool ingress, int64_t t) {
        if (written >= o.tgwRecords) return;
        const auto& A = topo.attachments[static_cast<size_t>(f.src)];
        const Attachment* B = f.dst >= 0 ? &topo.attachments[static_cast<size_t>(f.dst)] : nullptr;
        const int pair = ingress ? f.dst : f.src;
        auto vpcField = [](const Attachment* x, const std::vector<std::string>& v, int idx) -> std::string_view {
            if (!x || x->type != "vpc" || v.empty()) return "-";
            return v[static_cast<size_t>(idx) % v.size()];
        };
        lb.clear();
        lb.add("6").add("TransitGateway").add(topo.account).add(topo.tgwId).add(topo.attachments[static_cast<size_t>(att)].id);
        lb.add(A.type == "vpc" ? std::string_view(A.account) : "-")
            .add(B && B->type == "vpc" ? std::string_view(B->account) : "-");
        lb.add(A.type == "vpc" ? std::string_view(A.vpcId) : "-").add(B && B->type == "vpc" ? std::string_view(B->vpcId) : "-");
        lb.add(vpcField(&A, A.subnets, f.srcSubnet)).add(vpcField(B, B ? B->subnets : A.subnets, f.dstSubnet));
        lb.add(vpcField(&A, A.tgwEnis, f.srcSubnet)).add(vpcField(B, B ? B->tgwEnis : A.tgwEnis, f.dstSubnet));
        lb.add(vpcField(&A, A.azs, f.srcSubnet)).add(vpcField(B, B ? B->azs : A.azs, f.dstSubnet));
        lb.add(pair >= 0 ? std::string_view(topo.attachments[static_cast<size_t>(pair)].id) : "-");
        lb.add(f.srcIp).add(f.dstIp).num(f.srcport).num(f.dstport).num(f.proto).num(f.packets).num(f.bytes);
        lb.num(f.start).num(f.end).add("OK").add(f.v6 ? "IPv6" : "IPv4");
        for (int64_t l : f.lost) lb.num(l);
        lb.num(f.tcpFlags).add(topo.region).add(ingress ? "ingress" : "egress").add(f.srcService).add(f.dstService);
        tgw(lb.str(), t);
        ++written;
    };
    auto emitNoData = [&](int att, int64_t t) {
        if (written >= o.tgwRecords) return;
        lb.clear();
        lb.add("6").add("TransitGateway").add(topo.account).add(topo.tgwId).add(topo.attachments[static_cast<size_t>(att)].id);
        for (int k = 0; k < 18; ++k) lb.add("-");
        lb.num(t).num(t + 60).add("NODATA");
        for (int k = 0; k < 6; ++k) lb.add("-");
        lb.add(topo.region).add("-").add("-").add("-");
        tgw(lb.str(), t);
        ++written;
    };
    auto makeFlow = [&](const Conversation& c, int64_t t, double scale) {
        Flow f;
        f.c = &c;
        f.src = c.src;
        f.dst = c.dst;
        f.srcSubnet = c.srcSubnet;
        f.dstSubnet = c.dstSubnet;
        f.srcIp = c.srcIp;
        f.dstIp = c.dstIp;
        f.srcport = 32768 + static_cast<int>(rng.below(28000)); // ephemeral
        f.dstport = c.dport;
        f.proto = c.v6 && c.proto == 1 ? 58 : c.proto;
        f.v6 = c.v6;
        f.srcService = c.srcService;
        f.dstService = c.dstService;
        const double b = c.meanBytes * scale * std::exp(rng.normal() * 0.9);
        f.bytes = std::max<int64_t>(40, static_cast<int64_t>(b));
        const int64_t pkt = f.proto == 17 ? 120 : 40 + static_cast<int64_t>(rng.below(1400));
        f.packets = std::max<int64_t>(1, f.bytes / pkt);
        f.start = t + static_cast<int64_t>(rng.below(50));
        f.end = std::min(t + 60, f.start + 1 + static_cast<int64_t>(rng.below(60)));
        static constexpr int kFlags[] = {19, 18, 3, 2, 0, 27};
        f.tcpFlags = f.proto == 6 ? kFlags[rng.below(6)] : 0;
        return f;
    };
    // The response to request `q` (interval `t`): the same conversation the other way, addresses
    // and ports swapped (the request's ephemeral source port is the response's destination
    // port), same protocol. It starts a moment after the request, in the same interval, or
    // with `nextInterval` early in the next one (a request late in its interval).
    auto makeReply = [&](const Flow& q, int64_t t, bool nextInterval) {
        Flow r = q;
        std::swap(r.src, r.dst);
        std::swap(r.srcSubnet, r.dstSubnet);
        std::swap(r.srcIp, r.dstIp);
        std::swap(r.srcport, r.dstport);
        std::swap(r.srcService, r.dstService);
        const double b = q.c->meanBytes * std::exp(rng.normal() * 0.9) * 2.5;
        r.bytes = std::max<int64_t>(40, static_cast<int64_t>(b));
        const int64_t pkt = r.proto == 17 ? 120 : 40 + static_cast<int64_t>(rng.below(1400));
        r.packets = std::max<int64_t>(1, r.bytes / pkt);
        if (nextInterval) {
            r.start = t + 60 + static_cast<int64_t>(rng.below(5));
            r.end = std::min(t + 120, r.start + 1 + static_cast<int64_t>(rng.below(30)));
        } else {
            r.start = q.start + static_cast<int64_t>(rng.below(2));
            r.end = std::clamp(q.end + static_cast<int64_t>(rng.below(3)) - 1, r.start + 1, t + 60);
        }
        // A SYN is answered by a SYN-ACK: the response's flags are the request's plus ACK.
        r.tcpFlags = r.proto == 6 && (q.tcpFlags & 2) ? q.tcpFlags | 16 : q.tcpFlags;
        return r;
    };
    // Responses that fall into the next interval, logged there.
    std::vector<Flow> pendingReplies;

    const Eni* vpcEnis = topo.enis.data();
    for (int64_t i = 0; i < intervals && written < o.tgwRecords; ++i) {
        const int64_t t = o.startTime + i * 60;
        cumulative += diurnal(i);
        const auto target = (i == intervals - 1)
                                ? o.tgwRecords
                                : static_cast<int64_t>(static_cast<double>(o.tgwRecords) * cumulative / weightSum);
        const bool devIdle = in(i, 0.80, 0.90);
        if (devIdle) emitNoData(devIdx, t);
        const int64_t intervalRecords = std::max<int64_t>(0, target - written); // sizes the VPC records
        for (const Flow& r : pendingReplies) {
            emitTgw(r, r.src, true, t);
            emitTgw(r, r.dst, false, t);
        }
        pendingReplies.clear();
        const bool devIdleNext = in(i + 1, 0.80, 0.90);
        const int64_t budget = std::max<int64_t>(0, target - written);
        int64_t produced = 0;
        while (produced < budget && written < o.tgwRecords) {
            const int64_t before = written;
            const double u = rng.real();
            if (in(i, 0.12, 0.135) && u < 0.3) {
                // No route: dev sends to a prefix the TGW route table does not know.
                Conversation c;
                c.src = devIdx;
                c.srcIp = "10.40.1." + std::to_string(rng.below(200) + 10);
                c.dstIp = "10.99." + std::to_string(rng.below(10)) + "." + std::to_string(rng.below(250) + 1);
                c.meanBytes = 800;
                Flow f = makeFlow(c, t, 1.0);
                f.dst = -1;
                f.lost[0] = f.packets;
                emitTgw(f, devIdx, true, t);
            } else if (in(i, 0.30, 0.315) && u < 0.3) {
                // Blackhole route for 10.20.250.0/24.
                Conversation c;
                c.src = appIdx;
                c.srcIp = "10.10.1." + std::to_string(rng.below(200) + 10);
                c.dstIp = "10.20.250." + std::to_string(rng.below(250) + 1);
                c.dport = 5432;
                c.meanBytes = 600;
                Flow f = makeFlow(c, t, 1.0);
                f.dst = -1;
                f.lost[1] = f.packets;
                emitTgw(f, appIdx, true, t);
            } else if (in(i, 0.50, 0.53) && u < 0.1) {
                // MTU: large packets from prod-app towards the VPN (1500-byte MTU there).
                Conversation c;
                c.src = appIdx;
                c.dst = vpnIdx;
                c.srcIp = "10.10.0." + std::to_string(rng.below(200) + 10);
                c.dstIp = "192.168.10." + std::to_string(rng.below(250) + 1);
                c.dport = 445;
                c.meanBytes = 400000;
                Flow f = makeFlow(c, t, 1.0);
                f.packets = std::max<int64_t>(4, f.bytes / 8000);
                f.lost[2] = f.packets / 2 + 1;
                emitTgw(f, appIdx, true, t);
                emitTgw(f, vpnIdx, false, t);
            } else if (in(i, 0.70, 0.705) && u < 0.3) {
                // TTL expiry: a routing loop over the peering.
                Conversation c;
                c.src = peerIdx;
                c.dst = sharedIdx;
                c.srcIp = "10.100.3." + std::to_string(rng.below(200) + 10);
                c.dstIp = "10.30.0." + std::to_string(rng.below(200) + 10);
                c.meanBytes = 900;
                Flow f = makeFlow(c, t, 1.0);
                f.lost[3] = f.packets;
                emitTgw(f, peerIdx, true, t);
                emitTgw(f, sharedIdx, false, t);
            } else {
                const Conversation& c = pickConversation();
                if (devIdle && (c.src == devIdx || c.dst == devIdx)) continue;
                const Flow f = makeFlow(c, t, 1.0);
                emitTgw(f, f.src, true, t);
                emitTgw(f, f.dst, false, t);
                if (c.respond && rng.real() < 0.8) {
                    // Half the requests in the last 10 s of the interval are answered in the next.
                    const bool next = f.start - t >= 40 && i + 1 < intervals
                                      && !(devIdleNext && (c.src == devIdx || c.dst == devIdx)) && rng.real() < 0.5;
                    const Flow r = makeReply(f, t, next);
                    if (next) {
                        pendingReplies.push_back(r);
                    } else {
                        emitTgw(r, r.src, true, t);
                        emitTgw(r, r.dst, false, t);
                    }
                }
            }
            produced += written - before;
        }
        if (o.vpcRecords && vpc) {
            // App server: accepted database traffic, most with its response (ports swapped, on
            // the same ENI); bastion: rejected scans (no response).
            const int n = static_cast<int>(std::max<int64_t>(2, intervalRecords / 40));
            for (int k = 0; k < n; ++k) {
                lb.clear();
                // 0.5 keeps the scans at about 40% of the records (most app flows take two).
                const bool scan = rng.real() < 0.5;
                const Eni& e = vpcEnis[scan ? 1 : 0];
                lb.add("2").add(topo.account).add(e.id);
                const int64_t st = t + static_cast<int64_t>(rng.below(50));
                if (scan) {
                    const std::string src = std::to_string(rng.below(200) + 20) + "." + std::to_string(rng.below(256)) + "."
                                            + std::to_string(rng.below(256)) + "." + std::to_string(rng.below(254) + 1);
                    static constexpr int kPorts[] = {22, 23, 3389, 445, 8080};
                    lb.add(src)
                        .add(e.privateIp)
                        .num(static_cast<int64_t>(rng.below(60000) + 1024))
                        .num(kPorts[rng.below(5)])
                        .num(6);
                    lb.num(1)
                        .num(44)
                        .num(st)
                        .num(st + 1 + static_cast<int64_t>(rng.below(9)))
                        .add(rng.real() < 0.9 ? "REJECT" : "ACCEPT")
                        .add("OK");
                } else {
                    const std::string db = "10.20.0." + std::to_string(rng.below(200) + 10);
                    const int64_t eph = static_cast<int64_t>(rng.below(28000) + 32768);
                    lb.add(e.privateIp).add(db);
                    lb.num(eph).num(5432).num(6);
                    const int64_t bytes = 200 + static_cast<int64_t>(rng.below(50000));
                    const int64_t end = st + 1 + static_cast<int64_t>(rng.below(9));
                    lb.num(bytes / 500 + 1).num(bytes).num(st).num(end).add("ACCEPT").add("OK");
                    if (k + 1 < n && rng.real() < 0.8) {
                        vpc(lb.str(), t);
                        ++k;
                        lb.clear();
                        const int64_t rbytes = 200 + static_cast<int64_t>(rng.below(200000));
                        const int64_t rst = st + static_cast<int64_t>(rng.below(2));
                        lb.add("2").add(topo.account).add(e.id).add(db).add(e.privateIp);
                        lb.num(5432).num(eph).num(6);
                        lb.num(rbytes / 1200 + 1)
                            .num(rbytes)
                            .num(rst)
                            .num(std::max(rst + 1, end + static_cast<int64_t>(rng.below(2))))
                            .add("ACCEPT")
                            .add("OK");
                    }
                }
                vpc(lb.str(), t);
            }
        }
    }
}

} // namespace flowgen
