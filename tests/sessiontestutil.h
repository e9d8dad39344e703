#pragma once
// Test helpers for the session tests (tst_sessionfile, tst_sessionblobs, tst_sessionopen_fast):
// what a store shows, as text, so a saved store and its reopened copy can be compared.
#include "core/analysis/aggregate.h"
#include "core/analysis/drops.h"
#include "core/export/csv.h"
#include "core/store/store.h"

#include <QBuffer>
#include <QByteArray>
#include <QStringList>

namespace sessiontest {

/// Every column of every record (id and twin_id included) as the CSV export writes it.
inline QByteArray exportAll(const core::Store& store)
{
    QBuffer buf;
    buf.open(QIODevice::WriteOnly);
    core::ExportRequest req;
    req.columns = store.columns(); // every column, id and twin_id included
    core::exportCsv(store, req, buf);
    return buf.data();
}

/// Everything the views show, as text: records, edges per dimension, series, drops, files.
inline QByteArray fingerprint(const core::Store& store)
{
    using namespace core;
    QByteArray out = exportAll(store);
    for (EdgeDimension d : {EdgeDimension::Attachment, EdgeDimension::Vpc, EdgeDimension::Subnet, EdgeDimension::Addr}) {
        auto edges = computeEdges(store, {}, d);
        if (!edges) return "edges failed: " + edges.error().message.toUtf8();
        for (const Edge& e : edges.value())
            out += QStringLiteral("E %1 %2 %3 %4 %5 %6\n")
                       .arg(e.src, e.dst)
                       .arg(e.flows)
                       .arg(e.packets)
                       .arg(e.bytes)
                       .arg(e.dropped())
                       .toUtf8();
    }
    auto series = computeSeries(store, {}, 60);
    if (!series) return "series failed";
    for (const SeriesBin& b : series->bins)
        out += QStringLiteral("S %1 %2 %3 %4\n").arg(b.start).arg(b.flows).arg(b.bytes).arg(b.rejects).toUtf8();
    auto drops = computeDrops(store, {});
    if (!drops) return "drops failed";
    out += dropsCsv(drops.value(), false);
    for (const StoredFile& f : store.files())
        out += QStringLiteral("F %1 %2 %3 %4 %5\n").arg(f.id).arg(f.path, f.format).arg(f.records).arg(f.rejected).toUtf8();
    out += store.columns().join(QLatin1Char(',')).toUtf8();
    return out;
}

/// Every row of flows (all columns, twin_id and extras included) in id order, as text; a
/// statement error ends the list.
inline QStringList flowRows(const core::Store& store)
{
    QStringList out;
    auto st = store.prepare(QStringLiteral("SELECT * FROM flows ORDER BY id"));
    if (!st.ok()) return {st.error().message};
    while (st->next()) {
        QStringList cells;
        for (int c = 0; c < st->columnCount(); ++c) cells << (st->isNull(c) ? QStringLiteral("NULL") : st->value(c).toString());
        out << cells.join(QLatin1Char('|'));
    }
    if (!st->error().isEmpty()) out << st->error();
    return out;
}

} // namespace sessiontest
