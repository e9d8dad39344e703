// Before/after comparison: on constructed data (an edge disappears, one appears, one doubles,
// a new drop reason) diffEdges/diffDrops give exactly those differences, with the same
// one-count-per-flow rule on both sides; the baseline series aligns by an offset; a split at
// time T equals two separate loads; `flowlog-cli diff` prints the same table (CSV and JSON).
#include "core/analysis/diff.h"
#include "core/ingest/loader.h"
#include "core/sessionfile/sessionfile.h"

#include "tests/testpaths.h"
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace core;

namespace {

constexpr qint64 kT0 = 1795946400; // before: 10:00; after: 11:00 (kT0 + 3600)

/// One headerless TGW default record (36 fields).
QByteArray tgw(const char* attach, const char* pair, const char* dir, const char* src, int sport, qint64 packets, qint64 bytes,
               qint64 start, int blackhole = 0)
{
    return QStringLiteral("6 TransitGateway 111122223333 tgw-0abc %1 111122223333 111122223333 vpc-0aaa vpc-0bbb subnet-0a1 "
                          "subnet-0b1 eni-0a1 eni-0b1 use1-az1 use1-az2 %2 %3 10.9.9.9 %4 443 6 %5 %6 %7 %8 OK IPv4 0 %9 0 0 "
                          "18 us-east-1 %10 - -\n")
        .arg(QLatin1String(attach), QLatin1String(pair), QLatin1String(src))
        .arg(sport)
        .arg(packets)
        .arg(bytes)
        .arg(start)
        .arg(start + 60)
        .arg(blackhole)
        .arg(QLatin1String(dir))
        .toUtf8();
}

/// A flow logged at both attachments (ingress at entry, egress at exit): counts once.
QByteArray flowBothSides(const char* entry, const char* exit, const char* src, int sport, qint64 packets, qint64 bytes,
                         qint64 start)
{
    return tgw(entry, exit, "ingress", src, sport, packets, bytes, start)
           + tgw(exit, entry, "egress", src, sport, packets, bytes, start);
}

QByteArray beforeLog()
{
    return flowBothSides("tgw-attach-a", "tgw-attach-b", "10.0.0.1", 1000, 10, 1000, kT0)        // A->B
           + flowBothSides("tgw-attach-c", "tgw-attach-d", "10.0.0.2", 1001, 5, 500, kT0 + 60)   // C->D: goes
           + flowBothSides("tgw-attach-g", "tgw-attach-h", "10.0.0.3", 1002, 3, 300, kT0 + 120); // G->H: stays
}

QByteArray afterLog()
{
    const qint64 t = kT0 + 3600;
    return flowBothSides("tgw-attach-a", "tgw-attach-b", "10.0.0.1", 1000, 10, 1000, t)        // A->B doubles:
           + flowBothSides("tgw-attach-a", "tgw-attach-b", "10.0.0.1", 1003, 10, 1000, t + 60) // two flows now
           + flowBothSides("tgw-attach-x", "tgw-attach-y", "10.0.0.4", 1004, 7, 700, t + 120)  // X->Y appears
           + flowBothSides("tgw-attach-g", "tgw-attach-h", "10.0.0.3", 1002, 3, 300, t + 180)  // G->H same
           + tgw("tgw-attach-e", "-", "ingress", "10.0.0.5", 1005, 4, 400, t + 240, 4);        // new blackhole drop
}

std::unique_ptr<Store> storeOf(const QByteArray& text)
{
    auto created = Store::create();
    if (!created) return nullptr;
    auto store = std::move(created.value());
    loadBuffer(*store, text, QStringLiteral("<test>"), LoadOptions{});
    return store;
}

struct Expected {
    const char* src;
    const char* dst;
    DiffStatus status;
    qint64 flowsBefore, flowsAfter, bytesBefore, bytesAfter;
};

/// The exact differences the constructed data must give, in diffEdges' order.
const std::vector<Expected>& expectedEdges()
{
    static const std::vector<Expected> e{
        {"tgw-attach-x", "tgw-attach-y", DiffStatus::New, 0, 1, 0, 700},
        {"tgw-attach-e", "-", DiffStatus::New, 0, 1, 0, 400},
        {"tgw-attach-c", "tgw-attach-d", DiffStatus::Gone, 1, 0, 500, 0},
        {"tgw-attach-a", "tgw-attach-b", DiffStatus::Changed, 1, 2, 1000, 2000},
        {"tgw-attach-g", "tgw-attach-h", DiffStatus::Same, 1, 1, 300, 300},
    };
    return e;
}

void checkEdges(const std::vector<EdgeDiff>& rows)
{
    const auto& want = expectedEdges();
    QCOMPARE(rows.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) {
        QCOMPARE(rows[i].src, QLatin1String(want[i].src));
        QCOMPARE(rows[i].dst, QLatin1String(want[i].dst));
        QCOMPARE(diffStatusName(rows[i].status), diffStatusName(want[i].status));
        QCOMPARE(rows[i].before.flows, want[i].flowsBefore);
        QCOMPARE(rows[i].after.flows, want[i].flowsAfter);
        QCOMPARE(rows[i].before.bytes, want[i].bytesBefore);
        QCOMPARE(rows[i].after.bytes, want[i].bytesAfter);
    }
}

} // namespace

class TestDiff : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void edgesBetweenTwoLoads()
    {
        auto before = storeOf(beforeLog());
        auto after = storeOf(afterLog());
        auto a = computeEdges(*before, {}, EdgeDimension::Attachment);
        auto b = computeEdges(*after, {}, EdgeDimension::Attachment);
        QVERIFY(a.ok() && b.ok());
        const auto rows = diffEdges(a.value(), b.value(), 20);
        checkEdges(rows);
        QCOMPARE(rows[3].changePercent, 100.0); // doubled
        QCOMPARE(rows[1].after.dropped(), 4);
    }

    void dropsBetweenTwoLoads()
    {
        auto before = storeOf(beforeLog());
        auto after = storeOf(afterLog());
        auto a = computeDrops(*before, {});
        auto b = computeDrops(*after, {});
        QVERIFY(a.ok() && b.ok());
        const auto rows = diffDrops(a.value(), b.value(), 20);
        QCOMPARE(rows.size(), size_t{1});
        QCOMPARE(rows[0].entry, QStringLiteral("tgw-attach-e"));
        QCOMPARE(rows[0].reason, DropReason::Blackhole);
        QCOMPARE(diffStatusName(rows[0].status), QStringLiteral("new"));
        QCOMPARE(rows[0].packetsBefore, 0);
        QCOMPARE(rows[0].packetsAfter, 4);
    }

    void dropRowsStatus_data()
    {
        QTest::addColumn<qint64>("before");
        QTest::addColumn<qint64>("after");
        QTest::addColumn<QString>("status");
        QTest::newRow("new") << qint64(0) << qint64(5) << QStringLiteral("new");
        QTest::newRow("gone") << qint64(5) << qint64(0) << QStringLiteral("gone");
        QTest::newRow("grown (x2)") << qint64(5) << qint64(10) << QStringLiteral("grown");
        QTest::newRow("shrunk (/2)") << qint64(10) << qint64(5) << QStringLiteral("shrunk");
        QTest::newRow("same within 20 %") << qint64(10) << qint64(11) << QStringLiteral("same");
        QTest::newRow("exactly 20 % is not grown") << qint64(10) << qint64(12) << QStringLiteral("same");
    }

    void dropRowsStatus()
    {
        QFETCH(qint64, before);
        QFETCH(qint64, after);
        QFETCH(QString, status);
        auto row = [](qint64 packets) {
            DropRow r;
            r.entry = QStringLiteral("tgw-attach-a");
            r.exit = QStringLiteral("-");
            r.reason = DropReason::NoRoute;
            r.packets = packets;
            r.records = packets > 0 ? 1 : 0;
            return r;
        };
        std::vector<DropRow> a, b;
        if (before > 0) a.push_back(row(before));
        if (after > 0) b.push_back(row(after));
        const auto rows = diffDrops(a, b, 20);
        QCOMPARE(rows.size(), size_t{1});
        QCOMPARE(diffStatusName(rows[0].status), status);
    }

    void splitAtTimeEqualsTwoLoads()
    {
        // One store holding both periods, split at 10:30: the same table as two loads.
        auto both = storeOf(beforeLog() + afterLog());
        const qint64 t = kT0 + 1800;
        auto a = computeEdges(*both, splitFilter({}, t, true), EdgeDimension::Attachment);
        auto b = computeEdges(*both, splitFilter({}, t, false), EdgeDimension::Attachment);
        QVERIFY2(a.ok(), qPrintable(a.ok() ? QString() : a.error().message));
        QVERIFY(b.ok());
        checkEdges(diffEdges(a.value(), b.value(), 20));
        QCOMPARE(splitFilter(QStringLiteral("bytes > 5"), 100, false), QStringLiteral("(bytes > 5) and start >= 100"));
    }

    void baselineAlignedByOffset()
    {
        // Yesterday's bins moved by one day sit under today's; bins outside are left out.
        Series current;
        current.binSeconds = 60;
        for (qint64 i = 0; i < 3; ++i) current.bins.push_back(SeriesBin{86400 + 60 * i, 1, 1, 100, {}, 0});
        Series baseline;
        baseline.binSeconds = 60;
        baseline.bins.push_back(SeriesBin{0, 2, 2, 200, {}, 0});
        baseline.bins.push_back(SeriesBin{120, 3, 3, 300, {}, 1});
        baseline.bins.push_back(SeriesBin{600, 9, 9, 900, {}, 0}); // 86400 + 600: after the current range
        const auto aligned = alignBaseline(current, baseline, 86400);
        QCOMPARE(aligned.size(), size_t{3});
        QCOMPARE(aligned[0].start, 86400);
        QCOMPARE(aligned[0].bytes, 200);
        QCOMPARE(aligned[1].bytes, 0);
        QCOMPARE(aligned[2].bytes, 300);
        QCOMPARE(aligned[2].rejects, 1);
    }

    void baselineSumsHeldAtTheTop()
    {
        // A finer baseline (30 s bins under 60 s ones): two bins of 3 * 2^61 bytes each land in one
        // bin; their sum (3 * 2^62) is above 2^63-1 and reads 2^63-1, not a negative number.
        Series current;
        current.binSeconds = 60;
        current.bins.push_back(SeriesBin{60, 1, 1, 1, {}, 0});
        Series baseline;
        baseline.binSeconds = 30;
        const qint64 big = qint64{3} << 61;
        baseline.bins.push_back(SeriesBin{60, 1, big, big, {big, 0, 0, 0}, 1});
        baseline.bins.push_back(SeriesBin{90, 2, big, 5, {big, 0, 0, 0}, 1});
        const auto aligned = alignBaseline(current, baseline, 0);
        QCOMPARE(aligned.size(), size_t{1});
        QCOMPARE(aligned[0].flows, 3);
        QCOMPARE(aligned[0].packets, std::numeric_limits<qint64>::max());
        QCOMPARE(aligned[0].bytes, big + 5);
        QCOMPARE(aligned[0].lost[0], std::numeric_limits<qint64>::max());
        QCOMPARE(aligned[0].rejects, 2);
    }

    void percentChanges_data()
    {
        QTest::addColumn<qint64>("before");
        QTest::addColumn<qint64>("after");
        QTest::addColumn<double>("percent");
        QTest::newRow("doubled") << qint64(10) << qint64(20) << 100.0;
        QTest::newRow("halved") << qint64(10) << qint64(5) << -50.0;
        QTest::newRow("both zero") << qint64(0) << qint64(0) << 0.0;
        QTest::newRow("from zero") << qint64(0) << qint64(3) << std::numeric_limits<double>::infinity();
    }

    void percentChanges()
    {
        QFETCH(qint64, before);
        QFETCH(qint64, after);
        QFETCH(double, percent);
        QCOMPARE(percentChange(before, after), percent);
    }

    void cli()
    {
        QTemporaryDir dir;
        const QString a = dir.filePath(QStringLiteral("before.log"));
        const QString b = dir.filePath(QStringLiteral("after.log"));
        for (const auto& [path, text] : {std::pair{a, beforeLog()}, std::pair{b, afterLog()}}) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text);
        }
        // B as a session file: sessions and logs mix.
        const QString bSession = dir.filePath(QStringLiteral("after.flowlog"));
        auto after = storeOf(afterLog());
        QVERIFY(saveSession(*after, SessionData{}, bSession).ok());

        auto run = [](const QStringList& args) {
            QProcess p;
            p.start(testpaths::cliPath(), args);
            p.waitForFinished(60000);
            return std::pair{p.exitCode(), p.readAllStandardOutput()};
        };
        const auto [code, csv] = run({QStringLiteral("diff"), a, b});
        QCOMPARE(code, 0);
        const QByteArray expected =
            "src,dst,status,flows_a,flows_b,flows_delta,packets_a,packets_b,packets_delta,bytes_a,bytes_b,bytes_delta,"
            "dropped_a,dropped_b,dropped_delta,change_pct\r\n"
            "tgw-attach-x,tgw-attach-y,new,0,1,1,0,7,7,0,700,700,0,0,0,\r\n"
            "tgw-attach-e,-,new,0,1,1,0,4,4,0,400,400,0,4,4,\r\n"
            "tgw-attach-c,tgw-attach-d,gone,1,0,-1,5,0,-5,500,0,-500,0,0,0,\r\n"
            "tgw-attach-a,tgw-attach-b,changed,1,2,1,10,20,10,1000,2000,1000,0,0,0,100.0\r\n"
            "tgw-attach-g,tgw-attach-h,same,1,1,0,3,3,0,300,300,0,0,0,0,0.0\r\n";
        QCOMPARE(csv, expected);
        QCOMPARE(run({QStringLiteral("diff"), a, bSession}).second, expected);

        const auto [jcode, json] = run(
            {QStringLiteral("diff"), a, b, QStringLiteral("--json"), QStringLiteral("--filter"), QStringLiteral("bytes >= 500")});
        QCOMPARE(jcode, 0);
        const QJsonArray rows = QJsonDocument::fromJson(json).array();
        QCOMPARE(rows.size(), 3); // e (400 B) and g (300 B) are filtered out on both sides
        QCOMPARE(rows[0].toObject().value(QLatin1String("status")).toString(), QStringLiteral("new"));
        QCOMPARE(rows[2].toObject().value(QLatin1String("bytes_delta")).toInteger(), 1000);

        QCOMPARE(run({QStringLiteral("diff"), a}).first, 2);
        QCOMPARE(run({QStringLiteral("diff"), a, b, QStringLiteral("--by"), QStringLiteral("nope")}).first, 2);
        QCOMPARE(run({QStringLiteral("diff"), a, dir.filePath(QStringLiteral("missing"))}).first, 3);
    }
};

QTEST_GUILESS_MAIN(TestDiff)
#include "tst_diff.moc"
