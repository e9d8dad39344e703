#pragma once
// The VPC flow log field names CloudWatch Logs Insights discovers itself (srcAddr, startTime,
// interfaceId, ...), lower-cased, mapped to the field registry's names. One table for the
// loader's Logs Insights records JSON (ingest_json.cpp) and core/remote's result files.
#include <string_view>
#include <utility>

namespace core {

/// The registry name for a lower-cased Logs Insights field name ("starttime" -> "start",
/// "accountid" -> "account_id"); any other name is returned unchanged (srcaddr, dstport, ...
/// already are registry names once lower-cased). Pure; any thread.
inline std::string_view insightsFieldName(std::string_view lower)
{
    static constexpr std::pair<std::string_view, std::string_view> kDiscovered[] = {
        {"accountid", "account_id"}, {"interfaceid", "interface_id"}, {"starttime", "start"},
        {"endtime", "end"},          {"logstatus", "log_status"},
    };
    for (const auto& [from, to] : kDiscovered)
        if (from == lower) return to;
    return lower;
}

} // namespace core
