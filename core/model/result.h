#pragma once
// One small result type for core: a value or an Error naming file, line, column and message.
#include <QString>
#include <utility>
#include <variant>

namespace core {

/// An error as shown to the user. file/line are 0/empty when not applicable;
/// line is 1-based, column is 1-based (0 = unknown).
struct Error {
    QString file;
    qint64 line = 0;
    int column = 0;
    QString message;

    /// "path:line:column: message" with the missing parts left out.
    QString toString() const
    {
        QString s;
        if (!file.isEmpty()) s += file + QLatin1Char(':');
        if (line > 0) s += QString::number(line) + QLatin1Char(':');
        if (column > 0) s += QString::number(column) + QLatin1Char(':');
        if (!s.isEmpty()) s += QLatin1Char(' ');
        return s + message;
    }
};

/// Either a T or an Error. Never throws across Qt slots or SQLite callbacks.
template <class T> class Result {
public:
    Result(T value) : m_v(std::move(value)) {}
    Result(Error error) : m_v(std::move(error)) {}
    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<0>(m_v); }
    const T& value() const { return std::get<0>(m_v); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() { return value(); }
    const Error& error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

/// Result without a value.
struct Ok {};
using Status = Result<Ok>;

/// Outcome of long-running work (load, export, aggregation).
enum class Outcome { Ok, Cancelled, Failed };

} // namespace core
