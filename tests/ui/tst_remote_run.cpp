// Remote > Run on Athena / Run on Logs Insights in the real main window, against a fake `aws`
// executable on PATH (a shell script written here that prints canned JSON for each call and
// records its arguments): the exact command, progress (state, data scanned, cost), the result
// shown in the Attachments page, and the failures users hit (no credentials, access denied, a
// failed query, the timeout, Cancel) as sentences, with the query stopped where it ran.
#include "core/analysis/aggregate.h"
#include "core/remote/athena_runner.h"
#include "ui/graph/attachmentspage.h"
#include "ui/io/loadcontroller.h"
#include "ui/logic/session.h"
#include "ui/remote/remoteactions.h"
#include "ui/remote/remoterundialog.h"
#include "ui/shell/mainwindow.h"
#include "uitestdata.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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

// Canned answers by mode (the file "mode" next to the script): ok, nocreds, denied, failed,
// running (never finishes: timeout and cancel).
// clang-format off
const char* kFakeAws = R"SH(#!/bin/sh
d="$(dirname "$0")"
mode="$(cat "$d/mode")"
printf '%s\n' "$*" >> "$d/calls.log"
case "$1 $2" in
"athena start-query-execution"|"logs start-query")
  case "$mode" in
  nocreds) echo 'Unable to locate credentials. You can configure credentials by running "aws configure".' >&2; exit 253;;
  denied) echo 'An error occurred (AccessDeniedException) when calling the StartQueryExecution operation: User: arn:aws:iam::111122223333:user/analyst is not authorized to perform: athena:StartQueryExecution' >&2; exit 254;;
  esac
  if [ "$1" = athena ]; then echo '{"QueryExecutionId": "0f1e2d3c-aaaa-bbbb-cccc-000000000001"}'; else echo '{"queryId": "iq-0001"}'; fi;;
"athena get-query-execution")
  case "$mode" in
  failed) echo '{"QueryExecution": {"Status": {"State": "FAILED", "StateChangeReason": "TABLE_NOT_FOUND: line 1:8: Table awsdatacatalog.default.flow_logs does not exist"}, "Statistics": {"DataScannedInBytes": 0}}}';;
  running) echo '{"QueryExecution": {"Status": {"State": "RUNNING"}, "Statistics": {"DataScannedInBytes": 1500000000}}}';;
  *) echo '{"QueryExecution": {"Status": {"State": "SUCCEEDED"}, "Statistics": {"DataScannedInBytes": 2500000000000}}}';;
  esac;;
"athena get-query-results") cat "$d/athena-results.json";;
"logs get-query-results")
  case "$mode" in
  failed) echo '{"results": [], "statistics": {"bytesScanned": 0}, "status": "Failed"}';;
  running) echo '{"results": [], "statistics": {"bytesScanned": 1500000000, "recordsMatched": 10}, "status": "Running"}';;
  *) cat "$d/insights-results.json";;
  esac;;
"athena stop-query-execution"|"logs stop-query") echo '{}';;
*) echo "fake aws: unexpected call $*" >&2; exit 2;;
esac
)SH";
// clang-format on

} // namespace

class TestRemoteRun : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QTemporaryDir m_bin;
    std::unique_ptr<MainWindow> m_window;
    std::vector<core::Edge> m_edges;

    RemoteActions* remote() const { return m_window->findChild<RemoteActions*>(); }
    void setMode(const QByteArray& mode)
    {
        QFile f(m_bin.filePath(QStringLiteral("mode")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(mode);
        QFile::remove(m_bin.filePath(QStringLiteral("calls.log")));
    }
    QString calls() const
    {
        QFile f(m_bin.filePath(QStringLiteral("calls.log")));
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qRegisterMetaType<core::LoadReport>();
        QSettings().clear();
        QVERIFY(m_dir.isValid() && m_bin.isValid());
        // The fake aws first on PATH.
        const QString aws = m_bin.filePath(QStringLiteral("aws"));
        QFile script(aws);
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write(kFakeAws);
        script.close();
        QVERIFY(script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        qputenv("PATH", m_bin.path().toLocal8Bit() + ':' + qgetenv("PATH"));

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
        QFile a(m_bin.filePath(QStringLiteral("athena-results.json")));
        QVERIFY(a.open(QIODevice::WriteOnly));
        a.write(QJsonDocument(QJsonObject{{"ResultSet", QJsonObject{{"Rows", rows}}}}).toJson());
        QFile i(m_bin.filePath(QStringLiteral("insights-results.json")));
        QVERIFY(i.open(QIODevice::WriteOnly));
        i.write(QJsonDocument(QJsonObject{{"results", results},
                                          {"statistics", QJsonObject{{"bytesScanned", 3.5e9}, {"recordsMatched", 1000}}},
                                          {"status", "Complete"}})
                    .toJson());
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

    void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(TestRemoteRun)
#include "tst_remote_run.moc"
