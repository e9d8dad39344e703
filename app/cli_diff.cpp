// flowlog-cli: session files (.flowlog) as input in place of logs, and `diff A B`: the edge
// table of two sets of flows side by side with deltas.
#include "cli.h"

#include "core/analysis/diff.h"
#include "core/query/filter.h"
#include "core/sessionfile/sessionfile.h"
#include "core/store/columns_rebuild.h"

namespace cli {

using namespace core;

namespace {

/// A report for a session's store: its files and kept rejections.
LoadReport sessionReport(const Store& store, const SessionData& data)
{
    LoadReport report;
    report.outcome = Outcome::Ok;
    for (const StoredFile& f : store.files()) {
        FileReport r;
        r.fileId = f.id;
        r.path = f.path;
        r.format = f.format;
        r.records = f.records;
        r.rejected = f.rejected;
        report.rejected += f.rejected;
        report.files.push_back(r);
    }
    report.records = store.recordCount();
    report.rejections = data.rejections;
    return report;
}

/// One side of a diff: a session file, or logs loaded into a new store.
struct Side {
    std::unique_ptr<Store> store;
    NameDirectory names;
};

Result<Side> loadSide(const QString& path)
{
    Side side;
    if (isSessionFile(path)) {
        auto opened = openSession(path);
        if (!opened) return opened.error();
        side.store = std::move(opened->store);
        side.names = std::move(opened->data.names);
        waitForColumns(*side.store); // the diff's edges then scan the typed columns
        return side;
    }
    auto created = Store::create();
    if (!created) return created.error();
    side.store = std::move(created.value());
    const LoadReport report = loadPaths(*side.store, {path}, LoadOptions{});
    if (report.outcome == Outcome::Failed || (report.records == 0 && !report.errors.isEmpty()))
        return Error{path, 0, 0,
                     QStringLiteral("nothing could be loaded from %1%2")
                         .arg(path, report.errors.isEmpty() ? QString() : QStringLiteral(": ") + report.errors.front())};
    side.names = report.names;
    if (!side.names.isEmpty()) storeNames(*side.store, side.names);
    return side;
}

} // namespace

std::optional<int> takeSessionInput(Options& o, std::unique_ptr<Store>& store, LoadReport& report, NameDirectory& names)
{
    for (qsizetype i = 0; i < o.paths.size(); ++i) {
        const QString path = o.paths[i];
        if (path == QLatin1String("-") || !isSessionFile(path)) continue;
        if (store) {
            err() << "flowlog-cli: only one session file (.flowlog) can be opened at a time; " << path << " is a second one\n";
            err().flush();
            return kExitUsage;
        }
        auto opened = openSession(path);
        if (!opened) {
            err() << "flowlog-cli: " << opened.error().message << '\n';
            err().flush();
            return kExitNothingLoaded;
        }
        waitForColumns(*opened->store); // the command's scans then use the typed columns
        report = sessionReport(*opened->store, opened->data);
        for (const NameEntry& e : opened->data.names.entries()) names.add(e);
        store = std::move(opened->store);
        o.paths.removeAt(i--);
    }
    return std::nullopt;
}

int runDiff(const QStringList& args)
{
    QStringList paths;
    QString by = QStringLiteral("attachment");
    QString filter;
    QString output;
    bool json = false;
    bool noFormulaGuard = false;
    double changed = 20;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString& a = args[i];
        auto value = [&](QString& into) {
            if (i + 1 >= args.size()) return false;
            into = args[++i];
            return true;
        };
        if (a == QLatin1String("--by")) {
            if (!value(by)) return usage(QStringLiteral("--by needs a value"));
        } else if (a == QLatin1String("--filter")) {
            if (!value(filter)) return usage(QStringLiteral("--filter needs an expression"));
        } else if (a == QLatin1String("-o") || a == QLatin1String("--output")) {
            if (!value(output)) return usage(QStringLiteral("%1 needs a file name").arg(a));
        } else if (a == QLatin1String("--changed")) {
            QString v;
            bool ok = false;
            if (value(v)) changed = v.toDouble(&ok);
            if (!ok || changed < 0) return usage(QStringLiteral("--changed needs a percentage (0 or more)"));
        } else if (a == QLatin1String("--json")) {
            json = true;
        } else if (a == QLatin1String("--no-formula-guard")) {
            noFormulaGuard = true;
        } else if (a.startsWith(QLatin1String("--"))) {
            return usage(QStringLiteral("diff: unknown option '%1'").arg(a));
        } else {
            paths << a;
        }
    }
    if (paths.size() != 2)
        return usage(
            QStringLiteral("diff needs exactly two inputs, A (before) and B (after): session files or log files/folders"));
    const auto dimension = edgeDimensionFromString(by);
    if (!dimension)
        return usage(QStringLiteral("--by: unknown dimension '%1' (attachment, vpc, subnet, az, account, addr)").arg(by));
    if (!filter.isEmpty()) {
        if (auto e = validateFilter(filter)) return expressionError(QStringLiteral("filter"), filter, *e);
    }
    std::vector<Edge> sides[2];
    for (int s = 0; s < 2; ++s) {
        auto side = loadSide(paths[s]);
        if (!side) {
            err() << "flowlog-cli: diff: " << side.error().message << '\n';
            err().flush();
            return kExitNothingLoaded;
        }
        auto edges = computeEdges(*side->store, filter, *dimension);
        if (!edges) {
            err() << "flowlog-cli: cannot compute edges of " << paths[s] << ": " << edges.error().toString() << '\n';
            err().flush();
            return kExitFailure;
        }
        sides[s] = std::move(edges.value());
    }
    const std::vector<EdgeDiff> rows = diffEdges(sides[0], sides[1], changed);
    CsvOptions csv;
    csv.guardFormulas = !noFormulaGuard;
    const QByteArray data = json ? edgeDiffJson(rows) : edgeDiffCsv(rows, csv);
    return withOutput(output, [&](QIODevice& out, Error* e) {
        if (out.write(data) != data.size()) {
            e->message = QStringLiteral("cannot write the diff: %1").arg(out.errorString());
            return Outcome::Failed;
        }
        return Outcome::Ok;
    });
}

} // namespace cli
