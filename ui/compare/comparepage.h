#pragma once
// The Compare page: the current flows against a baseline (a saved session, other log files,
// or the current flows before a split time T). Two tables: edges new / gone / changed by more
// than X % with both sides and deltas, and drop rows new / gone / grown. Both sides use the
// session's filter and the same one-count-per-flow rule. Clicking a row filters the session
// to that edge or drop. Computation runs off the GUI thread (JobTracker).
#include "core/analysis/diff.h"
#include "core/store/store.h"

#include <QWidget>
#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QStandardItemModel;
class QSplitter;
class QTableView;

namespace ui {

class JobTracker;
class Session;

class ComparePage : public QWidget {
    Q_OBJECT
public:
    enum EdgeColumn {
        EdgeChange,
        EdgeSrc,
        EdgeDst,
        EdgeFlowsA,
        EdgeFlowsB,
        EdgeBytesA,
        EdgeBytesB,
        EdgeBytesDelta,
        EdgePercent,
        EdgeDroppedA,
        EdgeDroppedB,
        EdgeColumnCount
    };
    enum DropColumn {
        DropChange,
        DropEntry,
        DropExit,
        DropReasonCol,
        DropPacketsA,
        DropPacketsB,
        DropPacketsDelta,
        DropRecordsA,
        DropRecordsB,
        DropColumnCount
    };
    /// Raw sort/test values: DiffStatus name in the Change column, numbers elsewhere.
    static constexpr int RawRole = Qt::UserRole + 1;

    explicit ComparePage(Session* session, QWidget* parent = nullptr);
    ~ComparePage() override;

    /// Asks what to compare with (session or files, or a split time) and starts.
    void chooseBaseline();
    /// Compares with `store` (a loaded session or files), named `label`.
    void setBaselineStore(std::shared_ptr<core::Store> store, const QString& label);
    /// Compares the current flows before `splitTime` (Unix seconds) with those from it on.
    void setSplitTime(qint64 splitTime);
    /// Loads a baseline from paths (one .flowlog, or log files/folders) in the background.
    void openBaseline(const QStringList& paths);
    void clearBaseline();
    /// The baseline as JSON for the session file: {"kind":"split","time":T} or {"kind":"paths",
    /// "paths":[...]} ("" when there is none, or the baseline was a store handed in directly).
    QByteArray baselineState() const;
    /// Restores a baselineState() (starts loading the paths; "" clears the baseline).
    void restoreBaseline(const QByteArray& state);
    bool hasBaseline() const { return m_baseline != nullptr || m_split.has_value(); }
    /// The baseline store (null with a split or no baseline), the split time, the threshold and
    /// the baseline's name: what the graph and the timeline compare with (comparisonChanged()).
    std::shared_ptr<core::Store> baselineStore() const { return m_baseline; }
    std::optional<qint64> splitTime() const { return m_split; }
    double threshold() const;
    QString baselineLabel() const { return m_baselineLabel; }
    /// How the timeline aligns the baseline: seconds added to its times (86400 = same hour
    /// yesterday, 604800 = same day last week), or nullopt = its start on the split time (the
    /// current flows' start when the baseline is another set). Set with the "Timeline" combo.
    std::optional<qint64> timelineOffset() const;
    /// Selects the timeline alignment (86400, 604800 or nullopt), as the combo does.
    void setTimelineOffset(std::optional<qint64> offset);

    QStandardItemModel* edgeModel() const { return m_edgeModel; }
    QStandardItemModel* dropModel() const { return m_dropModel; }
    QTableView* edgeView() const { return m_edgeView; }
    QTableView* dropView() const { return m_dropView; }

Q_SIGNALS:
    /// Both tables show the newest comparison.
    void updated();
    /// Opening or loading a baseline failed (the sentence says why).
    void baselineFailed(const QString& message);
    /// The baseline, the threshold or the timeline alignment changed (or the baseline was cleared).
    void comparisonChanged();

protected:
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void recompute();
    /// Edges above drops, or side by side when the room (the dock's viewport) is wide and low.
    void arrangeTables();
    void fill(const std::vector<core::EdgeDiff>& edges, const std::vector<core::DropDiff>& drops);
    void filterOnEdge(const QModelIndex& index);
    void filterOnDrop(const QModelIndex& index);
    core::EdgeDimension dimension() const;

    Session* m_session;
    JobTracker* m_jobs;
    JobTracker* m_loads;
    std::shared_ptr<core::Store> m_baseline;
    QString m_baselineLabel;
    QStringList m_baselinePaths; ///< what the baseline was loaded from (empty: a store handed in)
    std::optional<qint64> m_split;
    QLabel* m_label;
    bool m_watching = false;       ///< the parent's resizes are filtered
    QSplitter* m_tables = nullptr; ///< edges above drops; side by side when the pane is wide and low
    QComboBox* m_by;
    QDoubleSpinBox* m_threshold;
    QComboBox* m_offset;
    QCheckBox* m_showSame;
    QPushButton* m_clear;
    QStandardItemModel* m_edgeModel;
    QStandardItemModel* m_dropModel;
    QSortFilterProxyModel* m_edgeProxy;
    QSortFilterProxyModel* m_dropProxy;
    QTableView* m_edgeView;
    QTableView* m_dropView;
};

} // namespace ui
