// The typed columns as named byte parts and back (session files, format 4: core/sessionfile).
// Each column's array is written as it is in memory (little-endian), its side list of exact
// values and the line runs as fixed-size little-endian entries. Restoring reads each part straight
// into a new column and checks it before anything uses it: sizes, sentinels against side lists,
// side-list rows, runs, and every code (contexts, strings, files) against the limits.
#include "core/store/columns.h"

#include "core/store/hugepages.h"
#include "core/store/store_impl.h"

#include <QtEndian>

#include <bit>
#include <cstring>
#include <limits>

namespace core {

namespace {

constexpr int64_t kAddrBias = int64_t{1} << 31; // Store::Impl::encodeAddress: IPv4 as (address - 2^31)
constexpr size_t kWideEntry = 16;               // u64 row, i64 value
constexpr size_t kRunEntry = 24;                // u64 first row, i64 file id, i64 first line
constexpr size_t kSameEntry = 9;                // u8 present, i64 value

template <class T> void toLittleEndianInPlace(T* p, size_t n)
{
    if constexpr (std::endian::native != std::endian::little && sizeof(T) > 1)
        for (size_t i = 0; i < n; ++i) p[i] = qFromLittleEndian<T>(p + i);
    else {
        (void)p;
        (void)n;
    }
}

void putU64(std::vector<unsigned char>& out, uint64_t v)
{
    const size_t at = out.size();
    out.resize(at + 8);
    qToLittleEndian<quint64>(v, out.data() + at);
}

int64_t getI64(const unsigned char* p)
{
    return static_cast<int64_t>(qFromLittleEndian<quint64>(p));
}

/// What the values of a column may be, beyond its narrow/wide encoding.
enum class Meaning {
    Integer, ///< any value
    Address, ///< Store::Impl::encodeAddress: IPv4 - 2^31, or 2^31 + a string code
    String,  ///< a string code >= 1 (extras)
};

/// Why `v` cannot be a value of a column meaning `m` (nullopt: it can).
std::optional<QString> badValue(Meaning m, int64_t v, const ColumnLimits& limits)
{
    switch (m) {
    case Meaning::Integer:
        return std::nullopt;
    case Meaning::Address:
        if (v >= -kAddrBias && v < kAddrBias) return std::nullopt;
        if (v > kAddrBias && static_cast<uint64_t>(v - kAddrBias) < limits.strings) return std::nullopt;
        return QStringLiteral("address value %1 is neither IPv4 nor one of the %2 strings").arg(v).arg(limits.strings);
    case Meaning::String:
        if (v >= 1 && static_cast<uint64_t>(v) < limits.strings) return std::nullopt;
        return QStringLiteral("string code %1 is not one of the %2 strings").arg(v).arg(limits.strings);
    }
    return std::nullopt;
}

ColumnProblem problem(const std::string& part, size_t offset, const QString& what)
{
    return ColumnProblem{part, offset, what};
}

} // namespace

/// Friend of the column classes: their parts out and in.
struct ColumnSerial {
    template <class T> static void narrowParts(const NarrowColumn<T>& c, const std::string& name, std::vector<ColumnPart>& out)
    {
        ColumnPart array{name, c.m_data.data(), c.m_data.bytes(), nullptr};
        if constexpr (std::endian::native != std::endian::little && sizeof(T) > 1) {
            auto copy = std::make_shared<std::vector<unsigned char>>(c.m_data.bytes());
            for (size_t i = 0; i < c.m_data.size(); ++i) qToLittleEndian<T>(c.m_data[i], copy->data() + i * sizeof(T));
            array.data = copy->data();
            array.owned = std::move(copy);
        }
        out.push_back(std::move(array));
        auto wide = std::make_shared<std::vector<unsigned char>>();
        wide->reserve(c.m_wide.size() * kWideEntry);
        for (const auto& [row, value] : c.m_wide) {
            putU64(*wide, row);
            putU64(*wide, static_cast<uint64_t>(value));
        }
        out.push_back({name + ".wide", wide->data(), wide->size(), wide});
    }

    static void sparseParts(const SparseColumn& c, const std::string& name, std::vector<ColumnPart>& out)
    {
        if (c.m_stored) {
            narrowParts(c.m_array, name, out);
            return;
        }
        auto same = std::make_shared<std::vector<unsigned char>>();
        same->push_back(c.m_same ? 1 : 0);
        putU64(*same, static_cast<uint64_t>(c.m_same.value_or(0)));
        out.push_back({name + ".same", same->data(), same->size(), same});
    }

    static void lineParts(const LineColumn& c, std::vector<ColumnPart>& out)
    {
        auto runs = std::make_shared<std::vector<unsigned char>>();
        runs->reserve(c.m_runs.size() * kRunEntry);
        for (const LineColumn::Run& r : c.m_runs) {
            putU64(*runs, r.row);
            putU64(*runs, static_cast<uint64_t>(r.fileId));
            putU64(*runs, static_cast<uint64_t>(r.line));
        }
        out.push_back({"lines", runs->data(), runs->size(), runs});
    }

    /// Part `name` is there and exactly `bytes` long.
    static std::optional<ColumnProblem> checkSize(ColumnSource& source, const std::string& name, size_t bytes)
    {
        const std::optional<size_t> size = source.partSize(name);
        if (!size) return problem(name, SIZE_MAX, QStringLiteral("the part is missing"));
        if (*size != bytes)
            return problem(name, SIZE_MAX, QStringLiteral("the part has %1 bytes where %2 were expected").arg(*size).arg(bytes));
        return std::nullopt;
    }

    /// Reads part `name` (exactly `bytes` long) into `dst`.
    static std::optional<ColumnProblem> readExact(ColumnSource& source, const std::string& name, size_t bytes, void* dst)
    {
        if (auto p = checkSize(source, name, bytes)) return p;
        if (!source.readPart(name, dst)) return problem(name, SIZE_MAX, QStringLiteral("the part cannot be read"));
        return std::nullopt;
    }

    /// A whole part of unknown size (a multiple of `entry` bytes).
    static std::optional<ColumnProblem> readEntries(ColumnSource& source, const std::string& name, size_t entry,
                                                    std::vector<unsigned char>& out)
    {
        const std::optional<size_t> size = source.partSize(name);
        if (!size) return problem(name, SIZE_MAX, QStringLiteral("the part is missing"));
        if (*size % entry != 0)
            return problem(name, SIZE_MAX,
                           QStringLiteral("the part has %1 bytes, not a whole number of %2-byte entries").arg(*size).arg(entry));
        out.resize(*size);
        if (!source.readPart(name, out.data())) return problem(name, SIZE_MAX, QStringLiteral("the part cannot be read"));
        return std::nullopt;
    }

    /// A narrow column of `rows` values stored as value + `bias`: the array, then its side list,
    /// each checked.
    template <class T>
    static std::optional<ColumnProblem> readNarrow(NarrowColumn<T>& c, const std::string& name, int64_t bias, Meaning meaning,
                                                   const ColumnLimits& limits, ColumnSource& source)
    {
        constexpr T kNull = NarrowColumn<T>::kNull, kWide = NarrowColumn<T>::kWide;
        const size_t rows = limits.rows;
        if (auto p = checkSize(source, name, rows * sizeof(T))) return p; // before any memory is taken
        T* data = c.m_data.extend(rows);
        adviseHugePages(data, rows * sizeof(T));
        if (auto p = readExact(source, name, rows * sizeof(T), data)) return p;
        toLittleEndianInPlace(data, rows);
        size_t wideRows = 0;
        if (meaning == Meaning::String) {
            for (size_t i = 0; i < rows; ++i) {
                const T v = data[i];
                if (v == kWide) ++wideRows;
                else if (v != kNull)
                    if (auto bad = badValue(meaning, static_cast<int64_t>(v) - bias, limits))
                        return problem(name, i * sizeof(T), QStringLiteral("row %1: %2").arg(i).arg(*bad));
            }
        } else {
            for (size_t i = 0; i < rows; ++i) wideRows += data[i] == kWide ? 1 : 0;
        }
        std::vector<unsigned char> wide;
        const std::string wideName = name + ".wide";
        if (auto p = readEntries(source, wideName, kWideEntry, wide)) return p;
        const size_t entries = wide.size() / kWideEntry;
        if (entries != wideRows)
            return problem(wideName, SIZE_MAX,
                           QStringLiteral("the column marks %1 rows as held in its side list, which has %2 entries")
                               .arg(wideRows)
                               .arg(entries));
        c.m_wide.reserve(entries);
        uint64_t previous = 0;
        for (size_t k = 0; k < entries; ++k) {
            const unsigned char* e = wide.data() + k * kWideEntry;
            const uint64_t row = qFromLittleEndian<quint64>(e);
            const int64_t value = getI64(e + 8);
            if (row >= rows || (k > 0 && row <= previous) || data[row] != kWide)
                return problem(
                    wideName, k * kWideEntry,
                    QStringLiteral("entry %1 names row %2, which is not the next row marked as held there").arg(k).arg(row));
            // An exact value the narrow array could hold is never in the side list (the scans
            // rely on it); the bound cannot overflow (bias is 0 or 2^31).
            if (value >= -bias && value < static_cast<int64_t>(kWide) - bias)
                return problem(wideName, k * kWideEntry,
                               QStringLiteral("entry %1 holds %2, which belongs in the column itself").arg(k).arg(value));
            if (auto bad = badValue(meaning, value, limits))
                return problem(wideName, k * kWideEntry, QStringLiteral("entry %1: %2").arg(k).arg(*bad));
            previous = row;
            c.m_wide.emplace_back(static_cast<uint32_t>(row), value);
        }
        return std::nullopt;
    }

    static std::optional<ColumnProblem> readSparse(SparseColumn& c, const std::string& name, Meaning meaning,
                                                   const ColumnLimits& limits, ColumnSource& source)
    {
        const std::string sameName = name + ".same";
        if (source.partSize(sameName)) {
            if (source.partSize(name) || source.partSize(name + ".wide"))
                return problem(name, SIZE_MAX, QStringLiteral("the column is both constant and stored"));
            unsigned char same[kSameEntry];
            if (auto p = readExact(source, sameName, kSameEntry, same)) return p;
            if (same[0] > 1) return problem(sameName, 0, QStringLiteral("its NULL flag is %1").arg(same[0]));
            c.m_rows = limits.rows;
            c.m_stored = false;
            c.m_same.reset();
            if (same[0] == 1) {
                const int64_t v = getI64(same + 1);
                if (auto bad = badValue(meaning, v, limits)) return problem(sameName, 1, *bad);
                c.m_same = v;
            }
            return std::nullopt;
        }
        if (auto p = readNarrow(c.m_array, name, c.m_bias, meaning, limits, source)) return p;
        c.m_stored = true;
        c.m_same.reset();
        c.m_rows = limits.rows;
        return std::nullopt;
    }

    static std::optional<ColumnProblem> readLines(LineColumn& c, const ColumnLimits& limits, ColumnSource& source)
    {
        std::vector<unsigned char> bytes;
        if (auto p = readEntries(source, "lines", kRunEntry, bytes)) return p;
        const size_t runs = bytes.size() / kRunEntry;
        if ((runs == 0) != (limits.rows == 0))
            return problem("lines", SIZE_MAX, QStringLiteral("%1 line runs for %2 records").arg(runs).arg(limits.rows));
        c.m_runs.reserve(runs);
        for (size_t k = 0; k < runs; ++k) {
            const unsigned char* e = bytes.data() + k * kRunEntry;
            const uint64_t row = qFromLittleEndian<quint64>(e);
            const int64_t file = getI64(e + 8), line = getI64(e + 16);
            const bool rowOk = k == 0 ? row == 0 : row > c.m_runs.back().row && row < limits.rows;
            if (!rowOk)
                return problem("lines", k * kRunEntry,
                               QStringLiteral("run %1 starts at row %2: runs must start at row 0 and go up within the %3 records")
                                   .arg(k)
                                   .arg(row)
                                   .arg(limits.rows));
            if (file < 1 || file >= limits.nextFileId)
                return problem(
                    "lines", k * kRunEntry + 8,
                    QStringLiteral("run %1 names file %2, not one of files 1 to %3").arg(k).arg(file).arg(limits.nextFileId - 1));
            if (line < 0 || line > std::numeric_limits<int64_t>::max() / 2)
                return problem("lines", k * kRunEntry + 16, QStringLiteral("run %1 starts at line %2").arg(k).arg(line));
            c.m_runs.push_back({static_cast<size_t>(row), file, line});
        }
        c.m_rows = limits.rows;
        return std::nullopt;
    }
};

namespace {

/// The cold integer and address slots (no hot column), as ColumnStore::appendCold takes them.
struct ColdSlots {
    std::vector<size_t> ints, addrs;
    ColdSlots(size_t intSlots, size_t addrSlots)
    {
        const SchemaSlots& slots = SchemaSlots::get();
        const int srcSlot = slots.slotOf[static_cast<size_t>(FieldId::SrcAddr)];
        const int dstSlot = slots.slotOf[static_cast<size_t>(FieldId::DstAddr)];
        for (size_t i = 0; i < slots.intFields.size() && i < intSlots; ++i)
            if (!intColumnOf(slots.intFields[i])) ints.push_back(i);
        for (size_t i = 0; i < slots.addrFields.size() && i < addrSlots; ++i)
            if (static_cast<int>(i) != srcSlot && static_cast<int>(i) != dstSlot) addrs.push_back(i);
    }
};

std::string columnName(FieldId f)
{
    return fieldInfo(f).column;
}

} // namespace

std::vector<ColumnPart> ColumnStore::parts() const
{
    std::vector<ColumnPart> out;
    if (!holdsEveryValue()) return out;
    ColumnPart ctx{"ctx", m_ctx.data(), m_ctx.bytes(), nullptr};
    if constexpr (std::endian::native != std::endian::little) {
        auto copy = std::make_shared<std::vector<unsigned char>>(m_ctx.bytes());
        for (size_t i = 0; i < m_ctx.size(); ++i) qToLittleEndian<quint32>(m_ctx[i], copy->data() + i * 4);
        ctx.data = copy->data();
        ctx.owned = std::move(copy);
    }
    out.push_back(std::move(ctx));
    ColumnSerial::narrowParts(m_src, columnName(FieldId::SrcAddr), out);
    ColumnSerial::narrowParts(m_dst, columnName(FieldId::DstAddr), out);
    const SchemaSlots& slots = SchemaSlots::get();
    for (FieldId f : slots.intFields)
        if (const auto c = intColumnOf(f))
            visit(*c, [&](const auto& col) { ColumnSerial::narrowParts(col, columnName(f), out); });
    const ColdSlots cold(kSlots, kAddrSlots);
    for (size_t i : cold.ints) ColumnSerial::sparseParts(m_otherInts[i], columnName(slots.intFields[i]), out);
    for (size_t i : cold.addrs) ColumnSerial::sparseParts(m_otherAddrs[i], columnName(slots.addrFields[i]), out);
    for (size_t i = 0; i < m_extras.size(); ++i) ColumnSerial::sparseParts(m_extras[i], "e_" + std::to_string(i), out);
    ColumnSerial::lineParts(m_lines, out);
    return out;
}

std::optional<ColumnProblem> ColumnStore::restore(ColumnStore& out, const ColumnLimits& limits, ColumnSource& source)
{
    if (limits.rows >= (size_t{1} << 32) - 1)
        return problem("ctx", SIZE_MAX, QStringLiteral("%1 records are more than a store holds").arg(limits.rows));
    out = ColumnStore();
    const size_t rows = limits.rows;
    if (auto p = ColumnSerial::checkSize(source, "ctx", rows * sizeof(uint32_t))) return p; // before any memory is taken
    uint32_t* ctx = out.m_ctx.extend(rows);
    adviseHugePages(ctx, rows * sizeof(uint32_t));
    if (auto p = ColumnSerial::readExact(source, "ctx", rows * sizeof(uint32_t), ctx)) return p;
    toLittleEndianInPlace(ctx, rows);
    for (size_t i = 0; i < rows; ++i)
        if (ctx[i] >= limits.contexts)
            return problem(
                "ctx", i * 4,
                QStringLiteral("row %1 has context %2, but there are %3 contexts").arg(i).arg(ctx[i]).arg(limits.contexts));
    if (auto p = ColumnSerial::readNarrow(out.m_src, columnName(FieldId::SrcAddr), kAddrBias, Meaning::Address, limits, source))
        return p;
    if (auto p = ColumnSerial::readNarrow(out.m_dst, columnName(FieldId::DstAddr), kAddrBias, Meaning::Address, limits, source))
        return p;
    const SchemaSlots& slots = SchemaSlots::get();
    for (FieldId f : slots.intFields) {
        const auto c = intColumnOf(f);
        if (!c) continue;
        std::optional<ColumnProblem> p;
        const ColumnStore& view = out;
        view.visit(*c, [&](const auto& col) {
            auto& mutableCol = const_cast<std::remove_const_t<std::remove_reference_t<decltype(col)>>&>(col);
            p = ColumnSerial::readNarrow(mutableCol, columnName(f), 0, Meaning::Integer, limits, source);
        });
        if (p) return p;
    }
    const ColdSlots cold(kSlots, kAddrSlots);
    for (size_t i : cold.ints)
        if (auto p =
                ColumnSerial::readSparse(out.m_otherInts[i], columnName(slots.intFields[i]), Meaning::Integer, limits, source))
            return p;
    for (size_t i : cold.addrs)
        if (auto p =
                ColumnSerial::readSparse(out.m_otherAddrs[i], columnName(slots.addrFields[i]), Meaning::Address, limits, source))
            return p;
    for (int i = 0; i < limits.extras; ++i) {
        const std::string name = "e_" + std::to_string(i);
        if (!source.partSize(name + ".same") && !source.partSize(name)) break; // extras no row has yet
        SparseColumn& e = out.m_extras.emplace_back(0, 0);
        if (auto p = ColumnSerial::readSparse(e, name, Meaning::String, limits, source)) return p;
    }
    if (auto p = ColumnSerial::readLines(out.m_lines, limits, source)) return p;
    out.m_broken = false;
    out.m_everyValue = true;
    return std::nullopt;
}

} // namespace core
