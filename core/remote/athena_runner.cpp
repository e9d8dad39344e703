// The AWS CLI as a child process for Athena queries; see athena_runner.h.
#include "core/remote/athena_runner.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QThread>

namespace core {

namespace {

using CliRun = AwsCliOutput;

CliRun runCli(const AthenaRunOptions& o, const QStringList& call)
{
    return runAwsCli(o.aws, athenaCliArguments(o, call), QStringLiteral("athena ") + call.value(0));
}

Error cliError(const CliRun& r, const QString& call)
{
    return Error{{}, 0, 0, QStringLiteral("aws athena %1: %2").arg(call, awsCliErrorSentence(r.err, r.exitCode))};
}

} // namespace

AwsCliOutput runAwsCli(const QString& aws, const QStringList& args, const QString& what)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("AWS_PAGER"), QString()); // never a pager: no terminal here
    p.setProcessEnvironment(env);
    p.start(aws, args);
    AwsCliOutput r;
    if (!p.waitForStarted(30000)) {
        r.err = QStringLiteral("cannot start '%1': %2").arg(aws, p.errorString());
        return r;
    }
    p.closeWriteChannel();
    if (!p.waitForFinished(300000)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("'%1 %2' did not finish within 5 minutes").arg(aws, what);
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = QString::fromUtf8(p.readAllStandardError()).trimmed();
    return r;
}

Status pollAwsQuery(const QString& queryId, const QString& stopCall, qint64 timeoutSeconds, int pollMilliseconds,
                    const std::atomic<bool>* cancel, const std::function<Result<AwsQueryPoll>()>& poll,
                    const std::function<void()>& stop, const std::function<void(const QString&, qint64)>& progress)
{
    QElapsedTimer clock;
    clock.start();
    auto stopped = [&](const QString& why) -> Error {
        stop();
        return Error{{}, 0, 0, QStringLiteral("query %1 %2; stopped it with %3").arg(queryId, why, stopCall)};
    };
    for (;;) {
        if (cancel && cancel->load()) return stopped(QStringLiteral("was cancelled"));
        if (clock.elapsed() > timeoutSeconds * 1000)
            return stopped(QStringLiteral("did not finish within %1 s").arg(timeoutSeconds));
        auto p = poll();
        if (!p) return p.error();
        if (progress) progress(p->state, p->scannedBytes);
        if (p->finished) return Ok{};
        QThread::msleep(static_cast<unsigned long>(std::max(10, pollMilliseconds)));
    }
}

QString awsCommandLine(const QString& aws, const QStringList& args)
{
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_./:=,@+-]+$"));
    QStringList out;
    for (const QString& a : QStringList{aws} + args) {
        if (plain.match(a).hasMatch()) out << a;
        else out << QLatin1Char('\'') + QString(a).replace(QLatin1Char('\''), QLatin1String("'\\''")) + QLatin1Char('\'');
    }
    return out.join(QLatin1Char(' '));
}

QStringList athenaCliArguments(const AthenaRunOptions& o, const QStringList& call)
{
    QStringList args{QStringLiteral("athena")};
    args << call << QStringLiteral("--output") << QStringLiteral("json");
    if (!o.profile.isEmpty()) args << QStringLiteral("--profile") << o.profile;
    if (!o.region.isEmpty()) args << QStringLiteral("--region") << o.region;
    if (!o.endpointUrl.isEmpty()) args << QStringLiteral("--endpoint-url") << o.endpointUrl;
    return args;
}

QStringList athenaStartCall(const AthenaRunOptions& o)
{
    QStringList start{QStringLiteral("start-query-execution"), QStringLiteral("--query-string"), o.sql};
    if (!o.outputLocation.isEmpty())
        start << QStringLiteral("--result-configuration") << QStringLiteral("OutputLocation=") + o.outputLocation;
    if (!o.workgroup.isEmpty()) start << QStringLiteral("--work-group") << o.workgroup;
    if (!o.database.isEmpty()) start << QStringLiteral("--query-execution-context") << QStringLiteral("Database=") + o.database;
    return start;
}

QString awsCliErrorSentence(const QString& stderrText, int exitCode, const QString& denied)
{
    const QString e = stderrText.trimmed();
    if (e.contains(QLatin1String("Unable to locate credentials")) || e.contains(QLatin1String("NoCredentialProviders")))
        return QStringLiteral("no AWS credentials: configure them with 'aws configure' or choose a profile (%1)").arg(e);
    if (e.contains(QLatin1String("AccessDenied")) || e.contains(QLatin1String("not authorized")))
        return QStringLiteral("access denied: the profile's credentials may not %1 (%2)").arg(denied, e);
    if (e.contains(QLatin1String("could not be found")) && e.contains(QLatin1String("profile")))
        return QStringLiteral("unknown AWS CLI profile (%1)").arg(e);
    if (e.isEmpty()) return QStringLiteral("the AWS CLI failed with exit code %1 and said nothing").arg(exitCode);
    return e.left(500);
}

Result<QByteArray> athenaResultsCsv(const QByteArray& json)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return Error{{}, 0, 0, QStringLiteral("get-query-results did not print JSON: %1").arg(pe.errorString())};
    const QJsonArray rows = doc.object().value(QStringLiteral("ResultSet")).toObject().value(QStringLiteral("Rows")).toArray();
    QByteArray out;
    for (const auto& row : rows) {
        QStringList cells;
        for (const auto& d : row.toObject().value(QStringLiteral("Data")).toArray()) {
            QString v = d.toObject().value(QStringLiteral("VarCharValue")).toString();
            v.replace(QLatin1Char('"'), QLatin1String("\"\""));
            cells << QLatin1Char('"') + v + QLatin1Char('"');
        }
        out += cells.join(QLatin1Char(',')).toUtf8() + '\n';
    }
    if (out.isEmpty()) return Error{{}, 0, 0, QStringLiteral("get-query-results returned no rows, not even a header")};
    return out;
}

double athenaCostDollars(qint64 bytes)
{
    return static_cast<double>(bytes) / 1e12 * 5.0;
}

Result<AthenaRunResult> runAthenaQuery(const AthenaRunOptions& o, const std::function<void(const QString&, qint64)>& progress,
                                       const std::atomic<bool>* cancel)
{
    const CliRun started = runCli(o, athenaStartCall(o));
    if (started.exitCode != 0) return cliError(started, QStringLiteral("start-query-execution"));
    AthenaRunResult result;
    result.queryId = QJsonDocument::fromJson(started.out).object().value(QStringLiteral("QueryExecutionId")).toString();
    if (result.queryId.isEmpty())
        return Error{{}, 0, 0, QStringLiteral("aws athena start-query-execution printed no QueryExecutionId")};
    const QStringList id{QStringLiteral("--query-execution-id"), result.queryId};
    const Status polled = pollAwsQuery(
        result.queryId, QStringLiteral("stop-query-execution"), o.timeoutSeconds, o.pollMilliseconds, cancel,
        [&]() -> Result<AwsQueryPoll> {
            const CliRun r = runCli(o, QStringList{QStringLiteral("get-query-execution")} + id);
            if (r.exitCode != 0) return cliError(r, QStringLiteral("get-query-execution"));
            const QJsonObject exec = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("QueryExecution")).toObject();
            const QJsonObject status = exec.value(QStringLiteral("Status")).toObject();
            result.state = status.value(QStringLiteral("State")).toString();
            result.scannedBytes = static_cast<qint64>(
                exec.value(QStringLiteral("Statistics")).toObject().value(QStringLiteral("DataScannedInBytes")).toDouble());
            if (result.state == QLatin1String("FAILED") || result.state == QLatin1String("CANCELLED"))
                return Error{
                    {},
                    0,
                    0,
                    QStringLiteral("query %1 %2: %3")
                        .arg(result.queryId, result.state.toLower(),
                             status.value(QStringLiteral("StateChangeReason")).toString(QStringLiteral("no reason given")))};
            return AwsQueryPoll{result.state, result.scannedBytes, result.state == QLatin1String("SUCCEEDED")};
        },
        [&]() { runCli(o, QStringList{QStringLiteral("stop-query-execution")} + id); }, progress);
    if (!polled) return polled.error();
    const CliRun fetched =
        runCli(o, {QStringLiteral("get-query-results"), QStringLiteral("--query-execution-id"), result.queryId});
    if (fetched.exitCode != 0) return cliError(fetched, QStringLiteral("get-query-results"));
    auto csv = athenaResultsCsv(fetched.out);
    if (!csv) return csv.error();
    result.csv = csv.value();
    return result;
}

} // namespace core
