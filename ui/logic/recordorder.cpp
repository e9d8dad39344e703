#include "ui/logic/recordorder.h"

#include "core/query/filter.h"

#include <algorithm>
#include <sqlite3.h>
#include <string>

namespace ui {

namespace {

template <class Key> struct Entry {
    Key key{};
    qint64 id = 0;
    bool null = false;
};

template <class Key> auto lessThan(bool descending)
{
    // NULL is the smallest value; ties (and NULLs among themselves) by ascending id.
    return [descending](const Entry<Key>& a, const Entry<Key>& b) {
        if (a.null != b.null) return descending ? b.null : a.null;
        if (!a.null && a.key != b.key) return descending ? b.key < a.key : a.key < b.key;
        return a.id < b.id;
    };
}

template <class Key>
void sortAndEmit(std::vector<Entry<Key>>& entries, bool descending, int firstCount,
                 const std::function<void(std::vector<qint64>)>& first, const std::atomic<bool>* cancel, std::vector<qint64>* ids)
{
    const auto less = lessThan<Key>(descending);
    const size_t k = std::min(entries.size(), static_cast<size_t>(std::max(0, firstCount)));
    std::partial_sort(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(k), entries.end(), less);
    if (first) {
        std::vector<qint64> head;
        head.reserve(k);
        for (size_t i = 0; i < k; ++i) head.push_back(entries[i].id);
        first(std::move(head));
    }
    if (cancel && cancel->load()) return;
    std::sort(entries.begin() + static_cast<std::ptrdiff_t>(k), entries.end(), less);
    ids->clear();
    ids->reserve(entries.size());
    for (const auto& e : entries) ids->push_back(e.id);
}

// SQLite's own ORDER BY: the fallback for columns that mix storage classes.
QString sqlOrder(const core::Store& store, const QString& filterExpression, const core::SortKey& key, int firstCount,
                 const std::function<void(std::vector<qint64>)>& first, const std::atomic<bool>* cancel, std::vector<qint64>* ids)
{
    auto built = core::buildSelect(store, {QStringLiteral("id")}, filterExpression, {key});
    if (!built.ok()) return built.error().toString();
    auto st = store.prepare(built->sql);
    if (!st.ok()) return st.error().toString();
    st->bindAll(built->params);
    ids->clear();
    bool sent = false;
    while (st->next()) {
        ids->push_back(st->int64(0));
        if (!sent && static_cast<int>(ids->size()) == firstCount && first) {
            first(*ids);
            sent = true;
        }
        if ((ids->size() & 0xFFFF) == 0 && cancel && cancel->load()) return QStringLiteral("cancelled");
    }
    if (!st->error().isEmpty()) return st->error();
    if (!sent && first) first(*ids);
    return {};
}

} // namespace

QString computeRecordOrder(const core::Store& store, const QString& filterExpression, const core::SortKey& key, int firstCount,
                           const std::function<void(std::vector<qint64>)>& first, const std::atomic<bool>* cancel,
                           std::vector<qint64>* ids)
{
    if (!store.columns().contains(key.column)) return QStringLiteral("unknown sort column %1").arg(key.column);
    auto filter = core::compileFilter(filterExpression);
    if (!filter.ok()) return filter.error().toString();
    auto st = store.prepare(QStringLiteral("SELECT id, \"%1\" FROM flows WHERE %2").arg(key.column, filter->where));
    if (!st.ok()) return st.error().toString();
    st->bindAll(filter->params);
    sqlite3_stmt* h = st->handle();

    std::vector<Entry<qint64>> numbers;
    std::vector<Entry<std::string>> texts;
    int kind = SQLITE_NULL; // storage class of the non-NULL values seen so far
    std::vector<qint64> nullIds;
    size_t rows = 0;
    while (st->next()) {
        if ((++rows & 0xFFFF) == 0 && cancel && cancel->load()) return QStringLiteral("cancelled");
        const qint64 id = sqlite3_column_int64(h, 0);
        const int type = sqlite3_column_type(h, 1);
        if (type == SQLITE_NULL) {
            nullIds.push_back(id);
            continue;
        }
        if (kind == SQLITE_NULL) kind = type;
        if (type != kind || (type != SQLITE_INTEGER && type != SQLITE_TEXT))
            return sqlOrder(store, filterExpression, key, firstCount, first, cancel, ids);
        if (type == SQLITE_INTEGER) {
            numbers.push_back({sqlite3_column_int64(h, 1), id, false});
        } else {
            const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(h, 1));
            texts.push_back({std::string(text, static_cast<size_t>(sqlite3_column_bytes(h, 1))), id, false});
        }
    }
    if (!st->error().isEmpty()) return st->error();
    if (kind == SQLITE_TEXT) {
        for (qint64 id : nullIds) texts.push_back({{}, id, true});
        sortAndEmit(texts, key.descending, firstCount, first, cancel, ids);
    } else {
        for (qint64 id : nullIds) numbers.push_back({0, id, true});
        sortAndEmit(numbers, key.descending, firstCount, first, cancel, ids);
    }
    if (cancel && cancel->load()) return QStringLiteral("cancelled");
    return {};
}

} // namespace ui
