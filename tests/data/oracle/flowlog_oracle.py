#!/usr/bin/env python3
"""Independent generator and oracle for flowlog-cli (standard library only).

Writes random but valid Transit Gateway and VPC flow logs (every documented field, custom field
orders and subsets, `-` in optional fields, NODATA/SKIPDATA, IPv6, hundreds of attachments and
ENIs; plain, multi-member gzip, CloudWatch export lines, CloudWatch JSON events), computes from
its own records what flowlog-cli must print (summary counts and sums, attachment edges, drops,
the record counts of a set of filters), runs the CLI and compares every number. A second, hostile
file checks that each bad line is a counted rejection with file:line.

    python3 tests/data/oracle/flowlog_oracle.py --cli build/ci/app/flowlog-cli --seed 7 [--out DIR]

Exit 0 when every number matches; otherwise each mismatch is printed and the exit code is 1.
The facts used are those of FORMATS.md and the README (filter language, counting rule); none of
the product's code is used.
"""
import argparse
import csv
import gzip
import io
import ipaddress
import json
import os
import random
import subprocess
import sys
import tempfile

TGW_DEFAULT = (
    "version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id "
    "tgw-dst-vpc-account-id tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id "
    "tgw-src-eni tgw-dst-eni tgw-src-az-id tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr "
    "srcport dstport protocol packets bytes start end log-status type packets-lost-no-route "
    "packets-lost-blackhole packets-lost-mtu-exceeded packets-lost-ttl-expired tcp-flags region "
    "flow-direction pkt-src-aws-service pkt-dst-aws-service"
).split()
VPC_V2 = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status".split()
VPC_MORE = (
    "vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type "
    "sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path ecs-cluster-arn "
    "ecs-cluster-name ecs-container-instance-arn ecs-container-instance-id ecs-container-id "
    "ecs-second-container-id ecs-service-name ecs-task-definition-arn ecs-task-arn ecs-task-id "
    "reject-reason resource-id encryption-status"
).split()
INT_FIELDS = {
    "version", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "tcp-flags",
    "traffic-path", "packets-lost-no-route", "packets-lost-blackhole", "packets-lost-mtu-exceeded",
    "packets-lost-ttl-expired", "encryption-status",
}
ADDR_FIELDS = {"srcaddr", "dstaddr", "pkt-srcaddr", "pkt-dstaddr"}
LOST = ["packets-lost-no-route", "packets-lost-blackhole", "packets-lost-mtu-exceeded", "packets-lost-ttl-expired"]
LOST_REASON = {"packets-lost-no-route": "no-route", "packets-lost-blackhole": "blackhole",
               "packets-lost-mtu-exceeded": "mtu-exceeded", "packets-lost-ttl-expired": "ttl-expired"}
SERVICES = ["AMAZON", "S3", "EC2", "DYNAMODB", "ROUTE53", "CLOUDFRONT", "API_GATEWAY", "AMAZON_CONNECT",
            "CHIME_MEETINGS", "CODEBUILD", "GLOBALACCELERATOR", "KINESIS_VIDEO_STREAMS", "ROUTE53_HEALTHCHECKS",
            "WORKSPACES_GATEWAYS", "EBS", "AMAZON_APPFLOW", "CLOUD9", "IVS_REALTIME"]
T0 = 1764547200  # 2025-12-01T00:00:00Z
SCALE = 1.0  # --scale: record counts are multiplied by it


def scaled(k):
    return max(5, int(k * SCALE))


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        r = self.r
        self.attachments = ["tgw-attach-%017x" % r.getrandbits(68) for _ in range(320)]
        self.enis = ["eni-%017x" % r.getrandbits(68) for _ in range(600)]
        self.vpcs = ["vpc-%017x" % r.getrandbits(68) for _ in range(80)]
        self.subnets = ["subnet-%017x" % r.getrandbits(68) for _ in range(200)]
        self.accounts = ["%012d" % r.randrange(10 ** 11, 10 ** 12) for _ in range(40)] + ["unknown"]
        self.azs = ["use1-az%d" % i for i in range(1, 7)] + ["euw1-az1", "apne1-az4"]
        self.regions = ["us-east-1", "eu-west-1", "ap-northeast-1", "us-west-2"]
        self.tgws = ["tgw-%017x" % r.getrandbits(68) for _ in range(3)]
        self.keys = set()
        self.v6hosts = []

    def maybe(self, value, p=0.08):
        return "-" if self.r.random() < p else value

    def addr(self, v6):
        r = self.r
        if v6:
            net = r.choice(["2600:1f18:%x:%x" % (r.randrange(65536), r.randrange(65536)), "2001:db8:%x:0" % r.randrange(65536),
                            "fd00:ec2:0:0"])
            a = ipaddress.IPv6Address(net + ":" + ":".join("%x" % r.randrange(65536) for _ in range(4)))
            if r.random() < 0.2:
                a = ipaddress.IPv6Address(net + "::" + "%x" % r.randrange(1, 9))
            s = str(a)
            self.v6hosts.append(s)
            return s
        first = r.choice(["10.20", "10.%d" % r.randrange(256), "172.16", "192.168", "203.0", "52.%d" % r.randrange(256)])
        return "%s.%d.%d" % (first, r.randrange(256), r.randrange(256))

    def flow_common(self):
        """The fields both sides of a TGW flow share (the twin key and more)."""
        r = self.r
        while True:
            v6 = r.random() < 0.15
            proto = r.choice([6, 6, 6, 17, 17, 1, 58 if v6 else 1, 47, 50])
            if v6 and proto == 1:
                proto = 58
            src, dst = self.addr(v6), self.addr(v6)
            if proto in (6, 17):
                sport, dport = r.randrange(1024, 65536), r.choice([443, 80, 53, 22, 3389, 5432, r.randrange(1, 65536)])
                if proto == 17 and r.random() < 0.4:
                    dport = 53
            else:
                sport, dport = (0, 0) if r.random() < 0.7 else ("-", "-")
            packets = r.randrange(1, 200000)
            nbytes = packets * r.randrange(40, 9001)
            start = T0 + r.randrange(0, 6 * 3600)
            end = start + r.randrange(0, 61)
            key = (src, dst, sport, dport, proto, packets, nbytes, start, end)
            if key not in self.keys:
                self.keys.add(key)
                break
        flags = "-"
        if proto == 6:
            flags = str(r.choice([0, 1, 2, 3, 4, 16, 18, 19, 24, 25, 26, 27, 20, 2 | 32, 63]))
        elif r.random() < 0.5:
            flags = "0"
        return {
            "srcaddr": src, "dstaddr": dst, "srcport": str(sport), "dstport": str(dport), "protocol": str(proto),
            "packets": str(packets), "bytes": str(nbytes), "start": str(start), "end": str(end),
            "type": "IPv6" if v6 else "IPv4", "tcp-flags": flags,
            "pkt-src-aws-service": self.maybe(r.choice(SERVICES), 0.7), "pkt-dst-aws-service": self.maybe(r.choice(SERVICES), 0.7),
        }

    def tgw_side(self, common, attach, pair, direction, lost):
        r = self.r
        rec = dict(common)
        rec.update({
            "version": "6", "resource-type": r.choice(["TransitGateway"] * 9 + ["TransitGatewayAttachment"]),
            "account-id": r.choice(self.accounts[:5]), "tgw-id": self.tgws[0], "tgw-attachment-id": attach,
            "tgw-src-vpc-account-id": self.maybe(r.choice(self.accounts)), "tgw-dst-vpc-account-id": self.maybe(r.choice(self.accounts)),
            "tgw-src-vpc-id": self.maybe(r.choice(self.vpcs)), "tgw-dst-vpc-id": self.maybe(r.choice(self.vpcs)),
            "tgw-src-subnet-id": self.maybe(r.choice(self.subnets)), "tgw-dst-subnet-id": self.maybe(r.choice(self.subnets)),
            "tgw-src-eni": self.maybe(r.choice(self.enis)), "tgw-dst-eni": self.maybe(r.choice(self.enis)),
            "tgw-src-az-id": self.maybe(r.choice(self.azs)), "tgw-dst-az-id": self.maybe(r.choice(self.azs)),
            "tgw-pair-attachment-id": pair, "log-status": "OK", "region": self.maybe(r.choice(self.regions)),
            "flow-direction": direction,
        })
        for f in LOST:
            rec[f] = lost.get(f, "0" if r.random() < 0.9 else "-")
        return rec

    def tgw_nodata(self, status):
        r = self.r
        rec = {f: "-" for f in TGW_DEFAULT}
        rec.update({"version": "6", "resource-type": "TransitGateway", "account-id": self.accounts[0], "tgw-id": self.tgws[0],
                    "tgw-attachment-id": r.choice(self.attachments), "log-status": status, "region": r.choice(self.regions)})
        start = T0 + r.randrange(0, 6 * 3600)
        rec["start"], rec["end"] = str(start), str(start + 60)
        return rec

    def tgw_records(self, n_flows):
        r = self.r
        out = []
        for _ in range(n_flows):
            common = self.flow_common()
            a, b = r.sample(self.attachments, 2)
            roll = r.random()
            if roll < 0.12:  # dropped at the TGW: no exit attachment, logged at the entry only
                reason = r.choice(["packets-lost-no-route", "packets-lost-blackhole"])
                lost = {reason: common["packets"]}
                out.append(self.tgw_side(common, a, "-", "ingress", lost))
                continue
            lost = {}
            if roll < 0.2:
                lost = {r.choice(["packets-lost-mtu-exceeded", "packets-lost-ttl-expired"]): str(r.randrange(1, 500))}
            sides = r.random()
            if sides < 0.75:
                for _ in range(2 if r.random() < 0.02 else 1):  # the same flow logged twice: pairs form one to one
                    out.append(self.tgw_side(common, a, b, "ingress", lost))
                    out.append(self.tgw_side(common, b, a, "egress", lost))
            elif sides < 0.86:
                out.append(self.tgw_side(common, a, b, "ingress", lost))
            elif sides < 0.88:  # a side without direction, or without its own attachment id
                out.append(self.tgw_side(common, a, r.choice([b, "-"]), "-", lost))
                if r.random() < 0.3:
                    out[-1]["tgw-attachment-id"] = "-"
            else:
                out.append(self.tgw_side(common, b, a, "egress", lost))
        for _ in range(max(1, n_flows // 50)):
            out.append(self.tgw_nodata(r.choice(["NODATA", "SKIPDATA"])))
        r.shuffle(out)
        return out

    def vpc_record(self, fields):
        r = self.r
        status = r.choices(["OK", "NODATA", "SKIPDATA"], [0.93, 0.05, 0.02])[0]
        v6 = r.random() < 0.2
        proto = r.choice([6, 6, 17, 1, 58 if v6 else 1, 50])
        pk = r.randrange(1, 5000)
        start = T0 + r.randrange(0, 6 * 3600)
        ms = r.random() < 0.05
        eni = r.choice(self.enis)
        rec = {
            "version": str(r.choice([2, 3, 4, 5, 7, 8])), "account-id": r.choice(self.accounts),
            "interface-id": self.maybe(eni, 0.03), "srcaddr": self.addr(v6), "dstaddr": self.addr(v6),
            "srcport": str(r.randrange(0, 65536)), "dstport": str(r.choice([443, 22, 3389, 53, 80, r.randrange(65536)])),
            "protocol": str(proto), "packets": str(pk), "bytes": str(pk * r.randrange(40, 1500)),
            "start": str(start * 1000 if ms else start), "end": str((start + r.randrange(0, 600)) * (1000 if ms else 1)),
            "action": r.choice(["ACCEPT", "ACCEPT", "REJECT"]), "log-status": status,
            "vpc-id": r.choice(self.vpcs), "subnet-id": r.choice(self.subnets), "instance-id": self.maybe("i-%017x" % r.getrandbits(68), 0.3),
            "tcp-flags": str(r.choice([0, 1, 2, 3, 4, 16, 18, 19, 24, 27, 2 | 32])) if proto == 6 else "0",
            "type": r.choice(["IPv6"] if v6 else ["IPv4", "IPv4", "EFA"]),
            "region": r.choice(self.regions), "az-id": r.choice(self.azs),
            "sublocation-type": self.maybe(r.choice(["wavelength", "outpost", "localzone"]), 0.8),
            "sublocation-id": self.maybe("sl-%08x" % r.getrandbits(32), 0.8),
            "pkt-src-aws-service": self.maybe(r.choice(SERVICES), 0.7), "pkt-dst-aws-service": self.maybe(r.choice(SERVICES), 0.7),
            "flow-direction": r.choice(["ingress", "egress"]), "reject-reason": self.maybe("BPA", 0.9),
            "resource-id": self.maybe(r.choice(["nat-%017x", "vpce-%017x", "i-%017x"]) % r.getrandbits(68), 0.5),
            "encryption-status": self.maybe(str(r.randrange(4)), 0.3),
        }
        rec["pkt-srcaddr"] = self.maybe(rec["srcaddr"] if r.random() < 0.7 else self.addr(v6), 0.1)
        rec["pkt-dstaddr"] = self.maybe(rec["dstaddr"] if r.random() < 0.7 else self.addr(v6), 0.1)
        rec["traffic-path"] = str(r.randrange(1, 9)) if rec["flow-direction"] == "egress" and r.random() < 0.8 else "-"
        cluster = r.choice(["prod-api", "staging", "Prod-batch", "dev"])
        ecs = r.random() < 0.3
        task = "%032x" % r.getrandbits(128)
        rec.update({
            "ecs-cluster-arn": "arn:aws:ecs:us-east-1:%s:cluster/%s" % (self.accounts[0], cluster) if ecs else "-",
            "ecs-cluster-name": cluster if ecs else "-",
            "ecs-container-instance-arn": ("arn:aws:ecs:us-east-1:%s:container-instance/%s/%032x" % (self.accounts[0], cluster, r.getrandbits(128))) if ecs and r.random() < 0.5 else "-",
            "ecs-container-instance-id": ("%032x" % r.getrandbits(128)) if ecs and r.random() < 0.5 else "-",
            "ecs-container-id": ("%064x" % r.getrandbits(256)) if ecs else "-",
            "ecs-second-container-id": ("%064x" % r.getrandbits(256)) if ecs and r.random() < 0.3 else "-",
            "ecs-service-name": r.choice(["web", "worker", "-"]) if ecs else "-",
            "ecs-task-definition-arn": ("arn:aws:ecs:us-east-1:%s:task-definition/web:%d" % (self.accounts[0], r.randrange(1, 90))) if ecs else "-",
            "ecs-task-arn": ("arn:aws:ecs:us-east-1:%s:task/%s/%s" % (self.accounts[0], cluster, task)) if ecs else "-",
            "ecs-task-id": task if ecs else "-",
        })
        for f in list(rec):
            if f not in ("version", "log-status") and r.random() < 0.03:
                rec[f] = "-"
        if status != "OK":
            for f in ("srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes", "action", "tcp-flags",
                      "pkt-srcaddr", "pkt-dstaddr", "type"):
                rec[f] = "-"
        return {f: rec[f] for f in fields}


def typed(rec):
    """The oracle's view of one record: field -> int / str / None (missing or `-`)."""
    out = {}
    for f, v in rec.items():
        if v == "-":
            out[f] = None
        elif f in INT_FIELDS:
            n = int(v)
            if f in ("start", "end") and n > 10 ** 11:
                n //= 1000
            out[f] = n
        else:
            out[f] = v
    return out


def write_gzip_members(path, lines, members):
    raw = b""
    step = max(1, len(lines) // members + 1)
    for i in range(0, len(lines), step):
        raw += gzip.compress("".join(lines[i:i + step]).encode(), mtime=0)
    with open(path, "wb") as f:
        f.write(raw)


# ---------------------------------------------------------------- a minimal Parquet writer
# Written from the Parquet format specification (Thrift compact protocol footer, v1 data pages,
# PLAIN values, RLE definition levels), so the product is checked against a writer that is
# neither DuckDB nor Arrow.


def _varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _zz(n):
    return _varint((n << 1) ^ (n >> 63))


class _Thrift:
    """Thrift compact protocol: a struct is a list of (field id, type, value)."""
    I32, I64, BINARY, LIST, STRUCT = 5, 6, 8, 9, 12

    @classmethod
    def value(cls, t, v):
        if t in (cls.I32, cls.I64):
            return _zz(v)
        if t == cls.BINARY:
            b = v.encode() if isinstance(v, str) else v
            return _varint(len(b)) + b
        if t == cls.STRUCT:
            return cls.struct(v)
        if t == cls.LIST:
            et, items = v
            head = bytes([(len(items) << 4) | et]) if len(items) < 15 else bytes([0xF0 | et]) + _varint(len(items))
            return head + b"".join(cls.value(et, x) for x in items)
        raise ValueError(t)

    @classmethod
    def struct(cls, fields):
        out = bytearray()
        last = 0
        for fid, t, v in fields:
            if v is None:
                continue
            d = fid - last
            out += bytes([(d << 4) | t]) if 0 < d <= 15 else bytes([t]) + _zz(fid)
            out += cls.value(t, v)
            last = fid
        out.append(0)
        return bytes(out)


def _levels(defs):
    """RLE runs of 1-bit definition levels, prefixed by their 4-byte length."""
    body = bytearray()
    i = 0
    while i < len(defs):
        j = i
        while j < len(defs) and defs[j] == defs[i]:
            j += 1
        body += _varint((j - i) << 1) + bytes([defs[i]])
        i = j
    return len(body).to_bytes(4, "little") + bytes(body)


def write_parquet(path, columns, rows, codec=2, rows_per_group=700):
    """columns: [(name, 'i32' | 'i64' | 'str')]; rows: lists of int / str / None. codec 0 none, 2 GZIP."""
    T = _Thrift
    ptype = {"i32": 1, "i64": 2, "str": 6}
    out = bytearray(b"PAR1")
    groups = []
    for g0 in range(0, len(rows), rows_per_group):
        part = rows[g0:g0 + rows_per_group]
        chunks = []
        for ci, (name, kind) in enumerate(columns):
            vals = [r[ci] for r in part]
            data = bytearray()
            for v in vals:
                if v is None:
                    continue
                if kind == "i32":
                    data += int(v).to_bytes(4, "little", signed=True)
                elif kind == "i64":
                    data += int(v).to_bytes(8, "little", signed=True)
                else:
                    b = v.encode()
                    data += len(b).to_bytes(4, "little") + b
            raw = _levels([0 if v is None else 1 for v in vals]) + bytes(data)
            comp = gzip.compress(raw, mtime=0) if codec == 2 else raw
            header = T.struct([(1, T.I32, 0), (2, T.I32, len(raw)), (3, T.I32, len(comp)),
                               (5, T.STRUCT, [(1, T.I32, len(vals)), (2, T.I32, 0), (3, T.I32, 3), (4, T.I32, 3)])])
            offset = len(out)
            out += header + comp
            meta = [(1, T.I32, ptype[kind]), (2, T.LIST, (T.I32, [0, 3])), (3, T.LIST, (T.BINARY, [name])),
                    (4, T.I32, codec), (5, T.I64, len(vals)), (6, T.I64, len(header) + len(raw)),
                    (7, T.I64, len(header) + len(comp)), (9, T.I64, offset)]
            chunks.append([(2, T.I64, offset), (3, T.STRUCT, meta)])
        groups.append([(1, T.LIST, (T.STRUCT, chunks)), (2, T.I64, sum(len(c) for c in chunks)), (3, T.I64, len(part))])
    schema = [[(4, T.BINARY, "schema"), (5, T.I32, len(columns))]]
    for name, kind in columns:
        schema.append([(1, T.I32, ptype[kind]), (3, T.I32, 1), (4, T.BINARY, name), (6, T.I32, 0 if kind == "str" else None)])
    footer = T.struct([(1, T.I32, 1), (2, T.LIST, (T.STRUCT, schema)), (3, T.I64, len(rows)),
                       (4, T.LIST, (T.STRUCT, groups)), (6, T.BINARY, "flowlog-oracle minimal writer")])
    out += footer + len(footer).to_bytes(4, "little") + b"PAR1"
    with open(path, "wb") as f:
        f.write(bytes(out))


PARQUET_I32 = {"version", "srcport", "dstport", "tcp-flags", "traffic-path", "encryption-status"}


def make_dataset(out, seed):
    g = Gen(seed)
    r = g.r
    files = []  # (path, typed records, format description)
    combos = []

    # 1. TGW default header, gzip with several members.
    both = g.tgw_records(scaled(4500))  # one TGW log split over two files: twins across files
    cut = [r.random() < 0.67 for _ in both]
    recs = [x for x, c in zip(both, cut) if c]
    later = [x for x, c in zip(both, cut) if not c]
    lines = [" ".join(TGW_DEFAULT) + "\n"] + [" ".join(x[f] for f in TGW_DEFAULT) + "\n" for x in recs]
    p = os.path.join(out, "111122223333_vpcflowlogs_us-east-1_tgw-default.log.gz")
    write_gzip_members(p, lines, 4)
    files.append((p, recs))
    combos.append(TGW_DEFAULT)

    # 2. TGW, header in a shuffled order, plain, CRLF, runs of spaces and tabs.
    order = TGW_DEFAULT[:]
    r.shuffle(order)
    recs = later
    body = [" ".join(order)]
    for x in recs:
        sep = r.choice([" ", " ", "  ", "\t"])
        body.append(sep.join(x[f] for f in order))
    p = os.path.join(out, "tgw_shuffled.log")
    with open(p, "wb") as f:
        f.write(("\r\n".join(body) + "\r\n").encode())
    files.append((p, recs))
    combos.append(order)

    # 3. VPC custom formats: random subsets in random orders; one file holds two headers.
    allv = VPC_V2 + VPC_MORE
    for i in range(6):
        lines = []
        recs = []
        for part in range(2 if i % 2 == 0 else 1):
            k = r.randrange(3, len(allv) + 1)
            fields = r.sample(allv, k)
            if i == 0 and part == 0:
                fields = allv[:]
                r.shuffle(fields)
            if i == 1:
                fields = sorted(allv)  # alphabetical custom format
            if i == 2 and part == 0:
                fields = ["${%s}" % x for x in fields]
                combos.append([x[2:-1] for x in fields])
            else:
                combos.append(fields)
            names = [x[2:-1] if x.startswith("${") else x for x in fields]
            shown = list(fields)
            if i == 3:  # Athena-style underscore names in a text header
                shown = [x.replace("-", "_") for x in fields]
            unknown = i in (4, 5)  # a field AWS may add later: an extra text column, not an error
            pos = len(shown) // 2
            if unknown:
                shown.insert(pos, "future-field")
            lines.append(" ".join(shown) + "\n")
            for _ in range(scaled(r.randrange(400, 1200))):
                rec = g.vpc_record(names)
                recs.append(rec)
                vals = [rec[n] for n in names]
                if unknown:
                    vals.insert(pos, r.choice(["-", "v1", "abc-def"]))
                if i == 5 and r.random() < 0.05 and "version" in names:
                    rec["version"] = "-"
                    vals[shown.index("version")] = "-"
                lines.append(" ".join(vals) + "\n")
                if r.random() < 0.01:
                    lines.append("\n")
        p = os.path.join(out, "vpc_custom_%d.log%s" % (i, ".gz" if i % 3 == 0 else ""))
        if p.endswith(".gz"):
            write_gzip_members(p, lines, 3)
        else:
            with open(p, "w") as f:
                f.write("".join(lines))
        files.append((p, recs))

    # 4. VPC default (v2), headerless.
    recs = [g.vpc_record(VPC_V2) for _ in range(scaled(800))]
    for x in recs:
        x["version"] = "2"
    p = os.path.join(out, "vpc_default_headerless.log")
    with open(p, "w") as f:
        f.write("".join(" ".join(x[n] for n in VPC_V2) + "\n" for x in recs))
    files.append((p, recs))

    # 5. CloudWatch export to S3: ISO timestamp, a space, a TGW default record; gzip.
    recs = g.tgw_records(scaled(700))
    lines = []
    for x in recs:
        t = int(x["start"]) if x["start"] != "-" else T0
        lines.append("%s.000Z %s\n" % (__import__("time").strftime("%Y-%m-%dT%H:%M:%S", __import__("time").gmtime(t)),
                                       " ".join(x[f] for f in TGW_DEFAULT)))
    p = os.path.join(out, "cw_export_000000.gz")
    write_gzip_members(p, lines, 2)
    files.append((p, recs))

    # 6. aws logs filter-log-events JSON, two pages concatenated (VPC default records).
    recs = [g.vpc_record(VPC_V2) for _ in range(scaled(500))]
    for x in recs:
        x["version"] = "2"
    pages = []
    for half in (recs[:250], recs[250:]):
        ev = [{"logStreamName": x["interface-id"] + "-all", "timestamp": T0 * 1000, "message": " ".join(x[n] for n in VPC_V2),
               "ingestionTime": T0 * 1000 + 5, "eventId": str(r.getrandbits(60))} for x in half]
        pages.append(json.dumps({"events": ev, "searchedLogStreams": [], "nextToken": "abc"}, indent=r.choice([None, 2])))
    p = os.path.join(out, "filter_log_events.json")
    with open(p, "w") as f:
        f.write("\n".join(pages) + "\n")
    files.append((p, recs))
    # 7. S3 Parquet from a writer that is neither DuckDB nor Arrow: TGW (INT32 / INT64 per AWS's
    #    table, nulls for `-`, GZIP) and a VPC custom subset with protocol INT32, uncompressed.
    def parquet_rows(recs, fields, i64protocol):
        cols = [(f.replace("-", "_"), "i32" if f in PARQUET_I32 or (f == "protocol" and not i64protocol)
                 else ("i64" if f in INT_FIELDS else "str")) for f in fields]
        rows = [[None if x[f] == "-" else (int(x[f]) if f in INT_FIELDS else x[f]) for f in fields] for x in recs]
        return cols, rows
    recs = g.tgw_records(scaled(900))
    order = TGW_DEFAULT[:]
    r.shuffle(order)
    p = os.path.join(out, "111122223333_vpcflowlogs_us-east-1_fl-0123456789abcdef0_1a2b3c4d.log.parquet")
    write_parquet(p, *parquet_rows(recs, order, True), codec=2)
    files.append((p, recs))
    combos.append(order)
    fields = r.sample(allv, 25)
    for must in ("protocol", "packets", "bytes", "start"):
        if must not in fields:
            fields.append(must)
    recs = [g.vpc_record(fields) for _ in range(scaled(600))]
    for x in recs:
        for f in ("start", "end"):
            if x.get(f, "-") != "-" and int(x[f]) > 10 ** 11:
                x[f] = str(int(x[f]) // 1000)  # Parquet from S3 carries seconds
    p = os.path.join(out, "vpc_custom.parquet")
    write_parquet(p, *parquet_rows(recs, fields, False), codec=0, rows_per_group=250)
    files.append((p, recs))
    combos.append(fields)
    # 8. More CloudWatch and Athena forms: NDJSON events, subscription payloads (gzip, several
    #    members, a CONTROL_MESSAGE), a console CSV download, an Athena CSV of a VPC subset.
    recs = g.tgw_records(scaled(400))
    p = os.path.join(out, "events.ndjson")
    with open(p, "w") as f:
        for x in recs:
            msg = " ".join(x[n] for n in TGW_DEFAULT)
            ev = {"message": msg} if r.random() < 0.5 else {"timestamp": T0 * 1000, "message": msg, "ingestionTime": T0 * 1000,
                                                             "logStreamName": x["tgw-attachment-id"]}
            f.write(json.dumps(ev) + "\n")
    files.append((p, recs))
    recs = [g.vpc_record(VPC_V2) for _ in range(scaled(600))]
    for x in recs:
        x["version"] = "2"
    raw = gzip.compress(json.dumps({"messageType": "CONTROL_MESSAGE", "owner": "CloudwatchLogs", "logGroup": "",
                                    "logStream": "", "subscriptionFilters": [], "logEvents": [
                                        {"id": "", "timestamp": T0 * 1000, "message": "CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}).encode(), mtime=0)
    for k in range(0, len(recs), max(1, len(recs) // 4)):
        payload = {"messageType": "DATA_MESSAGE", "owner": g.accounts[0], "logGroup": "/flow-logs/prod",
                   "logStream": "eni-all", "subscriptionFilters": ["to-firehose"],
                   "logEvents": [{"id": str(r.getrandbits(60)), "timestamp": T0 * 1000, "message": " ".join(x[n] for n in VPC_V2)}
                                 for x in recs[k:k + max(1, len(recs) // 4)]]}
        raw += gzip.compress(json.dumps(payload).encode(), mtime=0)
    p = os.path.join(out, "firehose-1-2025-12-01-00-00-00-abc")
    with open(p, "wb") as f:
        f.write(raw)
    files.append((p, recs))
    recs = g.tgw_records(scaled(300))
    p = os.path.join(out, "logs-insights-results.csv")
    with open(p, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["@timestamp", "@message"])
        for x in recs:
            w.writerow(["2025-12-01 00:00:00.000", " ".join(x[n] for n in TGW_DEFAULT)])
    files.append((p, recs))
    fields = r.sample(allv, 18)
    recs = [g.vpc_record(fields) for _ in range(scaled(500))]
    p = os.path.join(out, "athena-results.csv")
    with open(p, "w", newline="") as f:
        f.write(",".join('"%s"' % n.replace("-", "_") for n in fields) + "\n")
        for x in recs:
            cells = []
            for n in fields:
                v = x[n]
                cells.append(r.choice(['""', ""]) if v == "-" else '"%s"' % v)
            f.write(",".join(cells) + "\n")
    files.append((p, recs))
    combos.append(fields)

    # 9. The Hive-style S3 layout: a format without account-id and region takes them from the path.
    d = os.path.join(out, "AWSLogs", "aws-account-id=999988887777", "aws-service=vpcflowlogs", "aws-region=eu-central-1",
                     "year=2025", "month=12", "day=01")
    os.makedirs(d, exist_ok=True)
    fields = [f for f in allv if f not in ("account-id", "region")]
    r.shuffle(fields)
    fields = fields[:20] + ["account-id"]
    recs = [g.vpc_record(fields) for _ in range(scaled(300))]
    for x in recs:
        if r.random() < 0.5:
            x["account-id"] = "-"
    p = os.path.join(d, "999988887777_vpcflowlogs_eu-central-1_fl-0abc_0f0f.log.gz")
    write_gzip_members(p, [" ".join(fields) + "\n"] + [" ".join(x[n] for n in fields) + "\n" for x in recs], 1)
    for x in recs:
        if x["account-id"] == "-":
            x["account-id"] = "999988887777"
        x["region"] = "eu-central-1"
    files.append((p, recs))
    combos.append(fields)
    return files, combos, g


# ---------------------------------------------------------------- the oracle's own answers


def twins(records):
    """Pairs ingress and egress records of one flow: same flow identity, attachments swapped."""
    def key(x):
        return tuple(x.get(f) for f in ("srcaddr", "dstaddr", "pkt-srcaddr", "pkt-dstaddr", "srcport", "dstport", "protocol",
                                        "packets", "bytes", "start", "end"))
    waiting = {}
    twin = {}
    for i, x in enumerate(records):
        a, p, d = x.get("tgw-attachment-id"), x.get("tgw-pair-attachment-id"), x.get("flow-direction")
        if not a or not p or d not in ("ingress", "egress"):
            continue
        k = (a, p, key(x)) if d == "ingress" else (p, a, key(x))
        q = waiting.setdefault(k, [])
        if q and q[0][1] != d:
            j, _ = q.pop(0)
            twin[i], twin[j] = j, i
        else:
            q.append((i, d))
    return twin


def counted(records, twin, passes):
    """Indexes of records the counting rule counts among those passing the filter."""
    out = []
    for i, x in enumerate(records):
        if not passes[i]:
            continue
        if x.get("flow-direction") == "egress" and x.get("tgw-attachment-id") and i in twin and passes[twin[i]]:
            continue
        out.append(i)
    return out


def n0(v):
    return v if v is not None else 0


def expect_edges(records, twin, passes):
    edges = {}
    for i in counted(records, twin, passes):
        x = records[i]
        if x.get("packets") is None and x.get("bytes") is None:
            continue  # NODATA / SKIPDATA: not a flow
        a = x.get("tgw-attachment-id")
        if not a:
            continue
        p = x.get("tgw-pair-attachment-id") or "-"
        src, dst = (p, a) if x.get("flow-direction") == "egress" else (a, p)
        e = edges.setdefault((src, dst), [0] * 7)
        vals = [1, n0(x.get("packets")), n0(x.get("bytes"))] + [n0(x.get(f)) for f in LOST]
        for k in range(7):
            e[k] += vals[k]
    return edges


def expect_addr_edges(records, twin, passes):
    edges = {}
    for i in counted(records, twin, passes):
        x = records[i]
        if x.get("packets") is None and x.get("bytes") is None:
            continue
        e = edges.setdefault((x.get("srcaddr") or "-", x.get("dstaddr") or "-"), [0] * 7)
        vals = [1, n0(x.get("packets")), n0(x.get("bytes"))] + [n0(x.get(f)) for f in LOST]
        for k in range(7):
            e[k] += vals[k]
    return edges


def expect_series(records, twin, passes, width):
    bins = {}
    for i in counted(records, twin, passes):
        x = records[i]
        if (x.get("packets") is None and x.get("bytes") is None) or x.get("start") is None:
            continue
        b = bins.setdefault(x["start"] // width * width, [0] * 7)
        vals = [1, n0(x.get("packets")), n0(x.get("bytes"))] + [n0(x.get(f)) for f in LOST]
        for k in range(7):
            b[k] += vals[k]
    return bins


def expect_drops(records, twin, passes):
    groups = {}
    for i in counted(records, twin, passes):
        x = records[i]
        a = x.get("tgw-attachment-id")
        if a:
            p = x.get("tgw-pair-attachment-id") or "-"
            entry, exit_ = (p, a) if x.get("flow-direction") == "egress" else (a, p)
            for f in LOST:
                if n0(x.get(f)) > 0:
                    g = groups.setdefault((entry, exit_, LOST_REASON[f]), [0, 0])
                    g[0] += x[f]
                    g[1] += 1
        elif x.get("action") == "REJECT":
            g = groups.setdefault((x.get("interface-id") or "-", "-", "rejected"), [0, 0])
            g[0] += max(0, n0(x.get("packets")))
            g[1] += 1
    return groups


def in_net(v, net):
    if v is None:
        return False
    a = ipaddress.ip_address(v)
    return a.version == net.version and a in net


def has(v, bits):
    return v is not None and (v & bits) == bits


def filters(g, records):
    """(expression, predicate) pairs; the predicate is the README's meaning of the expression."""
    eni = g.enis[7]
    vpcs = g.vpcs[3:5]
    v6 = g.v6hosts[len(g.v6hosts) // 3]
    v6long = ipaddress.IPv6Address(v6).exploded
    n20 = ipaddress.ip_network("10.20.0.0/16")
    n6 = ipaddress.ip_network("2600:1f18::/32")
    n10 = ipaddress.ip_network("10.0.0.0/8")
    t1, t2 = T0 + 3600, T0 + 2 * 3600
    return [
        ("proto == udp and dstport == 53", lambda x: x.get("protocol") == 17 and x.get("dstport") == 53),
        ("addr == 10.20.0.0/16", lambda x: in_net(x.get("srcaddr"), n20) or in_net(x.get("dstaddr"), n20)),
        ("addr == 2600:1f18::/32", lambda x: in_net(x.get("srcaddr"), n6) or in_net(x.get("dstaddr"), n6)),
        ("addr != 10.0.0.0/8", lambda x: not (in_net(x.get("srcaddr"), n10) or in_net(x.get("dstaddr"), n10))),
        ("srcaddr == 10.20.0.0/16 or pkt_dstaddr == 10.0.0.0/8",
         lambda x: in_net(x.get("srcaddr"), n20) or in_net(x.get("pkt-dstaddr"), n10)),
        ("addr == %s" % v6long, lambda x: x.get("srcaddr") == v6 or x.get("dstaddr") == v6),
        ("tcp_flags has SYN and not tcp_flags has ACK", lambda x: has(x.get("tcp-flags"), 2) and not has(x.get("tcp-flags"), 16)),
        ("tcp_flags == SYN|ACK", lambda x: x.get("tcp-flags") == 18),
        ("tcp-flags has FIN|SYN", lambda x: has(x.get("tcp-flags"), 3)),
        ("not tcp_flags", lambda x: x.get("tcp-flags") is None),
        ("drops", lambda x: sum(n0(x.get(f)) for f in LOST) > 0),
        ("packets_lost_blackhole > 0 or packets_lost_no_route > 0",
         lambda x: n0(x.get("packets-lost-blackhole")) > 0 or n0(x.get("packets-lost-no-route")) > 0),
        ("action != ACCEPT", lambda x: x.get("action") != "ACCEPT"),
        ("action == REJECT", lambda x: x.get("action") == "REJECT"),
        ("log_status != OK", lambda x: x.get("log-status") != "OK"),
        ("log-status in {NODATA, SKIPDATA}", lambda x: x.get("log-status") in ("NODATA", "SKIPDATA")),
        ("pkt_src_aws_service == S3 or pkt_dst_aws_service in {DYNAMODB, EC2}",
         lambda x: x.get("pkt-src-aws-service") == "S3" or x.get("pkt-dst-aws-service") in ("DYNAMODB", "EC2")),
        ("pkt-dst-aws-service", lambda x: x.get("pkt-dst-aws-service") is not None),
        ("traffic_path == 8", lambda x: x.get("traffic-path") == 8),
        ("traffic_path >= 4 and traffic_path <= 5", lambda x: x.get("traffic-path") in (4, 5)),
        ("flow_direction == egress and bytes > 100000", lambda x: x.get("flow-direction") == "egress" and n0(x.get("bytes")) > 100000 and x.get("bytes") is not None),
        ("attachment contains 0A1", lambda x: any(v is not None and "0a1" in v.lower() for v in (x.get("tgw-attachment-id"), x.get("tgw-pair-attachment-id")))),
        ("attachment == %s" % g.attachments[5], lambda x: g.attachments[5] in (x.get("tgw-attachment-id"), x.get("tgw-pair-attachment-id"))),
        ("attachment != %s" % g.attachments[6], lambda x: g.attachments[6] not in (x.get("tgw-attachment-id"), x.get("tgw-pair-attachment-id"))),
        ("sublocation_type", lambda x: x.get("sublocation-type") is not None),
        ("sublocation-id contains SL-", lambda x: x.get("sublocation-id") is not None and "sl-" in x["sublocation-id"].lower()),
        ("ecs_cluster_name contains prod", lambda x: x.get("ecs-cluster-name") is not None and "prod" in x["ecs-cluster-name"].lower()),
        ("ecs-task-id or ecs_second_container_id", lambda x: x.get("ecs-task-id") is not None or x.get("ecs-second-container-id") is not None),
        ("port in {22, 3389}", lambda x: x.get("srcport") in (22, 3389) or x.get("dstport") in (22, 3389)),
        ("reject_reason == BPA", lambda x: x.get("reject-reason") == "BPA"),
        ("eni == %s" % eni, lambda x: eni in (x.get("interface-id"), x.get("tgw-src-eni"), x.get("tgw-dst-eni"))),
        ('start >= "2025-12-01 01:00" and start < 2025-12-01T02:00:00Z', lambda x: x.get("start") is not None and t1 <= x["start"] < t2),
        ("end >= 1764550800000", lambda x: x.get("end") is not None and x["end"] >= 1764550800),
        ("encryption_status == 1 or encryption-status == 3", lambda x: x.get("encryption-status") in (1, 3)),
        ("type == IPv6", lambda x: x.get("type") == "IPv6"),
        ("type != IPv4", lambda x: x.get("type") != "IPv4"),
        ("account == unknown", lambda x: "unknown" in (x.get("account-id"), x.get("tgw-src-vpc-account-id"), x.get("tgw-dst-vpc-account-id"))),
        ("vpc in {%s, %s}" % tuple(vpcs), lambda x: any(x.get(f) in vpcs for f in ("vpc-id", "tgw-src-vpc-id", "tgw-dst-vpc-id"))),
        ("proto == icmpv6 or proto == gre or protocol == 50", lambda x: x.get("protocol") in (58, 47, 50)),
        ("resource-type == TransitGatewayAttachment", lambda x: x.get("resource-type") == "TransitGatewayAttachment"),
        ("resource_id contains nat-", lambda x: x.get("resource-id") is not None and "nat-" in x["resource-id"]),
        ("version == 2 and srcport < 1024", lambda x: x.get("version") == 2 and x.get("srcport") is not None and x["srcport"] < 1024),
        ("region == eu-west-1", lambda x: x.get("region") == "eu-west-1"),
        ("region == eu-central-1 and account-id == 999988887777",
         lambda x: x.get("region") == "eu-central-1" and x.get("account-id") == "999988887777"),
        ("not flow_direction", lambda x: x.get("flow-direction") is None),
        ("not attachment", lambda x: x.get("tgw-attachment-id") is None and x.get("tgw-pair-attachment-id") is None),
        ("az in {use1-az1, euw1-az1}", lambda x: any(x.get(f) in ("use1-az1", "euw1-az1") for f in ("az-id", "tgw-src-az-id", "tgw-dst-az-id"))),
    ]


# ---------------------------------------------------------------- running the CLI


class Checker:
    def __init__(self, cli):
        self.cli = cli
        self.failures = []
        self.checked = 0

    def run(self, args):
        p = subprocess.run([self.cli] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode not in (0,):
            self.fail("%s: exit %d: %s" % (" ".join(args[:3]), p.returncode, p.stderr.decode(errors="replace")[:300]))
        return p.stdout.decode(errors="replace")

    def eq(self, what, got, want):
        self.checked += 1
        if got != want:
            self.fail("%s: flowlog-cli %r, oracle %r" % (what, got, want))

    def fail(self, msg):
        self.failures.append(msg)


def check_dataset(ck, out, seed):
    files, combos, g = make_dataset(out, seed)
    records = [typed(x) for _, recs in files for x in recs]
    paths = [p for p, _ in files]
    total_lines = sum(len(recs) for _, recs in files)

    s = json.loads(ck.run(["summary"] + paths))
    ck.eq("summary records", s["records"], len(records))
    ck.eq("summary rejected", s["rejected"], 0)
    ck.eq("summary bytes", s["bytes"], sum(n0(x.get("bytes")) for x in records))
    ck.eq("summary packets", s["packets"], sum(n0(x.get("packets")) for x in records))
    starts = [x["start"] for x in records if x.get("start") is not None]
    ends = [x["end"] for x in records if x.get("end") is not None]
    ck.eq("summary first_start", s["first_start"], min(starts))
    ck.eq("summary last_end", s["last_end"], max(ends))
    byfile = {f["path"]: f for f in s["files"]}
    for p, recs in files:
        f = byfile.get(p, {})
        ck.eq("%s records" % os.path.basename(p), f.get("records"), len(recs))
        ck.eq("%s rejected" % os.path.basename(p), f.get("rejected"), 0)

    # A time window: records whose start is in [from, to) are loaded, the rest (and records
    # without a start) are counted as outside_window.
    w0, w1 = T0 + 3600, T0 + 3 * 3600
    inside = sum(1 for x in records if x.get("start") is not None and w0 <= x["start"] < w1)
    s = json.loads(ck.run(["summary", "--from", str(w0), "--to", "2025-12-01T03:00:00Z"] + paths))
    ck.eq("window: records", s["records"], inside)
    ck.eq("window: outside_window", s["outside_window"], len(records) - inside)
    ck.eq("window: bytes", s["bytes"], sum(n0(x.get("bytes")) for x in records
                                            if x.get("start") is not None and w0 <= x["start"] < w1))

    # A headerless custom format (CloudWatch logs of a custom flow log), read with --format.
    fields = g.r.sample(VPC_V2 + VPC_MORE, 16)
    for must in ("bytes", "srcaddr"):
        if must not in fields:
            fields.append(must)
    raw = [g.vpc_record(fields) for _ in range(scaled(400))]
    recs = [typed(x) for x in raw]
    p = os.path.join(out, "custom-headerless", "stream.log")
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w") as f:
        f.write("".join(" ".join(x[n] for n in fields) + "\n" for x in raw))
    fmt = " ".join("${%s}" % n for n in fields)
    s = json.loads(ck.run(["summary", "--format", fmt, p]))
    ck.eq("--format: records", s["records"], len(recs))
    ck.eq("--format: rejected", s["rejected"], 0)
    ck.eq("--format: bytes", s["bytes"], sum(n0(x.get("bytes")) for x in recs))
    combos.append(fields)

    twin = twins(records)
    allpass = [True] * len(records)

    def cmp_edges(flt, passes):
        args = ["edges", "--by", "attachment"] + (["--filter", flt] if flt else []) + paths
        got = {}
        for row in csv.DictReader(io.StringIO(ck.run(args))):
            got[(row["src"], row["dst"])] = [int(row[c]) for c in ("flows", "packets", "bytes", "packets_lost_no_route",
                                                                    "packets_lost_blackhole", "packets_lost_mtu_exceeded",
                                                                    "packets_lost_ttl_expired")]
        want = expect_edges(records, twin, passes)
        ck.eq("edges%s: number of edges" % (" [%s]" % flt if flt else ""), len(got), len(want))
        for k in sorted(set(got) | set(want)):
            ck.eq("edges%s %s->%s" % (" [%s]" % flt if flt else "", k[0], k[1]), got.get(k), want.get(k))

    def cmp_drops(flt, passes):
        args = ["drops"] + (["--filter", flt] if flt else []) + paths
        got = {}
        for row in csv.DictReader(io.StringIO(ck.run(args))):
            got[(row["entry"], row["exit"], row["reason"])] = [int(row["packets"]), int(row["records"])]
        want = expect_drops(records, twin, passes)
        ck.eq("drops%s: number of rows" % (" [%s]" % flt if flt else ""), len(got), len(want))
        for k in sorted(set(got) | set(want)):
            ck.eq("drops%s %s" % (" [%s]" % flt if flt else "", "/".join(k)), got.get(k), want.get(k))

    cmp_edges(None, allpass)
    cmp_drops(None, allpass)
    cols = ("flows", "packets", "bytes", "packets_lost_no_route", "packets_lost_blackhole", "packets_lost_mtu_exceeded",
            "packets_lost_ttl_expired")
    got = {(row["src"], row["dst"]): [int(row[c]) for c in cols]
           for row in csv.DictReader(io.StringIO(ck.run(["edges", "--by", "addr"] + paths)))}
    want = expect_addr_edges(records, twin, allpass)
    ck.eq("edges by addr: number of edges", len(got), len(want))
    for k in sorted(set(got) | set(want)):
        ck.eq("edges by addr %s->%s" % k, got.get(k), want.get(k))
    got = {int(row["bin_start"]): [int(row[c]) for c in cols]
           for row in csv.DictReader(io.StringIO(ck.run(["series", "--bin", "300"] + paths)))}
    want = expect_series(records, twin, allpass, 300)
    for k in sorted(set(got) | set(want)):
        ck.eq("series bin %d" % k, got.get(k) if got.get(k) != [0] * 7 or k in want else None, want.get(k))
    flist = filters(g, records)
    for expr, pred in flist:
        passes = [bool(pred(x)) for x in records]
        text = ck.run(["export", "--filter", expr, "--columns", "line"] + paths)
        rows = [ln for ln in text.split("\r\n") if ln][1:]
        ck.eq("filter [%s] records" % expr, len(rows), sum(passes))
    for expr, pred in [x for x in flist if x[0] in ("drops", "attachment == %s" % g.attachments[5],
                                                   "flow_direction == egress and bytes > 100000", "action != ACCEPT")]:
        passes = [bool(pred(x)) for x in records]
        cmp_edges(expr, passes)
        cmp_drops(expr, passes)
    return len(files), len(records), total_lines, combos, len(flist)


# ---------------------------------------------------------------- hostile lines


def check_hostile(ck, out):
    """Each bad line must be a rejection naming file:line; good lines around it stay records."""
    fields = ["version", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes",
              "start", "end", "action", "log-status", "ecs-task-arn"]
    good = "5 eni-0123456789abcdef0 10.0.0.1 10.0.0.2 1234 443 6 10 840 1764547200 1764547260 ACCEPT OK -"
    cases = [  # (line, expected: None = a record, else a substring of the reason)
        (good, None),
        (good + " extra", "15 fields"),
        (good.replace(" 1234 ", " 12x4 "), "srcport"),
        (good.replace(" 443 ", " https "), "dstport"),
        (good.replace("10.0.0.1", "1" * 70000), "srcaddr"),
        (good[:-1] + "arn:aws:ecs:us-east-1:1:task/" + "t" * 70000, None),  # a long but valid text value
        (good.replace(" 840 ", " 8\x0040 "), "bytes"),
        (good.replace(" 10 840", " -5 840"), "negative"),
        (good.replace(" 840 ", " 9223372036854775808 "), "too large"),
        (good.replace("10.0.0.2", "10.0.0.256"), "dstaddr"),
        (good.replace("10.0.0.2", "2600:1f18::zz"), "dstaddr"),
        (" ".join(good.split()[:5]), "5 fields"),
        (good.replace("ACCEPT", "ACC\0EPT"), "action"),  # a NUL inside a text value
        (good.replace(" OK ", " O\rK "), "log-status"),  # a lone CR inside a value
        (good.replace("eni-", "\0eni-"), "interface-id"),
        (good + " " + "y" * (1100 * 1024), "longer than 1 MiB"),
        ("\t" + good.replace(" ", "\t  "), None),  # tabs and runs of blanks
        (good.replace(" 443 ", " 70000 "), None),  # syntax, not plausibility: kept
        (good, None),
    ]
    text = "\ufeff" + " ".join(fields) + "\r\n" + "".join(c[0] + "\r\n" for c in cases)
    p = os.path.join(out, "hostile.log")
    with open(p, "wb") as f:
        f.write(text.encode("utf-8"))
    s = json.loads(ck.run(["summary", p]))
    want_bad = [(i + 2, why) for i, (_, why) in enumerate(cases) if why]
    ck.eq("hostile records", s["records"], sum(1 for c in cases if c[1] is None))
    ck.eq("hostile rejected", s["rejected"], len(want_bad))
    got = {r["line"]: r["reason"] for r in s["rejections"] if r["file"].endswith("hostile.log")}
    for line, why in want_bad:
        reason = got.get(line, "")
        ck.checked += 1
        if why not in reason:
            ck.fail("hostile.log:%d: expected a rejection mentioning %r, got %r" % (line, why, reason or "no rejection"))
    # The same in Parquet: a control byte in a string is a rejection naming the row.
    pq = os.path.join(out, "hostile.parquet")
    write_parquet(pq, [("interface_id", "str"), ("action", "str"), ("bytes", "i64"), ("srcaddr", "str")],
                  [["eni-1", "ACCEPT", 5, "10.0.0.1"], ["eni-1", "ACC\0EPT", 5, "10.0.0.1"], ["eni-\r", "ACCEPT", 5, "10.0.0.1"],
                   ["eni-1", "ACCEPT", 5, "10.0.0.999"], [None, None, None, None]], codec=0)
    s = json.loads(ck.run(["summary", pq]))
    ck.eq("hostile.parquet records", s["records"], 2)
    ck.eq("hostile.parquet rejected lines", sorted(r["line"] for r in s["rejections"]), [2, 3, 4])
    exp = ck.run(["export", "--columns", "line,ecs_task_arn", p])
    lens = sorted(len(x) for x in exp.split("\r\n"))
    ck.eq("hostile: the 70,000-character ecs-task-arn is kept whole", lens[-1] >= 70000, True)
    return len(cases)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cli", required=True, help="path of the flowlog-cli binary")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", help="folder for the generated files (default: a new temporary folder)")
    ap.add_argument("--scale", type=float, default=1.0, help="multiplies every file's record count (ctest: 0.15)")
    a = ap.parse_args()
    global SCALE
    SCALE = a.scale
    out = a.out or tempfile.mkdtemp(prefix="flowlog-oracle-")
    os.makedirs(out, exist_ok=True)
    ck = Checker(a.cli)
    nfiles, nrec, _, combos, nflt = check_dataset(ck, out, a.seed)
    hostile = check_hostile(ck, out)
    print("oracle: seed %d, %d files, %d records, %d field orders (%d distinct fields), %d filters, %d hostile lines; "
          "%d numbers compared, %d mismatches" % (a.seed, nfiles, nrec, len(combos), len({f for c in combos for f in c}),
                                                 nflt, hostile, ck.checked, len(ck.failures)))
    for f in ck.failures[:200]:
        print("MISMATCH " + f)
    return 1 if ck.failures else 0


if __name__ == "__main__":
    sys.exit(main())
