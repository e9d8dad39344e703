// Session files: median times of saving a loaded store to a .flowlog and of opening it again
// (checks + restore, no re-parsing), against the time of loading the same logs. Prints medians.
//   bench_session [records=1000000] [--dir DIR] [--runs N]
//   bench_session --make OUT.flowlog PATH...   (writes a session of PATHs; used for fixtures)
#include "benchutil.h"

#include "core/ingest/loader.h"
#include "core/sessionfile/sessionfile.h"

#include <QCoreApplication>
#include <QFileInfo>

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
    const QString session = QStringLiteral("%1/session_%2.flowlog").arg(a.dir).arg(a.records);
    const auto save = benchutil::medianMs([&] { return core::saveSession(*store, core::SessionData{}, session).ok(); }, runs);
    qint64 opened = 0;
    const auto open = benchutil::medianMs(
        [&] {
            auto r = core::openSession(session);
            if (!r.ok()) {
                std::printf("open failed: %s\n", qPrintable(r.error().message));
                return false;
            }
            opened = r->store->recordCount();
            return true;
        },
        runs);
    std::printf("records: %lld (reopened %lld), session file: %.1f MB\n", static_cast<long long>(a.records),
                static_cast<long long>(opened), static_cast<double>(QFileInfo(session).size()) / 1e6);
    std::printf("load logs (parse):  %8.0f ms wall, %8.0f ms CPU of the calling thread\n", load.first, load.second);
    std::printf("save session:       %8.0f ms wall, %8.0f ms CPU (median of %d)\n", save.first, save.second, runs);
    std::printf("open session:       %8.0f ms wall, %8.0f ms CPU (median of %d)\n", open.first, open.second, runs);
    QFile::remove(session);
    return 0;
}
