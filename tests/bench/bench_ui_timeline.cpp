// Timeline refresh cost at N records (default 1M, realistic TGW data from flowgen):
// computeSeries (auto bins, with and without a filter), computeSplitSeries (top 5 attachments),
// computeSeriesWithSplit (both from one scan, what the stacked chart uses), building the chart
// data, rebuilding both charts from a result, and the TimelinePage end to end (filter change ->
// charts replaced; the filter alternates between a filter and none, each reported too).
// Median of several runs, milliseconds. Run offscreen:
//   QT_QPA_PLATFORM=offscreen bench_ui_timeline [--records N] [--runs N]
#include "core/analysis/aggregate.h"
#include "core/ingest/loader.h"
#include "flowgen.h"
#include "ui/logic/session.h"
#include "ui/logic/timelinedata.h"
#include "ui/timeline/timelinepage.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <vector>

namespace {

double median(std::vector<double> v)
{
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

/// Median wall time and median process CPU time (ms); on a loaded machine the CPU time is the
/// steadier number.
struct Timing {
    double wallMs = 0;
    double cpuMs = 0;
};

Timing measure(int runs, const std::function<void()>& f)
{
    std::vector<double> wall;
    std::vector<double> cpu;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        const std::clock_t c0 = std::clock();
        t.start();
        f();
        wall.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
        cpu.push_back(static_cast<double>(std::clock() - c0) * 1000.0 / CLOCKS_PER_SEC);
    }
    return {median(wall), median(cpu)};
}

void report(const char* what, const Timing& t, const QString& note)
{
    std::printf("%-19s %8.1f ms wall %8.1f ms cpu  (%s)\n", what, t.wallMs, t.cpuMs, qPrintable(note));
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    qint64 records = 1000000;
    int runs = 5;
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--records")) records = args[i + 1].toLongLong();
        if (args[i] == QLatin1String("--runs")) runs = std::max(1, args[i + 1].toInt());
    }

    auto created = core::Store::create();
    if (!created.ok()) {
        std::fprintf(stderr, "cannot create store: %s\n", qPrintable(created.error().toString()));
        return 1;
    }
    std::shared_ptr<core::Store> store(std::move(created.value()));

    // Generate and load in chunks of about 64 MB of text.
    QElapsedTimer loadTimer;
    loadTimer.start();
    flowgen::Options o;
    o.tgwRecords = records;
    o.durationSeconds = 7 * 86400;
    QByteArray chunk;
    int chunkNo = 0;
    const auto flush = [&]() {
        if (chunk.isEmpty()) return;
        core::loadBuffer(*store, chunk, QStringLiteral("generated-%1.log").arg(chunkNo++), {});
        chunk.clear();
    };
    chunk += QByteArray::fromStdString(flowgen::tgwHeader()) + '\n';
    flowgen::generate(o, [&](const std::string& line, int64_t) {
        chunk.append(line.data(), static_cast<qsizetype>(line.size()));
        chunk.append('\n');
        if (chunk.size() > (64 << 20)) {
            flush();
            chunk += QByteArray::fromStdString(flowgen::tgwHeader()) + '\n';
        }
    });
    flush();
    std::printf("records            %lld (generated and loaded in %.1f s, 7 days)\n",
                static_cast<long long>(store->recordCount()), static_cast<double>(loadTimer.elapsed()) / 1000.0);

    core::Series last;
    const Timing seriesAll = measure(runs, [&]() { last = core::computeSeries(*store, QString(), 0).value(); });
    report("computeSeries", seriesAll,
           QStringLiteral("no filter, auto bin %1 s, %2 bins").arg(last.binSeconds).arg(last.bins.size()));
    const QString filter = QStringLiteral("protocol == 6");
    const Timing seriesFiltered = measure(runs, [&]() { last = core::computeSeries(*store, filter, 0).value(); });
    report("computeSeries", seriesFiltered, QStringLiteral("filter '%1'").arg(filter));
    const Timing split = measure(runs, [&]() {
        auto s = core::computeSplitSeries(*store, QString(), core::SeriesSplit::Attachment, 5, last.binSeconds);
        (void)s;
    });
    report("computeSplitSeries", split, QStringLiteral("top 5 attachments"));
    for (const QString& f : {QString(), filter}) {
        const Timing both = measure(runs, [&]() {
            auto s = core::computeSeriesWithSplit(*store, f, core::SeriesSplit::Attachment, 5);
            (void)s;
        });
        report("seriesWithSplit", both,
               QStringLiteral("series + top 5 attachments, one scan, %1")
                   .arg(f.isEmpty() ? QStringLiteral("no filter") : QStringLiteral("filter '%1'").arg(f)));
    }
    const Timing data = measure(runs, [&]() {
        const auto d = ui::timeline::dropsData(last);
        const auto sums = ui::timeline::cumulative(d);
        for (const auto& s : sums) (void)ui::timeline::stepPoints(d, s, 1.0);
    });
    report("chart data", data, QStringLiteral("drops layers, step points"));

    ui::Session session;
    session.setStore(store);
    ui::TimelinePage page(&session);
    page.resize(1200, 760);
    page.show();
    const auto waitResult = [&]() {
        QEventLoop loop;
        QObject::connect(&page, &ui::TimelinePage::resultReady, &loop, &QEventLoop::quit);
        QTimer::singleShot(120000, &loop, &QEventLoop::quit);
        loop.exec();
    };
    waitResult(); // the first result after show()
    // A palette change rebuilds both charts from the current result, with no query.
    const auto rebuildCharts = [&]() {
        QEvent change(QEvent::PaletteChange);
        QApplication::sendEvent(&page, &change);
    };
    const QStringList filters{filter, QString()};
    int n = 0;
    const auto refreshes = [&](const char* mode) {
        std::vector<double> wall[2];
        const Timing all = measure(runs * 2, [&]() {
            const int which = n++ % 2;
            QElapsedTimer t;
            t.start();
            session.setFilter(filters[which]);
            waitResult();
            wall[which].push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
        });
        report("page refresh", all, QStringLiteral("filter change -> both charts replaced, %1").arg(QLatin1String(mode)));
        std::printf("  of which          %8.1f ms wall with filter '%s', %.1f ms wall without\n", median(wall[0]),
                    qPrintable(filter), median(wall[1]));
        report("chart rebuild", measure(runs, rebuildCharts), QStringLiteral("%1, no query").arg(QLatin1String(mode)));
    };
    refreshes("total series");
    page.setSplit(core::SeriesSplit::Attachment, 5);
    waitResult();
    refreshes("stacked by top 5 attachments");
    return 0;
}
