#pragma once
// What the filter bar reads from the text being typed, for completion: the word under the
// cursor, the field a value belongs to, and the names and ids a field holding ids is offered.
// Plain functions of the text (no widget); GUI thread (they use the Session's field lists).
#include <QString>
#include <QStringList>
#include <vector>

namespace core {
class NameDirectory;
}

namespace ui::filtertext {

/// A character of a field name, id, address or value word (letters, digits, _ - . : /).
bool isWordChar(QChar c);

/// The id prefix a field's values have ("tgw-attach-", "vpc-", ...; "" = any id), or a null
/// string when the field does not hold ids names can stand for.
QString idPrefixOf(const QString& field);

struct IdCompletion {
    QString value; ///< a Name tag or an id, unquoted
    QString hint;  ///< the id(s) of a name, the name of an id
    bool isName = false;
};

/// Names first (sorted), then ids (from the names and the data), for a field holding ids.
std::vector<IdCompletion> idCompletions(const core::NameDirectory& names, const QStringList& valueWords, const QString& field);

struct Token {
    int start = 0;       ///< first character of the word being typed (after an opening quote)
    bool quoted = false; ///< the word follows an unclosed double quote
};

/// The word being typed at `cursor`: after an unclosed double quote, everything from it.
Token tokenAt(const QString& text, int cursor);

/// The field whose value starts at `pos` in `field == value`, `field != value`,
/// `field in {a, value` or `field contains value`; "" when `pos` is not at such a value.
QString fieldBeforeValue(const QString& text, int pos);

} // namespace ui::filtertext
