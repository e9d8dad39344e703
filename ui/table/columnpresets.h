#pragma once
// Column layouts of the record table by SQL column name (not by section number, because the
// store's columns change with the extra fields of the loaded files): the presets of the
// column chooser, and applying/reading a layout on a QHeaderView.
#include <QHash>
#include <QString>
#include <QStringList>
#include <QVariant>

class QFontMetrics;
class QHeaderView;

namespace ui {

/// A layout: visible columns in display order, plus widths by column name (pixels).
struct ColumnLayout {
    QStringList visible;
    QHash<QString, int> widths;

    QVariant toVariant() const;
    static ColumnLayout fromVariant(const QVariant& v);
    bool isEmpty() const { return visible.isEmpty(); }
};

class ColumnPresets {
public:
    /// Preset names in menu order: "Essentials", "Transit Gateway", "VPC", "All".
    static QStringList names();
    /// Columns of a preset that exist in `available` (store columns), in preset order.
    /// "All" gives every available column except the bookkeeping ones (id, file_id, twin_id).
    static QStringList columns(const QString& preset, const QStringList& available);
    /// Section groups for the column chooser: a group title for a column name.
    static QString group(const QString& column);

    /// A width that fits typical values of `column` and its header title (pixels).
    static int defaultWidth(const QString& column, const QString& title, const QFontMetrics& metrics);

    /// Shows exactly `layout.visible` in that order (unknown names ignored), hides the rest,
    /// applies widths. Section names come from RecordModel::ColumnNameRole.
    static void apply(QHeaderView* header, const ColumnLayout& layout);
    /// The visible columns of `header` in visual order, with their widths.
    static ColumnLayout read(const QHeaderView* header);
};

} // namespace ui
