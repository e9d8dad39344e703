// Integer and time fields of parseTokens (core/ingest/parser.h): the digit loop that reads
// short plain numbers must give exactly what std::from_chars gives, and every other token
// (signs, 19 digits and more, stray bytes) must keep its rejection reason. Oracle: a record
// line with the token in the packets (integer) or start (time) column, checked against the
// value std::from_chars reads and the pinned reasons.
#include "core/ingest/parser.h"

#include <QTest>

#include <charconv>

using namespace core;

namespace {

// A VPC default record: packets is column 8, start column 10.
const char* const kVpc = "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 PACKETS 4249 START "
                         "1418530070 ACCEPT OK";

QByteArray lineWith(const QByteArray& packets, const QByteArray& start)
{
    QByteArray l(kVpc);
    l.replace("PACKETS", packets);
    l.replace("START", start);
    return l;
}

/// What std::from_chars makes of `t` as a non-negative int64 ("" if it does not read it whole).
QString oracle(const QByteArray& t, bool time)
{
    int64_t v = 0;
    const char* b = t.constData();
    const char* e = b + t.size();
    const auto r = std::from_chars(b, e, v);
    if (r.ec != std::errc() || r.ptr != e || v < 0) return {};
    if (time && v > 100'000'000'000LL) v /= 1000;
    return QString::number(v);
}

} // namespace

class TestParseInts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void integers_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QString>("reason"); // empty: a record
        QTest::newRow("one digit") << QByteArray("7") << QString();
        QTest::newRow("zero") << QByteArray("0") << QString();
        QTest::newRow("leading zeros") << QByteArray("000123") << QString();
        QTest::newRow("17 digits") << QByteArray("12345678901234567") << QString();
        QTest::newRow("18 nines") << QByteArray("999999999999999999") << QString();
        QTest::newRow("19 digits in range") << QByteArray("9223372036854775807") << QString();
        QTest::newRow("19 digits too large")
            << QByteArray("9223372036854775808") << QStringLiteral("packets: '9223372036854775808' is too large (over 2^63-1)");
        QTest::newRow("20 digits") << QByteArray("12345678901234567890")
                                   << QStringLiteral("packets: '12345678901234567890' is too large (over 2^63-1)");
        QTest::newRow("20 digits with leading zeros") << QByteArray("00000000000000000042") << QString();
        QTest::newRow("negative") << QByteArray("-5") << QStringLiteral("packets: '-5' is negative");
        QTest::newRow("very negative") << QByteArray("-99999999999999999999")
                                       << QStringLiteral("packets: '-99999999999999999999' is negative");
        QTest::newRow("plus sign") << QByteArray("+5") << QStringLiteral("packets: '+5' is not a number");
        QTest::newRow("trailing letter") << QByteArray("12a") << QStringLiteral("packets: '12a' is not a number");
        QTest::newRow("leading letter") << QByteArray("a12") << QStringLiteral("packets: 'a12' is not a number");
        QTest::newRow("colon (next to 9)") << QByteArray("1:2") << QStringLiteral("packets: '1:2' is not a number");
        QTest::newRow("slash (before 0)") << QByteArray("1/2") << QStringLiteral("packets: '1/2' is not a number");
        QTest::newRow("dot") << QByteArray("1.5") << QStringLiteral("packets: '1.5' is not a number");
        QTest::newRow("high byte") << QByteArray("1\xC3\xA9") << QStringLiteral("packets: '1\u00E9' is not a number");
        QTest::newRow("NUL inside") << QByteArray("1\0002", 3)
                                    << QStringLiteral("packets: '1\\x002' is not a number"); // control bytes shown as \xNN
    }
    void integers()
    {
        QFETCH(QByteArray, token);
        QFETCH(QString, reason);
        const QByteArray line = lineWith(token, QByteArrayLiteral("1418530010"));
        FlowRecord rec;
        const ParseResult r = parseLine(std::string_view(line.constData(), static_cast<size_t>(line.size())), vpcDefault(), rec);
        if (!reason.isEmpty()) {
            QVERIFY2(!r.ok(), qPrintable(line));
            QCOMPARE(r.reason, reason);
            QVERIFY(oracle(token, false).isEmpty());
            return;
        }
        QVERIFY2(r.ok(), qPrintable(r.reason));
        QVERIFY(rec.has(FieldId::Packets));
        QCOMPARE(QString::number(rec.integer(FieldId::Packets)), oracle(token, false));
        QCOMPARE(rec.integer(FieldId::Start), int64_t{1418530010});
    }

    void times_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QString>("reason");
        QTest::newRow("seconds") << QByteArray("1418530010") << QString();
        QTest::newRow("at the milliseconds threshold") << QByteArray("100000000000") << QString();
        QTest::newRow("just over: milliseconds") << QByteArray("100000000001") << QString();
        QTest::newRow("milliseconds") << QByteArray("1418530010123") << QString();
        QTest::newRow("18 digits: milliseconds") << QByteArray("141853001012345678") << QString();
        QTest::newRow("19 digits: milliseconds") << QByteArray("1418530010123456789") << QString();
        QTest::newRow("negative") << QByteArray("-1") << QStringLiteral("start: '-1' is negative");
        QTest::newRow("text") << QByteArray("now") << QStringLiteral("start: 'now' is not a number");
    }
    void times()
    {
        QFETCH(QByteArray, token);
        QFETCH(QString, reason);
        const QByteArray line = lineWith(QByteArrayLiteral("20"), token);
        FlowRecord rec;
        const ParseResult r = parseLine(std::string_view(line.constData(), static_cast<size_t>(line.size())), vpcDefault(), rec);
        if (!reason.isEmpty()) {
            QVERIFY(!r.ok());
            QCOMPARE(r.reason, reason);
            return;
        }
        QVERIFY2(r.ok(), qPrintable(r.reason));
        QCOMPARE(QString::number(rec.integer(FieldId::Start)), oracle(token, true));
        QCOMPARE(rec.integer(FieldId::Packets), int64_t{20});
    }
};

QTEST_GUILESS_MAIN(TestParseInts)
#include "tst_parse_ints.moc"
