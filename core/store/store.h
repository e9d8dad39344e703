#pragma once
// The in-memory SQLite store: table/view `flows` (one column per known field, AWS Athena
// names with underscores, typed, NULL for '-'), plus `files`. RAII wrappers over sqlite3.
#include "core/model/record.h"
#include "core/model/result.h"

#include <QString>
#include <QStringList>
#include <QVariant>
#include <atomic>
#include <memory>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace core {

/// RAII prepared statement. Move-only. Use from one thread at a time.
class Statement {
public:
    Statement() = default;
    explicit Statement(sqlite3_stmt* stmt) : m_stmt(stmt) {}
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    bool valid() const { return m_stmt != nullptr; }
    sqlite3_stmt* handle() const { return m_stmt; }

    /// Binds a value to 1-based parameter `index` (null QVariant -> NULL, integers as INTEGER,
    /// double as REAL, QByteArray as BLOB, everything else as TEXT).
    void bind(int index, const QVariant& value);
    /// Binds params[0] to ?1, params[1] to ?2, ...
    void bindAll(const QVariantList& params);
    /// Steps once. Returns true on a row, false when done; on error returns false and sets error().
    bool next();
    /// Error of the last step ("" if none), e.g. "interrupted" (Store::interrupt(), or the
    /// CancelScope flag of the stepping thread was raised).
    QString error() const { return m_error; }
    void reset();

    int columnCount() const;
    QString columnName(int col) const;
    bool isNull(int col) const;
    qint64 int64(int col) const;
    double real(int col) const;
    QString text(int col) const;
    /// Column as QVariant: qint64, double, QString, QByteArray or null QVariant.
    QVariant value(int col) const;

private:
    sqlite3_stmt* m_stmt = nullptr;
    QString m_error;
};

/// Cancellation of the statements one thread steps, without touching other threads' work.
/// While a scope is alive, every Statement::next() on this thread (any Store) stops with the
/// error "interrupted" within ~10,000 SQLite VM steps of *cancel becoming true, also when the
/// flag was raised before the first step and also inside one long step (a sort, a count).
/// Unlike Store::interrupt() (sqlite3_interrupt: connection-wide, lost if it lands before the
/// statement starts stepping, left pending if nothing runs), nothing here can land too early
/// or hit another page's query. Scopes nest (the inner flag applies); `cancel` may be null
/// (no cancellation) and must outlive the scope. Stack object of the stepping thread.
class CancelScope {
public:
    explicit CancelScope(const std::atomic<bool>* cancel);
    ~CancelScope();
    CancelScope(const CancelScope&) = delete;
    CancelScope& operator=(const CancelScope&) = delete;

private:
    const std::atomic<bool>* m_previous;
};

/// Version of the SQLite library in use at run time (sqlite3_libversion(), e.g. "3.40.1"):
/// what the About box reports. Any thread.
QString sqliteVersion();

/// A loaded file, as in table `files`.
struct StoredFile {
    qint64 id = 0;
    QString path;
    QString format;
    qint64 records = 0;
    qint64 rejected = 0;
};

/// The store. Owns one in-memory database. Thread-safety: the connection is serialized
/// (SQLITE_OPEN_FULLMUTEX), so any thread may prepare and step statements; a Statement
/// belongs to one thread at a time. Writes happen only through the Loader/StoreWriter.
///
/// Schema (the contract every other module relies on):
///   view/table `flows`: id INTEGER (unique, ascending in load order), file_id INTEGER,
///     line INTEGER, then one column per known field in FieldId order named
///     FieldInfo::column (INTEGER for Integer fields, TEXT for Text and Address fields,
///     NULL for '-'/absent), then `twin_id` INTEGER (id of the same TGW flow's record logged
///     at the other attachment when both are loaded, else NULL), then extra columns
///     (TEXT) for unknown header fields, in order of first appearance.
///   table `files`: id, path, format, records, rejected.
///   SQL functions registered on the connection: see filter.h registerSqlFunctions().
class Store {
public:
    /// Creates an empty store with the schema. Any thread.
    static Result<std::unique_ptr<Store>> create();
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    sqlite3* handle() const { return m_db; }

    /// Prepares trusted SQL built by core (bound parameters only). Error names the SQL problem;
    /// a prepare hit by interrupt() fails with exactly "interrupted" (as Statement::error()).
    Result<Statement> prepare(const QString& sql) const;
    /// Prepares user-written SQL read-only: refuses writes, ATTACH/DETACH, VACUUM (INTO),
    /// load_extension, state-changing PRAGMAs, multiple statements. Error says why; an
    /// interrupted prepare fails with exactly "interrupted".
    Result<Statement> prepareUserQuery(const QString& sql) const;
    /// Executes trusted SQL without results.
    Status exec(const QString& sql) const;
    /// Interrupts running statements (sqlite3_interrupt). Any thread. Connection-wide: prefer a
    /// CancelScope flag for cancelling one job (see there).
    void interrupt() const;

    /// Number of rows in flows. Any thread.
    qint64 recordCount() const;
    /// Column names of `flows`, in order (id, file_id, line, known fields, twin_id, extras).
    QStringList columns() const;
    /// Extra (unknown-field) column names, in order.
    QStringList extraColumns() const;
    /// Loaded files.
    std::vector<StoredFile> files() const;
    /// Bytes used by SQLite for this process (sqlite3_memory_used + page cache).
    qint64 memoryBytes() const;

    // --- used by the loader (one writer at a time) ---
    class Impl;
    Impl& impl() const { return *m_impl; }

private:
    Store() = default;
    sqlite3* m_db = nullptr;
    std::unique_ptr<Impl> m_impl;
};

} // namespace core
