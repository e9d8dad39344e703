#pragma once
// The pure record parser: layouts (ordered columns), field splitting, header detection,
// headerless-layout detection and value parsing. No I/O here; ingest.cpp drives it.
#include "core/model/record.h"

#include <QString>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

namespace core {

/// How one column's value is parsed. Precomputed per column so the hot loop never consults
/// the field registry.
enum class ColumnKind : unsigned char {
    Integer, ///< non-negative int64 (from_chars)
    Time,    ///< start/end: Unix seconds; values above 1e11 are milliseconds and divided by 1000
    Text,    ///< any non-empty token, kept as written
    Address, ///< IPv4 or IPv6 text, syntax-checked, kept as written
    Extra,   ///< unknown header field: kept as an extra text column
};

/// One column of a layout: a known field or an extra (unknown) text column.
struct LayoutColumn {
    FieldId field = FieldId::Count; ///< FieldId::Count for an extra column
    int extra = -1;                 ///< RecordSink::extraColumn index when kind == Extra
    ColumnKind kind = ColumnKind::Extra;
};

/// An ordered list of columns, plus where it came from (used in rejection reasons).
struct Layout {
    enum class Source { Header, TgwDefault, VpcDefault, UserFormat, CsvHeader };
    std::vector<LayoutColumn> columns;
    Source source = Source::Header;

    int size() const { return static_cast<int>(columns.size()); }
    bool empty() const { return columns.empty(); }
    /// "header", "TGW default", "VPC default", "format", "CSV header" (for reasons).
    const char* sourceName() const;

    /// A layout of known fields only.
    static Layout fromFields(std::span<const FieldId> fields, Source source);
    /// A layout from names (header tokens or format tokens; hyphen/underscore/${} forms).
    /// Unknown names become extra columns; `extraIndex` maps such a name to its column index.
    static Layout fromNames(std::span<const std::string_view> names, Source source,
                            const std::function<int(std::string_view)>& extraIndex);
};

/// The two fixed defaults (built once, static storage; any thread).
const Layout& tgwDefault();
const Layout& vpcDefault();

/// Result of parsing one line: ok, or a reason naming the field and value.
struct ParseResult {
    QString reason; ///< empty when ok; e.g. "bytes: 'abc' is not a number"
    bool ok() const { return reason.isEmpty(); }
    explicit operator bool() const { return ok(); }
};

/// Most tokens a line may have that are looked at; longer lines are only counted.
constexpr int kMaxTokens = 256;

/// Splits `line` on runs of spaces and tabs into `out` (at most `max` views). Returns the
/// total number of tokens, which may exceed `max`. No allocation.
int splitFields(std::string_view line, std::string_view* out, int max);

/// Removes a trailing CR (and trailing spaces/tabs).
std::string_view trimLine(std::string_view line);

/// True if the line holds only spaces, tabs and CR.
bool isBlank(std::string_view line);

/// True if the tokens are field names rather than values: each token is name-like (letters,
/// digits, '-', '_', '${}', not a number, not '-') and either the first is `version` or at
/// least half of them are known field names.
bool looksLikeHeader(std::span<const std::string_view> tokens);

/// Which default layout a headerless line fits, if any: TGW default (36 tokens and a
/// `TransitGateway`/`TransitGatewayAttachment` 2nd token, or `tgw-`/`tgw-attach-` ids at
/// positions 4/5), VPC default v2 (14 tokens, numeric or '-' version, `eni-`/'-' 3rd token).
/// Returns nullptr if none.
const Layout* guessHeaderless(std::span<const std::string_view> tokens);

/// If `line` starts with an ISO-8601 timestamp token (CloudWatch export-to-S3 lines,
/// "2023-05-01T12:00:00.000Z 2 123..."), returns the rest after the separating space;
/// otherwise returns `line` unchanged.
std::string_view stripIsoTimestamp(std::string_view line, bool* stripped = nullptr);

/// Parses already-split tokens into `rec` (rec.present/extras are reset first; rec.line and
/// rec.raw are left alone). `emptyIsNull` treats an empty token like '-' (CSV cells).
ParseResult parseTokens(std::span<const std::string_view> tokens, const Layout& layout, FlowRecord& rec,
                        bool emptyIsNull = false);

/// Parses one record line with `layout`: strips CR, splits on runs of spaces/tabs, checks
/// the field count ("37 fields, header has 36") and each value. Pure; any thread.
ParseResult parseLine(std::string_view line, const Layout& layout, FlowRecord& rec);

/// Cheap syntax checks used for Address columns.
bool isIPv4(std::string_view s);
bool isIPv6(std::string_view s);

/// True if `s` holds a control byte (below 0x20, or DEL): such a value makes parseTokens()
/// reject the row. For readers that take values without parseTokens() (the Parquet fast path).
bool hasControlByte(std::string_view s);

} // namespace core
