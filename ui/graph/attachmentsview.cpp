// The Attachments page's view settings (mode, dimension, weight, rank, Top N, groups, matrix,
// node kinds, labels and names) and the clicks that turn a node or an edge into the filter.
// The page's construction and its refresh are in attachmentspage.cpp.
#include "ui/graph/attachmentspage.h"

#include "core/query/filter.h"
#include "ui/graph/attachmentstoolbar.h"
#include "ui/logic/graphfilter.h"
#include "ui/logic/session.h"

#include <QComboBox>
#include <QLabel>
#include <QSlider>
#include <QStackedWidget>
#include <QTabBar>
#include <algorithm>

namespace ui {

using attachmentsbar::kMaxTopN;

void AttachmentsPage::setComparison(const GraphComparison& comparison)
{
    m_comparison = comparison;
    if (!m_comparison.active()) m_diffs.clear();
    requestRefresh();
}

void AttachmentsPage::setMode(Mode mode)
{
    if (m_modeBar->currentIndex() != (mode == Mode::Matrix ? 1 : 0)) m_modeBar->setCurrentIndex(mode == Mode::Matrix ? 1 : 0);
    if (mode == m_mode) return;
    m_mode = mode;
    m_stack->setCurrentWidget(mode == Mode::Matrix ? static_cast<QWidget*>(m_matrix) : m_view);
    m_measureAction->setVisible(mode == Mode::Matrix);
    m_orderAction->setVisible(mode == Mode::Matrix);
    if (mode == Mode::Matrix && m_matrixDirty) rebuildMatrix(true);
    updateStatus();
}

void AttachmentsPage::setDimension(core::EdgeDimension dimension)
{
    if (dimension == m_dimension) return;
    m_dimension = dimension;
    const int i = m_dimensionBox->findData(static_cast<int>(dimension));
    if (i != m_dimensionBox->currentIndex()) m_dimensionBox->setCurrentIndex(i);
    m_selectionTerms.clear();
    m_selection = {};
    m_collapsed.clear();
    m_view->setSelection(m_selection);
    m_matrix->setSelection(m_selection);
    requestRefresh();
}

void AttachmentsPage::setWeight(EdgeWeight weight)
{
    if (weight == m_weight) return;
    m_weight = weight;
    const int i = m_weightBox->findData(static_cast<int>(weight));
    if (i != m_weightBox->currentIndex()) m_weightBox->setCurrentIndex(i);
    rebuild();
}

void AttachmentsPage::setRank(EdgeRank rank)
{
    if (rank == m_rank) return;
    m_rank = rank;
    const int i = m_rankBox->findData(static_cast<int>(rank));
    if (i != m_rankBox->currentIndex()) m_rankBox->setCurrentIndex(i);
    rebuild();
}

void AttachmentsPage::showWorst(int n)
{
    m_topN = std::clamp(n, 1, kMaxTopN);
    m_topSlider->blockSignals(true);
    m_topSlider->setValue(m_topN);
    m_topSlider->blockSignals(false);
    if (m_rank != EdgeRank::Dropped) setRank(EdgeRank::Dropped);
    else rebuild();
}

void AttachmentsPage::setTopN(int n)
{
    n = std::clamp(n, 1, kMaxTopN);
    if (n == m_topN) return;
    m_topN = n;
    if (m_topSlider->value() != n) m_topSlider->setValue(n);
    updateTopLabel();
    rebuild();
}

void AttachmentsPage::setGroupBy(GroupBy groupBy)
{
    if (groupBy == m_groupBy) return;
    m_groupBy = groupBy;
    const int i = m_groupBox->findData(static_cast<int>(groupBy));
    if (i != m_groupBox->currentIndex()) m_groupBox->setCurrentIndex(i);
    m_collapsed.clear();
    m_layoutAspect = 0; // groups changed: lay out afresh
    rebuild();
}

void AttachmentsPage::setGroupCollapsed(const QString& group, bool collapsed)
{
    if (collapsed == m_collapsed.contains(group)) return;
    if (collapsed) m_collapsed.insert(group);
    else m_collapsed.remove(group);
    rebuild();
}

void AttachmentsPage::setMatrixMeasure(MatrixMeasure measure)
{
    if (measure == m_matrixMeasure) return;
    m_matrixMeasure = measure;
    const int i = m_measureBox->findData(static_cast<int>(measure));
    if (i != m_measureBox->currentIndex()) m_measureBox->setCurrentIndex(i);
    rebuildMatrix(false);
}

void AttachmentsPage::setMatrixOrder(MatrixOrder order)
{
    if (order == m_matrixOrder) return;
    m_matrixOrder = order;
    const int i = m_orderBox->findData(static_cast<int>(order));
    if (i != m_orderBox->currentIndex()) m_orderBox->setCurrentIndex(i);
    rebuildMatrix(false);
}

void AttachmentsPage::setNodeKinds(const QHash<QString, NodeKind>& kinds)
{
    m_kinds = kinds;
    rebuild();
}

void AttachmentsPage::setNodeLabels(const QHash<QString, QString>& labels)
{
    m_view->setLabels(labels);
    m_matrix->setLabels(labels);
}

void AttachmentsPage::setNames(const core::NameDirectory& names)
{
    m_names = names;
    QHash<QString, NodeKind> kinds;
    QHash<QString, QString> labels;
    for (const auto& e : names.entries()) {
        if (e.id.startsWith(QLatin1String("tgw-attach-"))) {
            const NodeKind k = nodeKindFromString(e.kind);
            if (k != NodeKind::Unknown) kinds.insert(e.id, k);
        }
        // Labels follow the Session's name display (Ids: none, so nodes show their ids).
        if (e.name.isEmpty()) continue;
        if (m_session->nameDisplay() == NameDisplay::Name) labels.insert(e.id, e.name);
        else if (m_session->nameDisplay() == NameDisplay::NameAndId) labels.insert(e.id, names.label(e.id));
    }
    setNodeLabels(labels);
    m_matrixDirty = true;
    setNodeKinds(kinds);
}

void AttachmentsPage::onNodeClicked(const QString& id, Qt::KeyboardModifiers modifiers)
{
    if (m_external) return; // the result's ids are not in the loaded records
    if (isGroupId(id)) {
        setGroupCollapsed(id.mid(groupIdPrefix().size()), false);
        return;
    }
    select(nodeFilter(m_computedDimension, id), modifiers & (Qt::ShiftModifier | Qt::ControlModifier), id, {});
}

void AttachmentsPage::onEdgeClicked(const QString& src, const QString& dst, Qt::KeyboardModifiers modifiers)
{
    if (m_external) return;
    if (isGroupId(src) || isGroupId(dst)) {
        // An edge of a collapsed group stands for many pairs: open the group(s) instead.
        for (const QString& id : {src, dst})
            if (isGroupId(id)) m_collapsed.remove(id.mid(groupIdPrefix().size()));
        rebuild();
        return;
    }
    select(edgeFilter(m_computedDimension, src, dst), modifiers & (Qt::ShiftModifier | Qt::ControlModifier), {}, {src, dst});
}

void AttachmentsPage::select(const QString& term, bool additive, const QString& node, const QPair<QString, QString>& edge)
{
    const QString base = m_drill.baseFor(m_session->filter(), additive && !m_selectionTerms.isEmpty());
    if (!additive || m_selectionTerms.isEmpty()) {
        m_selectionTerms = {term};
        m_selection = {};
        if (!node.isNull()) m_selection.nodes.insert(node);
        else m_selection.edges.insert(edge);
    } else if (m_selectionTerms.contains(term)) {
        // Shift/Ctrl-click on a selected item takes it out again.
        m_selectionTerms.removeAll(term);
        m_selection.nodes.remove(node);
        m_selection.edges.remove(edge);
    } else {
        m_selectionTerms << term;
        if (!node.isNull()) m_selection.nodes.insert(node);
        else m_selection.edges.insert(edge);
    }
    m_view->setSelection(m_selection);
    m_matrix->setSelection(m_selection);
    m_session->setFilter(m_drill.drill(base, selectionFilter(base, m_selectionTerms)));
    if (m_selectionTerms.isEmpty()) m_selection = {};
    updateStatus();
}

void AttachmentsPage::onFilterChanged(const QString& expression)
{
    if (!m_drill.follow(expression)) {
        // Someone else (filter bar, Back) changed the filter: the click selection is over.
        m_selectionTerms.clear();
        m_selection = {};
        m_view->setSelection(m_selection);
        m_matrix->setSelection(m_selection);
        updateStatus();
    }
    if (graphFilter() != m_computedFilter) requestRefresh();
}

} // namespace ui
