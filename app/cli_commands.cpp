// flowlog-cli subcommands that print tables: summary (JSON), export, query, edges, series and
// drops (CSV), and the output helper they share with flow.
#include "cli.h"

#include "core/analysis/aggregate.h"
#include "core/analysis/drops.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTimeZone>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

namespace cli {

using namespace core;

namespace {

constexpr int kSummaryRejections = 20;

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

/// Column `col` (a sum of the high 32 bits) times 2^32 plus column `col + 1` (a sum of the low
/// 32 bits): the exact total while it fits in 64 bits, else the nearest floating-point number.
QJsonValue splitSum(const Statement& st, int col)
{
    const qint64 hi = st.isNull(col) ? 0 : st.int64(col);
    const qint64 lo = st.isNull(col + 1) ? 0 : st.int64(col + 1);
    qint64 shifted = 0;
    qint64 total = 0;
    if (!__builtin_mul_overflow(hi, qint64(1) << 32, &shifted) && !__builtin_add_overflow(shifted, lo, &total))
        return QJsonValue(total);
    return QJsonValue(static_cast<double>(hi) * 4294967296.0 + static_cast<double>(lo));
}

/// True when at least one loaded id has a Name tag.
bool hasAnyName(const NameDirectory& names)
{
    for (const NameEntry& e : names.entries())
        if (!e.name.isEmpty()) return true;
    return false;
}

} // namespace

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
    bool row = st && st->next();
    // Each counter may be up to 2^63-1, so their sum can overflow SQLite's sum(): then add the
    // high and low 32 bits apart (exact up to 2^31 records) and join them (splitSum).
    const bool split = st && !row && st->error().contains(QLatin1String("integer overflow"));
    auto wide =
        store.prepare(split ? QStringLiteral("SELECT min(start), max(\"end\"), sum(bytes >> 32), sum(bytes & 4294967295), "
                                             "sum(packets >> 32), sum(packets & 4294967295) FROM flows")
                            : QStringLiteral("SELECT 1"));
    if (split) row = wide && wide->next();
    const auto& used = split ? wide : st;
    if (row) {
        root[QStringLiteral("first_start")] = jsonInt(used.value(), 0);
        root[QStringLiteral("last_end")] = jsonInt(used.value(), 1);
        root[QStringLiteral("first_start_utc")] = jsonTime(used.value(), 0);
        root[QStringLiteral("last_end_utc")] = jsonTime(used.value(), 1);
        root[QStringLiteral("bytes")] = split ? splitSum(used.value(), 2) : QJsonValue(used->isNull(2) ? 0 : used->int64(2));
        root[QStringLiteral("packets")] = split ? splitSum(used.value(), 4) : QJsonValue(used->isNull(3) ? 0 : used->int64(3));
    } else {
        err() << "flowlog-cli: cannot compute the summary: " << (used ? used->error() : used.error().message) << '\n';
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
    // Raised by the watchdog; polled before and inside every step (core::CancelScope), so a
    // timeout that fires before the first step still stops the query (a one-shot
    // sqlite3_interrupt landing then would be lost).
    std::atomic<bool> stop{false};
    std::thread watchdog;
    if (o.timeout) {
        const auto limit = std::chrono::milliseconds(static_cast<qint64>(*o.timeout * 1000.0));
        watchdog = std::thread([&, limit] {
            std::unique_lock<std::mutex> guard(lock);
            if (!wake.wait_for(guard, limit, [&] { return done; })) {
                timedOut = true;
                stop.store(true);
            }
        });
    }
    Error e;
    int code = withOutput(o.output, [&](QIODevice& out, Error* error) {
        const Outcome outcome = writeCsvRows(stmt.value(), out, csv, {}, -1, &stop, error);
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
            QStringList fields{edge.src,
                               edge.dst,
                               QString::number(edge.flows),
                               QString::number(edge.packets),
                               QString::number(edge.bytes),
                               QString::number(edge.lost[LostNoRoute]),
                               QString::number(edge.lost[LostBlackhole]),
                               QString::number(edge.lost[LostMtuExceeded]),
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
            data +=
                csvRecord({QString::number(b.start), QString::number(b.flows), QString::number(b.packets),
                           QString::number(b.bytes), QString::number(b.lost[LostNoRoute]), QString::number(b.lost[LostBlackhole]),
                           QString::number(b.lost[LostMtuExceeded]), QString::number(b.lost[LostTtlExpired])},
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

} // namespace cli
