// The columnar predicate (column_filter.h) evaluated over the typed columns, block by block on
// both cores, and the entry points (matchRows, matchingIds, countMatching). The predicate is
// compiled from the filter's syntax tree in column_predicate.cpp with the meaning SqlBuilder
// (core/query/filter.cpp) gives it in SQL. Text terms are decided once per context (every text
// field lives in the context tuple), so `attachment == x` costs one bit test per row whatever
// the estate.
#include "core/store/column_filter.h"

#include "core/query/filter.h"
#include "core/query/filter_ip.h"
#include "core/query/filter_parse.h"
#include "core/store/column_predicate.h"
#include "core/store/columns.h"
#include "core/store/store_impl.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <functional>
#include <thread>
#include <type_traits>
#include <unordered_set>

namespace core {

using namespace filterlang;
using detail::kAddrBias;
using detail::PNode;

namespace {

constexpr size_t kBlockRows = 4096; // rows per evaluation block (64 words: stays in L1)
constexpr size_t kBlockWords = kBlockRows / 64;

// --- evaluation ---------------------------------------------------------------------------

bool numberMatches(const PNode& p, int64_t x)
{
    switch (p.test) {
    case PNode::Eq:
        return x == p.value;
    case PNode::Lt:
        return x < p.value;
    case PNode::Le:
        return x <= p.value;
    case PNode::Gt:
        return x > p.value;
    case PNode::Ge:
        return x >= p.value;
    case PNode::In:
        return std::find(p.values.begin(), p.values.end(), x) != p.values.end();
    case PNode::Has:
        return (x & p.value) == p.value;
    default:
        return true; // Present
    }
}

/// Bits for rows [begin, begin + n) of a narrow column: `test` on narrow values, then the wide
/// rows patched with their exact values.
template <class T, class F> void scanColumn(const NarrowColumn<T>& col, size_t begin, size_t n, uint64_t* out, F&& test)
{
    const T* d = col.data() + begin;
    for (size_t w = 0; w * 64 < n; ++w) {
        const size_t lim = std::min<size_t>(64, n - w * 64);
        const T* q = d + w * 64;
        uint64_t m = 0;
        for (size_t j = 0; j < lim; ++j)
            m |= static_cast<uint64_t>(q[j] < NarrowColumn<T>::kWide && test(static_cast<int64_t>(q[j]))) << j;
        out[w] = m;
    }
}

template <class T, class F> void patchWide(const NarrowColumn<T>& col, size_t begin, size_t n, uint64_t* out, F&& wideTest)
{
    const auto& wide = col.wideRows();
    auto it = std::lower_bound(wide.begin(), wide.end(), std::pair<uint32_t, int64_t>(static_cast<uint32_t>(begin), INT64_MIN));
    for (; it != wide.end() && it->first < begin + n; ++it) {
        const size_t i = it->first - begin;
        if (wideTest(it->second)) out[i >> 6] |= uint64_t{1} << (i & 63);
    }
}

template <class T> void intLeaf(const PNode& p, const NarrowColumn<T>& col, size_t begin, size_t n, uint64_t* out)
{
    switch (p.test) {
    case PNode::Present: {
        const T* d = col.data() + begin;
        for (size_t w = 0; w * 64 < n; ++w) {
            const size_t lim = std::min<size_t>(64, n - w * 64);
            uint64_t m = 0;
            for (size_t j = 0; j < lim; ++j) m |= static_cast<uint64_t>(d[w * 64 + j] != NarrowColumn<T>::kNull) << j;
            out[w] = m;
        }
        return;
    }
    case PNode::Eq: {
        const int64_t k = p.value;
        scanColumn(col, begin, n, out, [k](int64_t x) { return x == k; });
        break;
    }
    case PNode::Lt: {
        const int64_t k = p.value;
        scanColumn(col, begin, n, out, [k](int64_t x) { return x < k; });
        break;
    }
    case PNode::Le: {
        const int64_t k = p.value;
        scanColumn(col, begin, n, out, [k](int64_t x) { return x <= k; });
        break;
    }
    case PNode::Gt: {
        const int64_t k = p.value;
        scanColumn(col, begin, n, out, [k](int64_t x) { return x > k; });
        break;
    }
    case PNode::Ge: {
        const int64_t k = p.value;
        scanColumn(col, begin, n, out, [k](int64_t x) { return x >= k; });
        break;
    }
    case PNode::Has: {
        const int64_t k = p.value;
        scanColumn(col, begin, n, out, [k](int64_t x) { return (x & k) == k; });
        break;
    }
    default:
        scanColumn(col, begin, n, out, [&p](int64_t x) { return numberMatches(p, x); });
        break;
    }
    patchWide(col, begin, n, out, [&p](int64_t x) { return numberMatches(p, x); });
}

class Evaluator {
public:
    Evaluator(const Store::Impl& impl, const ColumnStore& cols) : m_impl(impl), m_cols(cols) {}

    void eval(const PNode& p, size_t begin, size_t n, uint64_t* out) const
    {
        const size_t words = (n + 63) / 64;
        switch (p.kind) {
        case PNode::Fixed:
            for (size_t w = 0; w < words; ++w) out[w] = p.fixed ? ~uint64_t{0} : 0;
            maskTail(n, out);
            return;
        case PNode::And:
        case PNode::Or: {
            eval(p.children.front(), begin, n, out);
            uint64_t tmp[kBlockWords];
            for (size_t i = 1; i < p.children.size(); ++i) {
                eval(p.children[i], begin, n, tmp);
                if (p.kind == PNode::And)
                    for (size_t w = 0; w < words; ++w) out[w] &= tmp[w];
                else
                    for (size_t w = 0; w < words; ++w) out[w] |= tmp[w];
            }
            return;
        }
        case PNode::Not:
            eval(p.children.front(), begin, n, out);
            for (size_t w = 0; w < words; ++w) out[w] = ~out[w];
            maskTail(n, out);
            return;
        case PNode::Ctx: {
            const uint32_t* c = m_cols.ctx() + begin;
            const uint64_t* bits = p.ctxBits.data();
            const size_t limit = p.ctxBits.size() * 64;
            for (size_t w = 0; w < words; ++w) {
                const size_t lim = std::min<size_t>(64, n - w * 64);
                uint64_t m = 0;
                for (size_t j = 0; j < lim; ++j) {
                    const uint32_t x = c[w * 64 + j];
                    m |= (x < limit ? (bits[x >> 6] >> (x & 63)) & 1 : 0) << j;
                }
                out[w] = m;
            }
            return;
        }
        case PNode::Int:
            m_cols.visit(p.column, [&](const auto& col) { intLeaf(p, col, begin, n, out); });
            return;
        case PNode::Drops:
            drops(p, begin, n, out);
            return;
        case PNode::Addr:
            address(p, begin, n, out);
            return;
        case PNode::Slot:
            perRow(begin, n, out, [&](size_t row) {
                const std::optional<int64_t> v = m_cols.intSlot(p.slot, row);
                return v && numberMatches(p, *v);
            });
            return;
        case PNode::AddrSlot:
            perRow(begin, n, out, [&](size_t row) {
                const std::optional<int64_t> v = m_cols.addrSlot(p.slot, row);
                return v && (p.test == PNode::Present || textAddressMatches(p, *v));
            });
            return;
        }
    }

private:
    /// Bits for rows [begin, begin + n) from `test(row)`, one row at a time (the cold columns).
    template <class F> static void perRow(size_t begin, size_t n, uint64_t* out, F&& test)
    {
        for (size_t w = 0; w * 64 < n; ++w) {
            const size_t lim = std::min<size_t>(64, n - w * 64);
            uint64_t m = 0;
            for (size_t j = 0; j < lim; ++j) m |= static_cast<uint64_t>(test(begin + w * 64 + j)) << j;
            out[w] = m;
        }
    }
    static void maskTail(size_t n, uint64_t* out)
    {
        if (n & 63) out[n >> 6] &= (uint64_t{1} << (n & 63)) - 1;
    }

    void drops(const PNode& p, size_t begin, size_t n, uint64_t* out) const
    {
        static constexpr IntColumn kLost[] = {IntColumn::LostNoRoute, IntColumn::LostBlackhole, IntColumn::LostMtu,
                                              IntColumn::LostTtl};
        // The four counters' raw narrow values (the rare NULL or wide one through value()).
        std::array<const uint16_t*, 4> raw{};
        for (size_t i = 0; i < raw.size(); ++i)
            raw[i] = m_cols.visit(kLost[i], [](const auto& col) -> const uint16_t* {
                if constexpr (std::is_same_v<std::decay_t<decltype(col)>, NarrowColumn<uint16_t>>) return col.data();
                else return nullptr;
            });
        for (size_t w = 0; w * 64 < n; ++w) {
            const size_t lim = std::min<size_t>(64, n - w * 64);
            uint64_t m = 0;
            for (size_t j = 0; j < lim; ++j) {
                const size_t row = begin + w * 64 + j;
                int64_t sum = 0;
                for (size_t i = 0; i < raw.size(); ++i) {
                    const uint16_t v = raw[i] ? raw[i][row] : NarrowColumn<uint16_t>::kWide;
                    if (v < NarrowColumn<uint16_t>::kWide) sum += v;
                    else sum += m_cols.value(kLost[i], row).value_or(0);
                }
                m |= static_cast<uint64_t>(numberMatches(p, sum)) << j;
            }
            out[w] = m;
        }
    }

    /// flowlog_in_cidr / text equality on an address the store keeps as text (not canonical IPv4).
    bool textAddressMatches(const PNode& p, int64_t encoded) const
    {
        if (encoded < kAddrBias) { // an IPv4 integer beyond the narrow range (255.255.255.254/255)
            const auto u = static_cast<uint32_t>(encoded + kAddrBias);
            return p.test != PNode::Net6 && (u & p.mask) == p.net;
        }
        const int64_t code = encoded - kAddrBias;
        if (code <= 0 || static_cast<size_t>(code) >= m_impl.stringCount()) return false;
        const std::string& text = m_impl.string(StringCode(static_cast<uint32_t>(code)));
        if (p.test == PNode::Host4)
            return text == std::string_view(p.hostText.constData(), static_cast<size_t>(p.hostText.size()));
        const bool isV6 = text.find(':') != std::string::npos;
        if (isV6 != p.network.address.v6) return false;
        const auto a = parseIpAddress(text);
        return a && networkContains(p.network, *a);
    }

    void address(const PNode& p, size_t begin, size_t n, uint64_t* out) const
    {
        const NarrowColumn<uint32_t>& col = p.dst ? m_cols.dst() : m_cols.src();
        if (p.test == PNode::Present) {
            const uint32_t* d = col.data() + begin;
            for (size_t w = 0; w * 64 < n; ++w) {
                const size_t lim = std::min<size_t>(64, n - w * 64);
                uint64_t m = 0;
                for (size_t j = 0; j < lim; ++j) m |= static_cast<uint64_t>(d[w * 64 + j] != NarrowColumn<uint32_t>::kNull) << j;
                out[w] = m;
            }
            return;
        }
        if (p.test == PNode::Net6) {
            for (size_t w = 0; w * 64 < n; ++w) out[w] = 0;
        } else {
            const uint32_t mask = p.mask, net = p.net;
            const uint32_t* d = col.data() + begin;
            for (size_t w = 0; w * 64 < n; ++w) {
                const size_t lim = std::min<size_t>(64, n - w * 64);
                uint64_t m = 0;
                for (size_t j = 0; j < lim; ++j) {
                    const uint32_t x = d[w * 64 + j];
                    m |= static_cast<uint64_t>(x < NarrowColumn<uint32_t>::kWide && (x & mask) == net) << j;
                }
                out[w] = m;
            }
        }
        patchWide(col, begin, n, out, [&](int64_t encoded) { return textAddressMatches(p, encoded); });
    }

    const Store::Impl& m_impl;
    const ColumnStore& m_cols;
};

} // namespace

ColumnScanLock::ColumnScanLock(const Store& store) : m_mutex(sqlite3_db_mutex(store.handle()))
{
    sqlite3_mutex_enter(static_cast<sqlite3_mutex*>(m_mutex));
}

ColumnScanLock::~ColumnScanLock()
{
    sqlite3_mutex_leave(static_cast<sqlite3_mutex*>(m_mutex));
}

namespace {
std::atomic<bool> g_columnScans{true};
} // namespace

void setColumnScansEnabled(bool on)
{
    g_columnScans = on;
}

bool columnScansEnabled()
{
    return g_columnScans;
}

namespace {
std::atomic<size_t> g_splitMinRows{kColumnScanSplitRows};
std::atomic<size_t> g_splitWord{0};
} // namespace

size_t columnScanSplitWord(size_t words)
{
    const size_t minRows = g_splitMinRows.load(std::memory_order_relaxed);
    if (words == 0 || words * 64 < std::max<size_t>(minRows, 1)) return words;
    const size_t at = g_splitWord.load(std::memory_order_relaxed);
    return at == 0 ? words / 2 : std::min(at, words);
}

void setColumnScanSplit(size_t minRows, size_t splitWord)
{
    g_splitMinRows = minRows;
    g_splitWord = splitWord;
}

bool columnsComplete(const Store& store)
{
    if (!g_columnScans) return false;
    const Store::Impl& impl = store.impl();
    const ColumnStore& cols = impl.typedColumns();
    return cols.complete() && static_cast<qint64>(cols.rows()) == impl.nextId() - 1;
}

std::optional<Result<RowSet>> matchRows(const Store& store, const QString& filterExpression, const std::atomic<bool>* cancel)
{
    if (!columnsComplete(store)) return std::nullopt;
    const Store::Impl& impl = store.impl();
    const ColumnStore& cols = impl.typedColumns();
    PNode root;
    root.kind = PNode::Fixed;
    root.fixed = true;
    if (!filterExpression.trimmed().isEmpty()) {
        // The SQL compiler's verdict first: an invalid filter fails with its exact message.
        auto sql = compileFilter(filterExpression);
        if (!sql.ok()) return Result<RowSet>(sql.error());
        auto ast = parseFilter(filterExpression);
        if (!ast.ok()) return Result<RowSet>(ast.error());
        detail::CompiledPredicate compiled = detail::compilePredicate(store, impl, *ast.value());
        if (!compiled) return std::nullopt;
        if (!compiled->ok()) return Result<RowSet>(compiled->error());
        root = std::move(compiled->value());
    }
    RowSet set;
    set.rows = cols.rows();
    const size_t blocks = (set.rows + kBlockRows - 1) / kBlockRows;
    set.words.assign(blocks * kBlockWords, 0);
    const Evaluator ev(impl, cols);
    std::atomic<bool> stop{false};
    auto run = [&](size_t from, size_t to) {
        for (size_t b = from; b < to; ++b) {
            if (((b & 15) == 0) && cancel && cancel->load(std::memory_order_relaxed)) {
                stop = true;
                return;
            }
            const size_t begin = b * kBlockRows;
            ev.eval(root, begin, std::min(kBlockRows, set.rows - begin), set.words.data() + b * kBlockWords);
        }
    };
    // Two cores: the second half of the blocks on a helper thread (small stores stay on this one).
    if (blocks >= 32) {
        std::thread helper(run, blocks / 2, blocks);
        run(0, blocks / 2);
        helper.join();
    } else {
        run(0, blocks);
    }
    if (stop || (cancel && cancel->load())) return Result<RowSet>(Error{{}, 0, 0, QStringLiteral("cancelled")});
    set.words.resize((set.rows + 63) / 64);
    return Result<RowSet>(std::move(set));
}

std::optional<Status> matchingIds(const Store& store, const QString& filterExpression, const std::atomic<bool>* cancel,
                                  std::vector<qint64>& ids)
{
    const ColumnScanLock lock(store);
    auto m = matchRows(store, filterExpression, cancel);
    if (!m) return std::nullopt;
    if (!m->ok()) return Status(m->error());
    const RowSet& set = m->value();
    ids.clear();
    ids.reserve(static_cast<size_t>(set.count()));
    for (size_t w = 0; w < set.words.size(); ++w)
        for (uint64_t bits = set.words[w]; bits; bits &= bits - 1)
            ids.push_back(static_cast<qint64>(w * 64 + static_cast<size_t>(std::countr_zero(bits))) + 1);
    return Status(Ok{});
}

Result<qint64> countMatching(const Store& store, const QString& filterExpression, const std::atomic<bool>* cancel,
                             bool* usedColumns)
{
    if (usedColumns) *usedColumns = false;
    {
        const ColumnScanLock lock(store);
        if (auto m = matchRows(store, filterExpression, cancel)) {
            if (!m->ok()) return m->error();
            if (usedColumns) *usedColumns = true;
            return m->value().count();
        }
    }
    auto f = compileFilter(filterExpression);
    if (!f.ok()) return f.error();
    if (cancel && cancel->load()) return Error{{}, 0, 0, QStringLiteral("cancelled")};
    auto st = store.prepare(QStringLiteral("SELECT count(*) FROM flows WHERE ") + f->where);
    if (!st.ok()) return st.error();
    st->bindAll(f->params);
    const CancelScope scope(cancel);
    if (!st->next())
        return Error{{}, 0, 0, st->error() == QLatin1String("interrupted") ? QStringLiteral("cancelled") : st->error()};
    return st->int64(0);
}

} // namespace core
