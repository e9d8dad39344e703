#pragma once
// Strong index types: integers that mean different things get different types, so a record id
// can't be passed where a table row is expected (klogg's named_type LineNumber/LinesCount).
//   RecordId    flows.id: unique, ascending in load order, >= 1 (the typed columns' row is id - 1).
//   TableRow    a row of the record table view under its filter and sort (0-based).
//   ContextCode a code of the store's context dictionary: one per distinct combination of a
//               record's text fields (the typed columns' ctx column).
//   StringCode  a code of the store's string pool (0 = NULL); a context's slots hold these.
// Construction from the bare integer is explicit and get() reads it back; the types compare
// (==, <, ...) only with their own kind and hash (std::hash, qHash). Zero cost: a wrapper of one
// integer, passed in a register. Bulk arrays (the sorted id order, the ctx column) stay plain
// integers; the types mark the API boundaries where the meanings meet. Any thread.
#include <QHashFunctions>
#include <QtGlobal>

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>

namespace core {

/// An integer of kind `Tag`. Value type; explicit from T, no arithmetic, no conversion to another
/// kind or back to T (use get()).
template <class Tag, class T> class NamedIndex {
public:
    using ValueType = T;
    constexpr NamedIndex() = default;
    constexpr explicit NamedIndex(T value) : m_value(value) {}
    constexpr T get() const { return m_value; }
    friend constexpr bool operator==(NamedIndex, NamedIndex) = default;
    friend constexpr auto operator<=>(NamedIndex, NamedIndex) = default;

private:
    T m_value{};
};

/// flows.id of a record (>= 1); -1 = none where an API says so (e.g. "no current record").
using RecordId = NamedIndex<struct RecordIdTag, qint64>;
/// A row of the record table view (0-based); -1 = none/not known yet where an API says so.
using TableRow = NamedIndex<struct TableRowTag, int>;
/// A code of the store's context dictionary (the typed columns' ctx values).
using ContextCode = NamedIndex<struct ContextCodeTag, uint32_t>;
/// A code of the store's string pool (0 = NULL).
using StringCode = NamedIndex<struct StringCodeTag, uint32_t>;

/// The "none" record id (Session::currentRecord(), a row not loaded yet).
inline constexpr RecordId kNoRecord{-1};
/// The "none" table row (a record filtered out or not placed yet).
inline constexpr TableRow kNoRow{-1};

template <class Tag, class T> size_t qHash(NamedIndex<Tag, T> key, size_t seed = 0) noexcept
{
    return ::qHash(key.get(), seed);
}

} // namespace core

template <class Tag, class T> struct std::hash<core::NamedIndex<Tag, T>> {
    size_t operator()(core::NamedIndex<Tag, T> key) const noexcept { return std::hash<T>{}(key.get()); }
};
