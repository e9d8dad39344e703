#pragma once
// Internals shared by saving (sessionfile_save.cpp) and opening (sessionfile.cpp) session
// files: RAII wrappers of a raw SQLite connection and statement, and the text-field list both
// sides must agree on. Not part of the public API.
#include "core/model/fields.h"
#include "core/store/store_impl.h"

#include <sqlite3.h>

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace core::sessionfile_detail {

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

/// The text fields' column names in slot order (saved in fl_meta; a file with others is refused).
inline QStringList textFieldColumns()
{
    QStringList out;
    for (FieldId f : SchemaSlots::get().textFields) out << QLatin1String(fieldInfo(f).column);
    return out;
}

/// Copies every row of `table` from the store's connection `from` into the same table of `to`.
inline Status copyRows(sqlite3* from, sqlite3* to, const char* table)
{
    Stmt read(from, QStringLiteral("SELECT * FROM main.\"%1\"").arg(QLatin1String(table)).toUtf8().constData());
    if (!read.ok()) return Error{{}, 0, sqlite3_errcode(from), QString::fromUtf8(sqlite3_errmsg(from))};
    const int columns = sqlite3_column_count(read.st);
    QString sql = QStringLiteral("INSERT INTO main.\"%1\" VALUES(").arg(QLatin1String(table));
    for (int i = 0; i < columns; ++i) sql += i ? QStringLiteral(",?") : QStringLiteral("?");
    Stmt ins(to, (sql + QLatin1Char(')')).toUtf8().constData());
    if (!ins.ok()) return Error{{}, 0, sqlite3_errcode(to), QString::fromUtf8(sqlite3_errmsg(to))};
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(read.st)) == SQLITE_ROW) {
        for (int i = 0; i < columns; ++i) sqlite3_bind_value(ins.st, i + 1, sqlite3_column_value(read.st, i));
        if (!ins.run()) return Error{{}, 0, sqlite3_errcode(to), QString::fromUtf8(sqlite3_errmsg(to))};
    }
    if (rc != SQLITE_DONE) return Error{{}, 0, rc, QString::fromUtf8(sqlite3_errmsg(from))};
    return Ok{};
}

} // namespace core::sessionfile_detail
