#include "ui/remote/remoteactions.h"

#include "core/model/fields.h"
#include "core/model/units.h"
#include "core/store/store.h"
#include "ui/graph/attachmentspage.h"
#include "ui/logic/jobtracker.h"
#include "ui/logic/session.h"
#include "ui/pages/dropspage.h"
#include "ui/remote/remoterundialog.h"
#include "ui/table/recordmodel.h"
#include "ui/table/recordview.h"
#include "ui/timeline/timelinepage.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSettings>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace ui {

using namespace core;

namespace {

QString viewLabel(RemoteView v)
{
    switch (v) {
    case RemoteView::Records:
        return QObject::tr("Record Table");
    case RemoteView::Edges:
        return QObject::tr("Attachment Graph");
    case RemoteView::Series:
        return QObject::tr("Timeline");
    case RemoteView::Drops:
        return QObject::tr("Drops");
    }
    return {};
}

/// Brings `page`'s dock to the front (the analysis pages live in tabbed docks).
void bringToFront(QWidget* page)
{
    for (QWidget* w = page; w; w = w->parentWidget()) {
        if (auto* dock = qobject_cast<QDockWidget*>(w)) {
            dock->show();
            dock->raise();
            return;
        }
    }
}

} // namespace

AthenaTableOptions loadTableOptions()
{
    QSettings s;
    AthenaTableOptions o;
    o.table = s.value(QStringLiteral("remote/table"), o.table).toString();
    o.bucket = s.value(QStringLiteral("remote/bucket")).toString();
    o.prefix = s.value(QStringLiteral("remote/prefix")).toString();
    o.accounts = s.value(QStringLiteral("remote/accounts")).toStringList();
    o.regions = s.value(QStringLiteral("remote/regions")).toStringList();
    o.layout = s.value(QStringLiteral("remote/layout")).toString() == QLatin1String("hive") ? S3Layout::Hive : S3Layout::Classic;
    o.hourly = s.value(QStringLiteral("remote/hourly"), false).toBool();
    o.parquet = s.value(QStringLiteral("remote/parquet"), false).toBool();
    return o;
}

void saveTableOptions(const AthenaTableOptions& o)
{
    QSettings s;
    s.setValue(QStringLiteral("remote/table"), o.table);
    s.setValue(QStringLiteral("remote/bucket"), o.bucket);
    s.setValue(QStringLiteral("remote/prefix"), o.prefix);
    s.setValue(QStringLiteral("remote/accounts"), o.accounts);
    s.setValue(QStringLiteral("remote/regions"), o.regions);
    s.setValue(QStringLiteral("remote/layout"), o.layout == S3Layout::Hive ? QStringLiteral("hive") : QStringLiteral("classic"));
    s.setValue(QStringLiteral("remote/hourly"), o.hourly);
    s.setValue(QStringLiteral("remote/parquet"), o.parquet);
}

RemoteActions::RemoteActions(QMainWindow* window, Session* session, RecordView* view, RecordModel* model)
    : QObject(window), m_window(window), m_session(session), m_view(view), m_model(model),
      m_menu(new QMenu(tr("&Remote"), window)), m_spanJob(new JobTracker(this))
{
    m_menu->setObjectName(QStringLiteral("remoteMenu"));
    QMenu* athena = m_menu->addMenu(tr("Copy as &Athena SQL"));
    QMenu* insights = m_menu->addMenu(tr("Copy as CloudWatch &Logs Insights Query"));
    for (RemoteView v : {RemoteView::Records, RemoteView::Edges, RemoteView::Series, RemoteView::Drops}) {
        QAction* a = athena->addAction(viewLabel(v), this, [this, v]() { copy(v, true); });
        a->setObjectName(QStringLiteral("athena:") + remoteViewName(v));
        QAction* i = insights->addAction(viewLabel(v), this, [this, v]() { copy(v, false); });
        i->setObjectName(QStringLiteral("insights:") + remoteViewName(v));
    }
    m_menu->addSeparator();
    QMenu* runAthena = m_menu->addMenu(tr("&Run on Athena"));
    QMenu* runInsights = m_menu->addMenu(tr("Run on Logs &Insights"));
    for (RemoteView v : {RemoteView::Edges, RemoteView::Series, RemoteView::Drops, RemoteView::Records}) {
        QAction* a = runAthena->addAction(viewLabel(v) + QStringLiteral("…"), this, [this, v]() { startRun(v, true); });
        a->setObjectName(QStringLiteral("runAthena:") + remoteViewName(v));
        QAction* i = runInsights->addAction(viewLabel(v) + QStringLiteral("…"), this, [this, v]() { startRun(v, false); });
        i->setObjectName(QStringLiteral("runInsights:") + remoteViewName(v));
    }
    m_menu->addSeparator();
    QAction* ddl = m_menu->addAction(tr("Copy Athena &Table DDL…"), this, &RemoteActions::editTable);
    ddl->setObjectName(QStringLiteral("athenaDdl"));
    m_menu->addSeparator();
    QAction* open = m_menu->addAction(tr("&Open Athena / Logs Insights Result…"), this, [this]() {
        const QString path = QFileDialog::getOpenFileName(m_window, tr("Open Athena or Logs Insights Result"), QString(),
                                                          tr("Query results (*.csv *.json);;All files (*)"));
        if (!path.isEmpty()) openResult(path);
    });
    open->setObjectName(QStringLiteral("openResult"));
    // Before the Help menu (the last one).
    const QList<QAction*> menus = window->menuBar()->actions();
    window->menuBar()->insertMenu(menus.isEmpty() ? nullptr : menus.last(), m_menu);
}

QStringList RemoteActions::loadedFields() const
{
    // The format of the first loaded flow log file: its header, or the default it matches.
    for (const StoredFile& f : m_session->store()->files()) {
        if (f.records == 0) continue;
        auto fields = remoteFormatFieldsOfFile(f.path);
        if (fields) return fields.value();
    }
    return remoteFormatFields(QString()).value();
}

RemoteQuery RemoteActions::currentQuery(RemoteView view) const
{
    RemoteQuery q;
    q.view = view;
    q.filter = m_session->filter();
    q.names = &m_session->names();
    q.fields = loadedFields();
    const AthenaTableOptions t = loadTableOptions();
    q.table = t.table;
    q.layout = t.layout;
    if (auto* page = m_window->findChild<AttachmentsPage*>()) q.by = page->dimension();
    // The Timeline's bin; on Auto, hourly bins (a month of data gives 720 rows).
    q.binSeconds = 3600;
    if (auto* page = m_window->findChild<TimelinePage*>(); page && page->binSeconds() > 0) q.binSeconds = page->binSeconds();
    for (const QString& c : m_view->visibleColumns())
        if (q.fields.contains(c)) q.columns << c;
    for (const SortKey& k : m_model->sortKeys())
        if (q.fields.contains(k.column)) q.sort.push_back(k);
    q.limit = 1000;
    return q;
}

Result<QString> RemoteActions::athenaText(RemoteView view) const
{
    return athenaSql(currentQuery(view));
}

Result<QString> RemoteActions::insightsText(RemoteView view) const
{
    return insightsQuery(currentQuery(view));
}

Result<QString> RemoteActions::ddlText() const
{
    return athenaDdl(loadedFields(), loadTableOptions());
}

void RemoteActions::copy(RemoteView view, bool athena)
{
    const auto text = athena ? athenaText(view) : insightsText(view);
    if (!text) {
        QMessageBox::warning(m_window, tr("Cannot build the query"), text.error().message);
        return;
    }
    QApplication::clipboard()->setText(text.value() + (athena ? QStringLiteral(";") : QString()));
    Q_EMIT statusMessage(athena ? tr("Athena SQL for the %1 copied to the clipboard").arg(viewLabel(view).toLower())
                                : tr("Logs Insights query for the %1 copied to the clipboard").arg(viewLabel(view).toLower()));
}

void RemoteActions::editTable()
{
    AthenaTableOptions o = loadTableOptions();
    QDialog dialog(m_window);
    dialog.setObjectName(QStringLiteral("athenaTableDialog"));
    dialog.setWindowTitle(tr("Athena Table"));
    auto* form = new QFormLayout;
    auto* table = new QLineEdit(o.table);
    auto* bucket = new QLineEdit(o.bucket);
    bucket->setPlaceholderText(QStringLiteral("my-flow-log-bucket"));
    auto* prefix = new QLineEdit(o.prefix);
    prefix->setPlaceholderText(tr("folder before AWSLogs/ (may be empty)"));
    auto* accounts = new QLineEdit(o.accounts.join(QStringLiteral(", ")));
    accounts->setPlaceholderText(QStringLiteral("111122223333, 444455556666"));
    auto* regions = new QLineEdit(o.regions.join(QStringLiteral(", ")));
    regions->setPlaceholderText(QStringLiteral("us-east-1, eu-west-1"));
    auto* layout = new QComboBox;
    layout->addItems({tr("Classic: AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/"),
                      tr("Hive-compatible: aws-account-id=…/aws-service=…/aws-region=…/year=…/month=…/day=…")});
    layout->setCurrentIndex(o.layout == S3Layout::Hive ? 1 : 0);
    auto* hourly = new QCheckBox(tr("Hourly partitions (hour=HH)"));
    hourly->setChecked(o.hourly);
    auto* parquet = new QCheckBox(tr("Parquet delivery"));
    parquet->setChecked(o.parquet);
    form->addRow(tr("Table:"), table);
    form->addRow(tr("S3 bucket:"), bucket);
    form->addRow(tr("Prefix:"), prefix);
    form->addRow(tr("Accounts:"), accounts);
    form->addRow(tr("Regions:"), regions);
    form->addRow(tr("Layout:"), layout);
    form->addRow(QString(), hourly);
    form->addRow(QString(), parquet);
    auto* error = new QLabel;
    error->setWordWrap(true);
    error->setStyleSheet(QStringLiteral("color: #c62828"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    QPushButton* copyButton = buttons->addButton(tr("Copy DDL"), QDialogButtonBox::AcceptRole);
    copyButton->setObjectName(QStringLiteral("copyDdl"));
    auto* box = new QVBoxLayout(&dialog);
    box->addWidget(new QLabel(tr("Where the flow logs are in S3 (remembered). The columns come from the loaded files' format.")));
    box->addLayout(form);
    box->addWidget(error);
    box->addWidget(buttons);
    auto split = [](const QString& s) {
        QStringList out;
        for (const QString& p : s.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts)) out << p;
        return out;
    };
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, [&]() {
        o.table = table->text().trimmed();
        o.bucket = bucket->text().trimmed();
        o.prefix = prefix->text().trimmed();
        o.accounts = split(accounts->text());
        o.regions = split(regions->text());
        o.layout = layout->currentIndex() == 1 ? S3Layout::Hive : S3Layout::Classic;
        o.hourly = hourly->isChecked();
        o.parquet = parquet->isChecked();
        auto ddl = athenaDdl(loadedFields(), o);
        if (!ddl) {
            error->setText(ddl.error().message);
            return;
        }
        saveTableOptions(o);
        QApplication::clipboard()->setText(ddl.value() + QLatin1Char(';'));
        Q_EMIT statusMessage(tr("Athena CREATE EXTERNAL TABLE for %1 copied to the clipboard").arg(o.table));
        dialog.accept();
    });
    dialog.exec();
}

RemoteRunDialog* RemoteActions::startRun(RemoteView view, bool athena)
{
    const auto text = athena ? athenaText(view) : insightsText(view);
    if (!text) {
        QMessageBox::warning(m_window, tr("Cannot build the query"), text.error().message);
        return nullptr;
    }
    auto* dialog = new RemoteRunDialog(athena ? RemoteRunDialog::Engine::Athena : RemoteRunDialog::Engine::Insights, text.value(),
                                       view, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (!athena) {
        // The time range: the filter's bounds, else the loaded records' span (read off the GUI
        // thread; the dialog shows the rest meanwhile), else the last 24 hours.
        const QString filter = m_session->filter();
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        dialog->setTimeRange(insightsTimeRange(filter, std::nullopt, now));
        if (auto store = m_session->store()) {
            QPointer<RemoteRunDialog> target(dialog);
            m_spanJob->run(
                [store](const std::atomic<bool>*) -> std::optional<std::pair<qint64, qint64>> {
                    auto st = store->prepare(QStringLiteral("SELECT MIN(start), MAX(coalesce(\"end\", start)) FROM flows"));
                    if (!st.ok() || !st->next() || st->isNull(0)) return std::nullopt;
                    return std::pair<qint64, qint64>{st->int64(0), st->int64(1)};
                },
                [target, filter, now](const std::optional<std::pair<qint64, qint64>>& span) {
                    if (target && span) target->setTimeRange(insightsTimeRange(filter, span, now));
                });
        }
    }
    connect(dialog, &RemoteRunDialog::resultReady, this, [this, dialog, athena](const QString& path) {
        if (openResult(path, athena ? tr("Athena result") : tr("Logs Insights result"))) dialog->accept();
    });
    dialog->show();
    return dialog;
}

bool RemoteActions::openResult(const QString& path, const QString& origin)
{
    auto result = readRemoteResultFile(path);
    if (!result) {
        QFile f(path);
        const QByteArray data = f.open(QIODevice::ReadOnly) && f.size() <= (qint64(512) << 20) ? f.readAll() : QByteArray();
        if (isRemoteRecordsResult(data, path)) {
            // Records, not an aggregate: they open in the record table like File > Open. Athena's
            // CSV opens as it is; Logs Insights JSON (fields by name per row) becomes a flow log
            // file with a header first.
            QString records = path;
            const QByteArray head = data.trimmed().left(1);
            if (head == "{" || head == "[") {
                auto text = remoteRecordsAsFlowLog(data, path);
                if (!text) {
                    QMessageBox::warning(m_window, tr("Cannot open the result"), text.error().toString());
                    return false;
                }
                const QString dir =
                    QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/query-results");
                QDir().mkpath(dir);
                records = QStringLiteral("%1/%2.log").arg(dir, QFileInfo(path).completeBaseName());
                QSaveFile out(records);
                if (!out.open(QIODevice::WriteOnly) || out.write(text.value()) != text->size() || !out.commit()) {
                    QMessageBox::warning(
                        m_window, tr("Cannot open the result"),
                        tr("The records of %1 could not be written to %2: %3")
                            .arg(QDir::toNativeSeparators(path), QDir::toNativeSeparators(records), out.errorString()));
                    return false;
                }
            }
            Q_EMIT openRecords(records);
            Q_EMIT statusMessage(tr("%1 holds flow records: opening them in the record table").arg(QFileInfo(path).fileName()));
            return true;
        }
        QMessageBox::warning(m_window, tr("Cannot open the result"), result.error().toString());
        return false;
    }
    const RemoteResult& r = result.value();
    const QString source = tr("%1 %2 (%3 rows)")
                               .arg(origin.isEmpty() ? tr("result") : origin, QFileInfo(path).fileName())
                               .arg(QLocale().toString(r.rows));
    switch (r.view) {
    case RemoteView::Edges:
        if (auto* page = m_window->findChild<AttachmentsPage*>()) {
            page->setExternalEdges(r.edges, remoteEdgesDimension(r.edges), source);
            bringToFront(page);
        }
        break;
    case RemoteView::Series:
        if (auto* page = m_window->findChild<TimelinePage*>()) {
            page->setExternalSeries(r.series, source);
            bringToFront(page);
        }
        break;
    case RemoteView::Drops:
        if (auto* page = m_window->findChild<DropsPage*>()) {
            page->setExternalDrops(r.drops, source);
            bringToFront(page);
        }
        break;
    case RemoteView::Records:
        break;
    }
    Q_EMIT statusMessage(tr("Showing %1 in the %2 page").arg(source, viewLabel(r.view)));
    return true;
}

} // namespace ui
