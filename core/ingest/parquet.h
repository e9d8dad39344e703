#pragma once
// Reading Parquet flow logs (S3 delivery with FileFormat=parquet) into records. DuckDB's C
// library is used only as the Parquet decoder: its rows are handed, chunk by chunk, to the same
// parser (parseTokens) and sink as text logs, so validation and accounting are identical.
// Optional at build time (FLOWLOG_PARQUET, see cmake/FlowlogParquet.cmake): without it every
// Parquet file is one clear, file-named refusal.
#include "core/ingest/ingest.h"

#include <QString>
#include <QStringList>

#include <memory>
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

/// Reads many Parquet files (a folder of S3's 5-minute files) with a few DuckDB queries instead
/// of three per file: one footer query and one schema query per window of up to 128 files, one
/// read query per run of consecutive files with the same columns (a query costs DuckDB about
/// 1-3 ms of planning whatever the file's size). read(i) gives exactly what
/// readFile(paths[i], ...) gives: the same records with the same row numbers, rejections and
/// FileOutcome, in the same order. Files that are not Parquet, or that one of the shared
/// queries cannot take (damaged, truncated, no rows, unsupported columns), are read on their
/// own by readFile(), so a bad file is still its own clear refusal; a shared read query that
/// fails part-way leaves the file it was in to be finished as readParquetFile() would after
/// such a failure, and the files after it to a new query. Holds up to 128 files open; memory
/// stays bounded (DuckDB streams, one chunk of 2048 rows at a time). Files must be read in
/// order (index 0, 1, ...; a file may be left out); any other order reads on its own. One
/// thread at a time; without DuckDB every read() is readFile().
class ParquetFiles {
public:
    explicit ParquetFiles(QStringList paths);
    ~ParquetFiles();
    ParquetFiles(const ParquetFiles&) = delete;
    ParquetFiles& operator=(const ParquetFiles&) = delete;

    /// Reads paths[index] into `sink` (see readFile()). Never throws.
    FileOutcome read(qsizetype index, const ReadOptions& options, RecordSink& sink);
    /// How many files read() took through the shared queries (the others were read alone).
    qsizetype sharedReads() const;

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace core
