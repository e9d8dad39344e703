#include "ui/io/memoryguard.h"
#include "core/model/units.h"

#include <QDateTime>
#include <QDateTimeEdit>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>
#include <QTimeZone>
#include <QVBoxLayout>

#include <algorithm>

namespace ui {

namespace {

constexpr double kHeadroom = 0.8; // proposals aim at 80 % of the available memory

QDateTime utc(qint64 seconds)
{
    return QDateTime::fromSecsSinceEpoch(seconds, QTimeZone::utc());
}

QString utcText(qint64 seconds)
{
    return utc(seconds).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

QDateTimeEdit* timeEdit(const QString& name, QWidget* parent)
{
    auto* e = new QDateTimeEdit(parent);
    e->setObjectName(name);
    e->setTimeSpec(Qt::UTC);
    e->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
    e->setCalendarPopup(true);
    return e;
}

} // namespace

MemoryGuardDialog::MemoryGuardDialog(const core::LoadEstimate& estimate, qsizetype fileCount, qint64 availableBytes,
                                     const core::LoadOptions& base, QWidget* parent)
    : QDialog(parent), m_estimate(estimate), m_available(availableBytes), m_base(base),
      m_from(timeEdit(QStringLiteral("fromEdit"), this)), m_to(timeEdit(QStringLiteral("toEdit"), this)),
      m_sample(new QSpinBox(this)), m_windowEstimate(new QLabel(this)), m_sampleEstimate(new QLabel(this)),
      m_windowButton(new QPushButton(tr("Load &Time Window"), this))
{
    setObjectName(QStringLiteral("memoryGuardDialog"));
    setWindowTitle(tr("Not enough memory"));
    const qint64 needed = estimate.total();

    auto* icon = new QLabel(this);
    const int iconSize = style()->pixelMetric(QStyle::PM_MessageBoxIconSize, nullptr, this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning, nullptr, this).pixmap(iconSize, iconSize));
    icon->setAlignment(Qt::AlignTop);
    auto* message = new QLabel(this);
    message->setObjectName(QStringLiteral("message"));
    message->setWordWrap(true);
    message->setTextFormat(Qt::PlainText);
    message->setText(core::memorySentence(fileCount, needed, availableBytes) + QLatin1Char('\n')
                     + tr("Loading everything could make the system run out of memory and end Flowlog Explorer. "
                          "Load a part instead:"));
    auto* head = new QHBoxLayout;
    head->addWidget(icon);
    head->addWidget(message, 1);

    // Time window.
    const auto [from, to] = proposeWindow(estimate, availableBytes, QDateTime::currentSecsSinceEpoch());
    m_from->setDateTime(utc(from));
    m_to->setDateTime(utc(to));
    qint64 first = 0, last = 0;
    int withTime = 0;
    for (const auto& t : estimate.fileTimes) {
        if (!t) continue;
        first = withTime == 0 ? *t : std::min(first, *t);
        last = withTime == 0 ? *t : std::max(last, *t);
        ++withTime;
    }
    auto* span = new QLabel(withTime > 0 ? tr("The file names cover %1 to %2 UTC.").arg(utcText(first), utcText(last))
                                         : tr("The file names carry no times; the window proposed is the last hour."),
                            this);
    span->setObjectName(QStringLiteral("spanLabel"));
    span->setWordWrap(true);
    auto* windowBox = new QGroupBox(tr("Load a time window"), this);
    auto* wl = new QGridLayout(windowBox);
    wl->addWidget(new QLabel(tr("Records starting from"), windowBox), 0, 0);
    wl->addWidget(m_from, 0, 1);
    wl->addWidget(new QLabel(tr("to before"), windowBox), 0, 2);
    wl->addWidget(m_to, 0, 3);
    wl->addWidget(span, 1, 0, 1, 4);
    m_windowEstimate->setObjectName(QStringLiteral("windowEstimate"));
    wl->addWidget(m_windowEstimate, 2, 0, 1, 3);
    m_windowButton->setObjectName(QStringLiteral("windowButton"));
    wl->addWidget(m_windowButton, 2, 3);

    // Sample.
    m_sample->setObjectName(QStringLiteral("sampleSpin"));
    m_sample->setRange(2, 1000000);
    m_sample->setValue(core::sampleRateToFit(needed, availableBytes));
    m_sample->setGroupSeparatorShown(true);
    auto* sampleBox = new QGroupBox(tr("Load a sample"), this);
    auto* sl = new QGridLayout(sampleBox);
    sl->addWidget(new QLabel(tr("Keep about 1 in"), sampleBox), 0, 0);
    sl->addWidget(m_sample, 0, 1);
    auto* sampleNote = new QLabel(tr("flows (both records of a TGW flow are kept together; the same files always "
                                     "give the same sample)"),
                                  sampleBox);
    sampleNote->setWordWrap(true);
    sl->addWidget(sampleNote, 0, 2, 1, 2);
    m_sampleEstimate->setObjectName(QStringLiteral("sampleEstimate"));
    sl->addWidget(m_sampleEstimate, 1, 0, 1, 3);
    auto* sampleButton = new QPushButton(tr("Load &Sample"), sampleBox);
    sampleButton->setObjectName(QStringLiteral("sampleButton"));
    sl->addWidget(sampleButton, 1, 3);
    sl->setColumnStretch(2, 1);

    auto* anyway = new QPushButton(tr("Load &Anyway"), this);
    anyway->setObjectName(QStringLiteral("anywayButton"));
    anyway->setToolTip(tr("Load everything: the system may run out of memory"));
    auto* cancel = new QPushButton(tr("Cancel"), this);
    cancel->setObjectName(QStringLiteral("cancelButton"));
    cancel->setDefault(true);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(anyway);
    buttons->addWidget(cancel);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(head);
    layout->addWidget(windowBox);
    layout->addWidget(sampleBox);
    layout->addLayout(buttons);

    connect(m_windowButton, &QPushButton::clicked, this, [this]() { choose(Choice::Window); });
    connect(sampleButton, &QPushButton::clicked, this, [this]() { choose(Choice::Sample); });
    connect(anyway, &QPushButton::clicked, this, [this]() { choose(Choice::Anyway); });
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
    connect(m_from, &QDateTimeEdit::dateTimeChanged, this, &MemoryGuardDialog::updateEstimates);
    connect(m_to, &QDateTimeEdit::dateTimeChanged, this, &MemoryGuardDialog::updateEstimates);
    connect(m_sample, &QSpinBox::valueChanged, this, &MemoryGuardDialog::updateEstimates);
    updateEstimates();
}

std::pair<qint64, qint64> MemoryGuardDialog::proposeWindow(const core::LoadEstimate& estimate, qint64 availableBytes, qint64 now)
{
    qint64 first = 0, last = 0;
    bool any = false;
    for (const auto& t : estimate.fileTimes) {
        if (!t) continue;
        first = any ? std::min(first, *t) : *t;
        last = any ? std::max(last, *t) : *t;
        any = true;
    }
    if (!any) {
        const qint64 end = now - now % 60 + 60;
        return {end - 3600, end};
    }
    // The latest part of the span that fits, in whole minutes: records of a file delivered at
    // T start before T, so the window ends one minute after the last file and starts where
    // the estimate drops under the headroom (at least five minutes).
    const qint64 to = last - last % 60 + 60;
    const qint64 budget = static_cast<qint64>(kHeadroom * static_cast<double>(availableBytes));
    qint64 width = std::max<qint64>(to - first, 300);
    core::LoadOptions o;
    for (int i = 0; i < 40 && width > 300; ++i) {
        o.windowFrom = to - width;
        o.windowTo = to;
        if (estimate.forOptions(o) <= budget) break;
        width = std::max<qint64>(300, width * 3 / 4);
    }
    width -= width % 60;
    return {to - std::max<qint64>(width, 300), to};
}

core::LoadOptions MemoryGuardDialog::windowOptions() const
{
    core::LoadOptions o = m_base;
    o.windowFrom = m_from->dateTime().toSecsSinceEpoch();
    o.windowTo = m_to->dateTime().toSecsSinceEpoch();
    return o;
}

core::LoadOptions MemoryGuardDialog::sampleOptions() const
{
    core::LoadOptions o = m_base;
    o.sampleEvery = m_sample->value();
    return o;
}

core::LoadOptions MemoryGuardDialog::options() const
{
    switch (m_choice) {
    case Choice::Window:
        return windowOptions();
    case Choice::Sample:
        return sampleOptions();
    case Choice::Anyway:
    case Choice::Cancel:
        break;
    }
    return m_base;
}

void MemoryGuardDialog::updateEstimates()
{
    auto describe = [this](qint64 bytes) {
        return bytes <= m_available ? tr("Needs about %1: fits.").arg(core::formatBytes(bytes))
                                    : tr("Needs about %1: still more than the %2 available.")
                                          .arg(core::formatBytes(bytes), core::formatBytes(std::max<qint64>(0, m_available)));
    };
    const bool validWindow = m_from->dateTime() < m_to->dateTime();
    m_windowButton->setEnabled(validWindow);
    const bool timed = std::any_of(m_estimate.fileTimes.cbegin(), m_estimate.fileTimes.cend(),
                                   [](const std::optional<qint64>& t) { return t.has_value(); });
    // Without times in the file names every file may hold records of the window: an upper bound.
    m_windowEstimate->setText(!validWindow ? tr("The window must start before it ends.")
                              : timed      ? describe(m_estimate.forOptions(windowOptions()))
                                           : tr("At most: %1").arg(describe(m_estimate.forOptions(windowOptions()))));
    m_sampleEstimate->setText(describe(m_estimate.forOptions(sampleOptions())));
}

void MemoryGuardDialog::choose(Choice c)
{
    m_choice = c;
    accept();
}

std::optional<core::LoadOptions> confirmLoad(QWidget* parent, const QStringList& files, const core::LoadOptions& options)
{
    const qint64 available = core::availableMemoryBytes();
    if (available < 0 || files.isEmpty()) return options;
    const core::LoadEstimate estimate = core::estimateLoad(files);
    if (estimate.forOptions(options) <= available) return options;
    MemoryGuardDialog dialog(estimate, files.size(), available, options, parent);
    if (dialog.exec() != QDialog::Accepted) return std::nullopt;
    return dialog.options();
}

QString loadLimitsSummary(const core::LoadReport& report)
{
    QStringList parts;
    if (report.outsideWindow > 0)
        parts << QObject::tr("%1 records outside the time window").arg(core::formatInteger(report.outsideWindow));
    if (report.sampledOut > 0)
        parts << QObject::tr("%1 records left out by the sample").arg(core::formatInteger(report.sampledOut));
    if (parts.isEmpty()) return {};
    return QObject::tr("%1 were not loaded.").arg(parts.join(QObject::tr(" and ")));
}

} // namespace ui
