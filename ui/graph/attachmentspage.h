#pragma once
// The "Attachments" page: how traffic crosses the Transit Gateway. Edges come from
// core::computeEdges (de-duplicated: a flow logged at both attachments counts once), are
// recomputed off the GUI thread when the store, the filter or the dimension changes, and drawn
// by a GraphView. Clicking a node or an edge narrows the Session filter (drill-down);
// Shift/Ctrl-click ORs several together. GUI thread only.
#include "ui/graph/graphview.h"
#include "ui/logic/graphlayout.h"

#include "core/names/names.h"

#include <QHash>
#include <QWidget>
#include <vector>

class QAction;
class QComboBox;
class QLabel;
class QProgressBar;
class QSlider;

namespace ui {

class JobTracker;
class Session;

class AttachmentsPage : public QWidget {
    Q_OBJECT
public:
    explicit AttachmentsPage(Session* session, QWidget* parent = nullptr);
    ~AttachmentsPage() override;

    GraphView* view() const { return m_view; }

    core::EdgeDimension dimension() const { return m_dimension; }
    void setDimension(core::EdgeDimension dimension);
    EdgeWeight weight() const { return m_weight; }
    void setWeight(EdgeWeight weight);
    /// How many of the heaviest edges are drawn (edges with drops are always added).
    int topN() const { return m_topN; }
    void setTopN(int n);

    /// Node kinds by id (e.g. attachment resource types from loaded names); redraws.
    void setNodeKinds(const QHash<QString, NodeKind>& kinds);
    /// Display names by id ("Name" tags); redraws. Filters still use ids.
    void setNodeLabels(const QHash<QString, QString>& labels);

    /// Convenience for loaded AWS CLI names: attachment kinds (vpc, vpn, ...) and Name tags as
    /// labels (per Session::nameDisplay()), via setNodeKinds() and setNodeLabels().
    void setNames(const core::NameDirectory& names);

    /// Every edge of the last computation (not only the shown ones).
    const std::vector<core::Edge>& edges() const { return m_edges; }
    bool isBusy() const { return m_busy; }
    /// "+ 4,812 smaller edges (1.2 GB)" or "".
    QString hiddenSummaryText() const;
    /// The last error ("" if none), e.g. a filter the store could not run.
    QString errorText() const { return m_error; }

    /// All edges as CSV, same columns and bytes as `flowlog-cli edges`.
    QByteArray edgesCsv() const;
    /// Renders the graph (fitted, current palette) to a PNG / SVG file. False + *error on failure.
    bool exportPng(const QString& path, QString* error = nullptr) const;
    bool exportSvg(const QString& path, QString* error = nullptr) const;

public Q_SLOTS:
    /// Recomputes the edges now (normally automatic).
    void refresh();
    void copyEdgesCsv();

Q_SIGNALS:
    /// A computation finished and the graph was redrawn (also after an error).
    void graphUpdated();
    void busyChanged(bool busy);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void requestRefresh();
    /// The filter the graph is computed with: while a click selection is in force, the filter
    /// before it (so the graph stays as context and highlights the selection), else the
    /// Session's filter.
    QString graphFilter() const;
    void rebuild();
    void updateStatus();
    void onNodeClicked(const QString& id, Qt::KeyboardModifiers modifiers);
    void onEdgeClicked(const QString& src, const QString& dst, Qt::KeyboardModifiers modifiers);
    void select(const QString& term, bool additive, const QString& node, const QPair<QString, QString>& edge);
    void onFilterChanged(const QString& expression);
    void setBusy(bool busy);
    void exportDialog(bool svg);

    Session* m_session;
    JobTracker* m_jobs;
    GraphView* m_view;
    QComboBox* m_dimensionBox;
    QComboBox* m_weightBox;
    QSlider* m_topSlider;
    QLabel* m_topLabel;
    QLabel* m_hiddenLabel;
    QLabel* m_statusLabel;
    QProgressBar* m_busyBar;
    QAction* m_backAction;
    QAction* m_busyAction;

    core::EdgeDimension m_dimension = core::EdgeDimension::Attachment;
    core::EdgeDimension m_computedDimension = core::EdgeDimension::Attachment;
    EdgeWeight m_weight = EdgeWeight::Bytes;
    int m_topN = 50;
    std::vector<core::Edge> m_edges;
    QHash<QString, NodeKind> m_kinds;
    QString m_error;
    QString m_computedFilter; ///< filter of the shown graph (or of the running job)
    bool m_busy = false;
    bool m_dirty = true;

    // Drill-down selection: filter = m_selectionBase and (term1 or term2 ...).
    QString m_selectionBase;
    QStringList m_selectionTerms;
    GraphSelection m_selection;
    QString m_expectedFilter;
};

} // namespace ui
