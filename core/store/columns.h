#pragma once
// Typed columns of every record: the hot paths (the filtered count, graph edges, time series) scan
// plain arrays on both cores instead of stepping the B-tree. Row r is record id r + 1. Filled from
// the writer's batches (one call in Store::Impl::insertBatch), forgotten with a rolled-back load.
// For a store loaded from files they hold EVERY value of flow_data (the cold ones too: file_id and
// line as runs, the other integer fields, the other addresses and the extras as SparseColumns that
// cost nothing while every row holds the same value), and SQLite's flow_data is a virtual table
// reading them (store_vtab.cpp), so a record is held once. A store opened from a session file keeps
// its real flow_data table and only the hot columns (holdsEveryValue() false).
//
// Narrow storage: each column keeps a value in the smallest unsigned type its usual range fits
// (ports 16 bits, protocol 8, packets/bytes/times 32, drop counters 16, IPv4 addresses 32). The
// two top values of the type are sentinels: kNull (the field is absent, SQL NULL) and kWide (the
// exact value, any int64, is in the column's sorted side list). So every value round-trips
// exactly: a negative port, a 5 GB record or an IPv6 address (its store code) only cost a side
// entry.
#include "core/model/fields.h"
#include "core/store/columns_array.h"

#include <QString>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace core {

struct RowBatch;
struct ColumnSerial;

/// One named part of the typed columns as bytes (session files, format 4: columns_serial.cpp).
/// `data` points into the columns (valid while they do not change: the caller holds the store's
/// write lock) or into `owned`.
struct ColumnPart {
    std::string name;
    const void* data = nullptr;
    size_t bytes = 0;
    std::shared_ptr<std::vector<unsigned char>> owned;
};

/// Where restored column parts come from (the session file being opened).
class ColumnSource {
public:
    virtual ~ColumnSource() = default;
    /// Bytes of part `name`, nullopt when the source has no such part.
    virtual std::optional<size_t> partSize(const std::string& name) = 0;
    /// Copies all of part `name` (partSize bytes) into `out`; false on a read error.
    virtual bool readPart(const std::string& name, void* out) = 0;
};

/// What restored values are checked against: every code and id must be in range.
struct ColumnLimits {
    size_t rows = 0;        ///< records (ids 1..rows)
    size_t contexts = 0;    ///< ctx < contexts
    size_t strings = 0;     ///< string codes (extras, IPv6 addresses) < strings
    int64_t nextFileId = 1; ///< file ids 1..nextFileId-1
    int extras = 0;         ///< extra columns e_0..e_{extras-1} at most
};

/// Why restored columns were refused: the part, the byte offset in it (SIZE_MAX: the whole part)
/// and a sentence fragment.
struct ColumnProblem {
    std::string part;
    size_t offset = SIZE_MAX;
    QString what;
};

/// One narrow column (see the header comment). Writer appends, readers read published rows;
/// both under the connection mutex (ColumnStore's rule).
template <class T> class NarrowColumn {
public:
    static constexpr T kNull = static_cast<T>(~T{0});
    static constexpr T kWide = static_cast<T>(kNull - 1);

    void append(std::optional<int64_t> v)
    {
        if (!v) {
            m_data.push_back(kNull);
            return;
        }
        if (*v >= 0 && *v < static_cast<int64_t>(kWide)) {
            m_data.push_back(static_cast<T>(*v));
            return;
        }
        m_wide.emplace_back(static_cast<uint32_t>(m_data.size()), *v);
        m_data.push_back(kWide);
    }
    /// Appends a narrow value (< kWide) or a sentinel as is.
    void appendRaw(T v) { m_data.push_back(v); }
    /// Appends a kWide row holding `v`.
    void appendWide(int64_t v)
    {
        m_wide.emplace_back(static_cast<uint32_t>(m_data.size()), v);
        m_data.push_back(kWide);
    }
    /// Appends `n` rows for the caller to fill (a batch, column by column); returns the first.
    /// Every row must then get a narrow value, a sentinel, or kWide by setWide.
    T* extend(size_t n) { return m_data.extend(n); }
    /// The raw value of `v` (absent: kNull); kWide when it does not fit.
    static T narrow(bool present, int64_t v)
    {
        if (!present) return kNull;
        return v >= 0 && v < static_cast<int64_t>(kWide) ? static_cast<T>(v) : kWide;
    }
    /// Records the exact value of row `row`, filled with kWide after extend(): rows in ascending
    /// order, after every earlier kWide row.
    void setWide(size_t row, int64_t v) { m_wide.emplace_back(static_cast<uint32_t>(row), v); }
    void truncate(size_t rows)
    {
        if (rows >= m_data.size()) return;
        m_data.truncate(rows);
        while (!m_wide.empty() && m_wide.back().first >= rows) m_wide.pop_back();
    }
    size_t size() const { return m_data.size(); }
    const T* data() const { return m_data.data(); }
    /// Exact value of a kWide row.
    int64_t wide(size_t row) const
    {
        const auto it =
            std::lower_bound(m_wide.begin(), m_wide.end(), std::pair<uint32_t, int64_t>(static_cast<uint32_t>(row), INT64_MIN));
        return it != m_wide.end() && it->first == row ? it->second : 0;
    }
    /// Value of `row`, nullopt for NULL.
    std::optional<int64_t> value(size_t row) const
    {
        const T v = m_data[row];
        if (v == kNull) return std::nullopt;
        if (v == kWide) return wide(row);
        return static_cast<int64_t>(v);
    }
    /// Appends `n` copies of raw value `raw` (< kWide, or kNull).
    void appendRawRepeated(T raw, size_t n)
    {
        m_data.reserve(m_data.size() + n);
        for (size_t i = 0; i < n; ++i) m_data.push_back(raw);
    }
    /// Rows holding kWide, ascending, with their values.
    const std::vector<std::pair<uint32_t, int64_t>>& wideRows() const { return m_wide; }
    size_t bytes() const { return m_data.bytes() + m_wide.capacity() * sizeof(m_wide[0]); }

private:
    friend struct ColumnSerial;
    ColumnArray<T> m_data;
    std::vector<std::pair<uint32_t, int64_t>> m_wide; ///< (row, exact value), ascending rows
};

/// A column of a field the views do not scan (the other integer fields, the other addresses, an
/// extra's string codes): no storage while every row so far holds the same value (all NULL, say,
/// or the format's version), then a NarrowColumn<uint32_t> of value + bias (so an address encoded
/// as IPv4 - 2^31 stays narrow) with the exact value of any other in the side list. Same locking
/// rule as NarrowColumn.
class SparseColumn {
public:
    /// A column of `rows` NULLs whose values are stored as value + `bias`.
    explicit SparseColumn(int64_t bias = 0, size_t rows = 0) : m_bias(bias), m_rows(rows) {}
    void append(std::optional<int64_t> v);
    /// Appends get(0) .. get(n - 1) (each a std::optional<int64_t>): the same as n append() calls,
    /// with a tight loop while every row holds the same value.
    template <class Get> void appendMany(size_t n, Get&& get)
    {
        size_t k = 0;
        if (!m_stored) {
            if (m_rows == 0 && n > 0) m_same = get(0);
            while (k < n && get(k) == m_same) ++k;
            m_rows += k;
        }
        for (; k < n; ++k) append(get(k));
    }
    /// Value of `row` (< size()), nullopt for NULL.
    std::optional<int64_t> value(size_t row) const
    {
        if (!m_stored) return m_same;
        const uint32_t v = m_array.data()[row];
        if (v == NarrowColumn<uint32_t>::kNull) return std::nullopt;
        if (v == NarrowColumn<uint32_t>::kWide) return m_array.wide(row);
        return static_cast<int64_t>(v) - m_bias;
    }
    void truncate(size_t rows);
    size_t size() const { return m_rows; }
    size_t bytes() const { return m_stored ? m_array.bytes() : 0; }

private:
    friend struct ColumnSerial;
    void store(std::optional<int64_t> v);
    int64_t m_bias = 0;
    size_t m_rows = 0;
    std::optional<int64_t> m_same; ///< every row's value while !m_stored
    bool m_stored = false;
    NarrowColumn<uint32_t> m_array; ///< one entry per row once m_stored
};

/// file_id and line of every row, as runs of rows of one file whose lines go up by one: a file's
/// records cost one run plus one per rejected (or skipped) stretch of lines.
class LineColumn {
public:
    void append(int64_t fileId, int64_t line);
    size_t size() const { return m_rows; }
    /// Index of the run holding `row` (< size()); `hint` (a run index, e.g. the previous row's)
    /// is tried first.
    size_t runOf(size_t row, size_t hint = 0) const;
    int64_t fileId(size_t run) const { return m_runs[run].fileId; }
    int64_t line(size_t run, size_t row) const
    {
        return static_cast<int64_t>(static_cast<uint64_t>(m_runs[run].line) + (row - m_runs[run].row));
    }
    void truncate(size_t rows);
    size_t bytes() const { return m_runs.capacity() * sizeof(Run); }

private:
    friend struct ColumnSerial;
    struct Run {
        size_t row;     ///< first row
        int64_t fileId; ///< of every row of the run
        int64_t line;   ///< of the first row; row + k has line + k
    };
    std::vector<Run> m_runs;
    size_t m_rows = 0;
};

/// The integer fields held as columns (the ones the views aggregate and filters most often
/// test). A filter on any other integer field is answered by SQL.
enum class IntColumn {
    SrcPort,
    DstPort,
    Protocol,
    TcpFlags,
    Packets,
    Bytes,
    Start,
    End,
    LostNoRoute,
    LostBlackhole,
    LostMtu,
    LostTtl
};

/// The column holding `field`, if any.
std::optional<IntColumn> intColumnOf(FieldId field);

/// The typed columns of a store (Store::Impl owns one). Rows are appended by the writer thread
/// inside Store::Impl::insertBatch (under the connection mutex); every reader takes the
/// connection mutex (sqlite3_db_mutex) for the whole scan, so no row changes under it.
class ColumnStore {
public:
    ColumnStore();
    /// Appends `batch` as ids firstId, firstId + 1, ... Rows from firstId on are dropped first
    /// (a rolled-back load). A gap (rows the columns never saw, e.g. a store opened from a session
    /// file) makes the columns incomplete for good: complete() turns false. `everyValue` false
    /// (the batch carries only the hot fields: a rebuild from a session's rows) keeps only the hot
    /// columns from then on: holdsEveryValue() turns false.
    void append(const RowBatch& batch, int64_t firstId, bool everyValue = true);
    /// Drops the rows from `rows` on (a cancelled load).
    void truncate(size_t rows);
    /// Rows held (record ids 1..rows()).
    size_t rows() const { return m_ctx.size(); }
    /// True when the columns hold every record ever appended (no gap).
    bool complete() const { return !m_broken; }
    /// True when the columns hold every value of flow_data (file_id, line, every integer and address
    /// slot, the extras), not only the hot ones: what the virtual flow_data needs.
    bool holdsEveryValue() const { return !m_broken && m_everyValue; }

    /// Value of integer slot `slot` (SchemaSlots::intFields) at `row`, nullopt for NULL.
    std::optional<int64_t> intSlot(int slot, size_t row) const;
    /// Encoded address (as flow_data.a_<column>) of address slot `slot` at `row`, nullopt for NULL.
    std::optional<int64_t> addrSlot(int slot, size_t row) const;
    /// String code of extra column `index` at `row` (as flow_data.e_<index>), nullopt for NULL.
    std::optional<int64_t> extra(int index, size_t row) const
    {
        if (index < 0 || static_cast<size_t>(index) >= m_extras.size()) return std::nullopt;
        return m_extras[static_cast<size_t>(index)].value(row);
    }
    /// file_id and line of every row.
    const LineColumn& lines() const { return m_lines; }

    const uint32_t* ctx() const { return m_ctx.data(); }
    /// Source/destination address: IPv4 as the host-order integer; NULL; anything else kWide with
    /// the store's encoded value (Store::Impl::encodeAddress).
    const NarrowColumn<uint32_t>& src() const { return m_src; }
    const NarrowColumn<uint32_t>& dst() const { return m_dst; }
    /// The store's encoded address of row `row` of `c` (as in flow_data.a_srcaddr), nullopt for NULL.
    static std::optional<int64_t> encodedAddress(const NarrowColumn<uint32_t>& c, size_t row);

    /// Value of integer column `c` at `row`, nullopt for NULL.
    std::optional<int64_t> value(IntColumn c, size_t row) const;
    /// Calls f(const NarrowColumn<T>&) with the column `c`.
    template <class F> decltype(auto) visit(IntColumn c, F&& f) const
    {
        switch (c) {
        case IntColumn::SrcPort:
            return f(m_srcPort);
        case IntColumn::DstPort:
            return f(m_dstPort);
        case IntColumn::Protocol:
            return f(m_protocol);
        case IntColumn::TcpFlags:
            return f(m_tcpFlags);
        case IntColumn::Packets:
            return f(m_packets);
        case IntColumn::Bytes:
            return f(m_bytes);
        case IntColumn::Start:
            return f(m_start);
        case IntColumn::End:
            return f(m_end);
        case IntColumn::LostNoRoute:
            return f(m_lost[0]);
        case IntColumn::LostBlackhole:
            return f(m_lost[1]);
        case IntColumn::LostMtu:
            return f(m_lost[2]);
        case IntColumn::LostTtl:
            break;
        }
        return f(m_lost[3]);
    }
    /// Heap bytes held.
    size_t bytes() const;

    /// Every column as named little-endian byte parts (session files, format 4); only when
    /// holdsEveryValue(). Call with the store's write lock held: the parts point into the columns.
    std::vector<ColumnPart> parts() const;
    /// Columns holding every value, restored from `source`'s parts: each part's size, every side
    /// list, run, code and sentinel is checked against `limits` first (the file is untrusted).
    /// Refused with the first problem found; nothing else is read then. Any thread (the columns
    /// are new).
    static std::optional<ColumnProblem> restore(ColumnStore& out, const ColumnLimits& limits, ColumnSource& source);

private:
    friend struct ColumnSerial;
    void appendCold(const RowBatch& batch);
    void appendHot(const RowBatch& batch);
    bool m_broken = false;
    bool m_everyValue = true;
    ColumnArray<uint32_t> m_ctx;
    NarrowColumn<uint32_t> m_src, m_dst;
    NarrowColumn<uint16_t> m_srcPort, m_dstPort, m_tcpFlags;
    NarrowColumn<uint8_t> m_protocol;
    NarrowColumn<uint32_t> m_packets, m_bytes, m_start, m_end;
    std::array<NarrowColumn<uint16_t>, 4> m_lost;
    // The cold values (only while m_everyValue): the integer slots without a hot column, the
    // address slots but source and destination (indexed by slot; unused entries stay empty), the
    // extras (grown as extra columns appear), file_id and line.
    static constexpr size_t kSlots = 24;    ///< >= kMaxIntSlots (store_impl.h)
    static constexpr size_t kAddrSlots = 8; ///< >= kMaxAddrSlots
    std::array<SparseColumn, kSlots> m_otherInts;
    std::array<SparseColumn, kAddrSlots> m_otherAddrs;
    std::vector<SparseColumn> m_extras;
    LineColumn m_lines;
};

} // namespace core
