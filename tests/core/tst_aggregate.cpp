// Aggregations: the both-sides counting rule, one-sided flows, filters on one attachment,
// drops with no pair, other dimensions, series bins (gaps, auto size), split series, cancel.
#include "core/aggregate.h"
#include "core/loader.h"
#include "core/store.h"

#include <QTest>

using namespace core;

namespace
{

struct Rec {
    const char* attach;
    const char* pair;
    const char* dir;
    const char* src = "10.0.0.1";
    int sport = 1000;
    qint64 bytes = 100;
    qint64 start = 1700000040;
    qint64 lostNoRoute = 0;
    const char* srcVpc = "vpc-a";
    const char* dstVpc = "vpc-b";
};

QByteArray line(const Rec& r)
{
    return QStringLiteral(
               "6 TransitGateway 111122223333 tgw-0123 %1 111122223333 444455556666 %2 %3 subnet-a "
               "subnet-b eni-a eni-b use1-az1 use1-az2 %4 %5 10.9.0.1 %6 443 6 10 %7 %8 %9 OK IPv4 ")
               .arg(QLatin1String(r.attach), QLatin1String(r.srcVpc), QLatin1String(r.dstVpc),
                    QLatin1String(r.pair), QLatin1String(r.src))
               .arg(r.sport)
               .arg(r.bytes)
               .arg(r.start)
               .arg(r.start + 30)
               .toUtf8() +
           QStringLiteral("%1 0 0 0 19 us-east-1 %2 - -\n")
               .arg(r.lostNoRoute)
               .arg(QLatin1String(r.dir))
               .toUtf8();
}

std::unique_ptr<Store> storeWith(const std::vector<Rec>& recs, const QByteArray& extra = {})
{
    auto created = Store::create();
    if (!created.ok())
        return nullptr;
    auto store = std::move(created.value());
    QByteArray data;
    for (const Rec& r : recs)
        data += line(r);
    data += extra;
    if (loadBuffer(*store, data, QStringLiteral("agg.log"), LoadOptions{}).outcome != Outcome::Ok)
        return nullptr;
    return store;
}

QString edgesText(const std::vector<Edge>& edges)
{
    QStringList out;
    for (const Edge& e : edges)
        out << QStringLiteral("%1>%2:%3/%4").arg(e.src, e.dst).arg(e.flows).arg(e.bytes);
    return out.join(QLatin1Char(' '));
}

} // namespace

class TestAggregate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void countingRule_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("expected");
        const QByteArray in = line({"A", "B", "ingress"});
        const QByteArray out = line({"B", "A", "egress"});
        QTest::newRow("both sides count once") << in + out << ""
                                               << "A>B:1/100";
        QTest::newRow("both sides, egress first") << out + in << ""
                                                  << "A>B:1/100";
        QTest::newRow("ingress side only") << in << ""
                                           << "A>B:1/100";
        QTest::newRow("egress side only") << out << ""
                                          << "A>B:1/100";
        QTest::newRow("filter on exit attachment still counts") << in + out << "tgw_attachment_id == B"
                                                                << "A>B:1/100";
        QTest::newRow("filter on entry attachment") << in + out << "tgw_attachment_id == A"
                                                    << "A>B:1/100";
        QTest::newRow("filter matching both sides") << in + out << "dstport == 443"
                                                    << "A>B:1/100";
        QTest::newRow("filter matching neither") << in + out << "dstport == 22"
                                                 << "";
        QTest::newRow("drop with no pair")
            << line({"A", "-", "ingress", "10.0.0.1", 7, 60, 1700000040, 10}) << ""
            << "A>-:1/60";
        QTest::newRow("two flows, different bytes")
            << in + out + line({"A", "B", "ingress", "10.0.0.1", 1000, 900}) << ""
            << "A>B:2/1000";
        QTest::newRow("reverse direction is another edge")
            << in + out + line({"B", "A", "ingress", "10.0.0.2", 5, 300}) +
                   line({"A", "B", "egress", "10.0.0.2", 5, 300})
            << ""
            << "B>A:1/300 A>B:1/100";
    }
    void countingRule()
    {
        QFETCH(QByteArray, data);
        QFETCH(QString, filter);
        QFETCH(QString, expected);
        auto store = storeWith({}, data);
        QVERIFY(store);
        auto edges = computeEdges(*store, filter, EdgeDimension::Attachment);
        QVERIFY2(edges.ok(), qPrintable(edges.ok() ? QString() : edges.error().toString()));
        QCOMPARE(edgesText(*edges), expected);
    }

    void dropsCarryLostPackets()
    {
        auto store = storeWith({{"A", "-", "ingress", "10.0.0.1", 7, 60, 1700000040, 10}});
        QVERIFY(store);
        auto edges = computeEdges(*store, {}, EdgeDimension::Attachment);
        QVERIFY(edges.ok());
        QCOMPARE(edges->size(), size_t(1));
        QCOMPARE(edges->at(0).dst, QStringLiteral("-"));
        QCOMPARE(edges->at(0).lost[LostNoRoute], 10);
        QCOMPARE(edges->at(0).dropped(), 10);
    }

    void otherDimensions_data()
    {
        QTest::addColumn<QString>("dimension");
        QTest::addColumn<QString>("expected");
        QTest::newRow("vpc") << "vpc"
                             << "vpc-a>vpc-b:1/100";
        QTest::newRow("subnet") << "subnet"
                                << "subnet-a>subnet-b:1/100";
        QTest::newRow("az") << "az"
                            << "use1-az1>use1-az2:1/100";
        QTest::newRow("account") << "account"
                                 << "111122223333>444455556666:1/100";
        QTest::newRow("addr") << "addr"
                              << "10.0.0.1>10.9.0.1:1/100";
        QTest::newRow("attachment") << "attachment"
                                    << "A>B:1/100";
    }
    void otherDimensions()
    {
        QFETCH(QString, dimension);
        QFETCH(QString, expected);
        auto store = storeWith({{"A", "B", "ingress"}, {"B", "A", "egress"}});
        QVERIFY(store);
        const auto dim = edgeDimensionFromString(dimension);
        QVERIFY(dim.has_value());
        QCOMPARE(edgeDimensionName(*dim), dimension);
        auto edges = computeEdges(*store, {}, *dim);
        QVERIFY(edges.ok());
        QCOMPARE(edgesText(*edges), expected);
    }

    void vpcRecordsSkippedForAttachments()
    {
        auto store = storeWith({{"A", "B", "ingress"}},
                               "2 123 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 40 1700000000 1700000001 REJECT OK\n");
        QVERIFY(store);
        auto edges = computeEdges(*store, {}, EdgeDimension::Attachment);
        QVERIFY(edges.ok());
        QCOMPARE(edgesText(*edges), QStringLiteral("A>B:1/100"));
        auto addr = computeEdges(*store, {}, EdgeDimension::Addr);
        QVERIFY(addr.ok());
        QCOMPARE(addr->size(), size_t(2));
    }

    void badDimensionAndFilter()
    {
        QVERIFY(!edgeDimensionFromString(QStringLiteral("planet")).has_value());
        auto store = storeWith({{"A", "B", "ingress"}});
        QVERIFY(store);
        QVERIFY(!computeEdges(*store, QStringLiteral("bytes >"), EdgeDimension::Attachment).ok());
        QVERIFY(!computeSeries(*store, QStringLiteral("nosuchfield == 1")).ok());
    }

    void seriesGapsAreZeroBins()
    {
        const qint64 t0 = 1700000040; // multiple of 60
        auto store = storeWith({{"A", "B", "ingress", "10.0.0.1", 1, 100, t0},
                                {"B", "A", "egress", "10.0.0.1", 1, 100, t0},
                                {"A", "B", "ingress", "10.0.0.1", 2, 50, t0 + 600}},
                               "2 123 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 40 1700000300 1700000301 REJECT OK\n");
        QVERIFY(store);
        auto s = computeSeries(*store, {}, 60);
        QVERIFY(s.ok());
        QCOMPARE(s->binSeconds, 60);
        QCOMPARE(s->bins.size(), size_t(11));
        QCOMPARE(s->bins.front().start, t0);
        QCOMPARE(s->bins.front().flows, 1);
        QCOMPARE(s->bins.front().bytes, 100);
        QCOMPARE(s->bins.back().start, t0 + 600);
        QCOMPARE(s->bins.back().bytes, 50);
        qint64 zeroBins = 0, rejects = 0;
        for (const SeriesBin& b : s->bins) {
            if (b.flows == 0 && b.bytes == 0)
                ++zeroBins;
            rejects += b.rejects;
        }
        QCOMPARE(zeroBins, 8); // 11 bins: t0, the REJECT minute, t0+600, 8 empty
        QCOMPARE(rejects, 1);
        for (size_t i = 1; i < s->bins.size(); ++i)
            QCOMPARE(s->bins[i].start - s->bins[i - 1].start, 60);
    }

    void seriesAutoBinAndFilter()
    {
        const qint64 t0 = 1700000040;
        auto store = storeWith({{"A", "B", "ingress", "10.0.0.1", 1, 100, t0},
                                {"A", "B", "ingress", "10.0.0.1", 2, 7, t0 + 86400 - 60}});
        QVERIFY(store);
        auto s = computeSeries(*store, {});
        QVERIFY(s.ok());
        QCOMPARE(s->binSeconds, 300);
        QVERIFY(s->bins.size() >= 200 && s->bins.size() <= 400);
        auto f = computeSeries(*store, QStringLiteral("bytes == 7"), 60);
        QVERIFY(f.ok());
        QCOMPARE(f->bins.size(), size_t(1));
        QCOMPARE(f->bins[0].bytes, 7);
    }

    void autoBinSizes_data()
    {
        QTest::addColumn<qint64>("span");
        QTest::addColumn<qint64>("floor");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("empty") << qint64(0) << qint64(60) << qint64(60);
        QTest::newRow("1 hour") << qint64(3600) << qint64(60) << qint64(60);
        QTest::newRow("6 hours") << qint64(6 * 3600) << qint64(60) << qint64(60);
        QTest::newRow("12 hours") << qint64(12 * 3600) << qint64(60) << qint64(120);
        QTest::newRow("1 day") << qint64(86400) << qint64(60) << qint64(300);
        QTest::newRow("2 days") << qint64(2 * 86400) << qint64(60) << qint64(600);
        QTest::newRow("7 days") << qint64(7 * 86400) << qint64(60) << qint64(1800);
        QTest::newRow("30 days") << qint64(30 * 86400) << qint64(60) << qint64(7200);
        QTest::newRow("1 year") << qint64(365 * 86400) << qint64(60) << qint64(86400);
        QTest::newRow("10 years") << qint64(3650 * 86400) << qint64(60) << qint64(1209600);
        QTest::newRow("floor 300") << qint64(3600) << qint64(300) << qint64(300);
        QTest::newRow("negative span") << qint64(-5) << qint64(60) << qint64(60);
    }
    void autoBinSizes()
    {
        QFETCH(qint64, span);
        QFETCH(qint64, floor);
        QFETCH(qint64, expected);
        const qint64 bin = autoBinSeconds(span, floor);
        QCOMPARE(bin, expected);
        if (span >= 86400)
            QVERIFY((span + bin - 1) / bin <= 400);
    }

    void splitSeriesTopN()
    {
        auto store = storeWith({{"A", "B", "ingress", "10.0.0.1", 1, 1000},
                                {"B", "A", "egress", "10.0.0.1", 1, 1000},
                                {"C", "B", "ingress", "10.0.0.2", 2, 500},
                                {"D", "B", "ingress", "10.0.0.3", 3, 10}});
        QVERIFY(store);
        auto s = computeSplitSeries(*store, {}, SeriesSplit::Attachment, 2, 60);
        QVERIFY(s.ok());
        QCOMPARE(s->keys, (QStringList{QStringLiteral("A"), QStringLiteral("C"), QStringLiteral("other")}));
        QCOMPARE(s->bytes.size(), size_t(3));
        QCOMPARE(s->bytes[0][0], 1000);
        QCOMPARE(s->bytes[1][0], 500);
        QCOMPARE(s->bytes[2][0], 10);
        auto e = computeSplitSeries(*store, {}, SeriesSplit::Edge, 5, 60);
        QVERIFY(e.ok());
        QCOMPARE(e->keys.first(), QStringLiteral("A -> B"));
        QCOMPARE(e->keys.size(), 3);
    }

    void cancelReturnsError()
    {
        auto store = storeWith({{"A", "B", "ingress"}});
        QVERIFY(store);
        std::atomic<bool> cancel{true};
        auto e = computeEdges(*store, {}, EdgeDimension::Attachment, &cancel);
        QVERIFY(!e.ok());
        QCOMPARE(e.error().message, QStringLiteral("cancelled"));
        auto s = computeSeries(*store, QStringLiteral("bytes > 1"), 0, &cancel);
        QVERIFY(!s.ok());
        QCOMPARE(s.error().message, QStringLiteral("cancelled"));
    }
};

QTEST_GUILESS_MAIN(TestAggregate)
#include "tst_aggregate.moc"
