#include "ui/pages/dropspage.h"

#include "core/query/filter.h"
#include "ui/logic/externalview.h"
#include "ui/logic/graphfilter.h"
#include "ui/logic/graphlayout.h"
#include "ui/logic/jobtracker.h"
#include "ui/logic/session.h"
#include "ui/pages/dropsmodel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QProgressBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStyle>
#include <QTableView>
#include <QTextBrowser>
#include <QToolBar>
#include <QVBoxLayout>

namespace ui {
namespace {

struct DropsReply {
    bool ok = false;
    QString error;
    std::vector<core::DropRow> rows;
};

constexpr int kMaxColumnWidth = 240;

QString utcLiteral(qint64 t)
{
    return QLatin1Char('"') + QDateTime::fromSecsSinceEpoch(t, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
           + QLatin1Char('"');
}

QString esc(const QString& s)
{
    return s.toHtmlEscaped();
}

QString topList(const std::vector<core::TopValue>& values)
{
    if (values.empty()) return QStringLiteral("&ndash;");
    QStringList lines;
    for (const auto& v : values)
        lines << QStringLiteral("%1 <span style=\"color:gray\">(%2)</span>").arg(esc(v.value), formatInteger(v.packets));
    return lines.join(QStringLiteral("<br>"));
}

} // namespace

QString dropFilter(const core::DropRow& row)
{
    QString f;
    if (row.reason == core::DropReason::Rejected) {
        const bool none = row.entry.isEmpty() || row.entry == QLatin1String("-");
        f = core::combineFilters(core::filterTerm(QStringLiteral("interface_id"), none ? QString() : row.entry),
                                 QStringLiteral("action == REJECT"));
    } else {
        f = core::combineFilters(edgeFilter(core::EdgeDimension::Attachment, row.entry, row.exit),
                                 core::dropReasonColumn(row.reason) + QStringLiteral(" > 0"));
    }
    if (row.firstSeen > 0 && row.lastSeen >= row.firstSeen) {
        f = core::combineFilters(
            f, QStringLiteral("start >= %1 and end <= %2").arg(utcLiteral(row.firstSeen), utcLiteral(row.lastSeen)));
    }
    return f;
}

DropsPage::DropsPage(Session* session, QWidget* parent)
    : QWidget(parent), m_session(session), m_jobs(new JobTracker(this)), m_model(new DropsModel(session, this)),
      m_proxy(new QSortFilterProxyModel(this))
{
    setObjectName(QStringLiteral("dropsPage"));
    auto* bar = new QToolBar(this);
    bar->setIconSize(QSize(16, 16));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_showAction = bar->addAction(tr("Show records"));
    m_showAction->setToolTip(tr("Filter the table and charts to the records of the selected row (Enter)"));
    m_showAction->setEnabled(false);
    m_backAction = bar->addAction(style()->standardIcon(QStyle::SP_ArrowBack), tr("Back"));
    m_backAction->setToolTip(tr("Undo the last drill-down (Alt+Left)"));
    m_backAction->setEnabled(m_session->canGoBack());
    auto* csv = bar->addAction(tr("Copy CSV"));
    csv->setToolTip(tr("Copy all rows as CSV (the columns of flowlog-cli drops)"));
    auto* spacer = new QWidget(bar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);
    m_busyBar = new QProgressBar(bar);
    m_busyBar->setRange(0, 0);
    m_busyBar->setMaximumWidth(70);
    m_busyBar->setMaximumHeight(14);
    m_busyBar->setTextVisible(false);
    m_busyBar->setToolTip(tr("Computing drops..."));
    m_busyAction = bar->addWidget(m_busyBar);
    m_busyAction->setVisible(false);

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(DropsModel::RawRole);
    m_view = new QTableView(this);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(DropsModel::Packets, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setHighlightSections(false);

    m_explanation = new QTextBrowser(this);
    m_explanation->setOpenLinks(false);
    m_explanation->setObjectName(QStringLiteral("dropsExplanation"));

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_view);
    splitter->addWidget(m_explanation);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);

    m_statusLabel = new QLabel(this);
    m_statusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_statusLabel->setContentsMargins(6, 2, 6, 2);
    // One line that never widens the page (it would scroll sideways) and never wraps: a wrapping
    // label makes the dock's scroll area size the page by its preferred height, so at 1366x768
    // the page scrolled and this line sat below the tab bar. The whole text is the tooltip.
    m_statusLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(bar);
    m_banner = new QLabel(this);
    m_banner->setObjectName(QStringLiteral("externalBanner"));
    m_banner->setStyleSheet(externalBannerStyle());
    m_banner->hide();
    connect(m_banner, &QLabel::linkActivated, this, &DropsPage::clearExternal);
    layout->addWidget(m_banner);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_statusLabel);

    connect(m_showAction, &QAction::triggered, this, &DropsPage::showCurrentRecords);
    connect(m_backAction, &QAction::triggered, m_session, &Session::back);
    connect(csv, &QAction::triggered, this, &DropsPage::copyCsv);
    connect(m_view, &QTableView::clicked, this, &DropsPage::drill);
    connect(m_view, &QTableView::activated, this, &DropsPage::drill); // Enter, double-click
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
        const core::DropRow* r = current.isValid() ? m_model->dropRow(m_proxy->mapToSource(current).row()) : nullptr;
        if (r) {
            m_selEntry = r->entry;
            m_selExit = r->exit;
            m_selReason = static_cast<int>(r->reason);
        }
        updateExplanation();
    });
    connect(m_explanation, &QTextBrowser::anchorClicked, this, [this](const QUrl&) { showCurrentRecords(); });
    connect(m_jobs, &JobTracker::busyChanged, this, &DropsPage::setBusy);
    connect(m_session, &Session::storeChanged, this, &DropsPage::requestRefresh);
    connect(m_session, &Session::namesChanged, this, &DropsPage::requestRefresh);
    connect(m_session, &Session::filterChanged, this, &DropsPage::onFilterChanged);
    connect(m_session, &Session::backAvailableChanged, m_backAction, &QAction::setEnabled);
    connect(m_session, &Session::timeDisplayChanged, this, [this]() {
        m_model->refreshDisplay();
        updateExplanation();
    });
    connect(m_session, &Session::nameDisplayChanged, this, [this]() {
        m_model->refreshDisplay();
        updateExplanation();
    });
    updateExplanation();
    updateStatus();
}

DropsPage::~DropsPage() = default;

const std::vector<core::DropRow>& DropsPage::rows() const
{
    return m_model->rows();
}

void DropsPage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_refresh.shown()) refresh();
}

void DropsPage::requestRefresh()
{
    if (m_refresh.request(isVisible())) refresh();
}

QString DropsPage::tableFilter() const
{
    return m_drill.pageFilter(m_session->filter());
}

void DropsPage::refresh()
{
    if (!m_refresh.start(!m_external)) return; // a query result is shown: recomputed on Back
    auto store = m_session->store();
    if (!store) return;
    const QString filter = tableFilter();
    m_computedFilter = filter;
    core::NameDirectory names = m_session->names();
    m_jobs->run(
        [store, filter, names](const std::atomic<bool>* cancel) {
            DropsReply reply;
            auto result = core::computeDrops(*store, filter, names.isEmpty() ? nullptr : &names, cancel);
            if (result.ok()) {
                reply.ok = true;
                reply.rows = std::move(result.value());
            } else {
                reply.error = result.error().toString();
            }
            return reply;
        },
        [this](const DropsReply& reply) {
            if (m_external) return;
            m_error = reply.ok ? QString() : reply.error;
            showRows(reply.ok ? reply.rows : std::vector<core::DropRow>());
            Q_EMIT dropsUpdated();
        });
}

void DropsPage::showRows(std::vector<core::DropRow> rows)
{
    m_model->setRows(std::move(rows));
    const bool firstFill = m_view->horizontalHeader()->sectionSize(0) == m_view->horizontalHeader()->defaultSectionSize();
    if (firstFill || m_model->rowCount() > 0) {
        m_view->resizeColumnsToContents();
        // Long "name (id)" labels and top lists are elided; the pane shows them in full.
        for (int c :
             {int(DropsModel::Entry), int(DropsModel::Exit), int(DropsModel::TopSources), int(DropsModel::TopDestinations)})
            m_view->setColumnWidth(c, std::min(m_view->columnWidth(c), kMaxColumnWidth));
    }
    // Keep the selected group selected when it is still there.
    const int row = m_selReason < 0 ? -1 : m_model->findRow(m_selEntry, m_selExit, static_cast<core::DropReason>(m_selReason));
    if (row >= 0) {
        const QModelIndex i = m_proxy->mapFromSource(m_model->index(row, 0));
        m_view->selectionModel()->setCurrentIndex(i, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    updateExplanation();
    updateStatus();
}

void DropsPage::setExternalDrops(std::vector<core::DropRow> rows, const QString& source)
{
    m_external = true;
    m_refresh.invalidate();
    m_error.clear();
    m_banner->setText(externalBannerText(source));
    m_banner->show();
    showRows(std::move(rows));
    Q_EMIT externalChanged(true);
    Q_EMIT dropsUpdated();
}

void DropsPage::clearExternal()
{
    if (!m_external) return;
    m_external = false;
    m_banner->hide();
    m_banner->clear();
    showRows({});
    Q_EMIT externalChanged(false);
    requestRefresh();
}

QString DropsPage::bannerText() const
{
    return m_external ? m_banner->text() : QString();
}

const core::DropRow* DropsPage::currentRow() const
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    if (!current.isValid()) return nullptr;
    return m_model->dropRow(m_proxy->mapToSource(current).row());
}

void DropsPage::drill(const QModelIndex& proxyIndex)
{
    if (!proxyIndex.isValid() || m_external) return; // a result's rows are not in the loaded records
    const core::DropRow* r = m_model->dropRow(m_proxy->mapToSource(proxyIndex).row());
    if (!r) return;
    m_selEntry = r->entry;
    m_selExit = r->exit;
    m_selReason = static_cast<int>(r->reason);
    // A second click replaces the first one's selection instead of narrowing it further.
    const QString base = m_drill.baseFor(m_session->filter(), true);
    m_session->setFilter(m_drill.drill(base, core::combineFilters(base, dropFilter(*r))));
    updateStatus();
}

void DropsPage::showCurrentRecords()
{
    drill(m_view->selectionModel()->currentIndex());
}

void DropsPage::onFilterChanged(const QString& expression)
{
    m_drill.follow(expression); // the filter bar or Back changed the filter: the row selection is over
    if (tableFilter() != m_computedFilter) requestRefresh();
    updateStatus();
}

void DropsPage::setBusy(bool busy)
{
    if (busy == m_busy) return;
    m_busy = busy;
    m_busyAction->setVisible(busy);
    Q_EMIT busyChanged(busy);
}

QString DropsPage::explanationHtml() const
{
    const core::DropRow* r = currentRow();
    if (!r) return {};
    const bool dark = palette().color(QPalette::Base).lightness() < 128;
    const QString color = dropReasonColor(r->reason, dark).name();
    const bool rejected = r->reason == core::DropReason::Rejected;
    const bool hasExit = !r->exit.isEmpty() && r->exit != QLatin1String("-");
    QString where = esc(m_session->displayId(r->entry));
    if (!rejected)
        where += QStringLiteral(" &rarr; ") + (hasExit ? esc(m_session->displayId(r->exit)) : tr("(no exit attachment)"));
    QString html = QStringLiteral("<h3 style=\"margin-bottom:4px\"><span style=\"color:%1\">&#9632;</span> %2 "
                                  "&nbsp;<span style=\"font-weight:normal\">%3</span></h3>")
                       .arg(color, esc(core::dropReasonLabel(r->reason)), where);
    QStringList facts;
    facts << (rejected ? tr("%1 packets rejected in %2 records") : tr("%1 packets lost in %2 records"))
                 .arg(formatInteger(r->packets), formatInteger(r->records));
    if (r->firstSeen > 0)
        facts << tr("%1 to %2").arg(esc(m_session->formatTime(r->firstSeen)), esc(m_session->formatTime(r->lastSeen)));
    if (!r->routeTableId.isEmpty()) facts << tr("route table %1").arg(esc(r->routeTableId));
    html += QStringLiteral("<p style=\"margin-top:0\">%1</p>").arg(facts.join(QStringLiteral(" &middot; ")));
    html += QStringLiteral("<p><b>%1</b><br>%2</p>").arg(tr("What it means"), esc(r->meaning));
    html += QStringLiteral("<p><b>%1</b><br>%2</p>").arg(tr("What to check"), esc(r->check));
    html += QStringLiteral("<table style=\"margin-top:6px\" cellspacing=\"0\" cellpadding=\"2\"><tr><th "
                           "align=\"left\">%1</th><td width=\"32\"></td>"
                           "<th align=\"left\">%2</th><td width=\"32\"></td><th align=\"left\">%3</th></tr>"
                           "<tr><td valign=\"top\">%4</td><td></td><td valign=\"top\">%5</td><td></td>"
                           "<td valign=\"top\">%6</td></tr></table>")
                .arg(tr("Top sources"), tr("Top destinations"), tr("Top destination ports"), topList(r->topSources),
                     topList(r->topDestinations), topList(r->topPorts));
    html += QStringLiteral("<p><a href=\"flowlog:show-records\">%1</a> <span style=\"color:gray\">%2 "
                           "<code>%3</code></span></p>")
                .arg(tr("Show these records"), tr("filter:"), esc(dropFilter(*r)));
    return html;
}

void DropsPage::updateExplanation()
{
    m_showAction->setEnabled(currentRow() != nullptr);
    QString html = explanationHtml();
    if (html.isEmpty()) {
        if (!m_error.isEmpty()) html = QStringLiteral("<p>%1</p>").arg(esc(tr("Could not compute drops: %1").arg(m_error)));
        else if (m_model->rowCount() == 0)
            html = tr("<p><b>No dropped or rejected packets</b> in the records that match the filter.</p>"
                      "<p>Transit Gateway flow logs count the packets the TGW dropped in packets-lost-no-route, "
                      "packets-lost-blackhole, packets-lost-mtu-exceeded and packets-lost-ttl-expired; VPC flow "
                      "logs mark traffic a security group or network ACL denied as REJECT.</p>");
        else
            html = tr("<p>Select a row to see what it means and what to check. Clicking a row (or Enter) "
                      "filters the table and charts to its records; Back undoes.</p>");
    }
    m_explanation->setHtml(html);
}

void DropsPage::updateStatus()
{
    if (!m_error.isEmpty()) {
        m_statusLabel->setText(tr("Could not compute drops: %1").arg(m_error));
        m_statusLabel->setToolTip(m_statusLabel->text());
        return;
    }
    qint64 lost = 0, rejected = 0;
    for (const auto& r : m_model->rows()) (r.reason == core::DropReason::Rejected ? rejected : lost) += r.packets;
    const int n = m_model->rowCount();
    QString s = n == 1 ? tr("1 row") : tr("%1 rows").arg(formatInteger(n));
    s += tr(" \u00b7 %1 packets dropped by the TGW").arg(formatInteger(lost));
    if (rejected > 0) s += tr(" \u00b7 %1 packets rejected in VPCs").arg(formatInteger(rejected));
    if (m_external) s += tr("   \u2014 a query result: the filter and clicks apply to the local data after Back");
    else if (m_drill.active(m_session->filter()))
        s += tr("   \u2014 showing the rows of the filter before the click; the records view shows the selected row");
    else s += tr("   (a drop logged at both attachments counts once; click a row to see its records)");
    m_statusLabel->setText(s);
    m_statusLabel->setToolTip(s);
}

QByteArray DropsPage::dropsCsv() const
{
    return core::dropsCsv(m_model->rows(), !m_session->names().isEmpty());
}

void DropsPage::copyCsv()
{
    QApplication::clipboard()->setText(QString::fromUtf8(dropsCsv()));
    m_statusLabel->setText(tr("Copied %1 rows as CSV.").arg(formatInteger(static_cast<qint64>(m_model->rowCount()))));
}

} // namespace ui
