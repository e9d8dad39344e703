// Cancelling "follow one flow" (core::traceFlow with a cancel flag, as the other analyses): the
// answer is exactly the Error "cancelled" and never a partial path, wherever the flag is raised:
// before the start (no statement runs), at the start of each statement the trace runs in turn
// (no further statement starts, and a scan stops within the CancelScope's polling interval of
// SQLite VM steps instead of running to its end), from another thread, or by interrupts landing
// at any moment. Afterwards the same trace without a cancel gives the same path as before.
// The statements are observed with SQLite's own tracing (sqlite3_trace_v2: the start of each run
// and its VM step count), so nothing here depends on timing.
#include "core/analysis/flowpath.h"
#include "core/ingest/loader.h"
#include "core/store/store.h"

#include <QScopeGuard>
#include <QTest>
#include <algorithm>
#include <atomic>
#include <sqlite3.h>
#include <thread>

using namespace core;

namespace {

/// Records that are no flow's reply: enough that a reply scan is long (hundreds of thousands of
/// VM steps), next to which the cancel's polling interval is small.
constexpr int kFillers = 60000;
/// The CancelScope polls its flag every 10,000 VM steps (core/store/store.cpp); a statement
/// that sees the flag raised at its start may run this many steps at most.
constexpr int kMostStepsAfterCancel = 2 * 10000;

/// A TGW record (default format, no header), as in tst_flowpath.
QByteArray tgwLine(const char* att, const char* pair, const char* dir, const QString& src, const QString& dst, int sport,
                   int dport, qint64 start)
{
    return QStringLiteral("6 TransitGateway 111122223333 tgw-0123 %1 111122223333 111122223333 vpc-src vpc-dst "
                          "subnet-a subnet-b eni-a eni-b use1-az1 use1-az2 %2 %3 %4 %5 %6 6 10 4000 %7 %8 OK "
                          "IPv4 0 0 0 0 19 us-east-1 %9 - -\n")
        .arg(QLatin1String(att), QLatin1String(pair), src, dst)
        .arg(sport)
        .arg(dport)
        .arg(start)
        .arg(start + 60)
        .arg(QLatin1String(dir))
        .toUtf8();
}

/// What a caller sees of a path: enough to tell any two different answers apart.
QString describe(const FlowPath& p)
{
    auto ids = [](const FlowLeg& l) {
        return QStringLiteral("%1/%2/%3").arg(l.ingress ? l.ingress->id : 0).arg(l.egress ? l.egress->id : 0).arg(l.endsAtTgw);
    };
    return QStringLiteral("record %1: %2 [%3] via %4 -> %5; reply %6 [%7]; note '%8'")
        .arg(p.recordId)
        .arg(p.flow.summary(), ids(p.flow), p.flow.entry.id, p.flow.exit.id,
             p.reply ? p.reply->summary() : QStringLiteral("none"), p.reply ? ids(*p.reply) : QString(), p.replyNote);
}

/// Watches the statements one traceFlow runs on the store's connection and raises the cancel
/// flag when run number `cancelAtRun` (1-based) starts.
struct Tracer {
    std::atomic<bool>* cancel = nullptr;
    int cancelAtRun = 0;                  ///< 0: never raise
    std::atomic<bool>* reached = nullptr; ///< set at that run's start; then wait for the flag
    int runs = 0;                         ///< statement runs started
    int startsAfterCancel = 0;            ///< runs started while the flag was already raised
    int mostStepsAfterCancel = 0;         ///< VM steps of the longest run that ended after the raise
    std::vector<int> steps;               ///< VM steps of each run, in order
    std::vector<QString> sql;             ///< each run's SQL (start), for messages

    static int callback(unsigned type, void* context, void* p, void* x)
    {
        auto* t = static_cast<Tracer*>(context);
        auto* stmt = static_cast<sqlite3_stmt*>(p);
        const bool raised = t->cancel && t->cancel->load();
        if (type == SQLITE_TRACE_STMT) {
            ++t->runs;
            t->sql.push_back(QString::fromUtf8(static_cast<const char*>(x)).left(60));
            if (raised) {
                ++t->startsAfterCancel;
            } else if (t->runs == t->cancelAtRun) {
                if (t->reached) {
                    // Another thread raises the flag: hold this statement until it has.
                    t->reached->store(true);
                    while (!t->cancel->load()) std::this_thread::yield();
                } else {
                    t->cancel->store(true);
                }
            }
        } else if (type == SQLITE_TRACE_PROFILE) {
            const int n = sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_VM_STEP, 1);
            t->steps.push_back(n);
            if (raised) t->mostStepsAfterCancel = std::max(t->mostStepsAfterCancel, n);
        }
        return 0;
    }
};

/// Installs a Tracer on the store's connection for its lifetime.
class Tracing {
public:
    Tracing(const Store& store, Tracer& tracer) : m_db(store.handle())
    {
        sqlite3_trace_v2(m_db, SQLITE_TRACE_STMT | SQLITE_TRACE_PROFILE, &Tracer::callback, &tracer);
    }
    ~Tracing() { sqlite3_trace_v2(m_db, 0, nullptr, nullptr); }
    Tracing(const Tracing&) = delete;
    Tracing& operator=(const Tracing&) = delete;

private:
    sqlite3* m_db;
};

} // namespace

class TestFlowPathCancel : public QObject {
    Q_OBJECT

    std::unique_ptr<Store> m_store;
    qint64 m_withReply = 0; ///< id of an ingress record whose twin and reply (with its twin) are loaded

    /// The path traced without a cancel (must be an answer, not an error).
    QString reference(qint64 id)
    {
        const auto path = traceFlow(*m_store, core::RecordId(id), nullptr);
        return path.ok() ? describe(path.value()) : QStringLiteral("error: ") + path.error().message;
    }

private Q_SLOTS:
    void initTestCase()
    {
        auto created = Store::create();
        QVERIFY(created.ok());
        m_store = std::move(created.value());
        // Fillers: one-sided flows from 10.5.x.y with no reply; then a flow logged at both
        // attachments and its reply, also at both.
        QByteArray text;
        for (int i = 0; i < kFillers; ++i)
            text +=
                tgwLine("tgw-attach-0aaa", "tgw-attach-0bbb", "ingress", QStringLiteral("10.5.%1.%2").arg(i / 250).arg(i % 250),
                        QStringLiteral("10.6.0.1"), 1024 + i % 60000, 443, 1700000000 + i / 100);
        const QString a = QStringLiteral("10.0.0.5"), b = QStringLiteral("10.1.0.9");
        text += tgwLine("tgw-attach-0aaa", "tgw-attach-0bbb", "ingress", a, b, 51515, 8443, 1700000300);
        text += tgwLine("tgw-attach-0bbb", "tgw-attach-0aaa", "egress", a, b, 51515, 8443, 1700000300);
        text += tgwLine("tgw-attach-0bbb", "tgw-attach-0aaa", "ingress", b, a, 8443, 51515, 1700000301);
        text += tgwLine("tgw-attach-0aaa", "tgw-attach-0bbb", "egress", b, a, 8443, 51515, 1700000301);
        const LoadReport r = loadBuffer(*m_store, text, QStringLiteral("tgw.log"), LoadOptions{});
        QCOMPARE(r.records, qint64(kFillers + 4));
        m_withReply = kFillers + 1;
        // The rows below test what they claim: the filler has no reply, the flow has one.
        QVERIFY2(reference(1).contains(QLatin1String("reply none")), qPrintable(reference(1)));
        QVERIFY2(reference(m_withReply).contains(QStringLiteral("reply TCP 10.1.0.9:8443")), qPrintable(reference(m_withReply)));
    }

    void traces_data()
    {
        QTest::addColumn<qint64>("id");
        QTest::addColumn<QString>("note");
        QTest::newRow("no reply loaded: the near window, then the whole store scanned") << qint64(1) << QString();
        QTest::newRow("a record in the middle, no reply") << qint64(kFillers / 2) << QString();
        QTest::newRow("flow with its twin and its reply (and the reply's twin)") << qint64(kFillers + 1) << QString();
        QTest::newRow("the flow's egress record") << qint64(kFillers + 2) << QString();
        QTest::newRow("unknown id") << qint64(kFillers + 100) << QStringLiteral("no record with id");
    }

    /// A flag raised before the call: "cancelled", and not one statement runs.
    void cancelBeforeStart_data() { traces_data(); }
    void cancelBeforeStart()
    {
        QFETCH(qint64, id);
        const QString before = reference(id);
        std::atomic<bool> cancel{true};
        Tracer tracer;
        Result<FlowPath> path = Error{};
        {
            const Tracing tracing(*m_store, tracer);
            path = traceFlow(*m_store, core::RecordId(id), nullptr, &cancel);
        }
        QVERIFY(!path.ok());
        QCOMPARE(path.error().message, QStringLiteral("cancelled"));
        QCOMPARE(tracer.runs, 0);
        QCOMPARE(reference(id), before);
    }

    /// The flag raised as each statement run of the trace starts, in turn (the record, its twin,
    /// its raw values, the window scan, the candidates, the full scan, the reply's twin): always
    /// "cancelled", no statement starts afterwards, no run goes on past the polling interval, and
    /// the next trace without a cancel gives the same path as before.
    void cancelAtEachStatement_data() { traces_data(); }
    void cancelAtEachStatement()
    {
        QFETCH(qint64, id);
        QFETCH(QString, note);
        const QString before = reference(id);
        if (!note.isEmpty()) QVERIFY2(before.contains(note), qPrintable(before));
        Tracer plain;
        {
            const Tracing tracing(*m_store, plain);
            QCOMPARE(traceFlow(*m_store, core::RecordId(id), nullptr).ok(), note.isEmpty());
        }
        QVERIFY(plain.runs > 0);
        const int longest = *std::max_element(plain.steps.begin(), plain.steps.end());
        for (int at = 1; at <= plain.runs; ++at) {
            std::atomic<bool> cancel{false};
            Tracer tracer;
            tracer.cancel = &cancel;
            tracer.cancelAtRun = at;
            Result<FlowPath> path = Error{};
            {
                const Tracing tracing(*m_store, tracer);
                path = traceFlow(*m_store, core::RecordId(id), nullptr, &cancel);
            }
            const QString where = QStringLiteral("flag raised as run %1 of %2 started (%3)")
                                      .arg(at)
                                      .arg(plain.runs)
                                      .arg(plain.sql[static_cast<size_t>(at - 1)]);
            const QString answer = path.ok() ? QStringLiteral("a path: ") + describe(path.value()) : path.error().message;
            QVERIFY2(answer == QLatin1String("cancelled"), qPrintable(where + QStringLiteral(": got ") + answer));
            QVERIFY2(tracer.startsAfterCancel == 0,
                     qPrintable(where + QStringLiteral(": %1 statement(s) started after it").arg(tracer.startsAfterCancel)));
            QVERIFY2(tracer.mostStepsAfterCancel <= kMostStepsAfterCancel,
                     qPrintable(where + QStringLiteral(": a run went on for %1 VM steps").arg(tracer.mostStepsAfterCancel)));
        }
        // The scans without a cancel are far longer than the polling interval: stopping early is
        // what the rows above saw (for the traces that scan).
        qInfo("%d statement runs; the longest without a cancel: %d VM steps", plain.runs, longest);
        if (note.isEmpty() && before.contains(QLatin1String("reply none")))
            QVERIFY2(longest > 5 * kMostStepsAfterCancel, qPrintable(QStringLiteral("longest run %1 VM steps").arg(longest)));
        QCOMPARE(reference(id), before);
    }

    /// The flag raised by another thread while the trace is inside its first scan.
    void cancelFromAnotherThread()
    {
        const QString before = reference(1);
        Tracer plain;
        {
            const Tracing tracing(*m_store, plain);
            QVERIFY(traceFlow(*m_store, core::RecordId(1), nullptr).ok());
        }
        // The run with the most VM steps: a reply scan.
        const auto scan = std::max_element(plain.steps.begin(), plain.steps.end()) - plain.steps.begin();
        std::atomic<bool> cancel{false};
        std::atomic<bool> reached{false};
        Tracer tracer;
        tracer.cancel = &cancel;
        tracer.cancelAtRun = static_cast<int>(scan) + 1;
        tracer.reached = &reached;
        Result<FlowPath> path = Error{};
        std::atomic<bool> done{false};
        {
            const Tracing tracing(*m_store, tracer);
            std::thread worker([&] {
                path = traceFlow(*m_store, core::RecordId(1), nullptr, &cancel);
                done = true;
            });
            const auto waitForWorker = qScopeGuard([&] {
                cancel = true; // also on a failed QTRY below: never leave the worker waiting
                worker.join();
            });
            QTRY_VERIFY_WITH_TIMEOUT(reached.load(), 60000);
            cancel = true;
            QTRY_VERIFY_WITH_TIMEOUT(done.load(), 60000);
        }
        QVERIFY(!path.ok());
        QCOMPARE(path.error().message, QStringLiteral("cancelled"));
        QCOMPARE(tracer.startsAfterCancel, 0);
        QVERIFY2(tracer.mostStepsAfterCancel <= kMostStepsAfterCancel, qPrintable(QString::number(tracer.mostStepsAfterCancel)));
        QCOMPARE(reference(1), before);
    }

    /// SQLite interrupts (sqlite3_interrupt, connection-wide) landing at any moment, from another
    /// thread, while traces run again and again: each one ends with its path or "cancelled",
    /// never with an error such as "reading record N: interrupted".
    void interruptsAtAnyMoment_data() { traces_data(); }
    void interruptsAtAnyMoment()
    {
        QFETCH(qint64, id);
        QFETCH(QString, note);
        const QString before = reference(id);
        std::atomic<bool> stop{false};
        std::thread hammer([&] {
            while (!stop.load()) sqlite3_interrupt(m_store->handle());
        });
        int cancelled = 0;
        QString failure;
        for (int run = 0; run < 40 && failure.isEmpty(); ++run) {
            const auto path = traceFlow(*m_store, core::RecordId(id), nullptr);
            if (path.ok()) {
                if (describe(path.value()) != before)
                    failure = QStringLiteral("run %1: a different path: %2").arg(run).arg(describe(path.value()));
            } else if (path.error().message == QLatin1String("cancelled")) {
                ++cancelled;
            } else if (note.isEmpty() || !path.error().message.contains(note)) {
                failure = QStringLiteral("run %1 failed: %2").arg(run).arg(path.error().message);
            }
        }
        stop = true;
        hammer.join();
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        // The row did test something (an unknown id runs one short statement: hits are not sure).
        if (note.isEmpty()) QVERIFY2(cancelled > 0, "no interrupt landed in 40 runs");
        QCOMPARE(reference(id), before);
    }
};

QTEST_GUILESS_MAIN(TestFlowPathCancel)
#include "tst_flowpath_cancel.moc"
