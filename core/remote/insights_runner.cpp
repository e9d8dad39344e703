// The AWS CLI as a child process for Logs Insights queries; see insights_runner.h.
#include "core/remote/insights_runner.h"

#include "core/remote/remote_impl.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace core {

namespace {

AwsCliOutput runCli(const InsightsRunOptions& o, const QStringList& call)
{
    return runAwsCli(o.aws, insightsCliArguments(o, call), QStringLiteral("logs ") + call.value(0));
}

Error cliError(const AwsCliOutput& r, const QString& call)
{
    return Error{
        {},
        0,
        0,
        QStringLiteral("aws logs %1: %2")
            .arg(call, awsCliErrorSentence(r.err, r.exitCode, QStringLiteral("run Logs Insights queries on these log groups")))};
}

} // namespace

QStringList insightsCliArguments(const InsightsRunOptions& o, const QStringList& call)
{
    QStringList args{QStringLiteral("logs")};
    args << call << QStringLiteral("--output") << QStringLiteral("json");
    if (!o.profile.isEmpty()) args << QStringLiteral("--profile") << o.profile;
    if (!o.region.isEmpty()) args << QStringLiteral("--region") << o.region;
    if (!o.endpointUrl.isEmpty()) args << QStringLiteral("--endpoint-url") << o.endpointUrl;
    return args;
}

QStringList insightsStartCall(const InsightsRunOptions& o)
{
    QStringList start{QStringLiteral("start-query"), QStringLiteral("--log-group-names")};
    start << o.logGroups;
    start << QStringLiteral("--start-time") << QString::number(o.startTime) << QStringLiteral("--end-time")
          << QString::number(o.endTime) << QStringLiteral("--limit") << QString::number(o.limit)
          << QStringLiteral("--query-string") << o.query;
    return start;
}

QString insightsRunOptionsError(const InsightsRunOptions& o)
{
    if (o.logGroups.isEmpty()) return QStringLiteral("no log group: name the CloudWatch Logs group(s) the flow logs go to");
    if (o.logGroups.size() > 50) return QStringLiteral("%1 log groups: Logs Insights queries at most 50").arg(o.logGroups.size());
    for (const QString& g : o.logGroups)
        if (g.isEmpty() || g.startsWith(QLatin1Char('-'))) return QStringLiteral("'%1' is not a log group name").arg(g);
    if (o.endTime <= o.startTime) return QStringLiteral("the end time is not after the start time");
    if (o.limit < 1 || o.limit > 10000) return QStringLiteral("the row limit must be 1..10000, got %1").arg(o.limit);
    if (o.query.trimmed().isEmpty()) return QStringLiteral("the query is empty");
    return {};
}

InsightsTimeRange insightsTimeRange(const QString& filter, std::optional<std::pair<qint64, qint64>> loaded, qint64 now)
{
    constexpr qint64 kSlack = 600; // the longest flow log aggregation interval, seconds
    remote::TimeBounds bounds;
    if (!filter.trimmed().isEmpty())
        if (auto ast = filterlang::parseFilter(filter); ast.ok()) bounds = remote::timeBounds(*ast.value());
    const QString fromFilter = QStringLiteral("from the filter's start/end terms");
    const QString fromLoaded = QStringLiteral("from the loaded records' span");
    const QString fromClock = QStringLiteral("now");
    InsightsTimeRange r;
    QString startOrigin, endOrigin;
    if (bounds.upperExclusive) r.end = *bounds.upperExclusive + kSlack, endOrigin = fromFilter;
    else if (loaded) r.end = loaded->second + kSlack, endOrigin = fromLoaded;
    else r.end = now, endOrigin = fromClock;
    if (bounds.lower) r.start = *bounds.lower, startOrigin = fromFilter;
    else if (loaded && loaded->first < r.end) r.start = loaded->first, startOrigin = fromLoaded;
    else r.start = r.end - 86400, startOrigin = QStringLiteral("24 hours before the end");
    if (r.end <= r.start) { // a filter start after the loaded records: up to now
        r.end = std::max(now, r.start + 3600);
        endOrigin = fromClock;
    }
    r.start = r.start / 60 * 60 - (r.start % 60 < 0 ? 60 : 0);
    r.end = (r.end + 59) / 60 * 60;
    if (startOrigin == endOrigin) r.origin = QStringLiteral("start and end ") + startOrigin;
    else if (endOrigin == fromClock && !bounds.lower && !loaded) r.origin = QStringLiteral("the last 24 hours");
    else r.origin = QStringLiteral("start %1, end %2").arg(startOrigin, endOrigin);
    return r;
}

Result<InsightsRunResult> runInsightsQuery(const InsightsRunOptions& o,
                                           const std::function<void(const QString&, qint64)>& progress,
                                           const std::atomic<bool>* cancel)
{
    if (const QString why = insightsRunOptionsError(o); !why.isEmpty()) return Error{{}, 0, 0, why};
    const AwsCliOutput started = runCli(o, insightsStartCall(o));
    if (started.exitCode != 0) return cliError(started, QStringLiteral("start-query"));
    InsightsRunResult result;
    result.queryId = QJsonDocument::fromJson(started.out).object().value(QStringLiteral("queryId")).toString();
    if (result.queryId.isEmpty()) return Error{{}, 0, 0, QStringLiteral("aws logs start-query printed no queryId")};
    const QStringList id{QStringLiteral("--query-id"), result.queryId};
    const Status polled = pollAwsQuery(
        result.queryId, QStringLiteral("stop-query"), o.timeoutSeconds, o.pollMilliseconds, cancel,
        [&]() -> Result<AwsQueryPoll> {
            const AwsCliOutput r = runCli(o, QStringList{QStringLiteral("get-query-results")} + id);
            if (r.exitCode != 0) return cliError(r, QStringLiteral("get-query-results"));
            QJsonParseError pe;
            const QJsonObject doc = QJsonDocument::fromJson(r.out, &pe).object();
            if (pe.error != QJsonParseError::NoError)
                return Error{{}, 0, 0, QStringLiteral("aws logs get-query-results did not print JSON: %1").arg(pe.errorString())};
            const QJsonObject stats = doc.value(QStringLiteral("statistics")).toObject();
            result.status = doc.value(QStringLiteral("status")).toString();
            result.scannedBytes = static_cast<qint64>(stats.value(QStringLiteral("bytesScanned")).toDouble());
            result.recordsMatched = static_cast<qint64>(stats.value(QStringLiteral("recordsMatched")).toDouble());
            if (result.status == QLatin1String("Failed") || result.status == QLatin1String("Cancelled")
                || result.status == QLatin1String("Timeout") || result.status == QLatin1String("Unknown"))
                return Error{{},
                             0,
                             0,
                             QStringLiteral("query %1 ended with status %2 (Logs Insights gives no reason; check the query in "
                                            "the console, and that the time range and log groups are right)")
                                 .arg(result.queryId, result.status)};
            const bool complete = result.status == QLatin1String("Complete");
            if (complete) result.json = r.out;
            return AwsQueryPoll{result.status, result.scannedBytes, complete};
        },
        [&]() { runCli(o, QStringList{QStringLiteral("stop-query")} + id); }, progress);
    if (!polled) return polled.error();
    return result;
}

} // namespace core
