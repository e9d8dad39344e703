// Growth of the store's arrays in huge pages (core/store/columns_array.cpp: blocks of 256 KiB and
// more are 2 MiB aligned and advised for huge pages, the first such block a copy of the small one;
// StableVector: chunks past the first 2 MiB cut from huge-page slabs) and the batch-wise append of
// the hot columns (ColumnStore::appendHot). Oracles: std::vector for the arrays; for the store, a
// store whose flow_data is the real SQLite table (the rows written by SQL, not read back from the
// columns) loaded with the same text: every row of flows, twin_id included, must be the same
// through the columns, after one load, several loads (twins paired across loads), and a large
// rolled-back load between loads (the columns truncated inside their huge pages, then grown again).
#include "core/ingest/loader.h"
#include "core/store/columns_array.h"
#include "core/store/store.h"
#include "core/store/store_impl.h"
#include "tests/hostiletestutil.h"
#include "tests/storetestutil.h"

#include <QTest>

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

using namespace core;

namespace {

using hostiletest::kTgwHeader; // the TGW default header (tests/hostiletestutil.h)

constexpr int kFlows = 50000; ///< record k is flow k % kFlows: ingress in even rounds, egress in odd ones

/// Record `k` of the generated TGW log: the two sides of a flow have the same identity and swapped
/// attachments (twins). Values reach every kind of slot: ports 65534/65535 and bytes over 2^32
/// and packet-loss counters over 65535 (kept exactly beside the narrow columns), IPv6 sources, a
/// version that changes (a sparse column that starts storing late).
QByteArray tgwLine(int k)
{
    const int f = k % kFlows;
    const bool ingress = (k / kFlows) % 2 == 0;
    const QByteArray a = "tgw-attach-0aaaaaaaaaaaaaaa" + QByteArray::number(f % 5);
    const QByteArray b = "tgw-attach-0bbbbbbbbbbbbbbb" + QByteArray::number(f % 3);
    const QByteArray src = f % 97 == 0 ? "2001:db8::" + QByteArray::number(f >> 16, 16) + ":" + QByteArray::number(f & 0xffff, 16)
                                       : "10." + QByteArray::number((f >> 16) & 255) + "." + QByteArray::number((f >> 8) & 255)
                                             + "." + QByteArray::number(f & 255);
    const QByteArray lost = f % 501 == 0 ? "70000" : QByteArray::number(f % 2);
    return QByteArray(k > 70000 && k % 7 == 0 ? "7" : "6") + " TransitGateway 123456789012 tgw-0123456789abcdef0 "
           + (ingress ? a : b)
           + " 123456789012 210987654321 vpc-0aaaaaaaaaaaaaaaa vpc-0bbbbbbbbbbbbbbbb subnet-0aaaaaaaaaaaaaaaa "
           + "subnet-0bbbbbbbbbbbbbbbb eni-0aaaaaaaaaaaaaaaa eni-0bbbbbbbbbbbbbbbb use1-az1 use1-az2 " + (ingress ? b : a) + " "
           + src + " 172.16." + QByteArray::number((f >> 8) & 255) + "." + QByteArray::number(f & 255) + " "
           + QByteArray::number(f % 65536) + " 443 " + (f % 3 ? "6" : "17") + " " + QByteArray::number(f + 1) + " "
           + (f % 1000 == 0 ? QByteArray::number(5000000000LL + f) : QByteArray::number(f * 40)) + " "
           + QByteArray::number(1700000000 + f) + " " + QByteArray::number(1700000060 + f) + " OK IPv4 " + lost + " 0 0 "
           + QByteArray::number(f % 2) + " " + QByteArray::number(f % 64) + " us-east-1 " + (ingress ? "ingress" : "egress")
           + " - -\n";
}

QByteArray tgwLog(int first, int count)
{
    QByteArray data = kTgwHeader;
    data.reserve(count * 260);
    for (int k = first; k < first + count; ++k) data += tgwLine(k);
    return data;
}

using storetest::newStore;

/// A load of `rows` hand-made rows (growing every column well into its huge pages), rolled back.
bool rolledBackLoad(Store& store, int rows)
{
    const SchemaSlots& schema = SchemaSlots::get();
    RowBatch batch;
    for (int i = 0; i < rows; ++i) {
        PackedRow r;
        r.fileId = store.impl().nextFileId();
        r.line = i + 2;
        r.intPresent = (uint64_t{1} << schema.intFields.size()) - 1;
        for (size_t s = 0; s < schema.intFields.size(); ++s) r.ints[s] = i % 2 ? 70000 + i : i;
        r.addrPresent = (uint32_t{1} << schema.addrFields.size()) - 1;
        for (size_t s = 0; s < schema.addrFields.size(); ++s) r.addrs[s] = i - (int64_t{1} << 31);
        r.flags = PackedRow::kTwinCandidate | (i % 2 ? PackedRow::kIngress : 0);
        r.twinKey = static_cast<uint64_t>(i / 2);
        batch.rows.push_back(r);
    }
    Store::Impl& impl = store.impl();
    std::lock_guard<std::mutex> lock(impl.writeLock());
    if (!impl.beginLoad().ok()) return false;
    for (size_t from = 0; from < batch.rows.size(); from += 4096) { // as the loader: batches of 4096
        RowBatch part;
        part.rows.assign(batch.rows.begin() + static_cast<std::ptrdiff_t>(from),
                         batch.rows.begin() + static_cast<std::ptrdiff_t>(std::min(batch.rows.size(), from + 4096)));
        if (!impl.insertBatch(part).ok()) return false;
    }
    return impl.rollbackLoad().ok();
}

/// One row of a statement's values, each tagged with its SQLite type.
QString rowText(Statement& st)
{
    QStringList row;
    for (int i = 0; i < st.columnCount(); ++i) {
        const QVariant v = st.value(i);
        if (v.isNull()) row << QStringLiteral("N");
        else if (v.typeId() == QMetaType::LongLong) row << QStringLiteral("I:") + QString::number(v.toLongLong());
        else row << QStringLiteral("T:") + v.toString();
    }
    return row.join(QLatin1Char('|'));
}

/// Steps `sql` on both stores side by side: the number of rows, or -1 after a QCOMPARE failure.
qint64 compareRows(const Store& got, const Store& expected, const QString& sql)
{
    auto a = got.prepare(sql);
    auto b = expected.prepare(sql);
    if (!a.ok() || !b.ok()) return -1;
    qint64 n = 0;
    for (;;) {
        const bool more = a->next();
        [&] { QCOMPARE(more, b->next()); }();
        if (QTest::currentTestFailed()) return -1;
        if (!more) break;
        const QString ra = rowText(*a), rb = rowText(*b);
        if (ra != rb) {
            [&] { QCOMPARE(ra, rb); }();
            return -1;
        }
        ++n;
    }
    return n;
}

template <class T> T pattern(size_t i)
{
    return static_cast<T>(i * 2654435761u + 7);
}

/// push_back / extend / truncate on a ColumnArray<T> and a std::vector in step, stopping at the
/// first difference. What extend() hands out past anything ever written reads as zero.
template <class T> void checkArray(const QList<qint64>& steps)
{
    ColumnArray<T> a;
    std::vector<T> v;
    size_t written = 0; // high-water mark: a truncation keeps the bytes of its last page
    for (const qint64 step : steps) {
        if (step >= 0) { // append `step` values: half by push_back, half by extend
            const auto n = static_cast<size_t>(step);
            for (size_t i = 0; i < n / 2; ++i) {
                a.push_back(pattern<T>(v.size()));
                v.push_back(pattern<T>(v.size()));
            }
            const size_t rest = n - n / 2;
            T* out = a.extend(rest);
            for (size_t i = std::max(written, v.size()) - v.size(); i < rest; ++i) QCOMPARE(out[i], T{0});
            for (size_t i = 0; i < rest; ++i) out[i] = pattern<T>(v.size() + i);
            for (size_t i = 0; i < rest; ++i) v.push_back(pattern<T>(v.size()));
            written = std::max(written, v.size());
        } else { // truncate to -step
            const auto n = static_cast<size_t>(-step);
            a.truncate(n);
            if (n < v.size()) v.resize(n);
        }
        QCOMPARE(a.size(), v.size());
        for (size_t i = 0; i < v.size(); ++i)
            if (a[i] != v[i]) QCOMPARE(qint64(a[i]), qint64(v[i]));
    }
    const size_t size = a.size();
    a.extend(1000);
    ColumnArray<T> moved = std::move(a);
    QCOMPARE(moved.size(), size + 1000);
    QCOMPARE(a.size(), size_t(0));
    for (size_t i = 0; i < size; ++i)
        if (moved[i] != v[i]) QCOMPARE(qint64(moved[i]), qint64(v[i]));
}

template <class T> void checkStable(size_t n, size_t truncateTo, size_t more)
{
    using Links = StableVector<T, true>; // with huge-page slabs, as the twin links
    Links s;
    std::vector<T> v;
    for (size_t i = 0; i < n; ++i) {
        QCOMPARE(s.push_back(pattern<T>(i)), i);
        v.push_back(pattern<T>(i));
    }
    s.truncate(truncateTo);
    v.resize(std::min(v.size(), truncateTo));
    for (size_t i = 0; i < more; ++i) {
        s.push_back(pattern<T>(i + 11));
        v.push_back(pattern<T>(i + 11));
    }
    QCOMPARE(s.size(), v.size());
    for (size_t i = 0; i < v.size(); ++i)
        if (s[i] != v[i]) QCOMPARE(qint64(s[i]), qint64(v[i]));
    QCOMPARE(s.chunksAllocated(), (v.size() + Links::kChunk - 1) / Links::kChunk);
}

} // namespace

class TestColumnGrowth : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void columnArray_data()
    {
        QTest::addColumn<int>("bytes"); // sizeof(T)
        QTest::addColumn<QList<qint64>>("steps");
        const QList<qint64> acrossHuge{1000, 70000, 200000, 400000}; // 4 KiB pages, the copy into huge pages, mremap growth
        const QList<qint64> truncated{600000, -70000, 300000, -10, 20, -100000, 800000};
        for (int bytes : {1, 2, 4, 8}) {
            QTest::addRow("%d-byte values: small, then across 256 KiB and 2 MiB", bytes) << bytes << acrossHuge;
            QTest::addRow("%d-byte values: truncated inside huge pages, grown again", bytes) << bytes << truncated;
            QTest::addRow("%d-byte values: one extend past every threshold", bytes) << bytes << QList<qint64>{3000000};
            QTest::addRow("%d-byte values: empty", bytes) << bytes << QList<qint64>{0};
        }
    }
    void columnArray()
    {
        QFETCH(int, bytes);
        QFETCH(QList<qint64>, steps);
        switch (bytes) {
        case 1:
            checkArray<uint8_t>(steps);
            break;
        case 2:
            checkArray<uint16_t>(steps);
            break;
        case 4:
            checkArray<uint32_t>(steps);
            break;
        default:
            checkArray<uint64_t>(steps);
            break;
        }
    }

    void stableVector_data()
    {
        QTest::addColumn<int>("bytes");
        QTest::addColumn<qint64>("n");
        QTest::addColumn<qint64>("truncateTo");
        QTest::addColumn<qint64>("more");
        // int64 chunks are 32 KiB: the first slab starts at element 262,144, the next at 524,288.
        QTest::newRow("int64: first 2 MiB only") << 8 << qint64(200000) << qint64(200000) << qint64(0);
        QTest::newRow("int64: into the second slab") << 8 << qint64(600000) << qint64(600000) << qint64(0);
        QTest::newRow("int64: truncated in a slab, grown again") << 8 << qint64(600000) << qint64(300000) << qint64(400000);
        QTest::newRow("int64: truncated below the slabs, grown again") << 8 << qint64(600000) << qint64(1000) << qint64(700000);
        QTest::newRow("uint32: into a slab") << 4 << qint64(1100000) << qint64(1100000) << qint64(0);
        QTest::newRow("uint8: into a slab") << 1 << qint64(2200000) << qint64(2100000) << qint64(5);
    }
    void stableVector()
    {
        QFETCH(int, bytes);
        QFETCH(qint64, n);
        QFETCH(qint64, truncateTo);
        QFETCH(qint64, more);
        const auto un = static_cast<size_t>(n), ut = static_cast<size_t>(truncateTo), um = static_cast<size_t>(more);
        if (bytes == 8) checkStable<int64_t>(un, ut, um);
        else if (bytes == 4) checkStable<uint32_t>(un, ut, um);
        else checkStable<uint8_t>(un, ut, um);
    }

    void loadsSameAsTable_data()
    {
        QTest::addColumn<QList<int>>("loads");     // records per load, in order
        QTest::addColumn<int>("rolledBackBefore"); // index of the load preceded by a rolled-back load, -1: none
        QTest::addColumn<int>("rolledBackRows");
        // 65,536 rows take the 4-byte columns into huge pages, 131,072 grow them there; the
        // rolled-back loads take the twin links past their first 2 MiB (262,144 records).
        QTest::newRow("one load of 140,000") << QList<int>{140000} << -1 << 0;
        QTest::newRow("two loads, twins paired across them") << QList<int>{70000, 70000} << -1 << 0;
        QTest::newRow("a rolled-back 400,000-row load between two loads") << QList<int>{40000, 100000} << 1 << 400000;
        QTest::newRow("a rolled-back load first") << QList<int>{80000} << 0 << 300000;
    }
    void loadsSameAsTable()
    {
        QFETCH(QList<int>, loads);
        QFETCH(int, rolledBackBefore);
        QFETCH(int, rolledBackRows);
        auto v = newStore(true);
        auto t = newStore(false);
        QVERIFY(v && t);
        int first = 0;
        for (int i = 0; i < loads.size(); ++i) {
            if (i == rolledBackBefore) {
                QVERIFY(rolledBackLoad(*v, rolledBackRows));
                QCOMPARE(v->impl().typedColumns().rows(), size_t(first));
            }
            const QByteArray log = tgwLog(first, loads[i]);
            const QString name = QStringLiteral("log%1.log").arg(i);
            const LoadReport a = loadBuffer(*v, log, name, LoadOptions{});
            const LoadReport b = loadBuffer(*t, log, name, LoadOptions{});
            QCOMPARE(a.outcome, Outcome::Ok);
            QCOMPARE(b.outcome, Outcome::Ok);
            QCOMPARE(a.records, qint64(loads[i]));
            QCOMPARE(b.records, qint64(loads[i]));
            first += loads[i];
        }
        QVERIFY(v->impl().flowDataVirtual());
        QVERIFY(v->impl().typedColumns().holdsEveryValue());
        QCOMPARE(v->impl().typedColumns().rows(), size_t(first));
        QCOMPARE(compareRows(*v, *t, QStringLiteral("SELECT * FROM flows ORDER BY id")), qint64(first));
        QCOMPARE(compareRows(*v, *t, QStringLiteral("SELECT * FROM flow_data ORDER BY id")), qint64(first));
        // The generator's twins: every flow seen from both sides pairs.
        auto st = v->prepare(QStringLiteral("SELECT count(*) FROM flows WHERE twin_id IS NOT NULL"));
        QVERIFY(st.ok() && st->next());
        QVERIFY(st->int64(0) > first / 2);
    }
};

QTEST_GUILESS_MAIN(TestColumnGrowth)
#include "tst_column_growth.moc"
