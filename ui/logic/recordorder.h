#pragma once
// The row order of the record table for a sorted view, computed in C++: one scan of
// (id, key) under the filter, a partial sort for the first page (handed out at once), then
// the full sort. Same order as SQLite's `ORDER BY key [DESC], id` (NULLs smallest, integers
// numerically, text by bytes), several times faster than SQLite's sorter at 1M rows.
// Worker-thread code: no Qt objects, any thread.
#include "core/export/csv.h"
#include "core/store/store.h"

#include <atomic>
#include <functional>
#include <vector>

namespace ui {

/// Fills *ids with the ids of the rows matching `filterExpression`, ordered by `key` then id.
/// `first(ids)` is called once with the first min(firstCount, n) ids before the full sort.
/// Returns an error sentence, "cancelled", or "" on success.
QString computeRecordOrder(const core::Store& store, const QString& filterExpression, const core::SortKey& key, int firstCount,
                           const std::function<void(std::vector<qint64>)>& first, const std::atomic<bool>* cancel,
                           std::vector<qint64>* ids);

} // namespace ui
