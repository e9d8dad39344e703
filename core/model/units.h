#pragma once
// The one way numbers and byte sizes are written, in every view and in flowlog-cli: decimal
// (SI) units, "kB" not "KB", one decimal below 100 of a unit and none above ("1.5 kB",
// "34.6 MB", "346 MB"), English digit grouping ("4,812") whatever the system locale, so the
// graph, the table, the timeline, the details and the CLI agree and tests are stable.
// Pure functions, any thread.
#include <QString>

namespace core {

/// Byte size in SI units: "0 B", "999 B", "1.5 kB", "34.6 MB", "346 MB", "1.2 GB" (1 kB =
/// 1000 B). A value that would round to 1000 of a unit is written in the next one ("1.0 MB").
/// Negative sizes get a leading '-'.
QString formatBytes(qint64 bytes);
/// A count: exact with grouping below 10,000 ("812", "4,812"), then "48.1 k", "1.2 M", "3.4 G".
QString formatCount(qint64 count);
/// An exact integer with English grouping: "1,234,567".
QString formatInteger(qint64 value);
/// A real number (e.g. an SQL result) with English grouping and decimal point, in its shortest
/// exact form: "1,234.5", "0.25".
QString formatDecimal(double value);

} // namespace core
