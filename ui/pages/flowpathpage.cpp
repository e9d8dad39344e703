#include "ui/pages/flowpathpage.h"

#include "ui/logic/jobtracker.h"
#include "ui/logic/session.h"
#include "ui/table/recordmodel.h"

#include <QEvent>
#include <QFileInfo>
#include <QHelpEvent>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollArea>
#include <QToolTip>
#include <QVBoxLayout>

#include <functional>

namespace ui {

namespace {

// Geometry (pixels).
constexpr qreal kMargin = 16;
constexpr qreal kBoxW = 230;
constexpr qreal kNodeH = 76;
constexpr qreal kRecordH = 92;
constexpr qreal kGap = 72;    // between node boxes (arrows)
constexpr qreal kVGap = 14;   // node box -> record card
constexpr qreal kTitleH = 26; // leg title line
constexpr qreal kLegGap = 28; // between the flow and its reply
constexpr qreal kRadius = 6;

const QColor kAlert(198, 40, 40);
const QColor kAccept(46, 125, 50);
const QColor kTgw(140, 79, 255); // the AWS Transit Gateway icon's purple

QString count(qint64 n)
{
    return QLocale().toString(n);
}

} // namespace

/// Paints the boxes and arrows of a path; hit-tests clicks on record boxes.
class FlowPathCanvas : public QWidget {
public:
    explicit FlowPathCanvas(QWidget* parent) : QWidget(parent)
    {
        setMouseTracking(true);
        setObjectName(QStringLiteral("flowPathCanvas"));
    }

    struct Leg {
        QString title;
        QRectF titleRect;
        bool transitGateway = true;
        bool endsAtTgw = false;
        std::vector<int> chain; ///< node boxes left to right
        QString note;           ///< "no reply record loaded…" (no boxes)
    };

    std::vector<FlowPathBox> boxes;
    std::vector<Leg> legs;
    std::function<void(qint64)> onRecordClicked;

    const FlowPathBox* boxAt(const QPointF& p) const
    {
        for (const auto& b : boxes)
            if (b.rect.contains(p)) return &b;
        return nullptr;
    }

protected:
    void paintEvent(QPaintEvent*) override;
    void mouseMoveEvent(QMouseEvent* e) override
    {
        const FlowPathBox* b = boxAt(e->position());
        setCursor(b && b->kind == FlowPathBox::Kind::Record ? Qt::PointingHandCursor : Qt::ArrowCursor);
    }
    void mousePressEvent(QMouseEvent* e) override
    {
        const FlowPathBox* b = e->button() == Qt::LeftButton ? boxAt(e->position()) : nullptr;
        if (b && b->kind == FlowPathBox::Kind::Record && b->recordId > 0 && onRecordClicked) {
            onRecordClicked(b->recordId);
            return;
        }
        QWidget::mousePressEvent(e);
    }
    bool event(QEvent* e) override
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

private:
    void drawBox(QPainter& p, const FlowPathBox& b) const;
    void drawArrow(QPainter& p, QPointF from, QPointF to, bool broken, bool withHead) const;
};

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
    auto line = [&](const QString& s, const QFont& f, const QColor& c, Qt::TextElideMode elide) {
        p.setFont(f);
        p.setPen(c);
        const QFontMetricsF fm(f);
        if (y + fm.height() > text.bottom() + 2) return;
        p.drawText(QRectF(text.left(), y, text.width(), fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                   fm.elidedText(s, elide, text.width()));
        y += fm.height() + 1;
    };
    const QColor muted = pal.color(QPalette::PlaceholderText);
    if (!b.caption.isEmpty())
        line(b.caption, small, b.alert || b.kind == FlowPathBox::Kind::Drop ? kAlert : muted, Qt::ElideRight);
    for (int i = 0; i < b.lines.size(); ++i) {
        QColor c = pal.color(QPalette::Text);
        if (b.kind == FlowPathBox::Kind::Drop) c = dark ? QColor(255, 160, 160) : kAlert;
        if (i > 0 && b.kind != FlowPathBox::Kind::Drop) c = i == 1 ? pal.color(QPalette::Text) : muted;
        if (i == 0 && b.alert && b.kind == FlowPathBox::Kind::Record) c = dark ? QColor(255, 160, 160) : kAlert;
        // Ids and file names keep both ends readable; descriptions keep their start.
        const bool idLike = !b.lines[i].contains(QLatin1Char(' '));
        line(b.lines[i], i == 0 ? bold : font(), c, idLike ? Qt::ElideMiddle : Qt::ElideRight);
    }
    p.restore();
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

// ---------------------------------------------------------------------------------------

namespace {

QString nodeCaption(core::PathNode::Kind k, bool entry)
{
    switch (k) {
    case core::PathNode::Kind::Attachment:
        return entry ? FlowPathPage::tr("ENTRY ATTACHMENT") : FlowPathPage::tr("EXIT ATTACHMENT");
    case core::PathNode::Kind::TransitGateway:
        return FlowPathPage::tr("TRANSIT GATEWAY");
    case core::PathNode::Kind::Interface:
        return FlowPathPage::tr("NETWORK INTERFACE");
    case core::PathNode::Kind::Subnet:
        return FlowPathPage::tr("SUBNET");
    case core::PathNode::Kind::Vpc:
        return FlowPathPage::tr("VPC");
    }
    return {};
}

FlowPathBox nodeBox(const core::PathNode& n, QRectF rect, bool entry)
{
    FlowPathBox b;
    b.kind = FlowPathBox::Kind::Node;
    b.rect = rect;
    b.caption = nodeCaption(n.kind, entry);
    if (n.id.isEmpty() && n.name.isEmpty()) {
        b.lines << FlowPathPage::tr("unknown") << FlowPathPage::tr("not in the record");
    } else if (n.name.isEmpty()) {
        b.lines << n.id;
    } else {
        b.lines << n.name << n.id;
    }
    if (!n.detail.isEmpty()) b.lines << n.detail;
    b.toolTip = QStringList{n.label(), n.detail}.join(QLatin1Char('\n')).trimmed();
    return b;
}

QString timeSpan(const Session* s, const core::PathRecord& r)
{
    if (!r.start) return FlowPathPage::tr("no time");
    QString t = s->formatTime(*r.start);
    if (r.end) t += FlowPathPage::tr(" · %1 s").arg(*r.end - *r.start);
    return t;
}

FlowPathBox recordBox(const Session* s, const core::PathRecord& r, const QString& role, QRectF rect, qint64 current)
{
    FlowPathBox b;
    b.kind = FlowPathBox::Kind::Record;
    b.rect = rect;
    b.recordId = r.id;
    b.current = r.id == current;
    b.caption =
        FlowPathPage::tr("%1 RECORD #%2%3").arg(role).arg(r.id).arg(b.current ? FlowPathPage::tr(" · SELECTED") : QString());
    QString counters;
    if (r.packets || r.bytes) {
        counters = (r.packets && *r.packets == 1 ? FlowPathPage::tr("%1 packet · %2") : FlowPathPage::tr("%1 packets · %2"))
                       .arg(r.packets ? count(*r.packets) : QStringLiteral("–"),
                            r.bytes ? RecordModel::humanBytes(*r.bytes) : QStringLiteral("–"));
    } else {
        counters = r.logStatus.isEmpty() ? FlowPathPage::tr("no counters") : r.logStatus;
    }
    if (!r.action.isEmpty()) {
        counters = r.action + QStringLiteral(" · ") + counters;
        b.alert = r.action == QLatin1String("REJECT");
    }
    if (r.lostTotal() > 0) {
        counters += FlowPathPage::tr(" · %1 lost").arg(count(r.lostTotal()));
        b.alert = true;
    }
    b.lines << counters << timeSpan(s, r);
    const QString where = QStringLiteral("%1:%2").arg(QFileInfo(r.file).fileName()).arg(r.line);
    b.lines << where;
    b.toolTip = FlowPathPage::tr("Record %1 (%2)\n%3:%4\nClick to select it in the table.")
                    .arg(r.id)
                    .arg(r.direction.isEmpty() ? FlowPathPage::tr("no direction") : r.direction, r.file)
                    .arg(r.line);
    return b;
}

/// One sentence for the status line: where the flow went and whether a reply is loaded.
QString describe(const core::FlowPath& p)
{
    const core::FlowLeg& f = p.flow;
    QString s;
    if (!f.transitGateway) {
        s = FlowPathPage::tr("Record %1: logged at %2%3.")
                .arg(p.recordId)
                .arg(f.eni.label(), f.action.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(f.action));
    } else if (f.endsAtTgw) {
        s = FlowPathPage::tr("Record %1: entered the TGW at %2 and was dropped there.").arg(p.recordId).arg(f.entry.label());
    } else {
        s = FlowPathPage::tr("Record %1: entered the TGW at %2, left at %3.")
                .arg(p.recordId)
                .arg(f.entry.label(), f.exit.label());
        if (!f.ingress || !f.egress) s += FlowPathPage::tr(" Logged at one side only.");
    }
    s += p.reply ? FlowPathPage::tr(" Reply found.") : FlowPathPage::tr(" No reply loaded.");
    return s;
}

FlowPathBox missingBox(const QString& role, const QString& why, QRectF rect)
{
    FlowPathBox b;
    b.kind = FlowPathBox::Kind::MissingRecord;
    b.rect = rect;
    b.caption = FlowPathPage::tr("NO %1 RECORD").arg(role);
    b.lines << FlowPathPage::tr("not loaded") << why;
    b.toolTip = FlowPathPage::tr("No %1 record of this flow is loaded: %2.").arg(role.toLower(), why);
    return b;
}

} // namespace

// ---------------------------------------------------------------------------------------

FlowPathPage::FlowPathPage(Session* session, QWidget* parent)
    : QWidget(parent), m_session(session), m_job(new JobTracker(this)), m_status(new QLabel(this)),
      m_scroll(new QScrollArea(this)), m_canvas(new FlowPathCanvas(this))
{
    setObjectName(QStringLiteral("flowPathPage"));
    m_status->setObjectName(QStringLiteral("flowPathStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_scroll->setWidget(m_canvas);
    m_scroll->setWidgetResizable(false);
    m_scroll->setFrameShape(QFrame::NoFrame);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_status);
    layout->addWidget(m_scroll, 1);
    m_canvas->onRecordClicked = [this](qint64 id) { Q_EMIT recordRequested(id); };

    connect(m_session, &Session::currentRecordChanged, this, &FlowPathPage::showRecord);
    connect(m_session, &Session::storeChanged, this, &FlowPathPage::retrace);
    connect(m_session, &Session::namesChanged, this, &FlowPathPage::retrace);
    connect(m_session, &Session::timeDisplayChanged, this, &FlowPathPage::rebuild);
    showRecord(m_session->currentRecord());
}

FlowPathPage::~FlowPathPage() = default;

const std::vector<FlowPathBox>& FlowPathPage::boxes() const
{
    return m_canvas->boxes;
}
QWidget* FlowPathPage::canvas() const
{
    return m_canvas;
}
QString FlowPathPage::statusText() const
{
    return m_status->text();
}

void FlowPathPage::showRecord(qint64 id)
{
    m_id = id < 0 ? -1 : id;
    retrace();
}

void FlowPathPage::retrace()
{
    if (m_id < 0) {
        m_job->cancelAll();
        m_path.reset();
        m_status->setText(tr("Select a record to follow its flow across the Transit Gateway (or through its network "
                             "interface), with the reply."));
        rebuild();
        Q_EMIT pathShown(-1);
        return;
    }
    const qint64 id = m_id;
    m_status->setText(tr("Following record %1…").arg(id));
    auto store = m_session->store();
    auto names = std::make_shared<core::NameDirectory>(m_session->names());
    m_job->run(
        [store, names, id](const std::atomic<bool>*) -> core::Result<core::FlowPath> {
            if (!store) return core::Error{{}, 0, 0, QStringLiteral("nothing is loaded")};
            return core::traceFlow(*store, id, names->isEmpty() ? nullptr : names.get());
        },
        [this, id](const core::Result<core::FlowPath>& r) {
            if (!r.ok()) {
                m_path.reset();
                m_status->setText(tr("Cannot follow record %1: %2").arg(id).arg(r.error().message));
            } else {
                m_path = r.value();
                m_status->setText(describe(*m_path));
            }
            rebuild();
            Q_EMIT pathShown(id);
        });
}

void FlowPathPage::rebuild()
{
    FlowPathCanvas& c = *m_canvas;
    c.boxes.clear();
    c.legs.clear();
    qreal y = kMargin;
    const qreal width = kMargin * 2 + kBoxW * 3 + kGap * 2;
    if (m_path) {
        auto addLeg = [&](const core::FlowLeg& leg, const QString& title) {
            FlowPathCanvas::Leg l;
            l.title = title;
            l.titleRect = QRectF(kMargin, y, width - 2 * kMargin, kTitleH);
            l.transitGateway = leg.transitGateway;
            l.endsAtTgw = leg.endsAtTgw;
            y += kTitleH + 6;
            const qreal x0 = kMargin, x1 = kMargin + kBoxW + kGap, x2 = kMargin + 2 * (kBoxW + kGap);
            auto rect = [&](qreal x, qreal top, qreal h) { return QRectF(x, top, kBoxW, h); };
            const qreal recordTop = y + kNodeH + kVGap;
            qreal bottom = y + kNodeH;
            if (leg.transitGateway) {
                l.chain.push_back(static_cast<int>(c.boxes.size()));
                c.boxes.push_back(nodeBox(leg.entry, rect(x0, y, kNodeH), true));
                l.chain.push_back(static_cast<int>(c.boxes.size()));
                c.boxes.push_back(nodeBox(leg.tgw, rect(x1, y, kNodeH), false));
                l.chain.push_back(static_cast<int>(c.boxes.size()));
                FlowPathBox exit = nodeBox(leg.exit, rect(x2, y, kNodeH), false);
                if (leg.endsAtTgw) {
                    exit.dimmed = true;
                    exit.caption = tr("EXIT ATTACHMENT · NOT REACHED");
                }
                c.boxes.push_back(exit);
                if (leg.ingress)
                    c.boxes.push_back(recordBox(m_session, *leg.ingress, tr("INGRESS"), rect(x0, recordTop, kRecordH), m_id));
                else
                    c.boxes.push_back(missingBox(tr("INGRESS"), tr("the entry attachment's log"), rect(x0, recordTop, kRecordH)));
                if (leg.egress)
                    c.boxes.push_back(recordBox(m_session, *leg.egress, tr("EGRESS"), rect(x2, recordTop, kRecordH), m_id));
                else if (!leg.endsAtTgw)
                    c.boxes.push_back(missingBox(tr("EGRESS"), tr("the exit attachment's log"), rect(x2, recordTop, kRecordH)));
                bottom = recordTop + kRecordH;
                if (!leg.drops.empty()) {
                    FlowPathBox d;
                    d.kind = FlowPathBox::Kind::Drop;
                    d.caption = leg.endsAtTgw ? tr("DROPPED AT THE TGW · PATH ENDS") : tr("PARTLY DROPPED AT THE TGW");
                    QStringList tips;
                    for (const core::PathDrop& drop : leg.drops) {
                        d.lines << tr("%1: %2 packets").arg(core::dropReasonLabel(drop.reason), count(drop.packets));
                        tips << core::dropReasonLabel(drop.reason) + QStringLiteral(": ") + core::tgwDropMeaning(drop.reason);
                    }
                    d.toolTip = tips.join(QLatin1Char('\n'));
                    d.rect = rect(x1, recordTop, std::max<qreal>(kRecordH * 0.6, 30 + 20.0 * static_cast<qreal>(d.lines.size())));
                    c.boxes.push_back(d);
                }
            } else {
                l.chain.push_back(static_cast<int>(c.boxes.size()));
                c.boxes.push_back(nodeBox(leg.eni, rect(x0, y, kNodeH), false));
                l.chain.push_back(static_cast<int>(c.boxes.size()));
                c.boxes.push_back(nodeBox(leg.subnet, rect(x1, y, kNodeH), false));
                l.chain.push_back(static_cast<int>(c.boxes.size()));
                c.boxes.push_back(nodeBox(leg.vpc, rect(x2, y, kNodeH), false));
                if (leg.record) {
                    c.boxes.push_back(recordBox(m_session, *leg.record, tr("VPC"), rect(x0, recordTop, kRecordH), m_id));
                    bottom = recordTop + kRecordH;
                }
            }
            c.legs.push_back(l);
            y = bottom + kLegGap;
        };
        const core::FlowPath& p = *m_path;
        addLeg(p.flow, tr("Flow: %1").arg(p.flow.summary()));
        if (p.reply) {
            addLeg(*p.reply, tr("Reply: %1").arg(p.reply->summary()));
        } else {
            FlowPathCanvas::Leg l;
            l.title = tr("Reply");
            l.titleRect = QRectF(kMargin, y, width - 2 * kMargin, kTitleH);
            y += kTitleH + 6;
            FlowPathBox note;
            note.kind = FlowPathBox::Kind::Note;
            note.rect = QRectF(kMargin, y, width - 2 * kMargin, 40);
            note.lines << p.replyNote;
            note.toolTip = p.replyNote;
            c.boxes.push_back(note);
            c.legs.push_back(l);
            y += 40 + kMargin;
        }
    }
    c.setFixedSize(static_cast<int>(width), static_cast<int>(std::max(y, kMargin * 2)));
    c.update();
}

} // namespace ui
