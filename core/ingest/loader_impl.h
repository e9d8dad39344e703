#pragma once
// Internals of the loader (not a public API): what loader.cpp hands to the load pipeline
// (loader_pipeline.cpp), i.e. the list of inputs and runLoad.
#include "core/ingest/loader.h"

#include <functional>
#include <vector>

namespace core {

/// One input: a display path, its size, and how to read it.
struct LoadSource {
    QString path;
    qint64 size = 0;
    std::function<FileOutcome(const ReadOptions&, RecordSink&)> read;
    /// A describe-flow-logs LogFormat chosen for this file (see applyFlowLogFormats): the
    /// FileReport's formatSource when the reader used it, and formatNote otherwise.
    QString formatSource;
    QString formatNote; ///< why a matching LogFormat was not used (always reported)
    QString formatTag;  ///< appended to the detected format when used: "LogFormat of fl-…"
};

/// Reads `sources` on a parse thread and appends their records to `store` on the calling thread
/// in one transaction; `expandErrors` (paths that could not be listed or read as names files) go
/// into the report's errors. Progress and cancellation as in `options`.
LoadReport runLoad(Store& store, std::vector<LoadSource> sources, const QStringList& expandErrors, const LoadOptions& options);

/// Sources named *.parquet (two or more) are read together through one ParquetFiles
/// (parquet.h: a few DuckDB queries for a folder instead of three per file): their `read`
/// is replaced. Same records, rejections and reports as reading each alone (parquet_group.cpp).
void readParquetTogether(std::vector<LoadSource>& sources);

} // namespace core
