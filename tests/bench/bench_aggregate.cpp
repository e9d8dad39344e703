// Aggregation benchmark: attachment edges, time series, split series and both from one scan
// over N generated TGW records (default 1M), unfiltered and with simple filters, each case run
// through the typed columns (core/store/column_filter.h) and through SQL (column paths off) on the
// same store. Median of 5 per case (--runs N). Then the record table's order: for every column the
// columns can sort by, the first page (and exact count) and the full order through the columns
// (core/store/column_order.h) against the SQL the table runs otherwise (ORDER BY key, id LIMIT 256
// plus count(*); the full ORDER BY).
//
//   bench_aggregate [records=1000000] [--dir DIR] [--estate small|large] [--runs N] [--no-sql-order]
//                   [--order-only] [--order-columns a,b,...] [--no-sql] [--flow-data-table] [--file=PATH] [--cases=TEXT]
// --order-only skips the aggregations; --order-columns limits the table order to those columns
// ("load" = load order); --no-sql skips the aggregations' SQL reference and the SQL-only cases (30M);
// --flow-data-table makes flow_data a real SQLite table (the layout before the virtual table) for a
// side-by-side; --file=PATH loads PATH (plain or .gz; give N = its record count) instead of the
// generated DIR/tgw_N.log. Peak RSS (VmHWM) is printed after the load and at the end.
#include "benchutil.h"
#include "core/analysis/aggregate.h"
#include "core/analysis/drops.h"
#include "core/export/csv.h"
#include "core/ingest/loader.h"
#include "core/query/filter.h"
#include "core/store/column_filter.h"
#include "core/store/column_order.h"
#include "core/store/store.h"
#include "core/store/store_impl.h"
#include "flowgen.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>

#include <ctime>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <string_view>
#include <vector>

namespace {

using benchutil::median;

double msSince(const QElapsedTimer& t)
{
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

// The record table's first page + count and full order per sortable column, columns vs SQL.
// CPU time of the whole process (every thread), milliseconds: the table order runs on two.
using benchutil::processCpuMs;

// VmHWM / VmRSS of this process, MB.
double procStatusMb(const char* key)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly)) return -1;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith(key))
            return line.mid(static_cast<int>(qstrlen(key))).trimmed().split(' ').value(0).toDouble() / 1024.0;
    return -1;
}

/// Median wall and process-CPU (every thread: the column scans run on two) milliseconds of `runs`
/// calls; {-1, -1} if a call failed.
std::pair<double, double> medianProcessMs(const std::function<bool()>& fn, int runs)
{
    std::vector<double> t, c;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        const double c0 = processCpuMs();
        if (!fn()) return {-1, -1};
        c.push_back(processCpuMs() - c0);
        t.push_back(msSince(timer));
    }
    return {median(t), median(c)};
}

void tableOrder(const core::Store& store, int runs, bool withSql, const QStringList& only)
{
    std::printf("\n%-36s %12s %12s %12s %12s %10s %12s %12s\n", "table order (median)", "cols page", "cols order", "SQL page+n",
                "SQL order", "rows", "page CPU", "order CPU");
    QStringList columns{QString()};
    for (const QString& c : store.columns())
        if (core::columnOrderSupports(c) && c != QLatin1String("id")) columns << c;
    if (!only.isEmpty()) {
        columns.clear();
        for (const QString& c : only) columns << (c == QLatin1String("load") ? QString() : c);
    }
    const QString filters[] = {QString(), QStringLiteral("srcaddr == 10.10.0.0/16")};
    // SQL reference (the first page's top-N + count(*); the full ORDER BY) for these only: at 10M
    // each costs seconds.
    const QStringList sqlColumns{QString(), QStringLiteral("bytes"), QStringLiteral("srcaddr"), QStringLiteral("start"),
                                 QStringLiteral("tgw_attachment_id")};
    for (const QString& filter : filters) {
        for (const QString& column : columns) {
            for (const bool desc : {false, true}) {
                if (column.isEmpty() && desc) continue;
                std::vector<double> page, order, sqlPage, sqlOrder, pageCpu, orderCpu;
                qint64 rows = -1;
                for (int i = 0; i < runs; ++i) {
                    QElapsedTimer t;
                    t.start();
                    const double cpu0 = processCpuMs();
                    std::vector<qint64> ids;
                    const auto done = core::columnOrder(
                        store, filter, column, desc, 256,
                        [&](std::vector<qint64>, qint64 n) {
                            page.push_back(msSince(t));
                            pageCpu.push_back(processCpuMs() - cpu0);
                            rows = n;
                        },
                        nullptr, ids);
                    if (!done || !done->ok()) break;
                    order.push_back(msSince(t));
                    orderCpu.push_back(processCpuMs() - cpu0);
                    if (!withSql || !sqlColumns.contains(column)) continue;
                    auto built = core::buildSelect(store, {QStringLiteral("id")}, filter,
                                                   column.isEmpty() ? std::vector<core::SortKey>{}
                                                                    : std::vector<core::SortKey>{core::SortKey{column, desc}});
                    if (!built.ok()) break;
                    t.restart();
                    auto first = store.prepare(built->sql + QStringLiteral(" LIMIT 256"));
                    if (!first.ok()) break;
                    first->bindAll(built->params);
                    while (first->next()) {}
                    auto f = core::compileFilter(filter);
                    auto count = store.prepare(QStringLiteral("SELECT count(*) FROM flows WHERE ") + f->where);
                    count->bindAll(f->params);
                    count->next();
                    sqlPage.push_back(msSince(t));
                    t.restart();
                    auto all = store.prepare(built->sql);
                    all->bindAll(built->params);
                    qint64 n = 0;
                    while (all->next()) ++n;
                    sqlOrder.push_back(msSince(t));
                    if (n != rows)
                        std::printf("  (SQL has %lld rows, columns %lld!)\n", static_cast<long long>(n),
                                    static_cast<long long>(rows));
                }
                const QString name = (column.isEmpty() ? QStringLiteral("load order")
                                                       : column + (desc ? QStringLiteral(" desc") : QStringLiteral(" asc")))
                                     + (filter.isEmpty() ? QString() : QStringLiteral(", CIDR"));
                std::printf("%-36s %12.1f %12.1f %12.1f %12.1f %10lld %12.1f %12.1f\n", qPrintable(name), median(page),
                            median(order), median(sqlPage), median(sqlOrder), static_cast<long long>(rows), median(pageCpu),
                            median(orderCpu));
                std::fflush(stdout);
            }
        }
    }
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const benchutil::Args args = benchutil::parseArgs(app.arguments().mid(1));
    const qint64 records = args.records;
    const QString& dir = args.dir;
    // --file=PATH: load that file (e.g. gen_flowlogs' 30M .gz) instead of the generated dir/tgw_N.log.
    QString plain;
    for (const QString& a : app.arguments())
        if (a.startsWith(QLatin1String("--file="))) plain = a.mid(7);
    if (plain.isEmpty()) plain = benchutil::cachedTgwFile(dir, records, args.largeEstate);
    if (plain.isEmpty()) return 1;
    // --flow-data-table: flow_data as the real SQLite table (the layout before the virtual table
    // over the typed columns), for a side-by-side of the SQL paths in one binary.
    if (app.arguments().contains(QStringLiteral("--flow-data-table"))) core::setDefaultFlowDataKind(core::FlowDataKind::Table);
    auto created = core::Store::create();
    if (!created.ok()) return 1;
    core::Store& store = *created.value();
    std::printf("flow_data: %s\n", store.impl().flowDataVirtual() ? "virtual table over the typed columns" : "SQLite table");
    const core::LoadReport r = core::loadPaths(store, {plain}, core::LoadOptions{});
    std::printf("%lld records loaded in %.2f s; peak RSS %.0f MB, RSS %.0f MB; store (SQLite pages + dictionary) %.0f MB, "
                "typed columns %.0f MB\n",
                static_cast<long long>(r.records), r.seconds, procStatusMb("VmHWM:"), procStatusMb("VmRSS:"),
                static_cast<double>(store.memoryBytes()) / 1e6, static_cast<double>(store.impl().typedColumns().bytes()) / 1e6);
    const QStringList argList = app.arguments();
    QStringList orderColumns;
    if (const auto i = argList.indexOf(QStringLiteral("--order-columns")); i >= 0 && i + 1 < argList.size())
        orderColumns = argList[i + 1].split(QLatin1Char(','));
    const bool orderOnly = argList.contains(QStringLiteral("--order-only"));
    const bool noSql = argList.contains(QStringLiteral("--no-sql")); // the aggregations' SQL reference skipped
    // --cases=TEXT: only the cases whose name contains TEXT, and no table order (quick A/B of one view).
    QString only;
    for (const QString& a : argList)
        if (a.startsWith(QLatin1String("--cases="))) only = a.mid(8);

    const auto& topo = flowgen::topology();
    const QString app0 = QString::fromStdString(topo.attachments[0].id);
    const QString attachFilter = QStringLiteral("tgw_attachment_id == %1").arg(core::quoteFilterValue(app0));
    const QString portFilter = QStringLiteral("dstport == 443");
    const QString addrFilter = QStringLiteral("srcaddr == 10.10.0.0/16");

    struct Case {
        const char* name;
        std::function<bool()> fn;
    };
    qint64 lastCount = 0;
    auto edges = [&](const QString& f, core::EdgeDimension d) {
        return [&, f, d] {
            auto e = core::computeEdges(store, f, d);
            if (!e.ok()) std::fprintf(stderr, "edges: %s\n", qPrintable(e.error().toString()));
            lastCount = e.ok() ? static_cast<qint64>(e->size()) : -1;
            return e.ok();
        };
    };
    auto series = [&](const QString& f) {
        return [&, f] {
            auto s = core::computeSeries(store, f);
            if (!s.ok()) std::fprintf(stderr, "series: %s\n", qPrintable(s.error().toString()));
            lastCount = s.ok() ? static_cast<qint64>(s->bins.size()) : -1;
            return s.ok();
        };
    };
    auto sqlCount = [&](const QString& sql, const QVariantList& params) {
        return [&, sql, params] {
            auto st = store.prepare(sql);
            if (!st.ok()) return false;
            st->bindAll(params);
            if (!st->next()) return false;
            lastCount = st->int64(0);
            return true;
        };
    };
    auto count = [&](const QString& f) {
        return [&, f] {
            auto n = core::countMatching(store, f);
            lastCount = n.ok() ? n.value() : -1;
            return n.ok();
        };
    };
    const std::vector<Case> cases = {
        {"edges attachment, no filter", edges({}, core::EdgeDimension::Attachment)},
        {"edges attachment, attachment filter", edges(attachFilter, core::EdgeDimension::Attachment)},
        {"edges attachment, dstport == 443", edges(portFilter, core::EdgeDimension::Attachment)},
        {"edges attachment, srcaddr CIDR", edges(addrFilter, core::EdgeDimension::Attachment)},
        {"edges attachment, drops", edges(QStringLiteral("drops"), core::EdgeDimension::Attachment)},
        {"edges vpc, no filter", edges({}, core::EdgeDimension::Vpc)},
        {"edges subnet, no filter", edges({}, core::EdgeDimension::Subnet)},
        {"edges subnet, srcaddr CIDR", edges(addrFilter, core::EdgeDimension::Subnet)},
        {"edges addr, no filter", edges({}, core::EdgeDimension::Addr)},
        {"edges addr, srcaddr CIDR", edges(addrFilter, core::EdgeDimension::Addr)},
        {"series auto bin, no filter", series({})},
        {"series auto bin, attachment filter", series(attachFilter)},
        {"series auto bin, dstport == 443", series(portFilter)},
        {"series auto bin, srcaddr CIDR", series(addrFilter)},
        {"split series by edge top 8",
         [&] {
             auto s = core::computeSplitSeries(store, {}, core::SeriesSplit::Edge, 8);
             lastCount = s.ok() ? static_cast<qint64>(s->keys.size()) : -1;
             return s.ok();
         }},
        {"series + split by attachment, one scan",
         [&] {
             auto s = core::computeSeriesWithSplit(store, {}, core::SeriesSplit::Attachment, 5);
             lastCount = s.ok() ? static_cast<qint64>(s->series.bins.size()) : -1;
             return s.ok();
         }},
        {"series + split, dstport == 443",
         [&] {
             auto s = core::computeSeriesWithSplit(store, portFilter, core::SeriesSplit::Attachment, 5);
             lastCount = s.ok() ? static_cast<qint64>(s->series.bins.size()) : -1;
             return s.ok();
         }},
        {"series + split, srcaddr CIDR",
         [&] {
             auto s = core::computeSeriesWithSplit(store, addrFilter, core::SeriesSplit::Edge, 8);
             lastCount = s.ok() ? static_cast<qint64>(s->series.bins.size()) : -1;
             return s.ok();
         }},
        {"drops, no filter",
         [&] {
             auto d = core::computeDrops(store, {});
             lastCount = d.ok() ? static_cast<qint64>(d->size()) : -1;
             return d.ok();
         }},
        {"drops, srcaddr CIDR",
         [&] {
             auto d = core::computeDrops(store, addrFilter);
             lastCount = d.ok() ? static_cast<qint64>(d->size()) : -1;
             return d.ok();
         }},
        {"count, no filter", count({})},
        {"count, attachment filter", count(attachFilter)},
        {"count, dstport == 443", count(portFilter)},
        {"count, srcaddr CIDR", count(addrFilter)},
        {"SQL count, text equality", sqlCount(QStringLiteral("SELECT count(*) FROM flows WHERE tgw_attachment_id = ?1"), {app0})},
        {"SQL count, integer equality", sqlCount(QStringLiteral("SELECT count(*) FROM flows WHERE dstport = 443"), {})},
        {"SQL count(*) FROM flows", sqlCount(QStringLiteral("SELECT count(*) FROM flows"), {})},
        {"SQL 20000 x SELECT * WHERE id = ?",
         [&] {
             auto st = store.prepare(QStringLiteral("SELECT * FROM flows WHERE id = ?1"));
             if (!st.ok()) return false;
             qint64 n = 0;
             for (qint64 i = 0; i < 20000; ++i) {
                 st->reset();
                 st->bind(1, (i * 7919) % records + 1);
                 while (st->next()) ++n;
             }
             lastCount = n;
             return true;
         }},
        {"SQL SELECT * id range of 10,000",
         sqlCount(QStringLiteral("SELECT count(DISTINCT bytes) FROM (SELECT * FROM flows WHERE id > ?1 AND id <= ?1 + 10000)"),
                  {records / 2})},
        {"SQL sum(bytes) GROUP BY attachment",
         sqlCount(QStringLiteral("SELECT count(*) FROM (SELECT tgw_attachment_id, sum(bytes) FROM flows GROUP BY 1)"), {})},
    };
    std::printf("%-40s %10s %10s %10s %10s %10s\n", "case (median of --runs)", "cols wall", "cols CPU", "SQL wall", "SQL CPU",
                "result");
    for (const Case& c : cases) {
        if (orderOnly) break;
        if (noSql && std::string_view(c.name).starts_with("SQL ")) continue; // the SQL-only cases: seconds at 10M
        if (!only.isEmpty() && !QString::fromLatin1(c.name).contains(only)) continue;
        core::setColumnScansEnabled(true);
        const auto [ms, cpu] = medianProcessMs(c.fn, args.runs);
        const qint64 fast = lastCount;
        core::setColumnScansEnabled(false);
        const auto [sqlMs, sqlCpu] = noSql ? std::pair<double, double>{-1, -1} : medianProcessMs(c.fn, args.runs);
        if (noSql) lastCount = fast;
        std::printf("%-40s %10.1f %10.1f %10.1f %10.1f %10lld%s\n", c.name, ms, cpu, sqlMs, sqlCpu, static_cast<long long>(fast),
                    fast == lastCount ? "" : " (SQL differs!)");
    }
    core::setColumnScansEnabled(true);
    if (only.isEmpty()) tableOrder(store, args.runs, !argList.contains(QStringLiteral("--no-sql-order")), orderColumns);
    std::printf("peak RSS %.0f MB\n", procStatusMb("VmHWM:"));
    QFile la(QStringLiteral("/proc/loadavg"));
    if (la.open(QIODevice::ReadOnly)) std::printf("load average: %s", la.readAll().constData());
    return 0;
}
