#pragma once
// Test helper for the typed-column tests that compare the column paths with SQL
// (tests/core/tst_column_filter.cpp, tst_column_order*.cpp, tst_load_order.cpp, tst_sessioncolumns.cpp): the odd
// hand-written records every one of them loads, and the text form of edges and series the
// comparisons are made on.
#include "core/analysis/aggregate.h"
#include "core/export/csv.h"
#include "core/model/result.h"
#include "core/store/store.h"

#include <QLatin1Char>
#include <QString>
#include <QStringList>
#include <vector>

namespace columntest {

/// SQLite's ids of a view, the oracle of the order tests: `SELECT id ... WHERE <filter> ORDER BY
/// <keys>` as the record table and export build it (buildSelect); empty when it does not compile.
inline std::vector<qint64> sqlOrderIds(const core::Store& store, const QString& filter, const std::vector<core::SortKey>& keys)
{
    std::vector<qint64> ids;
    auto built = core::buildSelect(store, {QStringLiteral("id")}, filter, keys);
    if (!built.ok()) return ids;
    auto st = store.prepare(built->sql);
    if (!st.ok()) return ids;
    st->bindAll(built->params);
    while (st->next()) ids.push_back(st->int64(0));
    return ids;
}

/// Hand-written TGW records the generator never writes: values beyond the narrow columns (a
/// 17-bit port and 17-bit lost packets, a 5 GB record, protocol 300) with 255.255.255.255 and a
/// leading-zero address kept as text, an IPv6 source, and a NODATA record. A test appends its
/// own extras (e.g. the first record's egress twin).
inline constexpr const char* kOddLines =
    "6 TransitGateway 111122223333 tgw-0123 tgw-attach-odd 111122223333 444455556666 vpc-a vpc-b subnet-a subnet-b "
    "eni-a eni-b use1-az1 use1-az2 tgw-attach-pair 255.255.255.255 010.0.0.1 5 70000 300 4000000 5000000000 1764547200 "
    "1764547260 OK IPv4 70000 0 0 0 65535 us-east-1 ingress - -\n"
    "6 TransitGateway 111122223333 tgw-0123 tgw-attach-odd 111122223333 444455556666 vpc-a vpc-b subnet-a subnet-b "
    "eni-a eni-b use1-az1 use1-az2 tgw-attach-pair 2600:1f18::5 10.1.2.3 443 1024 6 10 1000 1764547300 1764547360 OK "
    "IPv6 0 0 0 0 18 us-east-1 ingress - -\n"
    "6 TransitGateway 111122223333 tgw-0123 tgw-attach-odd 111122223333 444455556666 vpc-a vpc-b subnet-a subnet-b "
    "eni-a eni-b use1-az1 use1-az2 - - - - - - - - 1764547300 1764547360 NODATA - - - - - - us-east-1 ingress - -\n";

/// Edges as "src>dst:flows/packets/bytes/lost0,lost1,lost2,lost3", space-separated, or
/// "error: <message>".
inline QString edgesText(const core::Result<std::vector<core::Edge>>& r)
{
    if (!r.ok()) return QStringLiteral("error: ") + r.error().message;
    QStringList out;
    for (const core::Edge& e : r.value())
        out << QStringLiteral("%1>%2:%3/%4/%5/%6,%7,%8,%9")
                   .arg(e.src, e.dst)
                   .arg(e.flows)
                   .arg(e.packets)
                   .arg(e.bytes)
                   .arg(e.lost[0])
                   .arg(e.lost[1])
                   .arg(e.lost[2])
                   .arg(e.lost[3]);
    return out.join(QLatin1Char(' '));
}

/// A series (and its split, if any) as "binSeconds start:flows/packets/bytes/rejects/lost0,...
/// keys bytes...", or "error: <message>".
inline QString seriesText(const core::Result<core::SeriesWithSplit>& r)
{
    if (!r.ok()) return QStringLiteral("error: ") + r.error().message;
    QStringList out{QString::number(r->series.binSeconds)};
    for (const core::SeriesBin& b : r->series.bins)
        out << QStringLiteral("%1:%2/%3/%4/%5/%6,%7,%8,%9")
                   .arg(b.start)
                   .arg(b.flows)
                   .arg(b.packets)
                   .arg(b.bytes)
                   .arg(b.rejects)
                   .arg(b.lost[0])
                   .arg(b.lost[1])
                   .arg(b.lost[2])
                   .arg(b.lost[3]);
    if (r->split) {
        out << r->split->keys.join(QLatin1Char(','));
        for (const auto& row : r->split->bytes)
            for (qint64 v : row) out << QString::number(v);
    }
    return out.join(QLatin1Char(' '));
}

} // namespace columntest
