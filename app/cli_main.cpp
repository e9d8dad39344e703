// flowlog-cli: the batch tool. Loads flow logs into the in-memory store (core only, no GUI)
// and prints a JSON summary, CSV exports, read-only SQL query results, graph edges or a time
// series. Exit codes: 0 ok, 1 runtime failure (cannot write the output, query time limit),
// 2 usage / filter / SQL error, 3 nothing could be loaded.
#include "core/aggregate.h"
#include "core/csv.h"
#include "core/drops.h"
#include "core/filter.h"
#include "core/flowpath.h"
#include "core/ingest.h"
#include "core/loader.h"
#include "core/memory.h"
#include "core/names.h"
#include "core/store.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTextStream>
#include <QTimeZone>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace {

using namespace core;

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitNothingLoaded = 3;
constexpr int kShownRejections = 10;
constexpr int kSummaryRejections = 20;

const char* const kHelp = R"(flowlog-cli - load AWS VPC and Transit Gateway flow logs and query them in batch.

Usage:
  flowlog-cli summary [options] PATH...
  flowlog-cli export  [--filter E] [--sort COL[:desc]]... [--columns a,b] [--no-formula-guard]
                      [--with-names] [-o FILE|-] PATH...
  flowlog-cli query   --sql "SELECT ..." [--timeout SECONDS] [-o FILE|-] PATH...
  flowlog-cli edges   [--filter E] [--by attachment|vpc|subnet|az|account|addr] [-o FILE|-] PATH...
  flowlog-cli series  [--filter E] [--bin SECONDS] [-o FILE|-] PATH...
  flowlog-cli drops   [--filter E] [--names FILE] [-o FILE|-] PATH...
  flowlog-cli flow    ID [--json] [-o FILE|-] PATH...
  flowlog-cli --help | --version

PATH is a file (plain or .gz) or a folder (read recursively, e.g. an S3 download of
AWSLogs/...), or '-' for standard input. Every supported form is detected per file: S3 text
with a header, headerless Transit Gateway (36 fields) and VPC (14 fields) default records,
CloudWatch JSON / NDJSON / export lines / console CSV / subscription messages, Athena CSV.

Subcommands:
  summary   JSON on stdout: records, rejected, files[{path, format, records, rejected, error}],
            rejections (first 20: file, line, reason), first_start, last_end, bytes, packets
            (sums over the loaded records), load_seconds, store_bytes.
  export    The records as CSV (RFC 4180, UTF-8, CRLF, header row). Default: every column
            except id and twin_id, in load order.
  query     CSV of one read-only SQL statement over the table `flows` (columns named as in
            AWS's Athena DDL: srcaddr, tgw_attachment_id, packets_lost_no_route, ...) and
            `files`. Writes, ATTACH, PRAGMAs that change state, load_extension and multiple
            statements are refused.
  edges     CSV of traffic between attachments (or another dimension): src,dst,flows,packets,
            bytes,packets_lost_no_route,packets_lost_blackhole,packets_lost_mtu_exceeded,
            packets_lost_ttl_expired. A flow logged at both attachments counts once.
  series    CSV time series by start time: bin_start,flows,packets,bytes and the four
            packets_lost_* columns. A flow logged at both attachments counts once.
  drops     CSV drop diagnosis: packets the TGW dropped per entry attachment, exit
            attachment and reason (no-route, blackhole, mtu-exceeded, ttl-expired) and VPC
            REJECTs per interface (rejected): entry,exit,reason,packets,records,first_seen,
            last_seen,top_sources,top_destinations,top_dst_ports,route_table_id,check
            (+ entry_name,exit_name with names). A drop logged at both attachments counts once.

  flow      Follow one flow: the path of record ID (flows.id, as in query/export with
            id): entry attachment -> transit gateway -> exit attachment with the record
            logged at each side, counters, drops at the TGW (the path ends there), and the
            reply (addresses and ports swapped, same protocol and TGW, within 60 s) with
            its own path; for VPC records the interface, subnet, VPC and action. Text, or
            JSON with --json. Names from --names are shown. Unknown ID: exit 2.

Options (every option works with every subcommand it makes sense for):
  --format F           Field list for headerless custom logs, e.g.
                       "${version} ${vpc-id} ${srcaddr} ..." (with or without ${}).
  --filter E           Only records matching the filter expression E (see below).
  --sort COL[:desc]    Sort key for export (repeatable; ties keep load order). NULLs sort
                       first ascending and last descending (SQLite's rule).
  --columns a,b,...    Columns for export, in this order (hyphen or underscore names).
  --no-formula-guard   Do not prefix values starting with = + - @ TAB CR with a quote.
                       By default they are guarded so spreadsheets do not run them as
                       formulas; plain numbers like -5 are never changed.
  -o, --output FILE    Write to FILE atomically (never a half-written file); '-' = stdout.
  --sql S              The SQL statement for query.
  --timeout SECONDS    Stop a query that runs longer than this (exit code 1).
  --by DIM             Edge dimension: attachment (default), vpc, subnet, az, account, addr.
  --bin SECONDS        Series bin width; 0 or absent = automatic (about 200-400 bins).
  --names FILE         AWS CLI JSON (describe-transit-gateway-attachments, describe-vpcs,
                       describe-subnets, describe-network-interfaces, describe-flow-logs, ...)
                       giving Name tags for ids (repeatable). Such JSON files found among
                       the PATHs are read as names too. With names, edges gets src_name and
                       dst_name columns, summary lists them, and SQL can join table `names`.
                       Filters accept names for ids: attachment == "VPC A".
  --with-names         Export: after each id column (tgw_attachment_id, vpc_id, interface_id,
                       ...) add <column>_name with its Name tag (empty when unknown). The ids
                       are unchanged; names get the formula guard like any value.
  --from TIME          Load only records whose start is at or after TIME (Unix seconds,
                       2026-11-29T10:00:00Z or "2026-11-29 10:00[:SS]", UTC).
  --to TIME            Load only records whose start is before TIME. Records left out by
                       --from/--to are counted as outside_window, not as rejected.
  --sample N           Load about 1 in N flows (both records of a TGW flow together; the
                       same input always gives the same sample). Counted as sampled_out.
  --force              Load even if the estimate says it will not fit in memory. Without
                       it, a load estimated above the available memory is refused (exit 3)
                       with the estimate; FLOWLOG_MEMORY_LIMIT=SIZE (e.g. 2G) sets the
                       available memory instead of /proc/meminfo and cgroup limits.
  -h, --help           This text.   --version   The version.

Filter language (same as the GUI's filter bar):
  field == value      also != < <= > >=     e.g.  dstport == 443   bytes > 1000000
  field in {a, b}     field contains text   tcp_flags has SYN|ACK   field (has a value)
  and / or / not  (&& || !), parentheses    e.g.  (port == 53 or proto == icmp) and not drops
  Fields by AWS name or SQL name (tgw-attachment-id or tgw_attachment_id). Aliases: addr
  (srcaddr or dstaddr), port, attachment (attachment or pair), vpc, subnet, az, account, eni,
  drops (sum of the four packets-lost counters), proto (names tcp, udp, icmp, icmpv6, esp,
  gre). '!=' on an alias means none of its columns equals. Addresses take CIDRs:
  srcaddr == 10.0.0.0/16, addr == 2600:1f18::/32. Id fields and their aliases (attachment,
  vpc, subnet, eni) also match by Name tag with == != in (exact, case-sensitive):
  attachment == "VPC A". Times: Unix seconds, 2026-11-29T10:00:00Z or "2026-11-29 10:00[:SS]"
  (UTC). Strings: bare (tgw-attach-0abc) or "quoted" with \" \\ \n.

Exit codes: 0 ok; 1 failure while running (cannot write the output, query time limit);
2 usage, filter or SQL error (the message names the position); 3 nothing could be loaded,
or the load would not fit in memory (see --force).
Load problems go to stderr: files that could not be read (with the reason) and rejected
lines as file:line: reason.

Examples:
  flowlog-cli summary AWSLogs/
  flowlog-cli export --filter 'attachment == tgw-attach-0abc and drops' --sort bytes:desc \
      --columns start,srcaddr,dstaddr,bytes,packets_lost_blackhole -o drops.csv AWSLogs/
  flowlog-cli query --sql "SELECT dstport, sum(bytes) FROM flows GROUP BY 1 ORDER BY 2 DESC LIMIT 10" logs/
  flowlog-cli edges --by vpc --filter 'start >= "2026-11-29 10:00"' AWSLogs/
  flowlog-cli series --bin 300 --filter 'proto == udp' AWSLogs/
)";

enum class Command { Summary, Export, Query, Edges, Series, Drops, Flow };

struct Options {
    Command command = Command::Summary;
    QString format;
    QString filter;
    QStringList sort;
    QStringList columns;
    bool columnsGiven = false;
    bool noFormulaGuard = false;
    bool withNames = false;
    QString output;
    QString sql;
    bool sqlGiven = false;
    std::optional<double> timeout;
    QString by = QStringLiteral("attachment");
    qint64 bin = 0;
    QStringList paths;
    QStringList namesFiles;
    std::optional<qint64> from; ///< --from, Unix seconds
    std::optional<qint64> to;   ///< --to, Unix seconds
    int sample = 1;             ///< --sample
    bool force = false;         ///< --force: load even if it will not fit in memory
};

struct UsageError {
    QString message;
};

QTextStream& err()
{
    static QTextStream s(stderr);
    return s;
}

int usage(const QString& message)
{
    err() << "flowlog-cli: " << message << "\nRun 'flowlog-cli --help' for usage.\n";
    err().flush();
    return kExitUsage;
}

/// Prints an expression error with a caret under the offending position.
int expressionError(const QString& what, const QString& expression, const Error& e)
{
    err() << "flowlog-cli: " << what << " error";
    if (e.column > 0) err() << " at column " << e.column;
    err() << ": " << e.message << '\n';
    if (e.column > 0) {
        err() << "  " << expression << '\n' << "  " << QString(e.column - 1, QLatin1Char(' ')) << "^\n";
    }
    err().flush();
    return kExitUsage;
}

std::optional<Command> parseCommand(const QString& s)
{
    if (s == QLatin1String("summary")) return Command::Summary;
    if (s == QLatin1String("export")) return Command::Export;
    if (s == QLatin1String("query")) return Command::Query;
    if (s == QLatin1String("edges")) return Command::Edges;
    if (s == QLatin1String("series")) return Command::Series;
    if (s == QLatin1String("drops")) return Command::Drops;
    if (s == QLatin1String("flow")) return Command::Flow;
    return std::nullopt;
}

QString commandName(Command c)
{
    switch (c) {
    case Command::Summary: return QStringLiteral("summary");
    case Command::Export: return QStringLiteral("export");
    case Command::Query: return QStringLiteral("query");
    case Command::Edges: return QStringLiteral("edges");
    case Command::Series: return QStringLiteral("series");
    case Command::Drops: return QStringLiteral("drops");
    case Command::Flow: return QStringLiteral("flow");
    }
    return {};
}

/// Parses the arguments after the subcommand. Returns an error message or nullopt.
std::optional<QString> parseOptions(const QStringList& args, Options& o)
{
    const Command c = o.command;
    const bool csvOutput = c != Command::Summary;
    qsizetype i = 0;
    bool onlyPaths = false;
    auto valueOf = [&](const QString& arg, const QString& name, QString& value) -> std::optional<QString> {
        const QString withEq = name + QLatin1Char('=');
        if (arg.startsWith(withEq)) {
            value = arg.mid(withEq.size());
            return std::nullopt;
        }
        if (i + 1 >= args.size()) return QStringLiteral("option %1 needs a value").arg(name);
        value = args[++i];
        return std::nullopt;
    };
    auto is = [](const QString& arg, const char* name) {
        const QLatin1String n(name);
        return arg == n || arg.startsWith(n + QLatin1Char('='));
    };
    auto notFor = [&](const QString& option) {
        return QStringLiteral("option %1 does not apply to '%2'").arg(option, commandName(c));
    };
    for (; i < args.size(); ++i) {
        const QString& a = args[i];
        if (onlyPaths || a == QLatin1String("-") || !a.startsWith(QLatin1Char('-'))) {
            o.paths << a;
            continue;
        }
        if (a == QLatin1String("--")) {
            onlyPaths = true;
            continue;
        }
        QString v;
        if (is(a, "--format")) {
            if (auto e = valueOf(a, QStringLiteral("--format"), v)) return e;
            o.format = v;
        } else if (is(a, "--filter")) {
            if (c == Command::Summary || c == Command::Query) return notFor(QStringLiteral("--filter"));
            if (auto e = valueOf(a, QStringLiteral("--filter"), v)) return e;
            o.filter = v;
        } else if (is(a, "--sort")) {
            if (c != Command::Export) return notFor(QStringLiteral("--sort"));
            if (auto e = valueOf(a, QStringLiteral("--sort"), v)) return e;
            o.sort << v;
        } else if (is(a, "--columns")) {
            if (c != Command::Export) return notFor(QStringLiteral("--columns"));
            if (auto e = valueOf(a, QStringLiteral("--columns"), v)) return e;
            o.columnsGiven = true;
            for (const QString& col : v.split(QLatin1Char(','), Qt::SkipEmptyParts))
                if (!col.trimmed().isEmpty()) o.columns << col.trimmed();
            if (o.columns.isEmpty()) return QStringLiteral("--columns needs at least one column name");
        } else if (a == QLatin1String("--no-formula-guard")) {
            if (!csvOutput) return notFor(a);
            o.noFormulaGuard = true;
        } else if (a == QLatin1String("--with-names")) {
            if (c != Command::Export) return notFor(a);
            o.withNames = true;
        } else if (is(a, "--output") || a == QLatin1String("-o")) {
            if (a == QLatin1String("-o")) {
                if (i + 1 >= args.size()) return QStringLiteral("option -o needs a value");
                o.output = args[++i];
            } else {
                if (auto e = valueOf(a, QStringLiteral("--output"), v)) return e;
                o.output = v;
            }
        } else if (is(a, "--sql")) {
            if (c != Command::Query) return notFor(QStringLiteral("--sql"));
            if (auto e = valueOf(a, QStringLiteral("--sql"), v)) return e;
            o.sql = v;
            o.sqlGiven = true;
        } else if (is(a, "--timeout")) {
            if (c != Command::Query) return notFor(QStringLiteral("--timeout"));
            if (auto e = valueOf(a, QStringLiteral("--timeout"), v)) return e;
            bool ok = false;
            const double t = v.toDouble(&ok);
            if (!ok || t <= 0) return QStringLiteral("--timeout needs a positive number of seconds, got '%1'").arg(v);
            o.timeout = t;
        } else if (is(a, "--by")) {
            if (c != Command::Edges) return notFor(QStringLiteral("--by"));
            if (auto e = valueOf(a, QStringLiteral("--by"), v)) return e;
            if (!edgeDimensionFromString(v))
                return QStringLiteral("--by must be attachment, vpc, subnet, az, account or addr, got '%1'").arg(v);
            o.by = v;
        } else if (is(a, "--bin")) {
            if (c != Command::Series) return notFor(QStringLiteral("--bin"));
            if (auto e = valueOf(a, QStringLiteral("--bin"), v)) return e;
            bool ok = false;
            o.bin = v.toLongLong(&ok);
            if (!ok || o.bin < 0) return QStringLiteral("--bin needs a number of seconds (0 = automatic), got '%1'").arg(v);
        } else if (is(a, "--from") || is(a, "--to")) {
            const bool isFrom = is(a, "--from");
            const QString name = isFrom ? QStringLiteral("--from") : QStringLiteral("--to");
            if (auto e = valueOf(a, name, v)) return e;
            const auto t = parseTimeLiteral(v);
            if (!t)
                return QStringLiteral("%1 needs a time (Unix seconds, 2026-11-29T10:00:00Z or \"2026-11-29 10:00\"), got '%2'")
                    .arg(name, v);
            (isFrom ? o.from : o.to) = *t;
        } else if (is(a, "--sample")) {
            if (auto e = valueOf(a, QStringLiteral("--sample"), v)) return e;
            bool ok = false;
            const int n = v.toInt(&ok);
            if (!ok || n < 1) return QStringLiteral("--sample needs a whole number N >= 1 (keep 1 in N flows), got '%1'").arg(v);
            o.sample = n;
        } else if (a == QLatin1String("--force")) {
            o.force = true;
        } else if (is(a, "--names")) {
            if (auto e = valueOf(a, QStringLiteral("--names"), v)) return e;
            o.namesFiles << v;
        } else {
            return QStringLiteral("unknown option '%1'").arg(a);
        }
    }
    if (o.paths.isEmpty()) return QStringLiteral("'%1' needs at least one PATH (file, folder or '-')").arg(commandName(c));
    if (o.from && o.to && *o.from >= *o.to) return QStringLiteral("--from must be before --to");
    if (c == Command::Query && (!o.sqlGiven || o.sql.trimmed().isEmpty()))
        return QStringLiteral("query needs --sql \"SELECT ...\"");
    return std::nullopt;
}

/// Names from --names files and from describe-* JSON found among the paths.
struct LoadedNames {
    NameDirectory directory;
    std::vector<NamesFileReport> files;
};

void mergeReport(LoadReport& into, LoadReport&& from)
{
    for (auto& f : from.files) into.files.push_back(std::move(f));
    into.records += from.records;
    into.rejected += from.rejected;
    into.outsideWindow += from.outsideWindow;
    into.sampledOut += from.sampledOut;
    for (auto& r : from.rejections) into.rejections.push_back(std::move(r));
    into.errors += from.errors;
    into.seconds += from.seconds;
    if (from.outcome != Outcome::Failed) into.outcome = Outcome::Ok;
}

LoadReport loadAll(Store& store, const Options& o, const NameDirectory& known)
{
    LoadOptions lo;
    lo.read.format = o.format;
    lo.flowLogFormats = flowLogFormats(known); // describe-flow-logs from --names
    lo.windowFrom = o.from;
    lo.windowTo = o.to;
    lo.sampleEvery = o.sample;
    QStringList files;
    bool stdinToo = false;
    for (const QString& p : o.paths) {
        if (p == QLatin1String("-")) stdinToo = true;
        else files << p;
    }
    LoadReport report;
    report.outcome = Outcome::Failed;
    bool first = true;
    if (!files.isEmpty()) {
        report = loadPaths(store, files, lo);
        first = false;
    }
    if (stdinToo) {
        QFile in;
        QByteArray data;
        if (in.open(stdin, QIODevice::ReadOnly)) data = in.readAll();
        LoadReport r = loadBuffer(store, data, QStringLiteral("<stdin>"), lo);
        if (first) report = std::move(r);
        else mergeReport(report, std::move(r));
    }
    return report;
}

/// Tells the user, on stderr, about files that failed and lines that were rejected.
/// Refuses a load estimated above the available memory (unless --force): the sentence on
/// stderr, exit 3. Standard input cannot be estimated and is not counted. Returns the exit
/// code, or nullopt to go on.
std::optional<int> checkMemory(const Options& o)
{
    if (o.force) return std::nullopt;
    QStringList paths;
    for (const QString& p : o.paths)
        if (p != QLatin1String("-")) paths << p;
    if (paths.isEmpty()) return std::nullopt;
    const QStringList files = expandPaths(paths, nullptr);
    const qint64 available = availableMemoryBytes();
    if (files.isEmpty() || available < 0) return std::nullopt;
    LoadOptions limits;
    limits.windowFrom = o.from;
    limits.windowTo = o.to;
    limits.sampleEvery = o.sample;
    const qint64 needed = estimateLoadBytes(files, limits);
    if (needed <= available) return std::nullopt;
    err() << "flowlog-cli: " << memorySentence(files.size(), needed, available) << '\n'
          << "flowlog-cli: load a time window (--from/--to), a sample (e.g. --sample "
          << sampleRateToFit(needed, available) << "), or use --force to load anyway.\n";
    err().flush();
    return kExitNothingLoaded;
}

/// Says on stderr how many valid records --from/--to and --sample left out.
void reportLoadLimits(const LoadReport& report)
{
    if (report.outsideWindow > 0)
        err() << "flowlog-cli: note: " << report.outsideWindow
              << (report.outsideWindow == 1 ? " record was" : " records were") << " outside the time window (not loaded)\n";
    if (report.sampledOut > 0)
        err() << "flowlog-cli: note: " << report.sampledOut
              << (report.sampledOut == 1 ? " record was" : " records were") << " left out by --sample (not loaded)\n";
    err().flush();
}

void reportLoadProblems(const LoadReport& report)
{
    for (const QString& e : report.errors) err() << "flowlog-cli: error: " << e << '\n';
    for (const FileReport& f : report.files) {
        if (f.truncated)
            err() << "flowlog-cli: warning: " << f.path << " ends early (truncated); kept the " << f.records
                  << " records read before the damage.\n";
        if (!f.error.isEmpty() && !report.errors.contains(f.error))
            err() << "flowlog-cli: error: " << f.error << '\n';
    }
    if (report.rejected > 0) {
        qsizetype filesWithRejects = 0;
        for (const FileReport& f : report.files)
            if (f.rejected > 0) ++filesWithRejects;
        err() << "flowlog-cli: warning: " << report.rejected << (report.rejected == 1 ? " line" : " lines")
              << " could not be read as records and " << (report.rejected == 1 ? "was" : "were") << " skipped (in "
              << filesWithRejects << (filesWithRejects == 1 ? " file" : " files") << ")";
        const qsizetype shown = std::min<qsizetype>(kShownRejections, static_cast<qsizetype>(report.rejections.size()));
        if (shown > 0) err() << (shown < report.rejected ? QStringLiteral("; the first %1:").arg(shown) : QStringLiteral(":"));
        err() << '\n';
        for (qsizetype i = 0; i < shown; ++i) {
            const LoadedRejection& r = report.rejections[static_cast<size_t>(i)];
            err() << "  " << r.file << ':' << r.line << ": " << r.reason << '\n';
        }
    }
    err().flush();
}

bool nothingLoaded(const LoadReport& report)
{
    if (report.outcome == Outcome::Failed) return true;
    if (report.records > 0) return false;
    // No record at all: a failure if some file could not be read, some line was rejected, or
    // there was no file. (Files that hold only a header or nothing are an empty, valid load.)
    if (report.rejected > 0 || !report.errors.isEmpty() || report.files.empty()) return true;
    for (const FileReport& f : report.files)
        if (!f.error.isEmpty()) return true;
    return false;
}

/// Runs `write` against stdout or an atomically written file. Returns the exit code.
int withOutput(const QString& path, const std::function<Outcome(QIODevice&, Error*)>& write)
{
    Error e;
    Outcome outcome = Outcome::Failed;
    if (path.isEmpty() || path == QLatin1String("-")) {
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly)) {
            err() << "flowlog-cli: cannot write to standard output: " << out.errorString() << '\n';
            return kExitFailure;
        }
        outcome = write(out, &e);
        if (outcome == Outcome::Ok && !out.flush()) {
            outcome = Outcome::Failed;
            e.message = QStringLiteral("cannot write to standard output: %1").arg(out.errorString());
        }
    } else {
        if (auto refused = checkExportTarget(path)) {
            err() << "flowlog-cli: " << refused->message << '\n';
            return kExitFailure;
        }
        QSaveFile out(path);
        if (!out.open(QIODevice::WriteOnly)) {
            err() << "flowlog-cli: cannot write '" << path << "': " << out.errorString() << '\n';
            return kExitFailure;
        }
        outcome = write(out, &e);
        if (outcome == Outcome::Ok && !out.commit()) {
            outcome = Outcome::Failed;
            e.message = QStringLiteral("cannot write '%1': %2").arg(path, out.errorString());
        } else if (outcome != Outcome::Ok) {
            out.cancelWriting();
        }
    }
    if (outcome == Outcome::Ok) return kExitOk;
    err() << "flowlog-cli: " << (e.message.isEmpty() ? QStringLiteral("stopped") : e.message) << '\n';
    err().flush();
    return kExitFailure;
}

QJsonValue jsonInt(const Statement& st, int col)
{
    if (st.isNull(col)) return QJsonValue(QJsonValue::Null);
    return QJsonValue(st.int64(col));
}

QJsonValue jsonTime(const Statement& st, int col)
{
    if (st.isNull(col)) return QJsonValue(QJsonValue::Null);
    return QDateTime::fromSecsSinceEpoch(st.int64(col), QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss'Z'"));
}

int runSummary(const Store& store, const LoadReport& report, const LoadedNames& names, const Options& o)
{
    QJsonObject root;
    root[QStringLiteral("records")] = report.records;
    root[QStringLiteral("rejected")] = report.rejected;
    root[QStringLiteral("outside_window")] = report.outsideWindow;
    root[QStringLiteral("sampled_out")] = report.sampledOut;
    QJsonArray files;
    for (const FileReport& f : report.files) {
        QJsonObject jf;
        jf[QStringLiteral("path")] = f.path;
        jf[QStringLiteral("format")] = f.format;
        jf[QStringLiteral("records")] = f.records;
        jf[QStringLiteral("rejected")] = f.rejected;
        if (f.truncated) jf[QStringLiteral("truncated")] = true;
        if (!f.error.isEmpty()) jf[QStringLiteral("error")] = f.error;
        if (!f.formatSource.isEmpty()) jf[QStringLiteral("format_source")] = f.formatSource;
        files.append(jf);
    }
    root[QStringLiteral("files")] = files;
    QJsonArray rejections;
    for (size_t i = 0; i < report.rejections.size() && i < static_cast<size_t>(kSummaryRejections); ++i) {
        const LoadedRejection& r = report.rejections[i];
        QJsonObject jr;
        jr[QStringLiteral("file")] = r.file;
        jr[QStringLiteral("line")] = r.line;
        jr[QStringLiteral("reason")] = r.reason;
        rejections.append(jr);
    }
    root[QStringLiteral("rejections")] = rejections;
    QJsonArray errors;
    for (const QString& e : report.errors) errors.append(e);
    root[QStringLiteral("errors")] = errors;
    auto st = store.prepare(QStringLiteral("SELECT min(start), max(\"end\"), sum(bytes), sum(packets) FROM flows"));
    if (st && st->next()) {
        root[QStringLiteral("first_start")] = jsonInt(st.value(), 0);
        root[QStringLiteral("last_end")] = jsonInt(st.value(), 1);
        root[QStringLiteral("first_start_utc")] = jsonTime(st.value(), 0);
        root[QStringLiteral("last_end_utc")] = jsonTime(st.value(), 1);
        root[QStringLiteral("bytes")] = st->isNull(2) ? 0 : st->int64(2);
        root[QStringLiteral("packets")] = st->isNull(3) ? 0 : st->int64(3);
    } else {
        err() << "flowlog-cli: cannot compute the summary: " << (st ? st->error() : st.error().message) << '\n';
        return kExitFailure;
    }
    QJsonArray namesFiles;
    for (const NamesFileReport& n : names.files) {
        QJsonObject jn;
        jn[QStringLiteral("path")] = n.path;
        jn[QStringLiteral("source")] = n.source;
        jn[QStringLiteral("entries")] = n.entries;
        namesFiles.append(jn);
    }
    root[QStringLiteral("names_files")] = namesFiles;
    root[QStringLiteral("names")] = static_cast<qint64>(names.directory.entries().size());
    root[QStringLiteral("load_seconds")] = report.seconds;
    root[QStringLiteral("store_bytes")] = store.memoryBytes();
    const QByteArray json = QJsonDocument(root).toJson(QJsonDocument::Indented);
    return withOutput(o.output, [&](QIODevice& out, Error* e) {
        if (out.write(json) != json.size()) {
            e->message = QStringLiteral("cannot write the summary: %1").arg(out.errorString());
            return Outcome::Failed;
        }
        return Outcome::Ok;
    });
}

/// True when at least one loaded id has a Name tag.
bool hasAnyName(const NameDirectory& names)
{
    for (const NameEntry& e : names.entries())
        if (!e.name.isEmpty()) return true;
    return false;
}

int runExport(const Store& store, const LoadedNames& names, const Options& o, const std::vector<SortKey>& sort)
{
    ExportRequest request;
    request.columns = o.columns;
    request.filter = o.filter;
    request.sort = sort;
    request.csv.guardFormulas = !o.noFormulaGuard;
    request.withNames = o.withNames;
    // Unknown columns are usage errors (exit 2), found before anything is written.
    auto select = buildSelect(store, request.columns, request.filter, request.sort);
    if (!select) return usage(select.error().message);
    if (o.withNames && !hasAnyName(names.directory)) {
        // Still export: the columns are there (empty), so scripts see a stable header.
        err() << "flowlog-cli: --with-names: no Name tags are loaded, so the *_name columns are empty; give "
                 "the AWS CLI JSON with --names FILE (describe-transit-gateway-attachments, describe-vpcs, ...)\n";
        err().flush();
    }
    if (o.output.isEmpty() || o.output == QLatin1String("-")) {
        return withOutput(QString(), [&](QIODevice& out, Error* e) { return exportCsv(store, request, out, {}, nullptr, e); });
    }
    Error e;
    const Outcome outcome = exportCsvFile(store, request, o.output, {}, nullptr, &e);
    if (outcome == Outcome::Ok) return kExitOk;
    err() << "flowlog-cli: " << e.message << '\n';
    err().flush();
    return kExitFailure;
}

int runQuery(const Store& store, const Options& o)
{
    auto stmt = store.prepareUserQuery(o.sql);
    if (!stmt) {
        err() << "flowlog-cli: query refused: " << stmt.error().message << '\n';
        err().flush();
        return kExitUsage;
    }
    CsvOptions csv;
    csv.guardFormulas = !o.noFormulaGuard;

    std::mutex lock;
    std::condition_variable wake;
    bool done = false;
    bool timedOut = false;
    std::thread watchdog;
    if (o.timeout) {
        const auto limit = std::chrono::milliseconds(static_cast<qint64>(*o.timeout * 1000.0));
        watchdog = std::thread([&, limit] {
            std::unique_lock<std::mutex> guard(lock);
            if (!wake.wait_for(guard, limit, [&] { return done; })) {
                timedOut = true;
                store.interrupt();
            }
        });
    }
    Error e;
    int code = withOutput(o.output, [&](QIODevice& out, Error* error) {
        const Outcome outcome = writeCsvRows(stmt.value(), out, csv, {}, -1, nullptr, error);
        if (outcome == Outcome::Cancelled && error)
            error->message = QStringLiteral("the query was stopped after %1 seconds (--timeout)").arg(o.timeout.value_or(0));
        return outcome;
    });
    if (watchdog.joinable()) {
        {
            std::lock_guard<std::mutex> guard(lock);
            done = true;
        }
        wake.notify_all();
        watchdog.join();
    }
    Q_UNUSED(timedOut);
    return code;
}

int runEdges(const Store& store, const LoadedNames& names, const Options& o)
{
    const auto dimension = edgeDimensionFromString(o.by);
    auto edges = computeEdges(store, o.filter, dimension.value_or(EdgeDimension::Attachment));
    if (!edges) {
        err() << "flowlog-cli: cannot compute edges: " << edges.error().toString() << '\n';
        err().flush();
        return kExitFailure;
    }
    CsvOptions csv;
    csv.guardFormulas = !o.noFormulaGuard;
    return withOutput(o.output, [&](QIODevice& out, Error* e) {
        const bool withNames = !names.directory.isEmpty();
        QByteArray data = "src,dst,flows,packets,bytes,packets_lost_no_route,packets_lost_blackhole,"
                          "packets_lost_mtu_exceeded,packets_lost_ttl_expired";
        data += withNames ? ",src_name,dst_name\r\n" : "\r\n";
        for (const Edge& edge : edges.value()) {
            QStringList fields{edge.src, edge.dst, QString::number(edge.flows), QString::number(edge.packets),
                               QString::number(edge.bytes), QString::number(edge.lost[LostNoRoute]),
                               QString::number(edge.lost[LostBlackhole]), QString::number(edge.lost[LostMtuExceeded]),
                               QString::number(edge.lost[LostTtlExpired])};
            if (withNames) fields << names.directory.name(edge.src) << names.directory.name(edge.dst);
            data += csvRecord(fields, csv);
        }
        if (out.write(data) != data.size()) {
            e->message = QStringLiteral("cannot write the edges: %1").arg(out.errorString());
            return Outcome::Failed;
        }
        return Outcome::Ok;
    });
}

int runSeries(const Store& store, const Options& o)
{
    auto series = computeSeries(store, o.filter, o.bin);
    if (!series) {
        err() << "flowlog-cli: cannot compute the series: " << series.error().toString() << '\n';
        err().flush();
        return kExitFailure;
    }
    CsvOptions csv;
    csv.guardFormulas = !o.noFormulaGuard;
    return withOutput(o.output, [&](QIODevice& out, Error* e) {
        QByteArray data = "bin_start,flows,packets,bytes,packets_lost_no_route,packets_lost_blackhole,"
                          "packets_lost_mtu_exceeded,packets_lost_ttl_expired\r\n";
        for (const SeriesBin& b : series->bins) {
            data += csvRecord({QString::number(b.start), QString::number(b.flows), QString::number(b.packets),
                               QString::number(b.bytes), QString::number(b.lost[LostNoRoute]),
                               QString::number(b.lost[LostBlackhole]), QString::number(b.lost[LostMtuExceeded]),
                               QString::number(b.lost[LostTtlExpired])},
                              csv);
        }
        if (out.write(data) != data.size()) {
            e->message = QStringLiteral("cannot write the series: %1").arg(out.errorString());
            return Outcome::Failed;
        }
        return Outcome::Ok;
    });
}

int runDrops(const Store& store, const LoadedNames& names, const Options& o)
{
    const bool withNames = !names.directory.isEmpty();
    auto rows = computeDrops(store, o.filter, withNames ? &names.directory : nullptr);
    if (!rows) {
        err() << "flowlog-cli: cannot compute drops: " << rows.error().toString() << '\n';
        err().flush();
        return kExitFailure;
    }
    CsvOptions csv;
    csv.guardFormulas = !o.noFormulaGuard;
    return withOutput(o.output, [&](QIODevice& out, Error* e) {
        const QByteArray data = dropsCsv(rows.value(), withNames, csv);
        if (out.write(data) != data.size()) {
            e->message = QStringLiteral("cannot write the drops: %1").arg(out.errorString());
            return Outcome::Failed;
        }
        return Outcome::Ok;
    });
}

QJsonValue jsonOpt(const std::optional<qint64>& v)
{
    return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}

QJsonObject flowNodeJson(const PathNode& n)
{
    QJsonObject o;
    o[QStringLiteral("id")] = n.id.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(n.id);
    o[QStringLiteral("name")] = n.name;
    o[QStringLiteral("detail")] = n.detail;
    return o;
}

QJsonValue flowRecordJson(const std::optional<PathRecord>& r)
{
    if (!r) return QJsonValue(QJsonValue::Null);
    QJsonObject o;
    o[QStringLiteral("id")] = r->id;
    o[QStringLiteral("direction")] = r->direction;
    o[QStringLiteral("log_status")] = r->logStatus;
    if (!r->action.isEmpty()) o[QStringLiteral("action")] = r->action;
    o[QStringLiteral("packets")] = jsonOpt(r->packets);
    o[QStringLiteral("bytes")] = jsonOpt(r->bytes);
    o[QStringLiteral("start")] = jsonOpt(r->start);
    o[QStringLiteral("end")] = jsonOpt(r->end);
    static const char* const kLost[] = {"packets_lost_no_route", "packets_lost_blackhole", "packets_lost_mtu_exceeded",
                                        "packets_lost_ttl_expired"};
    for (int i = 0; i < kTgwDropReasons; ++i) o[QLatin1String(kLost[i])] = jsonOpt(r->lost[static_cast<size_t>(i)]);
    o[QStringLiteral("file")] = r->file;
    o[QStringLiteral("line")] = r->line;
    return o;
}

QJsonObject flowLegJson(const FlowLeg& leg)
{
    QJsonObject o;
    o[QStringLiteral("kind")] = leg.transitGateway ? QStringLiteral("tgw") : QStringLiteral("vpc");
    o[QStringLiteral("summary")] = leg.summary();
    o[QStringLiteral("protocol")] = leg.protocol.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(leg.protocol.toLongLong());
    o[QStringLiteral("srcaddr")] = leg.srcAddr;
    o[QStringLiteral("dstaddr")] = leg.dstAddr;
    o[QStringLiteral("srcport")] = jsonOpt(leg.srcPort);
    o[QStringLiteral("dstport")] = jsonOpt(leg.dstPort);
    if (leg.transitGateway) {
        o[QStringLiteral("entry")] = flowNodeJson(leg.entry);
        o[QStringLiteral("tgw")] = flowNodeJson(leg.tgw);
        o[QStringLiteral("exit")] = flowNodeJson(leg.exit);
        o[QStringLiteral("ingress")] = flowRecordJson(leg.ingress);
        o[QStringLiteral("egress")] = flowRecordJson(leg.egress);
        QJsonArray drops;
        for (const PathDrop& d : leg.drops)
            drops.append(QJsonObject{{QStringLiteral("reason"), dropReasonName(d.reason)}, {QStringLiteral("packets"), d.packets}});
        o[QStringLiteral("drops")] = drops;
        o[QStringLiteral("ends_at_tgw")] = leg.endsAtTgw;
    } else {
        o[QStringLiteral("interface")] = flowNodeJson(leg.eni);
        o[QStringLiteral("subnet")] = flowNodeJson(leg.subnet);
        o[QStringLiteral("vpc")] = flowNodeJson(leg.vpc);
        o[QStringLiteral("action")] = leg.action;
        o[QStringLiteral("record")] = flowRecordJson(leg.record);
    }
    return o;
}

/// The path of one leg as indented text lines.
QString flowLegText(const FlowLeg& leg)
{
    auto node = [](const char* what, const PathNode& n) {
        QString s = QStringLiteral("  %1%2").arg(QLatin1String(what), -19).arg(n.label());
        if (!n.detail.isEmpty()) s += QStringLiteral("  [%1]").arg(n.detail);
        return s + QLatin1Char('\n');
    };
    auto record = [](const char* role, const std::optional<PathRecord>& r, const QString& missing) {
        if (!r) return QStringLiteral("      %1 record: %2\n").arg(QLatin1String(role), missing);
        QString s = QStringLiteral("      %1 record #%2:").arg(QLatin1String(role)).arg(r->id);
        if (!r->action.isEmpty()) s += QLatin1Char(' ') + r->action;
        s += QStringLiteral(" %1 packets, %2 bytes")
                 .arg(r->packets ? QString::number(*r->packets) : QStringLiteral("-"),
                      r->bytes ? QString::number(*r->bytes) : QStringLiteral("-"));
        if (r->start)
            s += QStringLiteral(", %1").arg(QDateTime::fromSecsSinceEpoch(*r->start, QTimeZone::utc()).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss'Z'")));
        if (r->start && r->end) s += QStringLiteral(" +%1 s").arg(*r->end - *r->start);
        if (!r->logStatus.isEmpty() && r->logStatus != QLatin1String("OK")) s += QStringLiteral(", ") + r->logStatus;
        return s + QStringLiteral(" (%1:%2)\n").arg(r->file).arg(r->line);
    };
    QString t;
    if (!leg.transitGateway) {
        t += node("interface", leg.eni);
        t += record("VPC", leg.record, QStringLiteral("-"));
        t += node("subnet", leg.subnet);
        t += node("vpc", leg.vpc);
        if (!leg.action.isEmpty()) t += QStringLiteral("  action             %1\n").arg(leg.action);
        return t;
    }
    t += node("entry attachment", leg.entry);
    t += record("ingress", leg.ingress, QStringLiteral("not loaded"));
    t += node("transit gateway", leg.tgw);
    for (const PathDrop& d : leg.drops)
        t += QStringLiteral("      dropped: %1 packets, %2. %3\n").arg(d.packets).arg(dropReasonLabel(d.reason), tgwDropMeaning(d.reason));
    t += node(leg.endsAtTgw ? "exit (not reached)" : "exit attachment", leg.exit);
    if (leg.endsAtTgw) t += QStringLiteral("      the path ends at the transit gateway\n");
    if (!leg.endsAtTgw || leg.egress) t += record("egress", leg.egress, QStringLiteral("not loaded"));
    return t;
}

int runFlow(const Store& store, const LoadedNames& names, const Options& o, qint64 id, bool json)
{
    const auto path = traceFlow(store, id, names.directory.isEmpty() ? nullptr : &names.directory);
    if (!path) {
        err() << "flowlog-cli: flow: " << path.error().message << " (ids are 1.." << store.recordCount() << ")\n";
        err().flush();
        return kExitUsage;
    }
    QByteArray data;
    if (json) {
        QJsonObject root;
        root[QStringLiteral("record")] = id;
        root[QStringLiteral("flow")] = flowLegJson(path->flow);
        root[QStringLiteral("reply")] = path->reply ? QJsonValue(flowLegJson(*path->reply)) : QJsonValue(QJsonValue::Null);
        if (!path->replyNote.isEmpty()) root[QStringLiteral("reply_note")] = path->replyNote;
        data = QJsonDocument(root).toJson(QJsonDocument::Indented);
    } else {
        QString t = QStringLiteral("Flow of record %1: %2\n").arg(id).arg(path->flow.summary()) + flowLegText(path->flow);
        if (path->reply) t += QStringLiteral("Reply: %1\n").arg(path->reply->summary()) + flowLegText(*path->reply);
        else t += QStringLiteral("Reply: none: %1\n").arg(path->replyNote);
        data = t.toUtf8();
    }
    return withOutput(o.output, [&](QIODevice& out, Error* e) {
        if (out.write(data) != data.size()) {
            e->message = QStringLiteral("cannot write the flow: %1").arg(out.errorString());
            return Outcome::Failed;
        }
        return Outcome::Ok;
    });
}

int run(const QStringList& arguments)
{
    const QStringList args = arguments.mid(1);
    QTextStream out(stdout);
    if (args.isEmpty()) return usage(QStringLiteral("missing subcommand (summary, export, query, edges, series or drops)"));
    if (args.contains(QLatin1String("--help")) || args.contains(QLatin1String("-h"))) {
        out << kHelp;
        return kExitOk;
    }
    if (args.contains(QLatin1String("--version"))) {
        out << "flowlog-cli " << FLOWLOG_VERSION << '\n';
        return kExitOk;
    }
    const auto command = parseCommand(args.front());
    if (!command) return usage(QStringLiteral("unknown subcommand '%1'; expected summary, export, query, edges, series or drops").arg(args.front()));
    Options o;
    o.command = *command;
    // flow ID [--json]: the record id comes first; --json applies to flow only.
    QStringList rest = args.mid(1);
    qint64 flowId = 0;
    bool flowJson = false;
    if (o.command == Command::Flow) {
        if (rest.isEmpty() || rest.front().startsWith(QLatin1Char('-')))
            return usage(QStringLiteral("flow needs a record ID (flows.id) before the PATHs"));
        const QString id = rest.takeFirst();
        bool ok = false;
        flowId = id.toLongLong(&ok);
        if (!ok || flowId <= 0) return usage(QStringLiteral("flow: the record ID must be a positive whole number, got '%1'").arg(id));
        flowJson = rest.removeAll(QStringLiteral("--json")) > 0;
    }
    if (auto problem = parseOptions(rest, o)) return usage(*problem);

    // Check everything that can be checked before loading (fail fast, exit 2).
    if (!o.format.isEmpty()) {
        auto fmt = parseFormatString(o.format);
        if (!fmt) return expressionError(QStringLiteral("--format"), o.format, fmt.error());
    }
    if (!o.filter.isEmpty()) {
        if (auto e = validateFilter(o.filter)) return expressionError(QStringLiteral("filter"), o.filter, *e);
    }
    std::vector<SortKey> sort;
    for (const QString& s : o.sort) {
        auto key = parseSortKey(s);
        if (!key) return usage(QStringLiteral("--sort: %1").arg(key.error().message));
        sort.push_back(key.value());
    }

    LoadedNames names;
    for (const QString& file : o.namesFiles) {
        auto r = loadNamesFile(file, names.directory);
        if (!r) {
            err() << "flowlog-cli: --names: " << r.error().toString() << '\n';
            err().flush();
            return kExitUsage;
        }
        names.files.push_back(r.value());
    }
    if (auto refused = checkMemory(o)) return *refused;

    auto created = Store::create();
    if (!created) {
        err() << "flowlog-cli: cannot create the store: " << created.error().message << '\n';
        return kExitFailure;
    }
    Store& store = *created.value();
    const LoadReport report = loadAll(store, o, names.directory);
    reportLoadProblems(report);
    reportLoadLimits(report);
    for (const NameEntry& e : report.names.entries()) names.directory.add(e);
    for (const NamesFileReport& f : report.namesFiles) names.files.push_back(f);
    if (!names.directory.isEmpty()) {
        if (auto stored = storeNames(store, names.directory); !stored) {
            err() << "flowlog-cli: cannot store names: " << stored.error().message << '\n';
            return kExitFailure;
        }
    }
    if (nothingLoaded(report)) {
        err() << "flowlog-cli: nothing could be loaded from " << o.paths.join(QStringLiteral(", ")) << '\n';
        err().flush();
        return kExitNothingLoaded;
    }

    switch (o.command) {
    case Command::Summary: return runSummary(store, report, names, o);
    case Command::Export: return runExport(store, names, o, sort);
    case Command::Query: return runQuery(store, o);
    case Command::Edges: return runEdges(store, names, o);
    case Command::Series: return runSeries(store, o);
    case Command::Drops: return runDrops(store, names, o);
    case Command::Flow: return runFlow(store, names, o, flowId, flowJson);
    }
    return kExitFailure;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("flowlog-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLOWLOG_VERSION));
    return run(QCoreApplication::arguments());
}
