// The record model's page cache (see recordmodel.h): pages of rows fetched by id from the order,
// evicted beyond the cache size, and fetchRows for exports of a selection.
#include "ui/table/recordmodel.h"
#include "ui/table/recordmodel_p.h"

#include "ui/logic/session.h"

#include <algorithm>

namespace ui {

using namespace recordmodel_detail;

const RecordModel::Page* RecordModel::page(int index) const
{
    auto it = m_pages.find(index);
    if (it == m_pages.end()) return nullptr;
    it->lastUse = ++m_useClock;
    return &it.value();
}

void RecordModel::requestPage(int pageIndex) const
{
    if (m_resetPending) return;
    m_wanted.removeOne(pageIndex);
    m_wanted.append(pageIndex);
    if (m_wanted.size() > kMaxWanted) m_wanted.remove(0, m_wanted.size() - kMaxWanted);
    if (!m_fetchScheduled) {
        m_fetchScheduled = true;
        QMetaObject::invokeMethod(const_cast<RecordModel*>(this), &RecordModel::fetchPendingPages, Qt::QueuedConnection);
    }
}

void RecordModel::schedulePageFetch()
{
    if (m_fetchScheduled) return;
    m_fetchScheduled = true;
    QMetaObject::invokeMethod(this, &RecordModel::fetchPendingPages, Qt::QueuedConnection);
}

void RecordModel::fetchPendingPages()
{
    m_fetchScheduled = false;
    if (m_fetching || !m_order || m_resetPending || !m_store) return;
    QList<int> take;
    while (!m_wanted.isEmpty() && take.size() < kPagesPerFetch) {
        const int p = m_wanted.takeLast();
        if (!m_pages.contains(p) && p >= 0 && p * kPageSize < m_rows && !take.contains(p)) take << p;
    }
    if (take.isEmpty()) return;
    const int ncols = static_cast<int>(m_columns.size());
    auto store = m_store;
    auto order = m_order;
    auto cancel = m_cancel;
    const QString select = selectList();
    const int idCol = m_idColumn;
    m_fetching = true;
    const quint64 gen = m_generation;
    runJob(
        [store, order, take, ncols, select, idCol, cancel]() {
            auto reply = std::make_shared<Reply>();
            for (int p : take) {
                const size_t begin = static_cast<size_t>(p) * kPageSize;
                if (begin >= order->size()) continue;
                const size_t end = std::min(order->size(), begin + kPageSize);
                Page page;
                page.rows = static_cast<int>(end - begin);
                page.cells.resize(static_cast<size_t>(page.rows) * static_cast<size_t>(ncols));
                const QString error =
                    fetchCells(*store, select, ncols, idCol, std::span<const qint64>(order->data() + begin, end - begin),
                               page.cells.data(), cancel.get());
                if (!error.isEmpty()) {
                    reply->error = error;
                    break;
                }
                reply->pages.insert(p, std::move(page));
            }
            return reply;
        },
        [this, gen](std::shared_ptr<Reply> reply) { onPages(gen, std::move(reply)); });
}

void RecordModel::onPages(quint64 gen, std::shared_ptr<Reply> reply)
{
    m_fetching = false;
    if (gen == m_generation && !reply->error.isEmpty() && reply->error != QLatin1String("cancelled"))
        Q_EMIT queryFailed(tr("Rows could not be read: %1").arg(reply->error));
    if (gen == m_generation) {
        const int ncols = columnCount();
        for (auto it = reply->pages.begin(); it != reply->pages.end(); ++it) {
            const int p = it.key();
            const int first = p * kPageSize;
            const int rows = std::min(it->rows, m_rows - first);
            it->lastUse = ++m_useClock;
            m_pages.insert(p, std::move(it.value()));
            if (rows > 0 && ncols > 0) Q_EMIT dataChanged(index(first, 0), index(first + rows - 1, ncols - 1));
            Q_EMIT pageFetched(p);
        }
        evictPages();
    }
    if (!m_wanted.isEmpty()) schedulePageFetch();
}

void RecordModel::evictPages()
{
    while (m_pages.size() > kMaxCachedPages) {
        auto oldest = m_pages.begin();
        for (auto it = m_pages.begin(); it != m_pages.end(); ++it)
            if (it->lastUse < oldest->lastUse) oldest = it;
        m_pages.erase(oldest);
    }
}

qint64 RecordModel::idAtRow(int row) const
{
    if (row < 0 || row >= m_rows) return -1;
    if (m_order && !m_resetPending && static_cast<size_t>(row) < m_order->size()) return (*m_order)[static_cast<size_t>(row)];
    const Page* p = page(row / kPageSize);
    const int r = row % kPageSize;
    if (!p || r >= p->rows) return -1;
    const QVariant& v = p->cells[static_cast<size_t>(r * columnCount() + m_idColumn)];
    return v.isNull() ? -1 : v.toLongLong();
}

int RecordModel::rowOfId(qint64 id) const
{
    if (!m_order || m_resetPending) return -1;
    const auto it = std::find(m_order->begin(), m_order->end(), id);
    return it == m_order->end() ? -1 : static_cast<int>(it - m_order->begin());
}

void RecordModel::fetchRows(const QList<int>& rows, const QStringList& columns,
                            std::function<void(const QList<QVariantList>&, const QString&)> done)
{
    if (!m_order || m_resetPending || !m_store) {
        done({}, tr("The table is still loading; try again in a moment."));
        return;
    }
    std::vector<qint64> ids;
    ids.reserve(static_cast<size_t>(rows.size()));
    for (int r : rows)
        if (r >= 0 && static_cast<size_t>(r) < m_order->size()) ids.push_back((*m_order)[static_cast<size_t>(r)]);
    QStringList select{quoted(QStringLiteral("id"))};
    for (const QString& c : columns) {
        if (!m_columnIndex.contains(c)) {
            done({}, tr("Unknown column %1.").arg(c));
            return;
        }
        select << quoted(c);
    }
    auto store = m_store;
    const int ncols = static_cast<int>(select.size());
    using Out = std::pair<QList<QVariantList>, QString>;
    runJob(
        [store, ids, select, ncols]() {
            std::vector<QVariant> cells(ids.size() * static_cast<size_t>(ncols));
            Out out;
            out.second = fetchCells(*store, select.join(QLatin1Char(',')), ncols, 0, ids, cells.data(), nullptr);
            if (!out.second.isEmpty()) return out;
            out.first.reserve(static_cast<qsizetype>(ids.size()));
            for (size_t i = 0; i < ids.size(); ++i) {
                QVariantList row;
                for (int c = 1; c < ncols; ++c) row << cells[i * static_cast<size_t>(ncols) + static_cast<size_t>(c)];
                out.first << row;
            }
            return out;
        },
        [done](const Out& out) { done(out.first, out.second); });
}

} // namespace ui
