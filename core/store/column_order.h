#pragma once
// The record table's row order answered from the typed columns (columns.h) instead of SQL's
// sorter: the filter's matching rows (column_filter.h), each with a sort key read from a column,
// then a partial sort for the first page (handed out at once, with the exact count) and the full
// sort. Same order as `SELECT id FROM flows WHERE <filter> ORDER BY "<column>" [DESC], id`:
// NULL smallest, integers numerically, text by bytes (SQLite's BINARY collation), ties by
// ascending id (tst_column_order checks every sortable column against SQLite).
//
// Sort keys the columns hold: id; the integer fields of IntColumn; every text field (a context's
// value, ranked once per context); srcaddr/dstaddr (an IPv4 address ranked as its text sorts; an
// IPv6 or text-kept one placed among them by its text). Anything else (file_id, line, twin_id,
// extras, other integer and address fields) returns nullopt: run SQL.
#include "core/model/result.h"
#include "core/store/store.h"

#include <QString>
#include <atomic>
#include <functional>
#include <optional>
#include <vector>

namespace core {

/// Called once with the first min(firstCount, n) ids of the order and n, the number of matching
/// records, before the full sort runs (on the calling thread).
using FirstIds = std::function<void(std::vector<qint64> firstIds, qint64 total)>;

/// True when the columns can sort by `column` (an SQL column of `flows`), given complete columns
/// and a filter they answer. Any thread.
bool columnOrderSupports(const QString& column);

/// Fills `ids` (replaced) with the ids of the records matching `filterExpression`, ordered by
/// `column` (empty = load order, i.e. id) ascending or `descending`, ties by ascending id.
/// `first`, if set, gets the first page and the count before the full sort. nullopt: the columns
/// cannot answer (see the header comment; nothing was called): run SQL. Else Ok, or an Error
/// (invalid filter: compileFilter's message; "cancelled"). Any thread: holds the ColumnScanLock
/// while it reads the columns, not while it sorts.
std::optional<Status> columnOrder(const Store& store, const QString& filterExpression, const QString& column, bool descending,
                                  size_t firstCount, const FirstIds& first, const std::atomic<bool>* cancel,
                                  std::vector<qint64>& ids);

} // namespace core
