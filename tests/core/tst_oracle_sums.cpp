// Sums above 2^63-1, found by the independent oracle (tests/data/oracle/flowlog_oracle.py): each
// counter may be up to 2^63-1 (the parser's limit, README "What is rejected"), so two valid
// records can overflow a 64-bit sum. Before: `summary` failed ("cannot compute the summary:
// integer overflow", exit 1) and `edges`, `series` and `drops` wrapped to negative numbers.
// Now: `summary` gives the exact total while it fits (joined from 32-bit halves) and the nearest
// floating-point number above; the views hold their sums at 9223372036854775807.
#include "tests/clitestutil.h"
#include "tests/gziptestutil.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace clitest;

namespace {

const QByteArray kVpcHeader = "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action "
                              "log-status\n";

QByteArray vpcLine(const QByteArray& packets, const QByteArray& bytes, const QByteArray& src)
{
    return "5 eni-0123456789abcdef0 " + src + " 10.0.0.2 1234 443 6 " + packets + ' ' + bytes
           + " 1764547200 1764547260 ACCEPT OK\n";
}

QByteArray tgwLine(const QByteArray& src, const QByteArray& blackhole)
{
    return "6 TransitGateway 123456789012 tgw-0a1b2c3d4e5f67890 tgw-attach-0aa11bb22cc33dd44 - - - - - - - - - - - " + src
           + " 10.1.2.20 49152 443 6 10 5240 1764547200 1764547260 OK IPv4 0 " + blackhole + " 0 0 19 us-east-1 ingress - -\n";
}

const QByteArray k2p62 = "4611686018427387904"; // 2^62

} // namespace

class TestOracleSums : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sums_data();
    void sums();
};

void TestOracleSums::sums_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("expected"); // a line of stdout, or "key=value" of the summary JSON

    const QByteArray twoHuge = kVpcHeader + vpcLine("10", k2p62, "10.0.0.1") + vpcLine("10", k2p62, "10.0.0.1");
    QTest::newRow("summary: 2^62 + 2^62 bytes")
        << twoHuge << QStringList{QStringLiteral("summary")} << QByteArray("bytes=9223372036854775808");
    QTest::newRow("summary: packets stay exact beside it")
        << twoHuge << QStringList{QStringLiteral("summary")} << QByteArray("packets=20");
    QTest::newRow("summary: exactly 2^63-1 is exact")
        << kVpcHeader + vpcLine("1", k2p62, "10.0.0.1") + vpcLine("1", "4611686018427387903", "10.0.0.1")
        << QStringList{QStringLiteral("summary")} << QByteArray("bytes=9223372036854775807");
    QTest::newRow("summary: three maximal counters")
        << kVpcHeader + vpcLine("9223372036854775807", "9223372036854775807", "10.0.0.1")
               + vpcLine("9223372036854775807", "1", "10.0.0.3") + vpcLine("1", "1", "10.0.0.4")
        << QStringList{QStringLiteral("summary")} << QByteArray("packets=18446744073709551615");
    QTest::newRow("edges by addr: capped, not negative")
        << twoHuge << QStringList{QStringLiteral("edges"), QStringLiteral("--by"), QStringLiteral("addr")}
        << QByteArray("10.0.0.1,10.0.0.2,2,20,9223372036854775807,0,0,0,0");
    QTest::newRow("series: capped, not negative")
        << twoHuge << QStringList{QStringLiteral("series"), QStringLiteral("--bin"), QStringLiteral("60")}
        << QByteArray("1764547200,2,20,9223372036854775807,0,0,0,0");
    QTest::newRow("drops: capped, not negative")
        << tgwLine("10.0.1.15", k2p62) + tgwLine("10.0.1.16", k2p62) << QStringList{QStringLiteral("drops")}
        << QByteArray("tgw-attach-0aa11bb22cc33dd44,-,blackhole,9223372036854775807,2,");
}

void TestOracleSums::sums()
{
    QFETCH(QByteArray, content);
    QFETCH(QStringList, args);
    QFETCH(QByteArray, expected);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("huge.log"));
    QVERIFY(testutil::writeFile(path, content));
    const Run r = runCli(args + QStringList{path});
    QVERIFY2(r.exitCode == 0, qPrintable(QStringLiteral("exit %1: %2").arg(r.exitCode).arg(r.err)));
    if (args.front() == QLatin1String("summary")) {
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        const QString key = QString::fromUtf8(expected.left(expected.indexOf('=')));
        const QByteArray value = expected.mid(expected.indexOf('=') + 1);
        QVERIFY2(o.contains(key), r.out.constData());
        bool fits = false;
        const qint64 exact = value.toLongLong(&fits);
        if (fits) QCOMPARE(o.value(key).toInteger(-1), exact);    // exact while it fits in 64 bits
        else QCOMPARE(o.value(key).toDouble(), value.toDouble()); // the nearest double above
        return;
    }
    QVERIFY2(r.out.contains(expected), r.out.constData());
    QVERIFY2(!r.out.contains(",-9"), r.out.constData());
}

QTEST_GUILESS_MAIN(TestOracleSums)
#include "tst_oracle_sums.moc"
