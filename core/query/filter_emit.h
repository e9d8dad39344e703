#pragma once
// Internal to the filter language and its SQL dialects (core/query, core/remote): one traversal
// of the syntax tree for every dialect. FilterEmitter::emit() walks the tree, checks what every
// dialect refuses (ordering on addresses, `has` on other fields than tcp-flags, bad addresses)
// and asks the dialect for the text of each piece: the store's SQLite with bound parameters
// (filter.cpp), Trino literals (core/remote/trino_filter.cpp) and CloudWatch Logs Insights
// (core/remote/insights.cpp). Not a public API.
#include "core/model/result.h"
#include "core/query/filter_parse.h"

#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace core::filterlang {

/// Walks a filter tree and spells it in one dialect (subclass). Not thread-safe; one emitter
/// per compilation (dialects keep state such as parameter numbers and resolved names).
class FilterEmitter {
public:
    virtual ~FilterEmitter() = default;

    /// The boolean expression for the tree, or the first error (with its position).
    Result<QString> emit(const Node& n);

protected:
    // --- structure ---
    /// `parts` joined by AND (`conjunction`) or OR.
    virtual QString join(const QStringList& parts, bool conjunction) = 0;
    /// The exact complement of `positive` (a NULL comparison counts as false first).
    virtual QString negate(const QString& positive) = 0;
    /// True when any of `parts` is (one part: itself).
    virtual QString anyOf(const QStringList& parts) const;
    /// What an unreachable node compiles to (matches nothing).
    virtual QString matchNothing() const = 0;

    // --- operands and values ---
    /// The expressions a term applies to: one per column of `t`, or the drops sum.
    virtual QStringList operands(const Target& t) = 0;
    /// A whole term spelled by the dialect itself, or nullopt for the common rules.
    virtual std::optional<Result<QString>> dialectTerm(const Node& n, const QStringList& ops);
    /// `operand` has a value (Present on a column).
    virtual QString present(const QString& operand) const;
    /// The value `v` for comparing with `t`: a literal or a bound parameter.
    virtual Result<QString> value(const Value& v, const Target& t) = 0;
    /// Any operand equals the non-address value `v` (id fields: or an id named so).
    virtual Result<QString> equalsValue(const QStringList& ops, const Value& v, const Target& t) = 0;
    /// Any operand is one of the non-address `values` (id fields: or an id named so).
    virtual Result<QString> inValues(const QStringList& ops, const std::vector<Value>& values, const Target& t) = 0;
    /// An address or network text as a literal or parameter (used once per term).
    virtual QString addressValue(const QString& text) = 0;
    /// `operand` lies in the network `network` (from addressValue(); `v6` its family).
    virtual QString inNetwork(const QString& operand, const QString& network, bool v6) const = 0;
    /// Any operand contains `needle` (ASCII case-insensitive).
    virtual QString containsText(const QStringList& ops, const QString& needle) = 0;
    /// `operand` has all of `bits` set.
    virtual QString hasBits(const QString& operand, qint64 bits) = 0;
    /// The error for a value that is neither an address nor a CIDR.
    virtual Error badAddress(const Value& v, const Target& t) const;

    /// The value `v` of `t` ordered with `op` ("<", "<=", ">", ">="), for any operand.
    Result<QString> compare(const QStringList& ops, const QString& op, const Value& v, const Target& t);

private:
    Result<QString> term(const Node& n);
    Result<QString> equals(const QStringList& ops, const Value& v, const Target& t);
};

/// "expected <what> for '<field>' at <pos>, got '<value>'" at the value's position.
Error valueError(const Value& v, const QString& what, const Target& t);

/// `text` in double quotes with \ " and the control characters \n \t \r escaped by a
/// backslash: the filter language's quoted value (quoteFilterValue) and Logs Insights' string
/// literal are the same form.
QString backslashQuoted(const QString& text);

} // namespace core::filterlang
