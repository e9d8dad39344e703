// Writes the Parquet fixtures and their text twins with DuckDB (an independent writer: our
// reader only uses DuckDB to decode). Run through regenerate.sh, which installs the pinned
// @duckdb/node-api. Usage: node generate.mjs <output folder>
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const out = path.resolve(process.argv[2] ?? '.');
const here = path.dirname(fileURLToPath(import.meta.url));
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const run = (sql) => con.run(sql);
await run('SET threads=1'); // deterministic output; row groups of 2048 rows
const file = (name) => `'${path.join(out, name).replaceAll("'", "''")}'`;

for (const statement of readFileSync(path.join(here, 'generate.sql'), 'utf8').split(/;\s*\n/)) {
  const sql = statement.split('\n').filter((l) => !l.startsWith('--')).join('\n').trim();
  if (sql) await run(sql);
}

// S3 text: hyphen header names (extra x_ columns as written), '-' for NULL, one space apart.
async function writeLog(table, name, codec = 'none') {
  const cols = (await (await con.runAndReadAll(`DESCRIBE ${table}`)).getRowObjects()).map((r) => r.column_name);
  const select = cols.map((c) => `"${c}" AS "${c.startsWith('x_') ? c : c.replaceAll('_', '-')}"`).join(', ');
  await run(`COPY (SELECT ${select} FROM ${table}) TO ${file(name)} (FORMAT csv, DELIMITER ' ', HEADER true, NULLSTR '-', QUOTE '', COMPRESSION ${codec})`);
}
async function writeParquet(table, name, codec, rowGroupRows) {
  await run(`COPY (SELECT * FROM ${table}) TO ${file(name)} (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE ${rowGroupRows})`);
}

await writeLog('tgw', 'tgw.log.gz', 'gzip');
await writeParquet('tgw', 'tgw_gzip.parquet', 'gzip', 2048);
await writeLog('vpc', 'vpc.log');
await writeParquet('vpc', 'vpc_int32_gzip.parquet', 'gzip', 2048);
await writeParquet('vpc', 'vpc_int32_snappy.parquet', 'snappy', 2048);
await writeParquet('vpc_int64', 'vpc_int64_zstd.parquet', 'zstd', 2048);
await writeLog('bad_rows', 'bad_rows.log');
await writeParquet('bad_rows', 'bad_rows.parquet', 'gzip', 2048);

// Files that are refused as a whole.
await run(`COPY (SELECT * FROM vpc LIMIT 0) TO ${file('zero_rows.parquet')} (FORMAT parquet, COMPRESSION gzip)`);
await run(`COPY (SELECT version, srcaddr, {'port': srcport, 'proto': protocol} AS flow FROM vpc LIMIT 5) TO ${file('nested.parquet')} (FORMAT parquet)`);
await run(`COPY (SELECT version, srcaddr, bytes::DOUBLE AS bytes FROM vpc LIMIT 5) TO ${file('double_bytes.parquet')} (FORMAT parquet)`);

// What the fixtures hold, for the record (row groups, codecs, encodings).
const meta = await con.runAndReadAll(`
  SELECT regexp_extract(file_name, '[^/]+$') AS file, count(DISTINCT row_group_id) AS row_groups,
         string_agg(DISTINCT compression, ',') AS codecs, bool_or(encodings LIKE '%DICTIONARY%') AS dictionary
  FROM parquet_metadata(${file('*.parquet')}) GROUP BY ALL ORDER BY file`);
for (const r of meta.getRowObjects()) console.log(`${r.file}: ${r.row_groups} row groups, ${r.codecs}, dictionary ${r.dictionary}`);
