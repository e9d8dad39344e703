#include "ui/shell/filtertext.h"

#include "core/names/names.h"
#include "ui/logic/session.h"

#include <QCoreApplication>
#include <QMap>

namespace ui::filtertext {
namespace {

bool matchesPrefix(const QString& id, const QString& prefix)
{
    if (!id.startsWith(prefix)) return false;
    // "tgw-" ids are gateways, not their attachments or route tables.
    return prefix != QLatin1String("tgw-")
           || (!id.startsWith(QLatin1String("tgw-attach-")) && !id.startsWith(QLatin1String("tgw-rtb-")));
}

} // namespace

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('-') || c == QLatin1Char('.')
           || c == QLatin1Char(':') || c == QLatin1Char('/');
}

// The id prefix a field's values have ("tgw-attach-", "vpc-", ...; "" = any id), or a null
// string when the field does not hold ids names can stand for.
QString idPrefixOf(const QString& field)
{
    const QString f = field.toLower().replace(QLatin1Char('_'), QLatin1Char('-'));
    if (f == QLatin1String("attachment")) return QStringLiteral("tgw-attach-");
    if (f == QLatin1String("vpc")) return QStringLiteral("vpc-");
    if (f == QLatin1String("subnet")) return QStringLiteral("subnet-");
    if (f == QLatin1String("eni")) return QStringLiteral("eni-");
    if (!Session::isIdField(f)) return {};
    if (f.contains(QLatin1String("attachment"))) return QStringLiteral("tgw-attach-");
    if (f.contains(QLatin1String("vpc"))) return QStringLiteral("vpc-");
    if (f.contains(QLatin1String("subnet"))) return QStringLiteral("subnet-");
    if (f.contains(QLatin1String("eni")) || f == QLatin1String("interface-id")) return QStringLiteral("eni-");
    if (f == QLatin1String("instance-id")) return QStringLiteral("i-");
    if (f == QLatin1String("tgw-id")) return QStringLiteral("tgw-");
    return QStringLiteral(""); // resource-id: any kind
}

// Names first (sorted), then ids (from the names and the data), for a field holding ids.
std::vector<IdCompletion> idCompletions(const core::NameDirectory& names, const QStringList& valueWords, const QString& field)
{
    std::vector<IdCompletion> out;
    const QString prefix = idPrefixOf(field);
    if (prefix.isNull()) return out;
    QMap<QString, QStringList> idsOfName; // sorted by name
    QStringList ids;
    for (const core::NameEntry& e : names.entries()) {
        if (!matchesPrefix(e.id, prefix)) continue;
        if (!e.name.isEmpty()) idsOfName[e.name] << e.id;
        ids << e.id;
    }
    for (const QString& v : valueWords)
        if (matchesPrefix(v, prefix) && v.contains(QLatin1Char('-'))) ids << v;
    ids.removeDuplicates();
    ids.sort();
    for (auto it = idsOfName.cbegin(); it != idsOfName.cend(); ++it)
        out.push_back({it.key(),
                       it->size() == 1
                           ? it->first()
                           : QCoreApplication::translate("ui::FilterBar", "%n ids", nullptr, static_cast<int>(it->size())),
                       true});
    for (const QString& id : ids) out.push_back({id, names.name(id), false});
    return out;
}

Token tokenAt(const QString& text, int cursor)
{
    int openQuote = -1;
    for (int i = 0; i < cursor; ++i) {
        if (text.at(i) == QLatin1Char('\\')) ++i;
        else if (text.at(i) == QLatin1Char('"')) openQuote = openQuote < 0 ? i : -1;
    }
    if (openQuote >= 0) return {openQuote + 1, true};
    int start = cursor;
    while (start > 0 && isWordChar(text.at(start - 1))) --start;
    return {start, false};
}

// The field whose value starts at `pos` in `field == value`, `field != value`,
// `field in {a, value` or `field contains value`; "" when `pos` is not at such a value.
QString fieldBeforeValue(const QString& text, int pos)
{
    int i = pos;
    auto skipSpaces = [&]() {
        while (i > 0 && text.at(i - 1).isSpace()) --i;
    };
    auto wordBefore = [&]() {
        const int end = i;
        while (i > 0 && isWordChar(text.at(i - 1))) --i;
        return text.mid(i, end - i);
    };
    skipSpaces();
    if (i > 0 && (text.at(i - 1) == QLatin1Char(',') || text.at(i - 1) == QLatin1Char('{'))) {
        while (i > 0 && text.at(i - 1) != QLatin1Char('{')) {
            if (text.at(i - 1) == QLatin1Char('}') || text.at(i - 1) == QLatin1Char('(') || text.at(i - 1) == QLatin1Char(')'))
                return {};
            --i;
        }
        if (i == 0) return {};
        --i;
        skipSpaces();
        if (wordBefore().compare(QLatin1String("in"), Qt::CaseInsensitive) != 0) return {};
    } else if (i >= 2 && (text.mid(i - 2, 2) == QLatin1String("==") || text.mid(i - 2, 2) == QLatin1String("!="))) {
        i -= 2;
    } else if (i >= 1 && text.at(i - 1) == QLatin1Char('=')) {
        --i;
    } else if (wordBefore().compare(QLatin1String("contains"), Qt::CaseInsensitive) != 0) {
        return {};
    }
    skipSpaces();
    return wordBefore();
}

} // namespace ui::filtertext
