#include "ui/pages/flowpathcanvas.h"

#include <QEvent>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

namespace ui {

namespace {

constexpr qreal kRadius = 6;

const QColor kAlert(198, 40, 40);
const QColor kTgw(140, 79, 255); // the AWS Transit Gateway icon's purple

} // namespace

void FlowPathCanvas::mouseMoveEvent(QMouseEvent* e)
{
    const FlowPathBox* b = boxAt(e->position());
    setCursor(b && b->kind == FlowPathBox::Kind::Record ? Qt::PointingHandCursor : Qt::ArrowCursor);
}

void FlowPathCanvas::mousePressEvent(QMouseEvent* e)
{
    const FlowPathBox* b = e->button() == Qt::LeftButton ? boxAt(e->position()) : nullptr;
    if (b && b->kind == FlowPathBox::Kind::Record && b->recordId > 0 && onRecordClicked) {
        onRecordClicked(b->recordId);
        return;
    }
    QWidget::mousePressEvent(e);
}

bool FlowPathCanvas::event(QEvent* e)
{
    if (e->type() == QEvent::ToolTip) {
        auto* h = static_cast<QHelpEvent*>(e);
        const FlowPathBox* b = boxAt(h->pos());
        if (b && !b->toolTip.isEmpty()) QToolTip::showText(h->globalPos(), b->toolTip, this, b->rect.toRect());
        else QToolTip::hideText();
        return true;
    }
    return QWidget::event(e);
}

void FlowPathCanvas::drawArrow(QPainter& p, QPointF from, QPointF to, bool broken, bool withHead) const
{
    const QColor c = broken ? kAlert : palette().color(QPalette::Text);
    QPen pen(c, 2);
    if (broken) pen.setStyle(Qt::DashLine);
    p.setPen(pen);
    p.drawLine(from, to - QPointF(withHead ? 6 : 0, 0));
    if (withHead && !broken) {
        QPainterPath head;
        head.moveTo(to);
        head.lineTo(to + QPointF(-10, -5));
        head.lineTo(to + QPointF(-10, 5));
        head.closeSubpath();
        p.fillPath(head, c);
    }
    if (broken) { // an X where the packets stopped
        const QPointF m = (from + to) / 2;
        p.setPen(QPen(kAlert, 3));
        p.drawLine(m + QPointF(-6, -6), m + QPointF(6, 6));
        p.drawLine(m + QPointF(-6, 6), m + QPointF(6, -6));
    }
}

void FlowPathCanvas::drawBox(QPainter& p, const FlowPathBox& b) const
{
    const QPalette pal = palette();
    const bool dark = pal.color(QPalette::Window).lightness() < 128;
    QColor fill = pal.color(QPalette::Base);
    QColor border = pal.color(QPalette::Mid);
    qreal width = 1;
    Qt::PenStyle style = Qt::SolidLine;
    QColor accent = border;
    switch (b.kind) {
    case FlowPathBox::Kind::Node:
        fill = pal.color(QPalette::AlternateBase);
        if (b.caption.contains(QLatin1String("TRANSIT GATEWAY"))) {
            accent = kTgw;
            fill = dark ? QColor(60, 40, 100) : QColor(243, 236, 255);
            border = kTgw;
        }
        break;
    case FlowPathBox::Kind::Record:
        accent = pal.color(QPalette::Highlight);
        if (b.current) {
            border = accent;
            width = 2.5;
        }
        break;
    case FlowPathBox::Kind::MissingRecord:
        style = Qt::DashLine;
        fill = pal.color(QPalette::Window);
        break;
    case FlowPathBox::Kind::Drop:
        fill = dark ? QColor(90, 30, 30) : QColor(255, 235, 235);
        border = kAlert;
        accent = kAlert;
        width = 1.5;
        break;
    case FlowPathBox::Kind::Note:
        fill = pal.color(QPalette::Window);
        break;
    }
    if (b.alert && b.kind != FlowPathBox::Kind::Drop) accent = kAlert;
    if (b.dimmed) style = Qt::DashLine;

    p.save();
    if (b.dimmed) p.setOpacity(0.55);
    QPen pen(border, width);
    pen.setStyle(style);
    p.setPen(pen);
    p.setBrush(fill);
    p.drawRoundedRect(b.rect.adjusted(0.5, 0.5, -0.5, -0.5), kRadius, kRadius);
    // A colour bar on the left says what the box is (TGW purple, record blue, drops red).
    if (b.kind != FlowPathBox::Kind::Note && b.kind != FlowPathBox::Kind::MissingRecord) {
        QPainterPath bar;
        bar.addRoundedRect(QRectF(b.rect.left() + 1, b.rect.top() + 1, 5, b.rect.height() - 2), 2, 2);
        p.fillPath(bar, accent);
    }

    const QRectF text = b.rect.adjusted(14, 8, -10, -6);
    QFont small = font();
    small.setPointSizeF(font().pointSizeF() * 0.8);
    small.setLetterSpacing(QFont::PercentageSpacing, 105);
    QFont bold = font();
    bold.setBold(true);
    qreal y = text.top();
    auto line = [&](const QString& shown, const QFont& f, const QColor& c) {
        p.setFont(f);
        p.setPen(c);
        const QFontMetricsF fm(f);
        if (y + fm.height() > text.bottom() + 2) return;
        p.drawText(QRectF(text.left(), y, text.width(), fm.height()), Qt::AlignLeft | Qt::AlignVCenter, shown);
        y += fm.height() + 1;
    };
    const QColor muted = pal.color(QPalette::PlaceholderText);
    if (!b.caption.isEmpty())
        line(QFontMetricsF(small).elidedText(b.caption, Qt::ElideRight, text.width()), small,
             b.alert || b.kind == FlowPathBox::Kind::Drop ? kAlert : muted);
    const QStringList shown = shownLines(b);
    for (int i = 0; i < shown.size(); ++i) {
        QColor c = pal.color(QPalette::Text);
        if (b.kind == FlowPathBox::Kind::Drop) c = dark ? QColor(255, 160, 160) : kAlert;
        if (i > 0 && b.kind != FlowPathBox::Kind::Drop) c = i == 1 ? pal.color(QPalette::Text) : muted;
        if (i == 0 && b.alert && b.kind == FlowPathBox::Kind::Record) c = dark ? QColor(255, 160, 160) : kAlert;
        line(shown[i], i == 0 ? bold : font(), c);
    }
    p.restore();
}

QStringList FlowPathCanvas::shownLines(const FlowPathBox& b) const
{
    const qreal width = b.rect.adjusted(14, 8, -10, -6).width();
    QFont bold = font();
    bold.setBold(true);
    QStringList out;
    for (int i = 0; i < b.lines.size(); ++i) {
        // Names with a shared prefix ("Transit Gateway attachment for VPC A" / "... VPC B") keep
        // their distinct end too (issue 12): node boxes elide in the middle; the tooltip has all.
        const bool idLike = !b.lines[i].contains(QLatin1Char(' '));
        const bool keepEnds = idLike || b.kind == FlowPathBox::Kind::Node;
        out << QFontMetricsF(i == 0 ? bold : font()).elidedText(b.lines[i], keepEnds ? Qt::ElideMiddle : Qt::ElideRight, width);
    }
    return out;
}

void FlowPathCanvas::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), palette().color(QPalette::Window));
    QFont titleFont = font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(font().pointSizeF() * 1.1);
    for (const Leg& leg : legs) {
        p.setFont(titleFont);
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(leg.titleRect, Qt::AlignLeft | Qt::AlignVCenter, leg.title);
        for (size_t i = 0; i + 1 < leg.chain.size(); ++i) {
            const QRectF a = boxes[static_cast<size_t>(leg.chain[i])].rect;
            const QRectF b = boxes[static_cast<size_t>(leg.chain[i + 1])].rect;
            const QPointF from(a.right() + 6, a.center().y());
            const QPointF to(b.left() - 6, b.center().y());
            const bool broken = leg.transitGateway && leg.endsAtTgw && i == 1;
            drawArrow(p, from, to, broken, leg.transitGateway);
            if (!leg.transitGateway) { // ENI in subnet in VPC
                QFont f = font();
                f.setItalic(true);
                p.setFont(f);
                p.setPen(palette().color(QPalette::PlaceholderText));
                p.drawText(QRectF(from.x(), from.y() - 22, to.x() - from.x(), 18), Qt::AlignCenter, tr("in"));
            }
        }
    }
    for (const FlowPathBox& b : boxes) drawBox(p, b);
}

} // namespace ui
