#pragma once
// Test helper for the Parquet tests: DuckDB as the independent Parquet writer (only with
// FLOWLOG_TEST_DUCKDB, where the tests link libduckdb).
#include <QString>
#include <duckdb.h>
#include <vector>

namespace duckdbtest {

/// Runs `sql` in a fresh in-memory DuckDB. Empty on success, else DuckDB's error; `firstRow` (if
/// given) gets the last statement's first row as integers.
inline QString runDuckDb(const QString& sql, std::vector<qint64>* firstRow = nullptr)
{
    duckdb_database db = nullptr;
    duckdb_connection con = nullptr;
    if (duckdb_open(nullptr, &db) != DuckDBSuccess) return QStringLiteral("cannot open DuckDB");
    if (duckdb_connect(db, &con) != DuckDBSuccess) {
        duckdb_close(&db);
        return QStringLiteral("cannot connect to DuckDB");
    }
    duckdb_result r;
    const bool ok = duckdb_query(con, sql.toUtf8().constData(), &r) == DuckDBSuccess;
    const QString error = ok ? QString() : QString::fromUtf8(duckdb_result_error(&r));
    if (ok && firstRow)
        for (idx_t c = 0; c < duckdb_column_count(&r); ++c) firstRow->push_back(duckdb_value_int64(&r, c, 0));
    duckdb_destroy_result(&r);
    duckdb_disconnect(&con);
    duckdb_close(&db);
    return error;
}

} // namespace duckdbtest
