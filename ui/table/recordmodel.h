#pragma once
// The record table model: a lazy, SQL-backed view of `flows` under the Session's filter and
// the model's sort. data() only ever reads a page cache; everything that touches SQLite runs
// on a private thread pool and is tagged with a generation id so stale replies are dropped.
//
// Columns are dynamic: they are exactly Store::columns() (id, file_id, line, the known fields,
// twin_id, then extra columns of unknown header fields), so there is no `enum Column`; use
// columnName()/columnIndex() to go between sections and SQL column names. Views hide or
// reorder sections (see ColumnPresets) instead of the model changing its columns.
//
// How a (filter, sort) change is served:
//   Load order: "first page" = SELECT id ... WHERE <filter> ORDER BY id LIMIT kPageSize (stops
//   early), its rows read by id and shown at once; then "order" = every id of the view.
//   Sorted: "first page" = SELECT id ... ORDER BY key, id LIMIT kPageSize (SQLite's top-N sort
//   over ids only, one scan), shown at once; then the order from one scan of (id, key) sorted
//   in C++ (recordorder.h, same order as SQL's ORDER BY key, id, several times faster than
//   SQLite's sorter at 1M rows). A sort-only change keeps the row count meanwhile.
//   Typed columns (core/store/column_order.h), when they hold the sort column and the filter's
//   fields: one job scans them, hands out the first page with the exact count (a top-K over
//   the matching ids), then the full order; SQL (above) when they cannot answer.
//   The order (8 bytes a row) gives the exact row count and makes any later page an id lookup
//   (WHERE id IN (...)), so deep scrolling costs the same as the first page.
#include "core/export/csv.h"
#include "core/model/ids.h"
#include "core/store/store.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPointer>
#include <QStringList>
#include <QThreadPool>
#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace ui {

class Session;

class RecordModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role {
        RawRole = Qt::UserRole, ///< the stored value: qint64, QString or null QVariant (NULL)
        RecordIdRole,           ///< flows.id of the row (qint64), null if the row is not loaded yet
        IsNullRole,             ///< bool: the stored value is NULL
        ColumnNameRole,         ///< headerData: the SQL column name of the section
    };
    static constexpr int kPageSize = 256;
    static constexpr int kMaxCachedPages = 48;

    explicit RecordModel(Session* session, QObject* parent = nullptr);
    ~RecordModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    /// Sorts in SQL (stable: ties by id). A column < 0 restores load order.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    /// SQL column name of a section ("" if out of range).
    QString columnName(int section) const;
    /// Section of an SQL column name, -1 if absent.
    int columnIndex(const QString& name) const;
    QStringList columnNames() const { return m_columns; }
    /// The sort in force, in the form core::buildSelect/exportCsv take (empty = load order).
    std::vector<core::SortKey> sortKeys() const;
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }

    /// True once the current view's full order is known (the exact count, every row's id).
    bool countKnown() const { return m_order != nullptr && m_orderGeneration == m_generation; }
    /// True once rowCount() is the current view's exact count: with the first page when the typed
    /// columns answer the view, else with the order (countKnown()).
    bool rowCountExact() const { return m_countGeneration == m_generation && m_countGeneration != 0; }
    /// The record of a row, core::kNoRecord while unknown.
    core::RecordId recordId(core::TableRow row) const { return core::RecordId(idAtRow(row.get())); }
    /// Row of a record in the current view, core::kNoRow if filtered out or not known yet.
    core::TableRow rowOfRecord(core::RecordId id) const { return core::TableRow(rowOfId(id.get())); }
    /// Raw values of `rows` for `columns` (SQL names), fetched in the background, delivered in
    /// row order on the GUI thread. Error text is non-empty on failure.
    void fetchRows(const QList<int>& rows, const QStringList& columns,
                   std::function<void(const QList<QVariantList>&, const QString&)> done);

    /// Text for a value as displayed in the table (times per Session, protocol names, ids as
    /// names per Session::nameDisplay(), ...). DisplayRole of id cells follows the name display;
    /// RawRole is always the stored id. Tooltips of id cells and of addresses an ENI owns
    /// tell what the names know.
    QString displayText(const QString& column, const QVariant& raw) const;

Q_SIGNALS:
    /// The first page of a new (filter, sort) arrived and is displayed.
    void firstPageReady();
    /// The exact number of rows of the current view is known.
    void rowCountKnown(qint64 rows);
    /// A page arrived (page = row / kPageSize).
    void pageFetched(int page);
    /// True while a query for the current view is running.
    void busyChanged(bool busy);
    /// A query failed; the sentence says why.
    void queryFailed(const QString& message);

private:
    struct Page {
        int rows = 0;
        std::vector<QVariant> cells; ///< rows * columns, row-major
        quint64 lastUse = 0;
    };
    struct Reply;

    void refresh(bool keepCount);
    void startFirstPage(quint64 gen);
    void startSorted(quint64 gen);
    void startOrder(quint64 gen);
    void requestPage(int page) const;
    void schedulePageFetch();
    void fetchPendingPages();
    void onFirstPage(quint64 gen, std::shared_ptr<Reply> reply);
    void onOrder(quint64 gen, std::shared_ptr<Reply> reply);
    void onPages(quint64 gen, std::shared_ptr<Reply> reply);
    void applyRowCount(int rows);
    void setBusy(bool busy);
    void evictPages();
    const Page* page(int index) const;
    QString selectList() const;
    qint64 idAtRow(int row) const; ///< recordId() on plain integers (-1 = unknown)
    int rowOfId(qint64 id) const;  ///< rowOfRecord() on plain integers (-1 = none)
    template <class Work, class Done> void runJob(Work work, Done done);

    Session* m_session;
    std::shared_ptr<core::Store> m_store;
    QStringList m_columns;
    QHash<QString, int> m_columnIndex;
    int m_idColumn = 0;
    std::vector<int> m_fieldOfColumn; ///< core::FieldId per section, -1 for others
    enum class NamedColumn : char { None, Id, Address };
    std::vector<NamedColumn> m_namedColumn; ///< what names can say about a section's values
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;

    quint64 m_generation = 0;
    quint64 m_orderGeneration = 0; ///< generation m_order belongs to
    quint64 m_countGeneration = 0; ///< generation whose exact count m_rows is
    std::shared_ptr<std::atomic<bool>> m_cancel;
    int m_rows = 0;
    bool m_haveFirstPage = false;
    bool m_resetPending = false; ///< the view still shows the previous query's rows
    bool m_keepCount = false;
    bool m_busy = false;
    std::shared_ptr<const std::vector<qint64>> m_order;
    mutable QHash<int, Page> m_pages;
    mutable quint64 m_useClock = 0;
    mutable QList<int> m_wanted; ///< pages data() asked for, most recent last
    bool m_fetching = false;
    mutable bool m_fetchScheduled = false;
    QThreadPool m_pool;
};

} // namespace ui
