// flowlog-cli: the batch tool. Loads flow logs into the in-memory store (core only, no GUI)
// and prints a JSON summary, CSV exports, read-only SQL query results, graph edges or a time
// series. Exit codes: 0 ok, 1 runtime failure (cannot write the output, query time limit),
// 2 usage / filter / SQL error, 3 nothing could be loaded.
#include "cli.h"

#include "core/ingest/ingest.h"
#include "core/ingest/memory.h"
#include "core/model/units.h"
#include "core/query/filter.h"

#include <QCoreApplication>
#include <QFile>

#include <algorithm>
#include <cstdio>

namespace cli {

using namespace core;

namespace {

constexpr int kShownRejections = 10;

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
          << "flowlog-cli: load a time window (--from/--to), a sample (e.g. --sample " << sampleRateToFit(needed, available)
          << "), or use --force to load anyway.\n";
    err().flush();
    return kExitNothingLoaded;
}

/// Says on stderr how many valid records --from/--to and --sample left out.
void reportLoadLimits(const LoadReport& report)
{
    if (report.outsideWindow > 0)
        err() << "flowlog-cli: note: " << core::formatInteger(report.outsideWindow)
              << (report.outsideWindow == 1 ? " record was" : " records were") << " outside the time window (not loaded)\n";
    if (report.sampledOut > 0)
        err() << "flowlog-cli: note: " << core::formatInteger(report.sampledOut)
              << (report.sampledOut == 1 ? " record was" : " records were") << " left out by --sample (not loaded)\n";
    err().flush();
}

/// Tells the user, on stderr, about files that failed and lines that were rejected.
void reportLoadProblems(const LoadReport& report)
{
    for (const QString& e : report.errors) err() << "flowlog-cli: error: " << e << '\n';
    for (const FileReport& f : report.files) {
        if (f.truncated)
            err() << "flowlog-cli: warning: " << f.path << " ends early (truncated); kept the " << core::formatInteger(f.records)
                  << " records read before the damage.\n";
        if (!f.error.isEmpty() && !report.errors.contains(f.error)) err() << "flowlog-cli: error: " << f.error << '\n';
    }
    if (report.rejected > 0) {
        qsizetype filesWithRejects = 0;
        for (const FileReport& f : report.files)
            if (f.rejected > 0) ++filesWithRejects;
        err() << "flowlog-cli: warning: " << core::formatInteger(report.rejected) << (report.rejected == 1 ? " line" : " lines")
              << " could not be read as records and " << (report.rejected == 1 ? "was" : "were") << " skipped (in "
              << core::formatInteger(filesWithRejects) << (filesWithRejects == 1 ? " file" : " files") << ")";
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

int run(const QStringList& arguments)
{
    const QStringList args = arguments.mid(1);
    QTextStream out(stdout);
    if (args.isEmpty()) return usage(QStringLiteral("missing subcommand (summary, export, query, edges, series or drops)"));
    if (auto remote = runRemoteCommand(args)) return *remote;
    if (args.contains(QLatin1String("--help")) || args.contains(QLatin1String("-h"))) {
        out << helpText();
        return kExitOk;
    }
    if (args.contains(QLatin1String("--version"))) {
        out << "flowlog-cli " << FLOWLOG_VERSION << '\n';
        return kExitOk;
    }
    if (args.front() == QLatin1String("diff")) return runDiff(args.mid(1));
    const auto command = parseCommand(args.front());
    if (!command)
        return usage(
            QStringLiteral("unknown subcommand '%1'; expected summary, export, query, edges, series or drops").arg(args.front()));
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
        if (!ok || flowId <= 0)
            return usage(QStringLiteral("flow: the record ID must be a positive whole number, got '%1'").arg(id));
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
    std::unique_ptr<Store> sessionStore; // a .flowlog among the paths: its store, the rest loaded on top
    LoadReport report;
    if (auto refused = takeSessionInput(o, sessionStore, report, names.directory)) return *refused;
    const bool haveSession = sessionStore != nullptr;
    if (auto refused = checkMemory(o)) return *refused;

    auto created = haveSession ? Result<std::unique_ptr<Store>>(std::move(sessionStore)) : Store::create();
    if (!created) {
        err() << "flowlog-cli: cannot create the store: " << created.error().message << '\n';
        return kExitFailure;
    }
    Store& store = *created.value();
    if (!haveSession) report = loadAll(store, o, names.directory);
    else if (!o.paths.isEmpty()) mergeReport(report, loadAll(store, o, names.directory));
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
    case Command::Summary:
        return runSummary(store, report, names, o);
    case Command::Export:
        return runExport(store, names, o, sort);
    case Command::Query:
        return runQuery(store, o);
    case Command::Edges:
        return runEdges(store, names, o);
    case Command::Series:
        return runSeries(store, o);
    case Command::Drops:
        return runDrops(store, names, o);
    case Command::Flow:
        return runFlow(store, names, o, flowId, flowJson);
    }
    return kExitFailure;
}

} // namespace

} // namespace cli

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("flowlog-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FLOWLOG_VERSION));
    return cli::run(QCoreApplication::arguments());
}
