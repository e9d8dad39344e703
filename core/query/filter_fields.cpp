// The filter language's names: the field and alias table a filter's words resolve to, the names
// offered for completion, and "did you mean" suggestions.
#include "core/model/fields.h"
#include "core/query/filter.h"
#include "core/query/filter_parse.h"

#include <QHash>
#include <algorithm>

namespace core {
namespace filterlang {
namespace {

// ---------------------------------------------------------------------------------------------
// Fields and aliases

ValueKind valueKindOf(const FieldInfo& f)
{
    switch (f.id) {
    case FieldId::Start:
    case FieldId::End:
        return ValueKind::Time;
    case FieldId::Protocol:
        return ValueKind::Protocol;
    case FieldId::TcpFlags:
        return ValueKind::Flags;
    default:
        break;
    }
    switch (f.type) {
    case FieldType::Integer:
        return ValueKind::Integer;
    case FieldType::Address:
        return ValueKind::Address;
    case FieldType::Text:
        return ValueKind::Text;
    }
    return ValueKind::Text;
}

struct AliasDef {
    const char* name;
    std::vector<const char*> columns;
    ValueKind value;
};

const std::vector<AliasDef>& aliasDefs()
{
    static const std::vector<AliasDef> defs = {
        {"addr", {"srcaddr", "dstaddr"}, ValueKind::Address},
        {"port", {"srcport", "dstport"}, ValueKind::Integer},
        {"attachment", {"tgw_attachment_id", "tgw_pair_attachment_id"}, ValueKind::Text},
        {"vpc", {"vpc_id", "tgw_src_vpc_id", "tgw_dst_vpc_id"}, ValueKind::Text},
        {"subnet", {"subnet_id", "tgw_src_subnet_id", "tgw_dst_subnet_id"}, ValueKind::Text},
        {"az", {"az_id", "tgw_src_az_id", "tgw_dst_az_id"}, ValueKind::Text},
        {"account", {"account_id", "tgw_src_vpc_account_id", "tgw_dst_vpc_account_id"}, ValueKind::Text},
        {"eni", {"interface_id", "tgw_src_eni", "tgw_dst_eni"}, ValueKind::Text},
        {"proto", {"protocol"}, ValueKind::Protocol},
        {"flags", {"tcp_flags"}, ValueKind::Flags},
        {"drops", {}, ValueKind::Integer},
    };
    return defs;
}

} // namespace

/// Lower-case lookup table: hyphen names, underscore names, aliases, id/file_id/line.
const QHash<QString, Target>& targets()
{
    static const QHash<QString, Target> table = [] {
        QHash<QString, Target> t;
        for (const FieldInfo& f : allFields()) {
            Target target;
            target.name = QString::fromLatin1(f.name);
            target.columns = {QString::fromLatin1(f.column)};
            target.value = valueKindOf(f);
            target.named = isNameableColumn(target.columns.front());
            t.insert(QString::fromLatin1(f.name), target);
            t.insert(QString::fromLatin1(f.column), target);
        }
        for (const char* special : {"id", "file_id", "line", "twin_id"}) {
            Target target;
            target.name = QString::fromLatin1(special);
            target.columns = {target.name};
            target.value = ValueKind::Integer;
            t.insert(target.name, target);
        }
        t.insert(QStringLiteral("file-id"), t.value(QStringLiteral("file_id")));
        for (const AliasDef& a : aliasDefs()) {
            Target target;
            target.name = QString::fromLatin1(a.name);
            target.value = a.value;
            if (a.columns.empty()) target.kind = TargetKind::Drops;
            for (const char* c : a.columns) target.columns << QString::fromLatin1(c);
            // An alias takes names when its columns do (attachment, vpc, subnet, eni).
            target.named =
                !target.columns.isEmpty() && std::all_of(target.columns.cbegin(), target.columns.cend(), isNameableColumn);
            t.insert(target.name, target);
        }
        return t;
    }();
    return table;
}

/// Names offered for suggestions and completion: hyphen names, underscore names, aliases.
const QStringList& knownNames()
{
    static const QStringList names = [] {
        QStringList n;
        for (const FieldInfo& f : allFields()) {
            n << QString::fromLatin1(f.name);
            if (qstrcmp(f.name, f.column) != 0) n << QString::fromLatin1(f.column);
        }
        for (const AliasDef& a : aliasDefs()) n << QString::fromLatin1(a.name);
        n << QStringLiteral("file_id") << QStringLiteral("line");
        return n;
    }();
    return names;
}

namespace {

int levenshtein(const QString& a, const QString& b)
{
    std::vector<int> prev(static_cast<size_t>(b.size()) + 1);
    std::vector<int> cur(prev.size());
    for (size_t j = 0; j < prev.size(); ++j) prev[j] = static_cast<int>(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        cur[0] = static_cast<int>(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int cost = a[i - 1].toLower() == b[j - 1].toLower() ? 0 : 1;
            const auto uj = static_cast<size_t>(j);
            cur[uj] = std::min({prev[uj] + 1, cur[uj - 1] + 1, prev[uj - 1] + cost});
        }
        std::swap(prev, cur);
    }
    return prev.back();
}

} // namespace
} // namespace filterlang

QString closestName(const QString& word, const QStringList& candidates)
{
    // Field names are short: a long token is no typo of one, and comparing it would cost
    // O(length) per candidate on every keystroke of live validation.
    constexpr qsizetype kMaxTypoLength = 64;
    if (word.size() > kMaxTypoLength) return {};
    QString best;
    int bestDistance = 1 << 30;
    for (const QString& n : candidates) {
        const int d = filterlang::levenshtein(word, n);
        if (d < bestDistance) {
            bestDistance = d;
            best = n;
        }
    }
    const int allowed = std::max(2, static_cast<int>(word.size() / 3));
    return bestDistance <= allowed ? best : QString();
}

} // namespace core
