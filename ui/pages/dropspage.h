#pragma once
// The "Drops" page: why packets were lost. One row per entry attachment, exit attachment and
// reason (TGW no route, blackhole, MTU exceeded, TTL expired) plus VPC REJECTs per interface,
// from core::computeDrops (a drop logged at both attachments counts once), recomputed off the
// GUI thread when the store, the filter or the names change (stale results are dropped).
// An explanation pane says what the selected row means and what to check. Clicking a row (or
// Enter / double-click) narrows the Session filter to that row's records; while that
// selection is in force the table keeps showing the rows of the filter before it, so another
// row can be clicked. Back undoes. GUI thread only.
#include "core/analysis/drops.h"
#include "ui/logic/pagerefresh.h"

#include <QWidget>
#include <vector>

class QAction;
class QLabel;
class QModelIndex;
class QProgressBar;
class QSortFilterProxyModel;
class QTableView;
class QTextBrowser;

namespace ui {

class DropsModel;
class JobTracker;
class Session;

/// Filter text selecting the records of one drop row: for TGW reasons the records of the
/// entry -> exit direction (both logged sides, see ui::edgeFilter) whose counter for the reason
/// is above 0; for VPC rejects `interface_id == eni and action == REJECT`; both limited to
/// first..last seen (`start >= "..." and end <= "..."`, UTC). Pure.
QString dropFilter(const core::DropRow& row);

class DropsPage : public QWidget {
    Q_OBJECT
public:
    explicit DropsPage(Session* session, QWidget* parent = nullptr);
    ~DropsPage() override;

    QTableView* view() const { return m_view; }
    DropsModel* model() const { return m_model; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    /// The rows of the last computation.
    const std::vector<core::DropRow>& rows() const;
    bool isBusy() const { return m_busy; }
    /// The last error ("" if none).
    QString errorText() const { return m_error; }
    /// The explanation shown for the current row (HTML), "" when none is selected.
    QString explanationHtml() const;
    /// All rows as CSV, the bytes `flowlog-cli drops` prints (with name columns when names are loaded).
    QByteArray dropsCsv() const;

    /// Shows `rows` (an Athena / Logs Insights result) instead of the loaded records' drops,
    /// under a banner "Showing <source> — Back to local data". Until clearExternal() (or the
    /// banner's link) the store and the filter are not used and rows do not drill down.
    void setExternalDrops(std::vector<core::DropRow> rows, const QString& source);
    /// Back to the loaded records' drops (recomputed).
    void clearExternal();
    bool isExternal() const { return m_external; }
    /// The banner's text ("" when showing local data).
    QString bannerText() const;

public Q_SLOTS:
    /// Recomputes now (normally automatic).
    void refresh();
    void copyCsv();
    /// Narrows the Session filter to the records of the current row.
    void showCurrentRecords();

Q_SIGNALS:
    /// A computation finished and the table was updated (also after an error).
    void dropsUpdated();
    void busyChanged(bool busy);
    /// setExternalDrops() / clearExternal() switched the source of the table.
    void externalChanged(bool external);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void requestRefresh();
    /// The filter the table is computed with: the one before a row click while that click's
    /// filter is in force, else the Session's filter.
    QString tableFilter() const;
    void drill(const QModelIndex& proxyIndex);
    void onFilterChanged(const QString& expression);
    void updateExplanation();
    void updateStatus();
    /// Puts `rows` in the table, keeping the selected group when it is still there.
    void showRows(std::vector<core::DropRow> rows);
    void setBusy(bool busy);
    const core::DropRow* currentRow() const;

    Session* m_session;
    JobTracker* m_jobs;
    DropsModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_view;
    QTextBrowser* m_explanation;
    QLabel* m_statusLabel;
    QLabel* m_banner;
    QProgressBar* m_busyBar;
    QAction* m_busyAction;
    QAction* m_backAction;
    QAction* m_showAction;

    QString m_error;
    QString m_computedFilter;
    bool m_busy = false;
    LazyRefresh m_refresh;
    bool m_external = false; ///< showing setExternalDrops() rows
    // Click selection: the session filter = the filter before the click and dropFilter(row).
    DrillDown m_drill;
    // The selected group, kept across recomputations.
    QString m_selEntry, m_selExit;
    int m_selReason = -1;
};

} // namespace ui
