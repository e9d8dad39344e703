// flowlog-cli athena-ddl | athena-sql | insights-query: print the Athena table DDL, the Athena
// (Trino) SQL or the CloudWatch Logs Insights query of a view, for the same filter language.
// They load no flow logs: the format comes from --format or the first line of --fields-from
// FILE (default: the Transit Gateway default), Name tags from --names.
#include "cli.h"

#include "core/export/csv.h"
#include "core/query/filter.h"
#include "core/remote/athena_runner.h"
#include "core/remote/insights_runner.h"
#include "core/remote/remote.h"

#include "core/model/units.h"
#include <QDate>
#include <QDateTime>
#include <QIODevice>

namespace cli {

using namespace core;

namespace {

const char* const kRemoteHelp = R"(flowlog-cli athena-ddl | athena-sql | insights-query - the same views on Amazon Athena and
CloudWatch Logs Insights. Nothing is loaded or run: the text is printed to paste.

Usage:
  flowlog-cli athena-ddl --bucket B --accounts A[,A...] --regions R[,R...] [--prefix P]
                         [--layout classic|hive] [--hourly] [--parquet] [--table T]
                         [--first-day YYYY-MM-DD] [FORMAT] [-o FILE|-]
  flowlog-cli athena-sql --view records|edges|series|drops [--filter E] [--by DIM] [--bin SECONDS]
                         [--columns a,b] [--sort COL[:desc]]... [--limit N] [--table T]
                         [--layout classic|hive] [FORMAT] [--names FILE]... [-o FILE|-]
  flowlog-cli insights-query --view records|edges|series|drops [--filter E] [--by DIM] [--bin SECONDS]
                         [--columns a,b] [--sort COL[:desc]]... [--limit N] [FORMAT] [--names FILE]...

FORMAT: --format "${version} ${vpc-id} ..." (a LogFormat or header line; "tgw" or "vpc" for the
defaults) or --fields-from FILE (a flow log file: its header, or the default it matches).
Without either: the Transit Gateway default (36 fields).

athena-ddl      CREATE EXTERNAL TABLE with partition projection (accounts, regions, days) for the
                classic (AWSLogs/<acct>/vpcflowlogs/<region>/YYYY/MM/DD/) or Hive-compatible
                (aws-account-id=/aws-service=/aws-region=/year=/month=/day=[/hour=]) S3 layout.
athena-sql      Trino SQL for the view over that table: the filter (names become their ids), a
                partition predicate from the filter's time range, and for edges/series/drops the
                app's counting rule (a flow logged at both attachments counts once). The result
                CSV opens in the app (File > Open Athena Result...).
athena-run      athena-sql's query run through the AWS CLI ('aws athena start-query-execution', polled
                with get-query-execution, results with get-query-results) with the CLI's own
                credentials: --output-location s3://... [--workgroup W] [--database D] [--profile P]
                [--region R] [--endpoint-url URL] [--timeout SECONDS] [--aws PATH]. Progress (state, data
                scanned, cost at $5/TB) on stderr; the result CSV on stdout or -o. Exit 1 on failure.
insights-run    insights-query's query run through the AWS CLI ('aws logs start-query', polled with
                get-query-results, 'stop-query' on timeout) with the CLI's own credentials:
                --log-groups G1,G2 [--start TIME] [--end TIME] (UTC 'YYYY-MM-DD HH:MM[:SS]', ISO 8601 or
                Unix seconds; default the last 24 hours) [--profile P] [--region R] [--endpoint-url URL]
                [--timeout SECONDS] [--aws PATH]. Progress (status, bytes scanned, cost at $5/TB) on
                stderr; the get-query-results JSON on stdout or -o (it opens with Remote > Open Result).
insights-query  The Logs Insights query (parse @message for TGW and custom formats; VPC default
                fields are discovered); what it cannot express is said in # comment lines.
)";

struct RemoteOptions {
    QString command;
    AthenaTableOptions table;
    RemoteQuery query;
    QString format;
    QString fieldsFrom;
    QStringList namesFiles;
    QString output;
    bool viewGiven = false;
    AthenaRunOptions run;  ///< athena-run (profile, region, endpoint, aws, poll, timeout also for insights-run)
    QStringList logGroups; ///< insights-run
    std::optional<qint64> startTime, endTime; ///< insights-run
};

/// A time for --start/--end: Unix seconds, or a UTC date-time ("2025-12-01 00:00", ISO 8601).
std::optional<qint64> parseCliTime(const QString& v)
{
    bool ok = false;
    const qint64 n = v.toLongLong(&ok);
    if (ok) return n;
    for (const QString& format :
         {QStringLiteral("yyyy-MM-dd HH:mm:ss"), QStringLiteral("yyyy-MM-dd HH:mm"), QStringLiteral("yyyy-MM-dd")}) {
        QDateTime t = QDateTime::fromString(v, format);
        if (t.isValid()) {
            t.setTimeSpec(Qt::UTC);
            return t.toSecsSinceEpoch();
        }
    }
    QDateTime t = QDateTime::fromString(v, Qt::ISODate);
    if (!t.isValid()) return std::nullopt;
    if (t.timeSpec() == Qt::LocalTime) t.setTimeSpec(Qt::UTC);
    return t.toSecsSinceEpoch();
}

int remoteUsage(const QString& message)
{
    err() << "flowlog-cli: " << message << "\nTry 'flowlog-cli "
          << "athena-sql --help'.\n";
    err().flush();
    return kExitUsage;
}

QStringList splitList(const QString& s)
{
    QStringList out;
    for (const QString& part : s.split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!part.trimmed().isEmpty()) out << part.trimmed();
    return out;
}

/// Parses the arguments after the subcommand. Returns an error message or nullopt.
std::optional<QString> parseRemote(const QStringList& args, RemoteOptions& o)
{
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString& a = args[i];
        auto value = [&]() -> std::optional<QString> {
            if (i + 1 >= args.size()) return std::nullopt;
            return args[++i];
        };
        static const QStringList withValue = {"--bucket",      "--prefix",    "--accounts", "--regions",    "--layout",
                                              "--table",       "--first-day", "--view",     "--filter",     "--by",
                                              "--bin",         "--columns",   "--sort",     "--limit",      "--format",
                                              "--fields-from", "--names",     "-o",         "--output",     "--output-location",
                                              "--workgroup",   "--database",  "--profile",  "--region",     "--endpoint-url",
                                              "--poll-ms",     "--timeout",   "--aws",      "--log-groups", "--start",
                                              "--end"};
        if (a == QLatin1String("--hourly")) {
            o.table.hourly = true;
            continue;
        }
        if (a == QLatin1String("--parquet")) {
            o.table.parquet = true;
            continue;
        }
        if (!withValue.contains(a)) return QStringLiteral("%1: unknown option '%2'").arg(o.command, a);
        const auto v = value();
        if (!v) return QStringLiteral("%1 needs a value").arg(a);
        if (a == QLatin1String("--bucket")) o.table.bucket = *v;
        else if (a == QLatin1String("--prefix")) o.table.prefix = *v;
        else if (a == QLatin1String("--accounts")) o.table.accounts = splitList(*v);
        else if (a == QLatin1String("--regions")) o.table.regions = splitList(*v);
        else if (a == QLatin1String("--layout")) {
            const auto l = s3LayoutFromString(*v);
            if (!l) return QStringLiteral("--layout must be classic or hive, got '%1'").arg(*v);
            o.table.layout = *l;
            o.query.layout = *l;
        } else if (a == QLatin1String("--table")) {
            o.table.table = *v;
            o.query.table = *v;
        } else if (a == QLatin1String("--first-day")) {
            o.table.firstDay = QDate::fromString(*v, Qt::ISODate);
            if (!o.table.firstDay.isValid()) return QStringLiteral("--first-day must be YYYY-MM-DD, got '%1'").arg(*v);
        } else if (a == QLatin1String("--view")) {
            const auto view = remoteViewFromString(*v);
            if (!view) return QStringLiteral("--view must be records, edges, series or drops, got '%1'").arg(*v);
            o.query.view = *view;
            o.viewGiven = true;
        } else if (a == QLatin1String("--filter")) o.query.filter = *v;
        else if (a == QLatin1String("--by")) {
            const auto by = edgeDimensionFromString(*v);
            if (!by) return QStringLiteral("--by must be attachment, vpc, subnet, az, account or addr, got '%1'").arg(*v);
            o.query.by = *by;
        } else if (a == QLatin1String("--bin")) {
            bool ok = false;
            o.query.binSeconds = v->toLongLong(&ok);
            if (!ok || o.query.binSeconds <= 0)
                return QStringLiteral("--bin must be a positive number of seconds, got '%1'").arg(*v);
        } else if (a == QLatin1String("--columns")) {
            o.query.columns.clear();
            for (const QString& c : splitList(*v)) {
                const auto id = findField(c.toStdString());
                o.query.columns << (id ? QString::fromLatin1(fieldInfo(*id).column) : c);
            }
        } else if (a == QLatin1String("--sort")) {
            auto key = parseSortKey(*v);
            if (!key) return QStringLiteral("--sort: %1").arg(key.error().message);
            o.query.sort.push_back(key.value());
        } else if (a == QLatin1String("--limit")) {
            bool ok = false;
            o.query.limit = v->toLongLong(&ok);
            if (!ok || o.query.limit < 0) return QStringLiteral("--limit must be 0 or more, got '%1'").arg(*v);
        } else if (a == QLatin1String("--format")) o.format = *v;
        else if (a == QLatin1String("--fields-from")) o.fieldsFrom = *v;
        else if (a == QLatin1String("--names")) o.namesFiles << *v;
        else if (a == QLatin1String("--output-location")) o.run.outputLocation = *v;
        else if (a == QLatin1String("--workgroup")) o.run.workgroup = *v;
        else if (a == QLatin1String("--database")) o.run.database = *v;
        else if (a == QLatin1String("--profile")) o.run.profile = *v;
        else if (a == QLatin1String("--region")) o.run.region = *v;
        else if (a == QLatin1String("--endpoint-url")) o.run.endpointUrl = *v;
        else if (a == QLatin1String("--aws")) o.run.aws = *v;
        else if (a == QLatin1String("--log-groups")) o.logGroups = splitList(*v);
        else if (a == QLatin1String("--start") || a == QLatin1String("--end")) {
            const auto t = parseCliTime(*v);
            if (!t) return QStringLiteral("%1 must be a UTC date-time (YYYY-MM-DD HH:MM) or Unix seconds, got '%2'").arg(a, *v);
            (a == QLatin1String("--start") ? o.startTime : o.endTime) = *t;
        } else if (a == QLatin1String("--poll-ms") || a == QLatin1String("--timeout")) {
            bool ok = false;
            const qint64 n = v->toLongLong(&ok);
            if (!ok || n <= 0) return QStringLiteral("%1 must be a positive number, got '%2'").arg(a, *v);
            if (a == QLatin1String("--poll-ms")) o.run.pollMilliseconds = static_cast<int>(std::min<qint64>(n, 60000));
            else o.run.timeoutSeconds = n;
        } else o.output = *v;
    }
    return std::nullopt;
}

int printText(const QString& path, const QString& text)
{
    const QByteArray bytes = text.toUtf8() + '\n';
    return withOutput(path, [&](QIODevice& out, Error* e) {
        if (out.write(bytes) != bytes.size()) {
            e->message = QStringLiteral("cannot write: %1").arg(out.errorString());
            return Outcome::Failed;
        }
        return Outcome::Ok;
    });
}

/// athena-run: the query through the user's AWS CLI; progress on stderr, the result CSV out.
int runAthena(RemoteOptions& o, const QString& sql)
{
    o.run.sql = sql;
    QStringList shown;
    QStringList call = athenaStartCall(o.run);
    call[2] = QStringLiteral("<the athena-sql text>");
    for (const QString& a : athenaCliArguments(o.run, call))
        shown << (a.contains(QLatin1Char(' ')) ? QLatin1Char('\'') + a + QLatin1Char('\'') : a);
    err() << "flowlog-cli: running " << o.run.aws << ' ' << shown.join(QLatin1Char(' ')) << '\n';
    err().flush();
    QString last;
    auto result = runAthenaQuery(o.run, [&](const QString& state, qint64 scanned) {
        const QString line = QStringLiteral("%1, %2 scanned (about $%3)")
                                 .arg(state, core::formatBytes(scanned))
                                 .arg(athenaCostDollars(scanned), 0, 'f', 4);
        if (line != last) err() << "flowlog-cli: " << line << '\n';
        err().flush();
        last = line;
    });
    if (!result) {
        err() << "flowlog-cli: athena-run: " << result.error().message << '\n';
        err().flush();
        return kExitFailure;
    }
    const QByteArray csv = result->csv;
    return withOutput(o.output, [&](QIODevice& out, Error* e) {
        if (out.write(csv) != csv.size()) {
            e->message = QStringLiteral("cannot write: %1").arg(out.errorString());
            return Outcome::Failed;
        }
        return Outcome::Ok;
    });
}

/// insights-run: the Logs Insights query through the user's AWS CLI; progress on stderr, the
/// get-query-results JSON out.
int runInsights(RemoteOptions& o, const QString& query)
{
    InsightsRunOptions run;
    run.query = query;
    run.logGroups = o.logGroups;
    run.endTime = o.endTime.value_or(QDateTime::currentSecsSinceEpoch());
    run.startTime = o.startTime.value_or(run.endTime - 86400);
    run.profile = o.run.profile;
    run.region = o.run.region;
    run.endpointUrl = o.run.endpointUrl;
    run.aws = o.run.aws;
    run.pollMilliseconds = o.run.pollMilliseconds;
    if (o.run.timeoutSeconds != AthenaRunOptions().timeoutSeconds) run.timeoutSeconds = o.run.timeoutSeconds;
    if (const QString why = insightsRunOptionsError(run); !why.isEmpty())
        return remoteUsage(QStringLiteral("insights-run: %1").arg(why));
    QStringList call = insightsStartCall(run);
    call.last() = QStringLiteral("<the insights-query text>");
    err() << "flowlog-cli: running " << awsCommandLine(run.aws, insightsCliArguments(run, call)) << '\n';
    err().flush();
    QString last;
    auto result = runInsightsQuery(run, [&](const QString& status, qint64 scanned) {
        const QString line = QStringLiteral("%1, %2 scanned (about $%3)")
                                 .arg(status, core::formatBytes(scanned))
                                 .arg(athenaCostDollars(scanned), 0, 'f', 4);
        if (line != last) err() << "flowlog-cli: " << line << '\n';
        err().flush();
        last = line;
    });
    if (!result) {
        err() << "flowlog-cli: insights-run: " << result.error().message << '\n';
        err().flush();
        return kExitFailure;
    }
    const QByteArray json = result->json;
    return withOutput(o.output, [&](QIODevice& out, Error* e) {
        if (out.write(json) != json.size()) {
            e->message = QStringLiteral("cannot write: %1").arg(out.errorString());
            return Outcome::Failed;
        }
        return Outcome::Ok;
    });
}

} // namespace

std::optional<int> runRemoteCommand(const QStringList& args)
{
    if (args.isEmpty()) return std::nullopt;
    const QString command = args.front();
    if (command != QLatin1String("athena-ddl") && command != QLatin1String("athena-sql")
        && command != QLatin1String("insights-query") && command != QLatin1String("athena-run")
        && command != QLatin1String("insights-run"))
        return std::nullopt;
    const QStringList rest = args.mid(1);
    if (rest.contains(QLatin1String("--help")) || rest.contains(QLatin1String("-h"))) {
        QTextStream(stdout) << kRemoteHelp;
        return kExitOk;
    }
    RemoteOptions o;
    o.command = command;
    if (auto problem = parseRemote(rest, o)) return remoteUsage(*problem);
    if (!o.format.isEmpty() && !o.fieldsFrom.isEmpty())
        return remoteUsage(QStringLiteral("give --format or --fields-from, not both"));
    auto fields = o.fieldsFrom.isEmpty() ? remoteFormatFields(o.format) : remoteFormatFieldsOfFile(o.fieldsFrom);
    if (!fields) {
        err() << "flowlog-cli: " << (o.fieldsFrom.isEmpty() ? QStringLiteral("--format: ") : QString())
              << fields.error().toString() << '\n';
        err().flush();
        return kExitUsage;
    }
    if (command == QLatin1String("athena-ddl")) {
        auto ddl = athenaDdl(fields.value(), o.table);
        if (!ddl) return remoteUsage(QStringLiteral("athena-ddl: %1").arg(ddl.error().message));
        return printText(o.output, ddl.value() + QLatin1Char(';'));
    }
    if (!o.viewGiven) return remoteUsage(QStringLiteral("%1 needs --view records|edges|series|drops").arg(command));
    NameDirectory names;
    for (const QString& file : o.namesFiles) {
        auto r = loadNamesFile(file, names);
        if (!r) {
            err() << "flowlog-cli: --names: " << r.error().toString() << '\n';
            err().flush();
            return kExitUsage;
        }
    }
    o.query.fields = fields.value();
    o.query.names = &names;
    if (!o.query.filter.isEmpty()) {
        if (auto e = validateFilter(o.query.filter)) return expressionError(QStringLiteral("filter"), o.query.filter, *e);
    }
    const bool insights = command == QLatin1String("insights-query") || command == QLatin1String("insights-run");
    auto text = insights ? insightsQuery(o.query) : athenaSql(o.query);
    if (!text) {
        if (text.error().column > 0) return expressionError(QStringLiteral("filter"), o.query.filter, text.error());
        return remoteUsage(QStringLiteral("%1: %2").arg(command, text.error().message));
    }
    if (command == QLatin1String("athena-run")) return runAthena(o, text.value());
    if (command == QLatin1String("insights-run")) return runInsights(o, text.value());
    return printText(o.output, text.value() + (command == QLatin1String("athena-sql") ? QStringLiteral(";") : QString()));
}

} // namespace cli
