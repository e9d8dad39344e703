#pragma once
// Internal to ingest: state of the streaming JSON scanner (CloudWatch JSON pages, NDJSON,
// subscription DATA_MESSAGE, Logs Insights JSON). Every string value of a "message" or
// "@message" key is one record text; everything else is structure. Handles any number of
// concatenated top-level values and files of any size: only one message is buffered.
#include "core/ingest/ingest_reader.h"

#include <cstdint>
#include <string>
#include <vector>

namespace core::detail {

struct Reader::Json {
    enum class Capture : unsigned char { None, Key, Message, MessageType, Other };
    enum class Pending : unsigned char { None, Message, MessageType };
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
};

} // namespace core::detail
