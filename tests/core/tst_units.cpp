// The one byte/number formatter (core/model/units.h): pinned rows, and a round-trip check over
// many magnitudes (the text parsed back is within the rounding of its last digit, and the
// mantissa is in [1, 1000) so no "1000 kB" or "0.9 MB" ever shows).
#include "core/model/units.h"

#include <QRegularExpression>
#include <QTest>
#include <cmath>

class TestUnits : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void bytes_data()
    {
        QTest::addColumn<qint64>("bytes");
        QTest::addColumn<QString>("expected");
        QTest::newRow("zero") << qint64(0) << "0 B";
        QTest::newRow("bytes") << qint64(999) << "999 B";
        QTest::newRow("kilo") << qint64(1000) << "1.0 kB";
        QTest::newRow("1,500 bytes (issue 12 item 14)") << qint64(1500) << "1.5 kB";
        QTest::newRow("tens of kB") << qint64(40888) << "40.9 kB";
        QTest::newRow("hundreds of MB") << qint64(345678901) << "346 MB";
        QTest::newRow("99.96 kB rounds to 100 kB, no decimal") << qint64(99960) << "100 kB";
        QTest::newRow("999,960 B is 1.0 MB, not 1000 kB") << qint64(999960) << "1.0 MB";
        QTest::newRow("999,400 B stays 999 kB") << qint64(999400) << "999 kB";
        QTest::newRow("giga") << qint64(1234567890) << "1.2 GB";
        QTest::newRow("tera") << qint64(5000000000000) << "5.0 TB";
        QTest::newRow("negative") << qint64(-1500) << "-1.5 kB";
    }
    void bytes()
    {
        QFETCH(qint64, bytes);
        QFETCH(QString, expected);
        QCOMPARE(core::formatBytes(bytes), expected);
    }

    void counts_data()
    {
        QTest::addColumn<qint64>("count");
        QTest::addColumn<QString>("expected");
        QTest::newRow("small") << qint64(812) << "812";
        QTest::newRow("grouped") << qint64(4812) << "4,812";
        QTest::newRow("kilo") << qint64(48120) << "48.1 k";
        QTest::newRow("hundreds of k") << qint64(481200) << "481 k";
        QTest::newRow("mega") << qint64(1200000) << "1.2 M";
        QTest::newRow("999,960 is 1.0 M") << qint64(999960) << "1.0 M";
        QTest::newRow("negative") << qint64(-48120) << "-48.1 k";
    }
    void counts()
    {
        QFETCH(qint64, count);
        QFETCH(QString, expected);
        QCOMPARE(core::formatCount(count), expected);
    }

    void integers()
    {
        QCOMPARE(core::formatInteger(0), QStringLiteral("0"));
        QCOMPARE(core::formatInteger(1234567), QStringLiteral("1,234,567"));
        QCOMPARE(core::formatInteger(-5), QStringLiteral("-5"));
    }

    // Oracle: parse the text back (independent of how it was written) over 1 B .. ~9 EB.
    void bytesRoundTrip()
    {
        static const QRegularExpression re(QStringLiteral("^(\\d+(?:\\.(\\d))?) (B|kB|MB|GB|TB|PB|EB)$"));
        static const QStringList units{QStringLiteral("B"),  QStringLiteral("kB"), QStringLiteral("MB"), QStringLiteral("GB"),
                                       QStringLiteral("TB"), QStringLiteral("PB"), QStringLiteral("EB")};
        for (double x = 1; x < 9e18; x *= 1.37) {
            const auto bytes = static_cast<qint64>(x);
            const QString text = core::formatBytes(bytes);
            const auto m = re.match(text);
            QVERIFY2(m.hasMatch(), qPrintable(QStringLiteral("%1 -> '%2'").arg(bytes).arg(text)));
            const double mantissa = m.captured(1).toDouble();
            const int power = static_cast<int>(units.indexOf(m.captured(3)));
            QVERIFY2(mantissa < 1000 && (power == 0 || mantissa >= 1.0), qPrintable(text));
            QVERIFY2(power == 0 || m.captured(2).isEmpty() == (mantissa >= 100), qPrintable(text)); // one decimal below 100
            const double step = power == 0 ? 1 : (m.captured(2).isEmpty() ? 1.0 : 0.1);
            const double back = mantissa * std::pow(1000.0, power);
            QVERIFY2(std::abs(back - static_cast<double>(bytes)) <= step / 2 * std::pow(1000.0, power) * 1.0001,
                     qPrintable(QStringLiteral("%1 -> '%2'").arg(bytes).arg(text)));
        }
    }
};

QTEST_GUILESS_MAIN(TestUnits)
#include "tst_units.moc"
