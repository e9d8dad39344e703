#pragma once
// Internal to core/remote: the part of the filter dialects shared by Trino (trino_filter.cpp) and
// Logs Insights (insights.cpp): every value is a literal in the query text, and a name on an id
// field stands for the ids the NameDirectory gives it (neither service has a names table).
// Not a public API.
#include "core/names/names.h"
#include "core/query/filter_emit.h"

namespace core::remote {

/// A FilterEmitter whose values are quoted literals; subclasses give the quoting and list syntax.
class LiteralEmitter : public filterlang::FilterEmitter {
public:
    explicit LiteralEmitter(const NameDirectory* names) : m_names(names) {}

    /// Names that were resolved to ids, for a comment: "VPC A" = tgw-attach-..., ...
    QStringList resolvedNames;

protected:
    /// A string literal for any text.
    virtual QString quote(const QString& text) const = 0;
    /// `operand` is one of the comma-separated literals `list`.
    virtual QString inList(const QString& operand, const QString& list) const = 0;

    Result<QString> value(const filterlang::Value& v, const filterlang::Target& t) override;
    Result<QString> equalsValue(const QStringList& ops, const filterlang::Value& v, const filterlang::Target& t) override;
    Result<QString> inValues(const QStringList& ops, const std::vector<filterlang::Value>& values,
                             const filterlang::Target& t) override;
    QString addressValue(const QString& text) override { return quote(text); }

private:
    /// The literals a value stands for on this target: the value, plus the ids named so.
    Result<QStringList> literals(const filterlang::Value& v, const filterlang::Target& t);

    const NameDirectory* m_names;
};

} // namespace core::remote
