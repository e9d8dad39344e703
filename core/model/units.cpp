#include "core/model/units.h"

#include <QLocale>
#include <cmath>
#include <limits>
#include <utility>

namespace core {

namespace {

const QLocale& english()
{
    static const QLocale locale(QLocale::English, QLocale::UnitedStates);
    return locale;
}

// Scales |value| >= 1000 to (mantissa, power of 1000), moving to the next unit when the
// mantissa would be written as 1000 (999,960 B is "1.0 MB", not "1000 kB").
std::pair<double, int> scaled(qint64 value, int maxPower)
{
    double v = static_cast<double>(value);
    int power = 0;
    while (v >= 1000.0 && power < maxPower) {
        v /= 1000.0;
        ++power;
    }
    if (v >= 99.5 && v < 1000.0 && std::round(v) >= 1000.0 && power < maxPower) {
        v /= 1000.0;
        ++power;
    }
    return {v, power};
}

int decimalsFor(double mantissa)
{
    return mantissa < 99.95 ? 1 : 0;
}

} // namespace

QString formatBytes(qint64 bytes)
{
    if (bytes < 0) return QLatin1Char('-') + formatBytes(bytes == std::numeric_limits<qint64>::min() ? -(bytes + 1) : -bytes);
    if (bytes < 1000) return QString::number(bytes) + QStringLiteral(" B");
    const auto [mantissa, power] = scaled(bytes, 6);
    // Qt writes the unit names and the decimal point; the precision is ours (see the header).
    const int decimals = decimalsFor(mantissa);
    double pow1000 = 1;
    for (int i = 0; i < power; ++i) pow1000 *= 1000.0;
    // formattedDataSize picks the unit from the value: hand it a value whose unit is `power`
    // (the rounding up to the next unit above is ours).
    const qint64 value = mantissa < 1.0 ? static_cast<qint64>(pow1000) : bytes;
    return english().formattedDataSize(value, decimals, QLocale::DataSizeSIFormat);
}

QString formatCount(qint64 count)
{
    if (count < 0) return QLatin1Char('-') + formatCount(count == std::numeric_limits<qint64>::min() ? -(count + 1) : -count);
    if (count < 10000) return formatInteger(count);
    static const char* const kUnits[] = {"", "k", "M", "G", "T", "P", "E"};
    const auto [mantissa, power] = scaled(count, 6);
    return english().toString(mantissa, 'f', decimalsFor(mantissa)) + QLatin1Char(' ') + QLatin1String(kUnits[power]);
}

QString formatInteger(qint64 value)
{
    return english().toString(value);
}

QString formatDecimal(double value)
{
    return english().toString(value, 'g', QLocale::FloatingPointShortest);
}

} // namespace core
