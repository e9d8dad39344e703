// describe-flow-logs LogFormats (core/names/flowlogformat.h): the log group read from a flow
// log's destination, and which flow log a file belongs to by its name or its folders.
#include "core/names/flowlogformat.h"

#include <QTest>

using namespace core;

class TestFlowLogFormat : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void flowLogFormatsFromNames()
    {
        NameDirectory names;
        QVERIFY(parseNamesJson(R"({"FlowLogs": [
            {"FlowLogId": "fl-01", "LogFormat": "${version}", "LogDestination": "arn:aws:s3:::bucket/prefix"},
            {"FlowLogId": "fl-02", "LogFormat": "${srcaddr}", "LogGroupName": "grp"},
            {"FlowLogId": "fl-03", "LogFormat": "${dstaddr}", "LogDestination": "arn:aws:logs:eu-west-1:1:log-group:/a/b:*"},
            {"FlowLogId": "fl-04"}]})",
                               QStringLiteral("f.json"), names)
                    .ok());
        const auto f = flowLogFormats(names);
        QCOMPARE(f.size(), size_t(3)); // fl-04 has no LogFormat
        QCOMPARE(f[0].flowLogId, QStringLiteral("fl-01"));
        QCOMPARE(f[0].logGroup, QString());
        QCOMPARE(f[1].logGroup, QStringLiteral("grp"));
        QCOMPARE(f[2].logGroup, QStringLiteral("/a/b"));
        QCOMPARE(f[2].logFormat, QStringLiteral("${dstaddr}"));
    }

    void matchFlowLog_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("expected"); ///< flow log id, "" for none

        QTest::newRow("id in S3 object name")
            << "/d/111122223333_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20251201T0000Z_ab12cd34.log.gz"
            << "fl-0123456789abcdef0";
        QTest::newRow("8-digit id") << "x_fl-0a1b2c3d_y.log"
                                    << "fl-0a1b2c3d";
        QTest::newRow("id wins over folders") << "/exports/app/flows/x_fl-0a1b2c3d.log"
                                              << "fl-0a1b2c3d";
        QTest::newRow("unknown id, then folders") << "/exports/app/flows/x_fl-0000ffff.log"
                                                  << "fl-0123456789abcdef0";
        QTest::newRow("id glued to a letter") << "/d/xfl-0a1b2c3d.log"
                                              << "";
        QTest::newRow("id followed by hex") << "/d/fl-0a1b2c3d9.log"
                                            << "";
        QTest::newRow("id only in a folder") << "/d/fl-0a1b2c3d/x.log"
                                             << "";
        QTest::newRow("log group as folders") << "/exports/app/flows/000000.gz"
                                              << "fl-0123456789abcdef0";
        QTest::newRow("log group, relative path") << "app/flows/sub/000000.gz"
                                                  << "fl-0123456789abcdef0";
        QTest::newRow("log group is part of a folder name") << "/exports/app/flowsx/000000.gz"
                                                            << "";
        QTest::newRow("log group is the file name") << "/exports/app/flows"
                                                    << "";
        QTest::newRow("nothing") << "/tmp/x.log"
                                 << "";
    }

    void matchFlowLog()
    {
        QFETCH(QString, path);
        QFETCH(QString, expected);
        const std::vector<FlowLogFormat> known = {
            {QStringLiteral("fl-0a1b2c3d"), QString(), QStringLiteral("${version}")},
            {QStringLiteral("fl-0123456789abcdef0"), QStringLiteral("/app/flows/"), QStringLiteral("${srcaddr}")},
        };
        const FlowLogFormat* f = core::matchFlowLog(path, known);
        QCOMPARE(f ? f->flowLogId : QString(), expected);
        if (f) QVERIFY(f >= known.data() && f < known.data() + known.size()); // points into `known`
    }
};

QTEST_GUILESS_MAIN(TestFlowLogFormat)
#include "tst_flowlogformat.moc"
