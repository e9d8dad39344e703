// The Attachments page: its construction (toolbar, graph and matrix, wiring), the edges query in
// the background, rebuilding the views, the status line and results shown from elsewhere
// (Athena, Logs Insights). The view settings and clicks are in attachmentsview.cpp, the toolbar
// pieces in attachmentstoolbar.*, groups/find/hidden drops in attachmentsgroups.cpp, exports in
// attachmentsexport.cpp.
#include "ui/graph/attachmentspage.h"

#include "core/query/filter.h"
#include "ui/graph/attachmentstoolbar.h"
#include "ui/logic/externalview.h"
#include "ui/logic/graphfilter.h"
#include "ui/logic/jobtracker.h"
#include "ui/logic/session.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QSlider>
#include <QStackedWidget>
#include <QStyle>
#include <QTabBar>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <utility>

namespace ui {

using attachmentsbar::comboBox;
using attachmentsbar::kMaxTopN;
using attachmentsbar::settingsMenu;

namespace {

struct EdgesReply {
    bool ok = false;
    QString error;
    core::EdgeDimension dimension = core::EdgeDimension::Attachment;
    std::vector<core::Edge> edges;
    bool compared = false;
    std::vector<core::EdgeDiff> diffs;
};

} // namespace

AttachmentsPage::AttachmentsPage(Session* session, QWidget* parent)
    : QWidget(parent), m_session(session), m_jobs(new JobTracker(this)), m_view(new GraphView(this)),
      m_matrix(new MatrixView(this)), m_stack(new QStackedWidget(this))
{
    setObjectName(QStringLiteral("attachmentsPage"));
    auto* bar = new QToolBar(this);
    bar->setIconSize(QSize(16, 16));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    m_modeBar = new QTabBar(bar);
    m_modeBar->addTab(tr("Graph"));
    m_modeBar->addTab(tr("Matrix"));
    m_modeBar->setDrawBase(false);
    m_modeBar->setToolTip(tr("Graph: who talks to whom. Matrix: entry x exit attachments, for many attachments"));
    m_dimensionBox = comboBox(bar, tr("What a node is: attachment, VPC, subnet, Availability Zone, account or address"));
    m_dimensionBox->setObjectName(QStringLiteral("dimensionBox"));
    for (auto d : {core::EdgeDimension::Attachment, core::EdgeDimension::Vpc, core::EdgeDimension::Subnet,
                   core::EdgeDimension::Az, core::EdgeDimension::Account, core::EdgeDimension::Addr})
        m_dimensionBox->addItem(core::edgeDimensionName(d), static_cast<int>(d));
    m_weightBox = comboBox(bar, tr("What edge width, node size and the traffic ranking measure"));
    for (auto w : {EdgeWeight::Bytes, EdgeWeight::Packets, EdgeWeight::Flows})
        m_weightBox->addItem(edgeWeightName(w), static_cast<int>(w));
    m_rankBox =
        comboBox(bar, tr("Which edges the Top N are: the heaviest, the most dropped packets, or the highest share dropped"));
    for (auto r : {EdgeRank::Traffic, EdgeRank::Dropped, EdgeRank::DropShare})
        m_rankBox->addItem(tr("by %1").arg(edgeRankName(r)), static_cast<int>(r));
    m_topSlider = new QSlider(Qt::Horizontal, bar);
    m_topSlider->setRange(1, kMaxTopN);
    m_topSlider->setValue(m_topN);
    m_topSlider->setMaximumWidth(120);
    m_topSlider->setMinimumWidth(70); // a short bar folds it into Settings rather than squeeze it to its handle
    m_topSlider->setToolTip(tr("How many edges to draw (by traffic, edges with drops are added)"));
    m_topLabel = new QLabel(bar);
    m_topLabel->setObjectName(QStringLiteral("topNLabel"));
    auto* worst = new QAction(tr("Worst 20"), bar);
    worst->setToolTip(tr("Show the 20 edges with the most dropped packets"));
    m_groupBox = comboBox(bar, tr("Group nodes by kind, or by account / route table (from loaded names)"));
    m_groupBox->addItem(tr("by kind"), static_cast<int>(GroupBy::Kind));
    m_groupBox->addItem(tr("by account"), static_cast<int>(GroupBy::Account));
    m_groupBox->addItem(tr("by route table"), static_cast<int>(GroupBy::RouteTable));
    m_groupsMenu = new QMenu(this);
    m_groupsButton = new QToolButton(bar);
    m_groupsButton->setText(tr("Groups"));
    m_groupsButton->setMenu(m_groupsMenu);
    m_groupsButton->setPopupMode(QToolButton::InstantPopup);
    m_groupsButton->setToolTip(tr("Collapse a group into one node (click the group node to expand it)"));
    m_findEdit = new QLineEdit(bar);
    m_findEdit->setPlaceholderText(tr("Find node..."));
    m_findEdit->setClearButtonEnabled(true);
    m_findEdit->setMaximumWidth(170);
    m_findEdit->setToolTip(tr("Type part of a name or id: matching nodes and their edges are highlighted, the rest dimmed"));
    m_measureBox = comboBox(bar, tr("What the matrix cells show"));
    m_measureBox->setObjectName(QStringLiteral("matrixMeasureBox"));
    for (auto m :
         {MatrixMeasure::Bytes, MatrixMeasure::Packets, MatrixMeasure::Flows, MatrixMeasure::Dropped, MatrixMeasure::DropShare})
        m_measureBox->addItem(matrixMeasureName(m), static_cast<int>(m));
    m_orderBox = comboBox(bar, tr("Order of rows and columns"));
    for (auto o : {MatrixOrder::Total, MatrixOrder::Name, MatrixOrder::Cluster})
        m_orderBox->addItem(matrixOrderName(o), static_cast<int>(o));
    m_hiddenMenu = new QMenu(this);
    m_hiddenButton = new QToolButton(this);
    m_hiddenButton->setMenu(m_hiddenMenu);
    m_hiddenButton->setPopupMode(QToolButton::InstantPopup);
    m_hiddenButton->setAutoRaise(true);
    m_hiddenButton->setToolTip(tr("Edges not drawn; the menu lists those with dropped packets"));
    m_busyBar = new QProgressBar(bar);
    m_busyBar->setRange(0, 0);
    m_busyBar->setMaximumWidth(70);
    m_busyBar->setMaximumHeight(14);
    m_busyBar->setTextVisible(false);
    m_busyBar->setToolTip(tr("Computing edges..."));

    bar->addWidget(m_modeBar);
    bar->addWidget(m_dimensionBox);
    bar->addWidget(m_weightBox);
    bar->addWidget(new QLabel(tr(" Top "), bar));
    bar->addWidget(m_topSlider);
    bar->addWidget(m_topLabel);
    bar->addWidget(m_rankBox);
    bar->addAction(worst);
    bar->addSeparator();
    bar->addWidget(m_groupBox);
    bar->addWidget(m_groupsButton);
    m_measureAction = bar->addWidget(m_measureBox);
    m_orderAction = bar->addWidget(m_orderBox);
    bar->addWidget(m_findEdit);
    auto* spacer = new QWidget(bar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);
    m_busyAction = bar->addWidget(m_busyBar);
    m_busyAction->setVisible(false);

    m_backAction = bar->addAction(style()->standardIcon(QStyle::SP_ArrowBack), tr("Back"));
    m_backAction->setToolTip(tr("Undo the last drill-down (Alt+Left)"));
    m_backAction->setEnabled(m_session->canGoBack());
    auto* fit = bar->addAction(tr("Fit"));
    fit->setShortcut(QKeySequence(Qt::Key_F));
    fit->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    fit->setToolTip(tr("Fit the drawing to the window (F)"));
    addAction(fit);
    auto* png = bar->addAction(tr("PNG..."));
    png->setToolTip(tr("Export the graph or the matrix as a PNG image"));
    auto* svg = bar->addAction(tr("SVG..."));
    svg->setToolTip(tr("Export the graph or the matrix as an SVG drawing"));
    auto* csv = bar->addAction(tr("Copy CSV"));
    csv->setToolTip(tr("Copy all edges as CSV (the columns of flowlog-cli edges); on the matrix, the matrix"));
    // Names for the settings menu (and screen readers).
    const std::pair<QWidget*, QString> controls[] = {{m_modeBar, tr("Show")},          {m_dimensionBox, tr("Nodes")},
                                                     {m_weightBox, tr("Measure")},     {m_topSlider, tr("Top edges")},
                                                     {m_rankBox, tr("Rank edges")},    {m_groupBox, tr("Group nodes")},
                                                     {m_groupsButton, tr("Groups")},   {m_measureBox, tr("Matrix cells")},
                                                     {m_orderBox, tr("Matrix order")}, {m_findEdit, tr("Find node")}};
    for (const auto& [control, name] : controls) {
        control->setAccessibleName(name);
        if (control->objectName().isEmpty())
            control->setObjectName(QString(control->metaObject()->className()).mid(1).toLower() + QLatin1Char(':') + name);
    }
    // First on the bar: in the narrowest dock it is still there, next to ».
    auto* settings = new QAction(tr("Settings"), bar);
    bar->insertAction(bar->actions().constFirst(), settings);
    settings->setObjectName(QStringLiteral("graphSettings"));
    settings->setToolTip(tr("The settings this narrow tool bar cannot show, as a menu"));
    settings->setMenu(settingsMenu(bar, this));
    if (auto* button = qobject_cast<QToolButton*>(bar->widgetForAction(settings)))
        button->setPopupMode(QToolButton::InstantPopup);
    attachmentsbar::watchSettingsVisibility(bar, settings);

    m_statusLabel = new QLabel(this);
    m_statusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_statusLabel->setContentsMargins(6, 2, 6, 2);
    m_statusLabel->setWordWrap(true);
    auto* footer = new QHBoxLayout;
    footer->setContentsMargins(0, 0, 0, 0);
    footer->addWidget(m_statusLabel, 1);
    footer->addWidget(m_hiddenButton);

    // Smaller than the views' own 200 px minimum, so a 160 px dock does not scroll sideways.
    m_view->setMinimumSize(120, 120);
    m_matrix->setMinimumSize(120, 120);
    m_statusLabel->setMinimumWidth(1); // wraps; a long word must not widen the page
    m_stack->addWidget(m_view);
    m_stack->addWidget(m_matrix);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(bar);
    m_banner = new QLabel(this);
    m_banner->setObjectName(QStringLiteral("externalBanner"));
    m_banner->setStyleSheet(externalBannerStyle());
    m_banner->hide();
    connect(m_banner, &QLabel::linkActivated, this, &AttachmentsPage::clearExternal);
    layout->addWidget(m_banner);
    layout->addWidget(m_stack, 1);
    layout->addLayout(footer);

    m_view->setEmptyText(tr("No Transit Gateway traffic to show.\nOpen TGW flow logs, or widen the filter."));

    connect(m_modeBar, &QTabBar::currentChanged, this, [this](int i) { setMode(i == 1 ? Mode::Matrix : Mode::Graph); });
    connect(m_dimensionBox, &QComboBox::currentIndexChanged, this,
            [this](int) { setDimension(static_cast<core::EdgeDimension>(m_dimensionBox->currentData().toInt())); });
    connect(m_weightBox, &QComboBox::currentIndexChanged, this,
            [this](int) { setWeight(static_cast<EdgeWeight>(m_weightBox->currentData().toInt())); });
    connect(m_rankBox, &QComboBox::currentIndexChanged, this,
            [this](int) { setRank(static_cast<EdgeRank>(m_rankBox->currentData().toInt())); });
    connect(m_groupBox, &QComboBox::currentIndexChanged, this,
            [this](int) { setGroupBy(static_cast<GroupBy>(m_groupBox->currentData().toInt())); });
    connect(m_measureBox, &QComboBox::currentIndexChanged, this,
            [this](int) { setMatrixMeasure(static_cast<MatrixMeasure>(m_measureBox->currentData().toInt())); });
    connect(m_orderBox, &QComboBox::currentIndexChanged, this,
            [this](int) { setMatrixOrder(static_cast<MatrixOrder>(m_orderBox->currentData().toInt())); });
    connect(worst, &QAction::triggered, this, [this]() { showWorst(20); });
    connect(m_findEdit, &QLineEdit::textChanged, this, [this](const QString& text) { find(text); });
    // Re-layout only when the slider is released.
    m_topSlider->setTracking(false);
    connect(m_topSlider, &QSlider::valueChanged, this, [this](int v) { setTopN(v); });
    connect(m_topSlider, &QSlider::sliderMoved, m_topLabel, [this](int v) { m_topLabel->setText(QString::number(v)); });
    connect(fit, &QAction::triggered, this, [this]() {
        if (m_mode == Mode::Matrix) m_matrix->fitToView();
        else m_view->fitToView();
    });
    connect(m_backAction, &QAction::triggered, m_session, &Session::back);
    connect(png, &QAction::triggered, this, [this]() { exportDialog(false); });
    connect(svg, &QAction::triggered, this, [this]() { exportDialog(true); });
    connect(csv, &QAction::triggered, this, &AttachmentsPage::copyEdgesCsv);
    connect(m_view, &GraphView::nodeClicked, this, &AttachmentsPage::onNodeClicked);
    connect(m_view, &GraphView::edgeClicked, this, &AttachmentsPage::onEdgeClicked);
    connect(m_view, &GraphView::resized, this, [this]() {
        // The layout takes the pane's shape: redo it when the shape changed a lot, unless the
        // user zoomed or panned (their view is kept as it is).
        if (!m_view->autoFit()) return;
        const double a = m_view->aspect();
        if (m_layoutAspect > 0 && std::abs(a - m_layoutAspect) / m_layoutAspect > 0.2) rebuild();
    });
    connect(m_matrix, &MatrixView::cellClicked, this, &AttachmentsPage::onEdgeClicked);
    connect(m_matrix, &MatrixView::headerClicked, this, &AttachmentsPage::onNodeClicked);
    connect(m_jobs, &JobTracker::busyChanged, this, &AttachmentsPage::setBusy);
    connect(m_session, &Session::storeChanged, this, &AttachmentsPage::requestRefresh);
    connect(m_session, &Session::namesChanged, this, [this]() {
        setNames(m_session->names());
        if (!graphFilter().isEmpty()) requestRefresh(); // the filter may name ids
    });
    connect(m_session, &Session::nameDisplayChanged, this, [this]() { setNames(m_session->names()); });
    if (!m_session->names().isEmpty()) setNames(m_session->names());
    connect(m_session, &Session::filterChanged, this, &AttachmentsPage::onFilterChanged);
    connect(m_session, &Session::backAvailableChanged, m_backAction, &QAction::setEnabled);

    m_measureAction->setVisible(false);
    m_orderAction->setVisible(false);
    updateTopLabel();
    rebuild();
}

AttachmentsPage::~AttachmentsPage() = default;

QString AttachmentsPage::hiddenSummaryText() const
{
    return hiddenSummary(m_view->graph().top, m_weight);
}

QString AttachmentsPage::statusText() const
{
    return m_statusLabel->text();
}

void AttachmentsPage::updateTopLabel()
{
    // The number the slider stands at: with fewer edges than the setting, that is all of them
    // (the setting is kept for a wider filter and said in the tooltip).
    const int shown = m_topSlider->value();
    m_topLabel->setText(QString::number(shown));
    m_topLabel->setToolTip(m_topN > shown ? tr("Top %1: all %2 edges are drawn").arg(m_topN).arg(shown) : QString());
}

void AttachmentsPage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_refresh.shown()) refresh();
}

void AttachmentsPage::requestRefresh()
{
    if (m_refresh.request(isVisible())) refresh();
}

QString AttachmentsPage::graphFilter() const
{
    return m_selectionTerms.isEmpty() ? m_session->filter() : m_drill.pageFilter(m_session->filter());
}

void AttachmentsPage::refresh()
{
    if (!m_refresh.start(!m_external)) return; // a query result is shown: recomputed on Back
    auto store = m_session->store();
    const QString filter = graphFilter();
    m_computedFilter = filter;
    const core::EdgeDimension dimension = m_dimension;
    if (!store) return;
    const GraphComparison comparison = m_comparison;
    m_jobs->run(
        [store, filter, dimension, comparison](const std::atomic<bool>* cancel) {
            EdgesReply reply;
            reply.dimension = dimension;
            const auto [baseFilter, curFilter] = comparisonFilters(comparison, filter);
            auto result = core::computeEdges(*store, curFilter, dimension, cancel);
            if (!result.ok()) {
                reply.error = result.error().toString();
                return reply;
            }
            reply.ok = true;
            reply.edges = std::move(result.value());
            if (comparison.active()) {
                const core::Store& base = comparison.baseline ? *comparison.baseline : *store;
                auto before = core::computeEdges(base, baseFilter, dimension, cancel);
                if (!before.ok()) {
                    reply.ok = false;
                    reply.error = QStringLiteral("baseline: ") + before.error().toString();
                    return reply;
                }
                reply.compared = true;
                reply.diffs = core::diffEdges(before.value(), reply.edges, comparison.threshold);
            }
            return reply;
        },
        [this](const EdgesReply& reply) {
            if (m_external) return;
            m_error = reply.ok ? QString() : reply.error;
            m_edges = reply.ok ? reply.edges : std::vector<core::Edge>();
            m_diffs = reply.ok ? reply.diffs : std::vector<core::EdgeDiff>();
            m_computedDimension = reply.dimension;
            m_matrixDirty = true;
            rebuild();
            Q_EMIT graphUpdated();
        });
}

void AttachmentsPage::rebuild()
{
    GraphOptions options;
    options.weight = m_weight;
    options.rank = m_rank;
    options.topN = m_topN;
    options.kinds = m_kinds;
    options.groups = m_computedDimension == core::EdgeDimension::Attachment ? nodeGroups() : QHash<QString, QString>();
    options.collapsed = m_collapsed;
    for (const core::EdgeDiff& d : m_diffs) // a change is drawn even below the top-N cut
        if (d.status != core::DiffStatus::Same) options.keep.insert(qMakePair(d.src, d.dst));
    Graph graph = buildGraph(m_diffs.empty() ? m_edges : comparedEdges(m_diffs), m_computedDimension, options);
    // Same nodes as shown, in a pane of the same shape: keep their places (and the user's
    // drags); else lay out afresh.
    const Graph& old = m_view->graph();
    const double aspect = m_view->aspect();
    bool sameNodes = !graph.nodes.empty() && old.nodes.size() == graph.nodes.size() && old.dimension == graph.dimension
                     && m_layoutAspect > 0 && std::abs(aspect - m_layoutAspect) / m_layoutAspect <= 0.2;
    for (size_t i = 0; sameNodes && i < graph.nodes.size(); ++i) {
        const int j = old.findNode(graph.nodes[i].id);
        if (j < 0) sameNodes = false;
        else graph.nodes[i].pos = old.nodes[static_cast<size_t>(j)].pos;
    }
    if (!sameNodes) {
        layoutGraph(graph, aspect);
        m_layoutAspect = aspect;
    }

    const int total = static_cast<int>(m_edges.size());
    m_topSlider->blockSignals(true);
    m_topSlider->setMaximum(std::clamp(total, 1, kMaxTopN));
    m_topSlider->setValue(std::min(m_topN, m_topSlider->maximum()));
    m_topSlider->blockSignals(false);
    updateTopLabel();

    m_view->setEmptyText(m_error.isEmpty() ? tr("No Transit Gateway traffic to show.\nOpen TGW flow logs, or widen the filter.")
                                           : tr("Could not compute edges:\n%1").arg(m_error));
    m_view->setGraph(std::move(graph), !sameNodes);
    m_view->setDecorations(diffDecorations(m_diffs, GraphStyle::fromPalette(m_view->palette())));
    updateGroupsMenu();
    updateHiddenMenu();
    if (m_mode == Mode::Matrix && m_matrixDirty) rebuildMatrix(true);
    if (!m_findText.isEmpty()) find(m_findText);
    updateStatus();
}

void AttachmentsPage::rebuildMatrix(bool fit)
{
    m_matrixDirty = false;
    // As the graph: with a comparison, every pair of either side (a gone one at its baseline counts).
    m_matrix->setMatrix(
        buildMatrix(m_diffs.empty() ? m_edges : comparedEdges(m_diffs), m_matrixMeasure, m_matrixOrder, m_view->labels()), fit);
    m_matrix->setDecorations(diffDecorations(m_diffs, GraphStyle::fromPalette(m_matrix->palette())));
}

void AttachmentsPage::updateStatus()
{
    const Graph& graph = m_view->graph();
    const int total = static_cast<int>(m_edges.size());
    const int shown = static_cast<int>(graph.edges.size());
    if (!m_error.isEmpty()) {
        m_statusLabel->setText(tr("Could not compute edges: %1").arg(m_error));
        return;
    }
    qint64 flows = 0, bytes = 0, dropped = 0;
    for (const auto& e : m_edges) {
        flows += e.flows;
        bytes += e.bytes;
        dropped += e.dropped();
    }
    QString s;
    if (m_mode == Mode::Matrix) {
        const auto& mx = m_matrix->model()->matrix();
        s = tr("%1 entry x %2 exit \u00b7 %3 pairs \u00b7 %4 flows \u00b7 %5")
                .arg(mx.rowCount())
                .arg(mx.colCount())
                .arg(formatInteger(total), formatInteger(flows), formatBytes(bytes));
    } else {
        s = tr("%1 nodes \u00b7 %2 of %3 edges (by %4) \u00b7 %5 flows \u00b7 %6")
                .arg(graph.nodes.size())
                .arg(shown)
                .arg(formatInteger(total), edgeRankName(m_rank), formatInteger(flows), formatBytes(bytes));
    }
    if (dropped > 0) s += tr(" \u00b7 %1 dropped packets").arg(formatInteger(dropped));
    if (!m_findText.isEmpty()) {
        int n = 0;
        for (const auto& id : m_view->found())
            if (!isGroupId(id)) ++n;
        s += tr(" \u00b7 find \"%1\": %2 match%3").arg(m_findText).arg(n).arg(n == 1 ? QString() : tr("es"));
    }
    if (m_comparison.active() && !m_external) s += QStringLiteral(" \u00b7 ") + diffSummary(m_diffs, m_comparison);
    if (m_external) s += tr("   \u2014 a query result: the filter and clicks apply to the local data after Back");
    else if (!m_selectionTerms.isEmpty()) s += tr("   \u2014 selection highlighted; the drawing shows the filter before it");
    else s += tr("   (each flow counted once; click to filter, Shift/Ctrl+click to add)");
    m_statusLabel->setText(s);
}

void AttachmentsPage::setExternalEdges(std::vector<core::Edge> edges, core::EdgeDimension dimension, const QString& source)
{
    m_external = true;
    m_refresh.invalidate();
    setDimension(dimension); // the local view comes back with the result's dimension
    m_selectionTerms.clear();
    m_selection = {};
    m_view->setSelection(m_selection);
    m_matrix->setSelection(m_selection);
    m_error.clear();
    m_edges = std::move(edges);
    m_computedDimension = dimension;
    m_matrixDirty = true;
    m_banner->setText(externalBannerText(source));
    m_banner->show();
    rebuild();
    Q_EMIT externalChanged(true);
    Q_EMIT graphUpdated();
}

void AttachmentsPage::clearExternal()
{
    if (!m_external) return;
    m_external = false;
    m_banner->hide();
    m_banner->clear();
    m_edges.clear();
    m_matrixDirty = true;
    rebuild();
    Q_EMIT externalChanged(false);
    requestRefresh();
}

QString AttachmentsPage::bannerText() const
{
    return m_external ? m_banner->text() : QString();
}

void AttachmentsPage::setBusy(bool busy)
{
    if (busy == m_busy) return;
    m_busy = busy;
    m_busyAction->setVisible(busy);
    Q_EMIT busyChanged(busy);
}

} // namespace ui
