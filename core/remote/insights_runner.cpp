// The AWS CLI as a child process for Logs Insights queries; see insights_runner.h.
#include "core/remote/insights_runner.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

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
    QElapsedTimer clock;
    clock.start();
    auto stop = [&](const QString& why) -> Error {
        runCli(o, {QStringLiteral("stop-query"), QStringLiteral("--query-id"), result.queryId});
        return Error{{}, 0, 0, QStringLiteral("query %1 %2; stopped it with stop-query").arg(result.queryId, why)};
    };
    for (;;) {
        if (cancel && cancel->load()) return stop(QStringLiteral("was cancelled"));
        if (clock.elapsed() > o.timeoutSeconds * 1000)
            return stop(QStringLiteral("did not finish within %1 s").arg(o.timeoutSeconds));
        const AwsCliOutput polled =
            runCli(o, {QStringLiteral("get-query-results"), QStringLiteral("--query-id"), result.queryId});
        if (polled.exitCode != 0) return cliError(polled, QStringLiteral("get-query-results"));
        QJsonParseError pe;
        const QJsonObject doc = QJsonDocument::fromJson(polled.out, &pe).object();
        if (pe.error != QJsonParseError::NoError)
            return Error{{}, 0, 0, QStringLiteral("aws logs get-query-results did not print JSON: %1").arg(pe.errorString())};
        const QJsonObject stats = doc.value(QStringLiteral("statistics")).toObject();
        result.status = doc.value(QStringLiteral("status")).toString();
        result.scannedBytes = static_cast<qint64>(stats.value(QStringLiteral("bytesScanned")).toDouble());
        result.recordsMatched = static_cast<qint64>(stats.value(QStringLiteral("recordsMatched")).toDouble());
        if (progress) progress(result.status, result.scannedBytes);
        if (result.status == QLatin1String("Complete")) {
            result.json = polled.out;
            return result;
        }
        if (result.status == QLatin1String("Failed") || result.status == QLatin1String("Cancelled")
            || result.status == QLatin1String("Timeout") || result.status == QLatin1String("Unknown"))
            return Error{{},
                         0,
                         0,
                         QStringLiteral("query %1 ended with status %2 (Logs Insights gives no reason; check the query in the "
                                        "console, and that the time range and log groups are right)")
                             .arg(result.queryId, result.status)};
        QThread::msleep(static_cast<unsigned long>(std::max(10, o.pollMilliseconds)));
    }
}

} // namespace core
