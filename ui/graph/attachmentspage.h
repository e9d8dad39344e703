#pragma once
// The "Attachments" page: how traffic crosses the Transit Gateway. Edges come from
// core::computeEdges (de-duplicated: a flow logged at both attachments counts once), are
// recomputed off the GUI thread when the store, the filter or the dimension changes, and drawn
// by a GraphView, or as an entry x exit matrix (MatrixView) for large estates. Clicking a node,
// an edge, a matrix cell or header narrows the Session filter (drill-down); Shift/Ctrl-click ORs
// several together. Nodes group by kind, account or route table; groups collapse into one node.
// A find box highlights matching nodes in both views. GUI thread only.
#include "ui/graph/graphdiff.h"
#include "ui/graph/graphview.h"
#include "ui/graph/matrixview.h"
#include "ui/logic/graphlayout.h"
#include "ui/logic/pagerefresh.h"

#include "core/names/names.h"

#include <QHash>
#include <QSet>
#include <QWidget>
#include <vector>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QSlider;
class QStackedWidget;
class QTabBar;
class QToolButton;

namespace ui {

class JobTracker;
class Session;

class AttachmentsPage : public QWidget {
    Q_OBJECT
public:
    explicit AttachmentsPage(Session* session, QWidget* parent = nullptr);
    ~AttachmentsPage() override;

    GraphView* view() const { return m_view; }
    MatrixView* matrixView() const { return m_matrix; }

    /// Graph or matrix in front.
    enum class Mode { Graph, Matrix };
    Mode mode() const { return m_mode; }
    void setMode(Mode mode);

    /// What nodes are grouped by (the layout keeps a group together; a group collapses into one node).
    enum class GroupBy { Kind, Account, RouteTable };
    GroupBy groupBy() const { return m_groupBy; }
    void setGroupBy(GroupBy groupBy);
    /// Collapses / expands a group (GraphNode::group) into one node.
    void setGroupCollapsed(const QString& group, bool collapsed);
    const QSet<QString>& collapsedGroups() const { return m_collapsed; }

    /// What the top-N cut ranks by.
    EdgeRank rank() const { return m_rank; }
    void setRank(EdgeRank rank);
    /// One click to the N worst edges: ranks by dropped packets and shows N.
    void showWorst(int n = 20);

    /// Highlights the nodes whose id or label contains `text` (case-insensitive) in both views;
    /// empty clears. Returns the number of matches.
    int find(const QString& text);

    MatrixMeasure matrixMeasure() const { return m_matrixMeasure; }
    void setMatrixMeasure(MatrixMeasure measure);
    MatrixOrder matrixOrder() const { return m_matrixOrder; }
    void setMatrixOrder(MatrixOrder order);
    /// The status line's text (tests).
    QString statusText() const;

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

    /// Shows `edges` (an Athena / Logs Insights result) instead of the loaded records' edges,
    /// under a banner "Showing <source> — Back to local data". Until clearExternal() (or the
    /// banner's link) the store and the filter are not used and clicks do not filter.
    void setExternalEdges(std::vector<core::Edge> edges, core::EdgeDimension dimension, const QString& source);
    /// Back to the loaded records' edges (recomputed).
    void clearExternal();
    bool isExternal() const { return m_external; }
    /// The banner's text ("" when showing local data).
    QString bannerText() const;

    /// All edges as CSV, same columns and bytes as `flowlog-cli edges`.
    QByteArray edgesCsv() const;
    /// Hidden edges with dropped packets, most dropped first: "A → B: 7 dropped (MTU) · 4.2 %".
    QStringList hiddenDropLines(int max = 25) const;
    /// Renders the graph or the matrix (whichever is in front; fitted, current palette) to a
    /// PNG / SVG file. False + *error on failure.
    bool exportPng(const QString& path, QString* error = nullptr) const;
    bool exportSvg(const QString& path, QString* error = nullptr) const;

    /// Compares with a baseline (graphdiff.h): new, gone and changed edges get their own colour,
    /// dash, label and tooltip; gone edges are drawn too and click-filter like the others. An
    /// inactive comparison ends it. Recomputes.
    void setComparison(const GraphComparison& comparison);
    const GraphComparison& comparison() const { return m_comparison; }
    /// The last comparison's edge diff (empty when none is active).
    const std::vector<core::EdgeDiff>& edgeDiffs() const { return m_diffs; }

public Q_SLOTS:
    /// Recomputes the edges now (normally automatic).
    void refresh();
    void copyEdgesCsv();

Q_SIGNALS:
    /// A computation finished and the graph was redrawn (also after an error).
    void graphUpdated();
    void busyChanged(bool busy);
    /// setExternalEdges() / clearExternal() switched the source of the drawing.
    void externalChanged(bool external);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void requestRefresh();
    /// The filter the graph is computed with: while a click selection is in force, the filter
    /// before it (so the graph stays as context and highlights the selection), else the
    /// Session's filter.
    QString graphFilter() const;
    void rebuild();
    void updateTopLabel(); ///< the Top N label: the number the slider stands at
    void updateStatus();
    void onNodeClicked(const QString& id, Qt::KeyboardModifiers modifiers);
    void onEdgeClicked(const QString& src, const QString& dst, Qt::KeyboardModifiers modifiers);
    void rebuildMatrix(bool fit);
    void updateGroupsMenu();
    void updateHiddenMenu();
    QHash<QString, QString> nodeGroups() const;
    void render(QPainter& painter, const QSizeF& size) const;
    void select(const QString& term, bool additive, const QString& node, const QPair<QString, QString>& edge);
    void onFilterChanged(const QString& expression);
    void setBusy(bool busy);
    void exportDialog(bool svg);

    Session* m_session;
    JobTracker* m_jobs;
    GraphView* m_view;
    MatrixView* m_matrix;
    QStackedWidget* m_stack;
    QTabBar* m_modeBar;
    QComboBox* m_dimensionBox;
    QComboBox* m_rankBox;
    QComboBox* m_groupBox;
    QComboBox* m_measureBox;
    QComboBox* m_orderBox;
    QAction* m_measureAction;
    QAction* m_orderAction;
    QLineEdit* m_findEdit;
    QToolButton* m_groupsButton;
    QMenu* m_groupsMenu;
    QToolButton* m_hiddenButton;
    QMenu* m_hiddenMenu;
    QComboBox* m_weightBox;
    QSlider* m_topSlider;
    QLabel* m_topLabel;
    QLabel* m_statusLabel;
    QLabel* m_banner;
    QProgressBar* m_busyBar;
    QAction* m_backAction;
    QAction* m_busyAction;

    core::EdgeDimension m_dimension = core::EdgeDimension::Attachment;
    core::EdgeDimension m_computedDimension = core::EdgeDimension::Attachment;
    EdgeWeight m_weight = EdgeWeight::Bytes;
    EdgeRank m_rank = EdgeRank::Traffic;
    int m_topN = 50;
    Mode m_mode = Mode::Graph;
    GroupBy m_groupBy = GroupBy::Kind;
    QSet<QString> m_collapsed;
    MatrixMeasure m_matrixMeasure = MatrixMeasure::Bytes;
    MatrixOrder m_matrixOrder = MatrixOrder::Total;
    bool m_matrixDirty = true;
    double m_layoutAspect = 0; ///< pane aspect the shown layout was made for
    QString m_findText;
    core::NameDirectory m_names;
    std::vector<core::Edge> m_edges;
    GraphComparison m_comparison;
    std::vector<core::EdgeDiff> m_diffs;
    QHash<QString, NodeKind> m_kinds;
    QString m_error;
    QString m_computedFilter; ///< filter of the shown graph (or of the running job)
    bool m_busy = false;
    LazyRefresh m_refresh;
    bool m_external = false; ///< showing setExternalEdges() rows

    // Drill-down selection: the session filter = the filter before the click and (term1 or term2 ...).
    DrillDown m_drill;
    QStringList m_selectionTerms;
    GraphSelection m_selection;
};

} // namespace ui
