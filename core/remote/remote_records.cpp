// Flow log records from Athena or Logs Insights (a records query's result file) turned back into
// a flow log text the loader reads: columns in the field registry's order under a header line,
// Logs Insights' discovered names mapped to the fields they are, empty cells as '-'.
#include "core/ingest/insights_names.h"
#include "core/model/fields.h"
#include "core/remote/remote.h"
#include "core/remote/remote_impl.h"

#include <QRegularExpression>
#include <algorithm>
#include <limits>
#include <tuple>
#include <vector>

namespace core {

using remote::parseResultTable;
using remote::resultError;
using remote::Table;

bool isRemoteRecordsResult(const QByteArray& data, const QString& path)
{
    auto table = parseResultTable(data, path);
    if (!table) return false;
    const QStringList& c = table->columns;
    return c.contains(QStringLiteral("srcaddr")) && c.contains(QStringLiteral("dstaddr")) && !c.contains(QStringLiteral("flows"));
}

Result<QByteArray> remoteRecordsAsFlowLog(const QByteArray& data, const QString& path)
{
    auto table = parseResultTable(data, path);
    if (!table) return table.error();
    const Table& t = table.value();
    if (!t.columns.contains(QStringLiteral("srcaddr")) || !t.columns.contains(QStringLiteral("dstaddr")))
        return resultError(path, 0, QStringLiteral("no srcaddr and dstaddr columns: these are not flow log records"));
    // Columns in the field registry's order (JSON objects have none), unknown names after, by name.
    std::vector<std::tuple<int, QString, int>> order; // (registry index or INT_MAX, header name, column)
    for (int c = 0; c < t.columns.size(); ++c) {
        const QString& name = t.columns[c];
        if (name.startsWith(QLatin1Char('@'))) continue; // @ptr, @timestamp, @logStream: not record fields
        // Logs Insights' discovered VPC names, lower-cased by the reader, to the fields they are.
        const QByteArray lower = name.toUtf8();
        const std::string_view mapped = insightsFieldName(std::string_view(lower.constData(), static_cast<size_t>(lower.size())));
        const QString column = QString::fromUtf8(mapped.data(), static_cast<qsizetype>(mapped.size()));
        const auto id = findField(column.toStdString());
        static const QRegularExpression plainName(QStringLiteral("^[a-z0-9_-]+$"));
        if (!id && !plainName.match(column).hasMatch())
            return resultError(path, 0, QStringLiteral("column '%1' is not a flow log field name").arg(name.left(60)));
        order.emplace_back(id ? static_cast<int>(*id) : std::numeric_limits<int>::max(),
                           id ? QString::fromLatin1(fieldInfo(*id).name) : column, c);
    }
    std::sort(order.begin(), order.end());
    QStringList header;
    std::vector<int> keep;
    for (const auto& [rank, name, c] : order) {
        header << name;
        keep.push_back(c);
    }
    QByteArray out = header.join(QLatin1Char(' ')).toUtf8() + '\n';
    static const QRegularExpression space(QStringLiteral("\\s"));
    for (size_t i = 0; i < t.rows.size(); ++i) {
        QStringList line;
        for (int c : keep) {
            const QString v = t.rows[i][c].trimmed();
            if (v.contains(space))
                return resultError(path, t.lines[i],
                                   QStringLiteral("column '%1': '%2' holds a space, which no flow log value does")
                                       .arg(t.columns[c], v.left(60)));
            line << (v.isEmpty() ? QStringLiteral("-") : v);
        }
        out += line.join(QLatin1Char(' ')).toUtf8() + '\n';
    }
    return out;
}

} // namespace core
