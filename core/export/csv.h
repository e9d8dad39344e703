#pragma once
// RFC 4180 CSV writing, spreadsheet-formula guarding, and exporting a filtered, sorted view
// of `flows` atomically (QSaveFile: never a half file). Shared by GUI and CLI so both produce
// identical bytes.
#include "core/model/result.h"
#include "core/store/store.h"

#include <QIODevice>
#include <QString>
#include <QStringList>
#include <atomic>
#include <functional>
#include <optional>
#include <vector>

namespace core {

struct CsvOptions {
    /// Prefix values starting with = + - @ (or tab/CR) with a single quote so spreadsheets
    /// do not run them as formulas. Numbers (e.g. "-5") are left alone.
    /// Exactly: a value is guarded when its first character is one of = + - @ TAB CR, unless the
    /// whole value is a plain number (optional '-', digits, optional fraction and exponent:
    /// "-5", "-0.25", "-1.5e+20") or is the single character "-" (the "no value" mark AWS uses).
    /// "+1" IS guarded ("'+1"): a leading '+' is not how any of our numbers are written.
    bool guardFormulas = true;
};

/// Appends one field (UTF-8 bytes) to `out`, guarded and quoted as csvField() does. Pure.
void appendCsvField(QByteArray& out, const char* data, qsizetype size, const CsvOptions& options = {});

/// One field, quoted when needed (comma, quote, CR/LF, leading/trailing space).
QByteArray csvField(const QString& value, const CsvOptions& options = {});
/// One record: fields joined by ',' and terminated by "\r\n".
QByteArray csvRecord(const QStringList& fields, const CsvOptions& options = {});

struct SortKey {
    QString column; ///< a flows column name
    bool descending = false;
};

/// Builds `SELECT <columns> FROM flows WHERE <filter> ORDER BY <sort>, id LIMIT/OFFSET-free`.
/// Columns and sort columns are checked against store.columns(); the order is stable (ties by id).
/// Returns the SQL and its parameters (values are always bound, never pasted).
struct SelectSql {
    QString sql;
    QVariantList params;
};
Result<SelectSql> buildSelect(const Store& store, const QStringList& columns, const QString& filterExpression,
                              const std::vector<SortKey>& sort);

/// Parses "col" / "col:desc" / "col:asc" (hyphen or underscore names).
Result<SortKey> parseSortKey(const QString& text);

/// Writes the header (the statement's column names) and every row of `statement` as CSV.
/// Integers as digits, reals as SQLite prints them, text as UTF-8, BLOBs as hex, NULL empty.
/// progress(rowsWritten, rowsTotal) at ~10 Hz (rowsTotal may be -1 when unknown). Stops with
/// Cancelled when *cancel becomes true or the statement is interrupted (sqlite3_interrupt).
/// A short write (disk full) or a failed flush of a QFileDevice is Failed with the path.
Outcome writeCsvRows(Statement& statement, QIODevice& out, const CsvOptions& options = {},
                     const std::function<void(qint64, qint64)>& progress = {}, qint64 rowsTotal = -1,
                     const std::atomic<bool>* cancel = nullptr, Error* error = nullptr);

struct ExportRequest {
    QStringList columns; ///< empty = all columns of flows except id/twin_id
    QString filter;      ///< filter expression
    std::vector<SortKey> sort;
    CsvOptions csv;
    /// Adds a column `<column>_name` after each exported id column (isNameableColumn()): the
    /// id's Name tag from table `names` (see storeNames()), empty when unknown. The ids stay as
    /// they are; names are quoted and formula-guarded like every other text value.
    bool withNames = false;
};

/// Writes header + rows to `out`. Values are raw (numbers as digits, times as Unix seconds,
/// NULL as empty). progress(rowsWritten, rowsTotal) at ~10 Hz. Returns Ok, Cancelled or Failed
/// (with *error set).
Outcome exportCsv(const Store& store, const ExportRequest& request, QIODevice& out,
                  const std::function<void(qint64, qint64)>& progress = {}, const std::atomic<bool>* cancel = nullptr,
                  Error* error = nullptr);

/// Refuses export targets that exist and are not regular files (folders, device nodes,
/// FIFOs): an atomic rename would replace them. nullopt when `path` may be written. Any thread.
std::optional<Error> checkExportTarget(const QString& path);

/// Same, to a file written atomically (QSaveFile): on cancel/failure the target is untouched.
Outcome exportCsvFile(const Store& store, const ExportRequest& request, const QString& path,
                      const std::function<void(qint64, qint64)>& progress = {}, const std::atomic<bool>* cancel = nullptr,
                      Error* error = nullptr);

} // namespace core
