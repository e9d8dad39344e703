#pragma once
// Internal to the filter language (filter_parse.cpp; filter_emit.cpp and its dialects in
// filter.cpp and core/remote): field/alias resolution, the syntax tree and the parser, and the
// values a term's text stands for (defined in filter_emit.cpp). Not a public API; use
// core/query/filter.h.
#include "core/model/result.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

namespace core::filterlang {

enum class TargetKind { Columns, Drops };
enum class ValueKind { Integer, Text, Address, Time, Protocol, Flags };

/// What a field name in a filter refers to: one or more columns (aliases) or the drops sum.
struct Target {
    QString name; ///< as shown in messages (canonical spelling)
    TargetKind kind = TargetKind::Columns;
    QStringList columns; ///< SQL column names (Columns kind)
    ValueKind value = ValueKind::Text;
    /// The columns hold AWS resource ids: `==`, `!=` and `in` also match ids whose Name tag
    /// (table `names`) equals the value.
    bool named = false;
};

/// A value as written, with its 1-based position.
struct Value {
    QString text;
    int pos = 0;
    bool quoted = false;
};

enum class Op { Eq, Ne, Lt, Le, Gt, Ge, In, Contains, Has, Present };

struct Node {
    enum Kind { And, Or, Not, Term } kind = Term;
    std::vector<std::unique_ptr<Node>> children;
    // Term
    Target target;
    int fieldPos = 0;
    Op op = Op::Present;
    QString opText;
    int opPos = 0;
    std::vector<Value> values;
};

using NodePtr = std::unique_ptr<Node>;

/// Lower-case lookup table of what a filter word names: hyphen and underscore field names,
/// aliases, id/file_id/line (filter_fields.cpp). Any thread.
const QHash<QString, Target>& targets();

/// Parses a non-empty expression into a tree; errors carry the 1-based position. Any thread.
Result<NodePtr> parseFilter(const QString& expression);

/// Field names (hyphen and underscore), aliases and pseudo-fields, for suggestions/completion.
const QStringList& knownNames();

/// True for characters that may appear in a bare (unquoted) word.
bool isWordChar(QChar c);

/// The number `v` stands for when compared with `t` (integers; times as Unix seconds, values
/// above 1e11 read as milliseconds; protocol names; TCP flag names), exactly as compileFilter()
/// binds it; an error names the value and its position. For other SQL dialects. Any thread.
Result<qint64> integerValueOf(const Value& v, const Target& t);
/// The bits of a TCP flags value ("SYN|ACK", "18"), as `has` and `==` bind them. Any thread.
Result<qint64> flagsValueOf(const Value& v, const Target& t);
/// True for text shaped like an AWS resource id (vpc-0aaa1111): compared with ids only, never
/// with Name tags. Any thread.
bool isAwsIdShaped(const QString& value);

/// An Error with a column and message.
Error makeError(int pos, const QString& message);

} // namespace core::filterlang
