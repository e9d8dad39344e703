// Benchmark of the record table model at ~1M rows: time from a sort or filter change to the
// first page on screen, to the exact row count, and the time to fetch a page anywhere.
// Targets (issue 3): sort <= 200 ms, filter <= 300 ms to the first page; page <= 50 ms.
// "count" is the exact row count on screen: with the first page when the typed columns answer
// (core/store/column_order.h), else when the full order is in; "order" is the full order.
// Usage: bench_ui_table [flows] [--file PATH] [--sql] [--runs N]
//   flows: generated in memory (default 500000 flows = about 1,010,000 records);
//   --file: load that flow-log file instead (e.g. gen_flowlogs --records 10000000 --out F);
//   --sql: the typed-column paths off (the SQL-only model, for a before/after on one store).
#include "../ui/uitestdata.h"
#include "core/ingest/loader.h"
#include "core/store/column_filter.h"
#include "ui/logic/session.h"
#include "ui/table/recordmodel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <random>
#include <vector>

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

struct Timing {
    double firstPage = 0;
    double exact = 0; ///< the exact count is on screen
    double count = 0; ///< the full order is in
};

// Signal counters of the model (connected once in main).
int g_firstPages = 0;
int g_counts = 0;

// Runs the event loop until `done` holds; wakes up on every model signal.
void spinUntil(ui::RecordModel& model, const std::function<bool()>& done)
{
    while (!done()) {
        QEventLoop loop;
        QObject::connect(&model, &ui::RecordModel::firstPageReady, &loop, &QEventLoop::quit);
        QObject::connect(&model, &ui::RecordModel::rowCountKnown, &loop, &QEventLoop::quit);
        QObject::connect(&model, &ui::RecordModel::pageFetched, &loop, &QEventLoop::quit);
        QTimer::singleShot(1000, &loop, &QEventLoop::quit);
        if (done()) break;
        loop.exec();
    }
}

void waitIdle(ui::RecordModel& model)
{
    spinUntil(model, [&]() { return model.countKnown(); });
}

// Runs `change`, returns ms until firstPageReady and until rowCountKnown.
Timing timeChange(ui::RecordModel& model, const std::function<void()>& change)
{
    const int firstBefore = g_firstPages;
    const int countBefore = g_counts;
    QElapsedTimer t;
    t.start();
    change();
    Timing out;
    spinUntil(model, [&]() { return g_firstPages > firstBefore || g_counts > countBefore; });
    out.firstPage = static_cast<double>(t.nsecsElapsed()) / 1e6;
    spinUntil(model, [&]() { return model.rowCountExact(); });
    out.exact = static_cast<double>(t.nsecsElapsed()) / 1e6;
    spinUntil(model, [&]() { return g_counts > countBefore && model.countKnown(); });
    out.count = static_cast<double>(t.nsecsElapsed()) / 1e6;
    return out;
}

void report(const char* what, const std::vector<Timing>& runs, double target)
{
    std::vector<double> first, exact, count;
    for (const auto& r : runs) {
        first.push_back(r.firstPage);
        exact.push_back(r.exact);
        count.push_back(r.count);
    }
    const double m = median(first);
    std::printf("%-44s first page %7.1f ms (target <= %3.0f: %s)   count %7.1f ms   order %7.1f ms   [median of %zu]\n", what, m,
                target, m <= target ? "ok" : "MISSED", median(exact), median(count), runs.size());
    std::fflush(stdout);
}

} // namespace

int main(int argc, char* argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QString file;
    int flows = 500000;
    int runs = 5;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--file") && i + 1 < args.size()) file = args[++i];
        else if (args[i] == QLatin1String("--sql")) core::setColumnScansEnabled(false);
        else if (args[i] == QLatin1String("--runs") && i + 1 < args.size()) runs = std::max(1, args[++i].toInt());
        else flows = std::max(1000, args[i].toInt());
    }
    std::printf("record table through %s\n", core::columnScansEnabled() ? "the typed columns where they answer" : "SQL only");

    QElapsedTimer t;
    t.start();
    auto created = core::Store::create();
    if (!created.ok()) return 1;
    std::shared_ptr<core::Store> store(std::move(created.value()));
    core::LoadReport loaded;
    if (file.isEmpty()) {
        const uitest::GenData data = uitest::generateTgw(flows, 4242, false);
        std::printf("generated %.1f MB of TGW records in %.1f s\n", static_cast<double>(data.text.size()) / 1e6,
                    static_cast<double>(t.elapsed()) / 1000);
        t.restart();
        loaded = core::loadBuffer(*store, data.text, QStringLiteral("bench-tgw.log"), {});
    } else {
        loaded = core::loadPaths(*store, {file}, {});
    }
    std::printf("loaded %lld records (%lld rejected) in %.1f s\n", static_cast<long long>(loaded.records),
                static_cast<long long>(loaded.rejected), static_cast<double>(t.elapsed()) / 1000);

    ui::Session session;
    ui::RecordModel model(&session);
    QObject::connect(&model, &ui::RecordModel::firstPageReady, [] { ++g_firstPages; });
    QObject::connect(&model, &ui::RecordModel::rowCountKnown, [] { ++g_counts; });
    const Timing initial = timeChange(model, [&]() { session.setStore(store); });
    report("open (load order)", {initial}, 300);
    std::printf("rows: %d\n", model.rowCount());

    const int bytes = model.columnIndex(QStringLiteral("bytes"));
    const int srcaddr = model.columnIndex(QStringLiteral("srcaddr"));
    const int start = model.columnIndex(QStringLiteral("start"));
    struct SortCase {
        const char* name;
        int column;
        Qt::SortOrder order;
    };
    const int dstport = model.columnIndex(QStringLiteral("dstport"));
    const int protocol = model.columnIndex(QStringLiteral("protocol"));
    const int attachment = model.columnIndex(QStringLiteral("tgw_attachment_id"));
    const int line = model.columnIndex(QStringLiteral("line"));
    const SortCase sorts[] = {{"sort bytes descending", bytes, Qt::DescendingOrder},
                              {"sort bytes ascending", bytes, Qt::AscendingOrder},
                              {"sort srcaddr (text) ascending", srcaddr, Qt::AscendingOrder},
                              {"sort start descending", start, Qt::DescendingOrder},
                              {"sort dstport ascending", dstport, Qt::AscendingOrder},
                              {"sort protocol descending", protocol, Qt::DescendingOrder},
                              {"sort tgw_attachment_id ascending", attachment, Qt::AscendingOrder},
                              {"sort line descending (SQL only)", line, Qt::DescendingOrder}};
    for (const auto& s : sorts) {
        std::vector<Timing> v;
        for (int i = 0; i < runs; ++i) {
            model.sort(-1);
            waitIdle(model);
            v.push_back(timeChange(model, [&]() { model.sort(s.column, s.order); }));
        }
        report(s.name, v, 200);
    }
    model.sort(-1);
    waitIdle(model);

    const char* filters[] = {"protocol == udp", "dstport == 443 and bytes > 1000000", "srcaddr == 10.1.0.0/16",
                             "packets-lost-no-route > 0", "tgw-attachment-id == tgw-attach-0b22222222222222b"};
    for (const char* f : filters) {
        std::vector<Timing> v;
        for (int i = 0; i < runs; ++i) {
            session.setFilter(QString());
            waitIdle(model);
            v.push_back(timeChange(model, [&]() { session.setFilter(QString::fromLatin1(f)); }));
        }
        report(qPrintable(QStringLiteral("filter: %1").arg(QString::fromLatin1(f))), v, 300);
    }
    {
        std::vector<Timing> v;
        for (int i = 0; i < runs; ++i) {
            session.setFilter(QString());
            model.sort(-1);
            waitIdle(model);
            v.push_back(timeChange(model, [&]() {
                model.sort(bytes, Qt::DescendingOrder);
                session.setFilter(QStringLiteral("protocol == tcp"));
            }));
        }
        report("filter tcp + sort bytes descending", v, 300);
    }

    // Page fetch: jump to random rows (as a scrollbar drag does) and wait for the page.
    session.setFilter(QString());
    model.sort(bytes, Qt::DescendingOrder);
    waitIdle(model);
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> rowDist(0, model.rowCount() - 1);
    std::vector<double> pages;
    for (int i = 0; i < 40; ++i) {
        const int row = rowDist(rng);
        if (model.index(row, 0).data(ui::RecordModel::RecordIdRole).isValid()) continue; // cached
        QElapsedTimer p;
        p.start();
        (void)model.index(row, bytes).data();
        spinUntil(model, [&]() { return model.index(row, 0).data(ui::RecordModel::RecordIdRole).isValid(); });
        pages.push_back(static_cast<double>(p.nsecsElapsed()) / 1e6);
    }
    const double pm = median(pages);
    std::vector<double> sorted = pages;
    std::sort(sorted.begin(), sorted.end());
    std::printf("%-44s %7.1f ms median, %.1f ms worst (target <= 50: %s)   [%zu pages of %d rows, sorted view]\n",
                "page fetch at a random row", pm, sorted.empty() ? 0 : sorted.back(), pm <= 50 ? "ok" : "MISSED", pages.size(),
                ui::RecordModel::kPageSize);
    return 0;
}
