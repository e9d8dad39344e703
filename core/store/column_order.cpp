#include "core/store/column_order.h"

#include "core/store/column_filter.h"
#include "core/store/columns.h"
#include "core/store/store_impl.h"

#include <algorithm>
#include <array>
#include <bit>
#include <string>
#include <thread>
#include <unordered_map>

namespace core {

namespace {

enum class KeyKind { Id, Int, Text, Addr };

struct Plan {
    KeyKind kind = KeyKind::Id;
    IntColumn column = IntColumn::SrcPort;
    int slot = 0;     ///< text slot (Text)
    bool src = false; ///< srcaddr, else dstaddr (Addr)
};

std::optional<Plan> planFor(const QString& column)
{
    Plan p;
    if (column.isEmpty() || column == QLatin1String("id")) return p;
    const std::string name = column.toStdString();
    const auto f = findField(name);
    if (!f || name != fieldInfo(*f).column) return std::nullopt; // id-like extras, file_id, line, twin_id
    switch (fieldInfo(*f).type) {
    case FieldType::Integer:
        if (const auto c = intColumnOf(*f)) {
            p.kind = KeyKind::Int;
            p.column = *c;
            return p;
        }
        return std::nullopt;
    case FieldType::Text:
        p.kind = KeyKind::Text;
        p.slot = SchemaSlots::get().slotOf[static_cast<size_t>(*f)];
        return p;
    case FieldType::Address:
        if (*f != FieldId::SrcAddr && *f != FieldId::DstAddr) return std::nullopt;
        p.kind = KeyKind::Addr;
        p.src = *f == FieldId::SrcAddr;
        return p;
    }
    return std::nullopt;
}

// Rank of each octet's decimal text among "0".."255" in byte order: dotted-quad texts compare
// octet by octet ('.' and the end sort before every digit), so an IPv4 address's text order is
// the order of (rank(o1), rank(o2), rank(o3), rank(o4)).
const std::array<uint8_t, 256>& octetRanks()
{
    static const std::array<uint8_t, 256> ranks = [] {
        std::array<std::string, 256> texts;
        for (int i = 0; i < 256; ++i) texts[static_cast<size_t>(i)] = std::to_string(i);
        std::array<int, 256> order{};
        for (int i = 0; i < 256; ++i) order[static_cast<size_t>(i)] = i;
        std::sort(order.begin(), order.end(),
                  [&texts](int a, int b) { return texts[static_cast<size_t>(a)] < texts[static_cast<size_t>(b)]; });
        std::array<uint8_t, 256> r{};
        for (int i = 0; i < 256; ++i) r[static_cast<size_t>(order[static_cast<size_t>(i)])] = static_cast<uint8_t>(i);
        return r;
    }();
    return ranks;
}

uint32_t addressKey(uint32_t v)
{
    const auto& r = octetRanks();
    return (uint32_t{r[v >> 24]} << 24) | (uint32_t{r[(v >> 16) & 0xFF]} << 16) | (uint32_t{r[(v >> 8) & 0xFF]} << 8)
           | uint32_t{r[v & 0xFF]};
}

// Key of an IPv4 address text (the inverse of addressKey, formatted).
std::string addressTextOfKey(uint32_t key)
{
    static const std::array<uint8_t, 256> octetOfRank = [] {
        std::array<uint8_t, 256> o{};
        for (int i = 0; i < 256; ++i) o[octetRanks()[static_cast<size_t>(i)]] = static_cast<uint8_t>(i);
        return o;
    }();
    std::string out;
    for (int shift = 24; shift >= 0; shift -= 8) {
        if (shift != 24) out += '.';
        out += std::to_string(octetOfRank[(key >> shift) & 0xFF]);
    }
    return out;
}

// Sort keys for an address column holding other values than IPv4 (IPv6, text kept as written)
// among the rows: every value's place in text order, as (p << 31) | sub where p counts the IPv4
// keys below it. IPv4 key k -> (k << 31) | 2^30; a non-IPv4 text between IPv4 keys p - 1 and p ->
// (p << 31) | (its rank among the non-IPv4 texts), found by a binary search over the IPv4 keys.
class MixedAddressKeys {
public:
    MixedAddressKeys(const Store::Impl& impl, const NarrowColumn<uint32_t>& col, const RowSet& set)
    {
        std::vector<std::pair<std::string, int64_t>> texts;
        for (const auto& [row, value] : col.wideRows()) {
            if (row >= set.rows || !set.test(row) || m_key.count(value)) continue;
            char buf[64];
            const int n = impl.decodeAddress(value, buf);
            if (n < 0) { // fl_addr gives NULL
                m_key.emplace(value, kNullKey);
                continue;
            }
            texts.emplace_back(std::string(buf, static_cast<size_t>(n)), value);
            m_key.emplace(value, 0);
        }
        std::sort(texts.begin(), texts.end());
        for (size_t i = 0; i < texts.size(); ++i) {
            uint64_t lo = 0, hi = uint64_t{1} << 32; // p = first IPv4 key whose text is > the value's
            while (lo < hi) {
                const uint64_t mid = (lo + hi) / 2;
                if (addressTextOfKey(static_cast<uint32_t>(mid)) < texts[i].first) lo = mid + 1;
                else hi = mid;
            }
            m_key[texts[i].second] = (lo << 31) | i;
        }
    }
    static constexpr uint64_t kNullKey = ~uint64_t{0};
    static uint64_t ipv4(uint32_t key) { return (uint64_t{key} << 31) | (uint64_t{1} << 30); }
    uint64_t wide(int64_t value) const
    {
        const auto it = m_key.find(value);
        return it == m_key.end() ? 0 : it->second;
    }

private:
    std::unordered_map<int64_t, uint64_t> m_key;
};

// Rank (1-based, equal texts equal ranks) of each context's value in `slot` by bytes; 0 = NULL.
std::vector<uint32_t> contextRanks(const Store::Impl& impl, int slot)
{
    const size_t contexts = impl.contextCount();
    std::vector<uint32_t> codes(contexts);
    for (size_t c = 0; c < contexts; ++c) codes[c] = impl.contextValue(ContextCode(static_cast<uint32_t>(c)), slot).get();
    std::vector<uint32_t> distinct(codes);
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    std::sort(distinct.begin(), distinct.end(), [&impl](uint32_t a, uint32_t b) {
        if ((a == 0) != (b == 0)) return a == 0;
        return impl.string(StringCode(a)) < impl.string(StringCode(b));
    });
    std::vector<uint32_t> rankOfCode(impl.stringCount(), 0);
    uint32_t rank = 0;
    for (size_t i = 0; i < distinct.size(); ++i) {
        if (distinct[i] == 0) continue;
        if (i == 0 || distinct[i - 1] == 0 || impl.string(StringCode(distinct[i - 1])) != impl.string(StringCode(distinct[i])))
            ++rank;
        rankOfCode[distinct[i]] = rank;
    }
    std::vector<uint32_t> out(contexts);
    for (size_t c = 0; c < contexts; ++c) out[c] = rankOfCode[codes[c]];
    return out;
}

// A row's sort key: `null`, else `key` (ascending unsigned order = the SQL order).
struct Key {
    bool null = false;
    uint64_t key = 0;
};

// Packed form, when every key fits 32 bits below 0xFFFFFFFF: (key' << 32) | row, where key'
// already folds NULL and the direction in, so one unsigned sort gives ORDER BY key, id.
constexpr uint64_t kMaxPackedKey = 0xFFFFFFFEull;

uint64_t packed(const Key& k, uint32_t row, bool descending)
{
    uint64_t hi = 0;
    if (descending) hi = k.null ? 0xFFFFFFFFull : kMaxPackedKey - k.key;
    else hi = k.null ? 0 : k.key + 1;
    return (hi << 32) | row;
}

struct Entry {
    uint64_t key = 0;
    uint32_t row = 0;
    uint32_t null = 0;
};

auto entryLess(bool descending)
{
    return [descending](const Entry& a, const Entry& b) {
        if (a.null != b.null) return descending ? a.null < b.null : a.null > b.null;
        if (!a.null && a.key != b.key) return descending ? b.key < a.key : a.key < b.key;
        return a.row < b.row;
    };
}

// Sets of at least this many rows are gathered and sorted on two threads (tst_column_order_large
// runs a store above it).
constexpr qint64 kSplitRows = 32768;

// One thread's share of a pass over the rows of set words [w0, w1) in id order, each entry made
// by make(row, e) (false when the packed form cannot hold its key). With `out`, every entry is
// written there (the full order's pass). With k > 0, the k smallest by `less` are kept in `top`
// (unsorted): a bounded buffer cut back to k by nth_element whenever it fills, with a bar (its
// k-th entry) that most later rows fail, so the first page is one read-only pass and a few
// hundred comparisons, with no n-entry buffer and no nth_element over all rows. False if some
// entry did not fit.
template <class T, class Make, class Less>
bool gather(const RowSet& set, size_t w0, size_t w1, T* out, size_t k, Make make, Less less, std::vector<T>& top)
{
    const size_t cap = std::max<size_t>(4 * k, 4096);
    top.clear();
    if (k) top.reserve(cap);
    bool full = false, fits = true;
    T bar{};
    for (size_t w = w0; w < w1; ++w)
        for (uint64_t bits = set.words[w]; bits; bits &= bits - 1) {
            const auto row = static_cast<uint32_t>(w * 64 + static_cast<size_t>(std::countr_zero(bits)));
            T e{};
            fits = make(row, e) && fits;
            if (out) *out++ = e;
            if (k && (!full || less(e, bar))) {
                top.push_back(e);
                if (top.size() >= cap) {
                    std::nth_element(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(k - 1), top.end(), less);
                    top.resize(k);
                    bar = top[k - 1];
                    full = true;
                }
            }
        }
    return fits;
}

// One pass over both halves of the rows at once (the second on a helper thread; small sets on
// this one). With `v`: every entry, in id order (v resized to `total`). With k > 0: tops[0..1]
// get each half's k smallest. Returns the first index of the second half; `fits` false if some
// entry did not fit.
template <class T, class Make, class Less>
size_t gatherBoth(const RowSet& set, qint64 total, size_t k, Make make, Less less, std::vector<T>* v,
                  std::array<std::vector<T>, 2>& tops, bool& fits)
{
    if (v) v->resize(static_cast<size_t>(total));
    const size_t words = set.words.size();
    const size_t mid = total >= kSplitRows ? words / 2 : words;
    size_t off = 0;
    for (size_t w = 0; w < mid; ++w) off += static_cast<size_t>(std::popcount(set.words[w]));
    T* out = v ? v->data() : nullptr;
    bool fits1 = true;
    std::thread helper;
    if (mid < words)
        helper = std::thread([&] { fits1 = gather(set, mid, words, out ? out + off : nullptr, k, make, less, tops[1]); });
    const bool fits0 = gather(set, 0, mid, out, k, make, less, tops[0]);
    if (helper.joinable()) helper.join();
    fits = fits0 && fits1;
    return off;
}

// The first page from both halves' tops, sorted, handed to `first` with the count.
template <class T, class Less>
void handFirstPage(std::array<std::vector<T>, 2>& tops, size_t k, Less less, const FirstIds& first, qint64 total,
                   uint32_t (*rowOf)(const T&))
{
    std::vector<T>& top = tops[0];
    top.insert(top.end(), tops[1].begin(), tops[1].end());
    const size_t n = std::min(k, top.size());
    std::partial_sort(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(n), top.end(), less);
    std::vector<qint64> head;
    head.reserve(n);
    for (size_t i = 0; i < n; ++i) head.push_back(static_cast<qint64>(rowOf(top[i])) + 1);
    tops = {};
    first(std::move(head), total);
}

// The full order: unless cancelled, the two halves gathered by gatherBoth sorted at once (the
// first on a helper thread) and merged.
template <class T, class Less> void sortHalves(std::vector<T>& v, size_t off, Less less, const std::atomic<bool>* cancel)
{
    if (cancel && cancel->load()) return;
    const auto begin = v.begin(), mid = v.begin() + static_cast<std::ptrdiff_t>(off);
    if (off == 0 || off >= v.size()) {
        std::sort(v.begin(), v.end(), less);
        return;
    }
    std::thread helper([begin, mid, less] { std::sort(begin, mid, less); });
    std::sort(mid, v.end(), less);
    helper.join();
    if (cancel && cancel->load()) return;
    std::inplace_merge(begin, mid, v.end(), less);
}

// Packed entries are stored in the id vector itself (as their unsigned bits) and turned into ids
// in place afterwards, so a sort holds one 8-byte vector, not keys plus ids.
struct PackedLess {
    bool operator()(qint64 a, qint64 b) const { return static_cast<uint64_t>(a) < static_cast<uint64_t>(b); }
};

uint32_t rowOfPacked(const qint64& p)
{
    return static_cast<uint32_t>(static_cast<uint64_t>(p));
}

uint32_t rowOfEntry(const Entry& e)
{
    return e.row;
}

template <class F> void forEachRow(const RowSet& set, F&& f)
{
    for (size_t w = 0; w < set.words.size(); ++w)
        for (uint64_t bits = set.words[w]; bits; bits &= bits - 1)
            f(static_cast<uint32_t>(w * 64 + static_cast<size_t>(std::countr_zero(bits))));
}

template <class T> bool anyWideIn(const NarrowColumn<T>& col, const RowSet& set)
{
    for (const auto& [row, value] : col.wideRows())
        if (row < set.rows && set.test(row)) return true;
    return false;
}

Status cancelled()
{
    return Error{{}, 0, 0, QStringLiteral("cancelled")};
}

} // namespace

bool columnOrderSupports(const QString& column)
{
    return planFor(column).has_value();
}

std::optional<Status> columnOrder(const Store& store, const QString& filterExpression, const QString& column, bool descending,
                                  size_t firstCount, const FirstIds& first, const std::atomic<bool>* cancel,
                                  std::vector<qint64>& ids)
{
    const auto plan = planFor(column);
    if (!plan) return std::nullopt;
    std::vector<Entry> entries;
    std::array<std::vector<qint64>, 2> packedTops;
    std::array<std::vector<Entry>, 2> entryTops;
    bool general = false;
    size_t off = 0;
    qint64 total = 0;
    ids.clear();
    {
        const ColumnScanLock lock(store);
        auto m = matchRows(store, filterExpression, cancel);
        if (!m) return std::nullopt;
        if (!m->ok()) return Status(m->error());
        const RowSet& set = m->value();
        const Store::Impl& impl = store.impl();
        const ColumnStore& cols = impl.typedColumns();
        total = set.count();
        const size_t k = std::min(firstCount, static_cast<size_t>(total));
        if (plan->kind == KeyKind::Id) {
            // The first page from the first (last) k set bits, handed out before the other ids are built.
            if (first) {
                std::vector<qint64> head;
                head.reserve(k);
                if (!descending) {
                    for (size_t w = 0; w < set.words.size() && head.size() < k; ++w)
                        for (uint64_t bits = set.words[w]; bits && head.size() < k; bits &= bits - 1)
                            head.push_back(static_cast<qint64>(w * 64 + static_cast<size_t>(std::countr_zero(bits))) + 1);
                } else {
                    for (size_t w = set.words.size(); w-- > 0 && head.size() < k;)
                        for (uint64_t bits = set.words[w]; bits && head.size() < k;
                             bits &= ~(uint64_t{1} << (63 - std::countl_zero(bits))))
                            head.push_back(static_cast<qint64>(w * 64 + 63 - static_cast<size_t>(std::countl_zero(bits))) + 1);
                }
                first(std::move(head), total);
            }
            if (cancel && cancel->load()) return cancelled();
            ids.reserve(static_cast<size_t>(total));
            forEachRow(set, [&ids](uint32_t row) { ids.push_back(static_cast<qint64>(row) + 1); });
            if (descending) std::reverse(ids.begin(), ids.end());
            return Status(Ok{});
        }
        // keyOf(row) -> Key; `wide`: some key may not fit the packed form. First (with `first`) a
        // read-only pass for the first page, handed out at once under the lock; then the pass
        // writing every entry for the full sort.
        auto collect = [&](auto keyOf, bool wide) {
            auto run = [&](auto make, auto less, auto& v, auto& tops, auto rowOf) {
                bool fits = true;
                if (first) {
                    if (k > 0) gatherBoth(set, total, k, make, less, static_cast<decltype(&v)>(nullptr), tops, fits);
                    if (!fits) return false;
                    handFirstPage(tops, k, less, first, total, rowOf);
                    if (cancel && cancel->load()) return true;
                }
                off = gatherBoth(set, total, 0, make, less, &v, tops, fits);
                return fits;
            };
            if (!wide) {
                if (run(
                        [&](uint32_t row, qint64& e) {
                            const Key key = keyOf(row);
                            e = static_cast<qint64>(packed(key, row, descending));
                            return key.null || key.key <= kMaxPackedKey;
                        },
                        PackedLess{}, ids, packedTops, &rowOfPacked))
                    return;
                ids = {};
                packedTops = {};
            }
            general = true;
            run(
                [&](uint32_t row, Entry& e) {
                    const Key key = keyOf(row);
                    e = {key.key, row, key.null ? 1u : 0u};
                    return true;
                },
                entryLess(descending), entries, entryTops, &rowOfEntry);
        };
        switch (plan->kind) {
        case KeyKind::Id:
            break;
        case KeyKind::Int:
            cols.visit(plan->column, [&](const auto& col) {
                const bool wide = anyWideIn(col, set);
                const auto* data = col.data();
                using T = std::remove_cvref_t<decltype(*data)>;
                constexpr T kNull = std::remove_cvref_t<decltype(col)>::kNull;
                constexpr T kWide = std::remove_cvref_t<decltype(col)>::kWide;
                collect(
                    [&](uint32_t row) {
                        const T v = data[row];
                        if (v == kNull) return Key{true, 0};
                        // Signed order as unsigned: flip the sign bit (only in the general form).
                        const int64_t x = v == kWide ? col.wide(row) : static_cast<int64_t>(v);
                        return Key{false, wide ? static_cast<uint64_t>(x) ^ (uint64_t{1} << 63) : static_cast<uint64_t>(x)};
                    },
                    wide);
            });
            break;
        case KeyKind::Text: {
            const std::vector<uint32_t> ranks = contextRanks(impl, plan->slot);
            const uint32_t* ctx = cols.ctx();
            collect(
                [&](uint32_t row) {
                    const uint32_t c = ctx[row];
                    const uint32_t r = c < ranks.size() ? ranks[c] : 0;
                    return r == 0 ? Key{true, 0} : Key{false, r};
                },
                false);
            break;
        }
        case KeyKind::Addr: {
            const NarrowColumn<uint32_t>& col = plan->src ? cols.src() : cols.dst();
            const uint32_t* data = col.data();
            if (anyWideIn(col, set)) { // IPv6 / text kept as written: placed among the IPv4 texts
                const MixedAddressKeys mixed(impl, col, set);
                collect(
                    [&](uint32_t row) {
                        const uint32_t v = data[row];
                        if (v == NarrowColumn<uint32_t>::kNull) return Key{true, 0};
                        if (v == NarrowColumn<uint32_t>::kWide) {
                            const uint64_t mk = mixed.wide(col.wide(row));
                            return mk == MixedAddressKeys::kNullKey ? Key{true, 0} : Key{false, mk};
                        }
                        return Key{false, MixedAddressKeys::ipv4(addressKey(v))};
                    },
                    true);
                break;
            }
            collect(
                [&](uint32_t row) {
                    const uint32_t v = data[row];
                    if (v == NarrowColumn<uint32_t>::kNull) return Key{true, 0};
                    return Key{false, addressKey(v)};
                },
                false);
            break;
        }
        }
    }
    if (cancel && cancel->load()) {
        ids.clear();
        return cancelled();
    }
    if (general) {
        sortHalves(entries, off, entryLess(descending), cancel);
        if (cancel && cancel->load()) return cancelled();
        ids.reserve(entries.size());
        for (const Entry& e : entries) ids.push_back(static_cast<qint64>(e.row) + 1);
    } else {
        sortHalves(ids, off, PackedLess{}, cancel);
        if (cancel && cancel->load()) {
            ids.clear();
            return cancelled();
        }
        for (qint64& p : ids) p = static_cast<qint64>(rowOfPacked(p)) + 1;
    }
    return Status(Ok{});
}

} // namespace core
