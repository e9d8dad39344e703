#pragma once
// Internal to ingest: state of the streaming JSON scanner (CloudWatch JSON pages, NDJSON,
// subscription DATA_MESSAGE, Logs Insights JSON). Every string value of a "message" or
// "@message" key is one record text; everything else is structure. Handles any number of
// concatenated top-level values and files of any size: only one message is buffered.
// A Logs Insights records result (`aws logs get-query-results`: {"results": [[{"field",
// "value"}, ...], ...]}) is read row by row (ingest_insights.cpp): one row buffered.
#include "core/ingest/ingest_reader.h"
#include "core/ingest/parser.h"

#include <cstdint>
#include <string>
#include <vector>

namespace core::detail {

struct Reader::Json {
    enum class Capture : unsigned char { None, Key, Message, MessageType, Other, CellField, CellValue };
    enum class Pending : unsigned char { None, Message, MessageType, Results, CellField, CellValue };
    static constexpr size_t kMaxDepth = 512;

    std::vector<char> stack; ///< '{' or '[' per open container
    bool expectKey = false;  ///< inside an object, the next string is a key
    bool inString = false;
    int escape = 0; ///< 0 none, 1 after '\', 2..5 reading \u hex digits
    uint32_t unicode = 0;
    uint32_t highSurrogate = 0;
    Capture capture = Capture::None;
    Pending pending = Pending::None;
    bool inScalar = false;
    std::string key;
    std::string text; ///< the message being read (unescaped), at most kMaxLine bytes
    bool overflow = false;
    qint64 textLine = 0;
    bool control = false;  ///< current top-level value is a CONTROL_MESSAGE payload
    bool skipLine = false; ///< after a syntax error: ignore input up to the next newline

    qint64 line = 1;
    int lineMessages = 0;
    bool lineHasContent = false;
    qint64 topLevelValues = 0;
    qint64 messages = 0;
    bool sawEvents = false;
    bool sawLogEvents = false;
    bool sawAtMessage = false;

    // Logs Insights get-query-results: "results" is an array of rows, each an array of cells
    // {"field": name, "value": text}.
    size_t resultsDepth = 0; ///< stack size inside the top-level "results" array; 0 = not in it
    bool sawResults = false;
    qint64 rowLine = 0;                                     ///< line the row being read starts on
    std::vector<std::pair<std::string, std::string>> cells; ///< the row being read
    std::string cellField;
    std::string cellValue;
    bool cellHasField = false;
    bool cellHasValue = false;
    QString rowError; ///< first problem of the row being read (it is rejected at its end)
    qint64 recordRows = 0;
    qint64 messageRows = 0;
    std::vector<std::string> rowNames; ///< field names of `rowLayout`, in its order
    Layout rowLayout;
    std::string rowRaw; ///< the record text shown for a row: its values in the layout's order

    /// True while inside the cells object of a results row.
    bool inCell() const { return resultsDepth > 0 && stack.size() == resultsDepth + 2 && stack.back() == '{'; }
};

} // namespace core::detail
