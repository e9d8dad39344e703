#include "ui/pages/sqlpage.h"
#include "core/model/units.h"

#include "core/store/store.h"
#include "ui/logic/jobtracker.h"
#include "ui/logic/session.h"

#include <QAction>
#include <QBrush>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPalette>
#include <QPlainTextEdit>
#include <QShortcut>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace ui {

SqlResult runUserQuery(const core::Store& store, const QString& sql, int maxRows, const std::atomic<bool>* cancel)
{
    QElapsedTimer clock;
    clock.start();
    SqlResult r;
    auto finish = [&]() {
        r.seconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;
        return r;
    };
    auto cancelled = [cancel]() { return cancel && cancel->load(std::memory_order_relaxed); };
    auto stop = [&]() {
        r.outcome = core::Outcome::Cancelled;
        r.rows.clear();
        return finish();
    };
    if (cancelled()) return stop();
    auto stmt = store.prepareUserQuery(sql);
    // A cancel (or Store::interrupt) that lands while the statement is being prepared makes
    // SQLite fail the prepare with "interrupted": that is a cancel, not a failure.
    if (!stmt.ok() && (cancelled() || stmt.error().message == QLatin1String("interrupted"))) return stop();
    if (!stmt.ok()) {
        r.outcome = core::Outcome::Failed;
        r.refused = !stmt.error().message.startsWith(QLatin1String("SQL error"));
        r.message = stmt.error().message;
        return finish();
    }
    core::Statement& st = stmt.value();
    for (int c = 0; c < st.columnCount(); ++c) r.columns << st.columnName(c);
    const core::CancelScope scope(cancel); // a long step (count, sort) polls the flag too
    while (!cancelled()) {
        if (!st.next()) {
            const QString error = st.error();
            if (error.isEmpty()) return finish(); // done
            if (error == QLatin1String("interrupted")) break;
            r.outcome = core::Outcome::Failed;
            r.message = error;
            return finish();
        }
        if (static_cast<int>(r.rows.size()) >= maxRows) {
            r.truncated = true;
            return finish();
        }
        QVariantList row;
        row.reserve(r.columns.size());
        for (int c = 0; c < r.columns.size(); ++c) row << st.value(c);
        r.rows.push_back(std::move(row));
    }
    return stop();
}

void SqlResultModel::setResult(QStringList columns, std::vector<QVariantList> rows)
{
    beginResetModel();
    m_columns = std::move(columns);
    m_rows = std::move(rows);
    endResetModel();
}

int SqlResultModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int SqlResultModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_columns.size());
}

QVariant SqlResultModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount()) return {};
    const QVariant& v = m_rows[static_cast<size_t>(index.row())].at(index.column());
    switch (role) {
    case Qt::DisplayRole:
        if (v.isNull()) return QStringLiteral("NULL");
        if (v.typeId() == QMetaType::QByteArray) return QStringLiteral("x'%1'").arg(QString::fromLatin1(v.toByteArray().toHex()));
        // Numbers are written here, not by the view's delegate (which would use the system locale).
        if (v.typeId() == QMetaType::LongLong) return core::formatInteger(v.toLongLong());
        if (v.typeId() == QMetaType::Double) return core::formatDecimal(v.toDouble());
        return v;
    case Qt::ForegroundRole:
        if (v.isNull()) return QBrush(QPalette().color(QPalette::Disabled, QPalette::Text));
        return {};
    case Qt::TextAlignmentRole:
        if (v.typeId() == QMetaType::LongLong || v.typeId() == QMetaType::Double)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::UserRole:
        return v;
    default:
        return {};
    }
}

QVariant SqlResultModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole) return {};
    if (orientation == Qt::Horizontal) return section >= 0 && section < m_columns.size() ? m_columns.at(section) : QVariant();
    return section + 1;
}

SqlPage::SqlPage(Session* session, QWidget* parent)
    : QWidget(parent), m_session(session), m_jobs(new JobTracker(this)), m_editor(new QPlainTextEdit(this)),
      m_run(new QAction(tr("Run"), this)), m_cancel(new QAction(tr("Cancel"), this)), m_table(new QTableView(this)),
      m_model(new SqlResultModel(this)), m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("sqlPage"));
    m_editor->setObjectName(QStringLiteral("sqlEditor"));
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setPlaceholderText(tr("SELECT dstport, sum(bytes) AS bytes FROM flows GROUP BY 1 ORDER BY 2 DESC LIMIT 20\n\n"
                                    "Read-only SQL over the views flows and files (and names). Ctrl+Enter runs, Esc cancels."));
    m_editor->setTabChangesFocus(true);
    m_run->setToolTip(tr("Run the query (Ctrl+Enter)"));
    m_cancel->setToolTip(tr("Stop the running query (Esc)"));
    m_cancel->setEnabled(false);
    m_table->setObjectName(QStringLiteral("sqlResults"));
    m_table->setModel(m_model);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_status->setObjectName(QStringLiteral("sqlStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);
    m_status->setText(tr("Type a SELECT and press Ctrl+Enter."));

    // Run and Cancel in a tool bar: in a narrow dock what does not fit goes into its » menu.
    auto* bar = new QToolBar(this);
    bar->setObjectName(QStringLiteral("sqlToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bar->addAction(m_run);
    bar->addAction(m_cancel);
    bar->widgetForAction(m_run)->setObjectName(QStringLiteral("runButton"));
    bar->widgetForAction(m_cancel)->setObjectName(QStringLiteral("cancelButton"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(bar);
    buttons->addWidget(m_status, 1);
    auto* top = new QWidget(this);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_editor, 1);
    topLayout->addLayout(buttons);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(top);
    split->addWidget(m_table);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(split);

    for (auto key : {Qt::Key_Return, Qt::Key_Enter}) {
        auto* sc = new QShortcut(QKeySequence(Qt::CTRL | key), m_editor);
        sc->setContext(Qt::WidgetShortcut);
        connect(sc, &QShortcut::activated, this, &SqlPage::run);
    }
    auto* esc = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    esc->setContext(Qt::WidgetWithChildrenShortcut);
    connect(esc, &QShortcut::activated, this, &SqlPage::cancel);
    connect(m_run, &QAction::triggered, this, &SqlPage::run);
    connect(m_cancel, &QAction::triggered, this, &SqlPage::cancel);
    connect(m_session, &Session::storeChanged, this, [this]() {
        if (m_running) cancel();
    });
}

SqlPage::~SqlPage()
{
    if (m_cancelFlag) m_cancelFlag->store(true);
}

QString SqlPage::statusText() const
{
    return m_status->text();
}

void SqlPage::setSql(const QString& sql)
{
    m_editor->setPlainText(sql);
}

void SqlPage::setRunning(bool running)
{
    m_running = running;
    m_run->setEnabled(!running);
    m_cancel->setEnabled(running);
}

void SqlPage::run()
{
    if (m_running) return;
    const QString sql = m_editor->toPlainText();
    if (sql.trimmed().isEmpty()) {
        m_status->setText(tr("Type a SELECT first."));
        return;
    }
    m_cancelFlag = std::make_shared<std::atomic<bool>>(false);
    setRunning(true);
    m_status->setText(tr("Running…"));
    m_clock.start();
    auto store = m_session->store();
    auto flag = m_cancelFlag;
    m_jobs->run([store, sql, flag](const std::atomic<bool>*) { return runUserQuery(*store, sql, kMaxRows, flag.get()); },
                [this](const SqlResult& r) { showResult(r); });
}

void SqlPage::cancel()
{
    if (!m_running) return;
    m_status->setText(tr("Cancelling…"));
    // The worker polls this flag before the prepare, per row and inside SQLite's steps
    // (core::CancelScope), so it cannot land too early; other pages' queries are untouched.
    if (m_cancelFlag) m_cancelFlag->store(true);
}

void SqlPage::showResult(const SqlResult& r)
{
    setRunning(false);
    const QString time = tr("%1 s").arg(r.seconds, 0, 'f', r.seconds < 10 ? 2 : 1);
    switch (r.outcome) {
    case core::Outcome::Cancelled:
        m_model->setResult({}, {});
        m_status->setText(tr("Cancelled after %1.").arg(time));
        break;
    case core::Outcome::Failed:
        m_model->setResult({}, {});
        m_status->setText(r.refused ? tr("Refused: %1").arg(r.message) : tr("Error: %1").arg(r.message));
        break;
    case core::Outcome::Ok:
        m_model->setResult(r.columns, r.rows);
        m_table->resizeColumnsToContents();
        if (r.truncated)
            m_status->setText(tr("First %1 rows shown; the query returned more. %2.")
                                  .arg(core::formatInteger(static_cast<qint64>(r.rows.size())), time));
        else
            m_status->setText(r.rows.size() == 1
                                  ? tr("1 row in %1.").arg(time)
                                  : tr("%1 rows in %2.").arg(core::formatInteger(static_cast<qint64>(r.rows.size())), time));
        break;
    }
    Q_EMIT finished(r.outcome);
}

} // namespace ui
