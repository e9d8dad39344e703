// The memory guard driven like a user, offscreen: with FLOWLOG_MEMORY_LIMIT set low, starting
// a load shows the dialog with the numbers; "Load Sample" loads fewer records and the report
// says so; "Load Time Window" loads only records inside it; Cancel (button or Esc) changes
// nothing; with enough memory no dialog appears.
#include "core/ingest/loader.h"
#include "core/ingest/memory.h"
#include "ui/io/loadcontroller.h"
#include "ui/io/memoryguard.h"
#include "ui/logic/session.h"

#include <QApplication>
#include <QDateTimeEdit>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QTimer>
#include <memory>

#include <functional>

using namespace ui;

Q_DECLARE_METATYPE(core::LoadReport)
Q_DECLARE_METATYPE(ui::LoadController::Mode)

namespace {

constexpr qint64 kT0 = 1795946400; // 2026-11-29 10:00:00Z
constexpr int kRecords = 2000;     // one VPC record per second from kT0

QByteArray vpcLog()
{
    QByteArray text =
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n";
    for (int i = 0; i < kRecords; ++i)
        text += "2 123456789012 eni-0123456789abcdef0 10.1." + QByteArray::number(i / 250) + '.' + QByteArray::number(i % 250)
                + " 10.2.3.4 " + QByteArray::number(1024 + i) + " 443 6 " + QByteArray::number(1 + i % 17) + ' '
                + QByteArray::number(100 + i) + ' ' + QByteArray::number(kT0 + i) + ' ' + QByteArray::number(kT0 + i + 60)
                + " ACCEPT OK\n";
    return text;
}

qint64 scalar(const core::Store& store, const QString& sql)
{
    auto st = store.prepare(sql);
    return st.ok() && st->next() ? st->int64(0) : -1;
}

/// Runs `act` on the memory dialog as soon as it is shown (it runs its own event loop).
/// `seen` tells whether it appeared. Polling stops when the returned timer is destroyed, so a
/// dialog that never comes cannot leave a poller running into the next test.
[[nodiscard]] std::unique_ptr<QTimer> onDialog(const std::function<void(MemoryGuardDialog*)>& act, bool* seen)
{
    *seen = false;
    auto timer = std::make_unique<QTimer>();
    timer->setInterval(10);
    QTimer* t = timer.get();
    QObject::connect(t, &QTimer::timeout, t, [t, act, seen]() {
        auto* dialog = qobject_cast<MemoryGuardDialog*>(QApplication::activeModalWidget());
        if (!dialog) return;
        t->stop();
        *seen = true;
        act(dialog);
    });
    timer->start();
    return timer;
}

} // namespace

class TestMemoryGuard : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_log;
    QWidget m_window;

    /// A LoadController on a fresh session; `finished` lands in the spy.
    struct Rig {
        Session session;
        LoadController controller;
        QSignalSpy started;
        QSignalSpy finished;
        explicit Rig(QWidget* window)
            : controller(&session, window), started(&controller, &LoadController::started),
              finished(&controller, &LoadController::finished)
        {
        }
        core::LoadReport report() const { return finished.constLast().at(0).value<core::LoadReport>(); }
    };

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<core::LoadReport>();
        qRegisterMetaType<ui::LoadController::Mode>();
        QVERIFY(m_dir.isValid());
        m_log = m_dir.filePath(QStringLiteral("vpc.log"));
        QFile f(m_log);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(vpcLog());
        f.close();
        qputenv("FLOWLOG_MEMORY_LIMIT", "1M");
        m_window.resize(800, 600);
        m_window.show();
    }
    void cleanupTestCase() { qunsetenv("FLOWLOG_MEMORY_LIMIT"); }
    void init() { qputenv("FLOWLOG_MEMORY_LIMIT", "1M"); }

    void dialogSaysSoWithNumbers()
    {
        Rig rig(&m_window);
        bool seen = false;
        QString message, span;
        int proposedSample = 0;
        const auto watch = onDialog(
            [&](MemoryGuardDialog* d) {
                message = d->findChild<QLabel*>(QStringLiteral("message"))->text();
                span = d->findChild<QLabel*>(QStringLiteral("spanLabel"))->text();
                proposedSample = d->findChild<QSpinBox*>(QStringLiteral("sampleSpin"))->value();
                QTest::mouseClick(d->findChild<QPushButton*>(QStringLiteral("cancelButton")), Qt::LeftButton);
            },
            &seen);
        QVERIFY(!rig.controller.start({m_log}, LoadController::Mode::Replace));
        QVERIFY(seen);
        const qint64 needed = core::estimateLoadBytes({m_log});
        QCOMPARE(message.section(QLatin1Char('\n'), 0, 0), core::memorySentence(1, needed, 1 << 20));
        QVERIFY2(message.startsWith(QLatin1String("This file would need about ")), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("; 1.0 MB is available.")), qPrintable(message));
        QVERIFY2(span.contains(QLatin1String("no times")), qPrintable(span));
        QVERIFY(proposedSample >= 2);
    }

    void cancelChangesNothing_data()
    {
        QTest::addColumn<bool>("escape");
        QTest::newRow("Cancel button") << false;
        QTest::newRow("Esc key") << true;
    }
    void cancelChangesNothing()
    {
        QFETCH(bool, escape);
        Rig rig(&m_window);
        // First a load that fits.
        qputenv("FLOWLOG_MEMORY_LIMIT", "64G");
        QVERIFY(rig.controller.start({m_log}, LoadController::Mode::Replace));
        QTRY_COMPARE(rig.finished.count(), 1);
        const auto before = rig.session.store();
        QCOMPARE(before->recordCount(), qint64(kRecords));
        const qint64 reportRecords = rig.controller.sessionReport().records;

        qputenv("FLOWLOG_MEMORY_LIMIT", "1M");
        for (auto mode : {LoadController::Mode::Replace, LoadController::Mode::Add}) {
            bool seen = false;
            const auto watch = onDialog(
                [escape](MemoryGuardDialog* d) {
                    if (escape) QTest::keyClick(d, Qt::Key_Escape);
                    else QTest::mouseClick(d->findChild<QPushButton*>(QStringLiteral("cancelButton")), Qt::LeftButton);
                },
                &seen);
            QVERIFY(!rig.controller.start({m_log}, mode));
            QVERIFY(seen);
            QVERIFY(!rig.controller.isRunning());
        }
        QCOMPARE(rig.started.count(), 1);
        QTest::qWait(50); // nothing may arrive later either
        QCOMPARE(rig.finished.count(), 1);
        QCOMPARE(rig.session.store(), before);
        QCOMPARE(before->recordCount(), qint64(kRecords));
        QCOMPARE(rig.controller.sessionReport().records, reportRecords);
    }

    void sampleLoadsFewer()
    {
        Rig rig(&m_window);
        bool seen = false;
        const auto watch = onDialog(
            [](MemoryGuardDialog* d) {
                auto* spin = d->findChild<QSpinBox*>(QStringLiteral("sampleSpin"));
                spin->setValue(10);
                QVERIFY(d->findChild<QLabel*>(QStringLiteral("sampleEstimate"))->text().contains(QLatin1String("Needs about")));
                QTest::mouseClick(d->findChild<QPushButton*>(QStringLiteral("sampleButton")), Qt::LeftButton);
            },
            &seen);
        QVERIFY(rig.controller.start({m_log}, LoadController::Mode::Replace));
        QVERIFY(seen);
        QTRY_COMPARE(rig.finished.count(), 1);
        const core::LoadReport r = rig.report();
        QCOMPARE(r.outcome, core::Outcome::Ok);
        QVERIFY2(r.records > kRecords / 20 && r.records < kRecords / 5, qPrintable(QString::number(r.records)));
        QCOMPARE(r.records + r.sampledOut, qint64(kRecords));
        QCOMPARE(rig.session.store()->recordCount(), r.records);
        QCOMPARE(rig.controller.sessionReport().sampledOut, r.sampledOut);
        const QString said = loadLimitsSummary(r);
        QVERIFY2(said.contains(QStringLiteral("%1 records left out by the sample").arg(QLocale().toString(r.sampledOut))),
                 qPrintable(said));
    }

    void windowLoadsOnlyInside()
    {
        Rig rig(&m_window);
        bool seen = false;
        const auto watch = onDialog(
            [](MemoryGuardDialog* d) {
                d->findChild<QDateTimeEdit*>(QStringLiteral("fromEdit"))
                    ->setDateTime(QDateTime::fromSecsSinceEpoch(kT0 + 120, QTimeZone::utc()));
                d->findChild<QDateTimeEdit*>(QStringLiteral("toEdit"))
                    ->setDateTime(QDateTime::fromSecsSinceEpoch(kT0 + 420, QTimeZone::utc()));
                QTest::mouseClick(d->findChild<QPushButton*>(QStringLiteral("windowButton")), Qt::LeftButton);
            },
            &seen);
        QVERIFY(rig.controller.start({m_log}, LoadController::Mode::Replace));
        QVERIFY(seen);
        QTRY_COMPARE(rig.finished.count(), 1);
        const core::LoadReport r = rig.report();
        QCOMPARE(r.records, 300LL);
        QCOMPARE(r.outsideWindow, qint64(kRecords - 300));
        const auto& store = *rig.session.store();
        QCOMPARE(scalar(store, QStringLiteral("SELECT min(start) FROM flows")), kT0 + 120);
        QCOMPARE(scalar(store, QStringLiteral("SELECT max(start) FROM flows")), kT0 + 419);
        QVERIFY(loadLimitsSummary(r).contains(QLatin1String("outside the time window")));
    }

    void reversedWindowCannotBeChosen()
    {
        Rig rig(&m_window);
        bool seen = false;
        bool enabled = true;
        QString estimate;
        const auto watch = onDialog(
            [&](MemoryGuardDialog* d) {
                d->findChild<QDateTimeEdit*>(QStringLiteral("fromEdit"))
                    ->setDateTime(QDateTime::fromSecsSinceEpoch(kT0 + 600, QTimeZone::utc()));
                d->findChild<QDateTimeEdit*>(QStringLiteral("toEdit"))
                    ->setDateTime(QDateTime::fromSecsSinceEpoch(kT0, QTimeZone::utc()));
                auto* button = d->findChild<QPushButton*>(QStringLiteral("windowButton"));
                enabled = button->isEnabled();
                estimate = d->findChild<QLabel*>(QStringLiteral("windowEstimate"))->text();
                QTest::mouseClick(button, Qt::LeftButton); // disabled: nothing happens
                QTest::mouseClick(d->findChild<QPushButton*>(QStringLiteral("cancelButton")), Qt::LeftButton);
            },
            &seen);
        QVERIFY(!rig.controller.start({m_log}, LoadController::Mode::Replace));
        QVERIFY(seen);
        QVERIFY(!enabled);
        QVERIFY2(estimate.contains(QLatin1String("must start before it ends")), qPrintable(estimate));
    }

    void loadAnyway()
    {
        Rig rig(&m_window);
        bool seen = false;
        const auto watch = onDialog(
            [](MemoryGuardDialog* d) {
                QTest::mouseClick(d->findChild<QPushButton*>(QStringLiteral("anywayButton")), Qt::LeftButton);
            },
            &seen);
        QVERIFY(rig.controller.start({m_log}, LoadController::Mode::Replace));
        QVERIFY(seen);
        QTRY_COMPARE(rig.finished.count(), 1);
        QCOMPARE(rig.report().records, qint64(kRecords));
        QCOMPARE(loadLimitsSummary(rig.report()), QString());
    }

    void noDialogWhenItFits_data()
    {
        QTest::addColumn<QString>("limit");
        QTest::newRow("64G") << "64G";
        QTest::newRow("unset: the real memory") << "";
    }
    void noDialogWhenItFits()
    {
        QFETCH(QString, limit);
        if (limit.isEmpty()) qunsetenv("FLOWLOG_MEMORY_LIMIT");
        else qputenv("FLOWLOG_MEMORY_LIMIT", limit.toUtf8());
        Rig rig(&m_window);
        bool seen = false;
        const auto watch = onDialog([](MemoryGuardDialog* d) { d->reject(); }, &seen);
        QVERIFY(rig.controller.start({m_log}, LoadController::Mode::Replace));
        QTRY_COMPARE(rig.finished.count(), 1);
        QVERIFY(!seen);
        QCOMPARE(rig.report().records, qint64(kRecords));
    }

    void s3NamesProposeAWindow()
    {
        // Three S3-named files, delivered 10:05, 10:10 and 10:15 UTC: the span is shown and the
        // proposed window ends one minute after the last delivery, inside the span.
        QTemporaryDir dir;
        QStringList files;
        for (const char* t : {"0005", "0010", "0015"}) {
            const QString path = dir.filePath(
                QStringLiteral("111122223333_vpcflowlogs_us-east-1_fl-0abc_20261129T10%1Z_ab12.log").arg(QLatin1String(t + 2)));
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(vpcLog());
            files << path;
        }
        const core::LoadEstimate e = core::estimateLoad(files);
        MemoryGuardDialog d(e, files.size(), 1 << 20, {}, &m_window);
        const QString span = d.findChild<QLabel*>(QStringLiteral("spanLabel"))->text();
        QVERIFY2(span.contains(QLatin1String("2026-11-29 10:05 to 2026-11-29 10:15 UTC")), qPrintable(span));
        const qint64 from = d.findChild<QDateTimeEdit*>(QStringLiteral("fromEdit"))->dateTime().toSecsSinceEpoch();
        const qint64 to = d.findChild<QDateTimeEdit*>(QStringLiteral("toEdit"))->dateTime().toSecsSinceEpoch();
        QCOMPARE(to, kT0 + 16 * 60);
        QVERIFY(from < to);
        QVERIFY(from >= kT0);
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
    }

    void proposeWindow_data()
    {
        QTest::addColumn<QList<qint64>>("fileTimes"); // -1 = no time in the name
        QTest::addColumn<qint64>("available");
        QTest::addColumn<qint64>("from");
        QTest::addColumn<qint64>("to");
        const qint64 now = kT0 + 1234;
        QTest::newRow("no times: the last hour") << QList<qint64>{-1, -1} << 1LL << now - 34 + 60 - 3600 << now - 34 + 60;
        QTest::newRow("everything fits") << QList<qint64>{kT0, kT0 + 3600} << (1LL << 40) << kT0 << kT0 + 3660;
        QTest::newRow("nothing fits: five minutes") << QList<qint64>{kT0, kT0 + 3600} << 0LL << kT0 + 3660 - 300 << kT0 + 3660;
    }
    void proposeWindow()
    {
        QFETCH(QList<qint64>, fileTimes);
        QFETCH(qint64, available);
        QFETCH(qint64, from);
        QFETCH(qint64, to);
        core::LoadEstimate e;
        e.fixedBytes = 1000;
        for (qint64 t : fileTimes) {
            e.fileBytes.push_back(1000000);
            e.fileTimes.push_back(t < 0 ? std::nullopt : std::optional<qint64>(t));
        }
        const auto got = MemoryGuardDialog::proposeWindow(e, available, kT0 + 1234);
        QCOMPARE(got.first, from);
        QCOMPARE(got.second, to);
    }
};

QTEST_MAIN(TestMemoryGuard)
#include "tst_memoryguard.moc"
