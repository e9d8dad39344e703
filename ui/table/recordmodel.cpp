#include "ui/table/recordmodel.h"
#include "ui/table/recordmodel_p.h"

#include "core/model/fields.h"
#include "core/store/column_order.h"
#include "core/store/load_order.h"
#include "ui/logic/recordorder.h"
#include "ui/logic/session.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <span>

namespace ui {

using namespace recordmodel_detail;

namespace recordmodel_detail {

QString quoted(const QString& column)
{
    return QLatin1Char('"') + column + QLatin1Char('"');
}

QString failure(const QString& error, const std::atomic<bool>* cancel)
{
    if ((cancel && cancel->load()) || error == QLatin1String("interrupted")) return QStringLiteral("cancelled");
    return error;
}

QString fetchCells(const core::Store& store, const QString& selectList, int ncols, int idCol, std::span<const qint64> ids,
                   QVariant* cells, const std::atomic<bool>* cancel)
{
    QHash<qint64, qsizetype> position;
    position.reserve(static_cast<qsizetype>(ids.size()));
    for (size_t i = 0; i < ids.size(); ++i) position.insert(ids[i], static_cast<qsizetype>(i));
    for (size_t start = 0; start < ids.size(); start += kIdsPerStatement) {
        if (cancel && cancel->load()) return QStringLiteral("cancelled");
        const size_t n = std::min<size_t>(kIdsPerStatement, ids.size() - start);
        QString sql = QStringLiteral("SELECT ") + selectList + QStringLiteral(" FROM flows WHERE id IN (");
        for (size_t k = 0; k < n; ++k) sql += k ? QStringLiteral(",?") : QStringLiteral("?");
        sql += QLatin1Char(')');
        auto prepared = store.prepare(sql);
        if (!prepared.ok()) return failure(prepared.error().toString(), cancel);
        core::Statement& st = prepared.value();
        for (size_t k = 0; k < n; ++k) st.bind(static_cast<int>(k + 1), QVariant(ids[start + k]));
        const core::CancelScope scope(cancel);
        while (st.next()) {
            const qsizetype at = position.value(st.int64(idCol), -1);
            if (at < 0) continue;
            for (int c = 0; c < ncols; ++c) cells[at * ncols + c] = st.value(c);
        }
        if (!st.error().isEmpty()) return failure(st.error(), cancel);
    }
    return {};
}

} // namespace recordmodel_detail

RecordModel::RecordModel(Session* session, QObject* parent) : QAbstractTableModel(parent), m_session(session)
{
    m_pool.setMaxThreadCount(2);
    connect(m_session, &Session::storeChanged, this, [this]() { refresh(false); });
    connect(m_session, &Session::filterChanged, this, [this]() { refresh(false); });
    // Display-only changes: the cached pages stay, the views repaint (no SQL).
    auto redisplay = [this]() {
        if (m_rows > 0 && !m_columns.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(m_rows - 1, static_cast<int>(m_columns.size()) - 1),
                               {Qt::DisplayRole, Qt::ToolTipRole});
    };
    connect(m_session, &Session::timeDisplayChanged, this, redisplay);
    connect(m_session, &Session::nameDisplayChanged, this, redisplay);
    // Filters may name ids (attachment == "prod-app"): new names can change the rows.
    connect(m_session, &Session::namesChanged, this, [this, redisplay]() {
        if (m_session->filter().isEmpty()) redisplay();
        else refresh(false);
    });
    refresh(false);
}

RecordModel::~RecordModel()
{
    if (m_cancel) m_cancel->store(true);
    m_pool.waitForDone();
}

int RecordModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int RecordModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_columns.size());
}

QString RecordModel::columnName(int section) const
{
    return section >= 0 && section < m_columns.size() ? m_columns.at(section) : QString();
}

int RecordModel::columnIndex(const QString& name) const
{
    return m_columnIndex.value(name, -1);
}

std::vector<core::SortKey> RecordModel::sortKeys() const
{
    if (m_sortColumn < 0 || m_sortColumn >= m_columns.size()) return {};
    return {core::SortKey{m_columns.at(m_sortColumn), m_sortOrder == Qt::DescendingOrder}};
}

QString RecordModel::selectList() const
{
    QStringList q;
    q.reserve(m_columns.size());
    for (const QString& c : m_columns) q << quoted(c);
    return q.join(QLatin1Char(','));
}

void RecordModel::setBusy(bool busy)
{
    if (busy == m_busy) return;
    m_busy = busy;
    Q_EMIT busyChanged(busy);
}

void RecordModel::refresh(bool keepCount)
{
    if (m_cancel) m_cancel->store(true);
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    const quint64 gen = ++m_generation;
    m_store = m_session->store();
    const QStringList columns = m_store ? m_store->columns() : QStringList();
    if (columns != m_columns || !m_store) {
        beginResetModel();
        m_columns = columns;
        m_columnIndex.clear();
        m_fieldOfColumn.assign(static_cast<size_t>(m_columns.size()), -1);
        m_namedColumn.assign(static_cast<size_t>(m_columns.size()), NamedColumn::None);
        for (int i = 0; i < m_columns.size(); ++i) {
            m_columnIndex.insert(m_columns.at(i), i);
            if (Session::isIdField(m_columns.at(i))) m_namedColumn[static_cast<size_t>(i)] = NamedColumn::Id;
            else if (Session::isAddressField(m_columns.at(i))) m_namedColumn[static_cast<size_t>(i)] = NamedColumn::Address;
            if (const auto f = core::findField(m_columns.at(i).toStdString()))
                m_fieldOfColumn[static_cast<size_t>(i)] = static_cast<int>(*f);
        }
        m_idColumn = std::max(0, columnIndex(QStringLiteral("id")));
        if (m_sortColumn >= m_columns.size()) m_sortColumn = -1;
        m_rows = 0;
        m_pages.clear();
        m_wanted.clear();
        m_order.reset();
        m_resetPending = false;
        endResetModel();
        keepCount = false;
    } else {
        m_resetPending = true; // keep showing the previous rows until the first page arrives
    }
    m_keepCount = keepCount;
    m_haveFirstPage = false;
    if (!m_store || m_columns.isEmpty()) return;
    setBusy(true);
    startFirstPage(gen); // then the order, so the first page never waits behind the full scan
}

void RecordModel::startSorted(quint64 gen)
{
    const core::SortKey key = sortKeys().front();
    const QString filter = m_session->filter();
    auto store = m_store;
    auto cancel = m_cancel;
    runJob(
        [store, filter, key, cancel]() {
            auto reply = std::make_shared<Reply>();
            reply->order.reserve(static_cast<size_t>(std::max<qint64>(0, store->recordCount())));
            if (cancel->load()) {
                reply->error = QStringLiteral("cancelled");
                return reply;
            }
            const core::CancelScope scope(cancel.get()); // stops its long scan too
            reply->error = computeRecordOrder(*store, filter, key, 0, {}, cancel.get(), &reply->order);
            if (!reply->error.isEmpty()) reply->error = failure(reply->error, cancel.get());
            return reply;
        },
        [this, gen](std::shared_ptr<Reply> reply) { onOrder(gen, std::move(reply)); });
}

void RecordModel::startFirstPage(quint64 gen)
{
    // Sort only ids (SQLite's top-N sorter then holds 16 bytes a row, not every decoded
    // column), then read the page's rows by id.
    const std::vector<core::SortKey> keys = sortKeys();
    auto built = core::buildSelect(*m_store, {QStringLiteral("id")}, m_session->filter(), keys);
    if (!built.ok()) {
        auto reply = std::make_shared<Reply>();
        reply->error = built.error().toString();
        onFirstPage(gen, reply);
        return;
    }
    QString sql = built->sql + QStringLiteral(" LIMIT ") + QString::number(kPageSize);
    if (!keys.empty() && keys.front().descending) {
        // Records load roughly in time order, so a descending top-N over a forward scan
        // replaces its worst row on nearly every step (300+ ms at 1M rows for `start`).
        // Feeding the sorter newest-first (a reverse id scan, kept un-flattened by LIMIT -1)
        // gives the same rows in the same order at a fraction of the cost.
        QStringList columns{QStringLiteral("id")};
        for (const core::SortKey& k : keys)
            if (!columns.contains(k.column)) columns << k.column;
        auto inner = core::buildSelect(*m_store, columns, m_session->filter(), {core::SortKey{QStringLiteral("id"), true}});
        const qsizetype orderAt = built->sql.lastIndexOf(QLatin1String(" ORDER BY "));
        if (inner.ok() && orderAt > 0)
            sql =
                QStringLiteral("SELECT id FROM (%1 LIMIT -1)%2 LIMIT %3").arg(inner->sql, built->sql.mid(orderAt)).arg(kPageSize);
    }
    const QVariantList params = built->params;
    const int ncols = static_cast<int>(m_columns.size());
    const QString select = selectList();
    const int idCol = m_idColumn;
    auto store = m_store;
    auto cancel = m_cancel;
    auto sqlFirstPage = [store, sql, params, ncols, select, idCol, cancel]() {
        auto reply = std::make_shared<Reply>();
        if (cancel->load()) return reply;
        auto prepared = store->prepare(sql);
        if (!prepared.ok()) {
            reply->error = failure(prepared.error().toString(), cancel.get());
            return reply;
        }
        core::Statement& st = prepared.value();
        st.bindAll(params);
        {
            const core::CancelScope scope(cancel.get()); // the top-N sort is one long step
            while (st.next()) reply->order.push_back(st.int64(0));
        }
        if (!st.error().isEmpty()) {
            reply->error = failure(st.error(), cancel.get());
            return reply;
        }
        reply->first.rows = static_cast<int>(reply->order.size());
        reply->first.cells.resize(reply->order.size() * static_cast<size_t>(ncols));
        reply->error = fetchCells(*store, select, ncols, idCol, reply->order, reply->first.cells.data(), cancel.get());
        return reply;
    };
    const QString sortColumn = keys.empty() ? QString() : keys.front().column;
    if (!core::columnOrderSupports(sortColumn)) {
        runJob(sqlFirstPage, [this, gen](std::shared_ptr<Reply> reply) { onFirstPage(gen, std::move(reply)); });
        return;
    }
    // The typed columns: the first page (posted as soon as the top-K is known) and the order in
    // one job; SQL's first page when the columns cannot answer.
    const QString filter = m_session->filter();
    const bool descending = !keys.empty() && keys.front().descending;
    runJob(
        [this, gen, store, filter, sortColumn, descending, ncols, select, idCol, cancel, sqlFirstPage]() {
            if (cancel->load()) return std::make_shared<Reply>();
            auto firstPage = [&](std::vector<qint64> head, qint64 total) {
                auto first = std::make_shared<Reply>();
                first->orderFollows = true;
                first->count = total;
                first->first.rows = static_cast<int>(head.size());
                first->first.cells.resize(head.size() * static_cast<size_t>(ncols));
                first->error = fetchCells(*store, select, ncols, idCol, head, first->first.cells.data(), cancel.get());
                QMetaObject::invokeMethod(
                    this, [this, gen, first]() { onFirstPage(gen, first); }, Qt::QueuedConnection);
            };
            std::vector<qint64> order;
            auto done = core::columnOrder(*store, filter, sortColumn, descending, kPageSize, firstPage, cancel.get(), order);
            // Columns still rebuilding (a session just opened): the whole store in load order is
            // ids 1..N, its count without a scan.
            if (!done) done = core::loadOrder(*store, filter, sortColumn, descending, kPageSize, firstPage, cancel.get(), order);
            if (!done) return sqlFirstPage();
            auto reply = std::make_shared<Reply>();
            reply->isOrder = true;
            if (!done->ok()) reply->error = failure(done->error().message, cancel.get());
            else reply->order = std::move(order);
            return reply;
        },
        [this, gen](std::shared_ptr<Reply> reply) {
            if (reply->isOrder) onOrder(gen, std::move(reply));
            else onFirstPage(gen, std::move(reply));
        });
}

void RecordModel::startOrder(quint64 gen)
{
    auto built = core::buildSelect(*m_store, {QStringLiteral("id")}, m_session->filter(), sortKeys());
    if (!built.ok()) return; // startFirstPage reported it
    auto store = m_store;
    auto cancel = m_cancel;
    const QString sql = built->sql;
    const QVariantList params = built->params;
    runJob(
        [store, sql, params, cancel]() {
            auto reply = std::make_shared<Reply>();
            if (cancel->load()) { // superseded before it started: no scan at all
                reply->error = QStringLiteral("cancelled");
                return reply;
            }
            auto prepared = store->prepare(sql);
            if (!prepared.ok()) {
                reply->error = failure(prepared.error().toString(), cancel.get());
                return reply;
            }
            core::Statement& st = prepared.value();
            st.bindAll(params);
            reply->order.reserve(static_cast<size_t>(std::max<qint64>(0, store->recordCount())));
            const core::CancelScope scope(cancel.get()); // a sorted order is one long first step
            while (st.next()) {
                reply->order.push_back(st.int64(0));
                if ((reply->order.size() & 0xFFFF) == 0 && cancel->load()) {
                    reply->error = QStringLiteral("cancelled");
                    break;
                }
            }
            if (reply->error.isEmpty() && !st.error().isEmpty()) reply->error = failure(st.error(), cancel.get());
            return reply;
        },
        [this, gen](std::shared_ptr<Reply> reply) { onOrder(gen, std::move(reply)); });
}

void RecordModel::onFirstPage(quint64 gen, std::shared_ptr<Reply> reply)
{
    if (gen != m_generation) return;
    if (!reply->error.isEmpty()) {
        if (m_cancel) m_cancel->store(true);
        ++m_generation;
        beginResetModel();
        m_rows = 0;
        m_pages.clear();
        m_order.reset();
        m_resetPending = false;
        endResetModel();
        setBusy(false);
        Q_EMIT queryFailed(tr("The table could not be read: %1").arg(reply->error));
        return;
    }
    const int firstRows = reply->first.rows;
    if (m_resetPending) {
        beginResetModel();
        m_pages.clear();
        m_wanted.clear();
        m_order.reset();
        int rows = firstRows;
        if (m_keepCount && rows == kPageSize) rows = std::max(m_rows, rows);
        if (reply->count >= 0) rows = static_cast<int>(reply->count);
        m_rows = rows;
        m_pages.insert(0, std::move(reply->first));
        m_resetPending = false;
        endResetModel();
    } else if (!m_pages.contains(0) && reply->first.rows > 0) {
        const int rows = std::min(reply->first.rows, m_rows);
        m_pages.insert(0, std::move(reply->first));
        if (rows > 0) Q_EMIT dataChanged(index(0, 0), index(rows - 1, columnCount() - 1));
    }
    if (reply->count >= 0) {
        applyRowCount(static_cast<int>(reply->count));
        m_countGeneration = gen;
    }
    m_haveFirstPage = true;
    Q_EMIT firstPageReady();
    if (reply->orderFollows) return;
    const auto sort = sortKeys();
    if (firstRows < kPageSize) {
        // The first page is the whole view: its ids are the order.
        reply->error.clear();
        onOrder(gen, reply);
    } else if (!sort.empty() && sort.front().column != QLatin1String("id")) {
        startSorted(gen);
    } else {
        startOrder(gen);
    }
}

void RecordModel::onOrder(quint64 gen, std::shared_ptr<Reply> reply)
{
    if (gen != m_generation) return;
    if (!reply->error.isEmpty()) {
        setBusy(false);
        Q_EMIT queryFailed(tr("The rows of the table could not be counted: %1").arg(reply->error));
        return;
    }
    auto order = std::make_shared<const std::vector<qint64>>(std::move(reply->order));
    m_orderGeneration = gen;
    m_countGeneration = gen;
    const int n = static_cast<int>(order->size());
    if (m_resetPending) {
        beginResetModel();
        m_pages.clear();
        m_wanted.clear();
        m_order = order;
        m_rows = n;
        m_resetPending = false;
        endResetModel();
    } else {
        m_order = order;
        applyRowCount(n);
    }
    setBusy(false);
    Q_EMIT rowCountKnown(n);
    if (!m_wanted.isEmpty()) schedulePageFetch();
}

void RecordModel::applyRowCount(int rows)
{
    if (rows > m_rows) {
        beginInsertRows({}, m_rows, rows - 1);
        m_rows = rows;
        endInsertRows();
    } else if (rows < m_rows) {
        beginRemoveRows({}, rows, m_rows - 1);
        m_rows = rows;
        const int lastPage = rows > 0 ? (rows - 1) / kPageSize : -1;
        for (auto it = m_pages.begin(); it != m_pages.end();) {
            if (it.key() > lastPage) it = m_pages.erase(it);
            else ++it;
        }
        endRemoveRows();
    }
}

void RecordModel::sort(int column, Qt::SortOrder order)
{
    if (column >= columnCount()) column = -1;
    if (column == m_sortColumn && (column < 0 || order == m_sortOrder)) return;
    m_sortColumn = column;
    m_sortOrder = order;
    refresh(true);
}

} // namespace ui
