#!/usr/bin/env bash
# Regenerates the Parquet fixtures of tests/core/tst_parquet.cpp with DuckDB as the writer:
# the tables in generate.sql are written as text logs (*.log) and as Parquet with AWS's column
# types, several row groups, GZIP/Snappy/ZSTD; then the damaged copies are cut from a good one.
# Needs node + npm; installs the pinned @duckdb/node-api (same DuckDB as .ci/install-duckdb)
# into a temporary folder. Commit the results (they are small).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm install --silent --no-audit --no-fund @duckdb/node-api@1.4.4-r.4 >/dev/null)
cp "$here/generate.mjs" "$here/generate.sql" "$work/"
rm -f "$here"/*.parquet "$here"/*.log "$here"/*.log.gz
(cd "$work" && node generate.mjs "$here")

# A download cut off half-way: the footer (and its closing PAR1) is missing.
size=$(stat -c %s "$here/vpc_int32_gzip.parquet")
head -c $((size / 2)) "$here/vpc_int32_gzip.parquet" >"$here/truncated.parquet"
# Garbage over the first data pages, footer intact: decoding fails inside the file.
cp "$here/vpc_int32_gzip.parquet" "$here/corrupt.parquet"
printf '%*s' 400 '' | tr ' ' '\125' | dd of="$here/corrupt.parquet" bs=1 seek=4 conv=notrunc status=none
