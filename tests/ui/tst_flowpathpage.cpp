// The Follow Flow page offscreen: it follows Session::currentRecord, shows the path's boxes
// (attachments, TGW, records, drops, reply), names when loaded, and a click on a record box
// emits recordRequested. With FLOWLOG_FLOWPATH_PNG set, the demo render is saved there.
#include "core/ingest/loader.h"
#include "core/names/names.h"
#include "core/store/store.h"
#include "ui/logic/session.h"
#include "ui/pages/flowpathpage.h"

#include "tests/testpaths.h"
#include <QApplication>
#include <QImage>
#include <QLabel>
#include <QSignalSpy>
#include <QTest>

using namespace ui;

namespace {

QByteArray tgwLine(const char* att, const char* pair, const char* dir, const char* src, const char* dst, int sport, int dport,
                   const char* lostNoRoute = "0")
{
    return QStringLiteral("6 TransitGateway 111122223333 tgw-0123 %1 111122223333 111122223333 vpc-a vpc-b "
                          "subnet-a subnet-b eni-a eni-b use1-az1 use1-az2 %2 %3 %4 %5 %6 6 10 4000 1700000000 "
                          "1700000060 OK IPv4 %7 0 0 0 19 us-east-1 %8 - -\n")
        .arg(QLatin1String(att), QLatin1String(pair), QLatin1String(src), QLatin1String(dst))
        .arg(sport)
        .arg(dport)
        .arg(QLatin1String(lostNoRoute), QLatin1String(dir))
        .toUtf8();
}

// 1,2: a flow at both attachments; 3: its reply's ingress; 4: a no-route drop; 5: VPC REJECT.
QByteArray fixture()
{
    return tgwLine("tgw-attach-0aaa", "tgw-attach-0bbb", "ingress", "10.0.0.5", "10.1.0.9", 51515, 443)
           + tgwLine("tgw-attach-0bbb", "tgw-attach-0aaa", "egress", "10.0.0.5", "10.1.0.9", 51515, 443)
           + tgwLine("tgw-attach-0bbb", "tgw-attach-0aaa", "ingress", "10.1.0.9", "10.0.0.5", 443, 51515)
           + tgwLine("tgw-attach-0aaa", "-", "ingress", "10.0.0.5", "10.99.0.1", 40000, 5432, "10")
           + "2 111122223333 eni-0abc 203.0.113.9 10.0.0.5 6000 22 6 1 40 1700000000 1700000060 REJECT OK\n";
}

std::shared_ptr<core::Store> loadedStore(const QByteArray& text)
{
    auto s = core::Store::create();
    if (!s.ok()) return nullptr;
    const core::LoadReport r = core::loadBuffer(*s.value(), text, QStringLiteral("fixture.log"), {});
    if (r.records != 5) return nullptr;
    return std::shared_ptr<core::Store>(std::move(s.value()));
}

QStringList allText(const FlowPathPage& page)
{
    QStringList out;
    for (const FlowPathBox& b : page.boxes()) out << b.caption << b.lines;
    return out;
}

const FlowPathBox* recordBox(const FlowPathPage& page, qint64 id)
{
    for (const FlowPathBox& b : page.boxes())
        if (b.kind == FlowPathBox::Kind::Record && b.recordId == id) return &b;
    return nullptr;
}

} // namespace

class TestFlowPathPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void followsCurrentRecord();
    void clickRecordRequestsIt();
    void dropEndsAtTgw();
    void vpcReject();
    void namesShown();
    void badRecord();
    void demoRender();
};

void TestFlowPathPage::followsCurrentRecord()
{
    Session session;
    session.setStore(loadedStore(fixture()));
    QVERIFY(session.store()->recordCount() == 5);
    FlowPathPage page(&session);
    page.resize(900, 600);
    page.show();
    QVERIFY(page.statusText().contains(QLatin1String("Select a record")));
    QVERIFY(page.boxes().empty());

    QSignalSpy shown(&page, &FlowPathPage::pathShown);
    session.setCurrentRecord(2); // the egress record: same path as from the ingress one
    QVERIFY(shown.wait(5000));
    QCOMPARE(page.recordId().get(), qint64(2));
    QVERIFY(page.path());
    const QStringList text = allText(page);
    QVERIFY(text.contains(QStringLiteral("ENTRY ATTACHMENT")));
    QVERIFY(text.contains(QStringLiteral("TRANSIT GATEWAY")));
    QVERIFY(text.contains(QStringLiteral("EXIT ATTACHMENT")));
    QVERIFY(text.contains(QStringLiteral("tgw-attach-0aaa")));
    QVERIFY(text.contains(QStringLiteral("tgw-attach-0bbb")));
    QVERIFY(text.contains(QStringLiteral("tgw-0123")));
    QVERIFY(recordBox(page, 1));
    QVERIFY(recordBox(page, 2));
    QVERIFY(recordBox(page, 2)->current);
    QVERIFY(!recordBox(page, 1)->current);
    QVERIFY(recordBox(page, 2)->caption.startsWith(QLatin1String("EGRESS RECORD #2")));
    // The reply: its ingress record is loaded, its egress is not.
    QVERIFY(recordBox(page, 3));
    QVERIFY(recordBox(page, 3)->caption.startsWith(QLatin1String("INGRESS RECORD #3")));
    int missing = 0;
    for (const FlowPathBox& b : page.boxes()) missing += b.kind == FlowPathBox::Kind::MissingRecord ? 1 : 0;
    QCOMPARE(missing, 1);
    QCOMPARE(page.statusText(),
             QStringLiteral("Record 2: entered the TGW at tgw-attach-0aaa, left at tgw-attach-0bbb. Reply found."));
    QVERIFY(page.path()->flow.summary() == QStringLiteral("TCP 10.0.0.5:51515 → 10.1.0.9:443"));
    // Boxes do not overlap, and lie inside the canvas.
    const auto& boxes = page.boxes();
    for (size_t i = 0; i < boxes.size(); ++i) {
        QVERIFY(QRectF(page.canvas()->rect()).contains(boxes[i].rect));
        for (size_t j = i + 1; j < boxes.size(); ++j) QVERIFY(!boxes[i].rect.intersects(boxes[j].rect));
    }

    session.setCurrentRecord(-1);
    QTRY_VERIFY(page.boxes().empty());
}

void TestFlowPathPage::clickRecordRequestsIt()
{
    Session session;
    session.setStore(loadedStore(fixture()));
    FlowPathPage page(&session);
    page.resize(900, 600);
    page.show();
    QSignalSpy shown(&page, &FlowPathPage::pathShown);
    session.setCurrentRecord(1);
    QVERIFY(shown.wait(5000));
    QSignalSpy requested(&page, &FlowPathPage::recordRequested);
    const FlowPathBox* twin = recordBox(page, 2);
    QVERIFY(twin);
    QTest::mouseClick(page.canvas(), Qt::LeftButton, {}, twin->rect.center().toPoint());
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.at(0).at(0).toLongLong(), qint64(2));
    // A click on a node box (not a record) requests nothing.
    const FlowPathBox& node = page.boxes().front();
    QCOMPARE(node.kind, FlowPathBox::Kind::Node);
    QTest::mouseClick(page.canvas(), Qt::LeftButton, {}, node.rect.center().toPoint());
    QCOMPARE(requested.size(), 1);
    // Nor does a right click on a record.
    QTest::mouseClick(page.canvas(), Qt::RightButton, {}, twin->rect.center().toPoint());
    QCOMPARE(requested.size(), 1);
}

void TestFlowPathPage::dropEndsAtTgw()
{
    Session session;
    session.setStore(loadedStore(fixture()));
    FlowPathPage page(&session);
    QSignalSpy shown(&page, &FlowPathPage::pathShown);
    page.showRecord(core::RecordId(4));
    QVERIFY(shown.wait(5000));
    const FlowPathBox* drop = nullptr;
    for (const FlowPathBox& b : page.boxes())
        if (b.kind == FlowPathBox::Kind::Drop) drop = &b;
    QVERIFY(drop);
    QVERIFY(drop->caption.contains(QLatin1String("PATH ENDS")));
    QVERIFY2(drop->lines.join(QLatin1Char(' ')).contains(QLatin1String("10 packets")),
             qPrintable(drop->lines.join(QLatin1Char('|'))));
    QVERIFY(drop->toolTip.contains(QLatin1String("no route")));
    bool dimmedExit = false;
    for (const FlowPathBox& b : page.boxes())
        if (b.caption.contains(QLatin1String("NOT REACHED"))) dimmedExit = b.dimmed;
    QVERIFY(dimmedExit);
    // No egress card for a flow that never left the TGW.
    for (const FlowPathBox& b : page.boxes()) QVERIFY(!b.caption.contains(QLatin1String("EGRESS")));
}

void TestFlowPathPage::vpcReject()
{
    Session session;
    session.setStore(loadedStore(fixture()));
    FlowPathPage page(&session);
    QSignalSpy shown(&page, &FlowPathPage::pathShown);
    page.showRecord(core::RecordId(5));
    QVERIFY(shown.wait(5000));
    const QStringList text = allText(page);
    QVERIFY(text.contains(QStringLiteral("NETWORK INTERFACE")));
    QVERIFY(text.contains(QStringLiteral("eni-0abc")));
    QVERIFY(text.contains(QStringLiteral("SUBNET")));
    const FlowPathBox* rec = recordBox(page, 5);
    QVERIFY(rec);
    QVERIFY(rec->alert);
    QVERIFY(rec->lines.first().startsWith(QLatin1String("REJECT")));
    QVERIFY(text.join(QLatin1Char(' ')).contains(QLatin1String("no reply record loaded")));
}

void TestFlowPathPage::namesShown()
{
    Session session;
    session.setStore(loadedStore(fixture()));
    FlowPathPage page(&session);
    QSignalSpy shown(&page, &FlowPathPage::pathShown);
    page.showRecord(core::RecordId(1));
    QVERIFY(shown.wait(5000));
    QVERIFY(!allText(page).contains(QStringLiteral("prod-app")));
    core::NameDirectory names;
    QVERIFY(core::parseNamesJson(R"({"TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-0aaa",
        "ResourceType": "vpc", "ResourceId": "vpc-a", "Tags": [{"Key": "Name", "Value": "prod-app"}]}]})",
                                 QStringLiteral("n.json"), names)
                .ok());
    session.setNames(names); // the page re-traces with the names
    QVERIFY(shown.wait(5000));
    const QStringList text = allText(page);
    QVERIFY(text.contains(QStringLiteral("prod-app")));
    QVERIFY(text.contains(QStringLiteral("tgw-attach-0aaa")));
}

void TestFlowPathPage::badRecord()
{
    Session session;
    session.setStore(loadedStore(fixture()));
    FlowPathPage page(&session);
    QSignalSpy shown(&page, &FlowPathPage::pathShown);
    session.setCurrentRecord(77);
    QVERIFY(shown.wait(5000));
    QVERIFY(page.boxes().empty());
    QVERIFY2(page.statusText().contains(QLatin1String("no record with id 77")), qPrintable(page.statusText()));
    // A new store keeps following the same id: now it exists.
    auto bigger = loadedStore(fixture());
    QVERIFY(core::loadBuffer(*bigger, QByteArray(fixture()).repeated(20), QStringLiteral("more.log"), {}).records > 0);
    session.setStore(bigger);
    QVERIFY(shown.wait(5000));
    QVERIFY(!page.boxes().empty());
}

void TestFlowPathPage::demoRender()
{
    // The bundled demo data with its names: a TGW flow logged at both attachments.
    auto created = core::Store::create();
    QVERIFY(created.ok());
    std::shared_ptr<core::Store> store(std::move(created.value()));
    const core::LoadReport r = core::loadPaths(*store, {testpaths::demoData()}, {});
    QVERIFY(r.records > 0);
    Session session;
    session.setStore(store);
    session.setNames(r.names);
    // (The demo's responses reuse the request's ports swapped, so this flow has its reply.)
    auto st = store->prepare(QStringLiteral("SELECT id FROM flows WHERE flow_direction = 'ingress' AND twin_id IS NOT"
                                            " NULL AND dstport = 443 LIMIT 1"));
    QVERIFY(st.ok());
    QVERIFY(st->next());
    const qint64 id = st->int64(0);
    FlowPathPage page(&session);
    page.resize(900, 640);
    page.show();
    QSignalSpy shown(&page, &FlowPathPage::pathShown);
    session.setCurrentRecord(id);
    QVERIFY(shown.wait(10000));
    QVERIFY(page.path());
    QVERIFY(!page.path()->flow.entry.name.isEmpty()); // demo names are loaded
    QVERIFY2(page.path()->reply, qPrintable(page.path()->replyNote));
    const QImage img = page.grab().toImage();
    QVERIFY(!img.isNull());
    const QByteArray out = qgetenv("FLOWLOG_FLOWPATH_PNG");
    if (!out.isEmpty()) {
        QVERIFY(img.save(QString::fromLocal8Bit(out)));
        // A dropped flow as well, next to it.
        auto drop = store->prepare(QStringLiteral("SELECT id FROM flows WHERE packets_lost_no_route > 0 LIMIT 1"));
        if (drop.ok() && drop->next()) {
            page.showRecord(core::RecordId(drop->int64(0)));
            QVERIFY(shown.wait(10000));
            QVERIFY(page.grab().toImage().save(
                QString::fromLocal8Bit(out).replace(QLatin1String(".png"), QLatin1String("-drop.png"))));
        }
        auto vpc = store->prepare(QStringLiteral("SELECT id FROM flows WHERE action = 'REJECT' LIMIT 1"));
        if (vpc.ok() && vpc->next()) {
            page.showRecord(core::RecordId(vpc->int64(0)));
            QVERIFY(shown.wait(10000));
            QVERIFY(page.grab().toImage().save(
                QString::fromLocal8Bit(out).replace(QLatin1String(".png"), QLatin1String("-vpc.png"))));
        }
    }
}

QTEST_MAIN(TestFlowPathPage)
#include "tst_flowpathpage.moc"
