// The whole store's load order without a scan (load_order.h).
#include "core/store/load_order.h"

#include "core/store/store_impl.h"

#include <sqlite3.h>

#include <algorithm>
#include <numeric>

namespace core {

std::optional<Status> loadOrder(const Store& store, const QString& filterExpression, const QString& column, bool descending,
                                size_t firstCount, const FirstIds& first, const std::atomic<bool>* cancel,
                                std::vector<qint64>& ids)
{
    if (!filterExpression.trimmed().isEmpty()) return std::nullopt;
    if (!column.isEmpty() && column != QLatin1String("id")) return std::nullopt;
    if (column.isEmpty() && descending) return std::nullopt; // load order has no direction
    qint64 count = 0;
    if (store.impl().idsDense()) {
        // A session open counted the rows and found them 1..N: no count(*) (0.3-0.5 s at 10M).
        sqlite3_mutex* m = sqlite3_db_mutex(store.handle());
        sqlite3_mutex_enter(m);
        count = store.impl().nextId() - 1;
        sqlite3_mutex_leave(m);
    } else {
        auto st = store.prepare(QStringLiteral("SELECT count(*), coalesce(min(id), 1), coalesce(max(id), 0) FROM flow_data"));
        if (!st.ok()) return std::nullopt;
        const CancelScope scope(cancel);
        if (!st->next()) {
            if (cancel && cancel->load()) return Status(Error{{}, 0, 0, QStringLiteral("cancelled")});
            return std::nullopt; // the SQL path reports it
        }
        count = st->int64(0);
        // Distinct integer ids, all in 1..count: exactly 1..count.
        if (st->int64(1) != 1 || st->int64(2) != count) return std::nullopt;
    }
    if (cancel && cancel->load()) return Status(Error{{}, 0, 0, QStringLiteral("cancelled")});
    const auto n = static_cast<size_t>(count);
    auto idAt = [&](size_t i) { return descending ? count - static_cast<qint64>(i) : static_cast<qint64>(i) + 1; };
    if (first) {
        std::vector<qint64> head(std::min(firstCount, n));
        for (size_t i = 0; i < head.size(); ++i) head[i] = idAt(i);
        first(std::move(head), count);
    }
    if (cancel && cancel->load()) return Status(Error{{}, 0, 0, QStringLiteral("cancelled")});
    ids.resize(n);
    if (descending) {
        for (size_t i = 0; i < n; ++i) ids[i] = idAt(i);
    } else {
        std::iota(ids.begin(), ids.end(), qint64{1});
    }
    return Status(Ok{});
}

} // namespace core
