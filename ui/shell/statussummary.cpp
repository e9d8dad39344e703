#include "ui/shell/statussummary.h"
#include "core/model/units.h"
#include "core/store/columns_rebuild.h"
#include "core/store/store_totals.h"

#include "ui/logic/jobtracker.h"
#include "ui/logic/session.h"

#include <QHBoxLayout>
#include <QLabel>

namespace ui {

namespace {

struct Totals {
    qint64 records = 0;
    qint64 rejected = 0;
    qint64 first = 0;
    qint64 last = 0;
    qint64 tgw = 0;
    qint64 vpc = 0;
    int files = 0;
};

QString spanText(qint64 seconds)
{
    if (seconds < 120) return StatusSummary::tr("%1 s").arg(seconds);
    if (seconds < 7200) return StatusSummary::tr("%1 min").arg(seconds / 60);
    if (seconds < 172800) return StatusSummary::tr("%1 h %2 min").arg(seconds / 3600).arg(seconds % 3600 / 60);
    return StatusSummary::tr("%1 days").arg(seconds / 86400);
}

} // namespace

StatusSummary::StatusSummary(Session* session, QWidget* parent)
    : QWidget(parent), m_session(session), m_job(new JobTracker(this)), m_recordsLabel(new QLabel(this)),
      m_rejectedLabel(new QLabel(this)), m_spanLabel(new QLabel(this)), m_filesLabel(new QLabel(this))
{
    setObjectName(QStringLiteral("statusSummary"));
    m_rejectedLabel->setObjectName(QStringLiteral("rejectedLabel"));
    m_rejectedLabel->setTextFormat(Qt::RichText);
    m_rejectedLabel->setToolTip(tr("Lines that could not be read as records. Click for the load report."));
    connect(m_rejectedLabel, &QLabel::linkActivated, this, &StatusSummary::rejectsClicked);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(14);
    for (QLabel* l : {m_recordsLabel, m_rejectedLabel, m_spanLabel, m_filesLabel}) layout->addWidget(l);
    connect(m_session, &Session::storeChanged, this, &StatusSummary::refresh);
    connect(m_session, &Session::timeDisplayChanged, this, &StatusSummary::showTimes);
    refresh();
}

void StatusSummary::refresh()
{
    auto store = m_session->store();
    if (!store) return;
    m_job->run(
        [store](const std::atomic<bool>* cancel) {
            Totals t;
            // A session just opened: its one full scan waits for the typed columns' rebuild
            // rather than compete with it and the record table for the connection.
            if (!core::awaitColumns(*store, cancel)) return t;
            for (const auto& f : store->files()) {
                t.rejected += f.rejected;
                ++t.files;
            }
            // From the typed columns in one pass when they hold every record (a session of
            // format 4 has them at once): the SQL scan would hold the connection for seconds.
            const core::StoreTotals totals = core::storeTotals(*store, cancel);
            t.records = totals.records;
            t.first = totals.first;
            t.last = totals.last;
            t.tgw = totals.tgw;
            t.vpc = totals.vpc;
            return t;
        },
        [this](const Totals& t) {
            m_records = t.records;
            m_rejected = t.rejected;
            m_first = t.first;
            m_last = t.last;
            m_tgw = t.tgw;
            m_vpc = t.vpc;
            m_recordsLabel->setText(tr("%1 records").arg(core::formatInteger(t.records)));
            if (t.rejected > 0) {
                // Rejected lines are a problem: a warning colour, unlike the plain "0 rejected".
                const bool dark = palette().color(QPalette::Window).lightness() < 128;
                m_rejectedLabel->setText(tr("<a href=\"report\" style=\"color:%2; font-weight:bold\">⚠ %1 rejected</a>")
                                             .arg(core::formatInteger(t.rejected), rejectedColor(dark).name()));
            } else m_rejectedLabel->setText(t.files > 0 ? tr("<a href=\"report\">0 rejected</a>") : QString());
            m_filesLabel->setText(t.files > 0 ? tr("%n file(s)", nullptr, t.files) : tr("No files loaded"));
            showTimes();
            Q_EMIT updated(t.records);
        });
}

QColor StatusSummary::rejectedColor(bool dark)
{
    return dark ? QColor(255, 176, 64) : QColor(196, 86, 0);
}

void StatusSummary::showTimes()
{
    if (m_first <= 0 || m_last < m_first) {
        m_spanLabel->clear();
        m_spanLabel->hide();
        return;
    }
    m_spanLabel->setText(
        tr("%1 – %2 (%3)").arg(m_session->formatTime(m_first), m_session->formatTime(m_last), spanText(m_last - m_first)));
    m_spanLabel->show();
}

} // namespace ui
