// Opening session files (saving: sessionfile_save.cpp). Header, version, exact schema,
// quick_check and value ranges checked on a read-only hardened connection; then the pages are
// copied into a new store (backup API) and the state outside SQLite is installed.
#include "core/sessionfile/sessionfile.h"

#include "core/sessionfile/sessionfile_sql.h"
#include "core/sessionfile/sessionschema.h"
#include "core/store/columns_rebuild.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>
#include <QtEndian>

#include <cstring>
#include <limits>
#include <thread>

namespace core {

using namespace sessionfile_detail;

namespace {

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

} // namespace

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
