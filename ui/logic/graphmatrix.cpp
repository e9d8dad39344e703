#include "ui/logic/graphmatrix.h"

#include "core/export/csv.h"
#include "ui/logic/graphformat.h"
#include "ui/logic/graphtop.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ui {

QString matrixMeasureName(MatrixMeasure measure)
{
    switch (measure) {
    case MatrixMeasure::Bytes:
        return QStringLiteral("bytes");
    case MatrixMeasure::Packets:
        return QStringLiteral("packets");
    case MatrixMeasure::Flows:
        return QStringLiteral("flows");
    case MatrixMeasure::Dropped:
        return QStringLiteral("dropped packets");
    case MatrixMeasure::DropShare:
        return QStringLiteral("drop share");
    }
    return {};
}

QString matrixOrderName(MatrixOrder order)
{
    switch (order) {
    case MatrixOrder::Total:
        return QStringLiteral("by total");
    case MatrixOrder::Name:
        return QStringLiteral("by name");
    case MatrixOrder::Cluster:
        return QStringLiteral("by similarity");
    }
    return {};
}

double matrixValue(const core::Edge& edge, MatrixMeasure measure)
{
    switch (measure) {
    case MatrixMeasure::Bytes:
        return static_cast<double>(edge.bytes);
    case MatrixMeasure::Packets:
        return static_cast<double>(edge.packets);
    case MatrixMeasure::Flows:
        return static_cast<double>(edge.flows);
    case MatrixMeasure::Dropped:
        return static_cast<double>(edge.dropped());
    case MatrixMeasure::DropShare:
        return dropShare(edge);
    }
    return 0;
}

QString formatMatrixValue(double value, MatrixMeasure measure)
{
    switch (measure) {
    case MatrixMeasure::Bytes:
        return formatBytes(static_cast<qint64>(std::llround(value)));
    case MatrixMeasure::Packets:
    case MatrixMeasure::Flows:
    case MatrixMeasure::Dropped:
        return formatInteger(static_cast<qint64>(std::llround(value)));
    case MatrixMeasure::DropShare:
        return formatShare(value);
    }
    return {};
}

double matrixIntensity(double value, double maxValue, MatrixMeasure measure)
{
    if (!(value > 0)) return 0.0;
    if (measure == MatrixMeasure::DropShare) return std::clamp(std::pow(std::min(value, 1.0), 0.4), 0.0, 1.0);
    if (!(maxValue > 0)) return 1.0;
    return std::clamp(std::log1p(value) / std::log1p(maxValue), 0.0, 1.0);
}

const core::Edge* TrafficMatrix::edge(int row, int col) const
{
    if (row < 0 || col < 0 || row >= rowCount() || col >= colCount()) return nullptr;
    const int i = cells[static_cast<size_t>(row) * static_cast<size_t>(colCount()) + static_cast<size_t>(col)];
    return i < 0 ? nullptr : &edges[static_cast<size_t>(i)];
}

double TrafficMatrix::value(int row, int col) const
{
    const core::Edge* e = edge(row, col);
    return e ? matrixValue(*e, measure) : 0.0;
}

std::vector<int> clusterOrder(const std::vector<float>& features, int n, int m)
{
    std::vector<int> order;
    if (n <= 0) return order;
    const auto un = static_cast<size_t>(n), um = static_cast<size_t>(m);
    // Unit vectors, so a similarity is one dot product (float: it vectorises).
    std::vector<float> unit(features.begin(), features.begin() + static_cast<std::ptrdiff_t>(un * um));
    std::vector<double> total(un, 0.0);
    for (size_t i = 0; i < un; ++i) {
        double norm = 0;
        for (size_t k = 0; k < um; ++k) {
            const double v = unit[i * um + k];
            norm += v * v;
            total[i] += v;
        }
        norm = std::sqrt(norm);
        if (norm > 0)
            for (size_t k = 0; k < um; ++k) unit[i * um + k] = static_cast<float>(unit[i * um + k] / norm);
    }
    std::vector<char> placed(un, 0);
    size_t current = static_cast<size_t>(std::max_element(total.begin(), total.end()) - total.begin());
    order.push_back(static_cast<int>(current));
    placed[current] = 1;
    for (size_t step = 1; step < un; ++step) {
        float best = -1;
        size_t bestIndex = 0;
        const float* a = &unit[current * um];
        for (size_t j = 0; j < un; ++j) {
            if (placed[j]) continue;
            const float* b = &unit[j * um];
            float dot = 0;
            for (size_t k = 0; k < um; ++k) dot += a[k] * b[k];
            if (dot > best) {
                best = dot;
                bestIndex = j;
            }
        }
        current = bestIndex;
        placed[current] = 1;
        order.push_back(static_cast<int>(current));
    }
    return order;
}

TrafficMatrix buildMatrix(std::vector<core::Edge> edges, MatrixMeasure measure, MatrixOrder order,
                          const QHash<QString, QString>& labels)
{
    TrafficMatrix mx;
    mx.measure = measure;
    mx.edges = std::move(edges);
    QHash<QString, int> rowOf, colOf;
    QStringList rows, cols;
    for (const auto& e : mx.edges) {
        if (!rowOf.contains(e.src)) {
            rowOf.insert(e.src, static_cast<int>(rows.size()));
            rows << e.src;
        }
        if (!colOf.contains(e.dst)) {
            colOf.insert(e.dst, static_cast<int>(cols.size()));
            cols << e.dst;
        }
    }
    const auto nr = static_cast<size_t>(rows.size()), nc = static_cast<size_t>(cols.size());
    // Totals in the measure (drop share: of the summed drops and packets).
    std::vector<double> rowSum(nr, 0), colSum(nc, 0), rowDrop(nr, 0), colDrop(nc, 0), rowPk(nr, 0), colPk(nc, 0);
    for (const auto& e : mx.edges) {
        const auto r = static_cast<size_t>(rowOf.value(e.src)), c = static_cast<size_t>(colOf.value(e.dst));
        const double v = matrixValue(e, measure);
        rowSum[r] += v;
        colSum[c] += v;
        rowDrop[r] += static_cast<double>(e.dropped());
        colDrop[c] += static_cast<double>(e.dropped());
        rowPk[r] += static_cast<double>(e.packets);
        colPk[c] += static_cast<double>(e.packets);
        mx.maxValue = std::max(mx.maxValue, v);
    }
    if (measure == MatrixMeasure::DropShare) {
        for (size_t r = 0; r < nr; ++r) rowSum[r] = rowPk[r] > 0 ? rowDrop[r] / rowPk[r] : 0;
        for (size_t c = 0; c < nc; ++c) colSum[c] = colPk[c] > 0 ? colDrop[c] / colPk[c] : 0;
    }

    auto sortBy = [&](const QStringList& ids, const std::vector<double>& sums, bool rowsAxis) {
        std::vector<int> idx(static_cast<size_t>(ids.size()));
        std::iota(idx.begin(), idx.end(), 0);
        if (order == MatrixOrder::Name) {
            std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) {
                const QString la = labels.value(ids[a], ids[a]), lb = labels.value(ids[b], ids[b]);
                const int c = la.compare(lb, Qt::CaseInsensitive);
                return c != 0 ? c < 0 : ids[a] < ids[b];
            });
        } else if (order == MatrixOrder::Total) {
            std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) {
                const double x = sums[static_cast<size_t>(a)], y = sums[static_cast<size_t>(b)];
                return x != y ? x > y : ids[a] < ids[b];
            });
        } else {
            // Features: log(1 + value) against the other axis (in first-seen order).
            const size_t n = static_cast<size_t>(ids.size()), m = rowsAxis ? nc : nr;
            std::vector<float> f(n * m, 0.0f);
            for (const auto& e : mx.edges) {
                const auto r = static_cast<size_t>(rowOf.value(e.src)), c = static_cast<size_t>(colOf.value(e.dst));
                const float v = static_cast<float>(
                    std::log1p(matrixValue(e, measure) * (measure == MatrixMeasure::DropShare ? 1000.0 : 1.0)));
                if (rowsAxis) f[r * m + c] = v;
                else f[c * m + r] = v;
            }
            idx = clusterOrder(f, static_cast<int>(n), static_cast<int>(m));
        }
        return idx;
    };
    const auto rowOrder = sortBy(rows, rowSum, true);
    const auto colOrder = sortBy(cols, colSum, false);
    std::vector<int> rowPos(nr), colPos(nc);
    for (size_t i = 0; i < nr; ++i) {
        mx.rows << rows[rowOrder[i]];
        mx.rowTotal.push_back(rowSum[static_cast<size_t>(rowOrder[i])]);
        rowPos[static_cast<size_t>(rowOrder[i])] = static_cast<int>(i);
    }
    for (size_t i = 0; i < nc; ++i) {
        mx.cols << cols[colOrder[i]];
        mx.colTotal.push_back(colSum[static_cast<size_t>(colOrder[i])]);
        colPos[static_cast<size_t>(colOrder[i])] = static_cast<int>(i);
    }
    mx.cells.assign(nr * nc, -1);
    for (size_t i = 0; i < mx.edges.size(); ++i) {
        const auto& e = mx.edges[i];
        const auto r = static_cast<size_t>(rowPos[static_cast<size_t>(rowOf.value(e.src))]);
        const auto c = static_cast<size_t>(colPos[static_cast<size_t>(colOf.value(e.dst))]);
        mx.cells[r * nc + c] = static_cast<int>(i);
    }
    return mx;
}

void MatrixModel::setMatrix(TrafficMatrix matrix)
{
    beginResetModel();
    m_matrix = std::move(matrix);
    endResetModel();
}

void MatrixModel::setLabels(const QHash<QString, QString>& labels)
{
    m_labels = labels;
    if (m_matrix.rowCount() > 0) Q_EMIT headerDataChanged(Qt::Vertical, 0, m_matrix.rowCount() - 1);
    if (m_matrix.colCount() > 0) Q_EMIT headerDataChanged(Qt::Horizontal, 0, m_matrix.colCount() - 1);
}

QString MatrixModel::label(const QString& id) const
{
    if (id == QLatin1String("-")) return QStringLiteral("no exit");
    return m_labels.value(id, id);
}

QString MatrixModel::cellToolTip(int row, int col) const
{
    if (row < 0 || col < 0 || row >= m_matrix.rowCount() || col >= m_matrix.colCount()) return {};
    QString s = QStringLiteral("%1 \u2192 %2").arg(label(m_matrix.rows[row]), label(m_matrix.cols[col]));
    const core::Edge* e = m_matrix.edge(row, col);
    if (!e) return s + QStringLiteral("\nno traffic");
    s += QStringLiteral("\n%1 \u00b7 %2 packets \u00b7 %3 flows")
             .arg(formatBytes(e->bytes), formatInteger(e->packets), formatInteger(e->flows));
    if (e->dropped() > 0) s += QStringLiteral("\n%1 (%2 of packets)").arg(dropSummary(*e), formatShare(dropShare(*e)));
    return s + QStringLiteral("\nClick: filter on this pair; Shift/Ctrl+click: add");
}

int MatrixModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_matrix.rowCount();
}

int MatrixModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_matrix.colCount();
}

QVariant MatrixModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
    const core::Edge* e = m_matrix.edge(index.row(), index.column());
    switch (role) {
    case Qt::DisplayRole:
        return e ? formatMatrixValue(matrixValue(*e, m_matrix.measure), m_matrix.measure) : QString();
    case RawValueRole:
        return e ? matrixValue(*e, m_matrix.measure) : 0.0;
    case Qt::ToolTipRole:
        return cellToolTip(index.row(), index.column());
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    default:
        return {};
    }
}

QVariant MatrixModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    const QStringList& ids = orientation == Qt::Vertical ? m_matrix.rows : m_matrix.cols;
    if (section < 0 || section >= ids.size()) return {};
    switch (role) {
    case Qt::DisplayRole:
        return label(ids[section]);
    case IdRole:
        return ids[section];
    case Qt::ToolTipRole:
        return QStringLiteral("%1 %2 (%3 %4)")
            .arg(orientation == Qt::Vertical ? QStringLiteral("entry") : QStringLiteral("exit"), label(ids[section]),
                 formatMatrixValue(orientation == Qt::Vertical ? m_matrix.rowTotal[static_cast<size_t>(section)]
                                                               : m_matrix.colTotal[static_cast<size_t>(section)],
                                   m_matrix.measure),
                 matrixMeasureName(m_matrix.measure));
    default:
        return {};
    }
}

QByteArray MatrixModel::toCsv() const
{
    QStringList header{QStringLiteral("entry \\ exit")};
    header << m_matrix.cols;
    QByteArray out = core::csvRecord(header);
    for (int r = 0; r < m_matrix.rowCount(); ++r) {
        QStringList f{m_matrix.rows[r]};
        for (int c = 0; c < m_matrix.colCount(); ++c) {
            const core::Edge* e = m_matrix.edge(r, c);
            f << (e ? QString::number(matrixValue(*e, m_matrix.measure), 'g', 12) : QString());
        }
        out += core::csvRecord(f);
    }
    return out;
}

} // namespace ui
