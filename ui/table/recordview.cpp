#include "ui/table/recordview.h"
#include "core/model/units.h"

#include "core/export/csv.h"
#include "core/model/fields.h"
#include "core/query/filter.h"
#include "ui/logic/session.h"
#include "ui/table/recordmodel.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QHeaderView>
#include <QMenu>
#include <QPointer>
#include <QSettings>
#include <QStyle>
#include <algorithm>

namespace ui {

namespace {

constexpr int kMaxCopyRows = 200000;

QString filterName(const QString& column)
{
    const auto f = core::findField(column.toStdString());
    return f ? QString::fromLatin1(core::fieldInfo(*f).name) : column;
}

QString elided(const QString& s, int max = 60)
{
    return s.size() > max ? s.left(max - 1) + QChar(0x2026) : s;
}

} // namespace

RecordView::RecordView(Session* session, RecordModel* model, QWidget* parent)
    : QTableView(parent), m_session(session), m_model(model)
{
    setObjectName(QStringLiteral("recordView"));
    setModel(model);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setWordWrap(false);
    setAlternatingRowColors(true);
    setCornerButtonEnabled(false);
    setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    // Long names often share a prefix ("Transit Gateway attachment for VPC A" / "... VPC B"):
    // cut them in the middle so the distinct end stays; the tooltip has the full value.
    setTextElideMode(Qt::ElideMiddle);
    verticalHeader()->hide();
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);

    QHeaderView* header = horizontalHeader();
    header->setSectionsMovable(true);
    header->setHighlightSections(false);
    header->setStretchLastSection(true);
    header->setDefaultSectionSize(110);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    header->setSortIndicator(-1, Qt::AscendingOrder);
    header->setSortIndicatorClearable(true);
    setSortingEnabled(true);
    connect(header, &QHeaderView::customContextMenuRequested, this, [this](const QPoint& pos) {
        QMenu* menu = createHeaderMenu(horizontalHeader()->logicalIndexAt(pos));
        menu->exec(horizontalHeader()->mapToGlobal(pos));
        menu->deleteLater();
    });

    m_copyAction = new QAction(QIcon::fromTheme(QStringLiteral("edit-copy")), tr("&Copy Rows"), this);
    m_copyAction->setShortcut(QKeySequence::Copy);
    m_copyAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_copyAction->setStatusTip(tr("Copy the selected rows (visible columns, tab-separated)"));
    connect(m_copyAction, &QAction::triggered, this, [this]() { copySelection(CopyFormat::Tsv); });
    addAction(m_copyAction);

    connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, [this]() {
        if (horizontalHeader()->count() > 0 && !m_autoLayout) m_layout = ColumnPresets::read(horizontalHeader());
        m_lastColumnCount = horizontalHeader()->count();
        if (const core::RecordId id = shownRecordId(); id.get() >= 0) m_reselect = id;
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this]() {
        if (m_model->columnCount() != m_lastColumnCount) reapplyLayout();
        // A reset clears the selection without a signal. The record shown stays until the new
        // view's order tells whether it is still in it (onRowCountKnown), else it clears now.
        if (m_reselect.get() < 0) updateShownRecord();
    });
    connect(m_model, &RecordModel::rowCountKnown, this, &RecordView::onRowCountKnown);
    connect(m_model, &RecordModel::firstPageReady, this, [this]() {
        if (m_fitIdColumns) fitIdColumns();
    });
    // The record the details and Follow Flow show is the current row, except a current row Qt
    // sets by itself on focus-in (row 1, not highlighted): that shows nothing until the user
    // moves or selects (see focusInEvent).
    connect(selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this]() {
        if (!m_inFocusIn) m_autoCurrent = false;
        updateShownRecord();
    });
    connect(selectionModel(), &QItemSelectionModel::selectionChanged, this, [this](const QItemSelection& selected) {
        if (!selected.isEmpty()) m_autoCurrent = false;
        updateShownRecord();
    });
    auto refit = [this]() {
        m_fitIdColumns = !m_session->names().isEmpty();
        if (m_fitIdColumns) fitIdColumns();
    };
    connect(m_session, &Session::namesChanged, this, refit);
    connect(m_session, &Session::nameDisplayChanged, this, refit);
    reapplyLayout();
}

QStringList RecordView::visibleColumns() const
{
    return ColumnPresets::read(horizontalHeader()).visible;
}

ColumnLayout RecordView::columnLayout() const
{
    return m_autoLayout && horizontalHeader()->count() == 0 ? m_layout : ColumnPresets::read(horizontalHeader());
}

void RecordView::setColumnLayout(const ColumnLayout& layout)
{
    m_layout = layout;
    m_autoLayout = layout.isEmpty();
    reapplyLayout();
}

void RecordView::applyPreset(const QString& preset)
{
    ColumnLayout layout;
    layout.visible = ColumnPresets::columns(preset, m_model->columnNames());
    m_layout = layout; // preset columns get their default widths
    m_autoLayout = false;
    reapplyLayout();
}

void RecordView::reapplyLayout()
{
    if (m_model->columnCount() == 0) return;
    ColumnLayout layout = m_layout;
    if (layout.isEmpty()) layout.visible = ColumnPresets::columns(QStringLiteral("Essentials"), m_model->columnNames());
    ColumnPresets::apply(horizontalHeader(), layout);
}

void RecordView::choosePresetFor(qint64 tgwRecords, qint64 vpcRecords)
{
    if (!m_autoLayout || tgwRecords + vpcRecords == 0) return;
    QString preset = QStringLiteral("Essentials");
    if (vpcRecords == 0) preset = QStringLiteral("Transit Gateway");
    else if (tgwRecords == 0) preset = QStringLiteral("VPC");
    m_layout.visible = ColumnPresets::columns(preset, m_model->columnNames());
    m_autoLayout = false;
    reapplyLayout();
}

void RecordView::onRowCountKnown()
{
    if (m_reselect.get() < 0) return;
    const core::RecordId id = m_reselect;
    m_reselect = core::kNoRecord;
    if (!selectRecord(id)) updateShownRecord(); // the filter hides it now: clear the panes
}

void RecordView::focusInEvent(QFocusEvent* event)
{
    // Without a current index, QAbstractItemView::focusInEvent makes the first row current
    // without selecting it (e.g. when the load report or About closes): not a user's choice.
    const bool hadCurrent = currentIndex().isValid();
    if (!hadCurrent) m_autoCurrent = true;
    m_inFocusIn = true;
    QTableView::focusInEvent(event);
    m_inFocusIn = false;
    if (!hadCurrent && !currentIndex().isValid()) m_autoCurrent = false;
}

core::RecordId RecordView::shownRecordId() const
{
    const QModelIndex current = currentIndex();
    if (!current.isValid() || m_autoCurrent) return core::kNoRecord;
    return m_model->recordId(core::TableRow(current.row()));
}

void RecordView::updateShownRecord()
{
    const core::RecordId id = shownRecordId();
    if (id == m_shown) return;
    m_shown = id;
    Q_EMIT currentRecordChanged(id.get());
}

void RecordView::fitIdColumns()
{
    // With names, id columns size to what they show, within a cap; what still does not fit is
    // elided in the middle (the tooltip has it all).
    if (m_model->rowCount() == 0 || !m_model->index(0, 0).data(RecordModel::RecordIdRole).isValid()) return;
    m_fitIdColumns = false;
    const int cap = fontMetrics().horizontalAdvance(QLatin1Char('m')) * kMaxIdColumnChars;
    for (int c = 0; c < m_model->columnCount(); ++c) {
        if (isColumnHidden(c) || !Session::isIdField(m_model->columnName(c))) continue;
        const int wanted = std::max(sizeHintForColumn(c), horizontalHeader()->sectionSizeHint(c));
        setColumnWidth(c, std::min(wanted, cap));
    }
}

QSize RecordView::minimumSizeHint() const
{
    // Never fewer than kMinVisibleRows rows: the docks give way first (they scroll).
    const int rows = verticalHeader()->defaultSectionSize() * kMinVisibleRows;
    const int chrome = horizontalHeader()->sizeHint().height() + 2 * frameWidth()
                       + style()->pixelMetric(QStyle::PM_ScrollBarExtent, nullptr, this) + 2;
    return {QTableView::minimumSizeHint().width(), rows + chrome};
}

void RecordView::saveSettings(QSettings& settings) const
{
    settings.setValue(QStringLiteral("table/layout"), columnLayout().toVariant());
}

void RecordView::restoreSettings(const QSettings& settings)
{
    const ColumnLayout layout = ColumnLayout::fromVariant(settings.value(QStringLiteral("table/layout")));
    if (!layout.isEmpty()) setColumnLayout(layout);
}

bool RecordView::selectRecord(core::RecordId id)
{
    const int row = m_model->rowOfRecord(id).get();
    if (row < 0) return false;
    int column = horizontalHeader()->logicalIndex(0);
    for (int v = 0; v < horizontalHeader()->count(); ++v)
        if (!horizontalHeader()->isSectionHidden(horizontalHeader()->logicalIndex(v))) {
            column = horizontalHeader()->logicalIndex(v);
            break;
        }
    const QModelIndex index = m_model->index(row, std::max(0, column));
    selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    scrollTo(index, QAbstractItemView::PositionAtCenter);
    m_shown = id;
    Q_EMIT currentRecordChanged(id.get());
    return true;
}

core::RecordId RecordView::currentRecordId() const
{
    const QModelIndex current = currentIndex();
    return current.isValid() ? m_model->recordId(core::TableRow(current.row())) : core::kNoRecord;
}

void RecordView::copySelection(CopyFormat format)
{
    QList<int> rows;
    for (const QModelIndex& i : selectionModel()->selectedRows()) rows << i.row();
    if (rows.isEmpty() && currentIndex().isValid()) rows << currentIndex().row();
    if (rows.isEmpty()) return;
    if (rows.size() > kMaxCopyRows) {
        Q_EMIT statusMessage(
            tr("%1 rows are too many to copy; use File > Export View as CSV instead.").arg(core::formatInteger(rows.size())));
        return;
    }
    std::sort(rows.begin(), rows.end());
    const QStringList columns = visibleColumns();
    QStringList titles;
    for (const QString& c : columns) titles << m_model->headerData(m_model->columnIndex(c), Qt::Horizontal).toString();
    QPointer<RecordView> self(this);
    m_model->fetchRows(rows, columns, [self, columns, titles, format](const QList<QVariantList>& values, const QString& error) {
        if (!self) return;
        if (!error.isEmpty()) {
            Q_EMIT self->statusMessage(tr("Copy failed: %1").arg(error));
            return;
        }
        auto line = [format](const QStringList& fields) -> QString {
            if (format == CopyFormat::Csv) {
                core::CsvOptions options;
                options.guardFormulas = false;
                QByteArray out;
                for (qsizetype i = 0; i < fields.size(); ++i) {
                    if (i) out += ',';
                    out += core::csvField(fields.at(i), options);
                }
                return QString::fromUtf8(out);
            }
            QStringList clean;
            for (QString f : fields)
                clean << f.replace(QLatin1Char('\t'), QLatin1Char(' ')).replace(QLatin1Char('\n'), QLatin1Char(' '));
            return clean.join(QLatin1Char('\t'));
        };
        QString text = line(titles) + QLatin1Char('\n');
        for (const QVariantList& row : values) {
            QStringList fields;
            for (qsizetype c = 0; c < columns.size() && c < row.size(); ++c)
                fields << (row.at(c).isNull() ? QString() : self->m_model->displayText(columns.at(c), row.at(c)));
            text += line(fields) + QLatin1Char('\n');
        }
        QApplication::clipboard()->setText(text);
        Q_EMIT self->statusMessage(tr("Copied %n row(s).", nullptr, static_cast<int>(values.size())));
    });
}

void RecordView::setFilterFromCell(const QString& expression)
{
    m_session->setFilter(expression);
}

QMenu* RecordView::createCellMenu(const QModelIndex& index)
{
    auto* menu = new QMenu(this);
    if (!index.isValid()) return menu;
    const QString column = m_model->columnName(index.column());
    const QVariant raw = index.data(RecordModel::RawRole);
    const QString field = filterName(column);
    const QString value = raw.isNull() ? QString() : raw.toString();
    const QString term = core::filterTerm(field, value, false);
    const QString notTerm = core::filterTerm(field, value, true);
    const QString current = m_session->filter();
    const bool loaded = index.data(RecordModel::RecordIdRole).isValid();
    const bool usable = loaded && !core::validateFilter(term).has_value();

    auto add = [&](const QString& name, const QString& text, const QString& expression) {
        QAction* a = menu->addAction(text);
        a->setObjectName(name);
        a->setEnabled(usable);
        a->setToolTip(expression);
        connect(a, &QAction::triggered, this, [this, expression]() { setFilterFromCell(expression); });
        return a;
    };
    add(QStringLiteral("filterOnValue"), tr("Filter on This Value\t%1").arg(elided(term)), term);
    add(QStringLiteral("excludeValue"), tr("Exclude This Value\t%1").arg(elided(notTerm)), notTerm);
    QMenu* combine = menu->addMenu(tr("Combine with Current Filter"));
    combine->setEnabled(usable && !current.isEmpty());
    auto addCombined = [&](const QString& name, const QString& text, const QString& expression) {
        QAction* a = combine->addAction(text);
        a->setObjectName(name);
        connect(a, &QAction::triggered, this, [this, expression]() { setFilterFromCell(expression); });
    };
    addCombined(QStringLiteral("andWithFilter"), tr("...and This Value"), core::combineFilters(current, term));
    addCombined(QStringLiteral("orWithFilter"), tr("...or This Value"), core::combineFilters(current, term, true));
    addCombined(QStringLiteral("andNotWithFilter"), tr("...and Not This Value"), core::combineFilters(current, notTerm));
    addCombined(QStringLiteral("orNotWithFilter"), tr("...or Not This Value"), core::combineFilters(current, notTerm, true));
    menu->addSeparator();
    QAction* copyCell = menu->addAction(tr("Copy Cell"));
    copyCell->setObjectName(QStringLiteral("copyCell"));
    const QString shown = index.data(Qt::DisplayRole).toString();
    connect(copyCell, &QAction::triggered, this, [shown]() { QApplication::clipboard()->setText(shown); });
    if (!raw.isNull() && raw.toString() != shown) {
        QAction* copyRaw = menu->addAction(tr("Copy Raw Value (%1)").arg(elided(value, 30)));
        copyRaw->setObjectName(QStringLiteral("copyRaw"));
        connect(copyRaw, &QAction::triggered, this, [value]() { QApplication::clipboard()->setText(value); });
    }
    QAction* csv = menu->addAction(tr("Copy Rows as CSV"));
    csv->setObjectName(QStringLiteral("copyRowsCsv"));
    connect(csv, &QAction::triggered, this, [this]() { copySelection(CopyFormat::Csv); });
    QAction* tsv = menu->addAction(tr("Copy Rows as TSV"));
    tsv->setObjectName(QStringLiteral("copyRowsTsv"));
    tsv->setShortcut(QKeySequence::Copy);
    connect(tsv, &QAction::triggered, this, [this]() { copySelection(CopyFormat::Tsv); });
    return menu;
}

QMenu* RecordView::createHeaderMenu(int section)
{
    auto* menu = new QMenu(this);
    if (section >= 0) {
        const QString title = m_model->headerData(section, Qt::Horizontal).toString();
        QAction* hide = menu->addAction(tr("Hide Column \"%1\"").arg(title));
        hide->setObjectName(QStringLiteral("hideColumn"));
        connect(hide, &QAction::triggered, this, [this, section]() {
            if (ColumnPresets::read(horizontalHeader()).visible.size() > 1) horizontalHeader()->hideSection(section);
            m_autoLayout = false;
        });
        QAction* fit = menu->addAction(tr("Resize to Contents"));
        connect(fit, &QAction::triggered, this, [this, section]() { resizeColumnToContents(section); });
        menu->addSeparator();
    }
    QMenu* presets = menu->addMenu(tr("Column Preset"));
    for (const QString& preset : ColumnPresets::names()) {
        QAction* a = presets->addAction(preset);
        a->setObjectName(QStringLiteral("preset ") + preset);
        connect(a, &QAction::triggered, this, [this, preset]() { applyPreset(preset); });
    }
    menu->addSeparator();
    QHash<QString, QMenu*> groups;
    const QStringList names = m_model->columnNames();
    for (int s = 0; s < names.size(); ++s) {
        const QString group = ColumnPresets::group(names.at(s));
        QMenu*& sub = groups[group];
        if (!sub) sub = menu->addMenu(group);
        QAction* a = sub->addAction(m_model->headerData(s, Qt::Horizontal).toString());
        a->setCheckable(true);
        a->setChecked(!horizontalHeader()->isSectionHidden(s));
        a->setToolTip(m_model->headerData(s, Qt::Horizontal, Qt::ToolTipRole).toString());
        connect(a, &QAction::toggled, this, [this, s](bool on) {
            horizontalHeader()->setSectionHidden(s, !on);
            if (on && horizontalHeader()->sectionSize(s) < 24)
                horizontalHeader()->resizeSection(
                    s, ColumnPresets::defaultWidth(m_model->columnName(s), m_model->headerData(s, Qt::Horizontal).toString(),
                                                   horizontalHeader()->fontMetrics()));
            m_autoLayout = false;
        });
    }
    return menu;
}

void RecordView::contextMenuEvent(QContextMenuEvent* event)
{
    const QModelIndex index = indexAt(viewport()->mapFromGlobal(event->globalPos()));
    if (!index.isValid()) return;
    if (!selectionModel()->isRowSelected(index.row(), {}))
        selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QMenu* menu = createCellMenu(index);
    menu->exec(event->globalPos());
    menu->deleteLater();
}

} // namespace ui
