#pragma once
// Numbers as the attachment graph and its pages write them. Pure functions; any thread.
#include "ui/logic/graphkinds.h"

#include <QString>

namespace ui {

/// core::formatBytes: "512 B", "1.2 kB", "34.5 MB", "1.2 GB" (decimal units, 1 kB = 1000 B).
QString formatBytes(qint64 bytes);
/// "812", "4,812", "48.1 k", "1.2 M", "3.4 G".
QString formatCount(qint64 count);
/// formatBytes for Bytes, else formatCount + " packets"/" flows".
QString formatWeight(qint64 value, EdgeWeight weight);
/// "4,812" (English digit grouping, whatever the locale, so tests are stable).
QString formatInteger(qint64 value);
/// A share 0..1 as a percentage with the digits it needs: "70 %", "4.2 %", "0.1 %", "0.004 %".
QString formatShare(double share);

/// Short drop text for an edge label: "7 dropped (MTU)", "12 dropped (5 no route, 7 TTL)";
/// empty without drops.
QString dropSummary(const core::Edge& edge);

} // namespace ui
