// FilterBar: live validation, Enter/Esc, history, Back, completion words.
#include "core/ingest/loader.h"
#include "ui/logic/session.h"
#include "ui/shell/filterbar.h"
#include "uitestdata.h"

#include <QAbstractItemView>
#include <QAction>
#include <QCompleter>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QtTest>

using namespace ui;

class TestFilterBar : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void validation_data();
    void validation();
    void enterApplies();
    void invalidEnterDoesNotApply();
    void escapeClears();
    void historyUpDown();
    void historyIsPersistedAndBounded();
    void backAction();
    void followsSessionFilter();
    void completionOffersFieldsAndDataValues();
    void completionOffersNamesAfterIdFields();
    void countsText_data();
    void countsText();
};

void TestFilterBar::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestFilterBar::init()
{
    QSettings().remove(QStringLiteral("filter/history"));
}

void TestFilterBar::validation_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("state");
    QTest::addColumn<QString>("property");
    QTest::addColumn<QString>("errorContains");
    const int empty = static_cast<int>(FilterBar::State::Empty);
    const int valid = static_cast<int>(FilterBar::State::Valid);
    const int invalid = static_cast<int>(FilterBar::State::Invalid);
    QTest::newRow("empty") << QString() << empty << "empty" << QString();
    QTest::newRow("only spaces") << QStringLiteral("   ") << empty << "empty" << QString();
    QTest::newRow("comparison") << QStringLiteral("dstport == 443") << valid << "valid" << QString();
    QTest::newRow("protocol name") << QStringLiteral("protocol == tcp") << valid << "valid" << QString();
    QTest::newRow("cidr and") << QStringLiteral("srcaddr == 10.0.0.0/8 and bytes > 1000") << valid << "valid" << QString();
    QTest::newRow("hyphen field") << QStringLiteral("packets-lost-no-route > 0") << valid << "valid" << QString();
    QTest::newRow("missing value") << QStringLiteral("dstport ==") << invalid << "invalid" << QString();
    QTest::newRow("misspelt field suggests")
        << QStringLiteral("scraddr == 10.0.0.1") << invalid << "invalid" << QStringLiteral("srcaddr");
    QTest::newRow("unbalanced parenthesis") << QStringLiteral("(protocol == 6") << invalid << "invalid" << QString();
    QTest::newRow("unterminated string") << QStringLiteral("tgw-attachment-id == \"abc") << invalid << "invalid" << QString();
    QTest::newRow("dangling and") << QStringLiteral("protocol == 6 and") << invalid << "invalid" << QString();
}

void TestFilterBar::validation()
{
    QFETCH(QString, text);
    QFETCH(int, state);
    QFETCH(QString, property);
    QFETCH(QString, errorContains);
    Session session;
    FilterBar bar(&session);
    QSignalSpy messages(&bar, &FilterBar::statusMessage);
    QTest::keyClicks(bar.lineEdit(), text);
    QCOMPARE(static_cast<int>(bar.state()), state);
    QCOMPARE(bar.lineEdit()->property("filterState").toString(), property);
    if (state == static_cast<int>(FilterBar::State::Invalid)) {
        QVERIFY(!bar.errorMessage().isEmpty());
        QVERIFY(bar.errorColumn() >= 1);
        QVERIFY(bar.lineEdit()->toolTip().contains(bar.errorMessage()));
        QVERIFY(bar.lineEdit()->toolTip().contains(QString::number(bar.errorColumn())));
        QVERIFY(!messages.isEmpty());
        QVERIFY(messages.last().at(0).toString().contains(bar.errorMessage()));
        if (!errorContains.isEmpty()) QVERIFY2(bar.errorMessage().contains(errorContains), qPrintable(bar.errorMessage()));
    } else {
        QVERIFY(bar.errorMessage().isEmpty());
    }
}

void TestFilterBar::enterApplies()
{
    Session session;
    FilterBar bar(&session);
    QSignalSpy changed(&session, &Session::filterChanged);
    QTest::keyClicks(bar.lineEdit(), QStringLiteral("dstport == 22"));
    QVERIFY(changed.isEmpty()); // typing alone does not apply
    QTest::keyClick(bar.lineEdit(), Qt::Key_Return);
    QCOMPARE(session.filter(), QStringLiteral("dstport == 22"));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(bar.history(), QStringList{QStringLiteral("dstport == 22")});
}

void TestFilterBar::invalidEnterDoesNotApply()
{
    Session session;
    session.setFilter(QStringLiteral("protocol == 17"));
    FilterBar bar(&session);
    bar.lineEdit()->clear();
    QTest::keyClicks(bar.lineEdit(), QStringLiteral("dstport === 22"));
    QCOMPARE(bar.state(), FilterBar::State::Invalid);
    QSignalSpy messages(&bar, &FilterBar::statusMessage);
    QTest::keyClick(bar.lineEdit(), Qt::Key_Return);
    QCOMPARE(session.filter(), QStringLiteral("protocol == 17"));
    QVERIFY(!messages.isEmpty());
    QVERIFY(bar.history().isEmpty());
}

void TestFilterBar::escapeClears()
{
    Session session;
    FilterBar bar(&session);
    QTest::keyClicks(bar.lineEdit(), QStringLiteral("dstport == 22"));
    QTest::keyClick(bar.lineEdit(), Qt::Key_Return);
    QCOMPARE(session.filter(), QStringLiteral("dstport == 22"));
    QTest::keyClick(bar.lineEdit(), Qt::Key_Escape);
    QVERIFY(bar.lineEdit()->text().isEmpty());
    QVERIFY(session.filter().isEmpty());
    QCOMPARE(bar.state(), FilterBar::State::Empty);
}

void TestFilterBar::historyUpDown()
{
    Session session;
    FilterBar bar(&session);
    for (const char* f : {"dstport == 22", "dstport == 443", "protocol == udp"}) {
        bar.lineEdit()->setText(QString::fromLatin1(f));
        QVERIFY(bar.apply());
    }
    bar.lineEdit()->setText(QStringLiteral("draft"));
    QLineEdit* edit = bar.lineEdit();
    QTest::keyClick(edit, Qt::Key_Up);
    QCOMPARE(edit->text(), QStringLiteral("protocol == udp"));
    QTest::keyClick(edit, Qt::Key_Up);
    QCOMPARE(edit->text(), QStringLiteral("dstport == 443"));
    QTest::keyClick(edit, Qt::Key_Up);
    QTest::keyClick(edit, Qt::Key_Up); // stays at the oldest
    QCOMPARE(edit->text(), QStringLiteral("dstport == 22"));
    QTest::keyClick(edit, Qt::Key_Down);
    QCOMPARE(edit->text(), QStringLiteral("dstport == 443"));
    QTest::keyClick(edit, Qt::Key_Down);
    QTest::keyClick(edit, Qt::Key_Down); // past the newest: back to what was typed
    QCOMPARE(edit->text(), QStringLiteral("draft"));
}

void TestFilterBar::historyIsPersistedAndBounded()
{
    Session session;
    {
        FilterBar bar(&session);
        for (int i = 0; i < FilterBar::kMaxHistory + 5; ++i) {
            bar.lineEdit()->setText(QStringLiteral("dstport == %1").arg(i));
            QVERIFY(bar.apply());
        }
        bar.lineEdit()->setText(QStringLiteral("dstport == 3")); // re-used: moves to the end, no duplicate
        QVERIFY(bar.apply());
    }
    FilterBar again(&session);
    const QStringList history = again.history();
    QCOMPARE(history.size(), FilterBar::kMaxHistory);
    QCOMPARE(history.last(), QStringLiteral("dstport == 3"));
    QCOMPARE(history.count(QStringLiteral("dstport == 3")), 1);
    QVERIFY(!history.contains(QStringLiteral("dstport == 0")));
}

void TestFilterBar::backAction()
{
    Session session;
    FilterBar bar(&session);
    QVERIFY(!bar.backAction()->isEnabled());
    QCOMPARE(bar.backAction()->shortcut(), QKeySequence(Qt::ALT | Qt::Key_Left));
    bar.lineEdit()->setText(QStringLiteral("dstport == 22"));
    bar.apply();
    QVERIFY(bar.backAction()->isEnabled());
    bar.lineEdit()->setText(QStringLiteral("dstport == 80"));
    bar.apply();
    bar.backAction()->trigger();
    QCOMPARE(session.filter(), QStringLiteral("dstport == 22"));
    QCOMPARE(bar.lineEdit()->text(), QStringLiteral("dstport == 22"));
    bar.backAction()->trigger();
    QVERIFY(session.filter().isEmpty());
    QVERIFY(!bar.backAction()->isEnabled());
}

void TestFilterBar::followsSessionFilter()
{
    Session session;
    FilterBar bar(&session);
    session.setFilter(QStringLiteral("protocol == icmp"));
    QCOMPARE(bar.lineEdit()->text(), QStringLiteral("protocol == icmp"));
    QCOMPARE(bar.state(), FilterBar::State::Valid);
}

void TestFilterBar::completionOffersFieldsAndDataValues()
{
    Session session;
    FilterBar bar(&session);
    QVERIFY(bar.completionWords().contains(QStringLiteral("srcaddr")));
    QVERIFY(bar.completionWords().contains(QStringLiteral("tgw-attachment-id")));
    QVERIFY(bar.completionWords().contains(QStringLiteral("tcp")));
    auto created = core::Store::create();
    QVERIFY(created.ok());
    std::shared_ptr<core::Store> store(std::move(created.value()));
    const auto data = uitest::generateTgw(50);
    QVERIFY(core::loadBuffer(*store, data.text, QStringLiteral("tgw.log"), {}).records > 0);
    session.setStore(store);
    QTRY_VERIFY(bar.completionWords().contains(data.records.front().attachment));
    QTRY_VERIFY(bar.completionWords().contains(QStringLiteral("vpc-0aaaaaaaaaaaaaaa1")));
}

void TestFilterBar::completionOffersNamesAfterIdFields()
{
    Session session;
    FilterBar bar(&session);
    bar.resize(600, 40);
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    core::NameDirectory names;
    for (const auto& [id, name] : {std::pair{"tgw-attach-0a1", "VPC A"}, std::pair{"tgw-attach-0b2", "vpn"},
                                   std::pair{"vpc-0aaa", "VPC A"}, std::pair{"subnet-0s1", "app-a"}}) {
        core::NameEntry e;
        e.id = QString::fromLatin1(id);
        e.name = QString::fromLatin1(name);
        names.add(e);
    }
    session.setNames(names);
    QCOMPARE(bar.idValueCompletions(QStringLiteral("attachment")),
             (QStringList{QStringLiteral("\"VPC A\""), QStringLiteral("vpn"), QStringLiteral("tgw-attach-0a1"),
                          QStringLiteral("tgw-attach-0b2")}));
    QCOMPARE(bar.idValueCompletions(QStringLiteral("tgw_src_vpc_id")),
             (QStringList{QStringLiteral("\"VPC A\""), QStringLiteral("vpc-0aaa")}));
    QCOMPARE(bar.idValueCompletions(QStringLiteral("subnet-id")),
             (QStringList{QStringLiteral("app-a"), QStringLiteral("subnet-0s1")}));
    QVERIFY(bar.idValueCompletions(QStringLiteral("srcaddr")).isEmpty());

    // In the entry: after `vpc in {vpc-0aaa, ` the popup offers names; "VP" picks "VPC A", quoted.
    QLineEdit* edit = bar.lineEdit();
    edit->setFocus();
    QTest::keyClicks(edit, QStringLiteral("vpc in {vpc-0aaa, VP"));
    QTRY_VERIFY(bar.completer()->popup()->isVisible());
    QCOMPARE(bar.completer()->currentCompletion(), QStringLiteral("VPC A"));
    Q_EMIT bar.completer()->activated(bar.completer()->currentCompletion());
    QCOMPARE(edit->text(), QStringLiteral("vpc in {vpc-0aaa, \"VPC A\""));
    // After a non-id field, field names and data values as before.
    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("dstport == 4 and src"));
    QTRY_VERIFY(bar.completer()->popup()->isVisible());
    QVERIFY(bar.completer()->currentCompletion().startsWith(QStringLiteral("src")));
}

void TestFilterBar::countsText_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<qint64>("shown");
    QTest::addColumn<qint64>("total");
    QTest::addColumn<QString>("contains");
    QTest::newRow("no filter") << QString() << qint64(1234) << qint64(1234) << QStringLiteral("records");
    QTest::newRow("filtered") << QStringLiteral("dstport == 22") << qint64(5) << qint64(1234) << QStringLiteral(" of ");
    QTest::newRow("counting") << QStringLiteral("dstport == 22") << qint64(-1) << qint64(1234) << QStringLiteral("counting");
}

void TestFilterBar::countsText()
{
    QFETCH(QString, filter);
    QFETCH(qint64, shown);
    QFETCH(qint64, total);
    QFETCH(QString, contains);
    Session session;
    session.setFilter(filter);
    FilterBar bar(&session);
    bar.setCounts(shown, total);
    auto* label = bar.findChild<QLabel*>(QStringLiteral("filterCount"));
    QVERIFY(label);
    QVERIFY2(label->text().contains(contains), qPrintable(label->text()));
}

QTEST_MAIN(TestFilterBar)
#include "tst_filterbar.moc"
