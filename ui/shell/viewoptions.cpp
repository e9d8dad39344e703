#include "ui/shell/viewoptions.h"

#include <QAction>
#include <QActionGroup>
#include <QComboBox>
#include <QLabel>
#include <QMenu>
#include <QSettings>
#include <QToolBar>

namespace ui {

namespace {

const QString kTimeKey = QStringLiteral("view/timeDisplay");
const QString kNamesKey = QStringLiteral("view/nameDisplay");
constexpr int kNameModes = 3;

} // namespace

ViewOptions::ViewOptions(Session* session, QObject* parent)
    : QObject(parent), m_session(session), m_timeGroup(new QActionGroup(this)), m_nameGroup(new QActionGroup(this)),
      m_cycleNames(new QAction(tr("&Next Name Display"), this))
{
    const std::pair<TimeDisplay, QString> times[] = {{TimeDisplay::Utc, tr("&UTC (ISO 8601)")},
                                                     {TimeDisplay::Local, tr("&Local Time")},
                                                     {TimeDisplay::Unix, tr("Unix &Seconds")}};
    int n = 0;
    for (const auto& [mode, text] : times) {
        QAction* a = m_timeGroup->addAction(text);
        a->setCheckable(true);
        a->setChecked(mode == m_session->timeDisplay());
        a->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | static_cast<Qt::Key>(Qt::Key_1 + n++)));
        a->setData(static_cast<int>(mode));
        connect(a, &QAction::triggered, this, [this, m = mode]() { m_session->setTimeDisplay(m); });
    }
    connect(m_session, &Session::timeDisplayChanged, this, [this](TimeDisplay mode) {
        for (QAction* a : m_timeGroup->actions()) a->setChecked(a->data().toInt() == static_cast<int>(mode));
    });

    struct NameMode {
        NameDisplay mode;
        const char* key;
        QString text;
        QString tip;
    };
    const NameMode names[] = {
        {NameDisplay::Ids, "namesIds", tr("&Ids"), tr("Show AWS ids (tgw-attach-…, vpc-…) as they are in the logs")},
        {NameDisplay::NameAndId, "namesNameAndId", tr("Name (&id)"), tr("Show the Name tag and the id: prod-app (tgw-attach-…)")},
        {NameDisplay::Name, "namesName", tr("&Name"), tr("Show only the Name tag of ids that have one")}};
    for (const NameMode& m : names) {
        QAction* a = m_nameGroup->addAction(m.text);
        a->setObjectName(QString::fromLatin1(m.key));
        a->setCheckable(true);
        a->setChecked(m.mode == m_session->nameDisplay());
        a->setStatusTip(m.tip);
        a->setData(static_cast<int>(m.mode));
        connect(a, &QAction::triggered, this, [this, mode = m.mode]() { m_session->setNameDisplay(mode); });
    }
    m_cycleNames->setObjectName(QStringLiteral("namesCycle"));
    m_cycleNames->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    m_cycleNames->setStatusTip(tr("Cycle through ids, Name (id) and name (names come from File > Load AWS Resource Names)"));
    connect(m_cycleNames, &QAction::triggered, this, [this]() {
        m_session->setNameDisplay(static_cast<NameDisplay>((static_cast<int>(m_session->nameDisplay()) + 1) % kNameModes));
    });
    connect(m_session, &Session::nameDisplayChanged, this, [this](NameDisplay mode) {
        for (QAction* a : m_nameGroup->actions()) a->setChecked(a->data().toInt() == static_cast<int>(mode));
    });
}

QList<QAction*> ViewOptions::timeActions() const
{
    return m_timeGroup->actions();
}

QList<QAction*> ViewOptions::nameActions() const
{
    return m_nameGroup->actions();
}

void ViewOptions::addMenus(QMenu* menu) const
{
    menu->addMenu(tr("&Time Display"))->addActions(timeActions());
    QMenu* names = menu->addMenu(tr("Show &Names"));
    names->menuAction()->setObjectName(QStringLiteral("namesMenu"));
    names->addActions(nameActions());
    names->addSeparator();
    names->addAction(m_cycleNames);
}

void ViewOptions::addToolBarWidgets(QToolBar* toolBar) const
{
    auto* timeCombo = new QComboBox(toolBar);
    timeCombo->setObjectName(QStringLiteral("timeDisplayCombo"));
    timeCombo->addItems({tr("UTC"), tr("Local"), tr("Unix")});
    timeCombo->setToolTip(tr("How times are shown (Ctrl+Alt+1/2/3)"));
    timeCombo->setCurrentIndex(static_cast<int>(m_session->timeDisplay()));
    connect(timeCombo, &QComboBox::activated, m_session,
            [s = m_session](int i) { s->setTimeDisplay(static_cast<TimeDisplay>(i)); });
    connect(m_session, &Session::timeDisplayChanged, timeCombo,
            [timeCombo](TimeDisplay m) { timeCombo->setCurrentIndex(static_cast<int>(m)); });
    auto* namesCombo = new QComboBox(toolBar);
    namesCombo->setObjectName(QStringLiteral("nameDisplayCombo"));
    namesCombo->addItems({tr("Ids"), tr("Name (id)"), tr("Name")});
    namesCombo->setToolTip(tr("How AWS ids with a Name tag are shown (Ctrl+Shift+I)"));
    namesCombo->setCurrentIndex(static_cast<int>(m_session->nameDisplay()));
    connect(namesCombo, &QComboBox::activated, m_session,
            [s = m_session](int i) { s->setNameDisplay(static_cast<NameDisplay>(i)); });
    connect(m_session, &Session::nameDisplayChanged, namesCombo,
            [namesCombo](NameDisplay m) { namesCombo->setCurrentIndex(static_cast<int>(m)); });
    toolBar->addWidget(new QLabel(tr(" Time: "), toolBar));
    toolBar->addWidget(timeCombo);
    toolBar->addWidget(new QLabel(tr("  Names: "), toolBar));
    toolBar->addWidget(namesCombo);
}

void ViewOptions::restore(const QSettings& settings)
{
    const int time = settings.value(kTimeKey, 0).toInt();
    if (time >= 0 && time <= 2) m_session->setTimeDisplay(static_cast<TimeDisplay>(time));
    const int names = settings.value(kNamesKey, static_cast<int>(NameDisplay::NameAndId)).toInt();
    if (names >= 0 && names < kNameModes) m_session->setNameDisplay(static_cast<NameDisplay>(names));
}

void ViewOptions::save(QSettings& settings) const
{
    settings.setValue(kTimeKey, static_cast<int>(m_session->timeDisplay()));
    settings.setValue(kNamesKey, static_cast<int>(m_session->nameDisplay()));
}

bool ViewOptions::parseNameDisplay(const QString& text, NameDisplay* mode)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("ids") || t == QLatin1String("id")) *mode = NameDisplay::Ids;
    else if (t == QLatin1String("both") || t == QLatin1String("name-and-id")) *mode = NameDisplay::NameAndId;
    else if (t == QLatin1String("name") || t == QLatin1String("names")) *mode = NameDisplay::Name;
    else return false;
    return true;
}

} // namespace ui
