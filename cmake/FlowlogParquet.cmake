# Optional Parquet support for flowlog_core (core/ingest/parquet.*): on when DuckDB's C library
# is found (cmake/FindDuckDB.cmake; .ci/install-duckdb installs it), else Parquet files get a
# clear "not supported in this build" refusal. -DFLOWLOG_PARQUET=OFF turns it off on purpose.
option(FLOWLOG_PARQUET "Read Parquet flow logs with DuckDB's C library when it is installed" ON)
if(FLOWLOG_PARQUET)
  list(APPEND CMAKE_MODULE_PATH ${CMAKE_SOURCE_DIR}/cmake)
  find_package(DuckDB QUIET)
endif()
if(FLOWLOG_PARQUET AND DuckDB_FOUND)
  message(STATUS "Parquet: on (DuckDB ${DuckDB_VERSION} at ${DuckDB_LIBRARY})")
  # PRIVATE: only core/ingest/parquet*.cpp see duckdb.h; the static library still passes the link on.
  # CMake puts the library's folder in the build tree's RPATH, so binaries find libduckdb.so.
  target_link_libraries(flowlog_core PRIVATE DuckDB::DuckDB)
  target_compile_definitions(flowlog_core PRIVATE FLOWLOG_PARQUET FLOWLOG_DUCKDB_VERSION="${DuckDB_VERSION}")
elseif(FLOWLOG_PARQUET)
  message(STATUS "Parquet: off (DuckDB's C library not found: run .ci/install-duckdb); Parquet files are refused")
else()
  message(STATUS "Parquet: off (FLOWLOG_PARQUET=OFF); Parquet files are refused")
endif()
