#include "ui/shell/filterbar.h"
#include "core/model/units.h"

#include "core/model/fields.h"
#include "core/query/filter.h"
#include "core/store/columns_rebuild.h"
#include "ui/logic/jobtracker.h"
#include "ui/logic/session.h"
#include "ui/shell/filternamecheck.h"
#include "ui/shell/filtertext.h"

#include <QAbstractItemView>
#include <QAction>
#include <QCompleter>
#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QSettings>
#include <QStandardItemModel>
#include <QStringListModel>
#include <QStyle>
#include <QToolButton>

namespace ui {

using namespace filtertext;

namespace {

const QString kHistoryKey = QStringLiteral("filter/history");

// Columns whose distinct values are offered for completion (ids an engineer would type).
const char* const kValueColumns[] = {"tgw_attachment_id",
                                     "tgw_pair_attachment_id",
                                     "tgw_id",
                                     "interface_id",
                                     "vpc_id",
                                     "subnet_id",
                                     "instance_id",
                                     "tgw_src_vpc_id",
                                     "tgw_dst_vpc_id",
                                     "tgw_src_subnet_id",
                                     "tgw_dst_subnet_id",
                                     "account_id",
                                     "region",
                                     "az_id",
                                     "tgw_src_az_id",
                                     "tgw_dst_az_id",
                                     "pkt_src_aws_service",
                                     "pkt_dst_aws_service",
                                     "log_status",
                                     "action",
                                     "flow_direction",
                                     "resource_type"};
constexpr int kValuesPerColumn = 300;
} // namespace

FilterBar::FilterBar(Session* session, QWidget* parent)
    : QWidget(parent), m_session(session), m_edit(new QLineEdit(this)), m_applyButton(new QToolButton(this)),
      m_backButton(new QToolButton(this)), m_countLabel(new QLabel(this)), m_completer(new QCompleter(this)),
      m_words(new QStringListModel(this)), m_idWords(new QStandardItemModel(this)), m_valuesJob(new JobTracker(this))
{
    setObjectName(QStringLiteral("filterBar"));
    m_edit->setObjectName(QStringLiteral("filterEdit"));
    m_edit->setPlaceholderText(tr("Filter: e.g.  protocol == tcp and dstport == 443 and bytes > 1000000   (Ctrl+L)"));
    m_edit->setClearButtonEnabled(true);
    m_edit->installEventFilter(this);
    m_edit->setProperty("filterState", QStringLiteral("empty"));

    m_backAction = new QAction(style()->standardIcon(QStyle::SP_ArrowBack), tr("&Back to Previous Filter"), this);
    m_backAction->setObjectName(QStringLiteral("filterBack"));
    m_backAction->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Left));
    m_backAction->setStatusTip(tr("Restore the filter that was in force before the last change"));
    m_backAction->setEnabled(m_session->canGoBack());
    connect(m_backAction, &QAction::triggered, m_session, &Session::back);
    connect(m_session, &Session::backAvailableChanged, m_backAction, &QAction::setEnabled);
    m_backButton->setDefaultAction(m_backAction);
    m_backButton->setAutoRaise(true);

    m_applyButton->setObjectName(QStringLiteral("filterApply"));
    m_applyButton->setText(tr("Apply"));
    m_applyButton->setToolTip(tr("Apply the filter (Enter)"));
    m_applyButton->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_applyButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_applyButton->setAutoRaise(true);
    connect(m_applyButton, &QToolButton::clicked, this, &FilterBar::apply);

    m_countLabel->setObjectName(QStringLiteral("filterCount"));
    m_countLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addWidget(m_backButton);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_applyButton);
    layout->addSpacing(8);
    layout->addWidget(m_countLabel);

    m_staticWords = core::filterCompletions();
    for (int p : {1, 6, 17, 47, 50, 58}) m_staticWords << core::protocolName(p).toLower();
    m_staticWords.removeDuplicates();
    m_words->setStringList(completionWords());
    m_completer->setModel(m_words);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setModelSorting(QCompleter::UnsortedModel);
    m_completer->setFilterMode(Qt::MatchStartsWith);
    m_completer->setMaxVisibleItems(12);
    m_completer->setWidget(m_edit);
    m_completer->popup()->installEventFilter(this); // after QCompleter's own filter: runs first
    connect(m_completer, qOverload<const QString&>(&QCompleter::activated), this, &FilterBar::insertCompletion);

    m_history = QSettings().value(kHistoryKey).toStringList();
    connect(m_edit, &QLineEdit::textChanged, this, &FilterBar::validate);
    connect(m_edit, &QLineEdit::textEdited, this, [this]() {
        m_historyPos = -1;
        updateCompletion();
    });
    connect(m_edit, &QLineEdit::returnPressed, this, &FilterBar::apply);
    connect(m_session, &Session::filterChanged, this, [this](const QString& expression) {
        if (m_edit->text().trimmed() != expression) m_edit->setText(expression);
    });
    connect(m_session, &Session::storeChanged, this, &FilterBar::refreshValues);
    connect(m_session, &Session::namesChanged, this, [this]() {
        const QString field = m_idField;
        m_idField.clear();
        if (!field.isEmpty()) setIdContext(field);
        validate(); // a name typed before the names were loaded may be known now
    });
    m_edit->setText(m_session->filter());
    validate();
    updateStyle();
    refreshValues();
}

FilterBar::~FilterBar() = default;

QStringList FilterBar::completionWords() const
{
    return m_staticWords + m_valueWords;
}

QStringList FilterBar::idValueCompletions(const QString& field) const
{
    QStringList out;
    for (const IdCompletion& c : idCompletions(m_session->names(), m_valueWords, field))
        out << (c.isName ? core::quoteFilterValue(c.value) : c.value);
    return out;
}

void FilterBar::setIdContext(const QString& field)
{
    if (field == m_idField) return;
    m_idField = field;
    if (field.isEmpty()) {
        m_completer->setModel(m_words);
        m_completer->setCompletionRole(Qt::EditRole);
        return;
    }
    // Shown: "prod-app   tgw-attach-0a1b…"; matched and inserted (quoted on insertion): the
    // name or the id, so typing either finds it.
    m_idWords->clear();
    for (const IdCompletion& c : idCompletions(m_session->names(), m_valueWords, field)) {
        auto* item = new QStandardItem(c.hint.isEmpty() ? c.value : c.value + QStringLiteral("   ") + c.hint);
        item->setData(c.value, Qt::UserRole);
        m_idWords->appendRow(item);
    }
    m_completer->setModel(m_idWords);
    m_completer->setCompletionRole(Qt::UserRole);
}

void FilterBar::focusFilter()
{
    m_edit->setFocus(Qt::ShortcutFocusReason);
    m_edit->selectAll();
}

void FilterBar::validate()
{
    const QString text = m_edit->text();
    State state = State::Valid;
    m_error.clear();
    m_errorColumn = 0;
    if (text.trimmed().isEmpty()) {
        state = State::Empty;
    } else if (const auto error = core::validateFilter(text)) {
        state = State::Invalid;
        m_error = error->message;
        m_errorColumn = error->column;
    }
    const QString oldWarning = m_warning;
    m_warning = state == State::Valid ? unknownNameWarning(text, m_session->names()) : QString();
    if (state == State::Invalid) {
        // Most parser messages already say where ("... at 12", "starting at 15"): say it once.
        static const QRegularExpression saysWhere(QStringLiteral("\\bat (character )?\\d+\\b"));
        const QString where =
            m_errorColumn > 0 && !saysWhere.match(m_error).hasMatch() ? tr(" (at character %1)").arg(m_errorColumn) : QString();
        m_edit->setToolTip(tr("Invalid filter: %1%2").arg(m_error, where));
        Q_EMIT statusMessage(tr("Invalid filter: %1%2").arg(m_error, where), 0);
    } else if (!m_warning.isEmpty()) {
        // Valid, and applied as typed, but a name in it matches nothing: say so, like the
        // unknown-field hint, without blocking the filter.
        m_edit->setToolTip(tr("Valid filter, but %1: it matches no record.").arg(m_warning));
        Q_EMIT statusMessage(tr("Note: %1 (the filter is valid but this name matches nothing).").arg(m_warning), 0);
    } else {
        m_edit->setToolTip(tr("Filter expression: fields (srcaddr, dstport, tgw-attachment-id, ...), "
                              "== != < > <= >=, in {...}, contains, CIDR (srcaddr == 10.0.0.0/8), and/or/not, "
                              "parentheses. Enter applies, Esc clears, Up/Down recalls history. F1: the reference."));
        if (m_state == State::Invalid || !oldWarning.isEmpty()) Q_EMIT statusMessage(QString(), 0);
    }
    m_applyButton->setEnabled(state != State::Invalid);
    if (state != m_state || m_warning.isEmpty() != oldWarning.isEmpty()) {
        m_state = state;
        updateStyle();
    }
}

void FilterBar::updateStyle()
{
    static const char* const kNames[] = {"empty", "valid", "invalid"};
    const bool warn = m_state == State::Valid && !m_warning.isEmpty();
    m_edit->setProperty("filterState", warn ? QStringLiteral("warning") : QString::fromLatin1(kNames[static_cast<int>(m_state)]));
    const bool dark = palette().color(QPalette::Base).lightnessF() < 0.5;
    const QString valid = dark ? QStringLiteral("#1d4a2a") : QStringLiteral("#d9f5dc");
    const QString invalid = dark ? QStringLiteral("#5a1f24") : QStringLiteral("#ffd9d9");
    const QString warning = dark ? QStringLiteral("#5a4a14") : QStringLiteral("#fff3c4");
    const QString sheet = QStringLiteral("QLineEdit[filterState=\"valid\"] { background-color: %1; }"
                                         "QLineEdit[filterState=\"invalid\"] { background-color: %2; }"
                                         "QLineEdit[filterState=\"warning\"] { background-color: %3; }")
                              .arg(valid, invalid, warning);
    if (m_edit->styleSheet() != sheet) m_edit->setStyleSheet(sheet);
    m_edit->style()->unpolish(m_edit);
    m_edit->style()->polish(m_edit);
    m_edit->update();
}

void FilterBar::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange) updateStyle();
    QWidget::changeEvent(event);
}

bool FilterBar::apply()
{
    validate();
    if (m_state == State::Invalid) {
        Q_EMIT statusMessage(tr("The filter was not applied: %1").arg(m_error), 5000);
        return false;
    }
    const QString expression = m_edit->text().trimmed();
    m_session->setFilter(expression);
    addToHistory(expression);
    m_historyPos = -1;
    return true;
}

void FilterBar::clear()
{
    m_edit->clear();
    m_historyPos = -1;
    m_session->setFilter(QString());
}

void FilterBar::setCounts(qint64 shown, qint64 total)
{
    if (shown < 0) m_countLabel->setText(tr("counting… of %1").arg(core::formatInteger(total)));
    else if (m_session->filter().isEmpty()) m_countLabel->setText(tr("%1 records").arg(core::formatInteger(shown)));
    else m_countLabel->setText(tr("%1 of %2 records").arg(core::formatInteger(shown), core::formatInteger(total)));
}

void FilterBar::addToHistory(const QString& expression)
{
    if (expression.isEmpty()) return;
    m_history.removeAll(expression);
    m_history.append(expression);
    while (m_history.size() > kMaxHistory) m_history.removeFirst();
    QSettings().setValue(kHistoryKey, m_history);
}

void FilterBar::browseHistory(int step)
{
    if (m_history.isEmpty()) return;
    if (m_historyPos < 0) {
        if (step > 0) return;
        m_draft = m_edit->text();
        m_historyPos = static_cast<int>(m_history.size());
    }
    const int pos = m_historyPos + step;
    if (pos < 0) return;
    if (pos >= m_history.size()) {
        m_historyPos = -1;
        m_edit->setText(m_draft);
        return;
    }
    m_historyPos = pos;
    m_edit->setText(m_history.at(pos));
}

bool FilterBar::eventFilter(QObject* watched, QEvent* event)
{
    // Esc while the completion list is open closes the list and keeps the text; only an Esc
    // with no list open clears the filter. Qt 6.4's QCompleter already does so (it hands the key
    // to the line edit with a direct event() call, past our filter on it, then hides the list):
    // this keeps the behaviour where a Qt version or platform routes the key otherwise.
    if (watched == m_completer->popup() && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent*>(event)->key() == Qt::Key_Escape) {
        m_completer->popup()->hide();
        return true;
    }
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        auto* key = static_cast<QKeyEvent*>(event);
        const bool popup = m_completer->popup() && m_completer->popup()->isVisible();
        if (!popup && key->modifiers() == Qt::NoModifier) {
            switch (key->key()) {
            case Qt::Key_Up:
                browseHistory(-1);
                return true;
            case Qt::Key_Down:
                browseHistory(+1);
                return true;
            case Qt::Key_Escape:
                clear();
                return true;
            default:
                break;
            }
        }
    }
    return QWidget::eventFilter(watched, event);
}

void FilterBar::updateCompletion()
{
    if (!m_edit->isVisible()) return;
    const QString text = m_edit->text();
    const int cursor = m_edit->cursorPosition();
    const Token token = tokenAt(text, cursor);
    const QString field = fieldBeforeValue(text, token.quoted ? token.start - 1 : token.start);
    const bool idValue = !idPrefixOf(field).isNull();
    setIdContext(idValue ? field : QString());
    const QString word = text.mid(token.start, cursor - token.start);
    // After an id field the list is offered as soon as the value starts; elsewhere from the
    // first character of a word, never inside a string.
    if ((!idValue && (word.isEmpty() || token.quoted)) || (cursor < text.size() && isWordChar(text.at(cursor)))) {
        m_completer->popup()->hide();
        return;
    }
    m_completer->setCompletionPrefix(word);
    if (m_completer->completionCount() == 0
        || (m_completer->completionCount() == 1 && m_completer->currentCompletion().compare(word, Qt::CaseInsensitive) == 0)) {
        m_completer->popup()->hide();
        return;
    }
    QRect rect = m_edit->inputMethodQuery(Qt::ImCursorRectangle).toRect();
    rect.setWidth(std::max(260, m_completer->popup()->sizeHintForColumn(0) + 24));
    m_completer->complete(rect);
}

void FilterBar::insertCompletion(const QString& completion)
{
    QString text = m_edit->text();
    const int cursor = m_edit->cursorPosition();
    const Token token = tokenAt(text, cursor);
    int start = token.start;
    QString insert = completion;
    if (!m_idField.isEmpty()) { // a name or an id: quoted when needed, replacing an opening quote
        if (token.quoted) --start;
        insert = core::quoteFilterValue(completion);
    }
    text.replace(start, cursor - start, insert);
    m_edit->setText(text);
    m_edit->setCursorPosition(start + static_cast<int>(insert.size()));
}

void FilterBar::refreshValues()
{
    auto store = m_session->store();
    if (!store) return;
    m_valuesJob->run(
        [store](const std::atomic<bool>* cancel) {
            // One scan for all columns (each step is one row, so table queries interleave).
            QStringList columns;
            const QStringList available = store->columns();
            for (const char* column : kValueColumns)
                if (available.contains(QString::fromLatin1(column))) columns << QString::fromLatin1(column);
            QStringList values;
            if (columns.isEmpty()) return values;
            // A session just opened: this full scan waits for the typed columns' rebuild rather
            // than compete with it and the record table for the connection.
            if (!core::awaitColumns(*store, cancel)) return values;
            QStringList quotedColumns;
            for (const QString& c : columns) quotedColumns << QLatin1Char('"') + c + QLatin1Char('"');
            auto st = store->prepare(QStringLiteral("SELECT %1 FROM flows").arg(quotedColumns.join(QLatin1Char(','))));
            if (!st.ok()) return values;
            std::vector<QSet<QString>> seen(static_cast<size_t>(columns.size()));
            qint64 rows = 0;
            while (st->next()) {
                if ((++rows & 0x3FFF) == 0 && cancel->load()) break;
                for (int c = 0; c < columns.size(); ++c) {
                    QSet<QString>& set = seen[static_cast<size_t>(c)];
                    if (set.size() < kValuesPerColumn && !st->isNull(c)) set.insert(st->text(c));
                }
            }
            for (const auto& set : seen) values += QStringList(set.begin(), set.end());
            values.removeDuplicates();
            values.sort();
            return values;
        },
        [this](const QStringList& values) {
            m_valueWords = values;
            m_words->setStringList(completionWords());
            const QString field = m_idField;
            m_idField.clear();
            if (!field.isEmpty()) setIdContext(field);
        });
}

} // namespace ui
