#include "ui/logic/graphformat.h"

#include "core/model/units.h"

#include <QLocale>
#include <QStringList>
#include <algorithm>
#include <cmath>

namespace ui {
// The three number formatters are core's, so the graph says what the table and the CLI say.
QString formatInteger(qint64 value)
{
    return core::formatInteger(value);
}

QString formatBytes(qint64 bytes)
{
    return core::formatBytes(bytes);
}

QString formatCount(qint64 count)
{
    return core::formatCount(count);
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
