#pragma once
// RFC 4180 CSV writing, spreadsheet-formula guarding, and exporting a filtered, sorted view
// of `flows` atomically (QSaveFile: never a half file). Shared by GUI and CLI so both produce
// identical bytes.
#include "core/result.h"
#include "core/store.h"

#include <QIODevice>
#include <QString>
#include <QStringList>
#include <atomic>
#include <functional>
#include <vector>

namespace core {

struct CsvOptions {
    /// Prefix values starting with = + - @ (or tab/CR) with a single quote so spreadsheets
    /// do not run them as formulas. Numbers (e.g. "-5") are left alone.
    bool guardFormulas = true;
};

/// One field, quoted when needed (comma, quote, CR/LF, leading/trailing space).
QByteArray csvField(const QString& value, const CsvOptions& options = {});
/// One record: fields joined by ',' and terminated by "\r\n".
QByteArray csvRecord(const QStringList& fields, const CsvOptions& options = {});

struct SortKey {
    QString column;         ///< a flows column name
    bool descending = false;
};

/// Builds `SELECT <columns> FROM flows WHERE <filter> ORDER BY <sort>, id LIMIT/OFFSET-free`.
/// Columns and sort columns are checked against store.columns(); the order is stable (ties by id).
/// Returns the SQL and its parameters.
struct SelectSql {
    QString sql;
    QVariantList params;
};
Result<SelectSql> buildSelect(const Store& store, const QStringList& columns,
                              const QString& filterExpression, const std::vector<SortKey>& sort);

/// Parses "col" / "col:desc" / "col:asc" (hyphen or underscore names).
Result<SortKey> parseSortKey(const QString& text);

struct ExportRequest {
    QStringList columns;            ///< empty = all columns of flows except id/twin_id
    QString filter;                 ///< filter expression
    std::vector<SortKey> sort;
    CsvOptions csv;
};

/// Writes header + rows to `out`. Values are raw (numbers as digits, times as Unix seconds,
/// NULL as empty). progress(rowsWritten, rowsTotal) at ~10 Hz. Returns Ok, Cancelled or Failed
/// (with *error set).
Outcome exportCsv(const Store& store, const ExportRequest& request, QIODevice& out,
                  const std::function<void(qint64, qint64)>& progress = {},
                  const std::atomic<bool>* cancel = nullptr, Error* error = nullptr);

/// Same, to a file written atomically (QSaveFile): on cancel/failure the target is untouched.
Outcome exportCsvFile(const Store& store, const ExportRequest& request, const QString& path,
                      const std::function<void(qint64, qint64)>& progress = {},
                      const std::atomic<bool>* cancel = nullptr, Error* error = nullptr);

} // namespace core
