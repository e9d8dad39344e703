// Saving and opening session files. Save: backup of the live store into a temporary file,
// the fl_* tables added, then an atomic rename. Open: header, version, exact schema,
// quick_check and value ranges checked on a read-only hardened connection; then the pages are
// copied into a new store (backup API) and the state outside SQLite is installed.
#include "core/sessionfile/sessionfile.h"

#include "core/export/csv.h"
#include "core/model/fields.h"
#include "core/sessionfile/sessionschema.h"
#include "core/store/columns_rebuild.h"
#include "core/store/store_impl.h"

#include <sqlite3.h>

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryFile>
#include <QUrl>
#include <QtEndian>

#include <cerrno>
#include <filesystem>
#include <limits>
#include <mutex>
#include <thread>

namespace core {

namespace {

constexpr int kTwinChunk = 1 << 16; // twin ids per fl_twins row
constexpr int kHeaderBytes = 100;

/// RAII connection.
struct Db {
    sqlite3* db = nullptr;
    Db() = default;
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;
    ~Db()
    {
        if (db) sqlite3_close_v2(db);
    }
    QString error() const { return QString::fromUtf8(sqlite3_errmsg(db)); }
};

/// RAII statement on a raw connection.
struct Stmt {
    sqlite3_stmt* st = nullptr;
    Stmt(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &st, nullptr); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    ~Stmt() { sqlite3_finalize(st); }
    bool ok() const { return st != nullptr; }
    QString text(int col) const
    {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, col));
        return p ? QString::fromUtf8(p, sqlite3_column_bytes(st, col)) : QString();
    }
    QByteArray blob(int col) const
    {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(st, col));
        return p ? QByteArray(p, sqlite3_column_bytes(st, col)) : QByteArray();
    }
    qint64 int64(int col) const { return sqlite3_column_int64(st, col); }
    void bindText(int i, const QString& s)
    {
        const QByteArray u = s.toUtf8();
        sqlite3_bind_text(st, i, u.constData(), static_cast<int>(u.size()), SQLITE_TRANSIENT);
    }
    void bindBlob(int i, const void* p, size_t n) { sqlite3_bind_blob64(st, i, p, n, SQLITE_TRANSIENT); }
    /// Steps an INSERT and resets; true on success.
    bool run()
    {
        const int rc = sqlite3_step(st);
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        return rc == SQLITE_DONE;
    }
};

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

NameDirectory namesFromJson(const QByteArray& json)
{
    NameDirectory dir;
    const QJsonArray entries = QJsonDocument::fromJson(json).array();
    for (const auto& v : entries) {
        const QJsonObject o = v.toObject();
        NameEntry e;
        e.id = o.value(QLatin1String("id")).toString();
        if (e.id.isEmpty()) continue;
        e.name = o.value(QLatin1String("name")).toString();
        e.kind = o.value(QLatin1String("kind")).toString();
        e.resourceId = o.value(QLatin1String("resource_id")).toString();
        e.ownerId = o.value(QLatin1String("owner_id")).toString();
        e.routeTableId = o.value(QLatin1String("route_table_id")).toString();
        e.cidr = o.value(QLatin1String("cidr")).toString();
        e.az = o.value(QLatin1String("az")).toString();
        e.vpcId = o.value(QLatin1String("vpc_id")).toString();
        e.subnetId = o.value(QLatin1String("subnet_id")).toString();
        e.instanceId = o.value(QLatin1String("instance_id")).toString();
        e.description = o.value(QLatin1String("description")).toString();
        e.logFormat = o.value(QLatin1String("log_format")).toString();
        for (const auto& ip : o.value(QLatin1String("private_ips")).toArray()) e.privateIps << ip.toString();
        dir.add(e);
    }
    return dir;
}

QStringList textFieldColumns()
{
    QStringList out;
    for (FieldId f : SchemaSlots::get().textFields) out << QLatin1String(fieldInfo(f).column);
    return out;
}

// ---- save ----

/// Adds the fl_* tables and their rows to the freshly backed-up file `db`.
Status writeSessionTables(sqlite3* db, const StoreState& state, const SessionData& data, int extras)
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
    auto expected = expectedSessionSchema(extras, kSessionFormatVersion);
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
    if (auto st = exec(QStringLiteral("BEGIN;") + drops + sessionTablesDdl(kSessionFormatVersion)); !st.ok()) return st;

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
        const bool ok =
            put("app_version", QStringLiteral(FLOWLOG_VERSION)) && put("saved_at", QDateTime::currentSecsSinceEpoch())
            && put("next_file_id", QVariant::fromValue<qint64>(state.nextFileId))
            && put(
                "text_fields",
                QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(textFieldColumns())).toJson(QJsonDocument::Compact)))
            && put("extras", QString::fromUtf8(QJsonDocument(extraList).toJson(QJsonDocument::Compact)))
            && put("extras_in_table", QVariant::fromValue<qint64>(state.extraColumnsInTable))
            && put("names", QString::fromUtf8(namesJson(data.names))) && put("view_state", QString::fromUtf8(data.viewState))
            && put("compare", QString::fromUtf8(data.compare));
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
    const QString pragmas = QStringLiteral("PRAGMA application_id=%1; PRAGMA user_version=%2; COMMIT;")
                                .arg(static_cast<qint32>(kSessionApplicationId))
                                .arg(kSessionFormatVersion);
    return exec(pragmas);
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
    sqlite3_exec(out.db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=FULL;", nullptr, nullptr, nullptr);

    auto fail = [&](int rc, const QString& what) -> Status {
        // SQLITE_FULL on a full disk; an I/O error whose OS error is ENOSPC/EDQUOT/EFBIG is one too.
        const int os = out.db ? sqlite3_system_errno(out.db) : 0;
        if (isDiskFull(rc) || os == ENOSPC || os == EDQUOT || os == EFBIG) return Error{path, 0, 0, diskFullSentence(path)};
        return Error{path, 0, 0, QStringLiteral("Cannot save the session to %1: %2.").arg(shown, what)};
    };
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
    const int finish = sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE || finish != SQLITE_OK) return fail(rc != SQLITE_DONE ? rc : finish, out.error());

    const StoreState state = store.impl().exportState();
    loadLock.unlock();
    if (Status st = writeSessionTables(out.db, state, data, state.extraColumnsInTable); !st.ok()) {
        sqlite3_exec(out.db, "ROLLBACK", nullptr, nullptr, nullptr);
        return fail(st.error().column, st.error().message);
    }
    if (cancel && cancel->load()) return Error{path, 0, 0, QStringLiteral("cancelled")};
    rc = sqlite3_close_v2(out.db);
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

// ---- open ----

namespace {

/// Checks the 100-byte header; returns the format version or an error sentence.
Result<int> checkHeader(const QByteArray& header, const QString& shown)
{
    if (header.size() < kHeaderBytes || !header.startsWith(QByteArrayLiteral("SQLite format 3\0")))
        return Error{{}, 0, 0, QStringLiteral("%1 is not a Flowlog session file (it is not an SQLite database).").arg(shown)};
    const auto* p = reinterpret_cast<const uchar*>(header.constData());
    const quint32 app = qFromBigEndian<quint32>(p + 68);
    if (app != kSessionApplicationId)
        return Error{{}, 0, 0, QStringLiteral("%1 is an SQLite database but not a Flowlog session file.").arg(shown)};
    const auto version = static_cast<qint32>(qFromBigEndian<quint32>(p + 60));
    if (version > kSessionFormatVersion)
        return Error{{},
                     0,
                     0,
                     QStringLiteral("%1 was saved in session format version %2, newer than this Flowlog Explorer reads "
                                    "(version %3); open it with a newer version.")
                         .arg(shown)
                         .arg(version)
                         .arg(kSessionFormatVersion)};
    if (version < kSessionOldestVersion)
        return Error{{},
                     0,
                     0,
                     QStringLiteral("%1 has session format version %2, which this Flowlog Explorer does not know (it "
                                    "reads versions %3 to %4).")
                         .arg(shown)
                         .arg(version)
                         .arg(kSessionOldestVersion)
                         .arg(kSessionFormatVersion)};
    return version;
}

Status damaged(const QString& shown, const QString& why)
{
    return Error{{}, 0, 0, QStringLiteral("%1 is damaged or not a valid session file: %2.").arg(shown, why)};
}

/// Reads, checks and restores a session from the hardened read-only connection `src`.
Result<OpenedSession> restore(sqlite3* src, sqlite3* checker, const QString& shown, int version)
{
    auto schema = readSchema(src);
    if (!schema) return damaged(shown, schema.error().message).error();
    const int extras = extraColumnsIn(schema.value());
    if (extras < 0) return damaged(shown, QStringLiteral("the table 'flow_data' is missing")).error();
    auto expected = expectedSessionSchema(extras, version);
    if (!expected) return expected.error();
    if (auto diff = schemaDifference(schema.value(), expected.value()))
        return Error{{}, 0, 0, QStringLiteral("%1 is refused: %2.").arg(shown, *diff)};
    // PRAGMA quick_check: on `checker` (a second read-only connection to the same immutable file)
    // in parallel with the reads and the page copy below, else here. Nothing restored is handed
    // out unless it says "ok"; the jthread joins on every return path.
    QString checkProblem;
    auto quickCheck = [&checkProblem](sqlite3* db) {
        Stmt check(db, "PRAGMA quick_check(1)");
        if (!check.ok() || sqlite3_step(check.st) != SQLITE_ROW) checkProblem = QString::fromUtf8(sqlite3_errmsg(db));
        else if (check.text(0) != QLatin1String("ok")) checkProblem = check.text(0).left(200);
    };
    std::jthread parallelCheck;
    if (checker) {
        parallelCheck = std::jthread([&quickCheck, checker]() { quickCheck(checker); });
    } else {
        quickCheck(src);
        if (!checkProblem.isEmpty()) return damaged(shown, checkProblem).error();
    }

    // Meta.
    QHash<QString, QVariant> meta;
    {
        Stmt st(src, "SELECT key, value FROM fl_meta");
        if (!st.ok()) return damaged(shown, QString::fromUtf8(sqlite3_errmsg(src))).error();
        while (sqlite3_step(st.st) == SQLITE_ROW)
            meta.insert(st.text(0),
                        sqlite3_column_type(st.st, 1) == SQLITE_INTEGER ? QVariant(st.int64(1)) : QVariant(st.text(1)));
    }
    const QJsonArray fields = QJsonDocument::fromJson(meta.value(QStringLiteral("text_fields")).toString().toUtf8()).array();
    if (QJsonArray::fromStringList(textFieldColumns()) != fields)
        return damaged(shown, QStringLiteral("its text fields differ from this version's")).error();

    StoreState state;
    state.textSlots = static_cast<size_t>(fields.size());
    state.nextFileId = meta.value(QStringLiteral("next_file_id")).toLongLong();
    state.extraColumnsInTable = static_cast<int>(meta.value(QStringLiteral("extras_in_table")).toLongLong());
    for (const auto& v : QJsonDocument::fromJson(meta.value(QStringLiteral("extras")).toString().toUtf8()).array()) {
        const QJsonArray pair = v.toArray();
        state.extraTokens.push_back(pair.at(0).toString().toStdString());
        state.extraNames << pair.at(1).toString();
    }
    if (state.extraColumnsInTable != extras)
        return damaged(
                   shown,
                   QStringLiteral("it declares %1 extra columns, flow_data has %2").arg(state.extraColumnsInTable).arg(extras))
            .error();

    // Records: ids are positive (1..N in load order); the twin table has one entry per id, so a
    // forged huge id is refused there. min/max are O(log n), unlike count(*).
    {
        Stmt st(src, "SELECT coalesce(min(id), 1), coalesce(max(id), 0) FROM flow_data");
        if (!st.ok() || sqlite3_step(st.st) != SQLITE_ROW) return damaged(shown, QString::fromUtf8(sqlite3_errmsg(src))).error();
        if (st.int64(0) < 1 || st.int64(1) >= std::numeric_limits<qint64>::max() / 2)
            return damaged(shown, QStringLiteral("record ids must be positive")).error();
        state.nextId = st.int64(1) + 1;
    }
    {
        Stmt st(src, "SELECT coalesce(max(id), 0) FROM files");
        if (!st.ok() || sqlite3_step(st.st) != SQLITE_ROW) return damaged(shown, QString::fromUtf8(sqlite3_errmsg(src))).error();
        if (st.int64(0) >= state.nextFileId) return damaged(shown, QStringLiteral("file ids exceed the next file id")).error();
    }
    {
        Stmt st(src, "SELECT code, value FROM fl_strings ORDER BY code");
        while (st.ok() && sqlite3_step(st.st) == SQLITE_ROW) {
            if (st.int64(0) != static_cast<qint64>(state.strings.size()))
                return damaged(shown, QStringLiteral("string codes are not contiguous")).error();
            const auto* p = static_cast<const char*>(sqlite3_column_blob(st.st, 1));
            state.strings.emplace_back(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(st.st, 1)));
        }
    }
    {
        Stmt st(src, "SELECT ctx, codes FROM fl_contexts ORDER BY ctx");
        qint64 expect = 0;
        while (st.ok() && sqlite3_step(st.st) == SQLITE_ROW) {
            const QByteArray codes = st.blob(1);
            if (st.int64(0) != expect++ || static_cast<size_t>(codes.size()) != state.textSlots * sizeof(quint32))
                return damaged(shown, QStringLiteral("context %1 is malformed").arg(st.int64(0))).error();
            const auto* p = reinterpret_cast<const uchar*>(codes.constData());
            for (size_t s = 0; s < state.textSlots; ++s) state.contexts.push_back(qFromLittleEndian<quint32>(p + 4 * s));
        }
    }
    {
        Stmt st(src, "SELECT chunk, ids FROM fl_twins ORDER BY chunk");
        qint64 expect = 0;
        state.twins.reserve(static_cast<size_t>(std::min<qint64>(state.nextId, qint64{1} << 24)));
        while (st.ok() && sqlite3_step(st.st) == SQLITE_ROW) {
            const auto* p = static_cast<const uchar*>(sqlite3_column_blob(st.st, 1));
            const int bytes = sqlite3_column_bytes(st.st, 1);
            if (st.int64(0) != expect++ || bytes % 8 != 0
                || state.twins.size() + static_cast<size_t>(bytes / 8) > static_cast<size_t>(state.nextId))
                return damaged(shown, QStringLiteral("the twin table is malformed")).error();
            for (int i = 0; i < bytes / 8; ++i)
                state.twins.push_back(qFromLittleEndian<qint64>(p + static_cast<ptrdiff_t>(8) * i));
        }
    }
    if (state.twins.size() != static_cast<size_t>(state.nextId))
        return damaged(shown, QStringLiteral("record ids (1 to %1) do not match the twin table (%2 entries)")
                                  .arg(state.nextId - 1)
                                  .arg(state.twins.size()))
            .error();
    {
        Stmt st(src, "SELECT twin_key, id, ingress FROM fl_waiting ORDER BY seq");
        while (st.ok() && sqlite3_step(st.st) == SQLITE_ROW)
            state.waiting.push_back({static_cast<uint64_t>(st.int64(0)), st.int64(1), st.int64(2) != 0});
    }

    OpenedSession opened;
    opened.formatVersion = version;
    opened.data.viewState = meta.value(QStringLiteral("view_state")).toString().toUtf8();
    if (version >= 3) opened.data.compare = meta.value(QStringLiteral("compare")).toString().toUtf8();
    // (versions 1 and 2 had no compare baseline: migrated as none)
    if (version >= 2) {
        opened.data.names = namesFromJson(meta.value(QStringLiteral("names")).toString().toUtf8());
        Stmt st(src, "SELECT file, line, reason, raw FROM fl_rejections ORDER BY seq");
        while (st.ok() && sqlite3_step(st.st) == SQLITE_ROW)
            opened.data.rejections.push_back({st.text(0), st.int64(1), st.text(2), st.text(3)});
    } else { // version 1: the names tables are all there is (no flow log formats)
        Stmt st(src, "SELECT id, name, kind, resource_id, owner_id, route_table_id, cidr, az, vpc_id, subnet_id,"
                     " instance_id, description FROM names");
        while (st.ok() && sqlite3_step(st.st) == SQLITE_ROW) {
            NameEntry e{st.text(0), st.text(1), st.text(2), st.text(3),  st.text(4),  st.text(5), st.text(6),
                        st.text(7), st.text(8), st.text(9), st.text(10), st.text(11), {},         {}};
            opened.data.names.add(e);
        }
        Stmt addr(src, "SELECT address, eni_id FROM name_addresses");
        while (addr.ok() && sqlite3_step(addr.st) == SQLITE_ROW) {
            if (const NameEntry* e = opened.data.names.find(addr.text(1))) {
                NameEntry copy = *e;
                copy.privateIps << addr.text(0);
                opened.data.names.add(copy);
            }
        }
    }

    // Copy the pages into a new store, drop the session tables, install the state.
    auto created = Store::create();
    if (!created) return created.error();
    opened.store = std::move(created.value());
    sqlite3* dst = opened.store->handle();
    sqlite3_backup* backup = sqlite3_backup_init(dst, "main", src, "main");
    if (!backup) return damaged(shown, QString::fromUtf8(sqlite3_errmsg(dst))).error();
    const int rc = sqlite3_backup_step(backup, -1);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) return damaged(shown, QString::fromUtf8(sqlite3_errstr(rc))).error();
    QString dropSql;
    for (const char* t : {"fl_meta", "fl_strings", "fl_contexts", "fl_twins", "fl_waiting", "fl_rejections"})
        dropSql += QStringLiteral("DROP TABLE IF EXISTS %1;").arg(QLatin1String(t));
    if (auto st = opened.store->exec(
            dropSql + QStringLiteral("PRAGMA application_id=0; PRAGMA user_version=0; PRAGMA journal_mode=OFF;"));
        !st.ok())
        return st.error();
    if (auto st = opened.store->impl().importState(std::move(state)); !st.ok())
        return damaged(shown, st.error().message.chopped(1)).error();
    // The rows never passed through the writer, so the typed columns are refilled from them on a
    // thread the store owns; until that is done every view answers by SQL (same numbers). It
    // starts while quick_check still runs (the core the page copy used is free now): if the check
    // fails, the store is destroyed here, which cancels and joins the rebuild before anything is
    // handed out (SQLite reports damaged pages as errors, it never trusts them).
    startColumnRebuild(*opened.store);
    if (parallelCheck.joinable()) parallelCheck.join();
    if (!checkProblem.isEmpty()) return damaged(shown, checkProblem).error();
    return opened;
}

} // namespace

Result<OpenedSession> openSession(const QString& path)
{
    const QString shown = QDir::toNativeSeparators(path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{path, 0, 0, QStringLiteral("Cannot open the session %1: %2.").arg(shown, file.errorString())};
    auto version = checkHeader(file.read(kHeaderBytes), shown);
    file.close();
    if (!version) return Error{path, 0, 0, version.error().message};
    // Read-only and immutable: SQLite never writes, locks or creates a journal next to it.
    const QByteArray uri = QUrl::fromLocalFile(QFileInfo(path).absoluteFilePath()).toEncoded() + "?mode=ro&immutable=1";
    Db db;
    if (sqlite3_open_v2(uri.constData(), &db.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr)
        != SQLITE_OK)
        return Error{path, 0, 0, QStringLiteral("Cannot open the session %1: %2.").arg(shown, db.error())};
    // Pages are read through a memory map (checks and the page copy then avoid a read() each).
    sqlite3_exec(db.db, "PRAGMA mmap_size=4294967296", nullptr, nullptr, nullptr);
    hardenReadConnection(db.db);
    Db checker; // runs quick_check while `db` copies the pages (no checker: checked first, serially)
    if (sqlite3_open_v2(uri.constData(), &checker.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr)
        == SQLITE_OK) {
        sqlite3_exec(checker.db, "PRAGMA mmap_size=4294967296", nullptr, nullptr, nullptr);
        hardenReadConnection(checker.db);
    } else {
        sqlite3_close_v2(checker.db);
        checker.db = nullptr;
    }
    auto r = restore(db.db, checker.db, shown, version.value());
    if (!r) return Error{path, 0, 0, r.error().message};
    return r;
}

Result<OpenedSession> openSessionBuffer(const QByteArray& bytes, const QString& label)
{
    auto version = checkHeader(bytes.left(kHeaderBytes), label);
    if (!version) return version.error();
    Db db;
    if (sqlite3_open_v2(":memory:", &db.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY | SQLITE_OPEN_NOMUTEX, nullptr)
        != SQLITE_OK)
        return Error{{}, 0, 0, QStringLiteral("Cannot open %1: %2.").arg(label, db.error())};
    const auto size = static_cast<sqlite3_int64>(bytes.size());
    auto* copy = static_cast<unsigned char*>(sqlite3_malloc64(static_cast<sqlite3_uint64>(size)));
    if (!copy) return Error{{}, 0, 0, QStringLiteral("Not enough memory to open %1.").arg(label)};
    std::memcpy(copy, bytes.constData(), static_cast<size_t>(size));
    if (sqlite3_deserialize(db.db, "main", copy, size, size, SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY)
        != SQLITE_OK)
        return damaged(label, db.error()).error();
    hardenReadConnection(db.db);
    return restore(db.db, nullptr, label, version.value());
}

bool isSessionFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return false;
    const QByteArray h = file.read(kHeaderBytes);
    return h.size() == kHeaderBytes && h.startsWith(QByteArrayLiteral("SQLite format 3\0"))
           && qFromBigEndian<quint32>(reinterpret_cast<const uchar*>(h.constData()) + 68) == kSessionApplicationId;
}

} // namespace core
