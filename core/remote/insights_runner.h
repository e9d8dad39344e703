#pragma once
// Running a CloudWatch Logs Insights query through the user's AWS CLI (`aws logs start-query`,
// `get-query-results` polling, `stop-query` on cancel) as a child process with the user's
// profile and region. Credentials are never read or stored here. Optional, like athena_runner.h.
#include "core/model/result.h"
#include "core/remote/athena_runner.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <atomic>
#include <functional>
#include <optional>
#include <utility>

namespace core {

struct InsightsRunOptions {
    QString query;                       ///< the Logs Insights query (insightsQuery())
    QStringList logGroups;               ///< --log-group-names (1..50)
    qint64 startTime = 0;                ///< Unix seconds, inclusive
    qint64 endTime = 0;                  ///< Unix seconds, > startTime
    int limit = 10000;                   ///< --limit: rows returned (Logs Insights allows 1..10000)
    QString profile;                     ///< --profile (empty = the CLI's default)
    QString region;                      ///< --region (empty = the CLI's default)
    QString endpointUrl;                 ///< --endpoint-url (tests)
    QString aws = QStringLiteral("aws"); ///< the AWS CLI executable
    int pollMilliseconds = 1000;         ///< get-query-results interval
    qint64 timeoutSeconds = 900;         ///< give up (and stop the query) after this long
};

struct InsightsRunResult {
    QString queryId;
    QString status;            ///< Complete
    qint64 scannedBytes = 0;   ///< statistics.bytesScanned
    qint64 recordsMatched = 0; ///< statistics.recordsMatched
    QByteArray json;           ///< the get-query-results JSON (readRemoteResult reads it)
};

/// The arguments of one `aws logs ...` call (subcommand and its arguments, then --output json
/// and the profile/region/endpoint options). Pure.
QStringList insightsCliArguments(const InsightsRunOptions& options, const QStringList& call);

/// The `start-query` call: log groups, start/end time, limit, query string. Pure.
QStringList insightsStartCall(const InsightsRunOptions& options);

/// Why the options cannot run ("no log group", "end time before start time", ...), or "". Pure.
QString insightsRunOptionsError(const InsightsRunOptions& options);

/// The time range of a Logs Insights run and where each end came from.
struct InsightsTimeRange {
    qint64 start = 0; ///< Unix seconds, a whole minute
    qint64 end = 0;   ///< Unix seconds, a whole minute, > start
    /// Where it came from: "start and end from the filter's start/end terms", "start and end
    /// from the loaded records' span", "the last 24 hours", or a mix ("start from the filter's
    /// start/end terms, end from the loaded records' span").
    QString origin;
};

/// The time range to run a Logs Insights query over: each end from the filter's time bounds
/// (the start/end terms of its top-level `and`, as for Athena's partitions) when it has one,
/// else from the loaded records' span (`loaded`: earliest start, latest end; nullopt when
/// nothing is loaded), else the 24 hours up to `now`. The end gets 10 minutes more (the longest
/// aggregation interval: an event's @timestamp is not before its record's start and may be
/// later); the query's own filter terms still select the records. Start is rounded down and end
/// up to a minute. A filter that does not parse bounds nothing. Pure.
InsightsTimeRange insightsTimeRange(const QString& filter, std::optional<std::pair<qint64, qint64>> loaded, qint64 now);

/// Runs the query: start-query, poll get-query-results until Complete (progress(status, bytes
/// scanned) after each poll), and return the last get-query-results JSON. Failed / Cancelled /
/// Timeout statuses, CLI errors (no credentials, access denied, a malformed query) are sentences.
/// Cancel (or the timeout) stops the query with stop-query. Blocking: call from a worker thread.
Result<InsightsRunResult> runInsightsQuery(const InsightsRunOptions& options,
                                           const std::function<void(const QString& status, qint64 scannedBytes)>& progress = {},
                                           const std::atomic<bool>* cancel = nullptr);

} // namespace core
