// The Remote menu in the real main window: the Copy as Athena SQL / Logs Insights actions put the
// query for the current filter and view settings on the clipboard (the loaded file's header as
// the format, the record table's columns and sort), the table dialog checks and remembers the
// S3 location (results in the pages: tst_remote_views; running: tst_remote_run).
#include "core/analysis/aggregate.h"
#include "core/remote/remote.h"
#include "ui/io/loadcontroller.h"
#include "ui/logic/session.h"
#include "ui/remote/remoteactions.h"
#include "ui/shell/mainwindow.h"
#include "ui/table/recordview.h"
#include "uitestdata.h"

#include <QApplication>
#include <QClipboard>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace ui;

class TestRemoteMenu : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<MainWindow> m_window;

    RemoteActions* remote() const { return m_window->findChild<RemoteActions*>(); }
    void trigger(const QString& name)
    {
        auto* a = remote()->menu()->findChild<QAction*>(name);
        if (!a) {
            for (QAction* m : remote()->menu()->actions())
                if (m->menu())
                    if (auto* sub = m->menu()->findChild<QAction*>(name)) a = sub;
            for (QAction* m : remote()->menu()->actions())
                if (m->objectName() == name) a = m;
        }
        QVERIFY2(a, qPrintable(name));
        a->trigger();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qRegisterMetaType<core::Outcome>();
        qRegisterMetaType<core::LoadReport>();
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("tgw.log"));
        QFile f(m_path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        // A header line, as S3 delivers, so the format comes from the file.
        QByteArray header =
            "version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id "
            "tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id "
            "tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
            "log-status type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded "
            "packets-lost-ttl-expired tcp-flags region flow-direction pkt-src-aws-service pkt-dst-aws-service\n";
        f.write(header + uitest::generateTgw(300).text);
        f.close();
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1200, 800);
        m_window->show();
        QSignalSpy finished(m_window->loadController(), &LoadController::finished);
        QVERIFY(m_window->openPaths({m_path}));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    }

    void menuIsInTheMenuBar()
    {
        QVERIFY(remote());
        QCOMPARE(remote()->menu()->title(), QStringLiteral("&Remote"));
        for (const char* name : {"runAthena:edges", "runAthena:series", "runAthena:drops", "runAthena:records",
                                 "runInsights:edges", "runInsights:drops"})
            QVERIFY2(remote()->menu()->findChild<QAction*>(QLatin1String(name)), name);
    }

    void copyAthenaSql_data()
    {
        QTest::addColumn<QString>("action");
        QTest::addColumn<QString>("mustContain");
        QTest::newRow("graph") << "athena:edges"
                               << "counted AS (";
        QTest::newRow("timeline") << "athena:series"
                                  << "\"start\" / 3600 * 3600 AS bin_start";
        QTest::newRow("drops") << "athena:drops"
                               << "'mtu-exceeded' AS reason";
        QTest::newRow("records") << "athena:records"
                                 << "LIMIT 1000";
        QTest::newRow("insights graph") << "insights:edges"
                                        << "parse @message \"* * *";
        QTest::newRow("insights drops") << "insights:drops"
                                        << "by tgw_attachment_id, tgw_pair_attachment_id, flow_direction";
    }

    void copyAthenaSql()
    {
        QFETCH(QString, action);
        QFETCH(QString, mustContain);
        m_window->session()->setFilter(QStringLiteral("dstport == 443 and start >= \"2025-12-01 00:00\""));
        QApplication::clipboard()->clear();
        QSignalSpy status(remote(), &RemoteActions::statusMessage);
        trigger(action);
        QCOMPARE(status.size(), 1);
        const QString text = QApplication::clipboard()->text();
        const auto view = *core::remoteViewFromString(action.section(QLatin1Char(':'), 1));
        const bool athena = action.startsWith(QLatin1String("athena"));
        // The clipboard holds what core/remote builds for the window's state ...
        const auto expected = athena ? remote()->athenaText(view) : remote()->insightsText(view);
        QVERIFY(expected.ok());
        QCOMPARE(text, expected.value() + (athena ? QStringLiteral(";") : QString()));
        QVERIFY2(text.contains(mustContain), qPrintable(text));
        // ... with the session's filter.
        QVERIFY2(text.contains(athena ? QStringLiteral("\"dstport\" = 443") : QStringLiteral("dstport = 443")), qPrintable(text));
        if (athena && view != core::RemoteView::Records) QVERIFY(text.contains(QStringLiteral("\"day\" >= '2025/12/01'")));
        if (view == core::RemoteView::Records) {
            // The record table's visible columns, in order.
            const QStringList columns = m_window->recordView()->visibleColumns();
            QVERIFY(!columns.isEmpty());
            QStringList quoted;
            for (const QString& c : columns)
                if (c != QLatin1String("id") && c != QLatin1String("twin_id") && c != QLatin1String("file_id")
                    && c != QLatin1String("line"))
                    quoted << (athena ? QLatin1Char('"') + c + QLatin1Char('"') : c);
            QVERIFY2(text.contains(quoted.first()), qPrintable(text));
        }
    }

    void tableDialogRemembers()
    {
        bool filled = false;
        QTimer::singleShot(0, this, [&]() {
            auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
            if (!dialog) return;
            const auto edits = dialog->findChildren<QLineEdit*>();
            // table, bucket, prefix, accounts, regions (form order)
            edits[1]->setText(QStringLiteral("Bad_Bucket"));
            edits[3]->setText(QStringLiteral("111111111111 222222222222"));
            edits[4]->setText(QStringLiteral("us-east-1"));
            auto* copy = dialog->findChild<QPushButton*>(QStringLiteral("copyDdl"));
            copy->click(); // refused: the dialog stays and says why
            const auto labels = dialog->findChildren<QLabel*>();
            const bool said = std::any_of(labels.begin(), labels.end(), [](QLabel* l) {
                return l->text().contains(QLatin1String("is not an S3 bucket name"));
            });
            edits[1]->setText(QStringLiteral("my-flow-logs"));
            filled = said;
            copy->click();
        });
        trigger(QStringLiteral("athenaDdl"));
        QVERIFY(filled);
        const QString ddl = QApplication::clipboard()->text();
        QVERIFY2(ddl.startsWith(QLatin1String("-- Flowlog Explorer: Athena table for 36 flow log fields")), qPrintable(ddl));
        QVERIFY(ddl.contains(QLatin1String("'projection.aws_account_id.values' = '111111111111,222222222222'")));
        QVERIFY(ddl.contains(QLatin1String("LOCATION 's3://my-flow-logs/AWSLogs/'")));
        QCOMPARE(loadTableOptions().bucket, QStringLiteral("my-flow-logs"));
        QVERIFY(remote()->ddlText().ok());
    }

    void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(TestRemoteMenu)
#include "tst_remote_menu.moc"
