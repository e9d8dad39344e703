// Names for ids everywhere an id is shown (issue 6), end to end through the MainWindow
// (offscreen): a generated TGW log plus AWS CLI JSON naming some of its ids are opened together;
// View > Show Names (Ids / Name (id) / Name) and Ctrl+Shift+I switch the table cells, the
// details, the graph labels and the timeline legend; addresses an ENI owns tell its ENI,
// instance and subnet; the filter completion offers Name tags after id fields; raw values,
// "Filter on This Value" and export keep the ids.
#include "ui/graph/attachmentspage.h"
#include "ui/graph/graphview.h"
#include "ui/logic/session.h"
#include "ui/shell/filterbar.h"
#include "ui/shell/mainwindow.h"
#include "ui/shell/viewoptions.h"
#include "ui/table/detailspane.h"
#include "ui/table/recordmodel.h"
#include "ui/table/recordview.h"
#include "ui/timeline/timechartview.h"
#include "ui/timeline/timelinepage.h"
#include "uitestdata.h"

#include <QAbstractItemModelTester>
#include <QAbstractSeries>
#include <QAction>
#include <QChart>
#include <QComboBox>
#include <QCompleter>
#include <QFile>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>
#include <algorithm>
#include <memory>

using namespace ui;

namespace {

const QString kAttachA = QStringLiteral("tgw-attach-0a11111111111111a"); // named "prod app" (a space: quoted)
const QString kAttachB = QStringLiteral("tgw-attach-0b22222222222222b"); // named "onprem-vpn"
const QString kAttachC = QStringLiteral("tgw-attach-0c33333333333333c"); // no name
const QString kVpcA = QStringLiteral("vpc-0aaaaaaaaaaaaaaa1");           // named "VPC A"
const QString kEni = QStringLiteral("eni-0aaa00000000000a1");            // named "web-1 eth0"

QByteArray namesJson(const QString& address)
{
    return QStringLiteral(R"({"TransitGatewayAttachments": [
  {"TransitGatewayAttachmentId": "%1", "ResourceType": "vpc", "ResourceId": "%4", "ResourceOwnerId": "123456789012",
   "Association": {"TransitGatewayRouteTableId": "tgw-rtb-0feed"}, "Tags": [{"Key": "Name", "Value": "prod app"}]},
  {"TransitGatewayAttachmentId": "%2", "ResourceType": "vpn", "ResourceId": "vpn-0b", "ResourceOwnerId": "123456789012",
   "Tags": [{"Key": "Name", "Value": "onprem-vpn"}]},
  {"TransitGatewayAttachmentId": "%3", "ResourceType": "vpc"}
]}
{"Vpcs": [{"VpcId": "%4", "CidrBlock": "10.0.0.0/16", "OwnerId": "123456789012", "Tags": [{"Key": "Name", "Value": "VPC A"}]}]}
{"NetworkInterfaces": [{"NetworkInterfaceId": "%5", "SubnetId": "subnet-0aaa00000000000a1", "VpcId": "%4",
  "Attachment": {"InstanceId": "i-0123456789abcdef0"}, "PrivateIpAddress": "%6",
  "PrivateIpAddresses": [{"PrivateIpAddress": "%6"}], "TagSet": [{"Key": "Name", "Value": "web-1 eth0"}]}]}
)")
        .arg(kAttachA, kAttachB, kAttachC, kVpcA, kEni, address)
        .toUtf8();
}

QAction* findAction(QWidget* window, const QString& name)
{
    for (QAction* a : window->findChildren<QAction*>())
        if (a->objectName() == name) return a;
    return nullptr;
}

// The real View > Show Names submenu's action for a mode.
QAction* showNamesAction(MainWindow* window, const QString& name)
{
    for (QAction* top : window->menuBar()->actions()) {
        if (!top->menu()) continue;
        for (QAction* sub : top->menu()->actions())
            if (sub->objectName() == QLatin1String("namesMenu") && sub->menu())
                for (QAction* a : sub->menu()->actions())
                    if (a->objectName() == name) return a;
    }
    return nullptr;
}

QTreeWidgetItem* detailsItem(DetailsPane* details, const QString& field)
{
    const auto items = details->tree()->findItems(field, Qt::MatchExactly | Qt::MatchRecursive);
    return items.isEmpty() ? nullptr : items.first();
}

QString childValue(QTreeWidgetItem* item, const QString& label)
{
    for (int i = 0; item && i < item->childCount(); ++i)
        if (item->child(i)->text(0) == label) return item->child(i)->text(1);
    return {};
}

} // namespace

class TestNamesDisplay : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void tableCellsFollowTheMenu_data();
    void tableCellsFollowTheMenu();
    void shortcutCyclesAndSettingsRemember();
    void toggleRepaintsWithoutRefetching();
    void tooltipsTellWhatNamesKnow();
    void detailsFollowTheToggle();
    void contextMenuFilterKeepsIds();
    void graphLabelsFollowTheToggle();
    void timelineLegendFollowsTheToggle();
    void filterCompletionOffersNames();
    void nameFilterTypedInTheFilterBar();

private:
    int rowOf(const QString& attachment, bool withAddress) const;
    RecordModel* model() const { return m_window->recordModel(); }
    QString cellText(int row, const QString& column, int role = Qt::DisplayRole) const
    {
        return model()->index(row, model()->columnIndex(column)).data(role).toString();
    }

    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;
    uitest::GenData m_data;
    QString m_logPath;
    QString m_namesPath;
    QString m_address; ///< a srcaddr of the data, owned by the named ENI
    int m_vpcRow = -1; ///< a row whose tgw-src-vpc-id is VPC A
};

void TestNamesDisplay::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
    QVERIFY(m_dir.isValid());
    m_data = uitest::generateTgw(200);
    m_logPath = m_dir.filePath(QStringLiteral("tgw-flows.log"));
    QFile log(m_logPath);
    QVERIFY(log.open(QIODevice::WriteOnly));
    log.write(m_data.text);
    // The named ENI owns the source address of the first record logged at attachment A.
    for (const auto& r : m_data.records)
        if (!r.nodata && r.attachment == kAttachA) {
            m_address = r.srcAddr;
            break;
        }
    QVERIFY(!m_address.isEmpty());
    // Sources 10.0.x.y are in VPC A (the generator's tgw-src-vpc-id follows the source).
    for (size_t i = 0; i < m_data.records.size() && m_vpcRow < 0; ++i)
        if (!m_data.records[i].nodata && m_data.records[i].srcAddr.startsWith(QLatin1String("10.0.")))
            m_vpcRow = static_cast<int>(i);
    QVERIFY(m_vpcRow >= 0 && m_vpcRow < RecordModel::kPageSize);
    m_namesPath = m_dir.filePath(QStringLiteral("names.json"));
    QFile names(m_namesPath);
    QVERIFY(names.open(QIODevice::WriteOnly));
    names.write(namesJson(m_address));
}

void TestNamesDisplay::init()
{
    QSettings().remove(QStringLiteral("view/nameDisplay"));
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1400, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY(m_window->openPaths({m_logPath, m_namesPath}));
    QTRY_VERIFY(!m_window->loadController()->isRunning());
    QTRY_VERIFY(model()->countKnown() && model()->rowCount() == static_cast<int>(m_data.records.size()));
    QCOMPARE(m_window->session()->names().name(kAttachA), QStringLiteral("prod app"));
    QTRY_VERIFY(model()->index(0, 0).data(RecordModel::RecordIdRole).isValid());
}

void TestNamesDisplay::cleanup()
{
    m_window.reset();
}

int TestNamesDisplay::rowOf(const QString& attachment, bool withAddress) const
{
    // Load order = file order while unsorted and unfiltered.
    for (size_t i = 0; i < m_data.records.size(); ++i) {
        const auto& r = m_data.records[i];
        if (!r.nodata && r.attachment == attachment && (!withAddress || r.srcAddr == m_address)) return static_cast<int>(i);
    }
    return -1;
}

void TestNamesDisplay::tableCellsFollowTheMenu_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("attachA"); // tgw-attachment-id cell of a record at A
    QTest::addColumn<QString>("attachC"); // ... at C (no Name tag)
    QTest::addColumn<QString>("vpc");     // tgw-src-vpc-id VPC A
    QTest::newRow("ids") << "namesIds" << kAttachA << kAttachC << kVpcA;
    QTest::newRow("name (id)") << "namesNameAndId" << QStringLiteral("prod app (%1)").arg(kAttachA) << kAttachC
                               << QStringLiteral("VPC A (%1)").arg(kVpcA);
    QTest::newRow("name") << "namesName" << QStringLiteral("prod app") << kAttachC << QStringLiteral("VPC A");
}

void TestNamesDisplay::tableCellsFollowTheMenu()
{
    QFETCH(QString, action);
    QFETCH(QString, attachA);
    QFETCH(QString, attachC);
    QFETCH(QString, vpc);
    QAbstractItemModelTester tester(model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    const int a = rowOf(kAttachA, false);
    const int c = rowOf(kAttachC, false);
    QVERIFY(a >= 0 && c >= 0 && a < RecordModel::kPageSize && c < RecordModel::kPageSize);
    QAction* act = showNamesAction(m_window.get(), action);
    QVERIFY2(act, qPrintable(action));
    act->trigger();
    QVERIFY(act->isChecked());
    QTRY_COMPARE(cellText(a, QStringLiteral("tgw_attachment_id")), attachA);
    QCOMPARE(cellText(c, QStringLiteral("tgw_attachment_id")), attachC);
    QCOMPARE(cellText(m_vpcRow, QStringLiteral("tgw_src_vpc_id")), vpc);
    // The raw value stays the id (sorting, export, "Filter on This Value" use it).
    QCOMPARE(cellText(a, QStringLiteral("tgw_attachment_id"), RecordModel::RawRole), kAttachA);
    // Non-id columns are untouched.
    QCOMPARE(cellText(0, QStringLiteral("srcaddr")), m_data.records.front().srcAddr);
    // The toolbar box follows the menu.
    auto* combo = m_window->findChild<QComboBox*>(QStringLiteral("nameDisplayCombo"));
    QVERIFY(combo);
    QCOMPARE(combo->currentIndex(), static_cast<int>(m_window->session()->nameDisplay()));
}

void TestNamesDisplay::shortcutCyclesAndSettingsRemember()
{
    Session* session = m_window->session();
    QCOMPARE(session->nameDisplay(), NameDisplay::NameAndId); // the default
    QAction* cycle = findAction(m_window.get(), QStringLiteral("namesCycle"));
    QVERIFY(cycle);
    QCOMPARE(cycle->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I));
    m_window->activateWindow();
    m_window->recordView()->setFocus();
    (void)QTest::qWaitForWindowActive(m_window.get());
    QTest::keyClick(m_window->recordView(), Qt::Key_I, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_COMPARE(session->nameDisplay(), NameDisplay::Name);
    QTest::keyClick(m_window->recordView(), Qt::Key_I, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_COMPARE(session->nameDisplay(), NameDisplay::Ids);
    QCOMPARE(cellText(m_vpcRow, QStringLiteral("tgw_src_vpc_id")), kVpcA);
    QTest::keyClick(m_window->recordView(), Qt::Key_I, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_COMPARE(session->nameDisplay(), NameDisplay::NameAndId);
    showNamesAction(m_window.get(), QStringLiteral("namesName"))->trigger();
    m_window->close(); // saves the settings
    m_window = std::make_unique<MainWindow>();
    QCOMPARE(m_window->session()->nameDisplay(), NameDisplay::Name);
    QVERIFY(showNamesAction(m_window.get(), QStringLiteral("namesName"))->isChecked());
}

void TestNamesDisplay::toggleRepaintsWithoutRefetching()
{
    QSignalSpy changed(model(), &QAbstractItemModel::dataChanged);
    QSignalSpy fetched(model(), &RecordModel::pageFetched);
    QSignalSpy busy(model(), &RecordModel::busyChanged);
    showNamesAction(m_window.get(), QStringLiteral("namesName"))->trigger();
    QCOMPARE(changed.size(), 1);
    const auto roles = changed.first().at(2).value<QList<int>>();
    QVERIFY(roles.contains(Qt::DisplayRole));
    // Served from the page cache at once: no page query, no busy state.
    QCOMPARE(cellText(rowOf(kAttachA, false), QStringLiteral("tgw_attachment_id")), QStringLiteral("prod app"));
    QCOMPARE(fetched.size(), 0);
    QCOMPARE(busy.size(), 0);
    // New names (no filter in force) also just repaint.
    core::NameDirectory names = m_window->session()->names();
    core::NameEntry renamed;
    renamed.id = kAttachA;
    renamed.name = QStringLiteral("prod-app-2");
    names.add(renamed);
    m_window->session()->setNames(names);
    QCOMPARE(cellText(rowOf(kAttachA, false), QStringLiteral("tgw_attachment_id")), QStringLiteral("prod-app-2"));
    QCOMPARE(fetched.size(), 0);
}

void TestNamesDisplay::tooltipsTellWhatNamesKnow()
{
    const int row = rowOf(kAttachA, true);
    QVERIFY(row >= 0 && row < RecordModel::kPageSize);
    const QString attachTip = cellText(row, QStringLiteral("tgw_attachment_id"), Qt::ToolTipRole);
    QVERIFY2(attachTip.contains(QStringLiteral("prod app (%1)").arg(kAttachA)), qPrintable(attachTip));
    QVERIFY2(attachTip.contains(QStringLiteral("kind: vpc")), qPrintable(attachTip));
    QVERIFY2(attachTip.contains(QStringLiteral("route table: tgw-rtb-0feed")), qPrintable(attachTip));
    QVERIFY2(attachTip.contains(QStringLiteral("VPC A (%1)").arg(kVpcA)), qPrintable(attachTip));
    const QString addrTip = cellText(row, QStringLiteral("srcaddr"), Qt::ToolTipRole);
    QVERIFY2(addrTip.contains(QStringLiteral("web-1 eth0 (%1)").arg(kEni)), qPrintable(addrTip));
    QVERIFY2(addrTip.contains(QStringLiteral("instance i-0123456789abcdef0")), qPrintable(addrTip));
    QVERIFY2(addrTip.contains(QStringLiteral("subnet subnet-0aaa00000000000a1")), qPrintable(addrTip));
    // An address no ENI owns, and an id without a name, have no names tooltip.
    QVERIFY(cellText(row, QStringLiteral("dstaddr"), Qt::ToolTipRole).isEmpty());
    QVERIFY(cellText(rowOf(kAttachC, false), QStringLiteral("tgw_attachment_id"), Qt::ToolTipRole).isEmpty());
}

void TestNamesDisplay::detailsFollowTheToggle()
{
    DetailsPane* details = m_window->detailsPane();
    const int row = rowOf(kAttachA, true);
    QVERIFY(row >= 0);
    QSignalSpy shown(details, &DetailsPane::recordShown);
    m_window->recordView()->selectRow(row);
    QTRY_VERIFY(!shown.isEmpty());
    QTreeWidgetItem* attach = detailsItem(details, QStringLiteral("tgw-attachment-id"));
    QVERIFY(attach);
    QCOMPARE(attach->text(1), QStringLiteral("prod app (%1)").arg(kAttachA));
    QCOMPARE(childValue(attach, QStringLiteral("kind")), QStringLiteral("vpc"));
    QCOMPARE(childValue(attach, QStringLiteral("resource")), QStringLiteral("VPC A (%1)").arg(kVpcA));
    QCOMPARE(childValue(attach, QStringLiteral("owner")), QStringLiteral("123456789012"));
    QCOMPARE(childValue(attach, QStringLiteral("route table")), QStringLiteral("tgw-rtb-0feed"));
    QTreeWidgetItem* src = detailsItem(details, QStringLiteral("srcaddr"));
    QVERIFY(src);
    QCOMPARE(src->text(1), m_address);
    const QString eni = childValue(src, QStringLiteral("interface"));
    QVERIFY2(eni.contains(QStringLiteral("web-1 eth0 (%1)").arg(kEni)) && eni.contains(QStringLiteral("i-0123456789abcdef0")),
             qPrintable(eni));

    shown.clear();
    showNamesAction(m_window.get(), QStringLiteral("namesName"))->trigger();
    QTRY_VERIFY(!shown.isEmpty());
    attach = detailsItem(details, QStringLiteral("tgw-attachment-id"));
    QCOMPARE(attach->text(1), QStringLiteral("prod app"));
    QCOMPARE(childValue(attach, QStringLiteral("id")), kAttachA); // the id stays one line away

    shown.clear();
    showNamesAction(m_window.get(), QStringLiteral("namesIds"))->trigger();
    QTRY_VERIFY(!shown.isEmpty());
    attach = detailsItem(details, QStringLiteral("tgw-attachment-id"));
    QCOMPARE(attach->text(1), kAttachA);
    QCOMPARE(childValue(attach, QStringLiteral("name")), QStringLiteral("prod app"));
}

void TestNamesDisplay::contextMenuFilterKeepsIds()
{
    showNamesAction(m_window.get(), QStringLiteral("namesName"))->trigger();
    const int row = rowOf(kAttachA, false);
    const QModelIndex index = model()->index(row, model()->columnIndex(QStringLiteral("tgw_attachment_id")));
    QCOMPARE(index.data().toString(), QStringLiteral("prod app"));
    std::unique_ptr<QMenu> menu(m_window->recordView()->createCellMenu(index));
    auto* filterOn = menu->findChild<QAction*>(QStringLiteral("filterOnValue"));
    QVERIFY(filterOn);
    filterOn->trigger();
    QCOMPARE(m_window->session()->filter(), QStringLiteral("tgw-attachment-id == %1").arg(kAttachA));
    QVERIFY(menu->findChild<QAction*>(QStringLiteral("copyRaw"))); // shown != raw: the id can be copied
}

void TestNamesDisplay::graphLabelsFollowTheToggle()
{
    auto* page = m_window->findChild<AttachmentsPage*>();
    QVERIFY(page);
    page->refresh();
    QTRY_VERIFY(!page->isBusy() && page->view()->graph().findNode(kAttachA) >= 0);
    const Graph& g = page->view()->graph();
    auto label = [&](const QString& id) {
        return nodeDisplayLabel(page->view()->graph(), page->view()->graph().findNode(id), page->view()->labels());
    };
    QCOMPARE(label(kAttachA), QStringLiteral("prod app (%1)").arg(kAttachA));
    showNamesAction(m_window.get(), QStringLiteral("namesName"))->trigger();
    QCOMPARE(label(kAttachA), QStringLiteral("prod app"));
    QCOMPARE(label(kAttachB), QStringLiteral("onprem-vpn"));
    QCOMPARE(label(kAttachC), kAttachC);
    QVERIFY(nodeTooltip(g, g.findNode(kAttachA), page->view()->labels()).contains(kAttachA));
    showNamesAction(m_window.get(), QStringLiteral("namesIds"))->trigger();
    QCOMPARE(label(kAttachA), kAttachA);
}

void TestNamesDisplay::timelineLegendFollowsTheToggle()
{
    auto* page = m_window->findChild<TimelinePage*>();
    QVERIFY(page);
    const int before = page->resultCount();
    page->setSplit(core::SeriesSplit::Attachment, 4);
    page->refresh();
    QTRY_VERIFY(page->resultCount() > before && !page->trafficView()->chart()->series().isEmpty());
    auto layers = [page]() {
        QStringList names;
        for (QAbstractSeries* series : page->trafficView()->chart()->series()) names << series->name();
        return names;
    };
    auto has = [&layers](const QString& name) { // a legend entry is "<name>  <total>"
        const QStringList names = layers();
        return std::any_of(names.begin(), names.end(),
                           [&](const QString& n) { return n.startsWith(name + QStringLiteral("  ")); });
    };
    QVERIFY2(has(QStringLiteral("prod app (%1)").arg(kAttachA)), qPrintable(layers().join('|')));
    showNamesAction(m_window.get(), QStringLiteral("namesName"))->trigger();
    QTRY_VERIFY2(has(QStringLiteral("prod app")), qPrintable(layers().join('|')));
    QVERIFY(has(QStringLiteral("onprem-vpn")));
    QVERIFY(has(kAttachC));
    showNamesAction(m_window.get(), QStringLiteral("namesIds"))->trigger();
    QTRY_VERIFY2(has(kAttachA), qPrintable(layers().join('|')));
}

void TestNamesDisplay::filterCompletionOffersNames()
{
    FilterBar* bar = m_window->filterBar();
    const QStringList offered = bar->idValueCompletions(QStringLiteral("attachment"));
    // Names first (quoted when needed), then ids; only attachments after an attachment field.
    QCOMPARE(offered.value(0), QStringLiteral("onprem-vpn"));
    QCOMPARE(offered.value(1), QStringLiteral("\"prod app\""));
    QVERIFY(offered.contains(kAttachA) && offered.contains(kAttachC));
    QVERIFY(!offered.contains(QStringLiteral("\"VPC A\"")) && !offered.contains(kVpcA));
    QVERIFY(bar->idValueCompletions(QStringLiteral("tgw-src-vpc-id")).contains(QStringLiteral("\"VPC A\"")));
    QVERIFY(bar->idValueCompletions(QStringLiteral("eni")).contains(QStringLiteral("\"web-1 eth0\"")));
    QVERIFY(bar->idValueCompletions(QStringLiteral("dstport")).isEmpty());

    // Typing in the real entry: after `attachment == ` the popup lists the names.
    QLineEdit* edit = bar->lineEdit();
    edit->setFocus();
    QTest::keyClicks(edit, QStringLiteral("attachment == "));
    QCompleter* completer = bar->completer();
    QTRY_VERIFY(completer->popup()->isVisible());
    QStringList rows;
    for (int i = 0; i < completer->completionModel()->rowCount(); ++i)
        rows << completer->completionModel()->index(i, 0).data().toString();
    QVERIFY2(rows.value(1).startsWith(QStringLiteral("prod app")) && rows.value(1).contains(kAttachA),
             qPrintable(rows.join('|')));
    // `"pro` narrows to the name; choosing it inserts it quoted.
    QTest::keyClicks(edit, QStringLiteral("\"pro"));
    QTRY_COMPARE(completer->completionCount(), 1);
    Q_EMIT completer->activated(completer->currentCompletion());
    QCOMPARE(edit->text(), QStringLiteral("attachment == \"prod app\""));
    // Field names are completed as before.
    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("tgw-src"));
    QTRY_VERIFY(completer->popup()->isVisible());
    QCOMPARE(completer->completionRole(), static_cast<int>(Qt::EditRole));
    QVERIFY(completer->currentCompletion().startsWith(QStringLiteral("tgw-src")));
}

// Needs name support in the filter compiler (core/filter*: `attachment == "prod app"` matches
// the ids named so, through the store's `names` table).
void TestNamesDisplay::nameFilterTypedInTheFilterBar()
{
    qsizetype expected = 0;
    for (const auto& r : m_data.records)
        if (r.attachment == kAttachA) ++expected; // NODATA records too
    QVERIFY(expected > 0);
    FilterBar* bar = m_window->filterBar();
    bar->lineEdit()->setFocus();
    QTest::keyClicks(bar->lineEdit(), QStringLiteral("tgw-attachment-id == \"prod app\""));
    QCOMPARE(bar->state(), FilterBar::State::Valid);
    QTest::keyClick(bar->lineEdit(), Qt::Key_Return);
    QCOMPARE(m_window->session()->filter(), QStringLiteral("tgw-attachment-id == \"prod app\""));
    QTRY_VERIFY(model()->countKnown());
    QCOMPARE(model()->rowCount(), static_cast<int>(expected));
    QTRY_VERIFY(model()->index(0, 0).data(RecordModel::RecordIdRole).isValid());
    QCOMPARE(cellText(0, QStringLiteral("tgw_attachment_id"), RecordModel::RawRole), kAttachA);
}

QTEST_MAIN(TestNamesDisplay)
#include "tst_names_display.moc"
