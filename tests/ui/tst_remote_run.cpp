// Remote > Run on Athena / Run on Logs Insights in the real main window, against a fake `aws`
// executable on PATH (tests/fakeaws.h: canned JSON for each call, its arguments recorded): the
// exact command, progress (state, data scanned, cost), the result shown in the Attachments page,
// the failures users hit (no credentials, access denied, a failed query, the timeout, Cancel) as
// sentences, with the query stopped where it ran; and the Logs Insights time range (from the
// filter, the loaded records, the last 24 hours) shown in the dialog. FLOWLOG_SCREENSHOT_DIR=dir
// saves both dialogs (for the README).
#include "core/analysis/aggregate.h"
#include "core/remote/athena_runner.h"
#include "tests/fakeaws.h"
#include "ui/graph/attachmentspage.h"
#include "ui/io/loadcontroller.h"
#include "ui/logic/session.h"
#include "ui/remote/remoteactions.h"
#include "ui/remote/remoterundialog.h"
#include "ui/shell/mainwindow.h"
#include "uitestdata.h"

#include <QDateTimeEdit>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace ui;

namespace {

} // namespace

class TestRemoteRun : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    fakeaws::FakeAws m_fake;
    std::unique_ptr<MainWindow> m_window;
    std::vector<core::Edge> m_edges;

    RemoteActions* remote() const { return m_window->findChild<RemoteActions*>(); }
    void setMode(const QByteArray& mode) { QVERIFY(m_fake.setMode(mode)); }
    QString calls() const { return m_fake.calls(); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qRegisterMetaType<core::LoadReport>();
        QSettings().clear();
        QVERIFY(m_dir.isValid() && m_fake.install());
        // The fake aws first on PATH.
        qputenv("PATH", m_fake.dir().toLocal8Bit() + ':' + qgetenv("PATH"));

        const QString path = m_dir.filePath(QStringLiteral("tgw.log"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(uitest::generateTgw(200).text);
        f.close();
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1200, 800);
        m_window->show();
        QSignalSpy finished(m_window->loadController(), &LoadController::finished);
        QVERIFY(m_window->openPaths({path}));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);

        // The canned results: the local edges x 100, as Athena's get-query-results JSON and as
        // Logs Insights' (ingress side only).
        auto edges = core::computeEdges(*m_window->session()->store(), QString(), core::EdgeDimension::Attachment);
        QVERIFY(edges.ok() && !edges->empty());
        m_edges = edges.value();
        auto cell = [](const QString& v) { return QJsonObject{{QStringLiteral("VarCharValue"), v}}; };
        QJsonArray rows{QJsonObject{
            {QStringLiteral("Data"), QJsonArray{cell("src"), cell("dst"), cell("flows"), cell("packets"), cell("bytes")}}}};
        QJsonArray results;
        for (const core::Edge& e : m_edges) {
            rows.append(QJsonObject{{QStringLiteral("Data"),
                                     QJsonArray{cell(e.src), cell(e.dst), cell(QString::number(e.flows * 100)),
                                                cell(QString::number(e.packets * 100)), cell(QString::number(e.bytes * 100))}}});
            auto fv = [](const char* field, const QString& v) {
                return QJsonObject{{"field", QLatin1String(field)}, {"value", v}};
            };
            results.append(
                QJsonArray{fv("tgw_attachment_id", e.src), fv("tgw_pair_attachment_id", e.dst),
                           fv("flow_direction", QStringLiteral("ingress")), fv("flows", QString::number(e.flows * 100)),
                           fv("packets", QString::number(e.packets * 100)), fv("bytes", QString::number(e.bytes * 100))});
        }
        QVERIFY(m_fake.writeFile(QStringLiteral("athena-results.json"),
                                 QJsonDocument(QJsonObject{{"ResultSet", QJsonObject{{"Rows", rows}}}}).toJson()));
        QVERIFY(m_fake.writeFile(
            QStringLiteral("insights-results.json"),
            QJsonDocument(QJsonObject{{"results", results},
                                      {"statistics", QJsonObject{{"bytesScanned", 3.5e9}, {"recordsMatched", 1000}}},
                                      {"status", "Complete"}})
                .toJson()));
    }

    void run_data()
    {
        QTest::addColumn<bool>("athena");
        QTest::addColumn<QByteArray>("mode");
        QTest::addColumn<bool>("cancel");
        QTest::addColumn<QString>("error");    // "" = succeeds
        QTest::addColumn<QString>("stopCall"); // the stop call expected in the log ("" = none)

        for (bool athena : {true, false}) {
            const QByteArray e = athena ? "athena: " : "insights: ";
            const QString stop =
                athena ? QStringLiteral("athena stop-query-execution") : QStringLiteral("logs stop-query --query-id iq-0001");
            QTest::newRow(e + "succeeds") << athena << QByteArray("ok") << false << QString() << QString();
            QTest::newRow(e + "no credentials")
                << athena << QByteArray("nocreds") << false << QStringLiteral("no AWS credentials") << QString();
            QTest::newRow(e + "access denied") << athena << QByteArray("denied") << false
                                               << QStringLiteral("access denied: the profile's credentials may not") << QString();
            QTest::newRow(e + "query failed")
                << athena << QByteArray("failed") << false
                << (athena ? QStringLiteral("failed: TABLE_NOT_FOUND") : QStringLiteral("ended with status Failed")) << QString();
            QTest::newRow(e + "timeout") << athena << QByteArray("running") << false
                                         << QStringLiteral("did not finish within 1 s; stopped it") << stop;
            QTest::newRow(e + "cancel") << athena << QByteArray("running") << true << QStringLiteral("was cancelled; stopped it")
                                        << stop;
        }
    }

    void run()
    {
        QFETCH(bool, athena);
        QFETCH(QByteArray, mode);
        QFETCH(bool, cancel);
        QFETCH(QString, error);
        QFETCH(QString, stopCall);
        setMode(mode);
        auto* page = m_window->findChild<AttachmentsPage*>();
        if (page->isExternal()) page->clearExternal();

        QPointer<RemoteRunDialog> dialog = remote()->startRun(core::RemoteView::Edges, athena);
        QVERIFY(dialog);
        dialog->setPollMilliseconds(20);
        if (athena)
            dialog->findChild<QLineEdit*>(QStringLiteral("outputLocation"))->setText(QStringLiteral("s3://my results/q/"));
        else dialog->findChild<QLineEdit*>(QStringLiteral("logGroups"))->setText(QStringLiteral("/flowlogs/tgw"));
        dialog->findChild<QLineEdit*>(QStringLiteral("profile"))->setText(QStringLiteral("analyst"));
        dialog->findChild<QSpinBox*>(QStringLiteral("timeout"))->setValue(cancel ? 600 : 1);
        // The exact command, pasteable in a shell.
        const QString command = dialog->commandText();
        QVERIFY2(command.startsWith(athena ? QLatin1String("aws athena start-query-execution --query-string '")
                                           : QLatin1String("aws logs start-query --log-group-names /flowlogs/tgw --start-time ")),
                 qPrintable(command));
        QVERIFY2(command.contains(athena ? QLatin1String("'OutputLocation=s3://my results/q/'") : QLatin1String("--limit 10000")),
                 qPrintable(command));
        QVERIFY(command.endsWith(QLatin1String("--output json --profile analyst")));

        bool ok = false;
        bool finished = false;
        QString said, progress;
        connect(dialog, &RemoteRunDialog::runFinished, this, [&](bool success) {
            ok = success;
            finished = true;
            said = dialog->errorText();
            progress = dialog->progressText();
        });
        QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("runButton")), Qt::LeftButton);
        QVERIFY(dialog->isRunning());
        QVERIFY(!dialog->findChild<QPushButton*>(QStringLiteral("runButton"))->isEnabled());
        if (cancel) {
            // Progress arrives while it runs: state, data scanned, cost at $5/TB.
            QTRY_VERIFY_WITH_TIMEOUT(dialog->progressText().contains(QLatin1String(athena ? "RUNNING" : "Running")), 30000);
            QVERIFY2(dialog->progressText().contains(QStringLiteral("1.5 GB scanned \u00b7 about $0.0075")),
                     qPrintable(dialog->progressText()));
            if (qEnvironmentVariableIsSet("FLOWLOG_SCREENSHOT_DIR") && athena) // for the README
                QVERIFY(dialog->grab().save(qEnvironmentVariable("FLOWLOG_SCREENSHOT_DIR") + QStringLiteral("/athena-run.png")));
            QTest::mouseClick(dialog->findChild<QPushButton*>(QStringLiteral("cancelButton")), Qt::LeftButton);
        }
        QTRY_VERIFY_WITH_TIMEOUT(finished, 60000);
        QCOMPARE(ok, error.isEmpty());
        const QString log = calls();
        if (error.isEmpty()) {
            QVERIFY2(progress.contains(athena ? QStringLiteral("SUCCEEDED \u00b7 2.5 TB scanned \u00b7 about $12.5000")
                                              : QStringLiteral("Complete \u00b7 3.5 GB scanned \u00b7 about $0.0175")),
                     qPrintable(progress));
            // Opened in the Attachments page, x100 of the local bytes.
            QTRY_VERIFY(page->isExternal());
            QVERIFY2(page->bannerText().contains(athena ? QLatin1String("Showing Athena result athena-edges-")
                                                        : QLatin1String("Showing Logs Insights result insights-edges-")),
                     qPrintable(page->bannerText()));
            QCOMPARE(page->edges().size(), m_edges.size());
            qint64 local = 0, shown = 0;
            for (const auto& e : m_edges) local += e.bytes;
            for (const auto& e : page->edges()) shown += e.bytes;
            QCOMPARE(shown, local * 100);
            QTRY_VERIFY(!dialog); // closed on success
            QVERIFY2(
                log.contains(athena ? QLatin1String("athena get-query-results --query-execution-id "
                                                    "0f1e2d3c-aaaa-bbbb-cccc-000000000001 --output json --profile analyst")
                                    : QLatin1String("logs get-query-results --query-id iq-0001 --output json --profile analyst")),
                qPrintable(log));
        } else {
            QVERIFY2(said.contains(error), qPrintable(said));
            QVERIFY(!page->isExternal());
            QVERIFY(dialog && dialog->isVisible()); // stays open with the sentence
            QVERIFY(dialog->findChild<QPushButton*>(QStringLiteral("runButton"))->isEnabled());
            dialog->close();
        }
        if (stopCall.isEmpty()) QVERIFY2(!log.contains(QLatin1String("stop-query")), qPrintable(log));
        else QVERIFY2(log.contains(stopCall), qPrintable(log));
    }

    void settingsAreRemembered()
    {
        QPointer<RemoteRunDialog> dialog = remote()->startRun(core::RemoteView::Series, true);
        QVERIFY(dialog);
        QCOMPARE(dialog->findChild<QLineEdit*>(QStringLiteral("outputLocation"))->text(), QStringLiteral("s3://my results/q/"));
        QCOMPARE(dialog->findChild<QLineEdit*>(QStringLiteral("profile"))->text(), QStringLiteral("analyst"));
        // A location that is not S3 is refused before anything runs.
        setMode("ok");
        dialog->findChild<QLineEdit*>(QStringLiteral("outputLocation"))->setText(QStringLiteral("/tmp/results"));
        dialog->run();
        QVERIFY(!dialog->isRunning());
        QVERIFY2(dialog->errorText().contains(QLatin1String("must start with s3://")), qPrintable(dialog->errorText()));
        QVERIFY(calls().isEmpty());
        dialog->close();
    }

    // Run on Logs Insights takes its time range from the filter's start/end terms, else from the
    // loaded records' span (read in the background), and says which under From/To; a time the
    // user edits stays.
    void insightsTimeRange()
    {
        Session* session = m_window->session();
        auto st = session->store()->prepare(QStringLiteral("SELECT MIN(start), MAX(coalesce(\"end\", start)) FROM flows"));
        QVERIFY(st.ok() && st->next());
        const qint64 first = st->int64(0), last = st->int64(1);
        session->setFilter(QString());
        QPointer<RemoteRunDialog> dialog = remote()->startRun(core::RemoteView::Series, false);
        QVERIFY(dialog);
        auto* from = dialog->findChild<QDateTimeEdit*>(QStringLiteral("startTime"));
        auto* to = dialog->findChild<QDateTimeEdit*>(QStringLiteral("endTime"));
        QVERIFY(from && to);
        QTRY_COMPARE(dialog->timeRangeOrigin(), QStringLiteral("start and end from the loaded records' span"));
        QCOMPARE(from->dateTime().toSecsSinceEpoch(), first / 60 * 60);
        QCOMPARE(to->dateTime().toSecsSinceEpoch(), (last + 600 + 59) / 60 * 60);
        QVERIFY2(dialog->commandText().contains(
                     QStringLiteral("--start-time %1 --end-time %2").arg(first / 60 * 60).arg((last + 600 + 59) / 60 * 60)),
                 qPrintable(dialog->commandText()));
        dialog->close();
        QTRY_VERIFY(!dialog);

        session->setFilter(QStringLiteral("start >= 2025-12-01T06:00:00Z and end < 2025-12-01T18:30:00Z"));
        dialog = remote()->startRun(core::RemoteView::Series, false);
        QVERIFY(dialog);
        from = dialog->findChild<QDateTimeEdit*>(QStringLiteral("startTime"));
        to = dialog->findChild<QDateTimeEdit*>(QStringLiteral("endTime"));
        QCOMPARE(dialog->timeRangeOrigin(), QStringLiteral("start and end from the filter's start/end terms"));
        QCOMPARE(from->dateTime().toSecsSinceEpoch(), qint64(1764568800));
        QCOMPARE(to->dateTime().toSecsSinceEpoch(), qint64(1764614400));
        QVERIFY(dialog->findChild<QLabel*>(QStringLiteral("rangeOrigin"))->isVisible());
        if (qEnvironmentVariableIsSet("FLOWLOG_SCREENSHOT_DIR")) { // for the README
            dialog->findChild<QLineEdit*>(QStringLiteral("logGroups"))->setText(QStringLiteral("/flowlogs/tgw"));
            QVERIFY(dialog->grab().save(qEnvironmentVariable("FLOWLOG_SCREENSHOT_DIR") + QStringLiteral("/insights-run.png")));
        }
        // Edited by hand: the background span does not overwrite it.
        from->setDateTime(QDateTime::fromSecsSinceEpoch(1764550020, Qt::UTC));
        QCOMPARE(dialog->timeRangeOrigin(), QStringLiteral("set by hand"));
        dialog->setTimeRange(core::insightsTimeRange(QString(), std::nullopt, 1765000000));
        QCOMPARE(dialog->timeRangeOrigin(), QStringLiteral("set by hand"));
        QCOMPARE(from->dateTime().toSecsSinceEpoch(), qint64(1764550020));
        dialog->close();
        QTRY_VERIFY(!dialog);
        session->setFilter(QString());
    }

    // Run on Logs Insights > Record Table: the get-query-results JSON (fields by name) opens as
    // records in the record table (it replaces the session, as File > Open does). Last: it
    // replaces the loaded data the other tests use.
    void insightsRecordsOpen()
    {
        QJsonArray results;
        for (int i = 0; i < 3; ++i) {
            auto fv = [](const char* field, const QString& v) {
                return QJsonObject{{"field", QLatin1String(field)}, {"value", v}};
            };
            results.append(QJsonArray{fv("tgw_attachment_id", QStringLiteral("tgw-attach-0aaa00000000000a1")),
                                      fv("flow_direction", QStringLiteral("ingress")),
                                      fv("srcaddr", QStringLiteral("10.0.0.%1").arg(i + 1)),
                                      fv("dstaddr", QStringLiteral("10.9.0.1")), fv("packets", QString::number(i + 1)),
                                      fv("bytes", QString::number(100 * (i + 1))), fv("start", QString::number(1764547200 + i)),
                                      fv("end", QString::number(1764547260 + i)), fv("@ptr", QStringLiteral("ptr%1").arg(i))});
        }
        QVERIFY(m_fake.writeFile(
            QStringLiteral("insights-results.json"),
            QJsonDocument(
                QJsonObject{{"results", results}, {"statistics", QJsonObject{{"bytesScanned", 2e6}}}, {"status", "Complete"}})
                .toJson()));
        setMode("ok");
        m_window->session()->setFilter(QString());
        QPointer<RemoteRunDialog> dialog = remote()->startRun(core::RemoteView::Records, false);
        QVERIFY(dialog);
        dialog->setPollMilliseconds(20);
        dialog->findChild<QLineEdit*>(QStringLiteral("logGroups"))->setText(QStringLiteral("/flowlogs/tgw"));
        QSignalSpy loaded(m_window->loadController(), &LoadController::finished);
        dialog->run();
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 30000);
        QTRY_VERIFY(!dialog); // closed after handing the result on
        QCOMPARE(m_window->session()->store()->recordCount(), qint64(3));
        auto st = m_window->session()->store()->prepare(QStringLiteral("SELECT srcaddr, bytes FROM flows ORDER BY id"));
        QStringList rows;
        while (st.ok() && st->next()) rows << st->text(0) + QLatin1Char(' ') + st->text(1);
        QCOMPARE(rows, (QStringList{"10.0.0.1 100", "10.0.0.2 200", "10.0.0.3 300"}));
    }

    void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(TestRemoteRun)
#include "tst_remote_run.moc"
