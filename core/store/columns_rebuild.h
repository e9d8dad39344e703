#pragma once
// Typed columns for a store whose rows did not come through the writer (a store restored from a
// session file): rebuilt from flow_data by the column store's own append path, so the fast scans
// (filtered count, edges, series, drops) answer exactly what SQL answers.
#include "core/model/result.h"

#include <atomic>

namespace core {

class Store;

/// Rebuilds `store`'s typed columns from its rows, blocking. Readers keep running on SQL until
/// the last chunk is in. Ok also when the rows cannot be held as columns (then SQL keeps
/// answering); Error "cancelled" when `cancel` was raised. Any thread; a load waits meanwhile.
Status rebuildColumns(const Store& store, const std::atomic<bool>* cancel = nullptr);

/// Starts rebuildColumns on a thread owned by `store` (joined, cancelled, by its destructor) and
/// returns at once. Any thread.
void startColumnRebuild(const Store& store);

/// Waits for the rebuild started by startColumnRebuild (if any); its status. Any thread.
Status waitForColumns(const Store& store);

/// Waits for that rebuild (if any) like waitForColumns, but gives up when `cancel` is raised
/// (looked at every 20 ms): false then. For a scan that would otherwise read every row by SQL
/// beside the rebuild. Any thread but one holding the store's connection mutex.
bool awaitColumns(const Store& store, const std::atomic<bool>* cancel);

} // namespace core
