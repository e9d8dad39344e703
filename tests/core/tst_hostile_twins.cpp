// Hostile input, duplicate flows for twin pairing: many records under one twin key or one
// 5-tuple at many times. Pairing stays 1:1 and costs O(1) per record. Helpers:
// tests/hostiletestutil.h.
#include "core/ingest/gzip.h"
#include "core/ingest/ingest.h"
#include "core/ingest/loader.h"
#include "core/names/names.h"
#include "core/store/store.h"
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <functional>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/hostiletestutil.h"

using namespace core;
using namespace hostiletest;

namespace {
// The shapes, not the sizes, are what this test checks (bench_duplicates measures the cost): the
// ASan+UBSan build runs every row at a quarter of the size (it took 137 s of CI at full size).
#ifdef __SANITIZE_ADDRESS__
constexpr qint64 kScale = 4;
#else
constexpr qint64 kScale = 1;
#endif
} // namespace

class TestHostileTwins : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // ---------------------------------------------------------------------------------
    // Duplicate shapes for twin pairing: many records under one twin key (identical lines, a
    // log replayed twice) or one 5-tuple at many times. Pairing stays 1:1, the i-th ingress
    // with the i-th egress of the same key (earlier loads first), and costs O(1) per record:
    // a quadratic join would take hours here (the timing itself is in bench_duplicates).

    void duplicateFlows_data()
    {
        QTest::addColumn<QString>("loads"); // loads split by '|', segments "<count><kind>" by ','
        QTest::addColumn<qint64>("records");
        QTest::addColumn<qint64>("paired");  // records with a twin_id
        QTest::addColumn<qint64>("twinOf1"); // twin_id of record 1 (0 = none)
        // kinds: i/e = one ingress/egress flow repeated; t/u = ingress/egress of one 5-tuple at
        // a new minute per record (distinct flows); a = i and e alternating.
        QTest::newRow("identical ingress") << "200000i" << 200000LL << 0LL << 0LL;
        QTest::newRow("identical egress") << "200000e" << 200000LL << 0LL << 0LL;
        QTest::newRow("identical ingress, then egress") << "100000i,100000e" << 200000LL << 200000LL << 100001LL;
        QTest::newRow("identical, alternating") << "200000a" << 200000LL << 200000LL << 2LL;
        QTest::newRow("identical, more egress") << "50000i,150000e" << 200000LL << 100000LL << 50001LL;
        QTest::newRow("identical, egress first") << "150000e,50000i" << 200000LL << 100000LL << 150001LL;
        QTest::newRow("identical, twins in a later load") << "200000i|200000e" << 400000LL << 400000LL << 200001LL;
        QTest::newRow("identical, three loads") << "100000i|60000e|60000e,30000i" << 250000LL << 240000LL << 100001LL;
        QTest::newRow("same 5-tuple, distinct times") << "200000t" << 200000LL << 0LL << 0LL;
        QTest::newRow("same 5-tuple, both sides") << "100000t,100000u" << 200000LL << 200000LL << 100001LL;
        // Minute 0 of t/u is the flow of i/e: 100001 records queue under that key in each load.
        QTest::newRow("same 5-tuple and identical, two loads")
            << "100000t,100000i|100000e,100000u" << 400000LL << 400000LL << 200001LL;
    }

    void duplicateFlows()
    {
        QFETCH(QString, loads);
        QFETCH(qint64, records);
        QFETCH(qint64, paired);
        QFETCH(qint64, twinOf1);
        records /= kScale;
        paired /= kScale;
        if (twinOf1 > 2) twinOf1 = (twinOf1 - 1) / kScale + 1; // 0 = none and 2 (alternating) keep
        QList<QByteArray> fields = QByteArray(kTgwLine).trimmed().split(' ');
        const QByteArray entry = fields[4], exit = fields[15];
        const qint64 start = fields[23].toLongLong();
        auto record = [&](bool ingress, qint64 minute) {
            fields[4] = ingress ? entry : exit;
            fields[15] = ingress ? exit : entry;
            fields[23] = QByteArray::number(start + 60 * minute);
            fields[24] = QByteArray::number(start + 60 * minute + 60);
            fields[33] = ingress ? "ingress" : "egress";
            return fields.join(' ') + '\n';
        };
        auto store = newStore();
        int n = 0;
        for (const QString& load : loads.split(QLatin1Char('|'))) {
            const QString path = m_dir.filePath(QStringLiteral("dup%1.log").arg(n++));
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QByteArray text;
            for (const QString& seg : load.split(QLatin1Char(','))) {
                const qint64 count = seg.chopped(1).toLongLong() / kScale;
                const QChar kind = seg.back();
                for (qint64 k = 0; k < count; ++k) {
                    if (kind == QLatin1Char('t') || kind == QLatin1Char('u')) text += record(kind == QLatin1Char('t'), k);
                    else text += record(kind == QLatin1Char('i') || (kind == QLatin1Char('a') && k % 2 == 0), 0);
                    if (text.size() > (1 << 20)) {
                        QVERIFY(f.write(text) == text.size());
                        text.clear();
                    }
                }
            }
            QVERIFY(f.write(text) == text.size());
            f.close();
            const LoadReport r = loadPaths(*store, {path}, LoadOptions{});
            QCOMPARE(r.outcome, Outcome::Ok);
            QCOMPARE(r.rejected, 0);
            QFile::remove(path);
        }
        auto count = [&](const char* sql) {
            auto q = store->prepare(QString::fromLatin1(sql));
            return q.ok() && q->next() && !q->isNull(0) ? q->int64(0) : -1;
        };
        QCOMPARE(store->recordCount(), records);
        QCOMPARE(count("SELECT count(twin_id) FROM flows"), paired);
        // 1:1: every twin is distinct, points back, is the other direction and the same flow.
        QCOMPARE(count("SELECT count(DISTINCT twin_id) FROM flows"), paired);
        QCOMPARE(count("SELECT count(*) FROM flows a JOIN flows b ON b.id = a.twin_id WHERE b.twin_id = a.id "
                       "AND b.flow_direction != a.flow_direction AND b.start = a.start "
                       "AND b.tgw_attachment_id = a.tgw_pair_attachment_id"),
                 paired);
        QCOMPARE(count("SELECT coalesce(twin_id, 0) FROM flows WHERE id = 1"), twinOf1);
    }
};

QTEST_GUILESS_MAIN(TestHostileTwins)
#include "tst_hostile_twins.moc"
