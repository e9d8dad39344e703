#pragma once
// Internals of session files (not a public API): the tables a session file adds to the
// store's own, the exact schema a valid file has, and the hardening of connections that read
// untrusted files.
#include "core/model/result.h"

#include <QString>
#include <optional>
#include <vector>

struct sqlite3;

namespace core {

/// One row of sqlite_master.
struct SchemaObject {
    QString type;
    QString name;
    QString table;
    QString sql;
    bool operator<(const SchemaObject& o) const { return name < o.name || (name == o.name && type < o.type); }
    bool operator==(const SchemaObject& o) const { return type == o.type && name == o.name && table == o.table && sql == o.sql; }
};

/// The CREATE statements of the session's own tables (fl_*) in format `version`.
QString sessionTablesDdl(int version);

/// The schema a session file of format `version` with `extras` extra columns has: what
/// Store::create() makes (views left out) with `extras` e_N columns added, plus the fl_*
/// tables; from format 4 on without flow_data (the records are in fl_blobs, `extras` unused).
/// Built on a scratch in-memory store, so it follows the store's schema exactly.
Result<std::vector<SchemaObject>> expectedSessionSchema(int extras, int version);

/// sqlite_master of `db`'s main database, sorted by name. Error when it cannot be read.
Result<std::vector<SchemaObject>> readSchema(sqlite3* db);

/// Number of extra columns (e_0 .. e_{n-1}) in flow_data's CREATE statement of `schema`
/// (-1 when there is no flow_data table or the count is implausible).
int extraColumnsIn(const std::vector<SchemaObject>& schema);

/// A sentence for the first difference between `actual` and `expected`, or nullopt.
std::optional<QString> schemaDifference(const std::vector<SchemaObject>& actual, const std::vector<SchemaObject>& expected);

/// Hardens a connection that reads an untrusted file: cell size checks, defensive mode,
/// untrusted schema, no triggers, views or extensions, and an authorizer that allows reading only.
void hardenReadConnection(sqlite3* db);

} // namespace core
