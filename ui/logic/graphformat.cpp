#include "ui/logic/graphformat.h"

#include <QLocale>
#include <QStringList>
#include <algorithm>
#include <cmath>

namespace ui {
namespace {

QString oneDecimal(double v, const char* unit)
{
    const int decimals = v < 99.95 ? 1 : 0;
    return QString::number(v, 'f', decimals) + QLatin1Char(' ') + QLatin1String(unit);
}

} // namespace

QString formatInteger(qint64 value)
{
    static const QLocale english(QLocale::English, QLocale::UnitedStates);
    return english.toString(value);
}

QString formatBytes(qint64 bytes)
{
    if (bytes < 0) return QLatin1Char('-') + formatBytes(-bytes);
    if (bytes < 1000) return QString::number(bytes) + QStringLiteral(" B");
    static const char* const units[] = {"KB", "MB", "GB", "TB", "PB", "EB"};
    double v = static_cast<double>(bytes) / 1000.0;
    int u = 0;
    while (v >= 999.95 && u < 5) {
        v /= 1000.0;
        ++u;
    }
    return oneDecimal(v, units[u]);
}

QString formatCount(qint64 count)
{
    if (count < 0) return QLatin1Char('-') + formatCount(-count);
    if (count < 10000) return formatInteger(count);
    static const char* const units[] = {"k", "M", "G", "T", "P"};
    double v = static_cast<double>(count) / 1000.0;
    int u = 0;
    while (v >= 999.95 && u < 4) {
        v /= 1000.0;
        ++u;
    }
    return oneDecimal(v, units[u]);
}

QString formatWeight(qint64 value, EdgeWeight weight)
{
    switch (weight) {
    case EdgeWeight::Bytes:
        return formatBytes(value);
    case EdgeWeight::Packets:
        return formatCount(value) + QStringLiteral(" packets");
    case EdgeWeight::Flows:
        return formatCount(value) + (value == 1 ? QStringLiteral(" flow") : QStringLiteral(" flows"));
    }
    return {};
}

QString dropSummary(const core::Edge& edge)
{
    const qint64 total = edge.dropped();
    if (total <= 0) return {};
    static const char* const names[] = {"no route", "blackhole", "MTU", "TTL"};
    QStringList parts;
    for (int r = 0; r < core::LostReasonCount; ++r) {
        const qint64 v = edge.lost[static_cast<size_t>(r)];
        if (v > 0) parts << QStringLiteral("%1 %2").arg(formatInteger(v), QLatin1String(names[r]));
    }
    if (parts.size() == 1)
        return QStringLiteral("%1 dropped (%2)").arg(formatInteger(total), parts.front().section(QLatin1Char(' '), 1));
    return QStringLiteral("%1 dropped (%2)").arg(formatInteger(total), parts.join(QStringLiteral(", ")));
}

QString formatShare(double share)
{
    const double pct = share * 100.0;
    if (!(pct > 0)) return QStringLiteral("0 %");
    int decimals = 0;
    if (pct < 9.95) decimals = 1;
    if (pct < 0.095) decimals = static_cast<int>(std::ceil(-std::log10(pct)));
    return QString::number(pct, 'f', std::min(decimals, 6)) + QStringLiteral(" %");
}

} // namespace ui
