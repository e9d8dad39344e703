// flowlog-cli command line: the --help text, the diagnostics on stderr and the parsing of the
// subcommand and its options.
#include "cli.h"

#include "core/analysis/aggregate.h"
#include "core/query/filter.h"

namespace cli {

using namespace core;

namespace {

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
  flowlog-cli diff    A B [--by DIM] [--filter E] [--changed PCT] [--json] [-o FILE|-]
  flowlog-cli athena-ddl | athena-sql | athena-run | insights-query | insights-run ...   (see flowlog-cli athena-sql --help)
  flowlog-cli --help | --version

PATH is a file (plain or .gz) or a folder (read recursively, e.g. an S3 download of
AWSLogs/...), or '-' for standard input. Every supported form is detected per file: S3 text
with a header, headerless Transit Gateway (36 fields) and VPC (14 fields) default records,
CloudWatch JSON / NDJSON / export lines / console CSV / subscription messages, Athena CSV,
S3 Parquet (.parquet files, when built with DuckDB). A session file saved by the GUI (.flowlog)
can stand in for the logs: it opens without re-parsing, with its names and rejections; other
PATHs are loaded on top of it.

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
  diff      Compare A (before) with B (after), each a session file or a log file/folder:
            CSV (or JSON with --json) of the edges of both, one count per flow on both sides:
            src,dst,status (new, gone, changed, same),flows_a,flows_b,flows_delta,packets_a,
            packets_b,packets_delta,bytes_a,bytes_b,bytes_delta,dropped_a,dropped_b,
            dropped_delta,change_pct. changed = some count moved by more than --changed PCT
            percent (default 20).

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

QString commandName(Command c)
{
    switch (c) {
    case Command::Summary:
        return QStringLiteral("summary");
    case Command::Export:
        return QStringLiteral("export");
    case Command::Query:
        return QStringLiteral("query");
    case Command::Edges:
        return QStringLiteral("edges");
    case Command::Series:
        return QStringLiteral("series");
    case Command::Drops:
        return QStringLiteral("drops");
    case Command::Flow:
        return QStringLiteral("flow");
    }
    return {};
}

} // namespace

const char* helpText()
{
    return kHelp;
}

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

} // namespace cli
