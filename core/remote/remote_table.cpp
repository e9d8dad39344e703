// Result files read into cells (remote_impl.h's Table): RFC 4180 CSV and Logs Insights' JSON
// export, every row with its source line for error messages. remote_result.cpp reads the views
// from a Table, remote_records.cpp turns record rows back into a flow log.
#include "core/remote/remote_impl.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

namespace core::remote {

Error resultError(const QString& path, qint64 line, const QString& message)
{
    return Error{path, line, 0, message};
}

namespace {

/// RFC 4180 CSV (quotes doubled, CRLF or LF, quoted fields may span lines).
Result<Table> parseCsv(const QByteArray& data, const QString& path)
{
    Table t;
    const QString text = QString::fromUtf8(data);
    QStringList row;
    QString cell;
    bool inQuotes = false, cellStarted = false;
    qint64 line = 1, rowLine = 1;
    auto endRow = [&]() -> std::optional<Error> {
        row << cell;
        cell.clear();
        cellStarted = false;
        const bool blank = row.size() == 1 && row.front().isEmpty();
        if (!blank) {
            if (t.columns.isEmpty()) {
                for (const QString& c : row) t.columns << c.trimmed().toLower();
            } else {
                if (row.size() != t.columns.size())
                    return resultError(path, rowLine,
                                       QStringLiteral("%1 cells, the header has %2").arg(row.size()).arg(t.columns.size()));
                t.rows.push_back(row);
                t.lines.push_back(rowLine);
            }
        }
        row.clear();
        return std::nullopt;
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (inQuotes) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text[i + 1] == QLatin1Char('"')) {
                    cell += c;
                    ++i;
                } else {
                    inQuotes = false;
                }
            } else {
                if (c == QLatin1Char('\n')) ++line;
                cell += c;
            }
            continue;
        }
        if (c == QLatin1Char('"') && !cellStarted) {
            inQuotes = cellStarted = true;
        } else if (c == QLatin1Char(',')) {
            row << cell;
            cell.clear();
            cellStarted = false;
        } else if (c == QLatin1Char('\r')) {
            continue;
        } else if (c == QLatin1Char('\n')) {
            if (auto e = endRow()) return *e;
            ++line;
            rowLine = line;
        } else {
            cell += c;
            cellStarted = true;
        }
    }
    if (inQuotes) return resultError(path, rowLine, QStringLiteral("a quoted cell is not closed"));
    if (cellStarted || !row.isEmpty())
        if (auto e = endRow()) return *e;
    if (t.columns.isEmpty()) return resultError(path, 0, QStringLiteral("no header line: '%1' is empty").arg(path));
    return t;
}

/// A Logs Insights JSON export: an array of objects (one per row), values as strings or numbers.
Result<Table> parseJson(const QByteArray& data, const QString& path)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &pe);
    if (pe.error != QJsonParseError::NoError)
        return resultError(path, 0, QStringLiteral("not valid JSON at byte %1: %2").arg(pe.offset).arg(pe.errorString()));
    QJsonArray rows;
    if (doc.isArray()) rows = doc.array();
    else if (doc.isObject() && doc.object().value(QStringLiteral("results")).isArray())
        rows = doc.object().value(QStringLiteral("results")).toArray(); // aws logs get-query-results
    else return resultError(path, 0, QStringLiteral("expected a JSON array of result rows"));
    Table t;
    qint64 n = 0;
    std::vector<QHash<QString, QString>> cells;
    for (const auto& v : rows) {
        ++n;
        QHash<QString, QString> r;
        if (v.isObject()) {
            const QJsonObject o = v.toObject();
            for (auto it = o.begin(); it != o.end(); ++it) {
                const QJsonValue x = it.value();
                r.insert(it.key().toLower(), x.isString()   ? x.toString()
                                             : x.isDouble() ? QString::number(x.toDouble(), 'f', 0)
                                                            : QString());
            }
        } else if (v.isArray()) { // get-query-results: [{"field": "...", "value": "..."}, ...]
            for (const auto& fv : v.toArray())
                r.insert(fv.toObject().value(QStringLiteral("field")).toString().toLower(),
                         fv.toObject().value(QStringLiteral("value")).toString());
        } else {
            return resultError(path, 0, QStringLiteral("result row %1 is not a JSON object").arg(n));
        }
        for (auto it = r.cbegin(); it != r.cend(); ++it)
            if (!t.columns.contains(it.key())) t.columns << it.key();
        cells.push_back(r);
    }
    n = 0;
    for (const auto& r : cells) {
        QStringList row;
        for (const QString& c : t.columns) row << r.value(c);
        t.rows.push_back(row);
        t.lines.push_back(++n);
    }
    return t;
}

} // namespace

Result<Table> parseResultTable(const QByteArray& data, const QString& path)
{
    const QByteArray trimmed = data.trimmed();
    return (trimmed.startsWith('[') || trimmed.startsWith('{')) ? parseJson(data, path) : parseCsv(data, path);
}

} // namespace core::remote
