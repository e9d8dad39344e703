#pragma once
// The record table's order for the whole store in load order (an empty filter, sorted by nothing
// or by id), known without a scan: a store's ids are distinct integers, so when flow_data holds
// N rows whose ids lie in 1..N they are exactly 1..N. Used while the typed columns are still being
// rebuilt after a session opens, when column_order.h cannot answer and the SQL order would read
// every row.
#include "core/model/result.h"
#include "core/store/column_order.h"
#include "core/store/store.h"

#include <QString>
#include <atomic>
#include <optional>
#include <vector>

namespace core {

/// Fills `ids` (replaced) with the ids of `SELECT id FROM flows WHERE <filterExpression> ORDER BY
/// <column> [DESC]` when that is every record in id order: `filterExpression` blank and `column`
/// empty (load order) or "id". Checks the ids with count(*), min(id) and max(id) (one btree count,
/// no row read), or not at all for a store a session open found to hold ids 1..N (the count is
/// then N, kept by the store: Store::Impl::idsDense); `first`, if set, gets the first min(firstCount, n) ids and n before `ids`
/// is filled. nullopt: another view, or the ids are not 1..N (nothing was called): use columnOrder or SQL. Else Ok, or Error
/// "cancelled" / the SQLite error. Any thread.
std::optional<Status> loadOrder(const Store& store, const QString& filterExpression, const QString& column, bool descending,
                                size_t firstCount, const FirstIds& first, const std::atomic<bool>* cancel,
                                std::vector<qint64>& ids);

} // namespace core
