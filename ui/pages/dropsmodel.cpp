#include "ui/pages/dropsmodel.h"

#include "ui/logic/graphlayout.h"
#include "ui/logic/session.h"

#include <QGuiApplication>
#include <QPalette>

#include <optional>

namespace ui {

namespace {

bool darkPalette()
{
    return QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
}

bool hasExit(const core::DropRow& r)
{
    return !r.exit.isEmpty() && r.exit != QLatin1String("-");
}

/// The text of the columns whose raw value and display are the same; nullopt for the others.
std::optional<QString> sameText(const core::DropRow& r, int column)
{
    switch (column) {
    case DropsModel::RouteTable:
        return r.routeTableId;
    case DropsModel::TopSources:
        return core::formatTopValues(r.topSources);
    case DropsModel::TopDestinations:
        return core::formatTopValues(r.topDestinations);
    case DropsModel::TopPorts:
        return core::formatTopValues(r.topPorts);
    default:
        return std::nullopt;
    }
}

/// An attachment or interface id as the session shows it (names mode), or as it is.
QString shownId(const Session* session, const QString& id)
{
    return session ? session->displayId(id) : id;
}

} // namespace

QColor dropReasonColor(core::DropReason reason, bool dark)
{
    switch (reason) {
    case core::DropReason::NoRoute:
        return dark ? QColor(0xF5, 0xA2, 0x4B) : QColor(0xE0, 0x7B, 0x10);
    case core::DropReason::Blackhole:
        return dark ? QColor(0xB3, 0x93, 0xE6) : QColor(0x5B, 0x3F, 0x8C);
    case core::DropReason::MtuExceeded:
        return dark ? QColor(0x5C, 0xB8, 0xE6) : QColor(0x1F, 0x77, 0xB4);
    case core::DropReason::TtlExpired:
        return dark ? QColor(0xF0, 0x6A, 0x6C) : QColor(0xD6, 0x27, 0x28);
    case core::DropReason::Rejected:
        break;
    }
    return dark ? QColor(0xA0, 0xA0, 0xA0) : QColor(0x70, 0x70, 0x70);
}

DropsModel::DropsModel(const Session* session, QObject* parent) : QAbstractTableModel(parent), m_session(session) {}

void DropsModel::setRows(std::vector<core::DropRow> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

const core::DropRow* DropsModel::dropRow(int row) const
{
    if (row < 0 || row >= rowCount()) return nullptr;
    return &m_rows[static_cast<size_t>(row)];
}

int DropsModel::findRow(const QString& entry, const QString& exit, core::DropReason reason) const
{
    for (size_t i = 0; i < m_rows.size(); ++i) {
        const core::DropRow& r = m_rows[i];
        if (r.reason == reason && r.entry == entry && r.exit == exit) return static_cast<int>(i);
    }
    return -1;
}

void DropsModel::refreshDisplay()
{
    if (m_rows.empty()) return;
    Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int DropsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int DropsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DropsModel::raw(const core::DropRow& r, int column) const
{
    if (std::optional<QString> text = sameText(r, column)) return *text;
    switch (column) {
    case Reason:
        return core::dropReasonName(r.reason);
    case Entry:
        return r.entry;
    case Exit:
        return r.exit;
    case Packets:
        return r.packets;
    case Records:
        return r.records;
    case FirstSeen:
        return r.firstSeen;
    case LastSeen:
        return r.lastSeen;
    }
    return {};
}

QString DropsModel::display(const core::DropRow& r, int column) const
{
    if (std::optional<QString> text = sameText(r, column)) return *text;
    switch (column) {
    case Reason:
        return core::dropReasonLabel(r.reason);
    case Entry:
        return shownId(m_session, r.entry);
    case Exit:
        if (r.reason == core::DropReason::Rejected) return QString();
        if (!hasExit(r)) return tr("(none)");
        return shownId(m_session, r.exit);
    case Packets:
        return formatInteger(r.packets);
    case Records:
        return formatInteger(r.records);
    case FirstSeen:
    case LastSeen: {
        const qint64 t = column == FirstSeen ? r.firstSeen : r.lastSeen;
        if (t <= 0) return QString();
        return m_session ? m_session->formatTime(t) : QString::number(t);
    }
    }
    return {};
}

QVariant DropsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) return {};
    const core::DropRow& r = m_rows[static_cast<size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return display(r, index.column());
    case RawRole:
        return raw(r, index.column());
    case Qt::TextAlignmentRole:
        if (index.column() == Packets || index.column() == Records)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return QVariant::fromValue(Qt::Alignment(Qt::AlignLeft | Qt::AlignVCenter));
    case Qt::DecorationRole:
        if (index.column() == Reason) return dropReasonColor(r.reason, darkPalette());
        return {};
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Reason:
            return r.meaning;
        case Entry:
        case Exit: {
            const QString id = index.column() == Entry ? r.entry : r.exit;
            if (id.isEmpty() || id == QLatin1String("-")) return {};
            QStringList lines{id};
            if (m_session) lines << m_session->describeId(id);
            return lines.join(QLatin1Char('\n'));
        }
        case TopSources:
        case TopDestinations:
        case TopPorts:
            return tr("The top 3 by packets lost (rejected, for VPC rows)");
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant DropsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal) return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Reason:
            return tr("Reason");
        case Entry:
            return tr("Entry / interface");
        case Exit:
            return tr("Exit");
        case Packets:
            return tr("Packets");
        case Records:
            return tr("Records");
        case FirstSeen:
            return tr("First seen");
        case LastSeen:
            return tr("Last seen");
        case RouteTable:
            return tr("Route table");
        case TopSources:
            return tr("Top sources");
        case TopDestinations:
            return tr("Top destinations");
        case TopPorts:
            return tr("Top dst ports");
        }
    } else if (role == Qt::ToolTipRole) {
        switch (section) {
        case Entry:
            return tr("Attachment where the packets entered the TGW; for VPC rejects the interface (ENI)");
        case Exit:
            return tr("Attachment the packets were leaving through; (none) when the TGW dropped them before "
                      "choosing one");
        case Packets:
            return tr("Packets lost for this reason (packets rejected, for VPC rows)");
        case Records:
            return tr("Flow log records (a drop logged at both attachments counts once)");
        case RouteTable:
            return tr("TGW route table associated with the entry attachment (from loaded names)");
        default:
            break;
        }
    }
    return {};
}

} // namespace ui
