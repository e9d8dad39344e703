#pragma once
// Table model of the Drops page: one row per core::DropRow (entry attachment or interface,
// exit attachment, reason). Display text follows the Session (names, time display); RawRole
// gives the raw value (ids, numbers, Unix seconds) for sorting and export. GUI thread only.
#include "core/analysis/drops.h"

#include <QAbstractTableModel>
#include <QColor>
#include <vector>

namespace ui {

class Session;

/// Colour of a drop reason, matching the Timeline's drop chart (light or dark palette).
QColor dropReasonColor(core::DropReason reason, bool dark);

class DropsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Reason,
        Entry,
        Exit,
        Packets,
        Records,
        FirstSeen,
        LastSeen,
        RouteTable,
        TopSources,
        TopDestinations,
        TopPorts,
        ColumnCount
    };
    enum Role { RawRole = Qt::UserRole + 1 };

    /// `session` (not owned) supplies names and the time format; it must outlive the model.
    explicit DropsModel(const Session* session, QObject* parent = nullptr);

    void setRows(std::vector<core::DropRow> rows);
    const std::vector<core::DropRow>& rows() const { return m_rows; }
    /// The row at `row`, or nullptr.
    const core::DropRow* dropRow(int row) const;
    /// Row index of the (entry, exit, reason) group, or -1.
    int findRow(const QString& entry, const QString& exit, core::DropReason reason) const;
    /// Display changed (names, time format): repaint every cell.
    void refreshDisplay();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant raw(const core::DropRow& r, int column) const;
    QString display(const core::DropRow& r, int column) const;

    const Session* m_session;
    std::vector<core::DropRow> m_rows;
};

} // namespace ui
