#include "ui/graph/attachmentspage.h"

#include "core/export/csv.h"
#include "core/query/filter.h"
#include "ui/logic/graphfilter.h"
#include "ui/logic/jobtracker.h"
#include "ui/logic/session.h"

#include <QAction>
#include <QApplication>
#include <QBuffer>
#include <QClipboard>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QMessageBox>
#include <QPainter>
#include <QProgressBar>
#include <QSaveFile>
#include <QSlider>
#include <QStyle>
#include <QSvgGenerator>
#include <QToolBar>
#include <QVBoxLayout>

namespace ui {
namespace {

struct EdgesReply {
    bool ok = false;
    QString error;
    core::EdgeDimension dimension = core::EdgeDimension::Attachment;
    std::vector<core::Edge> edges;
};

constexpr int kMaxTopN = 500;

QSize exportSize(const QWidget* view)
{
    const QSize s = view->size();
    if (view->isVisible() && s.width() >= 400 && s.height() >= 300) return s;
    return {1600, 1000};
}

} // namespace

AttachmentsPage::AttachmentsPage(Session* session, QWidget* parent)
    : QWidget(parent), m_session(session), m_jobs(new JobTracker(this)), m_view(new GraphView(this))
{
    setObjectName(QStringLiteral("attachmentsPage"));
    auto* bar = new QToolBar(this);
    bar->setIconSize(QSize(16, 16));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);

    m_dimensionBox = new QComboBox(bar);
    m_dimensionBox->setToolTip(tr("What a node is: attachment, VPC, subnet, Availability Zone, account or address"));
    for (auto d : {core::EdgeDimension::Attachment, core::EdgeDimension::Vpc, core::EdgeDimension::Subnet,
                   core::EdgeDimension::Az, core::EdgeDimension::Account, core::EdgeDimension::Addr})
        m_dimensionBox->addItem(core::edgeDimensionName(d), static_cast<int>(d));
    m_weightBox = new QComboBox(bar);
    m_weightBox->setToolTip(tr("What edge width and the top-N ranking measure"));
    for (auto w : {EdgeWeight::Bytes, EdgeWeight::Packets, EdgeWeight::Flows})
        m_weightBox->addItem(edgeWeightName(w), static_cast<int>(w));
    m_topSlider = new QSlider(Qt::Horizontal, bar);
    m_topSlider->setRange(1, kMaxTopN);
    m_topSlider->setValue(m_topN);
    m_topSlider->setMaximumWidth(160);
    m_topSlider->setToolTip(tr("How many of the heaviest edges to draw (edges with drops are always drawn)"));
    m_topLabel = new QLabel(bar);
    m_hiddenLabel = new QLabel(bar);
    m_hiddenLabel->setToolTip(tr("Edges not drawn; raise the slider to see them"));
    m_busyBar = new QProgressBar(bar);
    m_busyBar->setRange(0, 0);
    m_busyBar->setMaximumWidth(70);
    m_busyBar->setMaximumHeight(14);
    m_busyBar->setTextVisible(false);
    m_busyBar->setToolTip(tr("Computing edges..."));

    bar->addWidget(new QLabel(tr("Nodes: "), bar));
    bar->addWidget(m_dimensionBox);
    bar->addWidget(new QLabel(tr("  Weight: "), bar));
    bar->addWidget(m_weightBox);
    bar->addWidget(new QLabel(tr("  Top "), bar));
    bar->addWidget(m_topSlider);
    bar->addWidget(m_topLabel);
    bar->addWidget(m_hiddenLabel);
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
    fit->setToolTip(tr("Fit the graph to the window (F)"));
    addAction(fit);
    auto* png = bar->addAction(tr("PNG..."));
    png->setToolTip(tr("Export the graph as a PNG image"));
    auto* svg = bar->addAction(tr("SVG..."));
    svg->setToolTip(tr("Export the graph as an SVG drawing"));
    auto* csv = bar->addAction(tr("Copy CSV"));
    csv->setToolTip(tr("Copy all edges as CSV (the columns of flowlog-cli edges)"));

    m_statusLabel = new QLabel(this);
    m_statusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_statusLabel->setContentsMargins(6, 2, 6, 2);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(bar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_statusLabel);

    m_view->setEmptyText(tr("No Transit Gateway traffic to show.\nOpen TGW flow logs, or widen the filter."));

    connect(m_dimensionBox, &QComboBox::currentIndexChanged, this,
            [this](int) { setDimension(static_cast<core::EdgeDimension>(m_dimensionBox->currentData().toInt())); });
    connect(m_weightBox, &QComboBox::currentIndexChanged, this,
            [this](int) { setWeight(static_cast<EdgeWeight>(m_weightBox->currentData().toInt())); });
    // Re-layout only when the slider is released (a 200-node layout takes ~0.1 s).
    m_topSlider->setTracking(false);
    connect(m_topSlider, &QSlider::valueChanged, this, [this](int v) { setTopN(v); });
    connect(m_topSlider, &QSlider::sliderMoved, m_topLabel, [this](int v) { m_topLabel->setText(QString::number(v)); });
    connect(fit, &QAction::triggered, m_view, &GraphView::fitToView);
    connect(m_backAction, &QAction::triggered, m_session, &Session::back);
    connect(png, &QAction::triggered, this, [this]() { exportDialog(false); });
    connect(svg, &QAction::triggered, this, [this]() { exportDialog(true); });
    connect(csv, &QAction::triggered, this, &AttachmentsPage::copyEdgesCsv);
    connect(m_view, &GraphView::nodeClicked, this, &AttachmentsPage::onNodeClicked);
    connect(m_view, &GraphView::edgeClicked, this, &AttachmentsPage::onEdgeClicked);
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

    m_topLabel->setText(QString::number(m_topN));
    rebuild();
}

AttachmentsPage::~AttachmentsPage() = default;

void AttachmentsPage::setDimension(core::EdgeDimension dimension)
{
    if (dimension == m_dimension) return;
    m_dimension = dimension;
    const int i = m_dimensionBox->findData(static_cast<int>(dimension));
    if (i != m_dimensionBox->currentIndex()) m_dimensionBox->setCurrentIndex(i);
    m_selectionTerms.clear();
    m_selection = {};
    m_view->setSelection(m_selection);
    requestRefresh();
}

void AttachmentsPage::setWeight(EdgeWeight weight)
{
    if (weight == m_weight) return;
    m_weight = weight;
    const int i = m_weightBox->findData(static_cast<int>(weight));
    if (i != m_weightBox->currentIndex()) m_weightBox->setCurrentIndex(i);
    rebuild();
}

void AttachmentsPage::setTopN(int n)
{
    n = std::clamp(n, 1, kMaxTopN);
    if (n == m_topN) return;
    m_topN = n;
    if (m_topSlider->value() != n) m_topSlider->setValue(n);
    m_topLabel->setText(QString::number(n));
    rebuild();
}

void AttachmentsPage::setNodeKinds(const QHash<QString, NodeKind>& kinds)
{
    m_kinds = kinds;
    rebuild();
}

void AttachmentsPage::setNodeLabels(const QHash<QString, QString>& labels)
{
    m_view->setLabels(labels);
}

void AttachmentsPage::setNames(const core::NameDirectory& names)
{
    QHash<QString, NodeKind> kinds;
    QHash<QString, QString> labels;
    for (const auto& e : names.entries()) {
        if (e.id.startsWith(QLatin1String("tgw-attach-"))) {
            const NodeKind k = nodeKindFromString(e.kind);
            if (k != NodeKind::Unknown) kinds.insert(e.id, k);
        }
        // Labels follow the Session's name display (Ids: none, so nodes show their ids).
        if (e.name.isEmpty()) continue;
        if (m_session->nameDisplay() == NameDisplay::Name) labels.insert(e.id, e.name);
        else if (m_session->nameDisplay() == NameDisplay::NameAndId) labels.insert(e.id, names.label(e.id));
    }
    m_view->setLabels(labels);
    setNodeKinds(kinds);
}

QString AttachmentsPage::hiddenSummaryText() const
{
    return hiddenSummary(m_view->graph().top, m_weight);
}

void AttachmentsPage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_dirty) refresh();
}

void AttachmentsPage::requestRefresh()
{
    m_dirty = true;
    if (isVisible()) refresh();
}

QString AttachmentsPage::graphFilter() const
{
    if (!m_selectionTerms.isEmpty() && m_session->filter() == m_expectedFilter) return m_selectionBase;
    return m_session->filter();
}

void AttachmentsPage::refresh()
{
    m_dirty = false;
    auto store = m_session->store();
    const QString filter = graphFilter();
    m_computedFilter = filter;
    const core::EdgeDimension dimension = m_dimension;
    if (!store) return;
    m_jobs->run(
        [store, filter, dimension](const std::atomic<bool>* cancel) {
            EdgesReply reply;
            reply.dimension = dimension;
            auto result = core::computeEdges(*store, filter, dimension, cancel);
            if (result.ok()) {
                reply.ok = true;
                reply.edges = std::move(result.value());
            } else {
                reply.error = result.error().toString();
            }
            return reply;
        },
        [this](const EdgesReply& reply) {
            m_error = reply.ok ? QString() : reply.error;
            m_edges = reply.ok ? reply.edges : std::vector<core::Edge>();
            m_computedDimension = reply.dimension;
            rebuild();
            Q_EMIT graphUpdated();
        });
}

void AttachmentsPage::rebuild()
{
    Graph graph = buildGraph(m_edges, m_computedDimension, m_weight, m_topN, m_kinds);
    // Same nodes as shown: keep their places (and the user's drags); else lay out afresh.
    const Graph& old = m_view->graph();
    bool sameNodes = !graph.nodes.empty() && old.nodes.size() == graph.nodes.size() && old.dimension == graph.dimension;
    for (size_t i = 0; sameNodes && i < graph.nodes.size(); ++i) {
        const int j = old.findNode(graph.nodes[i].id);
        if (j < 0) sameNodes = false;
        else graph.nodes[i].pos = old.nodes[static_cast<size_t>(j)].pos;
    }
    if (!sameNodes) layoutGraph(graph);

    const int total = static_cast<int>(m_edges.size());
    m_topSlider->blockSignals(true);
    m_topSlider->setMaximum(std::clamp(total, 1, kMaxTopN));
    m_topSlider->setValue(std::min(m_topN, m_topSlider->maximum()));
    m_topSlider->blockSignals(false);
    m_topLabel->setText(QString::number(m_topN));
    m_hiddenLabel->setText(QStringLiteral("  ") + hiddenSummary(graph.top, m_weight));

    m_view->setEmptyText(m_error.isEmpty() ? tr("No Transit Gateway traffic to show.\nOpen TGW flow logs, or widen the filter.")
                                           : tr("Could not compute edges:\n%1").arg(m_error));
    m_view->setGraph(std::move(graph), !sameNodes);
    updateStatus();
}

void AttachmentsPage::updateStatus()
{
    const Graph& graph = m_view->graph();
    const int total = static_cast<int>(m_edges.size());
    const int shown = static_cast<int>(graph.edges.size());
    if (!m_error.isEmpty()) {
        m_statusLabel->setText(tr("Could not compute edges: %1").arg(m_error));
    } else {
        qint64 flows = 0, bytes = 0, dropped = 0;
        for (const auto& e : m_edges) {
            flows += e.flows;
            bytes += e.bytes;
            dropped += e.dropped();
        }
        QString s = tr("%1 nodes \u00b7 %2 of %3 edges \u00b7 %4 flows \u00b7 %5")
                        .arg(graph.nodes.size())
                        .arg(shown)
                        .arg(formatInteger(total), formatInteger(flows), formatBytes(bytes));
        if (dropped > 0) s += tr(" \u00b7 %1 dropped packets").arg(formatInteger(dropped));
        if (!m_selectionTerms.isEmpty()) s += tr("   \u2014 selection highlighted; the graph shows the filter before it");
        else
            s += tr("   (each flow counted once, even when logged at both attachments; click to filter, "
                    "Shift/Ctrl+click to add)");
        m_statusLabel->setText(s);
    }
}

void AttachmentsPage::onNodeClicked(const QString& id, Qt::KeyboardModifiers modifiers)
{
    select(nodeFilter(m_computedDimension, id), modifiers & (Qt::ShiftModifier | Qt::ControlModifier), id, {});
}

void AttachmentsPage::onEdgeClicked(const QString& src, const QString& dst, Qt::KeyboardModifiers modifiers)
{
    select(edgeFilter(m_computedDimension, src, dst), modifiers & (Qt::ShiftModifier | Qt::ControlModifier), {}, {src, dst});
}

void AttachmentsPage::select(const QString& term, bool additive, const QString& node, const QPair<QString, QString>& edge)
{
    if (!additive || m_selectionTerms.isEmpty()) {
        m_selectionBase = m_session->filter();
        m_selectionTerms = {term};
        m_selection = {};
        if (!node.isNull()) m_selection.nodes.insert(node);
        else m_selection.edges.insert(edge);
    } else if (m_selectionTerms.contains(term)) {
        // Shift/Ctrl-click on a selected item takes it out again.
        m_selectionTerms.removeAll(term);
        m_selection.nodes.remove(node);
        m_selection.edges.remove(edge);
    } else {
        m_selectionTerms << term;
        if (!node.isNull()) m_selection.nodes.insert(node);
        else m_selection.edges.insert(edge);
    }
    m_view->setSelection(m_selection);
    m_expectedFilter = selectionFilter(m_selectionBase, m_selectionTerms).trimmed();
    m_session->setFilter(m_expectedFilter);
    if (m_selectionTerms.isEmpty()) m_selection = {};
    updateStatus();
}

void AttachmentsPage::onFilterChanged(const QString& expression)
{
    if (expression != m_expectedFilter) {
        // Someone else (filter bar, Back) changed the filter: the click selection is over.
        m_selectionTerms.clear();
        m_selection = {};
        m_view->setSelection(m_selection);
        m_expectedFilter.clear();
    }
    if (graphFilter() != m_computedFilter) requestRefresh();
}

void AttachmentsPage::setBusy(bool busy)
{
    if (busy == m_busy) return;
    m_busy = busy;
    m_busyAction->setVisible(busy);
    Q_EMIT busyChanged(busy);
}

QByteArray AttachmentsPage::edgesCsv() const
{
    QByteArray out = core::csvRecord({QStringLiteral("src"), QStringLiteral("dst"), QStringLiteral("flows"),
                                      QStringLiteral("packets"), QStringLiteral("bytes"), QStringLiteral("packets_lost_no_route"),
                                      QStringLiteral("packets_lost_blackhole"), QStringLiteral("packets_lost_mtu_exceeded"),
                                      QStringLiteral("packets_lost_ttl_expired")});
    for (const auto& e : m_edges) {
        QStringList f{e.src, e.dst, QString::number(e.flows), QString::number(e.packets), QString::number(e.bytes)};
        for (qint64 l : e.lost) f << QString::number(l);
        out += core::csvRecord(f);
    }
    return out;
}

void AttachmentsPage::copyEdgesCsv()
{
    QApplication::clipboard()->setText(QString::fromUtf8(edgesCsv()));
    m_statusLabel->setText(tr("Copied %1 edges as CSV.").arg(formatInteger(static_cast<qint64>(m_edges.size()))));
}

bool AttachmentsPage::exportPng(const QString& path, QString* error) const
{
    const QSize size = exportSize(m_view);
    QImage image(size * 2, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(2.0);
    {
        QPainter p(&image);
        p.setFont(m_view->font());
        m_view->render(p, QSizeF(size));
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit()) {
        if (error) *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

bool AttachmentsPage::exportSvg(const QString& path, QString* error) const
{
    const QSize size = exportSize(m_view);
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    {
        QSvgGenerator gen;
        gen.setOutputDevice(&buffer);
        gen.setSize(size);
        gen.setViewBox(QRect(QPoint(0, 0), size));
        gen.setTitle(tr("Transit Gateway attachments"));
        gen.setDescription(tr("Filter: %1").arg(m_session->filter().isEmpty() ? tr("(none)") : m_session->filter()));
        QPainter p(&gen);
        p.setFont(m_view->font());
        m_view->render(p, QSizeF(size));
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(buffer.data()) != buffer.data().size() || !file.commit()) {
        if (error) *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void AttachmentsPage::exportDialog(bool svg)
{
    const QString filterText = svg ? tr("SVG drawing (*.svg)") : tr("PNG image (*.png)");
    QString path =
        QFileDialog::getSaveFileName(this, svg ? tr("Export graph as SVG") : tr("Export graph as PNG"),
                                     svg ? QStringLiteral("attachments.svg") : QStringLiteral("attachments.png"), filterText);
    if (path.isEmpty()) return;
    const QString suffix = svg ? QStringLiteral(".svg") : QStringLiteral(".png");
    if (!path.endsWith(suffix, Qt::CaseInsensitive)) path += suffix;
    QString error;
    const bool ok = svg ? exportSvg(path, &error) : exportPng(path, &error);
    if (!ok) QMessageBox::warning(this, tr("Export failed"), error);
    else m_statusLabel->setText(tr("Exported %1").arg(path));
}

} // namespace ui
