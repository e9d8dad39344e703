// Session files: median times of saving a loaded store to a .flowlog and of opening it again
// (checks + restore, no re-parsing), against the time of loading the same logs. Prints medians.
//   bench_session [records=1000000] [--dir DIR] [--runs N]
//   bench_session --make OUT.flowlog PATH...   (writes a session of PATHs; used for fixtures)
//   bench_session --open FILE.flowlog [--runs N] (opens an existing session only, timed in phases:
//     usable, columns rebuilt, and the teardown apart)
// --keep leaves the session file in DIR (session_v4_N.flowlog; --table-format: format 3, the records
// as a flow_data table, session_v3_N.flowlog). "process CPU" adds every thread (the parallel
// quick_check and the column rebuild): on an idle 2-core machine the wall time is about the
// longer of the two threads, not their sum.
#include "benchutil.h"

#include "core/ingest/loader.h"
#include "core/sessionfile/sessionfile.h"
#include "core/store/columns_rebuild.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>

#include <algorithm>
#include <ctime>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

namespace {

using benchutil::processCpuMs;

using benchutil::median;

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    if (args.size() >= 2 && args.front() == QLatin1String("--make")) {
        const QString out = args[1];
        auto created = core::Store::create();
        if (!created.ok()) return 1;
        core::Store& store = *created.value();
        const core::LoadReport report = core::loadPaths(store, args.mid(2), core::LoadOptions{});
        if (!report.names.isEmpty()) core::storeNames(store, report.names);
        core::SessionData data{report.names, report.rejections, {}, {}};
        const core::Status st = core::saveSession(store, data, out);
        std::printf("%s: %lld records%s%s\n", qPrintable(out), static_cast<long long>(store.recordCount()), st.ok() ? "" : ": ",
                    st.ok() ? "" : qPrintable(st.error().message));
        return st.ok() ? 0 : 1;
    }
    int runs = 5;
    if (const qsizetype i = args.indexOf(QStringLiteral("--runs")); i >= 0 && i + 1 < args.size()) {
        runs = args[i + 1].toInt();
        args.remove(i, 2);
    }
    const bool keep = args.removeAll(QStringLiteral("--keep")) > 0;
    const bool tableFormat = args.removeAll(QStringLiteral("--table-format")) > 0;
    // Process CPU (all threads) of one call, milliseconds; medians over `runs` calls.
    std::vector<double> processCpu;
    auto withProcessCpu = [&processCpu](const std::function<bool()>& fn) {
        return [&processCpu, fn] {
            timespec a{}, b{};
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
            const bool ok = fn();
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
            processCpu.push_back(static_cast<double>(b.tv_sec - a.tv_sec) * 1e3
                                 + static_cast<double>(b.tv_nsec - a.tv_nsec) / 1e6);
            return ok;
        };
    };
    auto medianProcessCpu = [&processCpu] {
        std::vector<double> v = std::exchange(processCpu, {});
        if (v.empty()) return -1.0;
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    auto openOnce = [](const QString& path, bool columns) {
        auto r = core::openSession(path);
        if (!r.ok()) {
            std::printf("open failed: %s\n", qPrintable(r.error().message));
            return false;
        }
        return !columns || core::waitForColumns(*r->store).ok();
    };
    if (args.size() >= 2 && args.front() == QLatin1String("--open")) {
        // Per run, one open timed in phases: until openSession returns (the store is usable, SQL
        // answers), until the typed columns are rebuilt, and the teardown (not in either).
        const QString path = args[1];
        std::vector<double> wall[3], thread[2], process[2];
        for (int run = 0; run < runs; ++run) {
            QElapsedTimer timer;
            const double t0 = benchutil::threadCpuMs(), p0 = processCpuMs();
            timer.start();
            auto r = std::make_unique<core::Result<core::OpenedSession>>(core::openSession(path));
            if (!r->ok()) {
                std::printf("open failed: %s\n", qPrintable(r->error().message));
                return 1;
            }
            wall[0].push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
            thread[0].push_back(benchutil::threadCpuMs() - t0);
            process[0].push_back(processCpuMs() - p0);
            if (!core::waitForColumns(*(*r)->store).ok()) return 1;
            wall[1].push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
            thread[1].push_back(benchutil::threadCpuMs() - t0);
            process[1].push_back(processCpuMs() - p0);
            QElapsedTimer close;
            close.start();
            r.reset();
            wall[2].push_back(static_cast<double>(close.nsecsElapsed()) / 1e6);
            std::printf("run %d: open %.0f ms wall (%.0f ms CPU calling thread, %.0f ms process CPU); columns ready at %.0f "
                        "ms wall (%.0f ms process CPU); close %.0f ms\n",
                        run + 1, wall[0].back(), thread[0].back(), process[0].back(), wall[1].back(), process[1].back(),
                        wall[2].back());
            std::fflush(stdout);
        }
        std::printf("open session:   %8.0f ms wall, %8.0f ms CPU calling thread, %8.0f ms process CPU (median of %d)\n",
                    median(wall[0]), median(thread[0]), median(process[0]), runs);
        std::printf("open + columns: %8.0f ms wall, %8.0f ms CPU calling thread, %8.0f ms process CPU (median of %d)\n",
                    median(wall[1]), median(thread[1]), median(process[1]), runs);
        std::printf("close (not in the above): %8.0f ms wall\n", median(wall[2]));
        return 0;
    }
    const benchutil::Args a = benchutil::parseArgs(args);
    const QString logs = benchutil::cachedTgwFile(a.dir, a.records);
    if (logs.isEmpty()) return 1;

    std::unique_ptr<core::Store> store;
    const auto load = benchutil::medianMs(
        [&] {
            auto created = core::Store::create();
            if (!created.ok()) return false;
            store = std::move(created.value());
            return core::loadPaths(*store, {logs}, core::LoadOptions{}).outcome == core::Outcome::Ok;
        },
        1);
    // Format 4 by default (session_v4_N.flowlog); --table-format writes format 3 (session_v3_N.flowlog)
    // as before format 4, for comparison. Existing session_N.flowlog files are left alone.
    const int format = tableFormat ? core::kSessionTableFormatVersion : core::kSessionFormatVersion;
    core::setSessionSaveFormat(format);
    const QString session = QStringLiteral("%1/session_v%2_%3.flowlog").arg(a.dir).arg(format).arg(a.records);
    const auto save =
        benchutil::medianMs(withProcessCpu([&] { return core::saveSession(*store, core::SessionData{}, session).ok(); }), runs);
    const double saveCpu = medianProcessCpu();
    const auto open = benchutil::medianMs(withProcessCpu([&] { return openOnce(session, false); }), runs);
    const double openCpu = medianProcessCpu();
    // The same open, until the typed columns are rebuilt too (the fast views).
    const auto ready = benchutil::medianMs(withProcessCpu([&] { return openOnce(session, true); }), runs);
    const double readyCpu = medianProcessCpu();
    qint64 opened = 0;
    if (auto r = core::openSession(session); r.ok()) opened = r->store->recordCount();
    std::printf("records: %lld (reopened %lld), session file: %.1f MB\n", static_cast<long long>(a.records),
                static_cast<long long>(opened), static_cast<double>(QFileInfo(session).size()) / 1e6);
    std::printf("load logs (parse):  %8.0f ms wall, %8.0f ms CPU of the calling thread\n", load.first, load.second);
    std::printf("save session:       %8.0f ms wall, %8.0f ms CPU, %8.0f ms process CPU (median of %d, format %d)\n", save.first,
                save.second, saveCpu, runs, format);
    std::printf("open session:       %8.0f ms wall, %8.0f ms CPU, %8.0f ms process CPU (median of %d)\n", open.first, open.second,
                openCpu, runs);
    std::printf("open + columns:     %8.0f ms wall, %8.0f ms CPU, %8.0f ms process CPU (median of %d)\n", ready.first,
                ready.second, readyCpu, runs);
    if (!keep) QFile::remove(session);
    return 0;
}
