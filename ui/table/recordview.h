#pragma once
// The record table: a QTableView over RecordModel that owns the table's behaviour: SQL-side
// sorting from the header (biggest first for counters), the column chooser (header context
// menu with presets), the cell context menu (Wireshark's "apply as filter"), copying rows,
// and the column layout (saved by column name).
#include "core/model/ids.h"
#include "ui/table/columnpresets.h"

#include <QTableView>

class QMenu;
class QSettings;

namespace ui {

class RecordModel;
class Session;

class RecordView : public QTableView {
    Q_OBJECT
public:
    enum class CopyFormat { Tsv, Csv };
    /// The table never gets smaller than this many rows (minimumSizeHint()).
    static constexpr int kMinVisibleRows = 10;
    /// With names loaded, id columns widen to their content up to this many 'm's.
    static constexpr int kMaxIdColumnChars = 32;

    RecordView(Session* session, RecordModel* model, QWidget* parent = nullptr);

    RecordModel* recordModel() const { return m_model; }
    /// SQL names of the visible columns, in display order.
    QStringList visibleColumns() const;
    /// Shows the columns of a preset (ColumnPresets::names()).
    void applyPreset(const QString& preset);
    ColumnLayout columnLayout() const;
    void setColumnLayout(const ColumnLayout& layout);

    /// While no layout was chosen: shows the preset that fits the loaded data (TGW, VPC or both).
    void choosePresetFor(qint64 tgwRecords, qint64 vpcRecords);

    void saveSettings(QSettings& settings) const;
    void restoreSettings(const QSettings& settings);

    /// Selects and shows the row of record `id`; false if it is not in the current view.
    bool selectRecord(core::RecordId id);
    /// The record of the current row, core::kNoRecord if none.
    core::RecordId currentRecordId() const;
    /// The record the details and Follow Flow show: the current row's, core::kNoRecord if none
    /// or if the current row was only set by a focus-in (what currentRecordChanged() last said).
    core::RecordId shownRecordId() const;
    QSize minimumSizeHint() const override;
    /// Sizes the visible id columns to their content (within kMaxIdColumnChars).
    void fitIdColumns();

    /// Copies the selected rows (visible columns, as displayed, with a header line).
    void copySelection(CopyFormat format);
    /// "Copy" action (Ctrl+C while the table has focus).
    QAction* copyAction() const { return m_copyAction; }

    /// Menus built on demand (exec'd by the context menu events; tests trigger their actions).
    QMenu* createCellMenu(const QModelIndex& index);
    QMenu* createHeaderMenu(int section);

Q_SIGNALS:
    /// The record to show changed (shownRecordId() as its qint64 flows.id); -1: none, e.g. the
    /// filter hid it.
    void currentRecordChanged(qint64 id);
    void statusMessage(const QString& message);

protected:
    void contextMenuEvent(QContextMenuEvent* event) override;
    void focusInEvent(QFocusEvent* event) override;

private:
    void onRowCountKnown();
    void reapplyLayout();
    void setFilterFromCell(const QString& expression);
    void updateShownRecord();

    Session* m_session;
    RecordModel* m_model;
    QAction* m_copyAction;
    ColumnLayout m_layout;    ///< what the user chose; re-applied when the columns change
    bool m_autoLayout = true; ///< no layout chosen yet: pick a preset from the first data
    int m_lastColumnCount = -1;
    core::RecordId m_reselect = core::kNoRecord; ///< record to select again once a new view's order is known
    core::RecordId m_shown = core::kNoRecord;    ///< what currentRecordChanged() last said
    bool m_fitIdColumns = false;                 ///< names changed: fit the id columns once rows are shown
    bool m_autoCurrent = false;                  ///< the current row was set by a focus-in, not by the user
    bool m_inFocusIn = false;
};

} // namespace ui
