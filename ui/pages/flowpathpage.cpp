#include "ui/pages/flowpathpage.h"

#include "core/model/units.h"
#include "ui/logic/jobtracker.h"
#include "ui/logic/session.h"

#include <QFileInfo>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

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

QString count(qint64 n)
{
    return core::formatInteger(n);
}

} // namespace

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
                            r.bytes ? core::formatBytes(*r.bytes) : QStringLiteral("–"));
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

/// For a NODATA/SKIPDATA record (no traffic fields): what it says, in place of a path; "" for
/// a record that carries traffic.
QString noTrafficText(const core::FlowPath& p)
{
    const core::FlowLeg& f = p.flow;
    const core::PathRecord* r = nullptr;
    for (const auto* candidate : {&f.ingress, &f.egress, &f.record})
        if (candidate->has_value() && (*candidate)->id == p.recordId) r = &**candidate;
    if (!r || r->logStatus.isEmpty() || r->logStatus == QLatin1String("OK")) return {};
    const QString where = f.transitGateway ? f.entry.label() : f.eni.label();
    const QString at = where.trimmed().isEmpty() ? QString() : FlowPathPage::tr(" at %1").arg(where);
    if (r->logStatus == QLatin1String("NODATA"))
        return FlowPathPage::tr("Record %1 is a NODATA record: no traffic was logged%2 in its interval, so there is no "
                                "flow to follow.")
            .arg(p.recordId)
            .arg(at);
    return FlowPathPage::tr("Record %1 is a %2 record: AWS skipped records%3 in its interval (capacity or an internal "
                            "error), so there is no flow to follow.")
        .arg(p.recordId)
        .arg(r->logStatus, at);
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
    // The dock does not wrap this page in a scroll area (the view scrolls): a long word in the
    // status must not set the dock's minimum width.
    m_status->setMinimumWidth(1);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_scroll->setWidget(m_canvas);
    m_scroll->setWidgetResizable(false);
    m_scroll->setFrameShape(QFrame::NoFrame);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_status);
    layout->addWidget(m_scroll, 1);
    m_canvas->onRecordClicked = [this](qint64 id) { Q_EMIT recordRequested(id); };

    connect(m_session, &Session::currentRecordChanged, this, [this](qint64 id) { showRecord(core::RecordId(id)); });
    connect(m_session, &Session::storeChanged, this, &FlowPathPage::retrace);
    connect(m_session, &Session::namesChanged, this, &FlowPathPage::retrace);
    connect(m_session, &Session::timeDisplayChanged, this, &FlowPathPage::rebuild);
    showRecord(core::RecordId(m_session->currentRecord()));
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

void FlowPathPage::showRecord(core::RecordId id)
{
    m_id = id.get() < 0 ? core::kNoRecord : id;
    retrace();
}

void FlowPathPage::retrace()
{
    if (m_id.get() < 0) {
        m_job->cancelAll();
        m_path.reset();
        m_status->setText(tr("Select a record to follow its flow across the Transit Gateway (or through its network "
                             "interface), with the reply."));
        rebuild();
        Q_EMIT pathShown(-1);
        return;
    }
    const qint64 id = m_id.get();
    m_status->setText(tr("Following record %1…").arg(id));
    auto store = m_session->store();
    auto names = std::make_shared<core::NameDirectory>(m_session->names());
    m_job->run(
        [store, names, id](const std::atomic<bool>* cancel) -> core::Result<core::FlowPath> {
            if (!store) return core::Error{{}, 0, 0, QStringLiteral("nothing is loaded")};
            return core::traceFlow(*store, core::RecordId(id), names->isEmpty() ? nullptr : names.get(), cancel);
        },
        [this, id](const core::Result<core::FlowPath>& r) {
            if (!r.ok()) {
                m_path.reset();
                m_status->setText(tr("Cannot follow record %1: %2").arg(id).arg(r.error().message));
            } else {
                m_path = r.value();
                const QString noTraffic = noTrafficText(*m_path);
                m_status->setText(noTraffic.isEmpty() ? describe(*m_path) : noTraffic);
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
    if (m_path && !noTrafficText(*m_path).isEmpty()) {
        // NODATA / SKIPDATA: nothing to draw but the one sentence of the status line.
    } else if (m_path) {
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
                    c.boxes.push_back(
                        recordBox(m_session, *leg.ingress, tr("INGRESS"), rect(x0, recordTop, kRecordH), m_id.get()));
                else
                    c.boxes.push_back(missingBox(tr("INGRESS"), tr("the entry attachment's log"), rect(x0, recordTop, kRecordH)));
                if (leg.egress)
                    c.boxes.push_back(recordBox(m_session, *leg.egress, tr("EGRESS"), rect(x2, recordTop, kRecordH), m_id.get()));
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
                    c.boxes.push_back(recordBox(m_session, *leg.record, tr("VPC"), rect(x0, recordTop, kRecordH), m_id.get()));
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
