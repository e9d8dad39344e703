#pragma once
// The filter language answered from the typed columns (columns.h) instead of SQL: the filter's
// syntax tree compiled to a columnar predicate (text fields as sets of context codes decided once
// per context, CIDR and host addresses as integer mask/compare, integers as plain comparisons),
// evaluated over blocks of 4,096 rows on both cores into one bit per record. Same answers as the
// SQL compileFilter() builds, row for row (tst_column_filter checks 20,000 random expressions).
//
// What stays with SQL (matchRows() returns nullopt): a store whose columns are incomplete (opened
// from a session file), and `contains` on a number or an address; on a store opened from a session
// file (hot columns only) also the integer fields without a hot column (version, traffic-path,
// encryption-status) and the addresses other than srcaddr/dstaddr (a loaded store reads those from
// its cold columns, row by row).
#include "core/model/result.h"
#include "core/store/store.h"

#include <QString>
#include <atomic>
#include <bit>
#include <cstdint>
#include <optional>
#include <vector>

namespace core {

/// A set of records: bit r is record id r + 1, for ids 1..rows.
struct RowSet {
    std::vector<uint64_t> words;
    size_t rows = 0;
    bool test(size_t row) const { return (words[row >> 6] >> (row & 63)) & 1; }
    qint64 count() const
    {
        qint64 n = 0;
        for (uint64_t w : words) n += std::popcount(w);
        return n;
    }
};

/// Holds the store's connection mutex (sqlite3_db_mutex, recursive) for a column scan: no batch
/// is appended and no twin changes while it lives. Stack object of the scanning thread.
class ColumnScanLock {
public:
    explicit ColumnScanLock(const Store& store);
    ~ColumnScanLock();
    ColumnScanLock(const ColumnScanLock&) = delete;
    ColumnScanLock& operator=(const ColumnScanLock&) = delete;

private:
    void* m_mutex;
};

/// True when the store's typed columns hold every record (the fast paths may run). Call under a
/// ColumnScanLock.
bool columnsComplete(const Store& store);

/// The records matching `filterExpression` (empty = all), from the typed columns on two threads.
/// nullopt: the columns cannot answer this filter or this store (see the header comment): run
/// SQL. An Error: the filter is invalid (compileFilter's message and position) or "cancelled"
/// (`cancel` raised). Call under a ColumnScanLock; the set covers the records present then.
std::optional<Result<RowSet>> matchRows(const Store& store, const QString& filterExpression,
                                        const std::atomic<bool>* cancel = nullptr);

/// Ids (ascending) of the records matching `filterExpression`, from the columns, into `ids`
/// (replaced): the record table's unsorted order and count. nullopt when the columns cannot
/// answer (run SQL); else Ok, or an Error (invalid filter: compileFilter's; "cancelled"). Any
/// thread (takes the ColumnScanLock itself).
std::optional<Status> matchingIds(const Store& store, const QString& filterExpression, const std::atomic<bool>* cancel,
                                  std::vector<qint64>& ids);

/// Switches the column paths off (every caller then runs SQL) or back on, process-wide: how the
/// equivalence tests and bench_aggregate get the SQL reference on the same store. Any thread.
void setColumnScansEnabled(bool on);
bool columnScansEnabled();

/// Sets of at least this many rows are scanned by the views (edges, series, drops) on two threads.
inline constexpr size_t kColumnScanSplitRows = 32768;
/// Where the views' column scans split a set of `words` 64-row words between their two threads: the
/// first thread takes words [0, result), the second [result, words); `words` = one thread. Process-wide
/// setting (setColumnScanSplit). Any thread.
size_t columnScanSplitWord(size_t words);
/// Test hook: split sets of at least `minRows` rows, at word `splitWord` (clamped to the set; 0 = the
/// middle). Defaults restore the normal split. How the equivalence tests put the thread boundary at
/// awkward places of small stores. Any thread.
void setColumnScanSplit(size_t minRows = kColumnScanSplitRows, size_t splitWord = 0);

/// Number of records matching `filterExpression` (the table's count): from the columns when they
/// apply, else `SELECT count(*) FROM flows WHERE ...`. `usedColumns`, if set, tells which ran.
/// Any thread; cancel -> Error "cancelled".
Result<qint64> countMatching(const Store& store, const QString& filterExpression, const std::atomic<bool>* cancel = nullptr,
                             bool* usedColumns = nullptr);

} // namespace core
