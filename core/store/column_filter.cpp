// The columnar predicate (column_filter.h): compiled from the filter's syntax tree with the same
// meaning SqlBuilder (core/query/filter.cpp) gives it in SQL: a comparison on NULL is false,
// `not X` and `!=` are exact complements, an alias is the OR over its columns, the drops sum
// treats NULL counters as 0. Text terms are decided once per context (every text field lives in
// the context tuple), so `attachment == x` costs one bit test per row whatever the estate.
#include "core/store/column_filter.h"

#include "core/query/filter.h"
#include "core/query/filter_ip.h"
#include "core/query/filter_parse.h"
#include "core/store/columns.h"
#include "core/store/store_impl.h"

#include <sqlite3.h>

#include <algorithm>
#include <functional>
#include <thread>
#include <unordered_set>

namespace core {

using namespace filterlang;

namespace {

constexpr int64_t kAddrBias = int64_t{1} << 31;
constexpr size_t kBlockRows = 4096; // rows per evaluation block (64 words: stays in L1)
constexpr size_t kBlockWords = kBlockRows / 64;

struct PNode {
    enum Kind { And, Or, Not, Ctx, Int, Drops, Addr, Fixed } kind = Fixed;
    std::vector<PNode> children;
    std::vector<uint64_t> ctxBits; ///< Ctx: bit per context code
    IntColumn column = IntColumn::Packets;
    bool dst = false; ///< Addr: dstaddr, else srcaddr
    enum Test { Present, Eq, Lt, Le, Gt, Ge, In, Has, Cidr4, Host4, Net6 } test = Present;
    int64_t value = 0;
    std::vector<int64_t> values;
    uint32_t mask = 0, net = 0; ///< Cidr4 / Host4 (mask all ones)
    IpNetwork network;          ///< Cidr4 / Net6 (for addresses held as text)
    QByteArray hostText;        ///< Host4: the canonical text SQL compares with
    bool fixed = false;         ///< Fixed: the constant answer
};

/// Thrown-free "the columns cannot answer": compile returns nullopt.
using Compiled = std::optional<Result<PNode>>;

class Compiler {
public:
    Compiler(const Store& store, const Store::Impl& impl) : m_store(store), m_impl(impl), m_contexts(impl.contextCount()) {}

    Compiled build(const Node& n)
    {
        switch (n.kind) {
        case Node::And:
        case Node::Or: {
            PNode p;
            p.kind = n.kind == Node::And ? PNode::And : PNode::Or;
            for (const auto& c : n.children) {
                Compiled child = build(*c);
                if (!child || !child->ok()) return child;
                p.children.push_back(std::move(child->value()));
            }
            return Result<PNode>(fold(std::move(p)));
        }
        case Node::Not: {
            Compiled child = build(*n.children.front());
            if (!child || !child->ok()) return child;
            return Result<PNode>(negate(std::move(child->value())));
        }
        case Node::Term:
            return term(n);
        }
        return std::nullopt;
    }

private:
    // --- context sets -------------------------------------------------------------------
    PNode ctxNode(const std::function<bool(uint32_t)>& pass) const
    {
        PNode p;
        p.kind = PNode::Ctx;
        p.ctxBits.assign((m_contexts + 63) / 64, 0);
        for (size_t c = 0; c < m_contexts; ++c)
            if (pass(static_cast<uint32_t>(c))) p.ctxBits[c >> 6] |= uint64_t{1} << (c & 63);
        return p;
    }
    PNode negate(PNode p) const
    {
        if (p.kind == PNode::Ctx) {
            for (auto& bits : p.ctxBits) bits = ~bits;
            if (m_contexts & 63) p.ctxBits.back() &= (uint64_t{1} << (m_contexts & 63)) - 1;
            return p;
        }
        if (p.kind == PNode::Fixed) {
            p.fixed = !p.fixed;
            return p;
        }
        PNode n;
        n.kind = PNode::Not;
        n.children.push_back(std::move(p));
        return n;
    }
    /// And/Or of context sets becomes one context set (evaluated per context, not per row).
    static PNode fold(PNode p)
    {
        if (p.children.size() == 1) return std::move(p.children.front());
        const bool allCtx =
            std::all_of(p.children.begin(), p.children.end(), [](const PNode& c) { return c.kind == PNode::Ctx; });
        if (!allCtx || p.children.empty()) return p;
        PNode out = std::move(p.children.front());
        for (size_t i = 1; i < p.children.size(); ++i)
            for (size_t w = 0; w < out.ctxBits.size(); ++w)
                out.ctxBits[w] =
                    p.kind == PNode::And ? out.ctxBits[w] & p.children[i].ctxBits[w] : out.ctxBits[w] | p.children[i].ctxBits[w];
        return out;
    }
    static PNode anyOf(std::vector<PNode> parts)
    {
        PNode p;
        p.kind = PNode::Or;
        p.children = std::move(parts);
        return fold(std::move(p));
    }

    // --- names (id fields match by Name tag, as the SQL's `names` subquery) ----------------
    std::unordered_set<std::string> idsNamed(const QStringList& names) const
    {
        std::unordered_set<std::string> out;
        for (const QString& name : names) {
            auto st = m_store.prepare(QStringLiteral("SELECT id FROM names WHERE name = ?1"));
            if (!st.ok()) continue;
            st->bind(1, name);
            while (st->next()) out.insert(st->text(0).toStdString());
        }
        return out;
    }

    // --- terms --------------------------------------------------------------------------
    Compiled term(const Node& n)
    {
        const Target& t = n.target;
        if (t.kind == TargetKind::Drops) return dropsTerm(n);
        std::vector<PNode> parts;
        for (const QString& column : t.columns) {
            const std::optional<FieldId> f = findField(column.toStdString());
            if (!f) return std::nullopt;
            Compiled part;
            switch (fieldInfo(*f).type) {
            case FieldType::Text:
                part = textTerm(n, *f);
                break;
            case FieldType::Integer:
                part = intTerm(n, *f);
                break;
            case FieldType::Address:
                part = addrTerm(n, *f);
                break;
            }
            if (!part || !part->ok()) return part;
            parts.push_back(std::move(part->value()));
        }
        if (parts.empty()) return std::nullopt;
        PNode any = anyOf(std::move(parts));
        return Result<PNode>(n.op == Op::Ne ? negate(std::move(any)) : std::move(any));
    }

    /// A text field: decided per context from the field's string.
    Compiled textTerm(const Node& n, FieldId f)
    {
        const Target& t = n.target;
        if (t.value != ValueKind::Text) return std::nullopt;
        const int slot = SchemaSlots::get().slotOf[static_cast<size_t>(f)];
        auto code = [this, slot](uint32_t ctx) { return m_impl.contextValue(ContextCode(ctx), slot).get(); };
        switch (n.op) {
        case Op::Present:
            return Result<PNode>(ctxNode([&](uint32_t c) { return code(c) != 0; }));
        case Op::Eq:
        case Op::Ne:
        case Op::In: {
            std::unordered_set<std::string> wanted;
            QStringList names;
            for (const Value& v : n.values) {
                wanted.insert(v.text.toStdString());
                if (t.named && !isAwsIdShaped(v.text)) names << v.text;
            }
            if (!names.isEmpty())
                for (const std::string& id : idsNamed(names)) wanted.insert(id);
            return Result<PNode>(ctxNode([&](uint32_t c) {
                const uint32_t s = code(c);
                return s != 0 && wanted.count(m_impl.string(StringCode(s))) != 0;
            }));
        }
        case Op::Lt:
        case Op::Le:
        case Op::Gt:
        case Op::Ge: {
            const std::string v = n.values.front().text.toStdString();
            const Op op = n.op;
            return Result<PNode>(ctxNode([&](uint32_t c) {
                const uint32_t s = code(c);
                if (s == 0) return false;
                const int r = m_impl.string(StringCode(s)).compare(v);
                return op == Op::Lt ? r < 0 : op == Op::Le ? r <= 0 : op == Op::Gt ? r > 0 : r >= 0;
            }));
        }
        case Op::Contains: {
            // SQL LIKE '%needle%': substring, ASCII letters case-insensitive, other bytes exact.
            std::string needle = n.values.front().text.toStdString();
            auto lower = [](unsigned char ch) { return static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch); };
            std::transform(needle.begin(), needle.end(), needle.begin(),
                           [&](char ch) { return lower(static_cast<unsigned char>(ch)); });
            return Result<PNode>(ctxNode([&](uint32_t c) {
                const uint32_t s = code(c);
                if (s == 0) return false;
                std::string hay = m_impl.string(StringCode(s));
                std::transform(hay.begin(), hay.end(), hay.begin(),
                               [&](char ch) { return lower(static_cast<unsigned char>(ch)); });
                return hay.find(needle) != std::string::npos;
            }));
        }
        case Op::Has:
            return std::nullopt; // compileFilter refuses it first
        }
        return std::nullopt;
    }

    static std::optional<PNode::Test> comparison(Op op)
    {
        switch (op) {
        case Op::Eq:
        case Op::Ne:
            return PNode::Eq;
        case Op::Lt:
            return PNode::Lt;
        case Op::Le:
            return PNode::Le;
        case Op::Gt:
            return PNode::Gt;
        case Op::Ge:
            return PNode::Ge;
        case Op::In:
            return PNode::In;
        case Op::Has:
            return PNode::Has;
        case Op::Present:
            return PNode::Present;
        case Op::Contains:
            break;
        }
        return std::nullopt; // contains on a number: SQL's text conversion
    }

    /// Fills test/value/values of an integer-valued term; nullopt when not expressible.
    Compiled numeric(const Node& n, PNode p)
    {
        const std::optional<PNode::Test> test = comparison(n.op);
        if (!test) return std::nullopt;
        p.test = *test;
        if (p.test == PNode::Present) return Result<PNode>(std::move(p));
        if (p.test == PNode::Has) {
            auto bits = flagsValueOf(n.values.front(), n.target);
            if (!bits) return Result<PNode>(bits.error());
            p.value = bits.value();
            return Result<PNode>(std::move(p));
        }
        for (const Value& v : n.values) {
            auto x = integerValueOf(v, n.target);
            if (!x) return Result<PNode>(x.error());
            p.values.push_back(x.value());
        }
        p.value = p.values.empty() ? 0 : p.values.front();
        return Result<PNode>(std::move(p));
    }

    Compiled intTerm(const Node& n, FieldId f)
    {
        const std::optional<IntColumn> c = intColumnOf(f);
        if (!c || n.target.value == ValueKind::Text || n.target.value == ValueKind::Address) return std::nullopt;
        PNode p;
        p.kind = PNode::Int;
        p.column = *c;
        return numeric(n, std::move(p));
    }

    Compiled dropsTerm(const Node& n)
    {
        PNode p;
        p.kind = PNode::Drops;
        if (n.op == Op::Present) {
            p.test = PNode::Gt;
            p.value = 0;
            p.values = {0};
            return Result<PNode>(std::move(p));
        }
        if (n.op == Op::Has) return std::nullopt;
        Compiled r = numeric(n, std::move(p));
        if (r && r->ok() && n.op == Op::Ne) return Result<PNode>(negate(std::move(r->value())));
        return r;
    }

    Compiled addrTerm(const Node& n, FieldId f)
    {
        if (f != FieldId::SrcAddr && f != FieldId::DstAddr) return std::nullopt;
        PNode base;
        base.kind = PNode::Addr;
        base.dst = f == FieldId::DstAddr;
        if (n.op == Op::Present) {
            base.test = PNode::Present;
            return Result<PNode>(std::move(base));
        }
        if (n.op != Op::Eq && n.op != Op::Ne && n.op != Op::In) return std::nullopt; // contains: SQL
        std::vector<PNode> parts;
        for (const Value& v : n.values) {
            const auto net = parseIpNetwork(v.text.toStdString());
            if (!net) return std::nullopt; // compileFilter reports it
            PNode p = base;
            p.network = *net;
            const bool v6 = net->address.v6;
            const auto& b = net->address.bytes;
            const uint32_t a = (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | uint32_t{b[3]};
            if (v6) {
                p.test = PNode::Net6;
            } else if (net->prefix == 32) {
                p.test = PNode::Host4; // SQL: the text equals the canonical address
                p.mask = 0xffffffffu;
                p.net = a;
                p.hostText = formatIpAddress(net->address).toUtf8();
            } else {
                p.test = PNode::Cidr4;
                p.mask = net->prefix == 0 ? 0 : 0xffffffffu << (32 - net->prefix);
                p.net = a & p.mask;
            }
            parts.push_back(std::move(p));
        }
        return Result<PNode>(anyOf(std::move(parts)));
    }

    const Store& m_store;
    const Store::Impl& m_impl;
    size_t m_contexts;
};

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
        }
    }

private:
    static void maskTail(size_t n, uint64_t* out)
    {
        if (n & 63) out[n >> 6] &= (uint64_t{1} << (n & 63)) - 1;
    }

    void drops(const PNode& p, size_t begin, size_t n, uint64_t* out) const
    {
        static constexpr IntColumn kLost[] = {IntColumn::LostNoRoute, IntColumn::LostBlackhole, IntColumn::LostMtu,
                                              IntColumn::LostTtl};
        for (size_t w = 0; w * 64 < n; ++w) {
            const size_t lim = std::min<size_t>(64, n - w * 64);
            uint64_t m = 0;
            for (size_t j = 0; j < lim; ++j) {
                const size_t row = begin + w * 64 + j;
                int64_t sum = 0;
                for (IntColumn c : kLost) sum += m_cols.value(c, row).value_or(0);
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
        Compiler compiler(store, impl);
        Compiled compiled = compiler.build(*ast.value());
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
