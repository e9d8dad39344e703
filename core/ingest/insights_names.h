#pragma once
// The VPC default fields under the names CloudWatch Logs Insights discovers for them (srcAddr,
// startTime, interfaceId, ...). One table for the loader's Logs Insights records JSON
// (ingest_insights.cpp: discovered name -> field) and core/remote (the queries it writes use
// the discovered names; the result files it reads map them back).
#include <string_view>
#include <utility>

namespace core {

/// (registry column name, Logs Insights' discovered name) for the 14 VPC default fields.
inline constexpr std::pair<std::string_view, std::string_view> kInsightsDiscoveredNames[] = {
    {"version", "version"}, {"account_id", "accountId"}, {"interface_id", "interfaceId"}, {"srcaddr", "srcAddr"},
    {"dstaddr", "dstAddr"}, {"srcport", "srcPort"},      {"dstport", "dstPort"},          {"protocol", "protocol"},
    {"packets", "packets"}, {"bytes", "bytes"},          {"start", "startTime"},          {"end", "endTime"},
    {"action", "action"},   {"log_status", "logStatus"},
};

/// The registry column for a lower-cased Logs Insights field name ("starttime" -> "start",
/// "accountid" -> "account_id", "srcaddr" -> "srcaddr"); any other name is returned unchanged.
/// Pure; any thread.
inline std::string_view insightsFieldName(std::string_view lower)
{
    for (const auto& [column, discovered] : kInsightsDiscoveredNames) {
        if (discovered.size() != lower.size()) continue;
        bool same = true;
        for (size_t i = 0; same && i < lower.size(); ++i) {
            const char c = discovered[i];
            same = (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) == lower[i];
        }
        if (same) return column;
    }
    return lower;
}

} // namespace core
