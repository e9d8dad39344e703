-- Tables behind the Parquet fixtures (run by regenerate.sh through DuckDB). Each table is
-- written twice: as an S3-style text log (hyphen header, '-' for NULL) and as Parquet with
-- AWS's column types. tst_parquet checks that both read to the same records.

-- Transit Gateway default format, AWS's Parquet types: version, srcport, dstport, tcp_flags
-- INT32; protocol, packets, bytes, start, end, packets_lost_* INT64; the rest STRING.
-- 2100 rows: two row groups (DuckDB writes at least 2048 rows per group).
-- Every 37th row is NODATA (NULL addresses, ports, counters), every 11th is IPv6.
CREATE TABLE tgw AS
SELECT
  6::INTEGER AS version,
  'TransitGateway' AS resource_type,
  '123456789012' AS account_id,
  'tgw-0a1b2c3d4e5f67890' AS tgw_id,
  'tgw-attach-0' || lpad((i % 5)::VARCHAR, 16, '0') AS tgw_attachment_id,
  '123456789012' AS tgw_src_vpc_account_id,
  CASE WHEN i % 3 = 0 THEN '210987654321' ELSE '123456789012' END AS tgw_dst_vpc_account_id,
  'vpc-0' || lpad((i % 5)::VARCHAR, 16, '0') AS tgw_src_vpc_id,
  'vpc-0' || lpad(((i + 1) % 5)::VARCHAR, 16, '0') AS tgw_dst_vpc_id,
  'subnet-0' || lpad((i % 5)::VARCHAR, 16, '0') AS tgw_src_subnet_id,
  'subnet-0' || lpad(((i + 1) % 5)::VARCHAR, 16, '0') AS tgw_dst_subnet_id,
  CASE WHEN i % 4 = 0 THEN NULL ELSE 'eni-0' || lpad((i % 9)::VARCHAR, 16, '0') END AS tgw_src_eni,
  'eni-0' || lpad(((i + 3) % 9)::VARCHAR, 16, '0') AS tgw_dst_eni,
  'use1-az' || (1 + i % 3)::VARCHAR AS tgw_src_az_id,
  'use1-az' || (1 + (i + 1) % 3)::VARCHAR AS tgw_dst_az_id,
  'tgw-attach-0' || lpad(((i + 1) % 5)::VARCHAR, 16, '0') AS tgw_pair_attachment_id,
  CASE WHEN i % 37 = 0 THEN NULL WHEN i % 11 = 0 THEN '2600:1f18:abcd::' || (i % 97)::VARCHAR
       ELSE '10.' || (i % 5)::VARCHAR || '.' || (i % 200)::VARCHAR || '.' || (1 + i % 250)::VARCHAR END AS srcaddr,
  CASE WHEN i % 37 = 0 THEN NULL WHEN i % 11 = 0 THEN '2600:1f18:dcba::' || (i % 89)::VARCHAR
       ELSE '10.' || ((i + 1) % 5)::VARCHAR || '.' || (i % 7)::VARCHAR || '.' || (1 + i % 13)::VARCHAR END AS dstaddr,
  CASE WHEN i % 37 = 0 THEN NULL ELSE (1024 + (i * 7919) % 60000)::INTEGER END AS srcport,
  CASE WHEN i % 37 = 0 THEN NULL ELSE ([443, 80, 22, 53, 5432, 8443][1 + i % 6])::INTEGER END AS dstport,
  CASE WHEN i % 37 = 0 THEN NULL WHEN i % 6 = 3 THEN 17 WHEN i % 23 = 0 THEN 1 ELSE 6 END::BIGINT AS protocol,
  CASE WHEN i % 37 = 0 THEN NULL ELSE 1 + (i * 31) % 5000 END::BIGINT AS packets,
  CASE WHEN i % 37 = 0 THEN NULL ELSE 40 + (i * 104729) % 9000000 END::BIGINT AS bytes,
  (1700000000 + 60 * (i // 10))::BIGINT AS start,
  (1700000060 + 60 * (i // 10))::BIGINT AS "end",
  CASE WHEN i % 37 = 0 THEN 'NODATA' ELSE 'OK' END AS log_status,
  CASE WHEN i % 37 = 0 THEN NULL WHEN i % 11 = 0 THEN 'IPv6' ELSE 'IPv4' END AS type,
  CASE WHEN i % 37 = 0 THEN NULL WHEN i % 13 = 0 THEN i % 7 ELSE 0 END::BIGINT AS packets_lost_no_route,
  CASE WHEN i % 37 = 0 THEN NULL WHEN i % 17 = 0 THEN 3 ELSE 0 END::BIGINT AS packets_lost_blackhole,
  CASE WHEN i % 37 = 0 THEN NULL WHEN i % 19 = 0 THEN 1 ELSE 0 END::BIGINT AS packets_lost_mtu_exceeded,
  CASE WHEN i % 37 = 0 THEN NULL ELSE 0 END::BIGINT AS packets_lost_ttl_expired,
  CASE WHEN i % 37 = 0 THEN NULL ELSE ([19, 18, 3, 2, 16, 0][1 + i % 6]) END::INTEGER AS tcp_flags,
  'us-east-1' AS region,
  CASE WHEN i % 2 = 0 THEN 'ingress' ELSE 'egress' END AS flow_direction,
  CASE WHEN i % 29 = 0 THEN 'S3' ELSE NULL END AS pkt_src_aws_service,
  NULL::VARCHAR AS pkt_dst_aws_service
FROM range(2100) t(i);

-- VPC flow log, custom format (v2..v5 fields plus a column AWS may add later, kept as an extra
-- column). AWS documents protocol as INT32 for VPC logs: vpc has INT32, vpc_int64 INT64.
CREATE TABLE vpc AS
SELECT
  5::INTEGER AS version,
  '123456789010' AS account_id,
  'eni-1235b8ca12345678' || (i % 10)::VARCHAR AS interface_id,
  CASE WHEN i % 41 = 0 THEN NULL ELSE '172.31.' || (i % 16)::VARCHAR || '.' || (1 + i % 200)::VARCHAR END AS srcaddr,
  CASE WHEN i % 41 = 0 THEN NULL ELSE '172.31.16.' || (1 + i % 30)::VARCHAR END AS dstaddr,
  CASE WHEN i % 41 = 0 THEN NULL ELSE (20000 + i)::INTEGER END AS srcport,
  CASE WHEN i % 41 = 0 THEN NULL ELSE ([22, 443, 3389][1 + i % 3])::INTEGER END AS dstport,
  CASE WHEN i % 41 = 0 THEN NULL WHEN i % 5 = 0 THEN 17 ELSE 6 END::INTEGER AS protocol,
  CASE WHEN i % 41 = 0 THEN NULL ELSE 1 + i % 40 END::BIGINT AS packets,
  CASE WHEN i % 41 = 0 THEN NULL ELSE 60 + (i * 7333) % 100000 END::BIGINT AS bytes,
  (1418530010 + 60 * (i // 8))::BIGINT AS start,
  (1418530070 + 60 * (i // 8))::BIGINT AS "end",
  CASE WHEN i % 41 = 0 THEN NULL WHEN i % 9 = 0 THEN 'REJECT' ELSE 'ACCEPT' END AS action,
  CASE WHEN i % 41 = 0 THEN 'NODATA' ELSE 'OK' END AS log_status,
  'vpc-0a1b2c3d4e5f6a7b8' AS vpc_id,
  'subnet-0' || lpad((i % 3)::VARCHAR, 16, '0') AS subnet_id,
  CASE WHEN i % 3 = 0 THEN NULL ELSE 'i-0' || lpad((i % 4)::VARCHAR, 16, '0') END AS instance_id,
  CASE WHEN i % 41 = 0 THEN NULL ELSE (i % 32)::INTEGER END AS tcp_flags,
  'IPv4' AS type,
  'us-east-1' AS region,
  CASE WHEN i % 2 = 0 THEN 'ingress' ELSE 'egress' END AS flow_direction,
  CASE WHEN i % 2 = 0 THEN NULL ELSE (1 + i % 8)::INTEGER END AS traffic_path,
  'tag-' || (i % 3)::VARCHAR AS x_team_tag
FROM range(250) t(i);

CREATE TABLE vpc_int64 AS SELECT * REPLACE (protocol::BIGINT AS protocol) FROM vpc;

-- Rows a text log would reject too: negative port, bad address, negative byte count.
CREATE TABLE bad_rows AS
SELECT * REPLACE (
  CASE WHEN i = 2 THEN -5 ELSE srcport END::INTEGER AS srcport,
  CASE WHEN i = 4 THEN '10.0.0.256' ELSE srcaddr END AS srcaddr,
  CASE WHEN i = 6 THEN -1 ELSE bytes END::BIGINT AS bytes)
FROM (SELECT row_number() OVER () - 1 AS i, * FROM (SELECT * FROM vpc LIMIT 8)) ORDER BY i;
ALTER TABLE bad_rows DROP COLUMN i;
