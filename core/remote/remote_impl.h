#pragma once
// Internal to core/remote: literal quoting and the filter's time bounds, shared by the Trino
// and the Logs Insights generators. Not a public API; use core/remote/remote.h.
#include "core/model/result.h"
#include "core/names/names.h"
#include "core/query/filter_parse.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace core::remote {

/// A Trino string literal for any text: quotes doubled; control characters as chr(N) joined
/// with ||, so the pasted SQL stays one readable line per literal.
QString trinoString(const QString& text);

/// Bounds on `start` (Unix seconds) implied by the top-level `and` terms of a filter:
/// lower <= start < upperExclusive. Either may be unknown.
struct TimeBounds {
    std::optional<qint64> lower;
    std::optional<qint64> upperExclusive;
};
TimeBounds timeBounds(const filterlang::Node& root);

/// "2026-11-29 10:00:00 UTC".
QString utcText(qint64 seconds);

/// True when `name` is a safe SQL identifier (letters, digits, '_', optionally `db.table`).
bool isSafeTableName(const QString& name);

/// The Trino expression for a parsed filter over a table with `fields`; `resolved` (may be null)
/// receives the names that were replaced by ids ("\"VPC A\" = tgw-attach-...").
Result<QString> trinoWhere(const filterlang::Node& root, const QStringList& fields, const NameDirectory* names,
                           QStringList* resolved);

/// A result file read into cells (remote_table.cpp): CSV (Athena's quoted output, the CSV
/// `flowlog-cli` writes, Logs Insights' CSV export) or Logs Insights' JSON export.
struct Table {
    QStringList columns;           ///< lower-case
    std::vector<QStringList> rows; ///< cells by column
    std::vector<qint64> lines;     ///< source line of each row
};

/// Error at `path`:`line` (0 = the file as a whole).
Error resultError(const QString& path, qint64 line, const QString& message);
/// `data` (read from `path`, named in errors) as a Table: JSON when it starts with '[' or '{',
/// else RFC 4180 CSV. Column names lower-case.
Result<Table> parseResultTable(const QByteArray& data, const QString& path);

} // namespace core::remote
