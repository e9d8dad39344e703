// flowlog-cli internals shared by its source files: the parsed options, the diagnostics on
// stderr, the output helper and one run function per subcommand. Core only, no GUI.
#pragma once

#include "core/export/csv.h"
#include "core/ingest/loader.h"
#include "core/model/result.h"
#include "core/names/names.h"
#include "core/store/store.h"

#include <QIODevice>
#include <QString>
#include <QStringList>
#include <QTextStream>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace cli {

/// Exit code: success.
inline constexpr int kExitOk = 0;
/// Exit code: runtime failure (cannot write the output, query time limit).
inline constexpr int kExitFailure = 1;
/// Exit code: usage, filter, SQL or --names error.
inline constexpr int kExitUsage = 2;
/// Exit code: nothing could be loaded, or the load would not fit in memory.
inline constexpr int kExitNothingLoaded = 3;

/// The subcommand (first argument).
enum class Command { Summary, Export, Query, Edges, Series, Drops, Flow };

/// The parsed command line of one run.
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

/// Names from --names files and from describe-* JSON found among the paths.
struct LoadedNames {
    core::NameDirectory directory;
    std::vector<core::NamesFileReport> files;
};

// cli_options.cpp

/// The --help text (UTF-8, ends with a newline).
const char* helpText();
/// The process-wide stream on stderr; callers flush it after each message.
QTextStream& err();
/// Prints "flowlog-cli: message" and the --help hint on stderr. Returns kExitUsage.
int usage(const QString& message);
/// Prints an expression error with a caret under the offending position. Returns kExitUsage.
int expressionError(const QString& what, const QString& expression, const core::Error& e);
/// The subcommand named `s`, or nullopt when there is none.
std::optional<Command> parseCommand(const QString& s);
/// Parses the arguments after the subcommand into `o` (o.command must be set). Returns an
/// error message or nullopt.
std::optional<QString> parseOptions(const QStringList& args, Options& o);

// cli_commands.cpp

/// Runs `write` against stdout (path empty or '-') or an atomically written file, and reports
/// a failure on stderr. Returns the exit code.
int withOutput(const QString& path, const std::function<core::Outcome(QIODevice&, core::Error*)>& write);
/// summary: the load report and totals as JSON. Returns the exit code.
int runSummary(const core::Store& store, const core::LoadReport& report, const LoadedNames& names, const Options& o);
/// export: the records as CSV, sorted by `sort`. Returns the exit code.
int runExport(const core::Store& store, const LoadedNames& names, const Options& o, const std::vector<core::SortKey>& sort);
/// query: CSV of o.sql, stopped after o.timeout seconds. Returns the exit code.
int runQuery(const core::Store& store, const Options& o);
/// edges: CSV of traffic between o.by values. Returns the exit code.
int runEdges(const core::Store& store, const LoadedNames& names, const Options& o);
/// series: CSV time series with bins of o.bin seconds (0 = automatic). Returns the exit code.
int runSeries(const core::Store& store, const Options& o);
/// drops: CSV drop diagnosis. Returns the exit code.
int runDrops(const core::Store& store, const LoadedNames& names, const Options& o);

// cli_flow.cpp

/// flow: the path of record `id` (flows.id) and its reply, as text or JSON. Returns the exit
/// code (kExitUsage for an unknown id).
int runFlow(const core::Store& store, const LoadedNames& names, const Options& o, qint64 id, bool json);

// cli_diff.cpp

/// Opens the session file (.flowlog) among o.paths, if any, into `store` (its records, files,
/// names into `names` and kept rejections into `report`) and removes it from o.paths, so the
/// remaining paths are loaded on top. Returns an exit code when a session is refused (3) or
/// more than one is given (2), nullopt to go on.
std::optional<int> takeSessionInput(Options& o, std::unique_ptr<core::Store>& store, core::LoadReport& report,
                                    core::NameDirectory& names);
/// diff A B [--by DIM] [--filter E] [--changed PCT] [--json] [-o FILE]: the edge table of A
/// (before) and B (after) with both sides and deltas. Returns the exit code.
int runDiff(const QStringList& args);
// cli_remote.cpp

/// athena-ddl / athena-sql / insights-query (args[0] is the subcommand): prints the text and
/// returns the exit code; nullopt when args[0] is none of these.
std::optional<int> runRemoteCommand(const QStringList& args);

} // namespace cli
