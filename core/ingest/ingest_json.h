#pragma once
// Internal to ingest: state of the streaming JSON scanner (CloudWatch JSON pages, NDJSON,
// subscription DATA_MESSAGE, Logs Insights JSON). Every string value of a "message" or
// "@message" key is one record text; everything else is structure. Handles any number of
// concatenated top-level values and files of any size: only one message is buffered.
// A Logs Insights records result (`aws logs get-query-results`: {"results": [[{"field",
// "value"}, ...], ...]}) and a Logs Insights JSON export of fields ([{"srcAddr": "10.0.0.1",
// "bytes": 500, ...}, ...], objects without a "message") are read row by row
// (ingest_insights.cpp): one row buffered.
#include "core/ingest/ingest_reader.h"
#include "core/ingest/parser.h"

#include <cstdint>
#include <string>
#include <unordered_map>
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
    bool sawExportRows = false; ///< a top-level array held objects of fields (no "message")
    bool rowHadMessage = false; ///< the export row being read holds a CloudWatch key: not a row of fields
    qint64 rowMessages = 0;     ///< `messages` when the export row being read started
    bool cellScalar = false;    ///< the cell's value is a number, true/false or null (export rows)
    qint64 rowLine = 0;         ///< line the row being read starts on
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
    /// Field names as written -> (registry index or INT_MAX, column name): resolved once.
    std::unordered_map<std::string, std::pair<int, std::string>> names;
    std::string rowRaw; ///< the record text shown for a row: its values in the layout's order

    /// True while inside the cells object of a results row.
    bool inCell() const { return resultsDepth > 0 && stack.size() == resultsDepth + 2 && stack.back() == '{'; }
    /// True while directly inside an object of a top-level array (an export row).
    bool inExportRow() const { return stack.size() == 2 && stack[0] == '[' && stack[1] == '{'; }
    /// The cell read so far joins the row (a null or missing value as empty).
    void flushCell()
    {
        if (cellHasField && rowError.isEmpty())
            cells.emplace_back(std::move(cellField),
                               cellHasValue && !(cellScalar && cellValue == "null") ? std::move(cellValue) : std::string());
        cellField.clear();
        cellValue.clear();
        cellHasField = cellHasValue = cellScalar = false;
    }
};

} // namespace core::detail
