#pragma once
// The filter language (shared by GUI and CLI): parse to an AST, then compile to an SQL
// WHERE clause over `flows` with bound parameters (values are never pasted into SQL).
#include "core/model/result.h"

#include <QString>
#include <QStringList>
#include <QVariant>
#include <optional>

struct sqlite3;

namespace core {

/// A compiled filter: `where` is an SQL boolean expression using only column names from the
/// flows schema and ?-placeholders numbered from `firstParam`; `params` are their values.
struct FilterSql {
    QString where = QStringLiteral("1");
    QVariantList params;
    bool isEmpty() const { return params.isEmpty() && where == QLatin1String("1"); }
};

/// Compiles `expression` (empty/whitespace = match all). On error, Error::column is the
/// 1-based character position and Error::message says what is wrong, suggesting the closest
/// field name for unknown names ("unknown field 'scraddr'; did you mean 'srcaddr'?").
/// On id fields (isNameableColumn(); aliases attachment, vpc, subnet, eni) `==`, `!=` and `in`
/// also match by Name tag: `vpc-id == prod` compiles to
/// `"vpc_id" IN (SELECT ?1 UNION ALL SELECT names.id FROM names WHERE names.name = ?1)`.
/// The SQL reads the `names` table every Store has (empty until storeNames()), so it is valid
/// with or without names. Names compare exactly (case-sensitive), like ids; a value that is an
/// id and also some other object's name matches both, except that a value shaped like an AWS
/// id (lower-case prefix, '-', 8 or 17 lower-case hex digits: vpc-0aaa1111,
/// tgw-attach-0a1b2c3d4e5f60001) is compared with ids only (plain `col = ?1`), so a Name tag
/// that copies another resource's id cannot pull that resource's records into a filter.
/// `tableAlias`, if set, qualifies every column ("t" -> t."srcaddr").
/// Parameters are written as ?NNN starting at `firstParam` so filters can be combined.
/// Any thread.
Result<FilterSql> compileFilter(const QString& expression, const QString& tableAlias = {}, int firstParam = 1);

/// True for the `flows` columns holding AWS resource ids that can carry a Name tag:
/// interface_id, vpc_id, subnet_id, instance_id, tgw_id, tgw_attachment_id,
/// tgw_pair_attachment_id, tgw_src/dst_vpc_id, tgw_src/dst_subnet_id, tgw_src/dst_eni,
/// resource_id. Filters accept names for them; CSV export can add `<column>_name`. Any thread.
bool isNameableColumn(const QString& column);

/// Validation only (for live feedback): nullopt when valid.
std::optional<Error> validateFilter(const QString& expression);

/// Field names, aliases and keywords for completion (hyphen names, underscore names, aliases).
QStringList filterCompletions();

/// Quotes a value for use in a filter expression ("a b" -> "\"a b\"", 10.0.0.1 stays).
QString quoteFilterValue(const QString& value);

/// Builds `field == value` (or `!=` when exclude) as filter text; used by "Filter on this value".
QString filterTerm(const QString& field, const QString& value, bool exclude = false);

/// Combines two filter texts with `and`/`or`, parenthesising as needed; empty sides vanish.
QString combineFilters(const QString& a, const QString& b, bool useOr = false);

/// The candidate closest to `word` by edit distance (case-insensitive), or "" when nothing is
/// reasonably close (distance above max(2, length/3)). Used for "did you mean" messages.
QString closestName(const QString& word, const QStringList& candidates);

/// Registers the SQL functions compiled filters rely on (e.g. CIDR matching) on a connection.
/// Called by Store::create().
void registerSqlFunctions(sqlite3* db);

/// Parses a time literal: Unix seconds, ISO-8601 ("2026-11-29T10:00:00Z") or
/// "YYYY-MM-DD HH:MM[:SS]" (UTC). Returns Unix seconds.
std::optional<qint64> parseTimeLiteral(const QString& text);

} // namespace core
