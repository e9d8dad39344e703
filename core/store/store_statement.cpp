// Statement: the RAII wrapper of a prepared sqlite3 statement (store.h).
#include "core/store/store.h"

#include <sqlite3.h>

#include <QByteArray>
#include <utility>

namespace core {

// ---------------------------------------------------------------------------------------
// Statement

Statement::Statement(Statement&& other) noexcept : m_stmt(std::exchange(other.m_stmt, nullptr)), m_error(std::move(other.m_error))
{
}

Statement& Statement::operator=(Statement&& other) noexcept
{
    if (this != &other) {
        if (m_stmt) sqlite3_finalize(m_stmt);
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_error = std::move(other.m_error);
    }
    return *this;
}

Statement::~Statement()
{
    if (m_stmt) sqlite3_finalize(m_stmt);
}

void Statement::bind(int index, const QVariant& value)
{
    if (!m_stmt) return;
    if (value.isNull() || !value.isValid()) {
        sqlite3_bind_null(m_stmt, index);
        return;
    }
    switch (value.typeId()) {
    case QMetaType::Bool:
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::Long:
    case QMetaType::ULong:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Short:
    case QMetaType::UShort:
    case QMetaType::Char:
    case QMetaType::UChar:
    case QMetaType::SChar:
        sqlite3_bind_int64(m_stmt, index, value.toLongLong());
        return;
    case QMetaType::Double:
    case QMetaType::Float:
        sqlite3_bind_double(m_stmt, index, value.toDouble());
        return;
    case QMetaType::QByteArray: {
        const QByteArray b = value.toByteArray();
        sqlite3_bind_blob64(m_stmt, index, b.constData(), static_cast<sqlite3_uint64>(b.size()), SQLITE_TRANSIENT);
        return;
    }
    default: {
        const QByteArray u = value.toString().toUtf8();
        sqlite3_bind_text64(m_stmt, index, u.constData(), static_cast<sqlite3_uint64>(u.size()), SQLITE_TRANSIENT, SQLITE_UTF8);
        return;
    }
    }
}

void Statement::bindAll(const QVariantList& params)
{
    for (int i = 0; i < params.size(); ++i) bind(i + 1, params[i]);
}

bool Statement::next()
{
    if (!m_stmt) {
        m_error = QStringLiteral("no statement");
        return false;
    }
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) {
        m_error.clear();
        return false;
    }
    if (rc == SQLITE_INTERRUPT) m_error = QStringLiteral("interrupted");
    else m_error = QString::fromUtf8(sqlite3_errmsg(sqlite3_db_handle(m_stmt)));
    if (m_error.isEmpty()) m_error = QStringLiteral("SQLite error %1").arg(rc);
    return false;
}

void Statement::reset()
{
    if (!m_stmt) return;
    sqlite3_reset(m_stmt);
    m_error.clear();
}

int Statement::columnCount() const
{
    return m_stmt ? sqlite3_column_count(m_stmt) : 0;
}

QString Statement::columnName(int col) const
{
    return m_stmt ? QString::fromUtf8(sqlite3_column_name(m_stmt, col)) : QString();
}

bool Statement::isNull(int col) const
{
    return !m_stmt || sqlite3_column_type(m_stmt, col) == SQLITE_NULL;
}

qint64 Statement::int64(int col) const
{
    return m_stmt ? sqlite3_column_int64(m_stmt, col) : 0;
}

double Statement::real(int col) const
{
    return m_stmt ? sqlite3_column_double(m_stmt, col) : 0.0;
}

QString Statement::text(int col) const
{
    if (!m_stmt) return {};
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, col));
    if (!p) return {};
    return QString::fromUtf8(p, sqlite3_column_bytes(m_stmt, col));
}

QVariant Statement::value(int col) const
{
    if (!m_stmt) return {};
    switch (sqlite3_column_type(m_stmt, col)) {
    case SQLITE_INTEGER:
        return QVariant(static_cast<qint64>(sqlite3_column_int64(m_stmt, col)));
    case SQLITE_FLOAT:
        return QVariant(sqlite3_column_double(m_stmt, col));
    case SQLITE_TEXT:
        return QVariant(text(col));
    case SQLITE_BLOB: {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(m_stmt, col));
        return QVariant(QByteArray(p, sqlite3_column_bytes(m_stmt, col)));
    }
    default:
        return {};
    }
}

} // namespace core
