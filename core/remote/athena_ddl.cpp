// Field lists of formats and the Athena CREATE EXTERNAL TABLE for them. AWS publishes DDL for
// VPC flow logs (text and Parquet, with partition projection); there is none for TGW logs, so
// the columns come from the field list with the same underscore names and AWS's types.
#include "core/ingest/gzip.h"
#include "core/ingest/parser.h"
#include "core/model/fields.h"
#include "core/remote/remote.h"
#include "core/remote/remote_impl.h"

#include <QFile>
#include <QRegularExpression>

namespace core {

using namespace remote;

namespace {

QStringList layoutColumns(std::span<const FieldId> ids)
{
    QStringList out;
    for (FieldId f : ids) out << QString::fromLatin1(fieldInfo(f).column);
    return out;
}

QString columnOf(const QString& token)
{
    QString t = token.trimmed();
    if (t.startsWith(QLatin1String("${")) && t.endsWith(QLatin1Char('}'))) t = t.mid(2, t.size() - 3);
    const QByteArray utf8 = t.toUtf8();
    if (auto id = findField(std::string_view(utf8.constData(), static_cast<size_t>(utf8.size()))))
        return QString::fromLatin1(fieldInfo(*id).column);
    return extraColumnName(std::string_view(utf8.constData(), static_cast<size_t>(utf8.size())));
}

/// Athena type of a column, after AWS's published VPC DDL (int for version, ports, tcp_flags,
/// traffic_path; bigint for protocol, counters and times) and the TGW Parquet table.
QString athenaType(const QString& column)
{
    static const QStringList ints = {QStringLiteral("version"),      QStringLiteral("srcport"),
                                     QStringLiteral("dstport"),      QStringLiteral("tcp_flags"),
                                     QStringLiteral("traffic_path"), QStringLiteral("encryption_status")};
    if (ints.contains(column)) return QStringLiteral("int");
    const auto id = findField(column.toStdString());
    if (id && fieldInfo(*id).type == FieldType::Integer) return QStringLiteral("bigint");
    return QStringLiteral("string");
}

Error ddlError(const QString& message)
{
    return Error{{}, 0, 0, message};
}

/// A value safe inside a '...' DDL literal and an S3 path: no quote, backslash, control
/// character or space.
bool isSafeValue(const QString& v)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9._/=+-]*$"));
    return re.match(v).hasMatch();
}

} // namespace

Result<QStringList> remoteFormatFields(const QString& format)
{
    const QString f = format.trimmed();
    const QString lower = f.toLower();
    if (f.isEmpty() || lower == QLatin1String("tgw") || lower == QLatin1String("tgw default"))
        return layoutColumns(tgwDefaultLayout());
    if (lower == QLatin1String("vpc") || lower == QLatin1String("vpc default")) return layoutColumns(vpcDefaultLayout());
    QStringList out;
    for (const QString& token : f.split(QRegularExpression(QStringLiteral("[\\s]+")), Qt::SkipEmptyParts)) {
        const QString c = columnOf(token);
        if (c.isEmpty()) return ddlError(QStringLiteral("format token '%1' is not a field name").arg(token));
        if (out.contains(c)) return ddlError(QStringLiteral("field '%1' appears twice in the format").arg(token));
        out << c;
    }
    return out;
}

Result<QStringList> remoteFormatFieldsOfFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{path, 0, 0, QStringLiteral("cannot open '%1': %2").arg(path, file.errorString())};
    const QByteArray head = file.read(1 << 20);
    std::string text;
    if (isGzip(std::string_view(head.constData(), static_cast<size_t>(head.size())))) {
        GzipDecoder gz(1 << 16);
        gz.feed(std::string_view(head.constData(), static_cast<size_t>(head.size())), [&](std::string_view out) {
            text.append(out);
            return text.find('\n') == std::string::npos && text.size() < (1 << 20);
        });
    } else {
        text.assign(head.constData(), static_cast<size_t>(head.size()));
    }
    const size_t nl = text.find('\n');
    const std::string_view line = trimLine(std::string_view(text).substr(0, nl == std::string::npos ? text.size() : nl));
    std::vector<std::string_view> tokens(kMaxTokens);
    const int n = splitFields(line, tokens.data(), kMaxTokens);
    if (n <= 0) return Error{path, 1, 0, QStringLiteral("'%1' has no first line to read the format from").arg(path)};
    tokens.resize(static_cast<size_t>(std::min(n, kMaxTokens)));
    if (looksLikeHeader(tokens)) {
        QStringList names;
        for (std::string_view t : tokens) names << QString::fromUtf8(t.data(), static_cast<qsizetype>(t.size()));
        return remoteFormatFields(names.join(QLatin1Char(' ')));
    }
    if (const Layout* l = guessHeaderless(tokens)) {
        QStringList out;
        for (const LayoutColumn& c : l->columns) out << QString::fromLatin1(fieldInfo(c.field).column);
        return out;
    }
    return Error{path, 1, 0,
                 QStringLiteral("'%1' starts with neither a header line nor a TGW/VPC default record; give the format "
                                "(--format \"${version} ...\")")
                     .arg(path)};
}

std::optional<S3Layout> s3LayoutFromString(const QString& s)
{
    const QString l = s.trimmed().toLower();
    if (l == QLatin1String("classic")) return S3Layout::Classic;
    if (l == QLatin1String("hive")) return S3Layout::Hive;
    return std::nullopt;
}

Result<QString> athenaDdl(const QStringList& fields, const AthenaTableOptions& o)
{
    if (fields.isEmpty()) return ddlError(QStringLiteral("the format has no fields"));
    if (!isSafeTableName(o.table))
        return ddlError(
            QStringLiteral("table name '%1' must be letters, digits and '_' (optionally database.table)").arg(o.table));
    static const QRegularExpression bucketRe(QStringLiteral("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"));
    if (!bucketRe.match(o.bucket).hasMatch())
        return ddlError(
            QStringLiteral("bucket '%1' is not an S3 bucket name (3-63 lower-case letters, digits, '.', '-')").arg(o.bucket));
    QString prefix = o.prefix.trimmed();
    while (prefix.startsWith(QLatin1Char('/'))) prefix.remove(0, 1);
    while (prefix.endsWith(QLatin1Char('/'))) prefix.chop(1);
    if (!isSafeValue(prefix)) return ddlError(QStringLiteral("prefix '%1' may hold only letters, digits and ._/=+-").arg(prefix));
    if (o.accounts.isEmpty()) return ddlError(QStringLiteral("give at least one account id (partition projection needs them)"));
    if (o.regions.isEmpty()) return ddlError(QStringLiteral("give at least one region (partition projection needs them)"));
    static const QRegularExpression accountRe(QStringLiteral("^[0-9]{12}$"));
    for (const QString& a : o.accounts)
        if (!accountRe.match(a).hasMatch()) return ddlError(QStringLiteral("account id '%1' is not 12 digits").arg(a));
    static const QRegularExpression regionRe(QStringLiteral("^[a-z]{2}(-[a-z]+)+-[0-9]$"));
    for (const QString& r : o.regions)
        if (!regionRe.match(r).hasMatch())
            return ddlError(QStringLiteral("region '%1' is not a region name like us-east-1").arg(r));
    for (const QString& f : fields)
        if (!isSafeTableName(f)) return ddlError(QStringLiteral("column '%1' is not a safe column name").arg(f));
    const QDate first = o.firstDay.isValid() ? o.firstDay : QDate(2020, 1, 1);

    const QString base =
        QStringLiteral("s3://%1/%2AWSLogs/").arg(o.bucket, prefix.isEmpty() ? QString() : prefix + QLatin1Char('/'));
    QStringList columns;
    for (const QString& f : fields) columns << QStringLiteral("  `%1` %2").arg(f, athenaType(f));
    QStringList partitions, props;
    QString location;
    props << QStringLiteral("'projection.enabled' = 'true'") << QStringLiteral("'projection.aws_account_id.type' = 'enum'")
          << QStringLiteral("'projection.aws_account_id.values' = '%1'").arg(o.accounts.join(QLatin1Char(',')))
          << QStringLiteral("'projection.aws_region.type' = 'enum'")
          << QStringLiteral("'projection.aws_region.values' = '%1'").arg(o.regions.join(QLatin1Char(',')));
    if (o.layout == S3Layout::Classic) {
        partitions << QStringLiteral("`aws_account_id` string") << QStringLiteral("`aws_region` string")
                   << QStringLiteral("`day` string");
        props << QStringLiteral("'projection.day.type' = 'date'") << QStringLiteral("'projection.day.format' = 'yyyy/MM/dd'")
              << QStringLiteral("'projection.day.range' = '%1,NOW'").arg(first.toString(QStringLiteral("yyyy/MM/dd")))
              << QStringLiteral("'projection.day.interval' = '1'") << QStringLiteral("'projection.day.interval.unit' = 'DAYS'");
        location = base + QStringLiteral("${aws_account_id}/vpcflowlogs/${aws_region}/${day}");
    } else {
        partitions << QStringLiteral("`aws_account_id` string") << QStringLiteral("`aws_service` string")
                   << QStringLiteral("`aws_region` string") << QStringLiteral("`year` string") << QStringLiteral("`month` string")
                   << QStringLiteral("`day` string");
        props << QStringLiteral("'projection.aws_service.type' = 'enum'")
              << QStringLiteral("'projection.aws_service.values' = 'vpcflowlogs'")
              << QStringLiteral("'projection.year.type' = 'integer'")
              << QStringLiteral("'projection.year.range' = '%1,2100'").arg(first.year())
              << QStringLiteral("'projection.month.type' = 'integer'") << QStringLiteral("'projection.month.range' = '1,12'")
              << QStringLiteral("'projection.month.digits' = '2'") << QStringLiteral("'projection.day.type' = 'integer'")
              << QStringLiteral("'projection.day.range' = '1,31'") << QStringLiteral("'projection.day.digits' = '2'");
        location = base
                   + QStringLiteral("aws-account-id=${aws_account_id}/aws-service=${aws_service}/aws-region=${aws_region}/"
                                    "year=${year}/month=${month}/day=${day}");
        if (o.hourly) {
            partitions << QStringLiteral("`hour` string");
            props << QStringLiteral("'projection.hour.type' = 'integer'") << QStringLiteral("'projection.hour.range' = '0,23'")
                  << QStringLiteral("'projection.hour.digits' = '2'");
            location += QStringLiteral("/hour=${hour}");
        }
    }
    props << QStringLiteral("'storage.location.template' = '%1'").arg(location);
    QString ddl = QStringLiteral("-- Flowlog Explorer: Athena table for %1 flow log fields (%2, %3 S3 layout)\n")
                      .arg(fields.size())
                      .arg(o.parquet ? QStringLiteral("Parquet") : QStringLiteral("gzip text"),
                           o.layout == S3Layout::Classic ? QStringLiteral("classic") : QStringLiteral("Hive-compatible"));
    ddl += QStringLiteral("CREATE EXTERNAL TABLE IF NOT EXISTS %1 (\n%2\n)\nPARTITIONED BY (%3)\n")
               .arg(o.table, columns.join(QStringLiteral(",\n")), partitions.join(QStringLiteral(", ")));
    if (o.parquet) {
        ddl += QStringLiteral("ROW FORMAT SERDE 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe'\n"
                              "STORED AS INPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat'\n"
                              "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat'\n");
    } else {
        // '-' (no value) reads as NULL in every column, as in the app and in Parquet delivery.
        ddl += QStringLiteral("ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe'\n"
                              "WITH SERDEPROPERTIES ('field.delim' = ' ', 'serialization.null.format' = '-')\n"
                              "STORED AS TEXTFILE\n");
        props.prepend(QStringLiteral("'skip.header.line.count' = '1'"));
    }
    props.prepend(QStringLiteral("'EXTERNAL' = 'true'"));
    ddl += QStringLiteral("LOCATION '%1'\nTBLPROPERTIES (\n  %2\n)").arg(base, props.join(QStringLiteral(",\n  ")));
    return ddl;
}

} // namespace core
