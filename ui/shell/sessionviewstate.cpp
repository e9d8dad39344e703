// The view state kept in a session file: the Session's filter, history, time and names
// modes and selected record, the record table's sort and columns, the window's page layout,
// and the settings widgets of every analysis page (combo boxes, spin boxes, check boxes, text
// fields), found by walking each page dock so pages need no session code of their own.
#include "ui/logic/session.h"
#include "ui/shell/mainwindow.h"
#include "ui/shell/sessioncontroller.h"
#include "ui/table/columnpresets.h"
#include "ui/table/recordmodel.h"
#include "ui/table/recordview.h"

#include <QAbstractButton>
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>

namespace ui {

namespace {

constexpr int kViewStateVersion = 1;

/// A stable key for a settings widget inside a page dock: the object names (or class#index
/// among same-class siblings) from the dock down.
QString widgetKey(const QWidget* root, const QObject* w)
{
    QStringList parts;
    for (const QObject* o = w; o && o != root; o = o->parent()) {
        QString seg = o->objectName();
        if (seg.isEmpty() || seg.startsWith(QLatin1String("qt_"))) {
            int index = 0;
            if (o->parent())
                for (const QObject* s : o->parent()->children()) {
                    if (s == o) break;
                    if (s->metaObject() == o->metaObject()) ++index;
                }
            seg = QStringLiteral("%1#%2").arg(QLatin1String(o->metaObject()->className())).arg(index);
        }
        parts.prepend(seg);
    }
    return root->objectName() + QLatin1Char('/') + parts.join(QLatin1Char('/'));
}

bool insideCompound(const QWidget* w)
{
    for (const QObject* p = w->parent(); p; p = p->parent())
        if (qobject_cast<const QComboBox*>(p) || qobject_cast<const QAbstractSpinBox*>(p)) return true;
    return false;
}

QList<QDockWidget*> pageDocks(const MainWindow* window)
{
    QList<QDockWidget*> out;
    for (QDockWidget* d : window->findChildren<QDockWidget*>())
        if (d->objectName().startsWith(QLatin1String("page:"))) out << d;
    return out;
}

QString timeName(TimeDisplay t)
{
    return t == TimeDisplay::Local  ? QStringLiteral("local")
           : t == TimeDisplay::Unix ? QStringLiteral("unix")
                                    : QStringLiteral("utc");
}

QString namesName(NameDisplay n)
{
    return n == NameDisplay::Ids    ? QStringLiteral("ids")
           : n == NameDisplay::Name ? QStringLiteral("name")
                                    : QStringLiteral("both");
}

} // namespace

QByteArray SessionController::captureViewState() const
{
    const Session* session = m_window->session();
    QJsonObject o;
    o.insert(QStringLiteral("version"), kViewStateVersion);
    o.insert(QStringLiteral("filter"), session->filter());
    o.insert(QStringLiteral("history"), QJsonArray::fromStringList(session->history()));
    o.insert(QStringLiteral("time"), timeName(session->timeDisplay()));
    o.insert(QStringLiteral("names"), namesName(session->nameDisplay()));
    o.insert(QStringLiteral("record"), session->currentRecord());
    const RecordModel* model = m_window->recordModel();
    if (model->sortColumn() >= 0) {
        o.insert(QStringLiteral("sort"), model->columnName(model->sortColumn()));
        o.insert(QStringLiteral("sortOrder"),
                 model->sortOrder() == Qt::DescendingOrder ? QStringLiteral("desc") : QStringLiteral("asc"));
    }
    o.insert(QStringLiteral("columns"), QJsonValue::fromVariant(m_window->recordView()->columnLayout().toVariant()));
    o.insert(QStringLiteral("window"), QString::fromLatin1(m_window->saveState().toBase64()));

    QJsonObject widgets;
    for (const QDockWidget* dock : pageDocks(m_window)) {
        for (const QWidget* w : dock->findChildren<QWidget*>()) {
            if (insideCompound(w)) continue;
            if (const auto* c = qobject_cast<const QComboBox*>(w)) widgets.insert(widgetKey(dock, w), c->currentText());
            else if (const auto* s = qobject_cast<const QSpinBox*>(w)) widgets.insert(widgetKey(dock, w), s->value());
            else if (const auto* d = qobject_cast<const QDoubleSpinBox*>(w)) widgets.insert(widgetKey(dock, w), d->value());
            else if (const auto* b = qobject_cast<const QAbstractButton*>(w); b && b->isCheckable())
                widgets.insert(widgetKey(dock, w), b->isChecked());
            else if (const auto* e = qobject_cast<const QLineEdit*>(w); e && !e->isReadOnly())
                widgets.insert(widgetKey(dock, w), e->text());
            else if (const auto* p = qobject_cast<const QPlainTextEdit*>(w); p && !p->isReadOnly())
                widgets.insert(widgetKey(dock, w), p->toPlainText());
        }
    }
    o.insert(QStringLiteral("widgets"), widgets);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

void SessionController::applyViewState(const QByteArray& json)
{
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    if (o.isEmpty() || o.value(QStringLiteral("version")).toInt() > kViewStateVersion) return;
    ++m_installing;
    Session* session = m_window->session();

    const QString window = o.value(QStringLiteral("window")).toString();
    if (!window.isEmpty()) m_window->restoreState(QByteArray::fromBase64(window.toLatin1()));

    const QJsonObject widgets = o.value(QStringLiteral("widgets")).toObject();
    for (QDockWidget* dock : pageDocks(m_window)) {
        for (QWidget* w : dock->findChildren<QWidget*>()) {
            if (insideCompound(w)) continue;
            const auto it = widgets.find(widgetKey(dock, w));
            if (it == widgets.end()) continue;
            const QJsonValue v = it.value();
            if (auto* c = qobject_cast<QComboBox*>(w)) {
                const int i = c->findText(v.toString());
                if (i >= 0) c->setCurrentIndex(i);
            } else if (auto* s = qobject_cast<QSpinBox*>(w)) {
                s->setValue(v.toInt());
            } else if (auto* d = qobject_cast<QDoubleSpinBox*>(w)) {
                d->setValue(v.toDouble());
            } else if (auto* b = qobject_cast<QAbstractButton*>(w); b && b->isCheckable()) {
                if (b->isChecked() != v.toBool()) b->setChecked(v.toBool());
            } else if (auto* e = qobject_cast<QLineEdit*>(w); e && !e->isReadOnly()) {
                e->setText(v.toString());
            } else if (auto* p = qobject_cast<QPlainTextEdit*>(w); p && !p->isReadOnly()) {
                p->setPlainText(v.toString());
            }
        }
    }

    const QString time = o.value(QStringLiteral("time")).toString();
    session->setTimeDisplay(time == QLatin1String("local")  ? TimeDisplay::Local
                            : time == QLatin1String("unix") ? TimeDisplay::Unix
                                                            : TimeDisplay::Utc);
    const QString names = o.value(QStringLiteral("names")).toString();
    session->setNameDisplay(names == QLatin1String("ids")    ? NameDisplay::Ids
                            : names == QLatin1String("name") ? NameDisplay::Name
                                                             : NameDisplay::NameAndId);

    const ColumnLayout layout = ColumnLayout::fromVariant(o.value(QStringLiteral("columns")).toVariant());
    if (!layout.isEmpty()) m_window->recordView()->setColumnLayout(layout);
    const QString sort = o.value(QStringLiteral("sort")).toString();
    const int sortColumn = sort.isEmpty() ? -1 : m_window->recordModel()->columnIndex(sort);
    if (sortColumn >= 0)
        m_window->recordView()->sortByColumn(sortColumn, o.value(QStringLiteral("sortOrder")).toString() == QLatin1String("desc")
                                                             ? Qt::DescendingOrder
                                                             : Qt::AscendingOrder);

    // History first (each setFilter pushes the previous one), then the filter in force.
    for (const QJsonValue& h : o.value(QStringLiteral("history")).toArray()) session->setFilter(h.toString());
    session->setFilter(o.value(QStringLiteral("filter")).toString());
    m_pendingRecord = o.value(QStringLiteral("record")).toInteger(-1);
    --m_installing;
}

} // namespace ui
