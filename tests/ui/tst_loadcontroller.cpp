// LoadController passes the session's describe-flow-logs LogFormats to the loader: a headerless
// custom-format file of a known flow log loads in the GUI, and the report says which format.
#include "core/names/names.h"
#include "ui/io/loadcontroller.h"
#include "ui/logic/session.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace ui;

class TestLoadController : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void flowLogFormatFromSessionNames_data();
    void flowLogFormatFromSessionNames();
};

void TestLoadController::flowLogFormatFromSessionNames_data()
{
    QTest::addColumn<bool>("withNames");
    QTest::addColumn<QString>("userFormat");
    QTest::addColumn<qint64>("records");
    QTest::addColumn<QString>("formatSource");
    QTest::newRow("names with the flow log")
        << true << QString() << qint64(2) << "format from describe-flow-logs fl-0123456789abcdef0 (LogFormat ${action}";
    QTest::newRow("no names: not recognised") << false << QString() << qint64(0) << "";
    QTest::newRow("the user's format wins") << true << QStringLiteral("action bytes srcaddr interface-id dstaddr start version")
                                            << qint64(2) << "";
}

void TestLoadController::flowLogFormatFromSessionNames()
{
    QFETCH(bool, withNames);
    QFETCH(QString, userFormat);
    QFETCH(qint64, records);
    QFETCH(QString, formatSource);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString log =
        dir.filePath(QStringLiteral("123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20251201T0000Z_ab12cd34.log"));
    QFile f(log);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("ACCEPT 500 10.1.0.9 eni-0abc 10.0.0.5 1700000000 5\nREJECT 40 10.1.0.7 eni-0abc 10.0.0.6 1700000060 5\n");
    f.close();

    Session session;
    if (withNames) {
        core::NameDirectory names;
        QVERIFY(core::parseNamesJson(R"({"FlowLogs": [{"FlowLogId": "fl-0123456789abcdef0",
            "LogFormat": "${action} ${bytes} ${dstaddr} ${interface-id} ${srcaddr} ${start} ${version}"}]})",
                                     QStringLiteral("flowlogs.json"), names)
                    .ok());
        session.setNames(names);
    }
    LoadController controller(&session);
    controller.setFormat(userFormat);
    QSignalSpy finished(&controller, &LoadController::finished);
    QVERIFY(controller.start({dir.path()}, LoadController::Mode::Replace));
    QVERIFY(finished.wait(30000));
    const auto report = finished.at(0).at(0).value<core::LoadReport>();
    QCOMPARE(report.records, records);
    QCOMPARE(report.files.size(), size_t(1));
    if (formatSource.isEmpty()) QVERIFY2(report.files[0].formatSource.isEmpty(), qPrintable(report.files[0].formatSource));
    else QVERIFY2(report.files[0].formatSource.startsWith(formatSource), qPrintable(report.files[0].formatSource));
    if (records > 0) QCOMPARE(session.store()->recordCount(), records);
    else QVERIFY(report.files[0].error.contains(QLatin1String("not a recognised flow log")));
}

QTEST_MAIN(TestLoadController)
#include "tst_loadcontroller.moc"
