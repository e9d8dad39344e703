#include "ui/graph/matrixdiff.h"

#include "ui/graph/matrixview.h"

#include <QFontMetricsF>
#include <algorithm>

namespace ui {

namespace {

/// The corner glyph of a look: ▲ / ▼ for a changed pair, none for new and gone.
QString glyphOf(const EdgeDecoration& d)
{
    return d.key.endsWith(QChar(0x25b2)) || d.key.endsWith(QChar(0x25bc)) ? d.key.right(1) : QString();
}

QPen framePen(const EdgeDecoration& d, double width)
{
    QPen pen(d.color, width);
    pen.setStyle(d.style);
    pen.setJoinStyle(Qt::MiterJoin);
    pen.setCapStyle(Qt::FlatCap);
    return pen;
}

} // namespace

double matrixDiffFrameWidth(double cw, double ch)
{
    const double side = std::min(cw, ch);
    return side < 6 ? 0.0 : std::clamp(side / 8, 2.0, 4.0);
}

void paintMatrixDiff(QPainter& p, const TrafficMatrix& mx, const EdgeDecorations& decorations, QPointF origin, double cw,
                     double ch, const GraphStyle& style)
{
    if (decorations.isEmpty()) return;
    QColor fade = style.background;
    fade.setAlphaF(0.65f);
    QHash<QString, int> rowOf, colOf;
    for (int r = 0; r < mx.rowCount(); ++r) rowOf.insert(mx.rows[r], r);
    for (int c = 0; c < mx.colCount(); ++c) colOf.insert(mx.cols[c], c);
    const double lw = matrixDiffFrameWidth(cw, ch);
    QFont glyphFont = p.font();
    glyphFont.setPointSizeF(std::max(6.0, p.font().pointSizeF() - 2));
    const QFontMetricsF gm(glyphFont);
    p.save();
    p.setBrush(Qt::NoBrush);
    for (auto it = decorations.constBegin(); it != decorations.constEnd(); ++it) {
        const auto r = rowOf.constFind(it.key().first), c = colOf.constFind(it.key().second);
        if (r == rowOf.constEnd() || c == colOf.constEnd()) continue;
        const QRectF cell(origin.x() + *c * cw, origin.y() + *r * ch, cw, ch);
        const EdgeDecoration& d = *it;
        if (lw == 0) { // too small for a frame: the cell in the look's colour
            p.fillRect(cell, d.color);
            continue;
        }
        if (d.style != Qt::SolidLine) { // gone: faded and hatched, so the baseline value reads as "not any more"
            p.fillRect(cell, fade);
            p.fillRect(cell, QBrush(d.color, Qt::BDiagPattern));
        }
        p.setPen(framePen(d, lw));
        p.drawRect(cell.adjusted(lw / 2, lw / 2, -lw / 2, -lw / 2));
        const QString glyph = glyphOf(d);
        if (!glyph.isEmpty() && cw >= gm.horizontalAdvance(glyph) * 2 + 2 * lw && ch >= gm.height() + 2 * lw) {
            p.setFont(glyphFont);
            p.setPen(d.color);
            p.drawText(cell.adjusted(lw + 1, lw, -lw - 1, -lw), Qt::AlignTop | Qt::AlignRight, glyph);
        }
    }
    p.restore();
}

void paintMatrixDiffKey(QPainter& p, const EdgeDecorations& decorations, QPointF at, const GraphStyle& style)
{
    if (decorations.isEmpty()) return;
    QHash<QString, EdgeDecoration> looks;
    for (const EdgeDecoration& d : decorations) looks.insert(d.key, d);
    const QFontMetricsF fm(p.font());
    p.save();
    p.setPen(style.mutedText);
    p.drawText(at, QObject::tr("compared:"));
    double x = at.x() + fm.horizontalAdvance(QObject::tr("compared:")) + 8;
    const double box = std::max(8.0, fm.ascent() - 2);
    for (const QString& key :
         {QStringLiteral("new"), QStringLiteral("gone"), QStringLiteral("grown \u25b2"), QStringLiteral("shrunk \u25bc")}) {
        const auto it = looks.constFind(key);
        if (it == looks.constEnd()) continue;
        const QRectF swatch(x, at.y() - box, box, box);
        if (it->style != Qt::SolidLine) p.fillRect(swatch, QBrush(it->color, Qt::BDiagPattern));
        p.setBrush(Qt::NoBrush);
        p.setPen(framePen(*it, 2));
        p.drawRect(swatch.adjusted(1, 1, -1, -1));
        p.setPen(style.mutedText);
        p.drawText(QPointF(x + box + 4, at.y()), key);
        x += box + 4 + fm.horizontalAdvance(key) + 12;
    }
    p.restore();
}

// The view's side of the comparison (its paint and legend call the functions above).

void MatrixView::setDecorations(EdgeDecorations decorations)
{
    m_decorations = std::move(decorations);
    update();
}

QString MatrixView::cellToolTip(const QString& src, const QString& dst) const
{
    const TrafficMatrix& mx = m_model->matrix();
    const auto r = mx.rows.indexOf(src), c = mx.cols.indexOf(dst);
    if (r < 0 || c < 0) return {};
    const QString text = m_model->cellToolTip(static_cast<int>(r), static_cast<int>(c));
    const auto it = m_decorations.constFind({src, dst});
    if (it == m_decorations.constEnd()) return text;
    return QStringLiteral("<p style='white-space:pre'>%1</p>%2").arg(text.toHtmlEscaped(), it->tooltip);
}

} // namespace ui
