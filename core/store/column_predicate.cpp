// Compiles a filter's syntax tree to the columnar predicate (column_predicate.h) with the meaning
// SqlBuilder (core/query/filter.cpp) gives it in SQL: a comparison on NULL is false, `not X` and
// `!=` are exact complements, an alias is the OR over its columns, the drops sum treats NULL
// counters as 0; text terms become a bit per context code. column_filter.cpp evaluates it.
#include "core/store/column_predicate.h"

#include "core/query/filter.h"
#include "core/query/filter_parse.h"

#include <algorithm>
#include <functional>
#include <unordered_set>

namespace core::detail {

using namespace filterlang;

namespace {

/// Thrown-free "the columns cannot answer": compile returns nullopt.
using Compiled = CompiledPredicate;

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
        if (n.target.value == ValueKind::Text || n.target.value == ValueKind::Address) return std::nullopt;
        PNode p;
        if (c) {
            p.kind = PNode::Int;
            p.column = *c;
        } else {
            // No hot column: the cold one, when the columns hold every value (a loaded store).
            p.slot = SchemaSlots::get().slotOf[static_cast<size_t>(f)];
            if (!m_impl.typedColumns().holdsEveryValue() || p.slot < 0) return std::nullopt;
            p.kind = PNode::Slot;
        }
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
        PNode base;
        base.kind = PNode::Addr;
        base.dst = f == FieldId::DstAddr;
        if (f != FieldId::SrcAddr && f != FieldId::DstAddr) {
            // pkt-srcaddr and the like: the cold column, when the columns hold every value.
            base.kind = PNode::AddrSlot;
            base.slot = SchemaSlots::get().slotOf[static_cast<size_t>(f)];
            if (!m_impl.typedColumns().holdsEveryValue() || base.slot < 0) return std::nullopt;
        }
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

} // namespace

CompiledPredicate compilePredicate(const Store& store, const Store::Impl& impl, const Node& tree)
{
    Compiler compiler(store, impl);
    return compiler.build(tree);
}

} // namespace core::detail
