#pragma once
// ColumnArray<T>: the growable array behind each typed column (columns.h). Unlike std::vector it
// never copies on growth and keeps no resident slack: on Linux the storage is an anonymous
// mapping grown with mremap (the kernel moves page tables, not bytes), so a column of N rows
// holds about N * sizeof(T) resident bytes (untouched capacity is only address space; from
// 256 KiB on the block is in 2 MiB huge pages, rounding it up to 2 MiB), and no old and new copy
// coexist while it grows. At 10M records this is the difference between the
// columns' 430 MB and ~1 GB transient (every column doubling in the same batch). Elsewhere: malloc
// and realloc. Not thread-safe (ColumnStore's rule: the writer appends under the connection mutex).
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

namespace core {

namespace columns_detail {
/// Grows (or first allocates, old == nullptr) a block of `oldBytes` to `newBytes`, keeping the
/// first `oldBytes`; new bytes are zero on Linux. Throws std::bad_alloc on failure.
void* grow(void* old, size_t oldBytes, size_t newBytes);
/// Frees a block from grow().
void release(void* p, size_t bytes);
/// Gives the whole pages from byte `keep` to `bytes` back to the system (a truncated column).
void discardTail(void* p, size_t keep, size_t bytes);
} // namespace columns_detail

/// A growable array of trivially copyable T (see the header comment). Move-only.
template <class T> class ColumnArray {
    static_assert(std::is_trivially_copyable_v<T>);

public:
    ColumnArray() = default;
    ~ColumnArray() { columns_detail::release(m_data, m_capacity * sizeof(T)); }
    ColumnArray(const ColumnArray&) = delete;
    ColumnArray& operator=(const ColumnArray&) = delete;
    ColumnArray(ColumnArray&& o) noexcept
        : m_data(std::exchange(o.m_data, nullptr)), m_size(std::exchange(o.m_size, 0)), m_capacity(std::exchange(o.m_capacity, 0))
    {
    }
    ColumnArray& operator=(ColumnArray&& o) noexcept
    {
        if (this != &o) {
            columns_detail::release(m_data, m_capacity * sizeof(T));
            m_data = std::exchange(o.m_data, nullptr);
            m_size = std::exchange(o.m_size, 0);
            m_capacity = std::exchange(o.m_capacity, 0);
        }
        return *this;
    }

    size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    const T* data() const { return m_data; }
    T* data() { return m_data; }
    const T& operator[](size_t i) const { return m_data[i]; }
    T& operator[](size_t i) { return m_data[i]; }
    const T* begin() const { return m_data; }
    const T* end() const { return m_data + m_size; }

    void push_back(T v)
    {
        if (m_size == m_capacity) reserve(m_capacity < 16384 ? 16384 : m_capacity * 2);
        m_data[m_size++] = v;
    }
    /// Room for `n` elements without moving (address space only until written).
    void reserve(size_t n)
    {
        if (n <= m_capacity) return;
        m_data = static_cast<T*>(columns_detail::grow(m_data, m_capacity * sizeof(T), n * sizeof(T)));
        m_capacity = n;
    }
    /// Appends `n` elements left for the caller to write (zero on Linux); returns the first.
    T* extend(size_t n)
    {
        if (m_size + n > m_capacity) reserve(m_size + n);
        T* first = m_data + m_size;
        m_size += n;
        return first;
    }
    /// Drops the elements from `n` on (n <= size()) and returns their whole pages.
    void truncate(size_t n)
    {
        if (n >= m_size) return;
        columns_detail::discardTail(m_data, n * sizeof(T), m_size * sizeof(T));
        m_size = n;
    }
    /// Bytes of the elements held (what is resident, give or take a page).
    size_t bytes() const { return m_size * sizeof(T); }

private:
    T* m_data = nullptr;
    size_t m_size = 0;
    size_t m_capacity = 0;
};

} // namespace core
