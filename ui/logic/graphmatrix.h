#pragma once
// The attachment matrix: entry attachments as rows, exit attachments as columns, one cell per
// (src, dst) edge, for estates where a graph of hundreds of nodes is a hairball. Row and
// column orders (by total, by name, by clustering) and the colour scale are computed here;
// MatrixModel exposes the cells to item views and tests. Widget-free; any thread for
// buildMatrix, GUI thread for the model.
#include "core/analysis/aggregate.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QStringList>
#include <vector>

namespace ui {

/// What a cell's colour and number show.
enum class MatrixMeasure { Bytes, Packets, Flows, Dropped, DropShare };
QString matrixMeasureName(MatrixMeasure measure); ///< "bytes", ..., "dropped packets", "drop share"
/// The measure of one edge (drop share: dropped / packets, 0..1).
double matrixValue(const core::Edge& edge, MatrixMeasure measure);
/// The value as the tooltip and the cell text write it ("1.2 MB", "4,812", "4.2 %").
QString formatMatrixValue(double value, MatrixMeasure measure);
/// Colour intensity 0..1 of a cell: log(1 + value) / log(1 + maxValue) for counts (so 10x
/// apart stays visible at any magnitude), dropSeverity's share curve for drop share.
double matrixIntensity(double value, double maxValue, MatrixMeasure measure);

/// How rows and columns are ordered.
enum class MatrixOrder {
    Total,   ///< largest row / column total of the measure first
    Name,    ///< by label (or id), case-insensitive
    Cluster, ///< rows (columns) with similar traffic patterns next to each other
};
QString matrixOrderName(MatrixOrder order);

struct TrafficMatrix {
    MatrixMeasure measure = MatrixMeasure::Bytes;
    QStringList rows; ///< entry ids, display order
    QStringList cols; ///< exit ids, display order
    std::vector<core::Edge> edges;
    std::vector<int> cells;                 ///< rows x cols, row-major: index into edges, -1 for no traffic
    std::vector<double> rowTotal, colTotal; ///< of the measure, per display row / column
    double maxValue = 0;                    ///< largest cell value of the measure

    int rowCount() const { return static_cast<int>(rows.size()); }
    int colCount() const { return static_cast<int>(cols.size()); }
    /// The edge of a cell, nullptr when the pair has no traffic (or out of range).
    const core::Edge* edge(int row, int col) const;
    double value(int row, int col) const;
};

/// Builds the matrix of `edges` (each (src, dst) at most once, as computeEdges returns them).
/// `labels` (display names by id) are used for the Name order.
TrafficMatrix buildMatrix(std::vector<core::Edge> edges, MatrixMeasure measure, MatrixOrder order,
                          const QHash<QString, QString>& labels = {});

/// Order of `n` items whose feature vectors are the rows of the dense n x m `features`
/// (row-major): greedy chain from the item with the largest total, each step to the most
/// cosine-similar item not yet placed (ties: lower index). Deterministic.
std::vector<int> clusterOrder(const std::vector<float>& features, int n, int m);

/// The matrix for item views (and QAbstractItemModelTester): DisplayRole is the formatted
/// value, RawValueRole the number (0 for no traffic), ToolTipRole all measures of the pair;
/// headers show labels (or ids) and give the id in IdRole. GUI thread.
class MatrixModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role { RawValueRole = Qt::UserRole + 1, IdRole };
    using QAbstractTableModel::QAbstractTableModel;

    void setMatrix(TrafficMatrix matrix);
    const TrafficMatrix& matrix() const { return m_matrix; }
    void setLabels(const QHash<QString, QString>& labels);
    const QHash<QString, QString>& labels() const { return m_labels; }
    /// Label of an id: its display name, "no exit" for "-", else the id.
    QString label(const QString& id) const;
    /// Tooltip text of a cell (plain text, one measure per line).
    QString cellToolTip(int row, int col) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// The matrix as CSV: a header row "entry \ exit,<exit ids...>", then one row per entry
    /// attachment with the measure's raw values (empty where there is no traffic).
    QByteArray toCsv() const;

private:
    TrafficMatrix m_matrix;
    QHash<QString, QString> m_labels;
};

} // namespace ui
