# Finds DuckDB's C library (libduckdb.so + duckdb.h), the optional Parquet reader.
# .ci/install-duckdb puts a pinned version in /opt/flowlog-duckdb/<version>/{lib,include}
# with a VERSION file; -DDuckDB_ROOT=<prefix> or the usual CMAKE_PREFIX_PATH also work.
# Defines: DuckDB_FOUND, DuckDB_VERSION ("v1.4.4", empty if unknown), imported target DuckDB::DuckDB.
file(GLOB _flowlog_duckdb_prefixes LIST_DIRECTORIES true /opt/flowlog-duckdb/*)
list(SORT _flowlog_duckdb_prefixes COMPARE NATURAL ORDER DESCENDING)
find_path(DuckDB_INCLUDE_DIR duckdb.h HINTS ${DuckDB_ROOT} ${_flowlog_duckdb_prefixes} PATH_SUFFIXES include)
find_library(DuckDB_LIBRARY duckdb HINTS ${DuckDB_ROOT} ${_flowlog_duckdb_prefixes} PATH_SUFFIXES lib)
set(DuckDB_VERSION "")
if(DuckDB_INCLUDE_DIR AND EXISTS "${DuckDB_INCLUDE_DIR}/../VERSION")
  file(STRINGS "${DuckDB_INCLUDE_DIR}/../VERSION" DuckDB_VERSION LIMIT_COUNT 1)
endif()
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(DuckDB REQUIRED_VARS DuckDB_LIBRARY DuckDB_INCLUDE_DIR)
if(DuckDB_FOUND AND NOT TARGET DuckDB::DuckDB)
  add_library(DuckDB::DuckDB SHARED IMPORTED GLOBAL) # seen by tests/ and app/ too
  set_target_properties(DuckDB::DuckDB PROPERTIES
    IMPORTED_LOCATION "${DuckDB_LIBRARY}"
    IMPORTED_NO_SONAME FALSE
    INTERFACE_INCLUDE_DIRECTORIES "${DuckDB_INCLUDE_DIR}")
endif()
mark_as_advanced(DuckDB_INCLUDE_DIR DuckDB_LIBRARY)
