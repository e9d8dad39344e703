#include "ui/graph/graphdiff.h"

#include "ui/logic/graphformat.h"

#include <cmath>

namespace ui {

namespace {

QString signedCount(qint64 delta)
{
    if (delta < 0) return QStringLiteral("\u2212") + formatInteger(-delta);
    return QStringLiteral("+") + formatInteger(delta);
}

QString signedBytes(qint64 delta)
{
    if (delta < 0) return QStringLiteral("\u2212") + formatBytes(-delta);
    return QStringLiteral("+") + formatBytes(delta);
}

QString statusWord(const core::EdgeDiff& d)
{
    switch (d.status) {
    case core::DiffStatus::New:
        return QStringLiteral("new");
    case core::DiffStatus::Gone:
        return QStringLiteral("gone");
    case core::DiffStatus::Changed: {
        const double pct = core::percentChange(d.before.bytes, d.after.bytes);
        const QString arrow = diffGrew(d) ? QStringLiteral("\u25b2") : QStringLiteral("\u25bc");
        if (!std::isfinite(pct)) return arrow;
        return QStringLiteral("%1 %2%3 %").arg(arrow, pct > 0 ? QStringLiteral("+") : QString()).arg(pct, 0, 'f', 0);
    }
    default:
        return QStringLiteral("same");
    }
}

} // namespace

std::pair<QString, QString> comparisonFilters(const GraphComparison& comparison, const QString& filter)
{
    if (!comparison.split) return {filter, filter};
    return {core::splitFilter(filter, *comparison.split, true), core::splitFilter(filter, *comparison.split, false)};
}

std::vector<core::Edge> comparedEdges(const std::vector<core::EdgeDiff>& diffs)
{
    std::vector<core::Edge> edges;
    edges.reserve(diffs.size());
    for (const core::EdgeDiff& d : diffs) {
        core::Edge e = d.status == core::DiffStatus::Gone ? d.before : d.after;
        e.src = d.src;
        e.dst = d.dst;
        edges.push_back(std::move(e));
    }
    // The order computeEdges gives (bytes descending, then src, dst), so the graph is built alike.
    std::stable_sort(edges.begin(), edges.end(), [](const core::Edge& a, const core::Edge& b) {
        if (a.bytes != b.bytes) return a.bytes > b.bytes;
        if (a.src != b.src) return a.src < b.src;
        return a.dst < b.dst;
    });
    return edges;
}

bool diffGrew(const core::EdgeDiff& d)
{
    if (d.after.bytes != d.before.bytes) return d.after.bytes > d.before.bytes;
    if (d.after.packets != d.before.packets) return d.after.packets > d.before.packets;
    if (d.after.flows != d.before.flows) return d.after.flows > d.before.flows;
    return d.after.dropped() > d.before.dropped();
}

QColor diffColor(core::DiffStatus status, bool grown, const GraphStyle& style)
{
    switch (status) {
    case core::DiffStatus::New:
        return style.dark ? QColor(70, 210, 130) : QColor(0, 150, 80);
    case core::DiffStatus::Gone:
        return style.dark ? QColor(150, 150, 150) : QColor(130, 130, 130);
    case core::DiffStatus::Changed:
        if (grown) return style.dark ? QColor(255, 165, 60) : QColor(220, 110, 0);
        return style.dark ? QColor(110, 170, 255) : QColor(30, 100, 210);
    default:
        return style.edge;
    }
}

QString diffLabel(const core::EdgeDiff& d)
{
    QString text = statusWord(d);
    text += QStringLiteral(" \u00b7 %1 flows \u00b7 %2 pkts \u00b7 %3")
                .arg(signedCount(d.after.flows - d.before.flows), signedCount(d.after.packets - d.before.packets),
                     signedBytes(d.after.bytes - d.before.bytes));
    const qint64 drops = d.after.dropped() - d.before.dropped();
    if (drops != 0) text += QStringLiteral(" \u00b7 %1 drops").arg(signedCount(drops));
    return text;
}

QString diffTooltip(const core::EdgeDiff& d)
{
    QString html = QStringLiteral("<hr><b>Compared with the baseline: %1</b>").arg(statusWord(d).toHtmlEscaped());
    html += QStringLiteral("<table cellspacing=0 cellpadding=2><tr><th></th><th align=right>baseline</th>"
                           "<th align=right>current</th><th align=right>delta</th></tr>");
    auto row = [&html](const QString& name, qint64 a, qint64 b, bool bytes) {
        html += QStringLiteral("<tr><td>%1</td><td align=right>%2</td><td align=right>%3</td><td align=right>%4</td></tr>")
                    .arg(name, bytes ? formatBytes(a) : formatInteger(a), bytes ? formatBytes(b) : formatInteger(b),
                         bytes ? signedBytes(b - a) : signedCount(b - a));
    };
    row(QStringLiteral("flows"), d.before.flows, d.after.flows, false);
    row(QStringLiteral("packets"), d.before.packets, d.after.packets, false);
    row(QStringLiteral("bytes"), d.before.bytes, d.after.bytes, true);
    row(QStringLiteral("dropped packets"), d.before.dropped(), d.after.dropped(), false);
    html += QStringLiteral("</table>");
    return html;
}

QHash<QPair<QString, QString>, EdgeDecoration> diffDecorations(const std::vector<core::EdgeDiff>& diffs, const GraphStyle& style)
{
    QHash<QPair<QString, QString>, EdgeDecoration> out;
    for (const core::EdgeDiff& d : diffs) {
        if (d.status != core::DiffStatus::New && d.status != core::DiffStatus::Gone && d.status != core::DiffStatus::Changed)
            continue;
        EdgeDecoration decor;
        decor.color = diffColor(d.status, diffGrew(d), style);
        decor.style = d.status == core::DiffStatus::Gone ? Qt::DashLine : Qt::SolidLine;
        decor.label = diffLabel(d);
        decor.tooltip = diffTooltip(d);
        decor.key = d.status == core::DiffStatus::New    ? QStringLiteral("new")
                    : d.status == core::DiffStatus::Gone ? QStringLiteral("gone")
                    : diffGrew(d)                        ? QStringLiteral("grown \u25b2")
                                                         : QStringLiteral("shrunk \u25bc");
        out.insert({d.src, d.dst}, decor);
    }
    return out;
}

QString diffSummary(const std::vector<core::EdgeDiff>& diffs, const GraphComparison& comparison)
{
    int added = 0, gone = 0, changed = 0;
    for (const core::EdgeDiff& d : diffs) {
        added += d.status == core::DiffStatus::New;
        gone += d.status == core::DiffStatus::Gone;
        changed += d.status == core::DiffStatus::Changed;
    }
    return QStringLiteral("%1 new \u00b7 %2 gone \u00b7 %3 changed > %4 % vs %5")
        .arg(added)
        .arg(gone)
        .arg(changed)
        .arg(comparison.threshold, 0, 'f', 0)
        .arg(comparison.label);
}

} // namespace ui
