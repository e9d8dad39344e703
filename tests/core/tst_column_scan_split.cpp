// The views' column scans on two threads (core/analysis/aggregate_columns.cpp and drops.cpp: the
// matched rows split in two shares, the second on a helper thread, merged) against plain SQL on the
// same store (column paths off): edges of every dimension, series with every split, drops and the
// count give the same text whatever the split, with the thread boundary forced (setColumnScanSplit)
// at the first word, the middle, the last word, between the two sides of a twin pair and not at
// all, over an empty store, a one-record store, one twin pair (adjacent, and 151 ids apart), and
// generated stores (TGW twins split across loads and across the thread boundary, IPv6, VPC
// records, REJECT, NODATA, values beyond the narrow columns, extras).
#include "core/analysis/aggregate.h"
#include "core/analysis/drops.h"
#include "core/ingest/loader.h"
#include "core/store/column_filter.h"
#include "core/store/store.h"
#include "flowgen.h"
#include "tests/columntestutil.h"

#include <QTest>

#include <map>

using namespace core;

namespace {

/// VPC custom format with two unknown fields (extras, '-' in some rows), IPv6 sources, REJECT,
/// a 33-bit byte count, NULL ports, packet addresses (IPv4, IPv6, NULL) and traffic-path (NULL in
/// some rows): the fields without a hot column.
QByteArray vpcExtrasLog()
{
    QByteArray data = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action "
                      "log-status flow-direction pkt-srcaddr pkt-dstaddr traffic-path my-tag other-thing\n";
    for (int i = 0; i < 150; ++i) {
        const QByteArray src = i % 4 == 0 ? "2001:db8::" + QByteArray::number(i, 16) : "10.2.0." + QByteArray::number(i % 250);
        data += "5 123456789012 eni-0123456789abcdef" + QByteArray::number(i % 3) + " " + src + " 10.3.0.1 "
                + QByteArray::number(1024 + i) + " " + (i % 6 == 0 ? "-" : "22") + " 6 " + QByteArray::number(i + 1) + " "
                + (i == 4 ? "4294967296" : QByteArray::number(i * 64)) + " " + QByteArray::number(1764547200 + i * 30) + " "
                + QByteArray::number(1764547230 + i * 30) + (i % 3 ? " ACCEPT OK " : " REJECT OK ")
                + (i % 2 ? "ingress " : "egress ")
                + (i % 3 == 0   ? QByteArray("- ")
                   : i % 3 == 1 ? "192.168.0." + QByteArray::number(i % 250) + " "
                                : QByteArray("fe80::1 "))
                + (i % 5 == 0 ? "- " : "10.9.9.9 ") + (i % 7 == 0 ? QByteArray("- ") : QByteArray::number(i % 8) + " ")
                + (i % 2 ? "tag-" + QByteArray::number(i % 5) : "-") + " " + (i == 9 ? "x" : "-") + "\n";
    }
    return data;
}

/// The first odd record's egress twin at the pair attachment.
const QByteArray kTwinLine =
    "6 TransitGateway 111122223333 tgw-0123 tgw-attach-pair 111122223333 444455556666 vpc-a vpc-b subnet-a subnet-b "
    "eni-a eni-b use1-az1 use1-az2 tgw-attach-odd 255.255.255.255 010.0.0.1 5 70000 300 4000000 5000000000 1764547200 "
    "1764547260 OK IPv4 0 0 0 0 65535 us-east-1 egress - -\n";

/// A store of `loads` (each a file's text), or nullptr when one does not load.
std::unique_ptr<Store> storeOf(const std::vector<QByteArray>& loads)
{
    auto created = Store::create();
    if (!created.ok()) return nullptr;
    auto store = std::move(created.value());
    int n = 0;
    for (const QByteArray& data : loads) {
        const LoadReport r = loadBuffer(*store, data, QStringLiteral("load%1.log").arg(++n), LoadOptions{});
        if (r.outcome != Outcome::Ok) return nullptr;
    }
    return store;
}

/// `records` generated TGW records (and VPC records) in loads: every third record in a later load
/// (twins split across loads), the odd records and the first one's twin, the VPC extras log.
std::unique_ptr<Store> generatedStore(bool large, int records)
{
    flowgen::Options o;
    o.seed = 11;
    o.tgwRecords = records;
    o.vpcRecords = true;
    o.ipv6Share = 0.1;
    if (large) o.setLargeEstate();
    std::vector<QByteArray> loads(3);
    int i = 0;
    flowgen::generate(
        o, [&](const std::string& line, int64_t) { loads[(i++ % 3) == 2 ? 1 : 0] += QByteArray::fromStdString(line) + '\n'; },
        [&](const std::string& line, int64_t) { loads[2] += QByteArray::fromStdString(line) + '\n'; });
    loads[1] += columntest::kOddLines + kTwinLine;
    loads.push_back(vpcExtrasLog());
    return storeOf(loads);
}

Store* fixture(const QString& name)
{
    static std::map<QString, std::unique_ptr<Store>> stores;
    auto& s = stores[name];
    if (s) return s.get();
    if (name == QLatin1String("empty")) s = storeOf({});
    else if (name == QLatin1String("one record"))
        s = storeOf({QByteArray(columntest::kOddLines).left(QByteArray(columntest::kOddLines).indexOf('\n') + 1)});
    else if (name == QLatin1String("one twin pair"))
        s = storeOf({QByteArray(columntest::kOddLines).left(QByteArray(columntest::kOddLines).indexOf('\n') + 1), kTwinLine});
    else if (name == QLatin1String("twin pair far apart")) // ids 1 and 152: VPC records between them
        s = storeOf({QByteArray(columntest::kOddLines).left(QByteArray(columntest::kOddLines).indexOf('\n') + 1), vpcExtrasLog(),
                     kTwinLine});
    else if (name == QLatin1String("small estate")) s = generatedStore(false, 3000);
    else if (name == QLatin1String("large estate")) s = generatedStore(true, 4000);
    return s.get();
}

/// Every view's text for `filter`: edges (every dimension), series (every split), drops, count.
QStringList viewsText(const Store& store, const QString& filter)
{
    static constexpr EdgeDimension kDims[] = {EdgeDimension::Attachment, EdgeDimension::Vpc,     EdgeDimension::Subnet,
                                              EdgeDimension::Az,         EdgeDimension::Account, EdgeDimension::Addr};
    static constexpr SeriesSplit kSplits[] = {SeriesSplit::None, SeriesSplit::Attachment, SeriesSplit::Edge,
                                              SeriesSplit::Direction};
    QStringList out;
    for (EdgeDimension d : kDims) out << columntest::edgesText(computeEdges(store, filter, d));
    for (SeriesSplit s : kSplits) out << columntest::seriesText(computeSeriesWithSplit(store, filter, s, 3));
    out << columntest::seriesText(computeSeriesWithSplit(store, filter, SeriesSplit::Edge, 2, 120));
    auto series = computeSeries(store, filter, 90);
    out << (series.ok() ? QString::number(series->bins.size()) + QLatin1Char('/') + QString::number(series->binSeconds)
                        : series.error().message);
    auto drops = computeDrops(store, filter);
    out << (drops.ok() ? QString::fromUtf8(dropsCsv(drops.value(), false)) : drops.error().message);
    auto count = countMatching(store, filter);
    out << (count.ok() ? QString::number(count.value()) : count.error().message);
    return out;
}

enum class Split { None, FirstWord, Middle, LastWord, AtTwin };

} // namespace

class TestColumnScanSplit : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cleanup()
    {
        setColumnScanSplit();
        setColumnScansEnabled(true);
    }
    void sameAsSql_data();
    void sameAsSql();
};

void TestColumnScanSplit::sameAsSql_data()
{
    QTest::addColumn<QString>("store");
    QTest::addColumn<int>("split");
    const QString stores[] = {QStringLiteral("empty"), QStringLiteral("one record"), QStringLiteral("one twin pair"),
                              QStringLiteral("small estate"), QStringLiteral("large estate")};
    const std::pair<Split, const char*> splits[] = {{Split::None, "one thread"},
                                                    {Split::FirstWord, "split after word 1"},
                                                    {Split::Middle, "split in the middle"},
                                                    {Split::LastWord, "split before the last word"}};
    for (const QString& s : stores)
        for (const auto& [split, name] : splits)
            QTest::newRow(qPrintable(s + QStringLiteral(", ") + QLatin1String(name))) << s << static_cast<int>(split);
    QTest::newRow("small estate, split between twins") << QStringLiteral("small estate") << static_cast<int>(Split::AtTwin);
    QTest::newRow("large estate, split between twins") << QStringLiteral("large estate") << static_cast<int>(Split::AtTwin);
    QTest::newRow("twin pair far apart, split between twins")
        << QStringLiteral("twin pair far apart") << static_cast<int>(Split::AtTwin);
}

void TestColumnScanSplit::sameAsSql()
{
    QFETCH(QString, store);
    QFETCH(int, split);
    const Store* s = fixture(store);
    QVERIFY2(s, qPrintable(store + QStringLiteral(": did not load")));
    auto rows = countMatching(*s, {});
    QVERIFY(rows.ok());
    const size_t words = (static_cast<size_t>(rows.value()) + 63) / 64;
    switch (static_cast<Split>(split)) {
    case Split::None:
        setColumnScanSplit(SIZE_MAX);
        break;
    case Split::FirstWord:
        setColumnScanSplit(1, 1);
        break;
    case Split::Middle:
        setColumnScanSplit(1, 0);
        break;
    case Split::LastWord:
        setColumnScanSplit(1, words > 1 ? words - 1 : 0);
        break;
    case Split::AtTwin:
        break;
    }
    if (static_cast<Split>(split) == Split::AtTwin) {
        // The boundary between the two sides of a twin pair (ids more than a word apart): the
        // ingress record in the first share, its egress twin in the second, or the other way round.
        auto st = s->prepare(QStringLiteral("SELECT max(id, twin_id) FROM flows WHERE twin_id > 0 AND abs(twin_id - id) > 64 "
                                            "ORDER BY id LIMIT 1"));
        QVERIFY(st.ok());
        QVERIFY2(st->next(), "no twin pair more than a word apart");
        setColumnScanSplit(1, static_cast<size_t>(st->int64(0) - 1) / 64);
    }
    const QStringList filters = {QString(),
                                 QStringLiteral("srcaddr == 10.0.0.0/8"),
                                 QStringLiteral("addr == 2600:1f18::/32 or srcaddr == 2001:db8::/32"),
                                 QStringLiteral("not srcaddr"),
                                 QStringLiteral("dstport == 443 or dstport == 22"),
                                 QStringLiteral("drops"),
                                 QStringLiteral("action == REJECT"),
                                 QStringLiteral("flow-direction == egress"),
                                 QStringLiteral("bytes > 4000000000"),
                                 QStringLiteral("start >= \"2025-12-01 06:00\""),
                                 QStringLiteral("version == 5 or traffic-path >= 3"),
                                 QStringLiteral("not traffic-path"),
                                 QStringLiteral("pkt-srcaddr == 192.168.0.0/24"),
                                 QStringLiteral("pkt-srcaddr == fe80::/16 or pkt-dstaddr == 10.9.9.9"),
                                 QStringLiteral("pkt-dstaddr != 10.9.9.9 and not pkt-srcaddr"),
                                 QStringLiteral("srcaddr == 10.0.0.0/8 and")}; // invalid: the same error
    for (const QString& filter : filters) {
        setColumnScansEnabled(true);
        bool used = false;
        QVERIFY(countMatching(*s, filter, nullptr, &used).ok() || filter.endsWith(QLatin1String(" and")));
        QVERIFY2(used || filter.endsWith(QLatin1String(" and")),
                 qPrintable(filter + QStringLiteral(": the columns do not answer")));
        const QStringList fast = viewsText(*s, filter);
        setColumnScansEnabled(false);
        const QStringList reference = viewsText(*s, filter);
        setColumnScansEnabled(true);
        QCOMPARE(fast.size(), reference.size());
        for (qsizetype i = 0; i < fast.size(); ++i)
            if (fast[i] != reference[i])
                QFAIL(qPrintable(QStringLiteral("'%1', view %2:\n columns: %3\n SQL:     %4")
                                     .arg(filter)
                                     .arg(i)
                                     .arg(fast[i].left(400), reference[i].left(400))));
    }
}

QTEST_GUILESS_MAIN(TestColumnScanSplit)
#include "tst_column_scan_split.moc"
