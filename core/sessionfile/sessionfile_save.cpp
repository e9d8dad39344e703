// Saving session files into a temporary file next to the target, then an atomic rename (an
// earlier file stays intact on any failure). Format 4 (a store whose records are its typed
// columns): the small tables copied by SQL, the fl_* tables, and the columns' arrays as chunked
// blobs (fl_blobs), with no B-tree of records. Format 3 (a store holding a real flow_data table,
// opened from an older file): a backup of the store plus the fl_* tables.
#include "core/sessionfile/sessionfile.h"

#include "core/export/csv.h"
#include "core/sessionfile/sessionfile_sql.h"
#include "core/sessionfile/sessionschema.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryFile>
#include <QtEndian>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <filesystem>
#include <mutex>

namespace core {

using namespace sessionfile_detail;

namespace {

constexpr int kTwinChunk = 1 << 16; // twin ids per fl_twins row

bool isDiskFull(int rc)
{
    return (rc & 0xff) == SQLITE_FULL;
}

QString diskFullSentence(const QString& path)
{
    return QStringLiteral("Not enough disk space to save the session to %1; the previous file (if any) was not changed.")
        .arg(QDir::toNativeSeparators(path));
}

QByteArray namesJson(const NameDirectory& names)
{
    QJsonArray out;
    for (const NameEntry& e : names.entries()) {
        QJsonObject o;
        auto put = [&o](const char* key, const QString& v) {
            if (!v.isEmpty()) o.insert(QLatin1String(key), v);
        };
        put("id", e.id);
        put("name", e.name);
        put("kind", e.kind);
        put("resource_id", e.resourceId);
        put("owner_id", e.ownerId);
        put("route_table_id", e.routeTableId);
        put("cidr", e.cidr);
        put("az", e.az);
        put("vpc_id", e.vpcId);
        put("subnet_id", e.subnetId);
        put("instance_id", e.instanceId);
        put("description", e.description);
        put("log_format", e.logFormat);
        if (!e.privateIps.isEmpty()) o.insert(QStringLiteral("private_ips"), QJsonArray::fromStringList(e.privateIps));
        out.append(o);
    }
    return QJsonDocument(out).toJson(QJsonDocument::Compact);
}

/// Adds the fl_* tables of format `version` and their rows to the file `db`: with `schema`, the
/// tables first (the file is a backup of the store: what a session never holds is dropped).
Status writeSessionTables(sqlite3* db, const StoreState& state, const SessionData& data, int extras, int version, bool schema)
{
    auto sqlError = [db]() {
        const int rc = sqlite3_errcode(db);
        return Error{{}, 0, rc, QString::fromUtf8(sqlite3_errmsg(db))};
    };
    auto exec = [&](const QString& sql) -> Status {
        if (sqlite3_exec(db, sql.toUtf8().constData(), nullptr, nullptr, nullptr) != SQLITE_OK) return sqlError();
        return Ok{};
    };
    // Drop what a session file never holds: views (rebuilt on open) and anything another part
    // of the app added to the live store (indexes, statistics), so the file has the exact schema.
    if (schema) {
        auto expected = expectedSessionSchema(extras, version);
        if (!expected) return expected.error();
        auto actual = readSchema(db);
        if (!actual) return actual.error();
        QString drops;
        for (const SchemaObject& o : actual.value()) {
            if (o.name.startsWith(QLatin1String("sqlite_"))) continue;
            const bool known =
                std::any_of(expected->begin(), expected->end(), [&](const SchemaObject& e) { return e.name == o.name; });
            if (known) continue;
            QString name = o.name;
            name.replace(QLatin1Char('"'), QLatin1String("\"\""));
            drops += QStringLiteral("DROP %1 IF EXISTS \"%2\";").arg(o.type.toUpper(), name);
        }
        if (auto st = exec(QStringLiteral("BEGIN;") + drops + sessionTablesDdl(version)); !st.ok()) return st;
    }

    QJsonArray extraList;
    for (size_t i = 0; i < state.extraTokens.size(); ++i)
        extraList.append(
            QJsonArray{QString::fromStdString(state.extraTokens[i]), state.extraNames.value(static_cast<qsizetype>(i))});
    {
        Stmt meta(db, "INSERT INTO fl_meta(key, value) VALUES(?1, ?2)");
        if (!meta.ok()) return sqlError();
        auto put = [&](const char* key, const QVariant& v) {
            sqlite3_bind_text(meta.st, 1, key, -1, SQLITE_STATIC);
            if (v.typeId() == QMetaType::LongLong) sqlite3_bind_int64(meta.st, 2, v.toLongLong());
            else meta.bindText(2, v.toString());
            return meta.run();
        };
        const bool ok = put("app_version", QStringLiteral(FLOWLOG_VERSION)) && put("saved_at", QDateTime::currentSecsSinceEpoch())
                        && put("next_file_id", QVariant::fromValue<qint64>(state.nextFileId))
                        && put("text_fields",
                               QString::fromUtf8(
                                   QJsonDocument(QJsonArray::fromStringList(textFieldColumns())).toJson(QJsonDocument::Compact)))
                        && put("extras", QString::fromUtf8(QJsonDocument(extraList).toJson(QJsonDocument::Compact)))
                        && put("extras_in_table", QVariant::fromValue<qint64>(state.extraColumnsInTable))
                        && put("names", QString::fromUtf8(namesJson(data.names)))
                        && put("view_state", QString::fromUtf8(data.viewState)) && put("compare", QString::fromUtf8(data.compare))
                        && (version < 4 || put("next_id", QVariant::fromValue<qint64>(state.nextId)));
        if (!ok) return sqlError();
    }
    {
        Stmt ins(db, "INSERT INTO fl_strings(code, value) VALUES(?1, ?2)");
        if (!ins.ok()) return sqlError();
        for (size_t i = 0; i < state.strings.size(); ++i) {
            sqlite3_bind_int64(ins.st, 1, static_cast<sqlite3_int64>(i));
            ins.bindBlob(2, state.strings[i].data(), state.strings[i].size());
            if (!ins.run()) return sqlError();
        }
    }
    {
        Stmt ins(db, "INSERT INTO fl_contexts(ctx, codes) VALUES(?1, ?2)");
        if (!ins.ok()) return sqlError();
        const size_t slots = state.textSlots;
        std::vector<quint32> le(slots);
        for (size_t ctx = 0; slots > 0 && ctx < state.contexts.size() / slots; ++ctx) {
            for (size_t s = 0; s < slots; ++s) le[s] = qToLittleEndian(state.contexts[ctx * slots + s]);
            sqlite3_bind_int64(ins.st, 1, static_cast<sqlite3_int64>(ctx));
            ins.bindBlob(2, le.data(), slots * sizeof(quint32));
            if (!ins.run()) return sqlError();
        }
    }
    {
        Stmt ins(db, "INSERT INTO fl_twins(chunk, ids) VALUES(?1, ?2)");
        if (!ins.ok()) return sqlError();
        std::vector<qint64> le;
        for (size_t begin = 0, chunk = 0; begin < state.twins.size(); begin += kTwinChunk, ++chunk) {
            const size_t end = std::min(state.twins.size(), begin + kTwinChunk);
            le.resize(end - begin);
            for (size_t i = begin; i < end; ++i) le[i - begin] = qToLittleEndian<qint64>(state.twins[i]);
            sqlite3_bind_int64(ins.st, 1, static_cast<sqlite3_int64>(chunk));
            ins.bindBlob(2, le.data(), le.size() * sizeof(qint64));
            if (!ins.run()) return sqlError();
        }
    }
    {
        Stmt ins(db, "INSERT INTO fl_waiting(seq, twin_key, id, ingress) VALUES(?1, ?2, ?3, ?4)");
        if (!ins.ok()) return sqlError();
        for (size_t i = 0; i < state.waiting.size(); ++i) {
            const StoreState::Waiting& w = state.waiting[i];
            sqlite3_bind_int64(ins.st, 1, static_cast<sqlite3_int64>(i));
            sqlite3_bind_int64(ins.st, 2, static_cast<sqlite3_int64>(w.key));
            sqlite3_bind_int64(ins.st, 3, w.id);
            sqlite3_bind_int(ins.st, 4, w.ingress ? 1 : 0);
            if (!ins.run()) return sqlError();
        }
    }
    {
        Stmt ins(db, "INSERT INTO fl_rejections(seq, file, line, reason, raw) VALUES(?1, ?2, ?3, ?4, ?5)");
        if (!ins.ok()) return sqlError();
        for (size_t i = 0; i < data.rejections.size(); ++i) {
            const LoadedRejection& r = data.rejections[i];
            sqlite3_bind_int64(ins.st, 1, static_cast<sqlite3_int64>(i));
            ins.bindText(2, r.file);
            sqlite3_bind_int64(ins.st, 3, r.line);
            ins.bindText(4, r.reason);
            ins.bindText(5, r.raw);
            if (!ins.run()) return sqlError();
        }
    }
    return Ok{};
}

/// Ends the file's transaction with our application id and format `version`.
Status commitSession(sqlite3* db, int version)
{
    const QString pragmas = QStringLiteral("PRAGMA application_id=%1; PRAGMA user_version=%2; COMMIT;")
                                .arg(static_cast<qint32>(kSessionApplicationId))
                                .arg(version);
    if (sqlite3_exec(db, pragmas.toUtf8().constData(), nullptr, nullptr, nullptr) != SQLITE_OK)
        return Error{{}, 0, sqlite3_errcode(db), QString::fromUtf8(sqlite3_errmsg(db))};
    return Ok{};
}

std::atomic<int> g_saveFormat{kSessionFormatVersion};

constexpr size_t kBlobChunk = size_t{8} << 20;       // bytes per fl_blobs row
constexpr size_t kLargePagesFrom = size_t{16} << 20; // column bytes from which the file has 64 KiB pages

/// Format 4 into the new file `db`: the store's tables but flow_data (created from the expected
/// schema, rows copied), the fl_* tables, and the typed columns as chunks of fl_blobs. The
/// caller holds the store's write lock (the parts point into the columns).
Status writeColumnsSession(sqlite3* db, const Store& store, const SessionData& data, const std::atomic<bool>* cancel)
{
    auto sqlError = [db]() {
        // A write refused for want of space (or by the file size limit) reads as a full disk. SQLite
        // does not always keep the OS error of a failed write (sqlite3_system_errno is then 0): errno,
        // read here before any other call, still holds it.
        const int saved = errno;
        const int ext = sqlite3_extended_errcode(db);
        int os = sqlite3_system_errno(db);
        if (os == 0 && (ext == SQLITE_IOERR_WRITE || ext == SQLITE_IOERR_FSYNC || ext == SQLITE_IOERR_TRUNCATE)) os = saved;
        const bool full = os == ENOSPC || os == EDQUOT || os == EFBIG;
        return Error{{}, 0, full ? SQLITE_FULL : sqlite3_errcode(db), QString::fromUtf8(sqlite3_errmsg(db))};
    };
    const std::vector<ColumnPart> parts = store.impl().typedColumns().parts();
    size_t total = 0;
    for (const ColumnPart& part : parts) total += part.bytes;
    // Large pages for a large file of blobs: a 64 KiB page holds 16 times what a 4 KiB one does,
    // so the checks of the open walk 16 times fewer overflow pages. (Small sessions keep small
    // pages: each table takes at least one.) Set before the first table exists.
    if (total >= kLargePagesFrom) sqlite3_exec(db, "PRAGMA page_size=65536", nullptr, nullptr, nullptr);
    auto expected = expectedSessionSchema(0, kSessionFormatVersion);
    if (!expected) return expected.error();
    QString ddl = QStringLiteral("BEGIN;");
    for (const SchemaObject& o : expected.value())
        if (!o.sql.isEmpty()) ddl += o.sql + QLatin1Char(';');
    if (sqlite3_exec(db, ddl.toUtf8().constData(), nullptr, nullptr, nullptr) != SQLITE_OK) return sqlError();
    for (const char* table : {"files", "names", "name_addresses"})
        if (Status st = copyRows(store.handle(), db, table); !st.ok()) return sqlError();
    const StoreState state = store.impl().exportState();
    if (Status st = writeSessionTables(db, state, data, state.extraColumnsInTable, kSessionFormatVersion, false); !st.ok())
        return sqlError();
    Stmt ins(db, "INSERT INTO fl_blobs(seq, name, chunk, data) VALUES(?1, ?2, ?3, ?4)");
    if (!ins.ok()) return sqlError();
    sqlite3_int64 seq = 0;
    for (const ColumnPart& part : parts) {
        const auto* bytes = static_cast<const unsigned char*>(part.data);
        size_t at = 0;
        sqlite3_int64 chunk = 0;
        do { // an empty part is one empty chunk: every part is in the file
            if (cancel && cancel->load()) return Error{{}, 0, 0, QStringLiteral("cancelled")};
            const size_t n = std::min(kBlobChunk, part.bytes - at);
            sqlite3_bind_int64(ins.st, 1, seq++);
            sqlite3_bind_text(ins.st, 2, part.name.data(), static_cast<int>(part.name.size()), SQLITE_STATIC);
            sqlite3_bind_int64(ins.st, 3, chunk++);
            // The columns do not change while the write lock is held: no copy.
            sqlite3_bind_blob64(ins.st, 4, n ? bytes + at : reinterpret_cast<const unsigned char*>(""), n, SQLITE_STATIC);
            if (!ins.run()) return sqlError();
            at += n;
        } while (at < part.bytes);
    }
    if (Status st = commitSession(db, kSessionFormatVersion); !st.ok()) return sqlError();
    return Ok{};
}

Status finishSave(Db& out, QTemporaryFile& tmp, const QString& tmpPath, const QFileInfo& target, const QString& path,
                  const QString& shown, const std::atomic<bool>* cancel)
{
    auto fail = [&](int rc, const QString& what) -> Status {
        const int os = out.db ? sqlite3_system_errno(out.db) : 0;
        if (isDiskFull(rc) || os == ENOSPC || os == EDQUOT || os == EFBIG) return Error{path, 0, 0, diskFullSentence(path)};
        return Error{path, 0, 0, QStringLiteral("Cannot save the session to %1: %2.").arg(shown, what)};
    };
    if (cancel && cancel->load()) return Error{path, 0, 0, QStringLiteral("cancelled")};
    const int rc = sqlite3_close_v2(out.db);
    out.db = nullptr;
    if (rc != SQLITE_OK) return fail(rc, QString::fromUtf8(sqlite3_errstr(rc)));

    std::error_code ec;
    std::filesystem::rename(std::filesystem::path(QFile::encodeName(tmpPath).toStdString()),
                            std::filesystem::path(QFile::encodeName(target.absoluteFilePath()).toStdString()), ec);
    if (ec)
        return Error{path, 0, 0,
                     QStringLiteral("Cannot save the session to %1: %2.").arg(shown, QString::fromStdString(ec.message()))};
    tmp.setAutoRemove(false);
    return Ok{};
}

} // namespace

Status saveSession(const Store& store, const SessionData& data, const QString& path, const std::atomic<bool>* cancel)
{
    const QFileInfo target(path);
    const QString shown = QDir::toNativeSeparators(path);
    if (auto refused = checkExportTarget(path)) return Error{path, 0, 0, refused->message}; // folders, devices, FIFOs
    QTemporaryFile tmp(target.absolutePath() + QStringLiteral("/.") + target.fileName() + QStringLiteral(".XXXXXX"));
    if (!tmp.open()) return Error{path, 0, 0, QStringLiteral("Cannot save the session to %1: %2.").arg(shown, tmp.errorString())};
    const QString tmpPath = tmp.fileName();
    tmp.close(); // SQLite writes it; QTemporaryFile removes it unless renamed below

    std::unique_lock<std::mutex> loadLock(store.impl().writeLock()); // no load while we copy
    Db out;
    if (sqlite3_open_v2(QFile::encodeName(tmpPath).constData(), &out.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr)
        != SQLITE_OK)
        return Error{path, 0, 0, QStringLiteral("Cannot save the session to %1: %2.").arg(shown, out.error())};
    // Format 4 when the store's records are its typed columns (a store loaded from files, or
    // opened from a format-4 file); a store holding them in a real table keeps format 3.
    const bool columns = g_saveFormat.load() >= 4 && store.impl().flowDataVirtual();
    sqlite3_exec(out.db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=FULL;", nullptr, nullptr, nullptr);

    auto finish = [&] { return finishSave(out, tmp, tmpPath, target, path, shown, cancel); };
    auto fail = [&](int rc, const QString& what) -> Status {
        // SQLITE_FULL on a full disk; an I/O error whose OS error is ENOSPC/EDQUOT/EFBIG is one too.
        const int os = out.db ? sqlite3_system_errno(out.db) : 0;
        if (isDiskFull(rc) || os == ENOSPC || os == EDQUOT || os == EFBIG) return Error{path, 0, 0, diskFullSentence(path)};
        return Error{path, 0, 0, QStringLiteral("Cannot save the session to %1: %2.").arg(shown, what)};
    };
    if (columns) {
        Status st = writeColumnsSession(out.db, store, data, cancel);
        loadLock.unlock();
        if (!st.ok()) {
            if (st.error().message == QLatin1String("cancelled")) return Error{path, 0, 0, st.error().message};
            return fail(st.error().column, st.error().message); // the temporary file is removed
        }
        return finish();
    }
    sqlite3_backup* backup = sqlite3_backup_init(out.db, "main", store.handle(), "main");
    if (!backup) return fail(sqlite3_errcode(out.db), out.error());
    int rc = SQLITE_OK;
    do {
        rc = sqlite3_backup_step(backup, 4096);
        if (cancel && cancel->load()) {
            sqlite3_backup_finish(backup);
            return Error{path, 0, 0, QStringLiteral("cancelled")};
        }
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    const int finished = sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE || finished != SQLITE_OK) return fail(rc != SQLITE_DONE ? rc : finished, out.error());

    // A store loaded from files holds its rows in the typed columns (flow_data is a virtual table
    // over them, which a file never has): they are written out as the real table session files
    // have always held, so the format and its checks stay as they were.
    if (store.impl().flowDataVirtual()) {
        if (Status st = store.impl().writeFlowDataTable(out.db, cancel); !st.ok()) {
            if (st.error().message == QLatin1String("cancelled")) return Error{path, 0, 0, st.error().message};
            return fail(st.error().column, st.error().message);
        }
    }
    const StoreState state = store.impl().exportState();
    loadLock.unlock();
    Status tables = writeSessionTables(out.db, state, data, state.extraColumnsInTable, kSessionTableFormatVersion, true);
    if (tables.ok()) tables = commitSession(out.db, kSessionTableFormatVersion);
    if (!tables.ok()) {
        sqlite3_exec(out.db, "ROLLBACK", nullptr, nullptr, nullptr);
        return fail(tables.error().column, tables.error().message);
    }
    return finish();
}

void setSessionSaveFormat(int version)
{
    g_saveFormat = version;
}

} // namespace core
