#pragma once
// Moving an investigation to the engines users run at scale and back: Amazon Athena table DDL
// and Trino SQL, CloudWatch Logs Insights queries, built from the loaded format and the same
// filter language and views (records, edges, series, drops) with the same counting rule; and
// reading the aggregate results those queries produce back into the views' result types.
// Pure text generation and parsing: nothing here runs a query or touches the network.
#include "core/analysis/aggregate.h"
#include "core/analysis/drops.h"
#include "core/export/csv.h"
#include "core/model/fields.h"
#include "core/model/result.h"
#include "core/names/names.h"

#include <QDate>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace core {

/// How flow log files are laid out in S3.
enum class S3Layout {
    Classic, ///< AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/
    Hive,    ///< AWSLogs/aws-account-id=<a>/aws-service=vpcflowlogs/aws-region=<r>/year=Y/month=M/day=D/[hour=H/]
};

/// "classic" / "hive" (case-insensitive). Pure.
std::optional<S3Layout> s3LayoutFromString(const QString& s);

/// What the user tells once about where the logs are (remembered by the GUI).
struct AthenaTableOptions {
    QString table = QStringLiteral("flow_logs"); ///< table name (letters, digits, '_')
    QString bucket;                              ///< S3 bucket name, no s3:// prefix
    QString prefix;                              ///< folder before AWSLogs/ (may be empty)
    QStringList accounts;                        ///< 12-digit account ids (partition projection enum)
    QStringList regions;                         ///< us-east-1, ... (partition projection enum)
    QDate firstDay;                              ///< first day of the projection range (invalid = 2020-01-01)
    S3Layout layout = S3Layout::Classic;
    bool hourly = false;  ///< Hive layout with hour=HH folders
    bool parquet = false; ///< Parquet delivery (ParquetHiveSerDe) instead of gzip text
};

/// The field list of a format: the fields' SQL (underscore) names in file order. Accepts a
/// header line ("version resource-type ..."), a LogFormat ("${version} ${vpc-id} ..."), or
/// the words "tgw" / "TGW default" and "vpc" / "VPC default"; empty = the TGW default.
/// Unknown names are kept as extra text columns (extraColumnName()). Error names the problem.
/// Pure; any thread.
Result<QStringList> remoteFormatFields(const QString& format);

/// The field list of a flow log file from its first line: its header, or the TGW/VPC default
/// it matches (gzip or plain). Error names the path and why. Reads at most 1 MB; any thread.
Result<QStringList> remoteFormatFieldsOfFile(const QString& path);

/// `CREATE EXTERNAL TABLE` for logs with `fields` (SQL names, file order): text (gzip,
/// space-delimited, header skipped, '-' read as NULL) or Parquet, with partition projection
/// for the layout. Partition columns: classic `aws_account_id`, `aws_region`, `day`
/// ('yyyy/MM/dd'); Hive `aws_account_id`, `aws_service`, `aws_region`, `year`, `month`, `day`
/// (`hour`). Column types follow AWS's tables (INT for version, ports, tcp_flags; BIGINT for
/// counters and times; STRING otherwise). Error when bucket/accounts/regions are missing or a
/// value would not be a safe literal. Pure.
Result<QString> athenaDdl(const QStringList& fields, const AthenaTableOptions& options);

/// The views a query can reproduce.
enum class RemoteView { Records, Edges, Series, Drops };

/// "records|edges|series|drops". Pure.
std::optional<RemoteView> remoteViewFromString(const QString& s);
QString remoteViewName(RemoteView v);

/// What the current view shows, for a query.
struct RemoteQuery {
    RemoteView view = RemoteView::Edges;
    QString filter;                               ///< filter language text ("" = all)
    EdgeDimension by = EdgeDimension::Attachment; ///< edges
    qint64 binSeconds = 300;                      ///< series (> 0)
    QStringList columns;                          ///< records (SQL names; empty = all fields)
    std::vector<SortKey> sort;                    ///< records
    qint64 limit = 1000;                          ///< records (0 = no LIMIT)
    QString table = QStringLiteral("flow_logs");  ///< Athena table
    S3Layout layout = S3Layout::Classic;          ///< partition columns for the time predicate
    QStringList fields;                           ///< the table's fields (empty = TGW default)
    const NameDirectory* names = nullptr;         ///< names resolve to literal ids (may be null)
};

/// Trino SQL for the view over the Athena table of athenaDdl(): the filter compiled from its
/// syntax tree (literals quoted, CIDR with contains(..., CAST(x AS IPADDRESS)), names as the ids
/// they stand for), a partition predicate from the filter's time bounds, and for edges, series
/// and drops the counting rule: an egress record whose ingress twin (same entry and exit
/// attachments, addresses, ports, protocol, packets, bytes, start and end; the i-th such
/// ingress pairs with the i-th such egress) passes the filter is not counted. Output columns
/// are those of `flowlog-cli edges|series|drops` (drops without the `check` explanation, which
/// the app writes when the result is opened; top-N ties ranked as computeDrops() ranks them,
/// route_table_id from the names given). Error: filter errors with their position, bad options. Pure; any thread.
Result<QString> athenaSql(const RemoteQuery& query);

/// The filter alone as a Trino boolean expression over the table's columns (as in athenaSql).
Result<QString> trinoFilter(const QString& filter, const QStringList& fields, const NameDirectory* names = nullptr);

/// CloudWatch Logs Insights query for the view: `parse @message "* * ..." as ...` for the
/// format (none for the VPC default, whose fields Logs Insights discovers), `filter` from the
/// filter language (isIpv4InSubnet/isIpv6InSubnet for CIDR, names as ids), then `fields ... |
/// sort | limit` or `stats ... by ...` / `bin(Ns)`. What Logs Insights cannot express (twin
/// de-duplication; which names were resolved) is said in `#` comment lines. Pure.
Result<QString> insightsQuery(const RemoteQuery& query);

/// The `parse @message` pattern for `fields` ("* * *" ...), empty for the VPC default. Pure.
QString insightsParseCommand(const QStringList& fields);

/// An aggregate result read back: edges, series or drops rows, as the views show them.
struct RemoteResult {
    RemoteView view = RemoteView::Edges;
    std::vector<Edge> edges;
    Series series;
    std::vector<DropRow> drops;
    qint64 rows = 0; ///< data rows read
};

/// Reads an Athena result CSV, a `flowlog-cli edges|series|drops` CSV, or a Logs Insights
/// CSV/JSON export of the queries above, detecting the view from the column names. Edges are
/// sorted like computeEdges(), series bins made contiguous like computeSeries(), drops sorted
/// like computeDrops() and explained. Error names `path`, the line and the column. Pure.
Result<RemoteResult> readRemoteResult(const QByteArray& data, const QString& path);

/// The dimension of result edges from the shape of their ids (tgw-attach-… attachment, vpc-…,
/// subnet-…, 12-digit account, use1-az1-like AZ id; else addresses); `-` ids are skipped. Pure.
EdgeDimension remoteEdgesDimension(const std::vector<Edge>& edges);

/// True when `data` (an Athena result CSV or a Logs Insights export) holds flow-log records
/// (srcaddr and dstaddr columns, no aggregate `flows` column) rather than an aggregate: such a
/// file opens as records (File > Open). False for anything else, unreadable data included. Pure.
bool isRemoteRecordsResult(const QByteArray& data, const QString& path);

/// A records result (an Athena records CSV, or Logs Insights JSON / CSV of the records query,
/// get-query-results included) as flow log text the loader reads: a header line of AWS field
/// names (underscore names and Logs Insights' discovered VPC names such as srcAddr mapped to
/// them, `@` columns left out, unknown names kept as extra fields) and one line per row, `-`
/// for empty values. Error (naming `path` and the row's line) for a file without srcaddr and
/// dstaddr, a column that is no field name, or a value holding a space. Pure.
Result<QByteArray> remoteRecordsAsFlowLog(const QByteArray& data, const QString& path);

/// Reads a file (at most 512 MB) with readRemoteResult(). Any thread.
Result<RemoteResult> readRemoteResultFile(const QString& path);

} // namespace core
