// The Remote menu in the real main window: the Copy as Athena SQL / Logs Insights actions put the
// query for the current filter and view settings on the clipboard (the loaded file's header as
// the format, the record table's columns and sort), the table dialog checks and remembers the
// S3 location, and Open Result shows an edges result as a graph and a series result as a table.
// FLOWLOG_SCREENSHOT_DIR=dir saves the result windows as PNGs (for the README).
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
#include <QTableWidget>
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
    void saveShot(QWidget* w, const char* name)
    {
        const QString dir = qEnvironmentVariable("FLOWLOG_SCREENSHOT_DIR");
        if (!dir.isEmpty()) QVERIFY(w->grab().save(dir + QLatin1Char('/') + QLatin1String(name)));
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

    void openEdgesResult()
    {
        const auto edges = core::computeEdges(*m_window->session()->store(), QString(), core::EdgeDimension::Attachment);
        QVERIFY(edges.ok());
        QByteArray csv = "\"src\",\"dst\",\"flows\",\"packets\",\"bytes\",\"packets_lost_no_route\",\"packets_lost_blackhole\","
                         "\"packets_lost_mtu_exceeded\",\"packets_lost_ttl_expired\"\n";
        qint64 flows = 0;
        for (const core::Edge& e : edges.value()) {
            csv += QStringLiteral("\"%1\",\"%2\",\"%3\",\"%4\",\"%5\",\"%6\",\"0\",\"0\",\"0\"\n")
                       .arg(e.src, e.dst)
                       .arg(e.flows * 30)
                       .arg(e.packets * 30)
                       .arg(e.bytes * 30)
                       .arg(e.lost[0] * 30)
                       .toUtf8();
            flows += e.flows * 30;
        }
        const QString path = m_dir.filePath(QStringLiteral("athena-edges.csv"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(csv);
        f.close();
        QVERIFY(remote()->openResult(path));
        QDialog* window = nullptr;
        QTRY_VERIFY((window = m_window->findChild<QDialog*>(QStringLiteral("remoteResultWindow"))) != nullptr);
        QVERIFY(window->findChild<QWidget*>(QStringLiteral("resultGraph")));
        const QString status = window->findChild<QLabel*>(QStringLiteral("resultStatus"))->text();
        QVERIFY2(status.contains(QStringLiteral("%1 rows read from athena-edges.csv").arg(edges->size())), qPrintable(status));
        QVERIFY2(status.contains(QLocale().toString(flows)), qPrintable(status));
        QTest::qWait(0);
        saveShot(window, "athena-result-graph.png");
        window->close();
        QTRY_VERIFY(!m_window->findChild<QDialog*>(QStringLiteral("remoteResultWindow"))); // deleted on close
    }

    void openSeriesResult()
    {
        const QString path = m_dir.filePath(QStringLiteral("series.csv"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("bin_start,flows,packets,bytes\n1764547200,5,50,5000\n1764550800,1,10,100\n1764558000,2,20,2000\n");
        f.close();
        QVERIFY(remote()->openResult(path));
        QDialog* window = nullptr;
        QTRY_VERIFY((window = m_window->findChild<QDialog*>(QStringLiteral("remoteResultWindow"))) != nullptr);
        auto* table = window->findChild<QTableWidget*>();
        QVERIFY(table);
        QCOMPARE(table->rowCount(), 4); // hourly bins; the gap is a zero bin
        QCOMPARE(table->item(2, 1)->text(), QStringLiteral("0"));
        window->close();
    }

    void cleanupTestCase() { m_window.reset(); }
};

QTEST_MAIN(TestRemoteMenu)
#include "tst_remote_menu.moc"
