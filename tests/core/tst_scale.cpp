// A large estate's logs through the store: tens of thousands of distinct combinations of the
// text fields (the context dictionary's hard case), checked against an independent reading of
// the same text: every record's 36 values, every rejection's line, every twin, and the number
// of contexts. Also the context index itself when every key has the same hash.
#include "core/ingest/loader.h"
#include "core/store/context_index.h"
#include "core/store/store.h"
#include "flowgen.h"

#include <QRandomGenerator>
#include <QTest>

#include <deque>
#include <map>
#include <set>

using namespace core;

namespace {

/// The 36 TGW default field names in file order: flowgen's header line.
const QStringList& tgwFields()
{
    static const QStringList fields = QString::fromStdString(flowgen::tgwHeader()).split(QLatin1Char(' '));
    return fields;
}

enum Col { Attach = 4, Pair = 15, Src = 16, Dst = 17, SrcPort = 18, Proto = 20, Start = 23, End = 24, Direction = 33 };

/// A generated file: its text, the tokens of each good line (by physical line number) and the
/// line numbers of the bad ones.
struct Generated {
    QByteArray text;
    std::vector<std::pair<qint64, QStringList>> records;
    std::vector<qint64> badLines;
};

/// `flows` records between `attachments` attachments with `subnets` subnets each, services on
/// some, '-' in a few text fields, each flow logged at both sides (sometimes twice: duplicates
/// pair in order), and a bad line every ~997 lines.
Generated generate(int lines, int attachments, int subnets, quint32 seed)
{
    QRandomGenerator rng(seed);
    Generated g;
    g.text = tgwFields().join(QLatin1Char(' ')).toUtf8() + '\n';
    static const char* services[] = {"-", "-", "-", "S3", "DYNAMODB", "EC2", "AMAZON", "ROUTE53"};
    static const char* azs[] = {"use1-az1", "use1-az2", "use1-az3", "use1-az4", "use1-az5", "use1-az6"};
    auto att = [](int a) { return QStringLiteral("tgw-attach-%1").arg(a, 17, 16, QLatin1Char('0')); };
    auto acct = [](int a) { return QStringLiteral("%1").arg(200000000000LL + a / 5); };
    auto vpc = [](int a) { return QStringLiteral("vpc-%1").arg(a * 7919, 17, 16, QLatin1Char('0')); };
    auto subnet = [](int a, int s) { return QStringLiteral("subnet-%1").arg(a * 64 + s, 17, 16, QLatin1Char('0')); };
    auto eni = [](int a, int s) { return QStringLiteral("eni-%1").arg(a * 64 + s + 0x100000, 17, 16, QLatin1Char('0')); };
    qint64 line = 1;
    auto emit = [&](const QStringList& tokens) {
        ++line;
        if (rng.bounded(997) == 0) { // a bad line before this record: 35 fields
            g.text += tokens.mid(0, 35).join(QLatin1Char(' ')).toUtf8() + '\n';
            g.badLines.push_back(line);
            ++line;
        }
        g.text += tokens.join(QLatin1Char(' ')).toUtf8() + '\n';
        g.records.emplace_back(line, tokens);
    };
    while (static_cast<int>(g.records.size()) < lines) {
        const int a = rng.bounded(attachments);
        int b = rng.bounded(attachments);
        if (b == a) b = (a + 1) % attachments;
        const int sa = rng.bounded(subnets), sb = rng.bounded(subnets);
        const QString srcSvc = QLatin1String(services[rng.bounded(8)]);
        const QString dstSvc = QLatin1String(services[rng.bounded(8)]);
        const qint64 start = 1764547200 + rng.bounded(86400);
        const QString src = QStringLiteral("10.%1.%2.%3").arg(a % 250 + 1).arg(sa).arg(rng.bounded(250) + 1);
        const QString dst = QStringLiteral("10.%1.%2.%3").arg(b % 250 + 1).arg(sb).arg(rng.bounded(250) + 1);
        const int packets = rng.bounded(1, 50);
        const bool dropped = rng.bounded(20) == 0; // entry side only: no pair, no twin
        const bool noAz = rng.bounded(50) == 0;    // some absent text fields
        auto tokens = [&](bool ingress) {
            QStringList t{QStringLiteral("6"),
                          QStringLiteral("TransitGateway"),
                          QStringLiteral("111122223333"),
                          QStringLiteral("tgw-0a1b2c3d4e5f60718"),
                          att(ingress ? a : b),
                          acct(a),
                          acct(b),
                          vpc(a),
                          vpc(b),
                          subnet(a, sa),
                          subnet(b, sb),
                          eni(a, sa),
                          eni(b, sb),
                          noAz ? QStringLiteral("-") : QLatin1String(azs[(a + sa) % 6]),
                          noAz ? QStringLiteral("-") : QLatin1String(azs[(b + sb) % 6]),
                          dropped ? QStringLiteral("-") : att(ingress ? b : a),
                          src,
                          dst,
                          QString::number(rng.bounded(32768, 60000)),
                          QStringLiteral("443"),
                          QStringLiteral("6"),
                          QString::number(packets),
                          QString::number(packets * 100),
                          QString::number(start),
                          QString::number(start + 10),
                          QStringLiteral("OK"),
                          QStringLiteral("IPv4"),
                          QString::number(dropped ? packets : 0),
                          QStringLiteral("0"),
                          QStringLiteral("0"),
                          QStringLiteral("0"),
                          QStringLiteral("2"),
                          QStringLiteral("us-east-1"),
                          ingress ? QStringLiteral("ingress") : QStringLiteral("egress"),
                          srcSvc,
                          dstSvc};
            return t;
        };
        const QStringList in = tokens(true);
        QStringList out = tokens(false);
        out[SrcPort] = in[SrcPort];
        const bool egressFirst = rng.bounded(3) == 0;
        const int copies = rng.bounded(10) == 0 ? 2 : 1; // identical flows: pair in id order
        for (int c = 0; c < copies; ++c) {
            if (dropped) {
                emit(in);
                continue;
            }
            emit(egressFirst ? out : in);
            emit(egressFirst ? in : out);
        }
    }
    return g;
}

QString column(const QString& field)
{
    return QString(field).replace(QLatin1Char('-'), QLatin1Char('_'));
}

/// The twin of each record (0 = none) by the store's documented rule, over text keys: records
/// in id order; one pairs with the earliest waiting record of the other direction with the
/// same (entry, exit, addresses, ports, protocol, packets, bytes, start, end), else waits.
std::vector<qint64> referenceTwins(const std::vector<QStringList>& rows)
{
    std::vector<qint64> twin(rows.size() + 1, 0);
    std::map<QString, std::pair<bool, std::deque<qint64>>> waiting; // key -> (ingress, ids)
    for (size_t i = 0; i < rows.size(); ++i) {
        const QStringList& t = rows[i];
        const qint64 id = static_cast<qint64>(i) + 1;
        if (t[Attach] == QLatin1String("-") || t[Pair] == QLatin1String("-")) continue;
        const bool ingress = t[Direction] == QLatin1String("ingress");
        if (!ingress && t[Direction] != QLatin1String("egress")) continue;
        QStringList k{ingress ? t[Attach] : t[Pair], ingress ? t[Pair] : t[Attach]};
        for (int c = Src; c <= End; ++c) k << t[c];
        auto& [dir, queue] = waiting[k.join(QLatin1Char(' '))];
        if (!queue.empty() && dir != ingress) {
            const qint64 other = queue.front();
            queue.pop_front();
            twin[static_cast<size_t>(id)] = other;
            twin[static_cast<size_t>(other)] = id;
        } else {
            dir = ingress;
            queue.push_back(id);
        }
    }
    return twin;
}

} // namespace

class TestScale : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void largeEstateMatchesText_data()
    {
        QTest::addColumn<int>("lines");
        QTest::addColumn<int>("attachments");
        QTest::addColumn<int>("subnets");
        QTest::addColumn<int>("minContexts");
        QTest::newRow("small estate: 8 attachments, 2 subnets") << 4000 << 8 << 2 << 50;
        QTest::newRow("large estate: 400 attachments, 16 subnets") << 40000 << 400 << 16 << 20000;
    }
    void largeEstateMatchesText()
    {
        QFETCH(int, lines);
        QFETCH(int, attachments);
        QFETCH(int, subnets);
        QFETCH(int, minContexts);
        const Generated g = generate(lines, attachments, subnets, 13);
        auto created = Store::create();
        QVERIFY(created.ok());
        Store& store = *created.value();
        LoadOptions options;
        options.keepRejections = 100000;
        const LoadReport report = loadBuffer(store, g.text, QStringLiteral("large.log"), options);
        QCOMPARE(report.outcome, Outcome::Ok);
        QCOMPARE(report.records, static_cast<qint64>(g.records.size()));

        // Rejections: every bad line, by number, naming the file.
        QCOMPARE(report.rejected, static_cast<qint64>(g.badLines.size()));
        QCOMPARE(report.rejections.size(), g.badLines.size());
        for (size_t i = 0; i < g.badLines.size(); ++i) {
            QCOMPARE(report.rejections[i].line, g.badLines[i]);
            QVERIFY2(report.rejections[i].file.endsWith(QLatin1String("large.log")), qPrintable(report.rejections[i].file));
        }

        // Records: every value of every record, in order ('-' is NULL).
        QStringList cols{QStringLiteral("line")};
        for (const QString& f : tgwFields()) cols << column(f);
        auto st = store.prepare(QStringLiteral("SELECT %1 FROM flows ORDER BY id").arg(cols.join(QLatin1Char(','))));
        QVERIFY(st.ok());
        std::vector<QStringList> rows;
        for (const auto& [line, tokens] : g.records) {
            QVERIFY(st->next());
            QCOMPARE(st->int64(0), line);
            for (int c = 0; c < 36; ++c) {
                const QString got = st->isNull(c + 1) ? QStringLiteral("-") : st->text(c + 1);
                if (got != tokens[c])
                    QFAIL(qPrintable(
                        QStringLiteral("line %1, %2: got '%3', expected '%4'").arg(line).arg(tgwFields()[c], got, tokens[c])));
            }
            rows.push_back(tokens);
        }
        QVERIFY(!st->next());

        // Twins: the documented pairing rule, computed on the text.
        const std::vector<qint64> expected = referenceTwins(rows);
        auto tw = store.prepare(QStringLiteral("SELECT id, twin_id FROM flows ORDER BY id"));
        QVERIFY(tw.ok());
        qint64 twins = 0;
        while (tw->next()) {
            const qint64 id = tw->int64(0);
            const qint64 got = tw->isNull(1) ? 0 : tw->int64(1);
            if (got != expected[static_cast<size_t>(id)])
                QFAIL(qPrintable(
                    QStringLiteral("record %1: twin %2, expected %3").arg(id).arg(got).arg(expected[static_cast<size_t>(id)])));
            twins += got != 0;
        }
        QVERIFY(twins > static_cast<qint64>(rows.size()) / 2);

        // Contexts: one per distinct tuple of text values, no more, no fewer.
        std::set<QString> tuples;
        for (const QStringList& t : rows) {
            QStringList text;
            for (int c : {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 25, 26, 32, 33, 34, 35}) text << t[c];
            tuples.insert(text.join(QLatin1Char(' ')));
        }
        auto ctx = store.prepare(QStringLiteral("SELECT count(DISTINCT _ctx) FROM flows_x"));
        QVERIFY(ctx.ok() && ctx->next());
        QCOMPARE(ctx->int64(0), static_cast<qint64>(tuples.size()));
        QVERIFY2(static_cast<int>(tuples.size()) >= minContexts, qPrintable(QString::number(tuples.size())));
    }

    void contextIndexSurvivesCollisions_data()
    {
        QTest::addColumn<int>("keys");
        QTest::addColumn<int>("distinctHashes");
        QTest::newRow("every key the same hash") << 3000 << 1;
        QTest::newRow("seven hashes") << 3000 << 7;
        QTest::newRow("all distinct, across rehashes") << 5000 << 5000;
    }
    void contextIndexSurvivesCollisions()
    {
        QFETCH(int, keys);
        QFETCH(int, distinctHashes);
        ContextIndex index;
        std::vector<QByteArray> stored;
        auto hashOf = [&](int k) { return static_cast<uint64_t>(k % distinctHashes) * 0x9e3779b97f4a7c15ULL; };
        for (int k = 0; k < keys; ++k) {
            const QByteArray key = QByteArray::number(k);
            auto same = [&](uint32_t code) { return stored[code] == key; };
            QCOMPARE(index.find(hashOf(k), same), ContextIndex::kNone);
            index.insert(hashOf(k), static_cast<uint32_t>(stored.size()));
            stored.push_back(key);
        }
        QCOMPARE(index.size(), static_cast<size_t>(keys));
        for (int k = keys - 1; k >= 0; --k) {
            const QByteArray key = QByteArray::number(k);
            QCOMPARE(index.find(hashOf(k), [&](uint32_t code) { return stored[code] == key; }), static_cast<uint32_t>(k));
        }
        const QByteArray absent("absent");
        QCOMPARE(index.find(hashOf(0), [&](uint32_t code) { return stored[code] == absent; }), ContextIndex::kNone);
    }
};

QTEST_GUILESS_MAIN(TestScale)
#include "tst_scale.moc"
