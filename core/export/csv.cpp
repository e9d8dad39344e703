// RFC 4180 CSV writing with a spreadsheet-formula guard, and the atomic export of a filtered,
// sorted view of `flows`. GUI and CLI both go through exportCsv(), so their bytes are identical.
#include "core/export/csv.h"

#include "core/query/filter.h"

#include <QElapsedTimer>
#include <QFileDevice>
#include <QFileInfo>
#include <QHash>
#include <QSaveFile>
#include <sqlite3.h>

namespace core {

namespace {

constexpr qsizetype kFlushBytes = qsizetype{256} * 1024;
constexpr qint64 kProgressIntervalMs = 100;

bool isPlainNumber(const char* p, qsizetype n)
{
    qsizetype i = 0;
    if (i < n && p[i] == '-') ++i;
    const qsizetype intStart = i;
    while (i < n && p[i] >= '0' && p[i] <= '9') ++i;
    if (i == intStart) return false;
    if (i < n && p[i] == '.') {
        ++i;
        const qsizetype fracStart = i;
        while (i < n && p[i] >= '0' && p[i] <= '9') ++i;
        if (i == fracStart) return false;
    }
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        ++i;
        if (i < n && (p[i] == '+' || p[i] == '-')) ++i;
        const qsizetype expStart = i;
        while (i < n && p[i] >= '0' && p[i] <= '9') ++i;
        if (i == expStart) return false;
    }
    return i == n;
}

bool needsGuard(const char* p, qsizetype n)
{
    if (n == 0) return false;
    switch (p[0]) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
        break;
    default:
        return false;
    }
    if (n == 1 && p[0] == '-') return false;
    return !isPlainNumber(p, n);
}

QString fileNameOf(const QIODevice& device)
{
    if (const auto* f = qobject_cast<const QFileDevice*>(&device)) return f->fileName();
    return {};
}

Error writeError(const QIODevice& out)
{
    Error e;
    e.file = fileNameOf(out);
    const QString reason = out.errorString().isEmpty() ? QStringLiteral("write failed") : out.errorString();
    e.message = e.file.isEmpty() ? QStringLiteral("cannot write the export: %1").arg(reason)
                                 : QStringLiteral("cannot write '%1': %2").arg(e.file, reason);
    return e;
}

QString normalizeColumn(const QString& name)
{
    return name.trimmed().toLower().replace(QLatin1Char('-'), QLatin1Char('_'));
}

QString quoteIdentifier(const QString& name)
{
    return QLatin1Char('"') + name + QLatin1Char('"');
}

Result<QString> checkColumn(const QString& name, const QStringList& available)
{
    const QString c = normalizeColumn(name);
    if (available.contains(c)) return c;
    const QString suggestion = closestName(c, available);
    if (!suggestion.isEmpty())
        return Error{{}, 0, 0, QStringLiteral("unknown column '%1'; did you mean '%2'?").arg(name.trimmed(), suggestion)};
    return Error{{}, 0, 0, QStringLiteral("unknown column '%1'").arg(name.trimmed())};
}

} // namespace

void appendCsvField(QByteArray& out, const char* data, qsizetype size, const CsvOptions& options)
{
    const bool guard = options.guardFormulas && needsGuard(data, size);
    bool quote = size > 0 && (data[0] == ' ' || data[size - 1] == ' ');
    if (!quote) {
        for (qsizetype i = 0; i < size; ++i) {
            const char c = data[i];
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                quote = true;
                break;
            }
        }
    }
    if (!quote) {
        if (guard) out += '\'';
        out.append(data, size);
        return;
    }
    out += '"';
    if (guard) out += '\'';
    for (qsizetype i = 0; i < size; ++i) {
        if (data[i] == '"') out += '"';
        out += data[i];
    }
    out += '"';
}

QByteArray csvField(const QString& value, const CsvOptions& options)
{
    const QByteArray u = value.toUtf8();
    QByteArray out;
    out.reserve(u.size() + 3);
    appendCsvField(out, u.constData(), u.size(), options);
    return out;
}

QByteArray csvRecord(const QStringList& fields, const CsvOptions& options)
{
    QByteArray out;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i > 0) out += ',';
        out += csvField(fields[i], options);
    }
    out += "\r\n";
    return out;
}

Result<SortKey> parseSortKey(const QString& text)
{
    SortKey key;
    QString t = text.trimmed();
    const qsizetype colon = t.lastIndexOf(QLatin1Char(':'));
    if (colon >= 0) {
        const QString dir = t.mid(colon + 1).trimmed().toLower();
        if (dir == QLatin1String("desc")) key.descending = true;
        else if (dir != QLatin1String("asc"))
            return Error{{},
                         0,
                         static_cast<int>(colon) + 2,
                         QStringLiteral("sort direction must be 'asc' or 'desc', got '%1' in '%2'").arg(t.mid(colon + 1), t)};
        t = t.left(colon).trimmed();
    }
    if (t.isEmpty()) return Error{{}, 0, 1, QStringLiteral("expected a column name to sort by in '%1'").arg(text)};
    key.column = normalizeColumn(t);
    return key;
}

Result<SelectSql> buildSelect(const Store& store, const QStringList& columns, const QString& filterExpression,
                              const std::vector<SortKey>& sort)
{
    const QStringList available = store.columns();
    QStringList selected;
    if (columns.isEmpty()) {
        for (const QString& c : available)
            if (c != QLatin1String("id") && c != QLatin1String("twin_id")) selected << c;
    } else {
        for (const QString& c : columns) {
            auto checked = checkColumn(c, available);
            if (!checked) return checked.error();
            selected << checked.value();
        }
    }
    QStringList order;
    bool hasId = false;
    for (const SortKey& k : sort) {
        auto checked = checkColumn(k.column, available);
        if (!checked) return checked.error();
        hasId = hasId || checked.value() == QLatin1String("id");
        order << quoteIdentifier(checked.value()) + (k.descending ? QStringLiteral(" DESC") : QString());
    }
    if (!hasId) order << quoteIdentifier(QStringLiteral("id"));

    auto filter = compileFilter(filterExpression);
    if (!filter) return filter.error();

    QStringList quoted;
    for (const QString& c : selected) quoted << quoteIdentifier(c);
    SelectSql out;
    out.sql = QStringLiteral("SELECT %1 FROM flows WHERE %2 ORDER BY %3")
                  .arg(quoted.join(QStringLiteral(", ")), filter->where, order.join(QStringLiteral(", ")));
    out.params = filter->params;
    return out;
}

namespace {

/// Produces rows one at a time into a statement whose current row is then written.
/// Returns true when a row is ready, false when done or failed (*error set, or "interrupted").
using RowSource = std::function<bool(QString* error)>;

/// Id -> Name tag (UTF-8) for the name columns of an export.
using NameMap = QHash<QByteArray, QByteArray>;

/// The named ids of table `names`, read once per export: a hash lookup per cell is several
/// times cheaper than an SQL subquery per cell.
Result<NameMap> readNames(const Store& store)
{
    auto st = store.prepare(QStringLiteral("SELECT id, name FROM names WHERE id IS NOT NULL AND name IS NOT NULL"));
    if (!st) return st.error();
    NameMap names;
    while (st->next()) {
        sqlite3_stmt* h = st->handle();
        const auto text = [h](int c) {
            return QByteArray(reinterpret_cast<const char*>(sqlite3_column_text(h, c)), sqlite3_column_bytes(h, c));
        };
        names.insert(text(0), text(1));
    }
    if (!st->error().isEmpty()) {
        if (st->error() == QLatin1String("interrupted")) return Error{{}, 0, 0, st->error()};
        return Error{{}, 0, 0, QStringLiteral("reading names: %1").arg(st->error())};
    }
    return names;
}

/// Writes header + rows. With `names`, each id column (isNameableColumn() on the statement's
/// column name) is followed by `<column>_name` holding the id's name ("" when unknown).
Outcome writeRows(sqlite3_stmt* stmt, const RowSource& nextRow, QIODevice& out, const CsvOptions& options,
                  const std::function<void(qint64, qint64)>& progress, qint64 rowsTotal, const std::atomic<bool>* cancel,
                  Error* error, const NameMap* names = nullptr)
{
    auto fail = [&](Error e) {
        if (error) *error = std::move(e);
        return Outcome::Failed;
    };
    const int columns = sqlite3_column_count(stmt);
    std::vector<char> nameAfter(static_cast<size_t>(columns), 0);
    if (names) {
        for (int c = 0; c < columns; ++c)
            nameAfter[static_cast<size_t>(c)] = isNameableColumn(QString::fromUtf8(sqlite3_column_name(stmt, c))) ? 1 : 0;
    }

    QByteArray buffer;
    buffer.reserve(kFlushBytes + 4096);
    auto flushBuffer = [&]() {
        // A short write (disk nearly full) is not an error to Qt: write the rest, so the next
        // write fails with the real reason ("No space left on device").
        qint64 done = 0;
        while (done < buffer.size()) {
            const qint64 n = out.write(buffer.constData() + done, buffer.size() - done);
            if (n <= 0) return false;
            done += n;
        }
        buffer.clear();
        return true;
    };

    // Header: column names are identifiers, never guarded.
    CsvOptions plain = options;
    plain.guardFormulas = false;
    for (int c = 0; c < columns; ++c) {
        if (c > 0) buffer += ',';
        const QByteArray name = QByteArray(sqlite3_column_name(stmt, c));
        appendCsvField(buffer, name.constData(), name.size(), plain);
        if (nameAfter[static_cast<size_t>(c)]) {
            const QByteArray nameColumn = name + "_name";
            buffer += ',';
            appendCsvField(buffer, nameColumn.constData(), nameColumn.size(), plain);
        }
    }
    buffer += "\r\n";

    QElapsedTimer clock;
    clock.start();
    qint64 lastReport = 0;
    qint64 rows = 0;
    if (progress) progress(0, rowsTotal);
    while (true) {
        if (cancel && cancel->load(std::memory_order_relaxed)) return Outcome::Cancelled;
        QString stepError;
        if (!nextRow(&stepError)) {
            if (!stepError.isEmpty()) {
                if (stepError == QLatin1String("interrupted") || (cancel && cancel->load())) return Outcome::Cancelled;
                return fail(Error{{}, 0, 0, QStringLiteral("export query failed: %1").arg(stepError)});
            }
            break;
        }
        for (int c = 0; c < columns; ++c) {
            if (c > 0) buffer += ',';
            switch (sqlite3_column_type(stmt, c)) {
            case SQLITE_NULL:
                break;
            case SQLITE_INTEGER:
                buffer += QByteArray::number(static_cast<qint64>(sqlite3_column_int64(stmt, c)));
                break;
            case SQLITE_BLOB: {
                const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, c));
                buffer += QByteArray(p, sqlite3_column_bytes(stmt, c)).toHex();
                break;
            }
            default: {
                const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
                appendCsvField(buffer, p, sqlite3_column_bytes(stmt, c), options);
                break;
            }
            }
            if (nameAfter[static_cast<size_t>(c)]) {
                buffer += ',';
                if (sqlite3_column_type(stmt, c) == SQLITE_TEXT) {
                    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
                    const auto it = names->constFind(QByteArray::fromRawData(p, sqlite3_column_bytes(stmt, c)));
                    if (it != names->constEnd()) appendCsvField(buffer, it->constData(), it->size(), options);
                }
            }
        }
        buffer += "\r\n";
        ++rows;
        if (buffer.size() >= kFlushBytes && !flushBuffer()) return fail(writeError(out));
        if (progress && (rows & 1023) == 0 && clock.elapsed() - lastReport >= kProgressIntervalMs) {
            lastReport = clock.elapsed();
            progress(rows, rowsTotal);
        }
    }
    if (!flushBuffer()) return fail(writeError(out));
    if (auto* file = qobject_cast<QFileDevice*>(&out)) {
        if (!file->flush()) return fail(writeError(out));
    }
    if (progress) progress(rows, rowsTotal < 0 ? rows : rowsTotal);
    return Outcome::Ok;
}

bool sortsOnlyById(const std::vector<SortKey>& sort)
{
    for (const SortKey& k : sort)
        if (normalizeColumn(k.column) != QLatin1String("id")) return false;
    return true;
}

} // namespace

Outcome writeCsvRows(Statement& statement, QIODevice& out, const CsvOptions& options,
                     const std::function<void(qint64, qint64)>& progress, qint64 rowsTotal, const std::atomic<bool>* cancel,
                     Error* error)
{
    if (!statement.valid()) {
        if (error) *error = Error{{}, 0, 0, QStringLiteral("no statement to export")};
        return Outcome::Failed;
    }
    const RowSource next = [&statement](QString* stepError) {
        if (statement.next()) return true;
        *stepError = statement.error();
        return false;
    };
    const CancelScope scope(cancel); // also stops a long first step (a sort) once cancel is raised
    return writeRows(statement.handle(), next, out, options, progress, rowsTotal, cancel, error);
}

Outcome exportCsv(const Store& store, const ExportRequest& request, QIODevice& out,
                  const std::function<void(qint64, qint64)>& progress, const std::atomic<bool>* cancel, Error* error)
{
    // A cancel raised before or while a statement is prepared, or a Store::interrupt() that
    // fails a prepare ("interrupted"), is a cancel: never a failure. The CancelScope makes the
    // flag stop long steps too (the count, the id sort), not only the row loop.
    const auto cancelled = [cancel]() { return cancel && cancel->load(); };
    auto fail = [&](Error e) {
        if (cancelled() || e.message == QLatin1String("interrupted")) return Outcome::Cancelled;
        if (error) *error = std::move(e);
        return Outcome::Failed;
    };
    if (cancelled()) return Outcome::Cancelled;
    const CancelScope scope(cancel);
    auto select = buildSelect(store, request.columns, request.filter, request.sort);
    if (!select) return fail(select.error());
    NameMap names;
    if (request.withNames) {
        auto read = readNames(store);
        if (!read) return fail(read.error());
        names = std::move(read.value());
    }
    const NameMap* nameColumns = request.withNames ? &names : nullptr;
    if (cancelled()) return Outcome::Cancelled;

    if (sortsOnlyById(request.sort)) {
        // Load order: one pass in rowid order, no sorter.
        qint64 total = -1;
        if (progress) {
            auto filter = compileFilter(request.filter);
            if (!filter) return fail(filter.error());
            auto countStmt = store.prepare(QStringLiteral("SELECT count(*) FROM flows WHERE ") + filter->where);
            if (!countStmt) return fail(countStmt.error());
            countStmt->bindAll(filter->params);
            if (countStmt->next()) total = countStmt->int64(0);
            else if (countStmt->error() == QLatin1String("interrupted")) return Outcome::Cancelled;
        }
        auto stmt = store.prepare(select->sql);
        if (!stmt) return fail(stmt.error());
        stmt->bindAll(select->params);
        Statement& all = stmt.value();
        const RowSource next = [&all](QString* stepError) {
            if (all.next()) return true;
            *stepError = all.error();
            return false;
        };
        return writeRows(all.handle(), next, out, request.csv, progress, total, cancel, error, nameColumns);
    }

    // Sorted: sort only the ids (8 bytes a row instead of every decoded column in SQLite's
    // sorter), then fetch each row by id. Same order and bytes as the single SELECT.
    auto idSelect = buildSelect(store, {QStringLiteral("id")}, request.filter, request.sort);
    if (!idSelect) return fail(idSelect.error());
    auto idStmt = store.prepare(idSelect->sql);
    if (!idStmt) return fail(idStmt.error());
    idStmt->bindAll(idSelect->params);
    std::vector<qint64> ids;
    while (idStmt->next()) {
        ids.push_back(idStmt->int64(0));
        if ((ids.size() & 0xFFFF) == 0 && cancel && cancel->load()) return Outcome::Cancelled;
    }
    if (!idStmt->error().isEmpty()) {
        if (idStmt->error() == QLatin1String("interrupted") || (cancel && cancel->load())) return Outcome::Cancelled;
        return fail(Error{{}, 0, 0, QStringLiteral("export query failed: %1").arg(idStmt->error())});
    }
    const qsizetype from = select->sql.indexOf(QLatin1String(" FROM flows WHERE "));
    auto rowStmt = store.prepare(select->sql.left(from) + QStringLiteral(" FROM flows WHERE id = ?1"));
    if (!rowStmt) return fail(rowStmt.error());
    size_t index = 0;
    Statement& row = rowStmt.value();
    const RowSource next = [&](QString* stepError) {
        while (index < ids.size()) {
            row.reset();
            row.bind(1, ids[index++]);
            if (row.next()) return true;
            if (!row.error().isEmpty()) {
                *stepError = row.error();
                return false;
            }
        }
        return false;
    };
    return writeRows(row.handle(), next, out, request.csv, progress, static_cast<qint64>(ids.size()), cancel, error, nameColumns);
}

std::optional<Error> checkExportTarget(const QString& path)
{
    const QFileInfo info(path);
    // QSaveFile renames a temporary over the target: over a device node or FIFO (e.g. /dev/null
    // as root) that would replace the node with a regular file. Refuse anything not regular.
    if (info.exists() && !QFileInfo(info.canonicalFilePath()).isFile())
        return Error{path, 0, 0,
                     QStringLiteral("cannot write '%1': it exists and is not a regular file (a folder, device or "
                                    "pipe); choose a file name, or '-' for standard output")
                         .arg(path)};
    return std::nullopt;
}

Outcome exportCsvFile(const Store& store, const ExportRequest& request, const QString& path,
                      const std::function<void(qint64, qint64)>& progress, const std::atomic<bool>* cancel, Error* error)
{
    if (auto refused = checkExportTarget(path)) {
        if (error) *error = *refused;
        return Outcome::Failed;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error) {
            error->file = path;
            error->message = QStringLiteral("cannot write '%1': %2").arg(path, file.errorString());
        }
        return Outcome::Failed;
    }
    const Outcome outcome = exportCsv(store, request, file, progress, cancel, error);
    if (outcome != Outcome::Ok) {
        // Nothing is committed: the temporary file is removed and `path` is left as it was.
        file.cancelWriting();
        if (outcome == Outcome::Failed && error && error->file.isEmpty()) error->file = path;
        return outcome;
    }
    if (!file.commit()) {
        if (error) {
            error->file = path;
            error->message = QStringLiteral("cannot write '%1': %2").arg(path, file.errorString());
        }
        return Outcome::Failed;
    }
    return Outcome::Ok;
}

} // namespace core
