#include "ui/compare/comparepage.h"

#include "core/ingest/loader.h"
#include "core/sessionfile/sessionfile.h"
#include "ui/logic/graphfilter.h"
#include "ui/logic/jobtracker.h"
#include "ui/logic/session.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>

namespace ui {

namespace {

struct DiffResult {
    std::vector<core::EdgeDiff> edges;
    std::vector<core::DropDiff> drops;
    QString error;
};

struct BaselineResult {
    std::shared_ptr<core::Store> store;
    QString error;
};

/// "2026-11-29 10:00[:00]" (UTC) or Unix seconds.
std::optional<qint64> parseTime(const QString& text)
{
    const QString t = text.trimmed();
    bool ok = false;
    const qint64 secs = t.toLongLong(&ok);
    if (ok) return secs;
    for (const char* f : {"yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm"}) {
        QDateTime d = QDateTime::fromString(t.endsWith(QLatin1Char('Z')) ? t.chopped(1) : t, QLatin1String(f));
        if (!d.isValid()) continue;
        d.setTimeSpec(Qt::UTC);
        return d.toSecsSinceEpoch();
    }
    return std::nullopt;
}

} // namespace

ComparePage::ComparePage(Session* session, QWidget* parent)
    : QWidget(parent), m_session(session), m_jobs(new JobTracker(this)), m_loads(new JobTracker(this)), m_label(new QLabel(this)),
      m_by(new QComboBox(this)), m_threshold(new QDoubleSpinBox(this)), m_showSame(new QCheckBox(tr("Show unchanged"), this)),
      m_clear(new QPushButton(tr("Clear"), this)), m_edgeModel(new QStandardItemModel(0, EdgeColumnCount, this)),
      m_dropModel(new QStandardItemModel(0, DropColumnCount, this)), m_edgeProxy(new QSortFilterProxyModel(this)),
      m_dropProxy(new QSortFilterProxyModel(this)), m_edgeView(new QTableView(this)), m_dropView(new QTableView(this))
{
    setObjectName(QStringLiteral("compare"));
    m_by->setObjectName(QStringLiteral("compareBy"));
    for (const auto& [label, dim] :
         {std::pair{tr("Attachment"), core::EdgeDimension::Attachment}, std::pair{tr("VPC"), core::EdgeDimension::Vpc},
          std::pair{tr("Subnet"), core::EdgeDimension::Subnet}, std::pair{tr("Address"), core::EdgeDimension::Addr}})
        m_by->addItem(label, static_cast<int>(dim));
    m_threshold->setObjectName(QStringLiteral("compareThreshold"));
    m_threshold->setRange(0, 10000);
    m_threshold->setDecimals(0);
    m_threshold->setValue(20);
    m_threshold->setSuffix(QStringLiteral(" %"));
    m_threshold->setToolTip(tr("An edge is 'changed' when its flows, packets, bytes or drops moved by more than this"));
    m_offset = new QComboBox(this);
    m_offset->setObjectName(QStringLiteral("compareTimelineOffset"));
    m_offset->addItem(tr("Split time / start"), QVariant());
    m_offset->addItem(tr("Same hour yesterday"), QVariant(qint64(86400)));
    m_offset->addItem(tr("Same day last week"), QVariant(qint64(7 * 86400)));
    m_offset->setToolTip(tr("How the Timeline lays the baseline over the current bars: its start on the split time (or on "
                            "the current flows' start), or moved by one day or one week"));
    m_showSame->setObjectName(QStringLiteral("compareShowSame"));
    m_label->setObjectName(QStringLiteral("compareBaseline"));
    m_label->setText(tr("No baseline: use Compare With… to pick a saved session, other log files or a split time."));
    m_label->setWordWrap(true);
    auto* choose = new QPushButton(tr("Compare With…"), this);
    choose->setObjectName(QStringLiteral("compareChoose"));
    connect(choose, &QPushButton::clicked, this, &ComparePage::chooseBaseline);
    m_clear->setObjectName(QStringLiteral("compareClear"));
    connect(m_clear, &QPushButton::clicked, this, &ComparePage::clearBaseline);
    m_clear->setEnabled(false);

    auto* bar = new QHBoxLayout;
    bar->addWidget(choose);
    bar->addWidget(m_clear);
    bar->addSpacing(12);
    bar->addWidget(new QLabel(tr("By:"), this));
    bar->addWidget(m_by);
    bar->addWidget(new QLabel(tr("Changed above:"), this));
    bar->addWidget(m_threshold);
    bar->addWidget(m_showSame);
    bar->addWidget(new QLabel(tr("Timeline:"), this));
    bar->addWidget(m_offset);
    bar->addStretch(1);

    m_edgeModel->setHorizontalHeaderLabels({tr("Change"), tr("Source"), tr("Destination"), tr("Flows before"), tr("Flows after"),
                                            tr("Bytes before"), tr("Bytes after"), tr("Δ Bytes"), tr("Δ %"), tr("Dropped before"),
                                            tr("Dropped after")});
    m_dropModel->setHorizontalHeaderLabels({tr("Change"), tr("Entry"), tr("Exit"), tr("Reason"), tr("Packets before"),
                                            tr("Packets after"), tr("Δ Packets"), tr("Records before"), tr("Records after")});
    for (auto [view, proxy, model, name] : {std::tuple{m_edgeView, m_edgeProxy, m_edgeModel, "compareEdges"},
                                            std::tuple{m_dropView, m_dropProxy, m_dropModel, "compareDrops"}}) {
        proxy->setSourceModel(model);
        proxy->setSortRole(RawRole);
        view->setObjectName(QLatin1String(name));
        view->setModel(proxy);
        view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder); // the diff's order until a header is clicked
        view->setSortingEnabled(true);
        view->setSelectionBehavior(QAbstractItemView::SelectRows);
        view->setEditTriggers(QAbstractItemView::NoEditTriggers);
        view->verticalHeader()->hide();
        view->horizontalHeader()->setStretchLastSection(true);
        view->setAlternatingRowColors(false);
    }
    m_edgeView->setToolTip(tr("Click a row to filter the session to that edge"));
    m_dropView->setToolTip(tr("Click a row to filter the session to those drops"));
    connect(m_edgeView, &QTableView::clicked, this, &ComparePage::filterOnEdge);
    connect(m_dropView, &QTableView::clicked, this, &ComparePage::filterOnDrop);

    auto* split = m_tables = new QSplitter(Qt::Vertical, this);
    auto* edgesBox = new QWidget(split);
    auto* el = new QVBoxLayout(edgesBox);
    el->setContentsMargins(0, 0, 0, 0);
    el->addWidget(new QLabel(tr("<b>Edges</b> — traffic between endpoints, one count per flow"), edgesBox));
    el->addWidget(m_edgeView);
    auto* dropsBox = new QWidget(split);
    auto* dl = new QVBoxLayout(dropsBox);
    dl->setContentsMargins(0, 0, 0, 0);
    dl->addWidget(new QLabel(tr("<b>Drops</b> — packets lost at the TGW and VPC rejects"), dropsBox));
    dl->addWidget(m_dropView);
    split->addWidget(edgesBox);
    split->addWidget(dropsBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_label);
    layout->addWidget(split, 1);

    connect(m_by, &QComboBox::currentIndexChanged, this, &ComparePage::recompute);
    connect(m_threshold, &QDoubleSpinBox::valueChanged, this, &ComparePage::recompute);
    connect(m_threshold, &QDoubleSpinBox::valueChanged, this, &ComparePage::comparisonChanged);
    connect(m_offset, &QComboBox::currentIndexChanged, this, &ComparePage::comparisonChanged);
    connect(m_showSame, &QCheckBox::toggled, this, &ComparePage::recompute);
    connect(m_session, &Session::filterChanged, this, &ComparePage::recompute);
    connect(m_session, &Session::storeChanged, this, &ComparePage::recompute);
    connect(m_session, &Session::nameDisplayChanged, this, &ComparePage::recompute);
}

ComparePage::~ComparePage() = default;

core::EdgeDimension ComparePage::dimension() const
{
    return static_cast<core::EdgeDimension>(m_by->currentData().toInt());
}

void ComparePage::chooseBaseline()
{
    QMenu menu(this);
    QAction* files = menu.addAction(tr("A Saved Session or Log Files…"));
    QAction* folder = menu.addAction(tr("A Folder of Log Files…"));
    QAction* split = menu.addAction(tr("This Session Split at a Time…"));
    QAction* chosen = menu.exec(QCursor::pos());
    QSettings settings;
    const QString dir = settings.value(QStringLiteral("load/lastDir"), QDir::homePath()).toString();
    if (chosen == files) {
        const QStringList paths = QFileDialog::getOpenFileNames(
            this, tr("Compare With"), dir, tr("Sessions and flow logs (*.flowlog *.log *.gz *.txt *.json *.csv);;All files (*)"));
        if (!paths.isEmpty()) openBaseline(paths);
    } else if (chosen == folder) {
        const QString d = QFileDialog::getExistingDirectory(this, tr("Compare With Folder"), dir);
        if (!d.isEmpty()) openBaseline({d});
    } else if (chosen == split) {
        qint64 first = 0, last = 0;
        if (auto st = m_session->store()->prepare(QStringLiteral("SELECT min(start), max(start) FROM flows"));
            st.ok() && st->next()) {
            first = st->int64(0);
            last = st->int64(1);
        }
        const QString mid =
            QDateTime::fromSecsSinceEpoch(first + (last - first) / 2, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        bool ok = false;
        const QString text = QInputDialog::getText(
            this, tr("Split at Time"), tr("Records starting before this time (UTC, or Unix seconds) are the baseline:"),
            QLineEdit::Normal, mid, &ok);
        if (!ok) return;
        const auto t = parseTime(text);
        if (!t) {
            m_label->setText(tr("'%1' is not a time: write 2026-11-29 10:00 (UTC) or Unix seconds.").arg(text));
            return;
        }
        setSplitTime(*t);
    }
}

void ComparePage::setBaselineStore(std::shared_ptr<core::Store> store, const QString& label)
{
    m_baselinePaths.clear();
    m_baseline = std::move(store);
    m_baselineLabel = label;
    m_split.reset();
    m_clear->setEnabled(true);
    recompute();
    Q_EMIT comparisonChanged();
}

void ComparePage::setSplitTime(qint64 splitTime)
{
    m_baseline.reset();
    m_baselinePaths.clear();
    m_split = splitTime;
    m_baselineLabel = tr("before %1").arg(m_session->formatTime(splitTime));
    m_clear->setEnabled(true);
    recompute();
    Q_EMIT comparisonChanged();
}

void ComparePage::clearBaseline()
{
    m_baseline.reset();
    m_baselinePaths.clear();
    m_split.reset();
    m_jobs->cancelAll();
    m_edgeModel->removeRows(0, m_edgeModel->rowCount());
    m_dropModel->removeRows(0, m_dropModel->rowCount());
    m_clear->setEnabled(false);
    m_label->setText(tr("No baseline: use Compare With… to pick a saved session, other log files or a split time."));
    Q_EMIT comparisonChanged();
}

double ComparePage::threshold() const
{
    return m_threshold->value();
}

std::optional<qint64> ComparePage::timelineOffset() const
{
    const QVariant v = m_offset->currentData();
    if (!v.isValid()) return std::nullopt;
    return v.toLongLong();
}

void ComparePage::setTimelineOffset(std::optional<qint64> offset)
{
    for (int i = 0; i < m_offset->count(); ++i) {
        const QVariant v = m_offset->itemData(i);
        if (offset ? (v.isValid() && v.toLongLong() == *offset) : !v.isValid()) m_offset->setCurrentIndex(i);
    }
}

void ComparePage::openBaseline(const QStringList& paths)
{
    if (paths.isEmpty()) return;
    const QString label =
        paths.size() == 1 ? QFileInfo(paths.front()).fileName() : tr("%n file(s)", nullptr, static_cast<int>(paths.size()));
    m_label->setText(tr("Loading the baseline %1…").arg(label));
    m_loads->run(
        [paths](const std::atomic<bool>* cancel) {
            BaselineResult r;
            if (paths.size() == 1 && QFileInfo(paths.front()).isFile() && core::isSessionFile(paths.front())) {
                auto opened = core::openSession(paths.front());
                if (!opened.ok()) r.error = opened.error().message;
                else r.store = std::shared_ptr<core::Store>(std::move(opened->store));
                return r;
            }
            auto created = core::Store::create();
            if (!created.ok()) {
                r.error = created.error().message;
                return r;
            }
            r.store = std::shared_ptr<core::Store>(std::move(created.value()));
            core::LoadOptions options;
            options.read.cancel = cancel;
            const core::LoadReport report = core::loadPaths(*r.store, paths, options);
            if (report.outcome != core::Outcome::Ok) {
                r.error = report.errors.isEmpty() ? QObject::tr("Nothing could be loaded from the baseline files.")
                                                  : report.errors.front();
                r.store.reset();
            }
            return r;
        },
        [this, label, paths](const BaselineResult& r) {
            if (!r.store) {
                m_label->setText(tr("The baseline could not be opened: %1").arg(r.error));
                Q_EMIT baselineFailed(r.error);
                return;
            }
            setBaselineStore(r.store, label);
            m_baselinePaths = paths;
        });
}

QByteArray ComparePage::baselineState() const
{
    QJsonObject o;
    if (m_split) {
        o.insert(QStringLiteral("kind"), QStringLiteral("split"));
        o.insert(QStringLiteral("time"), *m_split);
    } else if (m_baseline && !m_baselinePaths.isEmpty()) {
        o.insert(QStringLiteral("kind"), QStringLiteral("paths"));
        o.insert(QStringLiteral("paths"), QJsonArray::fromStringList(m_baselinePaths));
    } else {
        return {};
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

void ComparePage::restoreBaseline(const QByteArray& state)
{
    const QJsonObject o = QJsonDocument::fromJson(state).object();
    const QString kind = o.value(QStringLiteral("kind")).toString();
    if (kind == QLatin1String("split")) {
        setSplitTime(o.value(QStringLiteral("time")).toInteger());
        return;
    }
    QStringList paths;
    for (const QJsonValue& v : o.value(QStringLiteral("paths")).toArray()) paths << v.toString();
    if (kind == QLatin1String("paths") && !paths.isEmpty()) {
        QStringList missing;
        for (const QString& p : paths)
            if (!QFileInfo::exists(p)) missing << QDir::toNativeSeparators(p);
        if (!missing.isEmpty()) {
            clearBaseline();
            m_label->setText(tr("The saved baseline is not available any more (missing: %1). Use Compare With… to pick another.")
                                 .arg(missing.join(QStringLiteral(", "))));
            return;
        }
        openBaseline(paths);
        return;
    }
    clearBaseline();
}

void ComparePage::recompute()
{
    if (!hasBaseline()) return;
    const std::shared_ptr<core::Store> current = m_session->store();
    const std::shared_ptr<core::Store> baseline = m_baseline ? m_baseline : current;
    const QString filter = m_session->filter();
    const QString baseFilter = m_split ? core::splitFilter(filter, *m_split, true) : filter;
    const QString curFilter = m_split ? core::splitFilter(filter, *m_split, false) : filter;
    const core::EdgeDimension dim = dimension();
    const double threshold = m_threshold->value();
    m_label->setText(tr("Comparing with %1…").arg(m_baselineLabel));
    m_jobs->run(
        [=](const std::atomic<bool>* cancel) {
            DiffResult r;
            auto a = core::computeEdges(*baseline, baseFilter, dim, cancel);
            auto b = core::computeEdges(*current, curFilter, dim, cancel);
            auto da = core::computeDrops(*baseline, baseFilter, nullptr, cancel);
            auto db = core::computeDrops(*current, curFilter, nullptr, cancel);
            for (const core::Error* e : {a.ok() ? nullptr : &a.error(), b.ok() ? nullptr : &b.error(),
                                         da.ok() ? nullptr : &da.error(), db.ok() ? nullptr : &db.error()})
                if (e) {
                    r.error = e->message;
                    return r;
                }
            r.edges = core::diffEdges(a.value(), b.value(), threshold);
            r.drops = core::diffDrops(da.value(), db.value(), threshold);
            return r;
        },
        [this](const DiffResult& r) {
            if (!r.error.isEmpty()) {
                m_label->setText(tr("The comparison failed: %1").arg(r.error));
                return;
            }
            fill(r.edges, r.drops);
        });
}

void ComparePage::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    arrangeTables();
}

void ComparePage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    // In a dock's scroll area the page never gets lower than its own minimum: the room is the
    // viewport's, so follow its resizes too.
    if (QWidget* room = parentWidget(); room && !m_watching) {
        room->installEventFilter(this);
        m_watching = true;
    }
    arrangeTables();
}

bool ComparePage::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == parentWidget() && event->type() == QEvent::Resize) arrangeTables();
    return QWidget::eventFilter(watched, event);
}

void ComparePage::arrangeTables()
{
    // A low dock (the default layout at 1366x768 and 1920x1080) has no room for both tables
    // stacked: the drops were cut off below the edges. Side by side, both stay in sight.
    const QSize room = parentWidget() ? parentWidget()->size() : size();
    const Qt::Orientation orientation = room.width() > 2 * room.height() ? Qt::Horizontal : Qt::Vertical;
    if (m_tables->orientation() != orientation) m_tables->setOrientation(orientation);
}

void ComparePage::filterOnEdge(const QModelIndex& index)
{
    const QModelIndex source = m_edgeProxy->mapToSource(index);
    const QString src = m_edgeModel->item(source.row(), EdgeSrc)->data(RawRole).toString();
    const QString dst = m_edgeModel->item(source.row(), EdgeDst)->data(RawRole).toString();
    m_session->setFilter(selectionFilter(m_session->filter(), {edgeFilter(dimension(), src, dst)}));
}

void ComparePage::filterOnDrop(const QModelIndex& index)
{
    const QModelIndex source = m_dropProxy->mapToSource(index);
    const QString entry = m_dropModel->item(source.row(), DropEntry)->data(RawRole).toString();
    const QString exit = m_dropModel->item(source.row(), DropExit)->data(RawRole).toString();
    const auto reason = static_cast<core::DropReason>(m_dropModel->item(source.row(), DropReasonCol)->data(RawRole).toInt());
    QString term;
    if (reason == core::DropReason::Rejected) term = QStringLiteral("interface_id == \"%1\" and action == REJECT").arg(entry);
    else
        term = QStringLiteral("(%1) and %2 > 0")
                   .arg(edgeFilter(core::EdgeDimension::Attachment, entry, exit), core::dropReasonColumn(reason));
    m_session->setFilter(selectionFilter(m_session->filter(), {term}));
}

} // namespace ui
