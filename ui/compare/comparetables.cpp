// The Compare page's two tables: one row per edge and per drop difference, coloured and
// ranked by status, with the counts before and after, the deltas and a tooltip of every count
// (the page itself, its baseline and the click-to-filter: comparepage.cpp).
#include "ui/compare/comparepage.h"

#include "core/model/units.h"
#include "ui/logic/session.h"

#include <QCheckBox>
#include <QLabel>
#include <QStandardItemModel>
#include <QTableView>

#include <cmath>

namespace ui {

namespace {

QColor statusColour(core::DiffStatus s)
{
    switch (s) {
    case core::DiffStatus::New:
        return QColor(0x2e, 0x9e, 0x4f, 70); // green: started
    case core::DiffStatus::Gone:
        return QColor(0xd0, 0x3a, 0x3a, 70); // red: stopped
    case core::DiffStatus::Changed:
    case core::DiffStatus::Grown:
        return QColor(0xe0, 0x9a, 0x20, 80); // amber: moved
    case core::DiffStatus::Shrunk:
        return QColor(0x40, 0x80, 0xd0, 60);
    case core::DiffStatus::Same:
        break;
    }
    return {};
}

QString statusLabel(core::DiffStatus s)
{
    switch (s) {
    case core::DiffStatus::New:
        return QObject::tr("New");
    case core::DiffStatus::Gone:
        return QObject::tr("Gone");
    case core::DiffStatus::Changed:
        return QObject::tr("Changed");
    case core::DiffStatus::Grown:
        return QObject::tr("Grown");
    case core::DiffStatus::Shrunk:
        return QObject::tr("Shrunk");
    case core::DiffStatus::Same:
        break;
    }
    return QObject::tr("Same");
}

/// Sort rank of the Change column: what started, what grew, what stopped, then the rest.
int changeRank(core::DiffStatus s)
{
    switch (s) {
    case core::DiffStatus::New:
        return 0;
    case core::DiffStatus::Grown:
        return 1;
    case core::DiffStatus::Gone:
        return 2;
    case core::DiffStatus::Changed:
        return 3;
    case core::DiffStatus::Shrunk:
        return 4;
    case core::DiffStatus::Same:
        break;
    }
    return 5;
}

QStandardItem* numberItem(qint64 v, const QString& text = {})
{
    auto* item = new QStandardItem(text.isEmpty() ? core::formatInteger(v) : text);
    item->setData(v, ComparePage::RawRole);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QString bytesText(qint64 v)
{
    const QString s = core::formatBytes(std::abs(v));
    return v < 0 ? QStringLiteral("−") + s : s;
}

QString signedText(qint64 v, const QString& text)
{
    return v > 0 ? QStringLiteral("+") + text : text;
}

} // namespace

void ComparePage::fill(const std::vector<core::EdgeDiff>& edges, const std::vector<core::DropDiff>& drops)
{
    const bool showSame = m_showSame->isChecked();
    int counts[6] = {};
    m_edgeModel->removeRows(0, m_edgeModel->rowCount());
    for (const core::EdgeDiff& d : edges) {
        ++counts[static_cast<int>(d.status)];
        if (d.status == core::DiffStatus::Same && !showSame) continue;
        const qint64 delta = d.after.bytes - d.before.bytes;
        const bool finite =
            std::isfinite(d.changePercent) && d.status != core::DiffStatus::New && d.status != core::DiffStatus::Gone;
        const double bytesPct = core::percentChange(d.before.bytes, d.after.bytes);
        auto* change = new QStandardItem(statusLabel(d.status));
        change->setData(changeRank(d.status), RawRole);
        auto* src = new QStandardItem(m_session->displayId(d.src));
        src->setData(d.src, RawRole);
        auto* dst = new QStandardItem(m_session->displayId(d.dst));
        dst->setData(d.dst, RawRole);
        auto* pct = new QStandardItem(
            finite && std::isfinite(bytesPct)
                ? QStringLiteral("%1%2 %").arg(bytesPct > 0 ? QStringLiteral("+") : QString()).arg(bytesPct, 0, 'f', 0)
                : QStringLiteral("—"));
        pct->setData(std::isfinite(bytesPct) ? bytesPct : 1e18, RawRole);
        pct->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        QList<QStandardItem*> row{change,
                                  src,
                                  dst,
                                  numberItem(d.before.flows),
                                  numberItem(d.after.flows),
                                  numberItem(d.before.bytes, bytesText(d.before.bytes)),
                                  numberItem(d.after.bytes, bytesText(d.after.bytes)),
                                  numberItem(delta, signedText(delta, bytesText(delta))),
                                  pct,
                                  numberItem(d.before.dropped()),
                                  numberItem(d.after.dropped())};
        const QString tip =
            tr("%1 → %2 (%3)\nflows %4 → %5 (%6)\npackets %7 → %8 (%9)\nbytes %10 → %11 (%12)\ndropped packets %13 → %14 (%15)")
                .arg(d.src, d.dst, statusLabel(d.status))
                .arg(d.before.flows)
                .arg(d.after.flows)
                .arg(signedText(d.after.flows - d.before.flows, QString::number(d.after.flows - d.before.flows)))
                .arg(d.before.packets)
                .arg(d.after.packets)
                .arg(signedText(d.after.packets - d.before.packets, QString::number(d.after.packets - d.before.packets)))
                .arg(d.before.bytes)
                .arg(d.after.bytes)
                .arg(signedText(delta, QString::number(delta)))
                .arg(d.before.dropped())
                .arg(d.after.dropped())
                .arg(signedText(d.after.dropped() - d.before.dropped(), QString::number(d.after.dropped() - d.before.dropped())));
        const QColor colour = statusColour(d.status);
        for (QStandardItem* item : row) {
            item->setToolTip(tip);
            if (colour.isValid()) item->setBackground(colour);
            if (d.status == core::DiffStatus::Gone) {
                QFont f = item->font();
                f.setStrikeOut(item == src || item == dst);
                item->setFont(f);
            }
        }
        m_edgeModel->appendRow(row);
    }
    m_dropModel->removeRows(0, m_dropModel->rowCount());
    int dropNew = 0, dropGrown = 0, dropGone = 0;
    for (const core::DropDiff& d : drops) {
        dropNew += d.status == core::DiffStatus::New;
        dropGrown += d.status == core::DiffStatus::Grown;
        dropGone += d.status == core::DiffStatus::Gone;
        if (d.status == core::DiffStatus::Same && !showSame) continue;
        auto* change = new QStandardItem(statusLabel(d.status));
        change->setData(changeRank(d.status), RawRole);
        auto* entry = new QStandardItem(m_session->displayId(d.entry));
        entry->setData(d.entry, RawRole);
        auto* exit = new QStandardItem(m_session->displayId(d.exit));
        exit->setData(d.exit, RawRole);
        auto* reason = new QStandardItem(core::dropReasonLabel(d.reason));
        reason->setData(static_cast<int>(d.reason), RawRole);
        const qint64 delta = d.packetsAfter - d.packetsBefore;
        QList<QStandardItem*> row{change,
                                  entry,
                                  exit,
                                  reason,
                                  numberItem(d.packetsBefore),
                                  numberItem(d.packetsAfter),
                                  numberItem(delta, signedText(delta, core::formatInteger(delta))),
                                  numberItem(d.recordsBefore),
                                  numberItem(d.recordsAfter)};
        const QColor colour = statusColour(d.status);
        for (QStandardItem* item : row)
            if (colour.isValid()) item->setBackground(colour);
        m_dropModel->appendRow(row);
    }
    m_edgeView->resizeColumnsToContents();
    m_dropView->resizeColumnsToContents();
    m_label->setText(tr("Baseline: %1. Edges: %2 new, %3 gone, %4 changed, %5 unchanged. Drops: %6 new, %7 grown, %8 gone.")
                         .arg(m_baselineLabel)
                         .arg(counts[static_cast<int>(core::DiffStatus::New)])
                         .arg(counts[static_cast<int>(core::DiffStatus::Gone)])
                         .arg(counts[static_cast<int>(core::DiffStatus::Changed)])
                         .arg(counts[static_cast<int>(core::DiffStatus::Same)])
                         .arg(dropNew)
                         .arg(dropGrown)
                         .arg(dropGone));
    Q_EMIT updated();
}

} // namespace ui
