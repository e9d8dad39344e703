#pragma once
// Internal to core/remote: literal quoting and the filter's time bounds, shared by the Trino
// and the Logs Insights generators. Not a public API; use core/remote/remote.h.
#include "core/model/result.h"
#include "core/names/names.h"
#include "core/query/filter_parse.h"

#include <QString>
#include <optional>

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

} // namespace core::remote
