// Parquet vs gzip text: the same N TGW default records (flowgen, cached) read from .log.gz and
// from .parquet (written by DuckDB from that text with AWS's column types, GZIP inside, as S3
// delivers them). Prints the medians of `--runs` (default 3) of wall time and of the process's
// CPU time (all threads: DuckDB's, the loader's parse thread, the writer) for reading only
// (records into a counting sink) and for a full load into a store. With `--files N` the same
// records are split into N files of each kind (as S3 delivers a file every 5 minutes) and a
// folder of them is read and loaded.
//
// `--only queries` times DuckDB alone (no mapping, no store) on the Parquet input, for three
// query shapes: today's read (every column, chunks fetched and dropped), a read that fetches one
// 64-bit hash of the low-cardinality text columns instead of them (plus the addresses and the
// integers), and the aggregate query that would prove such hashes exact (every distinct text
// combination with its hash): the measured case for and against a hash-keyed read.
//
//   bench_parquet [records=1000000] [--runs N] [--files N] [--dir DIR] [--estate small|large]
//                 [--only read|load|queries] [--kind gz|parquet]
#include "benchutil.h"
#include "core/ingest/ingest.h"
#include "core/ingest/loader.h"
#include "core/ingest/parquet.h"
#include "core/store/store.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#ifdef FLOWLOG_PARQUET
#include <duckdb.h>
#endif
#include <zlib.h>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace {

struct CountSink final : core::RecordSink {
    qint64 records = 0, rejected = 0;
    void record(const core::FlowRecord&) override { ++records; }
    void reject(const core::Rejection&) override { ++rejected; }
    int extraColumn(std::string_view) override { return 0; }
};

#ifdef FLOWLOG_PARQUET
bool gzipFile(const QString& from, const QString& to)
{
    QFile in(from);
    if (!in.open(QIODevice::ReadOnly)) return false;
    gzFile out = gzopen(QFile::encodeName(to).constData(), "wb6");
    if (!out) return false;
    bool ok = true;
    while (ok && !in.atEnd()) {
        const QByteArray b = in.read(1 << 20);
        ok = gzwrite(out, b.constData(), static_cast<unsigned>(b.size())) == b.size();
    }
    return gzclose(out) == Z_OK && ok;
}

/// AWS's Parquet types for the TGW default format: INT32 version/ports/tcp-flags, INT64 the
/// other numbers, strings for the rest.
bool writeParquet(const QString& text, const QString& parquet)
{
    duckdb_database db = nullptr;
    duckdb_connection con = nullptr;
    if (duckdb_open(nullptr, &db) != DuckDBSuccess || duckdb_connect(db, &con) != DuckDBSuccess) return false;
    const std::string sql =
        "COPY (SELECT COLUMNS(c -> c IN ('version','srcport','dstport','tcp-flags'))::INTEGER AS \"\\0\", "
        "COLUMNS(c -> c IN ('protocol','packets','bytes','start','end') OR c LIKE 'packets-lost-%')::BIGINT AS \"\\0\", "
        "COLUMNS(c -> c NOT IN ('version','srcport','dstport','tcp-flags','protocol','packets','bytes','start','end') "
        "AND c NOT LIKE 'packets-lost-%') "
        "FROM read_csv('"
        + text.toStdString() + "', delim=' ', header=true, nullstr='-', all_varchar=true)) TO '" + parquet.toStdString()
        + "' (FORMAT parquet, COMPRESSION gzip)";
    duckdb_result r;
    const bool ok = duckdb_query(con, sql.c_str(), &r) == DuckDBSuccess;
    if (!ok) std::fprintf(stderr, "duckdb: %s\n", duckdb_result_error(&r));
    duckdb_destroy_result(&r);
    duckdb_disconnect(&con);
    duckdb_close(&db);
    return ok;
}

/// CPU time of the whole process (user + system, all threads), seconds.
double processCpu()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return secs(u.ru_utime) + secs(u.ru_stime);
}

/// Median wall and process-CPU seconds of `runs` calls; {-1, -1} if a call failed.
std::pair<double, double> medians(const std::function<bool()>& fn, int runs)
{
    std::vector<double> wall, cpu;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        const double c0 = processCpu();
        if (!fn()) return {-1, -1};
        cpu.push_back(processCpu() - c0);
        wall.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e9);
    }
    std::sort(wall.begin(), wall.end());
    std::sort(cpu.begin(), cpu.end());
    return {wall[wall.size() / 2], cpu[cpu.size() / 2]};
}

/// Median wall and process-CPU seconds of `runs` runs of `sql` on a DuckDB with one thread (as
/// the reader's engine), streamed chunk by chunk and dropped; `rows` gets the rows of the last
/// run. {-1, -1} if the query fails.
std::pair<double, double> queryMedians(const std::string& sql, int runs, qint64& rows)
{
    duckdb_database db = nullptr;
    duckdb_connection con = nullptr;
    duckdb_config config = nullptr;
    if (duckdb_create_config(&config) != DuckDBSuccess) return {-1, -1};
    duckdb_set_config(config, "threads", "1");
    const bool opened = duckdb_open_ext(nullptr, &db, config, nullptr) == DuckDBSuccess;
    duckdb_destroy_config(&config);
    if (!opened || duckdb_connect(db, &con) != DuckDBSuccess) return {-1, -1};
    const auto m = medians(
        [&] {
            duckdb_prepared_statement p = nullptr;
            duckdb_pending_result pending = nullptr;
            duckdb_result r{};
            bool ok = duckdb_prepare(con, sql.c_str(), &p) == DuckDBSuccess
                      && duckdb_pending_prepared_streaming(p, &pending) == DuckDBSuccess
                      && duckdb_execute_pending(pending, &r) == DuckDBSuccess;
            if (!ok) std::fprintf(stderr, "duckdb: %s\n", p ? duckdb_prepare_error(p) : "prepare failed");
            rows = 0;
            while (ok) {
                duckdb_data_chunk c = duckdb_fetch_chunk(r);
                if (!c) break;
                rows += static_cast<qint64>(duckdb_data_chunk_get_size(c));
                duckdb_destroy_data_chunk(&c);
            }
            if (pending) { // r is zeroed if the query never ran
                duckdb_destroy_result(&r);
                duckdb_destroy_pending(&pending);
            }
            duckdb_destroy_prepare(&p);
            return ok;
        },
        runs);
    duckdb_disconnect(&con);
    duckdb_close(&db);
    return m;
}

/// DuckDB alone on `paths` (one read_parquet over all of them): see the file comment.
void benchQueries(const QStringList& paths, int runs)
{
    std::string list = "[";
    for (const QString& p : paths) list += (list.size() > 1 ? ",'" : "'") + p.toStdString() + "'";
    const std::string from = " FROM read_parquet(" + list + "], binary_as_string=true)";
    const std::string ints =
        "c IN ('version','srcport','dstport','tcp-flags','protocol','packets','bytes','start','end') OR c LIKE 'packets-lost-%'";
    const std::string addrs = "c IN ('srcaddr','dstaddr')";
    const std::string texts = "NOT (" + ints + ") AND NOT (" + addrs + ")";
    const std::pair<const char*, std::string> queries[] = {
        {"today's read", "SELECT 0::UTINYINT, COLUMNS(c -> " + ints + ")::BIGINT, COLUMNS(c -> NOT (" + ints + "))" + from},
        {"hash read", "SELECT 0::UTINYINT, hash(*COLUMNS(c -> " + texts + ")), COLUMNS(c -> " + addrs + "), COLUMNS(c -> " + ints
                          + ")::BIGINT" + from},
        {"hash check", "SELECT hash(*COLUMNS(c -> " + texts + ")) AS h, COLUMNS(c -> " + texts + ")" + from + " GROUP BY ALL"},
    };
    for (const auto& [what, sql] : queries) {
        qint64 rows = 0;
        const auto m = queryMedians(sql, runs, rows);
        std::printf("DuckDB only: %-13s wall %7.3f s  CPU %7.3f s  (%lld result rows)\n", what, m.first, m.second,
                    static_cast<long long>(rows));
    }
}

/// Bytes of a file, or of the files in a folder.
qint64 sizeOf(const QString& path)
{
    if (!QFileInfo(path).isDir()) return QFileInfo(path).size();
    qint64 n = 0;
    for (const QFileInfo& f : QDir(path).entryInfoList(QDir::Files)) n += f.size();
    return n;
}

void report(const char* what, const QString& path, bool gz, qint64 records, std::pair<double, double> s)
{
    std::printf("%-20s %-8s wall %7.3f s  CPU %7.3f s  %6.2f M records/s  (%.1f MB)\n", what, gz ? ".log.gz" : ".parquet",
                s.first, s.second, static_cast<double>(records) / s.first / 1e6, static_cast<double>(sizeOf(path)) / 1e6);
}

/// The 1-minute load average, to judge how busy the machine was.
QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readLine()).section(QLatin1Char(' '), 0, 2) : QStringLiteral("?");
}

/// Splits `text` (a header line, then records) into `files` text files and writes each as
/// .log.gz (`dir`/gz) and as Parquet (`dir`/parquet). Reused if `dir` holds them.
bool splitInto(const QString& text, int files, const QString& dir)
{
    const QString done = dir + QStringLiteral("/complete");
    if (QFile::exists(done)) return true;
    for (const char* sub : {"log", "gz", "parquet"}) QDir().mkpath(dir + QLatin1Char('/') + QLatin1String(sub));
    QFile in(text);
    if (!in.open(QIODevice::ReadOnly)) return false;
    const QByteArray header = in.readLine();
    std::vector<QByteArray> lines;
    while (!in.atEnd()) lines.push_back(in.readLine());
    const size_t per = (lines.size() + static_cast<size_t>(files) - 1) / static_cast<size_t>(files);
    std::printf("splitting into %d files in %s ...\n", files, qPrintable(dir));
    for (int i = 0; i < files; ++i) {
        const QString name = QStringLiteral("part_%1").arg(i, 4, 10, QLatin1Char('0'));
        const QString log = dir + QStringLiteral("/log/") + name + QStringLiteral(".log");
        QFile out(log);
        if (!out.open(QIODevice::WriteOnly)) return false;
        out.write(header);
        for (size_t k = static_cast<size_t>(i) * per; k < std::min(lines.size(), static_cast<size_t>(i + 1) * per); ++k)
            out.write(lines[k]);
        out.close();
        if (!gzipFile(log, dir + QStringLiteral("/gz/") + name + QStringLiteral(".log.gz"))
            || !writeParquet(log, dir + QStringLiteral("/parquet/") + name + QStringLiteral(".parquet")))
            return false;
        QFile::remove(log); // only the .log.gz and .parquet are read
    }
    QFile mark(done);
    return mark.open(QIODevice::WriteOnly);
}
#endif

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
#ifndef FLOWLOG_PARQUET
    std::printf("bench_parquet: built without DuckDB (FLOWLOG_PARQUET off): nothing to measure\n");
    return 0;
#else
    QStringList args = app.arguments().mid(1);
    int runs = 3;
    const qsizetype r = args.indexOf(QStringLiteral("--runs"));
    if (r >= 0 && r + 1 < args.size()) {
        runs = std::max(1, args[r + 1].toInt());
        args.remove(r, 2);
    }
    int files = 1;
    const qsizetype f = args.indexOf(QStringLiteral("--files"));
    if (f >= 0 && f + 1 < args.size()) {
        files = std::max(1, args[f + 1].toInt());
        args.remove(f, 2);
    }
    // --only read|load and --kind gz|parquet limit what is measured (for profiling one part).
    auto option = [&](const char* name) {
        const qsizetype at = args.indexOf(QLatin1String(name));
        if (at < 0 || at + 1 >= args.size()) return QString();
        const QString v = args[at + 1];
        args.remove(at, 2);
        return v;
    };
    const QString only = option("--only");
    const QString kind = option("--kind");
    const benchutil::Args a = benchutil::parseArgs(args);
    if (!core::parquetSupported()) {
        std::printf("bench_parquet: Parquet not available (%s)\n", qPrintable(core::parquetSupportText()));
        return 1;
    }
    const QString text = benchutil::cachedTgwFile(a.dir, a.records, a.largeEstate);
    const QString gz = text + QStringLiteral(".gz");
    QString parquet = text;
    parquet.replace(QLatin1String(".log"), QLatin1String(".parquet"));
    if (text.isEmpty() || (!QFile::exists(gz) && !gzipFile(text, gz))
        || (!QFile::exists(parquet) && !writeParquet(text, parquet))) {
        std::fprintf(stderr, "cannot prepare the input files in %s\n", qPrintable(a.dir));
        return 1;
    }
    QString gzInput = gz, parquetInput = parquet;
    if (files > 1) {
        QString folder = text;
        folder.replace(QLatin1String(".log"), QStringLiteral("_x%1").arg(files));
        if (!splitInto(text, files, folder)) {
            std::fprintf(stderr, "cannot split the input into %s\n", qPrintable(folder));
            return 1;
        }
        gzInput = folder + QStringLiteral("/gz");
        parquetInput = folder + QStringLiteral("/parquet");
    }
    std::printf("%lld TGW default records (%s estate) in %d file(s) of each kind, median of %d runs, load average %s\n",
                static_cast<long long>(a.records), a.largeEstate ? "large" : "small", files, runs, qPrintable(loadAverage()));
    auto skip = [&](const QString& input, const char* what) {
        return (!only.isEmpty() && only != QLatin1String(what))
               || (!kind.isEmpty() && kind != (input == gzInput ? QLatin1String("gz") : QLatin1String("parquet")));
    };
    if (only == QLatin1String("queries")) {
        QStringList paths;
        if (files > 1) {
            for (const QFileInfo& fi : QDir(parquetInput).entryInfoList(QDir::Files, QDir::Name)) paths << fi.absoluteFilePath();
        } else {
            paths << parquetInput;
        }
        benchQueries(paths, runs);
    }
    for (const QString& input : {gzInput, parquetInput}) {
        if (skip(input, "read")) continue;
        QStringList paths;
        if (files > 1) {
            for (const QFileInfo& fi : QDir(input).entryInfoList(QDir::Files, QDir::Name)) paths << fi.absoluteFilePath();
        } else {
            paths << input;
        }
        qint64 records = 0;
        const auto ms = medians(
            [&] {
                CountSink sink;
                // As the loader reads a folder: *.parquet files through one ParquetFiles.
                core::ParquetFiles together(input == parquetInput ? paths : QStringList());
                for (qsizetype i = 0; i < paths.size(); ++i) {
                    const core::FileOutcome o = input == parquetInput ? together.read(i, core::ReadOptions{}, sink)
                                                                      : core::readFile(paths[i], core::ReadOptions{}, sink);
                    if (o.fatal) return false;
                }
                records = sink.records;
                return sink.records == a.records;
            },
            runs);
        report("read (parse only)", input, input == gzInput, records, ms);
    }
    for (const QString& input : {gzInput, parquetInput}) {
        if (skip(input, "load")) continue;
        qint64 records = 0;
        const auto ms = medians(
            [&] {
                auto store = core::Store::create();
                if (!store.ok()) return false;
                const core::LoadReport rep = core::loadPaths(*store.value(), {input}, core::LoadOptions{});
                records = rep.records;
                return rep.outcome == core::Outcome::Ok && rep.records == a.records;
            },
            runs);
        report("load into a store", input, input == gzInput, records, ms);
    }
    std::printf("load average after: %s\n", qPrintable(loadAverage()));
    return 0;
#endif
}
