#pragma once
// A parsed flow record as handed from the parser/readers to the store. Views, not copies:
// text values point into the reader's line buffer and are valid only during the sink call.
#include "core/model/fields.h"

#include <QString>
#include <array>
#include <bitset>
#include <cstdint>
#include <string_view>
#include <vector>

namespace core {

struct FlowRecord {
    /// Which known fields have a value. A field absent from the layout or given as '-' is not set (NULL).
    std::bitset<kFieldCount> present;
    /// Integer value of each Integer field that is present (start/end already in Unix seconds).
    std::array<int64_t, kFieldCount> ints{};
    /// Text of each Text/Address field that is present (addresses as written: IPv4 or IPv6 text).
    std::array<std::string_view, kFieldCount> texts{};
    /// Address fields whose text parseTokens() read as a canonical dotted quad: the address (host
    /// byte order) is in ints[] too, so the store does not parse it again. setText() clears the bit.
    std::bitset<kFieldCount> ipv4;
    /// Unknown header fields kept as extra text columns: (extra column index from
    /// RecordSink::extraColumn, value). '-' values are not listed.
    std::vector<std::pair<int, std::string_view>> extras;
    /// 1-based line in the source file (for JSON forms: the line where the event starts).
    qint64 line = 0;
    /// The raw record text (for the details pane); valid during the sink call only.
    std::string_view raw;

    void clear()
    {
        present.reset();
        ipv4.reset();
        extras.clear();
        line = 0;
        raw = {};
    }
    bool has(FieldId f) const { return present.test(static_cast<size_t>(f)); }
    int64_t integer(FieldId f) const { return ints[static_cast<size_t>(f)]; }
    std::string_view text(FieldId f) const { return texts[static_cast<size_t>(f)]; }
    void setInt(FieldId f, int64_t v)
    {
        present.set(static_cast<size_t>(f));
        ints[static_cast<size_t>(f)] = v;
    }
    void setText(FieldId f, std::string_view v)
    {
        present.set(static_cast<size_t>(f));
        ipv4.reset(static_cast<size_t>(f));
        texts[static_cast<size_t>(f)] = v;
    }
};

/// A line that could not become a record.
struct Rejection {
    qint64 line = 0; ///< 1-based line in the file
    QString reason;  ///< e.g. "37 fields, header has 36", "bytes: 'abc' is not a number"
    QString raw;     ///< the raw line, truncated to at most 4096 characters
};

} // namespace core
