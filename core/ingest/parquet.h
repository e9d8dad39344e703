#pragma once
// Reading Parquet flow logs (S3 delivery with FileFormat=parquet) into records. DuckDB's C
// library is used only as the Parquet decoder: its rows are handed, chunk by chunk, to the same
// parser (parseTokens) and sink as text logs, so validation and accounting are identical.
// Optional at build time (FLOWLOG_PARQUET, see cmake/FlowlogParquet.cmake): without it every
// Parquet file is one clear, file-named refusal.
#include "core/ingest/ingest.h"

#include <QString>
#include <string_view>

namespace core {

/// True if `head` (the first bytes of a file) starts with Parquet's magic "PAR1". Pure.
bool isParquetMagic(std::string_view head);

/// Whether this build was made with DuckDB (FLOWLOG_PARQUET). Pure.
bool parquetBuiltIn();

/// Whether this build can read Parquet: built with DuckDB and the loaded libduckdb.so is the
/// version whose duckdb.h it was compiled against. Any thread; the first call loads DuckDB.
bool parquetSupported();

/// "DuckDB v1.4.4" when supported, else the sentence saying why not (for `--version`, the
/// README and refusals). Any thread.
QString parquetSupportText();

/// Row `row` (1-based, as in FlowRecord::line) of the Parquet file at `path` as one line of
/// `column=value` pairs (NULL as '-'), for showing a record's raw source. Error (path, row,
/// reason) if the file or row cannot be read or Parquet is not supported. Any thread.
Result<QString> parquetRowText(const QString& path, qint64 row);

/// Reads the Parquet file at `path` into `sink`, one record or one rejection per row (row
/// numbers are 1-based and stand in for line numbers). Columns map to fields by name (hyphen
/// or underscore); unknown columns become extra text columns; nulls and empty strings are
/// missing values; every integer field accepts any integer column type (INT32, INT64, ...).
/// A file that is truncated, corrupt, has no rows, nested columns, a non-integer type in an
/// integer field or an unknown codec gives FileOutcome::fatal naming the path (records read
/// before damage found mid-file are kept). Memory stays bounded: rows are streamed in chunks
/// of 2048, row group by row group. Progress (bytes, by the share of rows read) and
/// ReadOptions::cancel are honoured after each chunk. ReadOptions::format is ignored (a
/// Parquet file names its columns). Never throws; any thread, one call per file.
FileOutcome readParquetFile(const QString& path, const ReadOptions& options, RecordSink& sink);

} // namespace core
