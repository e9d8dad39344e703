// flowlog-cli: the batch tool. Loads flow logs into the in-memory store (core only, no GUI)
// and prints a JSON summary, CSV exports, read-only SQL query results, graph edges or a time
// series. Exit codes: 0 ok, 1 runtime failure (cannot write the output, query time limit),
// 2 usage / filter / SQL error, 3 nothing could be loaded.
#include "core/aggregate.h"
#include "core/csv.h"
#include "core/filter.h"
#include "core/ingest.h"
#include "core/loader.h"
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
                      [-o FILE|-] PATH...
  flowlog-cli query   --sql "SELECT ..." [--timeout SECONDS] [-o FILE|-] PATH...
  flowlog-cli edges   [--filter E] [--by attachment|vpc|subnet|az|account|addr] [-o FILE|-] PATH...
  flowlog-cli series  [--filter E] [--bin SECONDS] [-o FILE|-] PATH...
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
  -h, --help           This text.   --version   The version.

Filter language (same as the GUI's filter bar):
  field == value      also != < <= > >=     e.g.  dstport == 443   bytes > 1000000
  field in {a, b}     field contains text   tcp_flags has SYN|ACK   field (has a value)
  and / or / not  (&& || !), parentheses    e.g.  (port == 53 or proto == icmp) and not drops
  Fields by AWS name or SQL name (tgw-attachment-id or tgw_attachment_id). Aliases: addr
  (srcaddr or dstaddr), port, attachment (attachment or pair), vpc, subnet, az, account, eni,
  drops (sum of the four packets-lost counters), proto (names tcp, udp, icmp, icmpv6, esp,
  gre). '!=' on an alias means none of its columns equals. Addresses take CIDRs:
  srcaddr == 10.0.0.0/16, addr == 2600:1f18::/32. Times: Unix seconds, 2026-11-29T10:00:00Z or
  "2026-11-29 10:00[:SS]" (UTC). Strings: bare (tgw-attach-0abc) or "quoted" with \" \\ \n.

Exit codes: 0 ok; 1 failure while running (cannot write the output, query time limit);
2 usage, filter or SQL error (the message names the position); 3 nothing could be loaded.
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

enum class Command { Summary, Export, Query, Edges, Series };

struct Options {
    Command command = Command::Summary;
    QString format;
    QString filter;
    QStringList sort;
    QStringList columns;
    bool columnsGiven = false;
    bool noFormulaGuard = false;
    QString output;
    QString sql;
    bool sqlGiven = false;
    std::optional<double> timeout;
    QString by = QStringLiteral("attachment");
    qint64 bin = 0;
    QStringList paths;
    QStringList namesFiles;
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
        } else if (is(a, "--names")) {
            if (auto e = valueOf(a, QStringLiteral("--names"), v)) return e;
            o.namesFiles << v;
        } else {
            return QStringLiteral("unknown option '%1'").arg(a);
        }
    }
    if (o.paths.isEmpty()) return QStringLiteral("'%1' needs at least one PATH (file, folder or '-')").arg(commandName(c));
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
    for (auto& r : from.rejections) into.rejections.push_back(std::move(r));
    into.errors += from.errors;
    into.seconds += from.seconds;
    if (from.outcome != Outcome::Failed) into.outcome = Outcome::Ok;
}

LoadReport loadAll(Store& store, const Options& o)
{
    LoadOptions lo;
    lo.read.format = o.format;
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
    QJsonArray files;
    for (const FileReport& f : report.files) {
        QJsonObject jf;
        jf[QStringLiteral("path")] = f.path;
        jf[QStringLiteral("format")] = f.format;
        jf[QStringLiteral("records")] = f.records;
        jf[QStringLiteral("rejected")] = f.rejected;
        if (f.truncated) jf[QStringLiteral("truncated")] = true;
        if (!f.error.isEmpty()) jf[QStringLiteral("error")] = f.error;
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

int runExport(const Store& store, const Options& o, const std::vector<SortKey>& sort)
{
    ExportRequest request;
    request.columns = o.columns;
    request.filter = o.filter;
    request.sort = sort;
    request.csv.guardFormulas = !o.noFormulaGuard;
    // Unknown columns are usage errors (exit 2), found before anything is written.
    auto select = buildSelect(store, request.columns, request.filter, request.sort);
    if (!select) return usage(select.error().message);
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

int run(const QStringList& arguments)
{
    const QStringList args = arguments.mid(1);
    QTextStream out(stdout);
    if (args.isEmpty()) return usage(QStringLiteral("missing subcommand (summary, export, query, edges or series)"));
    if (args.contains(QLatin1String("--help")) || args.contains(QLatin1String("-h"))) {
        out << kHelp;
        return kExitOk;
    }
    if (args.contains(QLatin1String("--version"))) {
        out << "flowlog-cli " << FLOWLOG_VERSION << '\n';
        return kExitOk;
    }
    const auto command = parseCommand(args.front());
    if (!command) return usage(QStringLiteral("unknown subcommand '%1'; expected summary, export, query, edges or series").arg(args.front()));
    Options o;
    o.command = *command;
    if (auto problem = parseOptions(args.mid(1), o)) return usage(*problem);

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

    auto created = Store::create();
    if (!created) {
        err() << "flowlog-cli: cannot create the store: " << created.error().message << '\n';
        return kExitFailure;
    }
    Store& store = *created.value();
    const LoadReport report = loadAll(store, o);
    reportLoadProblems(report);
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
    case Command::Export: return runExport(store, o, sort);
    case Command::Query: return runQuery(store, o);
    case Command::Edges: return runEdges(store, names, o);
    case Command::Series: return runSeries(store, o);
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
