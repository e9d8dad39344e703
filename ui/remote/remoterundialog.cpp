#include "ui/remote/remoterundialog.h"

#include "core/model/units.h"
#include <QCoreApplication>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace ui {

using namespace core;

struct RemoteRunDialog::Outcome {
    bool ok = false;
    QString error;
    QString queryId;
    QByteArray data; ///< Athena CSV or Logs Insights JSON
};

namespace {

QString setting(const char* key, const QString& fallback = QString())
{
    return QSettings().value(QStringLiteral("remote/run/") + QLatin1String(key), fallback).toString();
}

QStringList splitList(const QString& s)
{
    return s.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
}

QString progressLine(const QString& state, qint64 scanned)
{
    return QObject::tr("%1 \u00b7 %2 scanned \u00b7 about $%3")
        .arg(state, core::formatBytes(scanned))
        .arg(athenaCostDollars(scanned), 0, 'f', 4);
}

} // namespace

RemoteRunDialog::RemoteRunDialog(Engine engine, const QString& query, RemoteView view, QWidget* parent)
    : QDialog(parent), m_engine(engine), m_query(query), m_view(view)
{
    const bool athena = engine == Engine::Athena;
    setObjectName(athena ? QStringLiteral("athenaRunDialog") : QStringLiteral("insightsRunDialog"));
    setWindowTitle(athena ? tr("Run on Athena") : tr("Run on CloudWatch Logs Insights"));
    auto* form = new QFormLayout;
    auto line = [&](const char* name, const QString& value, const QString& placeholder) {
        auto* e = new QLineEdit(value, this);
        e->setObjectName(QLatin1String(name));
        e->setPlaceholderText(placeholder);
        connect(e, &QLineEdit::textChanged, this, &RemoteRunDialog::updateCommand);
        return e;
    };
    if (athena) {
        m_outputLocation = line("outputLocation", setting("outputLocation"), QStringLiteral("s3://my-athena-results/flowlog/"));
        m_workgroup = line("workgroup", setting("workgroup"), tr("primary (the CLI's default)"));
        m_database = line("database", setting("database"), tr("default"));
        form->addRow(tr("Results to:"), m_outputLocation);
        form->addRow(tr("Work group:"), m_workgroup);
        form->addRow(tr("Database:"), m_database);
    } else {
        m_logGroups = line("logGroups", setting("logGroups"), QStringLiteral("/flowlogs/tgw, /flowlogs/vpc"));
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QDateTime end(now.date(), QTime(now.time().hour(), 0), Qt::UTC);
        m_start = new QDateTimeEdit(end.addDays(-1), this);
        m_end = new QDateTimeEdit(end.addSecs(3600), this);
        for (auto [e, name] : {std::pair<QDateTimeEdit*, const char*>{m_start, "startTime"}, {m_end, "endTime"}}) {
            e->setObjectName(QLatin1String(name));
            e->setTimeSpec(Qt::UTC);
            e->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
            e->setCalendarPopup(true);
            connect(e, &QDateTimeEdit::dateTimeChanged, this, [this]() {
                if (!m_settingRange) {
                    m_rangeEdited = true;
                    m_rangeOrigin->setText(tr("Time range: set by hand"));
                }
                updateCommand();
            });
        }
        m_rangeOrigin = new QLabel(tr("Time range: the last 24 hours"), this);
        m_rangeOrigin->setObjectName(QStringLiteral("rangeOrigin"));
        form->addRow(tr("Log groups:"), m_logGroups);
        form->addRow(tr("From:"), m_start);
        form->addRow(tr("To:"), m_end);
        form->addRow(QString(), m_rangeOrigin);
    }
    m_profile = line("profile", setting("profile"), tr("the CLI's default"));
    m_region = line("region", setting("region"), tr("the CLI's default"));
    m_timeout = new QSpinBox(this);
    m_timeout->setObjectName(QStringLiteral("timeout"));
    m_timeout->setRange(1, 24 * 3600);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setValue(QSettings().value(QStringLiteral("remote/run/timeout"), athena ? 1800 : 900).toInt());
    form->addRow(tr("AWS CLI profile:"), m_profile);
    form->addRow(tr("Region:"), m_region);
    form->addRow(tr("Give up after:"), m_timeout);

    m_command = new QPlainTextEdit(this);
    m_command->setObjectName(QStringLiteral("command"));
    m_command->setReadOnly(true);
    m_command->setMaximumHeight(110);
    m_command->setToolTip(tr("The exact command this runs; then it polls the query and fetches its results"));
    m_busy = new QProgressBar(this);
    m_busy->setRange(0, 0);
    m_busy->setMaximumHeight(10);
    m_busy->setTextVisible(false);
    m_busy->hide();
    m_progress = new QLabel(this);
    m_progress->setObjectName(QStringLiteral("progress"));
    m_errorLabel = new QLabel(this);
    m_errorLabel->setObjectName(QStringLiteral("error"));
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorLabel->setStyleSheet(QStringLiteral("color: #c62828"));

    auto* buttons = new QDialogButtonBox(this);
    m_runButton = buttons->addButton(tr("Run"), QDialogButtonBox::ActionRole);
    m_runButton->setObjectName(QStringLiteral("runButton"));
    m_runButton->setDefault(true);
    m_cancelButton = buttons->addButton(tr("Cancel Query"), QDialogButtonBox::ActionRole);
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
    m_cancelButton->setEnabled(false);
    QPushButton* close = buttons->addButton(QDialogButtonBox::Close);
    connect(m_runButton, &QPushButton::clicked, this, &RemoteRunDialog::run);
    connect(m_cancelButton, &QPushButton::clicked, this, &RemoteRunDialog::cancel);
    connect(close, &QPushButton::clicked, this, &RemoteRunDialog::reject);

    auto* box = new QVBoxLayout(this);
    box->addWidget(new QLabel(
        athena ? tr("Runs the %1 query with your AWS CLI's credentials (nothing is stored here).").arg(remoteViewName(view))
               : tr("Runs the %1 Logs Insights query with your AWS CLI's credentials (nothing is "
                    "stored here).")
                     .arg(remoteViewName(view)),
        this));
    box->addLayout(form);
    box->addWidget(new QLabel(tr("Command:"), this));
    box->addWidget(m_command);
    box->addWidget(m_busy);
    box->addWidget(m_progress);
    box->addWidget(m_errorLabel);
    box->addWidget(buttons);
    resize(640, 460);
    updateCommand();
}

RemoteRunDialog::~RemoteRunDialog()
{
    // A running query is stopped by its worker (stop-query-execution / stop-query); its result
    // is dropped with this dialog.
    if (m_cancel) m_cancel->store(true);
}

QString RemoteRunDialog::commandText() const
{
    return m_command->toPlainText();
}

QString RemoteRunDialog::progressText() const
{
    return m_progress->text();
}

QString RemoteRunDialog::errorText() const
{
    return m_error;
}

void RemoteRunDialog::setTimeRange(const InsightsTimeRange& range)
{
    if (m_engine != Engine::Insights || m_rangeEdited || m_running) return;
    m_settingRange = true;
    m_start->setDateTime(QDateTime::fromSecsSinceEpoch(range.start, Qt::UTC));
    m_end->setDateTime(QDateTime::fromSecsSinceEpoch(range.end, Qt::UTC));
    m_settingRange = false;
    m_rangeOrigin->setText(tr("Time range: %1").arg(range.origin));
}

QString RemoteRunDialog::timeRangeOrigin() const
{
    return m_rangeOrigin ? m_rangeOrigin->text().section(QStringLiteral(": "), 1, -1) : QString();
}

AthenaRunOptions RemoteRunDialog::athenaOptions() const
{
    AthenaRunOptions o;
    o.sql = m_query;
    o.outputLocation = m_outputLocation->text().trimmed();
    o.workgroup = m_workgroup->text().trimmed();
    o.database = m_database->text().trimmed();
    o.profile = m_profile->text().trimmed();
    o.region = m_region->text().trimmed();
    o.timeoutSeconds = m_timeout->value();
    o.pollMilliseconds = m_pollMs;
    return o;
}

InsightsRunOptions RemoteRunDialog::insightsOptions() const
{
    InsightsRunOptions o;
    o.query = m_query;
    o.logGroups = splitList(m_logGroups->text());
    o.startTime = m_start->dateTime().toSecsSinceEpoch();
    o.endTime = m_end->dateTime().toSecsSinceEpoch();
    o.profile = m_profile->text().trimmed();
    o.region = m_region->text().trimmed();
    o.timeoutSeconds = m_timeout->value();
    o.pollMilliseconds = m_pollMs;
    return o;
}

void RemoteRunDialog::updateCommand()
{
    if (!m_profile || !m_region || !m_timeout || !m_command) return; // still building the form
    if (m_engine == Engine::Athena) {
        const AthenaRunOptions o = athenaOptions();
        m_command->setPlainText(awsCommandLine(o.aws, athenaCliArguments(o, athenaStartCall(o))));
    } else {
        const InsightsRunOptions o = insightsOptions();
        m_command->setPlainText(awsCommandLine(o.aws, insightsCliArguments(o, insightsStartCall(o))));
    }
}

void RemoteRunDialog::saveSettings() const
{
    QSettings s;
    auto put = [&](const char* key, const QLineEdit* e) {
        if (e) s.setValue(QStringLiteral("remote/run/") + QLatin1String(key), e->text().trimmed());
    };
    put("outputLocation", m_outputLocation);
    put("workgroup", m_workgroup);
    put("database", m_database);
    put("logGroups", m_logGroups);
    put("profile", m_profile);
    put("region", m_region);
    s.setValue(QStringLiteral("remote/run/timeout"), m_timeout->value());
}

void RemoteRunDialog::fail(const QString& message)
{
    m_error = message;
    m_errorLabel->setText(message);
}

void RemoteRunDialog::setRunning(bool running)
{
    m_running = running;
    m_busy->setVisible(running);
    m_runButton->setEnabled(!running);
    m_cancelButton->setEnabled(running);
}

void RemoteRunDialog::run()
{
    if (m_running) return;
    fail(QString());
    m_progress->clear();
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    auto cancel = m_cancel;
    QPointer<RemoteRunDialog> self(this);
    auto progress = [self](const QString& state, qint64 scanned) {
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, state, scanned]() {
                if (self) self->onProgress(state, scanned);
            },
            Qt::QueuedConnection);
    };
    std::function<Outcome()> work;
    if (m_engine == Engine::Athena) {
        const AthenaRunOptions o = athenaOptions();
        if (o.outputLocation.isEmpty() && o.workgroup.isEmpty()) {
            fail(tr("Say where Athena writes the results (an s3:// location), or name a work group that sets one."));
            return;
        }
        if (!o.outputLocation.isEmpty() && !o.outputLocation.startsWith(QLatin1String("s3://"))) {
            fail(tr("The results location must start with s3:// (got '%1').").arg(o.outputLocation));
            return;
        }
        work = [o, progress, cancel]() {
            Outcome out;
            auto r = runAthenaQuery(o, progress, cancel.get());
            out.ok = r.ok();
            if (r) out.queryId = r->queryId, out.data = r->csv;
            else out.error = r.error().message;
            return out;
        };
    } else {
        const InsightsRunOptions o = insightsOptions();
        if (const QString why = insightsRunOptionsError(o); !why.isEmpty()) {
            fail(why.left(1).toUpper() + why.mid(1) + QLatin1Char('.'));
            return;
        }
        work = [o, progress, cancel]() {
            Outcome out;
            auto r = runInsightsQuery(o, progress, cancel.get());
            out.ok = r.ok();
            if (r) out.queryId = r->queryId, out.data = r->json;
            else out.error = r.error().message;
            return out;
        };
    }
    saveSettings();
    setRunning(true);
    m_progress->setText(tr("Starting…"));
    auto* watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher]() {
        watcher->deleteLater();
        onFinished(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(work));
}

void RemoteRunDialog::cancel()
{
    if (!m_running || !m_cancel) return;
    m_cancel->store(true);
    m_cancelButton->setEnabled(false);
    m_progress->setText(tr("Stopping the query…"));
}

void RemoteRunDialog::reject()
{
    cancel(); // closing the dialog stops the query
    QDialog::reject();
}

void RemoteRunDialog::onProgress(const QString& state, qint64 scannedBytes)
{
    if (m_running && !m_cancel->load()) m_progress->setText(progressLine(state, scannedBytes));
}

void RemoteRunDialog::onFinished(const Outcome& outcome)
{
    setRunning(false);
    if (!outcome.ok) {
        m_progress->clear();
        fail(outcome.error);
        Q_EMIT runFinished(false);
        return;
    }
    // Saved like a downloaded result, so it can be opened again (Remote > Open … Result).
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/query-results");
    QDir().mkpath(dir);
    const bool athena = m_engine == Engine::Athena;
    QString id = outcome.queryId;
    id.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_-]")), QStringLiteral("_"));
    const QString path = QStringLiteral("%1/%2-%3-%4.%5")
                             .arg(dir, athena ? QStringLiteral("athena") : QStringLiteral("insights"), remoteViewName(m_view),
                                  id.left(64), athena ? QStringLiteral("csv") : QStringLiteral("json"));
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(outcome.data) != outcome.data.size() || !f.commit()) {
        fail(tr("The query succeeded but its result could not be saved to %1: %2").arg(path, f.errorString()));
        Q_EMIT runFinished(false);
        return;
    }
    m_resultPath = path;
    m_progress->setText(tr("%1 \u00b7 result saved to %2").arg(m_progress->text(), QDir::toNativeSeparators(path)));
    Q_EMIT resultReady(path);
    Q_EMIT runFinished(true);
}

} // namespace ui
