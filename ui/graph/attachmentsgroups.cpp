// The Attachments page's large-estate helpers: node groups (by kind, account or route table)
// and their menu, the find box, and the list of hidden edges with drops.
#include "ui/graph/attachmentspage.h"

#include <QLineEdit>
#include <QMenu>
#include <QToolButton>
#include <algorithm>

namespace ui {

int AttachmentsPage::find(const QString& text)
{
    m_findText = text.trimmed();
    if (m_findEdit->text().trimmed() != m_findText) m_findEdit->setText(text);
    QSet<QString> found;
    if (!m_findText.isEmpty()) {
        const auto& labels = m_view->labels();
        const auto groups = nodeGroups();
        auto matches = [&](const QString& id) {
            return id.contains(m_findText, Qt::CaseInsensitive) || labels.value(id).contains(m_findText, Qt::CaseInsensitive);
        };
        for (const auto& e : m_edges)
            for (const QString* id : {&e.src, &e.dst})
                if (!found.contains(*id) && matches(*id)) {
                    found.insert(*id);
                    // A match inside a collapsed group lights the group's node.
                    const QString g =
                        groups.value(*id, nodeGroupName(m_kinds.value(*id, inferNodeKind(m_computedDimension, *id))));
                    if (m_collapsed.contains(g)) found.insert(groupIdPrefix() + g);
                }
    }
    m_view->setFound(found);
    m_matrix->setFound(found);
    updateStatus();
    int count = 0;
    for (const auto& id : found)
        if (!isGroupId(id)) ++count;
    return count;
}

QHash<QString, QString> AttachmentsPage::nodeGroups() const
{
    QHash<QString, QString> groups;
    if (m_groupBy == GroupBy::Kind) return groups;
    for (const auto& e : m_names.entries()) {
        const QString key = m_groupBy == GroupBy::Account ? e.ownerId : e.routeTableId;
        if (!key.isEmpty()) {
            const QString name = m_names.name(key);
            groups.insert(
                e.id, (m_groupBy == GroupBy::Account ? tr("account %1") : tr("route table %1")).arg(name.isEmpty() ? key : name));
        }
    }
    return groups;
}

void AttachmentsPage::updateGroupsMenu()
{
    m_groupsMenu->clear();
    // Groups of every node (not only the shown ones), largest first.
    QHash<QString, int> sizes;
    const auto groups = nodeGroups();
    QSet<QString> seen;
    for (const auto& e : m_edges)
        for (const QString* id : {&e.src, &e.dst})
            if (!seen.contains(*id)) {
                seen.insert(*id);
                ++sizes[groups.value(*id, nodeGroupName(m_kinds.value(*id, inferNodeKind(m_computedDimension, *id))))];
            }
    QStringList names = sizes.keys();
    std::sort(names.begin(), names.end(), [&](const QString& a, const QString& b) {
        return sizes.value(a) != sizes.value(b) ? sizes.value(a) > sizes.value(b) : a < b;
    });
    auto* all = m_groupsMenu->addAction(tr("Collapse all"));
    connect(all, &QAction::triggered, this, [this, names]() {
        for (const auto& n : names) m_collapsed.insert(n);
        rebuild();
    });
    auto* none = m_groupsMenu->addAction(tr("Expand all"));
    connect(none, &QAction::triggered, this, [this]() {
        m_collapsed.clear();
        rebuild();
    });
    m_groupsMenu->addSeparator();
    for (const QString& name : names) {
        auto* a = m_groupsMenu->addAction(tr("%1 (%2)").arg(name).arg(sizes.value(name)));
        a->setCheckable(true);
        a->setChecked(m_collapsed.contains(name));
        connect(a, &QAction::toggled, this, [this, name](bool on) { setGroupCollapsed(name, on); });
    }
    m_groupsButton->setEnabled(m_computedDimension == core::EdgeDimension::Attachment && !names.isEmpty());
}

QStringList AttachmentsPage::hiddenDropLines(int max) const
{
    QStringList lines;
    const Graph& g = m_view->graph();
    const auto& labels = m_view->labels();
    auto name = [&](const QString& id) { return id == QLatin1String("-") ? tr("no exit") : labels.value(id, id); };
    for (int i : g.top.hiddenDrops) {
        if (lines.size() >= max) break;
        const auto& e = g.data[static_cast<size_t>(i)];
        lines << QStringLiteral("%1 \u2192 %2: %3 \u00b7 %4")
                     .arg(name(e.src), name(e.dst), dropSummary(e), formatShare(dropShare(e)));
    }
    return lines;
}

void AttachmentsPage::updateHiddenMenu()
{
    const Graph& g = m_view->graph();
    m_hiddenButton->setText(hiddenSummary(g.top, m_weight));
    m_hiddenButton->setVisible(g.top.hiddenCount > 0);
    m_hiddenMenu->clear();
    const QStringList lines = hiddenDropLines(25);
    if (lines.isEmpty()) {
        m_hiddenMenu->addAction(tr("No hidden edge has dropped packets"))->setEnabled(false);
        return;
    }
    m_hiddenMenu->addSection(tr("Hidden edges with dropped packets (click to filter)"));
    for (int k = 0; k < lines.size(); ++k) {
        const auto& e = g.data[static_cast<size_t>(g.top.hiddenDrops[static_cast<size_t>(k)])];
        auto* a = m_hiddenMenu->addAction(lines[k]);
        const QString src = e.src, dst = e.dst;
        connect(a, &QAction::triggered, this, [this, src, dst]() { onEdgeClicked(src, dst, {}); });
    }
    if (static_cast<qsizetype>(g.top.hiddenDrops.size()) > lines.size())
        m_hiddenMenu
            ->addAction(tr("... and %1 more (rank by dropped packets to see them)")
                            .arg(static_cast<qsizetype>(g.top.hiddenDrops.size()) - lines.size()))
            ->setEnabled(false);
    auto* worst = m_hiddenMenu->addAction(tr("Show the 20 worst edges"));
    connect(worst, &QAction::triggered, this, [this]() { showWorst(20); });
}

} // namespace ui
