#pragma once
// Inside flowgen (flowgen.cpp's generate()): the building blocks of its traffic: the random
// generator, the conversation and flow types, the address helpers and the record-line builder.
// Not part of flowgen's API (flowgen.h).
#include "flowgen.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

namespace flowgen::detail {

/// xoshiro256** seeded by splitmix64: fast, deterministic everywhere.
class Rng {
public:
    explicit Rng(uint64_t seed)
    {
        for (auto& s : m_s) {
            seed += 0x9e3779b97f4a7c15ULL;
            uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            s = z ^ (z >> 31);
        }
    }
    uint64_t next()
    {
        const uint64_t result = rotl(m_s[1] * 5, 7) * 9;
        const uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return result;
    }
    uint64_t below(uint64_t n) { return n ? next() % n : 0; }
    double real() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
    double normal()
    {
        const double u1 = std::max(real(), 1e-12);
        const double u2 = real();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::array<uint64_t, 4> m_s{};
};

struct Conversation {
    int src = 0, dst = 0; ///< attachment indexes
    int proto = 6, dport = 443;
    bool v6 = false;
    std::string srcIp, dstIp;
    int srcSubnet = 0, dstSubnet = 0;
    double meanBytes = 1000;
    bool respond = true;
    std::string_view srcService = "-", dstService = "-"; ///< pkt-src/dst-aws-service
};

struct ClassDef {
    int src, dst, proto, dport;
    double weight, meanBytes;
};

inline constexpr ClassDef kClasses[] = {
    {0, 1, 6, 5432, 30, 20000}, {0, 2, 17, 53, 15, 150},  {5, 0, 6, 443, 12, 8000},
    {6, 1, 6, 1433, 8, 60000},  {3, 2, 6, 443, 8, 3000},  {0, 4, 6, 443, 15, 30000},
    {7, 2, 6, 443, 5, 5000},    {3, 0, 6, 8080, 4, 2000}, {2, 5, 6, 389, 3, 1000},
};

inline std::string ip4(const Attachment& a, Rng& rng, int subnet, int subnetCount)
{
    const std::string& prefix = a.cidr;
    if (a.thirdOctetBase >= 0)
        return prefix + std::to_string(a.thirdOctetBase + subnet) + '.' + std::to_string(rng.below(250) + 4);
    if (subnetCount > 2) {
        const int width = 256 / subnetCount;
        return prefix + std::to_string(subnet * width + static_cast<int>(rng.below(static_cast<uint64_t>(width - 1))) + 1) + '.'
               + std::to_string(rng.below(250) + 2);
    }
    std::string s = prefix;
    const bool twoOctets = std::count(prefix.begin(), prefix.end(), '.') == 2;
    if (twoOctets) s += std::to_string(subnet * 128 + static_cast<int>(rng.below(100)) + 1) + '.';
    s += std::to_string(rng.below(250) + 2);
    if (!twoOctets) s += ".0";
    return s;
}

inline std::string ip6(const std::string& prefix, Rng& rng, int subnet)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s%x::%x", prefix.c_str(), 0x100 + subnet, static_cast<unsigned>(rng.below(0xfff0) + 0x10));
    return buf;
}

class LineBuilder {
public:
    void clear() { m_s.clear(); }
    LineBuilder& add(std::string_view v)
    {
        if (!m_s.empty()) m_s += ' ';
        m_s.append(v.empty() ? std::string_view("-") : v);
        return *this;
    }
    LineBuilder& num(int64_t v)
    {
        char buf[24];
        auto r = std::to_chars(buf, buf + sizeof buf, v);
        return add(std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
    }
    const std::string& str() const { return m_s; }

private:
    std::string m_s;
};

struct Flow {
    const Conversation* c = nullptr;
    int srcport = 0, dstport = 0;
    std::string_view srcIp, dstIp;
    int src = 0, dst = -1; ///< dst -1: no exit (dropped, no route)
    int srcSubnet = 0, dstSubnet = 0;
    int64_t packets = 0, bytes = 0, start = 0, end = 0;
    std::array<int64_t, 4> lost{};
    int tcpFlags = 0;
    int proto = 6;
    bool v6 = false;
    std::string_view srcService = "-", dstService = "-";
};

/// AWS service address ranges (a few real prefixes of ip-ranges.json) and, last, a non-AWS one.
struct ServiceRange {
    const char* service; ///< pkt-*-aws-service value; "-" outside AWS
    const char* prefix;  ///< first two octets
    int thirdFrom, thirdCount;
    double weight;
};
inline constexpr ServiceRange kServiceRanges[] = {
    {"S3", "52.216.", 0, 256, 30},        {"DYNAMODB", "3.218.", 180, 4, 12},  {"EC2", "3.80.", 0, 256, 12},
    {"AMAZON", "52.94.", 0, 4, 10},       {"CLOUDFRONT", "13.32.", 0, 256, 8}, {"ROUTE53", "205.251.", 192, 8, 4},
    {"API_GATEWAY", "3.216.", 135, 1, 6}, {"-", "151.101.", 0, 256, 18},
};

} // namespace flowgen::detail
