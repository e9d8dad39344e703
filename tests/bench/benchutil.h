#pragma once
// What the aggregation benchmarks share: their command line (`[records=1000000] [--dir DIR]
// [--estate small|large]`),
// the cached generated input file, and median timing. Header-only, benchmarks only.
#include "flowgen.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QStringList>

#include <ctime>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <utility>
#include <vector>

namespace benchutil {

struct Args {
    qint64 records = 1000000;
    QString dir = QDir::tempPath() + QStringLiteral("/flowlog_bench"); ///< created by parseArgs
    bool largeEstate = false; ///< --estate large: flowgen's large-estate preset (> 100k contexts)
    int runs = 5;             ///< --runs N: calls per median
};

/// Parses `[records] [--dir DIR] [--estate small|large] [--runs N]` (program name excluded) and creates the directory.
inline Args parseArgs(const QStringList& args)
{
    Args a;
    for (int i = 0; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--dir") && i + 1 < args.size()) a.dir = args[++i];
        else if (args[i] == QLatin1String("--estate") && i + 1 < args.size()) a.largeEstate = args[++i] == QLatin1String("large");
        else if (args[i] == QLatin1String("--runs") && i + 1 < args.size()) a.runs = std::max(1, args[++i].toInt());
        else if (args[i] == QLatin1String("--order-columns")) ++i; // bench_aggregate's, with a value
        else if (!args[i].startsWith(QLatin1String("--"))) a.records = args[i].toLongLong();
    }
    QDir().mkpath(a.dir);
    return a;
}

/// `dir`/tgw_N.log (large estate: tgw_large_N.log, as bench_load names it): N flowgen TGW
/// default-format records with a header line, generated on first use and reused by later runs.
/// Empty if it cannot be written.
inline QString cachedTgwFile(const QString& dir, qint64 records, bool largeEstate = false)
{
    const QString plain =
        QStringLiteral("%1/tgw_%2%3.log").arg(dir, largeEstate ? QStringLiteral("large_") : QString()).arg(records);
    if (!QFile::exists(plain)) {
        flowgen::Options o;
        o.tgwRecords = records;
        if (largeEstate) o.setLargeEstate();
        std::printf("generating %s ...\n", qPrintable(plain));
        if (flowgen::writeTgwFile(plain, o, true, false) < 0) return {};
    }
    return plain;
}

/// CPU time of the calling thread, milliseconds.
inline double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

/// CPU time of the whole process (all threads), milliseconds.
inline double processCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

/// The median of `v` (the upper one of an even count); -1 when empty.
inline double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? -1 : v[v.size() / 2];
}

/// Median wall and thread-CPU milliseconds of `runs` calls; {-1, -1} if a call failed.
inline std::pair<double, double> medianMs(const std::function<bool()>& fn, int runs = 5)
{
    std::vector<double> t, c;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        const double c0 = threadCpuMs();
        if (!fn()) return {-1, -1};
        c.push_back(threadCpuMs() - c0);
        t.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(t.begin(), t.end());
    std::sort(c.begin(), c.end());
    return {t[t.size() / 2], c[c.size() / 2]};
}

} // namespace benchutil
