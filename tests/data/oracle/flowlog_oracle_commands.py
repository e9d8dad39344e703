#!/usr/bin/env python3
"""Independent oracle for flowlog-cli export, query, flow, diff and athena-sql.

Uses the generator of flowlog_oracle.py (the same folder; standard library only) plus its own
files, computes what the README says each command prints, runs the CLI and compares:

- export: every row and column of the records, byte for byte (RFC 4180 quoting, the formula
  guard, empty cells for `-`, load order), parsed back with Python's csv module; the default
  columns; the rows (ids) of every filter; --sort; --no-formula-guard.
- query: a set of aggregate / group-by / where queries run on the oracle's own records in
  Python's sqlite3 (a `flows` table with the README's column names); writes, ATTACH, state
  changing PRAGMAs, load_extension and several statements must be refused (exit 2) and leave
  no file behind.
- flow: the path (entry, exit, ingress and egress records, drops, end at the TGW) and the reply
  (addresses and ports swapped, same protocol and TGW, within 60 s; entering where the flow
  left preferred, then nearest in time) of every record of a file made for it.
- diff: the edge table of two folders (status, counts, deltas, change_pct, order), CSV and JSON.
- athena-sql: the Trino SQL of every filter, translated to SQLite by sqlglot (python3-sqlglot),
  run over the oracle's records, must select the records the local filter selects.

    /usr/bin/python3 tests/data/oracle/flowlog_oracle_commands.py --cli build/ci/app/flowlog-cli --seed 7 [--scale 0.1]

Exit 0 when everything matches; otherwise each mismatch is printed (MISMATCH ...) and the exit
code is 1.
"""
import argparse
import csv
import io
import ipaddress
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import flowlog_oracle as fo  # noqa: E402

TGW_ONLY = [f for f in fo.TGW_DEFAULT if f not in fo.VPC_V2 + fo.VPC_MORE]
# The README's `flows` columns, in its order (v2, v3-v5, the TGW fields, ecs, v8 and later).
FIELDS = (fo.VPC_V2 + fo.VPC_MORE[:fo.VPC_MORE.index("traffic-path") + 1] + ["resource-type", "tgw-id", "tgw-attachment-id"]
          + [f for f in TGW_ONLY if f not in ("resource-type", "tgw-id", "tgw-attachment-id")]
          + fo.VPC_MORE[fo.VPC_MORE.index("traffic-path") + 1:])
COLS = [f.replace("-", "_") for f in FIELDS]
PLAIN_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$")
# Text values a spreadsheet could run or a CSV reader could split (no blanks: the logs split on them).
TRICKY = ["=1+1", "@SUM(A1)", "-cmd", "+1", "-5", "-0.25", "-1.5e+20", "=HYPERLINK(\"http://x\",\"y\")", "a,b",
          "say\"hi\"", "\"", "'q'", "-1+2", "--5", "x=1", "caf\u00e9", "@", "=", "+", "-12", "a\"b,c\""]


# ---------------------------------------------------------------- CSV as the README promises it


def cell(v, guard=True):
    if v is None:
        return ""
    if isinstance(v, int):
        return str(v)
    s = guarded(v) if guard else v
    if any(c in s for c in ",\"\r\n") or s.startswith(" ") or s.endswith(" "):
        s = '"' + s.replace('"', '""') + '"'
    return s


def guarded(s):
    return "'" + s if s and s[0] in "=+-@\t\r" and s != "-" and not PLAIN_NUMBER.match(s) else s


def query_cell_ok(got, want, guard):
    """One parsed cell of query's CSV against sqlite3's value (floats to 1e-12, text guarded)."""
    if want is None:
        return got == ""
    if isinstance(want, float):
        return got != "" and abs(float(got) - want) <= 1e-12 * max(1.0, abs(want))
    if isinstance(want, int):
        return got == str(want)
    return got == (guarded(want) if guard else want)


def cell_text(v):
    """A value as query's CSV shows it once parsed: guarded text, digits, empty for NULL."""
    return "" if v is None else guarded(v) if isinstance(v, str) else str(v)


def csv_line(values, guard=True):
    return ",".join(cell(v, guard) for v in values) + "\r\n"


# ---------------------------------------------------------------- running the CLI


class Ck(fo.Checker):
    def raw(self, args, stdin=None):
        p = subprocess.run([self.cli] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, input=stdin)
        return p.returncode, p.stdout, p.stderr.decode(errors="replace")

    def text(self, args):
        code, out, err = self.raw(args)
        if code != 0:
            self.fail("%s: exit %d: %s" % (" ".join(args[:4]), code, err[:300]))
        return out.decode("utf-8", errors="replace")

    def same_text(self, what, got, want):
        """Byte comparison; on a difference, the first differing CRLF line of each."""
        self.checked += 1
        if got == want:
            return
        g, w = got.split("\r\n"), want.split("\r\n")
        for i in range(max(len(g), len(w))):
            a = g[i] if i < len(g) else "<none>"
            b = w[i] if i < len(w) else "<none>"
            if a != b:
                self.fail("%s: line %d: flowlog-cli %r, oracle %r (%d vs %d lines)" % (what, i + 1, a[:400], b[:400], len(g), len(w)))
                return


# ---------------------------------------------------------------- extra files


def write_tricky(out, g):
    """A VPC custom log whose text fields hold formula-like, quoted and comma values."""
    r = g.r
    text_fields = ["ecs-cluster-name", "ecs-service-name", "instance-id", "sublocation-id", "resource-id", "vpc-id",
                   "pkt-src-aws-service"]
    fields = fo.VPC_V2 + text_fields
    recs = []
    for i in range(max(len(TRICKY), fo.scaled(200))):
        rec = g.vpc_record(fields)
        for f in text_fields:
            if r.random() < 0.6:
                rec[f] = TRICKY[(i + text_fields.index(f)) % len(TRICKY)] if r.random() < 0.7 else r.choice(TRICKY)
        recs.append(rec)
    p = os.path.join(out, "tricky_values.log")
    with open(p, "w", encoding="utf-8", newline="") as f:
        f.write(" ".join(fields) + "\n")
        f.write("".join(" ".join(x[n] for n in fields) + "\n" for x in recs))
    return p, recs


def write_tricky_athena(out, g):
    """An Athena result CSV whose text cells also hold blanks: leading, trailing, inside."""
    r = g.r
    text_fields = ["ecs-cluster-name", "ecs-service-name", "resource-id"]
    fields = fo.VPC_V2 + text_fields
    spaced = [" lead", "trail ", "a b", "x, y", "say \"hi\" now", " =1+1", "- 5", "@ x"]
    recs = []
    for i in range(max(len(spaced), fo.scaled(300))):
        rec = g.vpc_record(fields)
        for k, f in enumerate(text_fields):
            if r.random() < 0.7:
                rec[f] = spaced[(i + k) % len(spaced)] if r.random() < 0.6 else r.choice(TRICKY)
        recs.append(rec)
    p = os.path.join(out, "athena-tricky.csv")
    with open(p, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\n")
        w.writerow([n.replace("-", "_") for n in fields])
        for x in recs:
            w.writerow(["" if x[n] == "-" else x[n] for n in fields])
    return p, recs


# ---------------------------------------------------------------- export


def check_export(ck, files, paths):
    """Every row and column against the oracle's records; returns id -> typed record."""
    recs_by_file = [[fo.typed(x) for x in recs] for _, recs in files]
    text = ck.text(["export", "--columns", "id,file_id,line," + ",".join(COLS)] + paths)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    ck.eq("export header", rows[0] if rows else None, ["id", "file_id", "line"] + COLS)
    body = rows[1:]
    byid = {}
    pos = {}
    want = csv_line(["id", "file_id", "line"] + COLS)
    last = (0, 0, 0)
    for row in body:
        rid, fid, line = int(row[0]), int(row[1]), int(row[2])
        k = pos.get(fid, 0)
        pos[fid] = k + 1
        if not (rid == last[0] + 1 and (fid > last[1] or (fid == last[1] and line >= last[2]))):  # JSON: several events on one line
            ck.fail("export: id %d (file %d line %d) after id %d (file %d line %d): not load order" % (rid, fid, line, *last))
        last = (rid, fid, line)
        if fid < 1 or fid > len(recs_by_file) or k >= len(recs_by_file[fid - 1]):
            ck.fail("export: row id %d of file %d is beyond the oracle's records" % (rid, fid))
            continue
        x = recs_by_file[fid - 1][k]
        byid[rid] = dict(x, _file_id=fid)
        want += csv_line([rid, fid, line] + [x.get(f) for f in FIELDS])
    for i, recs in enumerate(recs_by_file):
        ck.eq("export: rows of %s" % os.path.basename(paths[i]), pos.get(i + 1, 0), len(recs))
    ck.same_text("export (every column)", text, want)
    files_csv = ck.text(["query", "--sql", "SELECT id, path, records, rejected FROM files ORDER BY id"] + paths)
    ck.eq("files table", [r for r in csv.reader(io.StringIO(files_csv, newline=""))][1:],
          [[str(i + 1), p, str(len(recs)), "0"] for i, (p, recs) in enumerate(files)])

    # The default columns: file_id, line, every known field in the README's order, then extra ones.
    head = ck.text(["export", "--filter", "srcport == 1 and srcport == 2"] + paths)
    ck.eq("export default header", head, csv_line(["file_id", "line"] + COLS + ["future_field"]))
    # Without the guard: values as loaded.
    text = ck.text(["export", "--no-formula-guard", "--columns", "id," + ",".join(COLS)] + paths[-1:])
    want = csv_line(["id"] + COLS, False)
    for k, x in enumerate(recs_by_file[-1]):
        want += csv_line([k + 1] + [x.get(f) for f in FIELDS], False)
    ck.same_text("export --no-formula-guard", text, want)
    return byid


def check_sample(ck, byid, paths):
    """--sample N: the same rows every time, both records of a TGW flow together; --from/--to: the
    records whose start is in [from, to)."""
    cols = ["--columns", "file_id,line," + ",".join(COLS)]
    full = ck.text(["export"] + cols + paths).split("\r\n")[1:-1]
    ids = sorted(byid)
    where = {}
    for k, row in enumerate(full):
        where.setdefault(row, []).append(ids[k])
    twin = fo.twins([byid[i] for i in ids])
    first = None
    for n in (3, 3, 7):
        rows = ck.text(["export", "--sample", str(n)] + cols + paths).split("\r\n")[1:-1]
        if first is None:
            first = rows
        elif n == 3:
            ck.eq("--sample 3: the same rows twice", rows == first, True)
        kept = set()
        for row in rows:
            kept.update(where.get(row, [-1]))
        ck.eq("--sample %d: every row is a loaded record" % n, -1 in kept, False)
        ck.eq("--sample %d: about 1 in %d records (%d of %d)" % (n, n, len(rows), len(full)),
              len(full) / n / 2 < len(rows) < len(full) / n * 2, True)
        apart = [ids[k] for k, j in twin.items() if (ids[k] in kept) != (ids[j] in kept)]
        ck.eq("--sample %d: TGW flows whose two records were split" % n, apart, [])
    w0, w1 = fo.T0 + 1800, fo.T0 + 4 * 3600 + 7
    rows = ck.text(["export", "--from", "2025-12-01 00:30", "--to", str(w1)] + cols + paths).split("\r\n")[1:-1]
    got = sorted(i for row in rows for i in where.get(row, [-1]))
    want = [i for i in ids if byid[i].get("start") is not None and w0 <= byid[i]["start"] < w1]
    ck.eq("--from/--to: the records inside", got, want)


def check_twins(ck, byid, paths):
    """twin_id: symmetric, the same flow (key) at the swapped attachments in the other direction,
    and as many pairs as the oracle forms (which of identical records pair is the loader's choice)."""
    rows = [r for r in csv.reader(io.StringIO(ck.text(["export", "--columns", "id,twin_id"] + paths)))][1:]
    tw = {int(a): int(b) for a, b in rows if b}
    key = ("srcaddr", "dstaddr", "pkt-srcaddr", "pkt-dstaddr", "srcport", "dstport", "protocol", "packets", "bytes",
           "start", "end")
    bad = []
    for i, j in sorted(tw.items()):
        x, y = byid[i], byid[j]
        if (tw.get(j) != i or [x.get(k) for k in key] != [y.get(k) for k in key]
                or {x.get("flow-direction"), y.get("flow-direction")} != {"ingress", "egress"}
                or x.get("tgw-attachment-id") != y.get("tgw-pair-attachment-id")
                or x.get("tgw-pair-attachment-id") != y.get("tgw-attachment-id")):
            bad.append((i, j))
    ck.eq("twin_id: pairs that are not the same flow at the other attachment", bad[:5], [])
    ck.eq("twin_id: records with a twin", len(tw), len(fo.twins([byid[i] for i in sorted(byid)])))


def sort_key(byid, keys):
    """Export --sort: NULLs first ascending and last descending (SQLite), ties by id."""
    def key(rid):
        out = []
        for f, desc in keys:
            v = byid[rid].get(f)
            if isinstance(v, str):
                v = v.encode()  # SQLite compares text bytewise (BINARY)
            if desc:
                out.append((0, _Neg(v)) if v is not None else (1, 0))
            else:
                out.append((0, 0) if v is None else (1, v))
        return out + [rid]
    return key


class _Neg:
    def __init__(self, v):
        self.v = v

    def __lt__(self, o):
        return self.v > o.v

    def __eq__(self, o):
        return self.v == o.v


def check_export_views(ck, g, byid, paths):
    records = [byid[i] for i in sorted(byid)]
    ids = sorted(byid)
    # Every other filter (flowlog_oracle.py counts the rows of all 47; here the rows themselves).
    for expr, pred in fo.filters(g, records)[::2]:
        got = [int(r[0]) for r in csv.reader(io.StringIO(ck.text(["export", "--filter", expr, "--columns", "id"] + paths)))
               if r and r[0] != "id"]
        want = [i for i in ids if pred(byid[i])]
        ck.eq("export ids of [%s]: %d rows" % (expr, len(want)), got, want)
    for sorts in (["bytes:desc", "start"], ["srcaddr:desc", "dstport"], ["tgw-attachment-id", "packets:desc"],
                  ["ecs_cluster_name"]):
        keys = [(s.split(":")[0].replace("_", "-"), s.endswith(":desc")) for s in sorts]
        args = ["export", "--columns", "id"] + sum((["--sort", s] for s in sorts), []) + paths
        got = [int(r[0]) for r in csv.reader(io.StringIO(ck.text(args))) if r and r[0] != "id"]
        ck.eq("export --sort %s" % " --sort ".join(sorts), got, sorted(ids, key=sort_key(byid, keys)))


# ---------------------------------------------------------------- query


def oracle_db(byid, with_day=False, table="flows"):
    db = sqlite3.connect(":memory:")
    types = ["INTEGER" if f in fo.INT_FIELDS else "TEXT" for f in FIELDS]
    extra = ', "day" TEXT, oracle_id TEXT' if with_day else ""
    db.execute('CREATE TABLE %s (id INTEGER, %s%s)' % (table, ", ".join('"%s" %s' % (c, t) for c, t in zip(COLS, types)), extra))
    rows = []
    for rid in sorted(byid):
        x = byid[rid]
        row = [rid] + [x.get(f) for f in FIELDS]
        if with_day:
            row += ["2025/12/01", str(rid)]
        rows.append(row)
    db.executemany("INSERT INTO %s VALUES (%s)" % (table, ",".join("?" * len(rows[0]))), rows)
    return db


QUERIES = [
    "SELECT count(*), sum(bytes), sum(packets), min(start), max(\"end\"), count(srcaddr), count(DISTINCT dstaddr) FROM flows",
    "SELECT dstport, sum(bytes) AS bytes FROM flows GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10",
    "SELECT protocol, action, log_status, count(*), sum(packets) FROM flows GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    "SELECT srcaddr, dstaddr, sum(bytes) AS b FROM flows WHERE srcaddr LIKE '10.%' GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 20",
    "SELECT start / 60 * 60 AS minute, count(*) FROM flows WHERE action = 'REJECT' GROUP BY 1 ORDER BY 1",
    "SELECT tgw_attachment_id, sum(packets_lost_no_route) AS no_route, sum(packets_lost_blackhole) AS blackhole, "
    "sum(packets_lost_mtu_exceeded) AS mtu, sum(packets_lost_ttl_expired) AS ttl FROM flows GROUP BY 1 "
    "HAVING no_route + blackhole + mtu + ttl > 0 ORDER BY 1",
    "SELECT type, count(*), count(DISTINCT srcaddr), avg(bytes), max(length(srcaddr)) FROM flows GROUP BY 1 ORDER BY 1",
    "SELECT account_id, region, count(*) FROM flows GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 15",
    "SELECT count(*) FROM flows WHERE \"end\" - start > 30 AND tcp_flags & 2 = 2",
    "SELECT ecs_cluster_name, ecs_service_name, instance_id, resource_id, count(*) FROM flows "
    "WHERE ecs_cluster_name IS NOT NULL OR resource_id IS NOT NULL GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC, 1, 2, 3, 4 LIMIT 40",
    "SELECT typeof(srcport), typeof(srcaddr), typeof(start), typeof(version), typeof(encryption_status), count(*) "
    "FROM flows GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5",
    "SELECT flow_direction, traffic_path, encryption_status, reject_reason, count(*) FROM flows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
    "SELECT pkt_src_aws_service, count(*) FROM flows WHERE pkt_srcaddr IS NOT srcaddr GROUP BY 1 ORDER BY 1",
    "SELECT count(*), sum(CASE WHEN tgw_id IS NULL THEN 0 ELSE 1 END), total(bytes) / 1e6 FROM flows WHERE log_status <> 'OK'",
    "SELECT vpc_id, subnet_id, az_id, count(*) FROM flows WHERE vpc_id IN (SELECT vpc_id FROM flows GROUP BY 1 "
    "ORDER BY count(*) DESC, 1 LIMIT 3) GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 2, 3 LIMIT 30",
    "SELECT id, srcaddr, bytes FROM flows WHERE id % 97 = 5 ORDER BY id",
    "SELECT max(id), min(id), count(*) FROM flows",
    # The README's examples: each TGW flow once; both records of a flow side by side; where records came from.
    "SELECT CASE flow_direction WHEN 'egress' THEN tgw_pair_attachment_id ELSE tgw_attachment_id END AS entry, "
    "CASE flow_direction WHEN 'egress' THEN tgw_attachment_id ELSE tgw_pair_attachment_id END AS exit, "
    "count(*) AS flows, sum(bytes) AS bytes FROM flows "
    "WHERE tgw_attachment_id IS NOT NULL AND NOT (flow_direction = 'egress' AND twin_id IS NOT NULL) "
    "GROUP BY 1, 2 ORDER BY bytes DESC, 1, 2",
    "SELECT count(*), sum(i.bytes = e.bytes), sum(i.tgw_attachment_id = e.tgw_pair_attachment_id), sum(e.twin_id = i.id) "
    "FROM flows i JOIN flows e ON e.id = i.twin_id WHERE i.flow_direction = 'ingress'",
    "SELECT f.path, f.records, count(*), sum(r.bytes) FROM flows r JOIN files f ON f.id = r.file_id GROUP BY 1, 2 ORDER BY 1",
    "SELECT tgw_attachment_id, sum(packets_lost_no_route) AS no_route, sum(packets_lost_blackhole) AS blackhole, "
    "sum(packets_lost_mtu_exceeded) AS mtu, sum(packets_lost_ttl_expired) AS ttl FROM flows GROUP BY 1 "
    "HAVING no_route + blackhole + mtu + ttl > 0 ORDER BY 2 DESC, 1 LIMIT 25",
]

REFUSED = [
    "INSERT INTO files(path) VALUES ('x')", "DELETE FROM flows", "UPDATE files SET path = 'x'", "DROP TABLE files",
    "CREATE TABLE t(a)", "CREATE TEMP TABLE t(a)", "CREATE TEMP VIEW v AS SELECT 1", "ALTER TABLE files ADD COLUMN x",
    "ATTACH '{dir}/attached.db' AS a", "ATTACH DATABASE 'file:{dir}/attached2.db?mode=rwc' AS a", "DETACH main",
    "VACUUM", "VACUUM INTO '{dir}/vacuum.db'", "PRAGMA journal_mode = WAL", "PRAGMA user_version = 7",
    "PRAGMA writable_schema = 1", "PRAGMA query_only = 0", "PRAGMA temp_store = 2", "SELECT load_extension('x')",
    "SELECT load_extension('{dir}/x.so', 'init')", "SELECT 1; DELETE FROM flows", "SELECT 1; SELECT 2", "BEGIN",
    "SAVEPOINT a", "ANALYZE", "REINDEX", "REPLACE INTO files(id, path) VALUES (1, 'x')",
    "WITH x AS (SELECT 1) DELETE FROM files", "CREATE INDEX i ON files(path)", "PRAGMA main.cache_size = 10",
    "INSERT INTO names SELECT * FROM names", "DELETE FROM name_addresses", "SELECT writefile('{dir}/w.txt', 'x')",
    "SELECT * FROM pragma_optimize", "SELECT count(*) FROM pragma_optimize(2)", "SELECT * FROM pragma_foreign_key_check",
    "PRAGMA reverse_unordered_selects(1)", "PRAGMA soft_heap_limit = 1", "PRAGMA optimize", "PRAGMA shrink_memory",
]


def check_query(ck, byid, paths, out, files):
    db = oracle_db(byid)
    # file_id, twin_id (the oracle's own pairing: the queries below do not depend on which of
    # identical records pair) and the files table.
    ids = sorted(byid)
    twin = fo.twins([byid[i] for i in ids])
    db.execute("ALTER TABLE flows ADD COLUMN file_id INTEGER")
    db.execute("ALTER TABLE flows ADD COLUMN twin_id INTEGER")
    db.executemany("UPDATE flows SET file_id = ?, twin_id = ? WHERE id = ?",
                   [(byid[r]["_file_id"], ids[twin[k]] if k in twin else None, r) for k, r in enumerate(ids)])
    db.execute("CREATE TABLE files (id INTEGER, path TEXT, records INTEGER, rejected INTEGER)")
    db.executemany("INSERT INTO files VALUES (?, ?, ?, 0)", [(i + 1, p, len(recs)) for i, (p, recs) in enumerate(files)])
    for sql in QUERIES:
        text = ck.text(["query", "--sql", sql] + paths)
        got = list(csv.reader(io.StringIO(text, newline="")))
        cur = db.execute(sql)
        want = [[d[0] for d in cur.description]] + [[v for v in row] for row in cur.fetchall()]
        ck.eq("query [%s]: rows" % sql[:60], len(got), len(want))
        for i, (g_row, w_row) in enumerate(zip(got, want)):
            same = len(g_row) == len(w_row) and all(query_cell_ok(a, b, i > 0) for a, b in zip(g_row, w_row))
            ck.checked += 1
            if not same:
                ck.fail("query [%s] row %d: flowlog-cli %r, oracle %r" % (sql, i, g_row, w_row))
    twins = fo.twins([byid[i] for i in sorted(byid)])
    text = ck.text(["query", "--sql", "SELECT count(twin_id) FROM flows"] + paths)
    ck.eq("query: records with a twin", text.split("\r\n")[1], str(len(twins)))
    for sql in REFUSED:
        sql = sql.replace("{dir}", out)
        code, stdout, err = ck.raw(["query", "--sql", sql] + paths[:1])
        ck.eq("query refused [%s]: exit" % sql, code, 2)
        ck.eq("query refused [%s]: a sentence on stderr" % sql, bool(re.search(r"query refused: \S.{8,}", err)), True)
        ck.eq("query refused [%s]: nothing on stdout" % sql, stdout, b"")
    for name in ("attached.db", "attached2.db", "vacuum.db", "w.txt"):
        ck.eq("query refused: no file %s written" % name, os.path.exists(os.path.join(out, name)), False)


# ---------------------------------------------------------------- athena-sql


TRANSPILE = r"""
import json, sys
import sqlglot
from sqlglot import exp
from sqlglot.dialects.trino import Trino
from sqlglot.tokens import TokenType

class T(Trino):
    class Tokenizer(Trino.Tokenizer):
        KEYWORDS = {**Trino.Tokenizer.KEYWORDS, "IPADDRESS": TokenType.UUID}

def strip_ip_cast(node):
    if isinstance(node, exp.Cast) and node.to.this == exp.DataType.Type.UUID:
        return exp.Anonymous(this="oracle_ip", expressions=[node.this])
    return node

out = []
for q in json.load(sys.stdin):
    try:
        out.append(sqlglot.parse_one(q, read=T).transform(strip_ip_cast).sql(dialect="sqlite"))
    except Exception as e:
        out.append("!" + str(e)[:300])
json.dump(out, sys.stdout)
"""


def sqlite_functions(db):
    def contains(net, addr):
        if net is None or addr is None:
            return None
        n = ipaddress.ip_network(net, strict=False)
        a = ipaddress.ip_address(addr)
        return int(a.version == n.version and a in n)

    def strpos(s, sub):
        return None if s is None or sub is None else s.find(sub) + 1

    for name in ("contains", "array_contains"):  # sqlglot 10.6 writes Trino's contains() as ARRAY_CONTAINS
        db.create_function(name, 2, contains, deterministic=True)
    for name in ("strpos", "str_position"):
        db.create_function(name, 2, strpos, deterministic=True)
    db.create_function("oracle_ip", 1, lambda a: a, deterministic=True)
    db.create_function("bitwise_and", 2, lambda a, b: None if a is None or b is None else a & b, deterministic=True)
    db.create_function("chr", 1, lambda n: None if n is None else chr(n), deterministic=True)
    db.execute("PRAGMA case_sensitive_like = ON")  # Trino's LIKE is case-sensitive


def check_athena(ck, byid, flist, opts=()):
    fmt = " ".join("${%s}" % f for f in FIELDS + ["oracle-id"])  # an unknown field: a text column
    trino = []
    for expr, _ in flist:
        text = ck.text(["athena-sql", "--view", "records", "--limit", "0", "--table", "oracle_flows", "--format", fmt,
                        "--columns", "oracle_id", "--filter", expr] + list(opts))
        body = "\n".join(ln for ln in text.splitlines() if not ln.startswith("--")).strip().rstrip(";")
        trino.append(body)
    p = subprocess.run(["/usr/bin/python3", "-c", TRANSPILE], input=json.dumps(trino).encode(), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if p.returncode != 0:
        ck.fail("sqlglot: %s" % p.stderr.decode()[-500:])
        return
    db = oracle_db(byid, with_day=True, table="oracle_flows")
    sqlite_functions(db)
    for (expr, pred), sql, src in zip(flist, json.loads(p.stdout), trino):
        want = [i for i in sorted(byid) if pred(byid[i])]
        if sql.startswith("!"):
            ck.fail("athena-sql [%s]: sqlglot cannot parse it: %s\n%s" % (expr, sql, src))
            continue
        try:
            got = sorted(int(row[0]) for row in db.execute(sql))
        except sqlite3.Error as e:
            ck.fail("athena-sql [%s]: %s\n%s" % (expr, e, sql))
            continue
        ck.eq("athena-sql [%s]: %d records locally" % (expr, len(want)), got, want)




def transpile(ck, trino):
    """Trino SQL texts -> SQLite SQL texts (or "!error") by sqlglot, run by /usr/bin/python3."""
    p = subprocess.run(["/usr/bin/python3", "-c", TRANSPILE], input=json.dumps(trino).encode(), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if p.returncode != 0:
        ck.fail("sqlglot: %s" % p.stderr.decode()[-500:])
        return None
    return json.loads(p.stdout)


def athena_text(ck, args):
    text = ck.text(["athena-sql", "--table", "oracle_flows", "--format", " ".join("${%s}" % f for f in FIELDS + ["oracle-id"])]
                   + args)
    return "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("--")).strip().rstrip(";")


DIMENSIONS = {"vpc": "vpc-id", "subnet": "subnet-id", "az": "az-id", "account": "vpc-account-id"}


def expect_dimension_edges(records, twin, passes, dim):
    """TGW records: tgw-src-<dim> -> tgw-dst-<dim> ('-' when empty), one count per flow."""
    edges = {}
    for i in fo.counted(records, twin, passes):
        x = records[i]
        if x.get("packets") is None and x.get("bytes") is None:
            continue
        k = (x.get("tgw-src-" + DIMENSIONS[dim]) or "-", x.get("tgw-dst-" + DIMENSIONS[dim]) or "-")
        e = edges.setdefault(k, [0] * 7)
        for n, v in enumerate([1, fo.n0(x.get("packets")), fo.n0(x.get("bytes"))] + [fo.n0(x.get(f)) for f in fo.LOST]):
            e[n] += v
    return edges


def check_dimension_edges(ck, byid, paths):
    records = [byid[i] for i in sorted(byid)]
    twin = fo.twins(records)
    for flt, pred in (("resource_type", lambda x: x.get("resource-type") is not None),
                      ("resource_type and drops", lambda x: x.get("resource-type") is not None
                       and sum(fo.n0(x.get(f)) for f in fo.LOST) > 0)):
        passes = [pred(x) for x in records]
        for dim in DIMENSIONS:
            got = {(r["src"], r["dst"]): [int(r[c]) for c in ("flows", "packets", "bytes", "packets_lost_no_route",
                                                              "packets_lost_blackhole", "packets_lost_mtu_exceeded",
                                                              "packets_lost_ttl_expired")]
                   for r in csv.DictReader(io.StringIO(ck.text(["edges", "--by", dim, "--filter", flt] + paths)))}
            want = expect_dimension_edges(records, twin, passes, dim)
            ck.eq("edges --by %s [%s]: edges" % (dim, flt), len(got), len(want))
            for k in sorted(set(got) | set(want)):
                ck.eq("edges --by %s [%s] %s->%s" % (dim, flt, k[0], k[1]), got.get(k), want.get(k))


def check_athena_views(ck, g, byid, paths):
    """edges (attachment, addr, vpc, account), series and drops: Athena's SQL run in SQLite equals
    the local CLI's rows (every column but drops' check; flowlog_oracle.py checks the local numbers)."""
    flts = [None, "drops", "attachment == %s" % g.attachments[5], "flow_direction == egress and bytes > 100000",
            "action != ACCEPT"]
    views = [(["--view", "edges", "--by", "attachment"], ["edges", "--by", "attachment"], flts[:4]),
             (["--view", "edges", "--by", "addr"], ["edges", "--by", "addr"], flts[2:4]),
             (["--view", "edges", "--by", "vpc"], ["edges", "--by", "vpc"], flts[:2]),
             (["--view", "edges", "--by", "account"], ["edges", "--by", "account"], flts[:1]),
             (["--view", "series", "--bin", "300"], ["series", "--bin", "300"], flts[1:3]),
             (["--view", "drops"], ["drops"], [flts[0], flts[2], flts[4]])]
    jobs = []
    for remote, local, view_filters in views:
        for flt in view_filters:
            jobs.append((flt, remote, local, athena_text(ck, remote + (["--filter", flt] if flt else []))))
    # The record view's sort and limit: the local export's first rows in the same order.
    sorts = [["--sort", "bytes:desc"], ["--sort", "start", "--sort", "packets:desc", "--filter", "srcport > 1000"]]
    for sort in sorts:
        jobs.append((None, ["--view", "records"] + sort, ["export", "--columns", "id"] + sort,
                     athena_text(ck, ["--view", "records", "--columns", "oracle_id", "--limit", "25"] + sort)))
    sqls = transpile(ck, [j[3] for j in jobs])
    if sqls is None:
        return
    db = oracle_db(byid, with_day=True, table="oracle_flows")
    sqlite_functions(db)
    for (flt, remote, local, src), sql in zip(jobs, sqls):
        if local[0] == "export":
            what = "athena-sql %s" % " ".join(remote[1:])
            got = [int(r[0]) for r in db.execute(sql)] if not sql.startswith("!") else sql
            rows = [int(r[0]) for r in csv.reader(io.StringIO(ck.text(local + paths))) if r and r[0] != "id"][:25]
            ck.eq("%s: the first 25 records (Athena SQL vs local)" % what, got, rows)
            continue
        what = "athena-sql %s%s" % (" ".join(remote[1:]), " [%s]" % flt if flt else "")
        if sql.startswith("!"):
            ck.fail("%s: sqlglot cannot parse it: %s" % (what, sql))
            continue
        try:
            got = [["" if v is None else guarded(v) if isinstance(v, str) else str(v) for v in row] for row in db.execute(sql)]
        except sqlite3.Error as e:
            ck.fail("%s: %s\n%s" % (what, e, sql[:3000]))
            continue
        rows = list(csv.reader(io.StringIO(ck.text(local + (["--filter", flt] if flt else []) + paths), newline="")))[1:]
        if local[0] == "drops":
            rows = [r[:-1] for r in rows]  # check: the app's sentence, not in the SQL
        if local[0] == "series":
            rows = [r for r in rows if any(c != "0" for c in r[1:])]  # the app also prints empty bins
        ck.eq("%s: rows (Athena SQL vs local)" % what, len(got), len(rows))
        for a, b in zip(sorted(got), sorted(rows)):
            ck.eq("%s: row (Athena SQL vs local)" % what, a, b)


# ---------------------------------------------------------------- names in filters (export and athena-sql)


ID_SHAPED = re.compile(r"^[a-z]+(-[a-z]+)*-([0-9a-f]{8}|[0-9a-f]{17})$")
TRICKY_NAMES = ["O'Brien \"x\"", "a,b", "=cmd", "caf\u00e9", "with space", "Team-1", " lead", "team-1 "]


ID_COLUMNS = {"tgw_attachment_id", "tgw_pair_attachment_id", "tgw_id", "vpc_id", "subnet_id", "interface_id", "instance_id",
              "resource_id", "tgw_src_vpc_id", "tgw_dst_vpc_id", "tgw_src_subnet_id", "tgw_dst_subnet_id", "tgw_src_eni",
              "tgw_dst_eni"}


def route_table(attachment):
    """The TGW route table the names JSON associates with an attachment."""
    return "tgw-rtb-%017x" % (int(attachment[-17:], 16) % 5)


def write_names(out, g):
    """AWS CLI JSON giving Name tags: repeated names, names with quotes, commas, blanks, case
    variants, and a name that copies another attachment's id."""
    att = {}
    for i, a in enumerate(g.attachments[:60]):
        att[a] = TRICKY_NAMES[i % len(TRICKY_NAMES)] if i % 3 == 0 else "team-%d" % (i % 10)
    att[g.attachments[1]] = g.attachments[2]
    vpcs = {v: ("prod" if i % 4 == 0 else "vpc-name-%d" % i) for i, v in enumerate(g.vpcs[:30])}
    subnets = {s_: "sub-%s" % "abc"[i % 3] for i, s_ in enumerate(g.subnets[:60])}
    enis = {e: "web-%d eth0" % (i % 12) for i, e in enumerate(g.enis[:90])}
    tags = lambda n: [{"Key": "Name", "Value": n}]  # noqa: E731
    docs = [
        {"TransitGatewayAttachments": [{"TransitGatewayAttachmentId": a, "ResourceType": "vpc", "ResourceId": g.vpcs[0],
                                        "Association": {"TransitGatewayRouteTableId": route_table(a), "State": "associated"},
                                        "Tags": tags(n)} for a, n in att.items()]},
        {"Vpcs": [{"VpcId": v, "CidrBlock": "10.0.0.0/16", "Tags": tags(n)} for v, n in vpcs.items()]},
        {"Subnets": [{"SubnetId": s_, "VpcId": g.vpcs[0], "Tags": tags(n)} for s_, n in subnets.items()]},
        {"NetworkInterfaces": [{"NetworkInterfaceId": e, "SubnetId": g.subnets[0], "VpcId": g.vpcs[0], "TagSet": tags(n)}
                               for e, n in enis.items()]},
        {"TransitGateways": [{"TransitGatewayId": g.tgws[0], "Tags": tags("core")}]},
    ]
    paths = []
    for i, d in enumerate(docs):
        paths.append(os.path.join(out, "names", "names-%d.json" % i))
        os.makedirs(os.path.dirname(paths[-1]), exist_ok=True)
        with open(paths[-1], "w") as f:
            json.dump(d, f, indent=1)
    named, name_of = {}, {}
    for m in (att, vpcs, subnets, enis, {g.tgws[0]: "core"}):
        for k, v in m.items():
            named.setdefault(v, set()).add(k)
            name_of[k] = v
    return paths, named, name_of


def quote(v):
    return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'


def name_filters(g, named):
    """(expression, predicate): a value matches an id field when it is the id or a Name tag of it
    (a value shaped like an id is compared with ids only)."""
    def ids(v):
        return {v} | (set() if ID_SHAPED.match(v) else named.get(v, set()))

    def any_of(fields, values):
        return lambda x: any(x.get(f) in values for f in fields)

    att = ("tgw-attachment-id", "tgw-pair-attachment-id")
    vpc = ("vpc-id", "tgw-src-vpc-id", "tgw-dst-vpc-id")
    eni = ("interface-id", "tgw-src-eni", "tgw-dst-eni")
    subnet = ("subnet-id", "tgw-src-subnet-id", "tgw-dst-subnet-id")
    out = []
    for n in ["team-3", "Team-1", "team-1 ", " lead", "caf\u00e9", "O'Brien \"x\"", "a,b", "=cmd", "with space", "nobody",
              g.attachments[2], g.attachments[1]]:
        p = any_of(att, ids(n))
        out.append(("attachment == %s" % quote(n), p))
        if n in ("team-3", "O'Brien \"x\"", "nobody", g.attachments[1]):
            out.append(("attachment != %s" % quote(n), lambda x, p=p: not p(x)))
    out += [
        ("tgw_attachment_id == %s" % quote("with space"), any_of(att[:1], ids("with space"))),
        ("tgw-pair-attachment-id in {\"team-1\", \"a,b\", %s}" % g.attachments[100],
         any_of(att[1:], ids("team-1") | ids("a,b") | {g.attachments[100]})),
        ("vpc == prod", any_of(vpc, ids("prod"))),
        ("vpc-id != prod", lambda x: x.get("vpc-id") not in ids("prod")),
        ("tgw_src_vpc_id in {prod, vpc-name-5}", any_of(vpc[1:2], ids("prod") | ids("vpc-name-5"))),
        ("eni == \"web-3 eth0\"", any_of(eni, ids("web-3 eth0"))),
        ("interface-id in {\"web-1 eth0\", \"web-2 eth0\"}", any_of(eni[:1], ids("web-1 eth0") | ids("web-2 eth0"))),
        ("subnet == sub-a and not vpc == prod", lambda x: any_of(subnet, ids("sub-a"))(x) and not any_of(vpc, ids("prod"))(x)),
        ("tgw-id == core", any_of(("tgw-id",), ids("core"))),
        ("tgw-id != core", lambda x: x.get("tgw-id") not in ids("core")),
    ]
    return out


def check_names(ck, g, byid, files, out):
    paths = [p for p, _ in files]
    names, named, name_of = write_names(out, g)
    opts = sum((["--names", p] for p in names), [])
    # --with-names: after each id column, <column>_name with the id's Name tag (empty when unknown).
    header, want = ["id"], ""
    for c in COLS:
        header += [c, c + "_name"] if c in ID_COLUMNS else [c]
    for rid in sorted(byid):
        row = [rid]
        for f, c in zip(FIELDS, COLS):
            v = byid[rid].get(f)
            row += [v, name_of.get(v) if v is not None else None] if c in ID_COLUMNS else [v]
        want += csv_line(row)
    text = ck.text(["export", "--with-names", "--columns", "id," + ",".join(COLS)] + opts + paths)
    ck.same_text("export --with-names", text, csv_line(header) + want)
    # The names table, the README's join, and the name columns of edges and drops.
    db = oracle_db(byid)
    db.execute("CREATE TABLE names (id TEXT, name TEXT)")
    db.executemany("INSERT INTO names VALUES (?, ?)", sorted(name_of.items()))
    for sql in ("SELECT id, name FROM names ORDER BY id",
                "SELECT n.name, sum(f.bytes) FROM flows f JOIN names n ON n.id = f.tgw_attachment_id GROUP BY 1 ORDER BY 2 DESC, 1"):
        got = list(csv.reader(io.StringIO(ck.text(["query", "--sql", sql] + opts + paths), newline="")))[1:]
        want = [[cell_text(v) for v in row] for row in db.execute(sql)]
        ck.eq("query with names [%s]: rows" % sql, len(got), len(want))
        ck.eq("query with names [%s]" % sql, got, want)
    for cmd, key, named_cols in ((["edges", "--by", "attachment"], ("src", "dst"), ("src_name", "dst_name")),
                                 (["drops"], ("entry", "exit"), ("entry_name", "exit_name"))):
        rows = list(csv.DictReader(io.StringIO(ck.text(cmd + opts + paths), newline="")))
        got = [[r.get(c) for c in named_cols] for r in rows]
        want = [[guarded(name_of.get(r[k], "")) for k in key] for r in rows]
        ck.eq("%s with names: %s" % (cmd[0], ",".join(named_cols)), got, want)
        if cmd[0] == "drops":  # the route table associated with the entry attachment
            ck.eq("drops with names: route_table_id", [r["route_table_id"] for r in rows],
                  [route_table(r["entry"]) if r["entry"] in name_of and r["reason"] != "rejected" else "" for r in rows])
            local = sorted(r[:-3] for r in list(csv.reader(io.StringIO(ck.text(cmd + opts + paths), newline="")))[1:])
            sql = transpile(ck, [athena_text(ck, ["--view", "drops"] + opts)])
            if sql and not sql[0].startswith("!"):
                athena = oracle_db(byid, with_day=True, table="oracle_flows")
                sqlite_functions(athena)
                ck.eq("athena-sql drops with names (Athena SQL vs local)",
                      sorted([cell_text(v) for v in row] for row in athena.execute(sql[0])), local)
    # flow of a VPC default record (no subnet-id, vpc-id): both from describe-network-interfaces.
    vpc_file = [(p, recs) for p, recs in files if p.endswith("vpc_default_headerless.log")][0]
    named_first = sorted((k for k, x in enumerate(vpc_file[1]) if x["interface-id"] != "-"),
                         key=lambda k: vpc_file[1][k]["interface-id"] not in name_of)
    for k in named_first[:4] + named_first[-2:]:
        x = vpc_file[1][k]
        j = json.loads(ck.text(["flow", str(k + 1), "--json", vpc_file[0]] + opts) or "null")["flow"]
        eni = x["interface-id"] if x["interface-id"] in name_of else None
        ck.eq("flow %s (VPC record) with names: interface, its name, subnet, vpc" % k,
              [j["interface"]["id"], j["interface"]["name"], j["subnet"]["id"], j["vpc"]["id"]],
              [x["interface-id"], name_of.get(x["interface-id"], ""), g.subnets[0] if eni else None, g.vpcs[0] if eni else None])
    flist = name_filters(g, named)
    for expr, pred in flist:
        got = [int(r[0]) for r in csv.reader(io.StringIO(ck.text(["export", "--filter", expr, "--columns", "id"] + opts + paths)))
               if r and r[0] != "id"]
        want = [i for i in sorted(byid) if pred(byid[i])]
        ck.eq("export ids of [%s] with names: %d rows" % (expr, len(want)), got, want)
    check_athena(ck, byid, flist, opts)
    return len(flist)

# ---------------------------------------------------------------- flow


REASONS = ["no-route", "blackhole", "mtu-exceeded", "ttl-expired"]


def reply_of(g, common, start, tgw=None):
    """The reply of a flow: addresses and ports swapped, same protocol, its own counters."""
    rc = dict(common)
    rc["srcaddr"], rc["dstaddr"] = common["dstaddr"], common["srcaddr"]
    if ":" in rc["srcaddr"] and g.r.random() < 0.5:  # another spelling of the same IPv6 addresses
        rc["srcaddr"] = ipaddress.IPv6Address(rc["srcaddr"]).exploded.upper()
        rc["dstaddr"] = ipaddress.IPv6Address(rc["dstaddr"]).exploded
    rc["srcport"], rc["dstport"] = common["dstport"], common["srcport"]
    pk = g.r.randrange(1, 5000)
    rc.update({"packets": str(pk), "bytes": str(pk * 100), "start": str(start), "end": str(start + g.r.randrange(0, 61))})
    return rc


def write_flow_files(out, g):
    """TGW flows logged on both sides, one side or dropped, with replies entering where the flow
    left, elsewhere (nearer in time), through another TGW or outside the 60 s window; VPC flows
    with replies on the same interface and on another one."""
    r = g.r
    recs = []

    def sides(common, a, b, how, tgw, lost=None):
        lost = lost or {}
        out_ = []
        if how in ("both", "in"):
            out_.append(g.tgw_side(common, a, b, "ingress", lost))
        if how in ("both", "out"):
            out_.append(g.tgw_side(common, b, a, "egress", lost))
        for x in out_:
            x["tgw-id"] = tgw
        return out_

    for _ in range(max(120, fo.scaled(300))):
        common = g.flow_common()
        a, b, c = r.sample(g.attachments[:12], 3)
        roll = r.random()
        start = int(common["start"])
        if roll < 0.15:
            recs += sides(common, a, "-", "in", g.tgws[0], {r.choice(fo.LOST[:2]): common["packets"]})
            continue
        lost = {"packets-lost-mtu-exceeded": str(r.randrange(1, 50))} if roll < 0.25 else None
        recs += sides(common, a, b, r.choice(["both", "both", "in", "out"]), g.tgws[0], lost)
        for _ in range(r.choice([0, 1, 1, 2, 3])):
            kind = r.random()
            delta = r.randrange(-120, 121)
            entry, exit_ = (b, a) if kind < 0.5 else (c, r.choice([a, b]))
            tgw = g.tgws[1] if kind > 0.9 else g.tgws[0]
            recs += sides(reply_of(g, common, start + delta), entry, exit_, r.choice(["both", "in", "out"]), tgw)
    recs += [g.tgw_nodata(r.choice(["NODATA", "SKIPDATA"])) for _ in range(3)]  # no addresses: no reply search
    r.shuffle(recs)
    tgw_path = os.path.join(out, "flow", "tgw_flows.log")
    os.makedirs(os.path.dirname(tgw_path), exist_ok=True)
    with open(tgw_path, "w") as f:
        f.write(" ".join(fo.TGW_DEFAULT) + "\n" + "".join(" ".join(x[n] for n in fo.TGW_DEFAULT) + "\n" for x in recs))
    fields = fo.VPC_V2 + ["vpc-id", "subnet-id"]
    vrecs = []
    for _ in range(fo.scaled(200)):
        x = g.vpc_record(fields)
        vrecs.append(x)
        if "-" in (x["srcaddr"], x["start"]) or r.random() < 0.3:
            continue
        for _ in range(r.choice([1, 1, 2])):
            y = g.vpc_record(fields)
            y.update({"srcaddr": x["dstaddr"], "dstaddr": x["srcaddr"], "srcport": x["dstport"], "dstport": x["srcport"],
                      "protocol": x["protocol"], "log-status": "OK"})
            if r.random() < 0.5:
                y["interface-id"] = x["interface-id"]
            t = int(x["start"]) // (1000 if int(x["start"]) > 10 ** 11 else 1) + r.randrange(-90, 91)
            y["start"], y["end"] = str(t), str(t + r.randrange(0, 120))
            for f in ("packets", "bytes"):
                y[f] = str(r.randrange(1, 900))
            vrecs.append(y)
    r.shuffle(vrecs)
    vpc_path = os.path.join(out, "flow", "vpc_flows.log")
    with open(vpc_path, "w") as f:
        f.write(" ".join(fields) + "\n" + "".join(" ".join(x[n] for n in fields) + "\n" for x in vrecs))
    return [(tgw_path, recs), (vpc_path, vrecs)]


def is_tgw(x):
    return bool(x.get("tgw-id") or x.get("tgw-attachment-id") or (x.get("resource-type") or "").startswith("TransitGateway"))


def same_addr(a, b):
    return a is not None and b is not None and ipaddress.ip_address(a) == ipaddress.ip_address(b)


def expect_leg(recs, twin, i):
    """What the README says the path of record i shows: ids of the boxes and records, drops."""
    x = recs[i]
    leg = {"kind": "tgw" if is_tgw(x) else "vpc", "protocol": x.get("protocol"), "srcaddr": x.get("srcaddr") or "",
           "dstaddr": x.get("dstaddr") or "", "srcport": x.get("srcport"), "dstport": x.get("dstport")}
    if leg["kind"] == "vpc":
        leg.update({"interface": x.get("interface-id"), "subnet": x.get("subnet-id"), "vpc": x.get("vpc-id"),
                    "action": x.get("action") or "", "record": i + 1})
        return leg
    egress = x.get("flow-direction") == "egress"
    j = twin.get(i)
    ing, eg = (j, i) if egress else (i, j)
    leg["entry"] = x.get("tgw-pair-attachment-id") if egress else x.get("tgw-attachment-id")
    leg["exit"] = x.get("tgw-attachment-id") if egress else x.get("tgw-pair-attachment-id")
    leg["tgw"] = x.get("tgw-id") or (recs[j].get("tgw-id") if j is not None else None)
    leg["ingress"] = None if ing is None else ing + 1
    leg["egress"] = None if eg is None else eg + 1
    counted = recs[ing] if ing is not None else x
    lost = [(REASONS[k], counted.get(f)) for k, f in enumerate(fo.LOST) if fo.n0(counted.get(f)) > 0]
    leg["drops"] = [{"reason": k, "packets": v} for k, v in lost]
    total = sum(v for _, v in lost)
    leg["ends_at_tgw"] = total > 0 and (counted.get("packets") is None or total >= counted["packets"] or leg["exit"] is None)
    return leg


def expect_reply(recs, twin, i, flow_leg):
    x = recs[i]
    if x.get("srcaddr") is None or x.get("dstaddr") is None:
        return None
    best = None
    for k, y in enumerate(recs):
        if k == i or is_tgw(y) != is_tgw(x) or not (same_addr(y.get("srcaddr"), x["dstaddr"]) and same_addr(y.get("dstaddr"), x["srcaddr"])):
            continue
        if y.get("srcport") != x.get("dstport") or y.get("dstport") != x.get("srcport") or y.get("protocol") != x.get("protocol"):
            continue
        if x.get("start") is not None and y.get("end") is not None and y["end"] < x["start"] - 60:
            continue
        if x.get("end") is not None and y.get("start") is not None and y["start"] > x["end"] + 60:
            continue
        if is_tgw(x):
            if x.get("tgw-id") and y.get("tgw-id") and x["tgw-id"] != y["tgw-id"]:
                continue
            entry = y.get("tgw-pair-attachment-id") if y.get("flow-direction") == "egress" else y.get("tgw-attachment-id")
            preferred = entry is not None and entry == flow_leg["exit"]
        else:
            preferred = y.get("interface-id") is not None and y.get("interface-id") == x.get("interface-id")
        key = (0 if preferred else 1, abs(fo.n0(y.get("start")) - fo.n0(x.get("start"))), k)
        if best is None or key < best[0]:
            best = (key, k)
    return None if best is None else expect_leg(recs, twin, best[1])


def got_leg(j):
    if j is None:
        return None
    leg = {k: j.get(k) for k in ("kind", "protocol", "srcaddr", "dstaddr", "srcport", "dstport")}
    if j["kind"] == "vpc":
        leg.update({"interface": j["interface"]["id"], "subnet": j["subnet"]["id"], "vpc": j["vpc"]["id"],
                    "action": j["action"], "record": (j.get("record") or {}).get("id")})
        return leg
    for k in ("entry", "exit", "tgw"):
        leg[k] = j[k]["id"]
    for k in ("ingress", "egress"):
        leg[k] = None if j[k] is None else j[k]["id"]
    leg["drops"] = j["drops"]
    leg["ends_at_tgw"] = j["ends_at_tgw"]
    return leg


def check_flow(ck, out, g):
    files = write_flow_files(out, g)
    paths = [p for p, _ in files]
    recs = [fo.typed(x) for _, rs in files for x in rs]
    twin = fo.twins(recs)
    legs = [expect_leg(recs, twin, i) for i in range(len(recs))]
    replies = [expect_reply(recs, twin, i, legs[i]) for i in range(len(recs))]
    # About 55 traces (each run loads the files): records with a reply first, IPv6 ones among them.
    with_reply = sorted((i for i in range(len(recs)) if replies[i]), key=lambda i: (":" not in legs[i]["srcaddr"], i))
    nodata = [i for i in range(len(recs)) if recs[i].get("log-status") != "OK"][:3]
    chosen = sorted(set(with_reply[:36]) | set(range(0, len(recs), max(1, len(recs) // 20))) | set(nodata))
    for i in chosen:
        code, stdout, err = ck.raw(["flow", str(i + 1), "--json"] + paths)
        if code != 0:
            ck.fail("flow %d: exit %d: %s" % (i + 1, code, err[:200]))
            continue
        j = json.loads(stdout)
        ck.eq("flow %d: path" % (i + 1), got_leg(j["flow"]), legs[i])
        ck.eq("flow %d: reply" % (i + 1), got_leg(j["reply"]), replies[i])
        ck.eq("flow %d: reply_note only without a reply" % (i + 1), bool(j.get("reply_note")), j["reply"] is None)
    code, _, err = ck.raw(["flow", str(len(recs) + 1)] + paths)
    ck.eq("flow of an unknown id: exit", code, 2)
    ck.eq("flow of an unknown id: the sentence", "no record with id %d is loaded (ids are 1..%d)" % (len(recs) + 1, len(recs)) in err, True)
    return len(recs)



# ---------------------------------------------------------------- diff


def pct(before, after):
    if before == 0:
        return 0.0 if after == 0 else float("inf")
    return (after - before) * 100.0 / before


def expect_diff(a, b, changed):
    """The README's diff rows: new, gone, changed, same; each by |bytes delta| descending."""
    rows = []
    for k in set(a) | set(b):
        x, y = a.get(k, [0] * 7), b.get(k, [0] * 7)
        xa = [x[0], x[1], x[2], sum(x[3:])]
        yb = [y[0], y[1], y[2], sum(y[3:])]
        had, has = any(xa), any(yb)
        change = max(abs(pct(u, v)) for u, v in zip(xa, yb))
        status = "gone" if had and not has else "new" if has and not had else "changed" if change > changed else "same"
        cells = [k[0], k[1], status]
        for u, v in zip(xa, yb):
            cells += [u, v, v - u]
        cells.append("%.1f" % change if status in ("changed", "same") and change != float("inf") else None)
        rows.append(({"new": 0, "gone": 1, "changed": 2, "same": 3}[status], -abs(yb[2] - xa[2]), k[0], k[1], cells))
    return [r[-1] for r in sorted(rows, key=lambda r: r[:4])]


def check_diff(ck, out, seed):
    g = fo.Gen(seed + 2)
    g.attachments = g.attachments[:9]  # few attachments: edges on both sides, some changed
    before = g.tgw_records(fo.scaled(1200))
    after = [x for x in before if g.r.random() < 0.7] + g.tgw_records(fo.scaled(500))
    g.attachments = g.attachments[:7] + ["tgw-attach-%017x" % g.r.getrandbits(68)]  # one attachment only after
    after += g.tgw_records(fo.scaled(200))
    sides = []
    for name, recs in (("before", before), ("after", after)):
        d = os.path.join(out, "diff", name)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "tgw.log"), "w") as f:
            f.write(" ".join(fo.TGW_DEFAULT) + "\n" + "".join(" ".join(x[n] for n in fo.TGW_DEFAULT) + "\n" for x in recs))
        sides.append((d, [fo.typed(x) for x in recs]))
    for opts, edges, changed in ((["--by", "attachment"], fo.expect_edges, 20),
                                 (["--changed", "50", "--filter", "drops or bytes > 100000000"], fo.expect_edges, 50),
                                 (["--by", "addr", "--changed", "0"], fo.expect_addr_edges, 0)):
        flt = opts[opts.index("--filter") + 1] if "--filter" in opts else None
        want_sides = []
        for _, recs in sides:
            passes = [bool(not flt or fo.n0(x.get("bytes")) > 100000000 or sum(fo.n0(x.get(f)) for f in fo.LOST) > 0) for x in recs]
            want_sides.append(edges(recs, fo.twins(recs), passes))
        rows = expect_diff(want_sides[0], want_sides[1], changed)
        header = ["src", "dst", "status", "flows_a", "flows_b", "flows_delta", "packets_a", "packets_b", "packets_delta",
                  "bytes_a", "bytes_b", "bytes_delta", "dropped_a", "dropped_b", "dropped_delta", "change_pct"]
        text = ck.text(["diff", sides[0][0], sides[1][0]] + opts)
        ck.same_text("diff %s" % " ".join(opts), text, csv_line(header) + "".join(csv_line(r) for r in rows))
        got = json.loads(ck.text(["diff", sides[0][0], sides[1][0], "--json"] + opts) or "null")
        want = [dict(zip(header, r[:-1] + [None if r[-1] is None else float(r[-1])])) for r in rows]
        ck.eq("diff --json %s: rows" % " ".join(opts), len(got or []), len(want))
        for i, (x, y) in enumerate(zip(got or [], want)):
            ck.eq("diff --json %s row %d" % (" ".join(opts), i), x, y)
    return len(before) + len(after)


# ---------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cli", required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--scale", type=float, default=0.1)
    ap.add_argument("--out")
    a = ap.parse_args()
    fo.SCALE = a.scale
    out = a.out or tempfile.mkdtemp(prefix="flowlog-oracle-commands-")
    os.makedirs(out, exist_ok=True)
    ck = Ck(a.cli)
    files, _, g = fo.make_dataset(out, a.seed)
    files.append(write_tricky_athena(out, g))
    files.append(write_tricky(out, g))
    paths = [p for p, _ in files]
    steps = []

    def step(name, fn, *args):
        t = time.monotonic()
        result = fn(*args)
        steps.append("%s %.1f s" % (name, time.monotonic() - t))
        return result

    byid = step("export", check_export, ck, files, paths)
    step("export views", check_export_views, ck, g, byid, paths)
    step("sample", check_sample, ck, byid, paths)
    step("twins", check_twins, ck, byid, paths)
    step("query", check_query, ck, byid, paths, out, files)
    step("athena-sql", check_athena, ck, byid, fo.filters(g, [byid[i] for i in sorted(byid)]))
    step("edges by dimension", check_dimension_edges, ck, byid, paths)
    step("athena views", check_athena_views, ck, g, byid, paths)
    step("names", check_names, ck, g, byid, files, out)
    step("flow", check_flow, ck, out, g)
    step("diff", check_diff, ck, out, a.seed)
    print("oracle commands: seed %d, %d files, %d records; %d values compared, %d mismatches (%s)"
          % (a.seed, len(files), len(byid), ck.checked, len(ck.failures), ", ".join(steps)))
    for f in ck.failures[:200]:
        print("MISMATCH " + f)
    return 1 if ck.failures else 0


if __name__ == "__main__":
    sys.exit(main())
