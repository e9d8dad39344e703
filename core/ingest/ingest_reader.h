#pragma once
// Internal to ingest: the per-file reader state machine. Decoded bytes go in (any chunking),
// records and rejections come out through the RecordSink. Detects the input form from the
// first bytes (text with/without header, CloudWatch JSON/NDJSON/export lines/CSV, Athena CSV).
// Not a public API: use readFile()/readBuffer() from ingest.h.
#include "core/ingest/ingest.h"
#include "core/ingest/ingest_lines.h"
#include "core/ingest/parser.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace core::detail {

/// Longest line kept; longer lines are rejected ("line longer than 1 MiB") and skipped up to
/// the next newline, so memory stays bounded whatever the input.
constexpr size_t kMaxLine = 1 << 20;
/// How much of the start is examined to detect the form.
constexpr size_t kSniffBytes = size_t{64} * 1024;
/// Rejection::raw keeps at most this many characters.
constexpr qsizetype kMaxRaw = 4096;

class Reader {
public:
    Reader(const QString& name, const ReadOptions& options, RecordSink& sink);
    ~Reader();
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;

    /// Decoded bytes, in order. Returns false once reading should stop (cancelled or fatal).
    bool feed(std::string_view data);
    /// End of input. `cutOff` = the input ended abnormally (e.g. truncated gzip): a last line
    /// without newline is rejected with `cutReason` instead of parsed.
    void finish(bool cutOff = false, const QString& cutReason = {});

    bool stopped() const { return m_stopped; }
    /// Sets a fatal error (path + reason) and stops.
    void fail(const QString& reason, qint64 line = 0);
    FileOutcome& outcome() { return m_out; }
    /// Appends e.g. ", gzip" to the detected form name at finish().
    void setFormSuffix(const QString& suffix) { m_formSuffix = suffix; }

    /// The worker's half of a text piece (LineWorker's thread): splits and parses every line
    /// that would become a record with the piece's header snapshot; `reader` is the Reader
    /// (only its user format, which never changes, is read).
    static void tokenise(TextJob& job, const void* reader, ParallelSink::Packer* packer, FlowRecord& scratch);

private:
    enum class Form { Sniffing, Text, Csv, Json };
    enum Seen : unsigned { SeenTgw = 1, SeenVpc = 2, SeenUser = 4, SeenExport = 8, SeenHeader = 16 };
    struct Json;

    bool checkCancel();
    bool decide(std::string_view window, bool atEnd);
    bool process(std::string_view data);
    bool feedLines(std::string_view data);
    bool feedLinesSerial(std::string_view data);
    /// Appends [p, end) to the line carried over from the previous piece of input (m_carry), up to
    /// kMaxLine bytes; a longer line keeps its first kMaxRaw bytes for the report and is discarded.
    void carryOver(const char* p, const char* end);
    /// feedLines with ReadOptions::parseThread (ingest_lines.cpp).
    bool feedLinesParallel(std::string_view data);
    void submitJob(std::unique_ptr<TextJob> job);
    void replayJob(TextJob& job);
    /// Tells the ParallelSink that `job`'s packed rows are all handed over (before it is reused).
    void pieceDone(TextJob& job);
    void drainJobs();
    void physicalLine(std::string_view line);
    void overlongLine(std::string_view prefix);
    void rejectLine(qint64 line, const QString& reason, std::string_view raw);

    /// One record text (a text line, a JSON message or a CSV message cell).
    void handleRecordText(std::string_view text, qint64 line, bool fromMessage);
    void setHeader(std::span<const std::string_view> tokens);
    const Layout* pickLayout(std::span<const std::string_view> tokens, int count, QString* reason);
    /// The layout a record line is read with (pure: pickLayout without its side effects);
    /// `*seen` = the Seen bit it sets. Null if none fits.
    static const Layout* chooseLayout(const Layout* header, const Layout* user, std::span<const std::string_view> tokens,
                                      int count, unsigned* seen);

    // CSV (ingest_csv.cpp)
    void startCsv();
    void csvRow(std::string_view line, qint64 lineNo);
    /// Splits one CSV row into m_cells (views into `line` or m_csvBuf). False if a quote is unterminated.
    bool splitCsv(std::string_view line);

    /// The streaming JSON scanner (ingest_json.cpp): jsonFeed() walks the bytes; a byte inside a
    /// string goes to jsonInString(), any other to jsonStructural() (false: stop the file).
    bool jsonFeed(std::string_view data);
    size_t jsonInString(std::string_view data, size_t i, size_t& sinceCheck);
    void jsonEscape(std::string_view data, size_t i);
    void jsonStringEnd();
    bool jsonStructural(std::string_view data, size_t i);
    void jsonAppend(const char* p, size_t len);
    void jsonNewline();
    /// A value starts: a string, a scalar, or the container `container` ('{' or '[', before its push).
    void jsonValueStart(bool isString, char container = '\0');
    void jsonSyntaxError(const QString& what, std::string_view data, size_t at);
    void jsonFinish();
    void jsonMessage();
    /// A Logs Insights results row has ended (ingest_insights.cpp): a record or a rejection.
    void jsonRow();
    /// The structural hooks of results rows (ingest_insights.cpp): a value starts (before a
    /// container's push), a container `c` ('}' or ']') has closed (after its pop).
    void jsonResultsOpen(bool isString, char container);
    void jsonResultsClose(char c);

    QString formName() const;
    QString jsonFormName() const;

    QString m_name;
    const ReadOptions& m_options;
    RecordSink& m_sink;
    FileOutcome m_out;
    bool m_parseThread = false; ///< ReadOptions::parseThread
    Form m_form = Form::Sniffing;
    bool m_stopped = false;
    std::string m_sniff;
    QString m_formSuffix;

    // line splitting
    std::string m_carry;
    bool m_discarding = false;
    qint64 m_line = 0;
    size_t m_sinceCancelCheck = 0;

    // layouts
    std::optional<Layout> m_header;
    std::optional<Layout> m_user;
    int m_firstHeaderSize = 0;
    unsigned m_seen = 0;
    FlowRecord m_rec;
    std::unique_ptr<std::string_view[]> m_tokens;   ///< kMaxTokens slots, reused for every line
    std::shared_ptr<const Layout> m_headerSnapshot; ///< copy of m_header handed to text pieces
    uint64_t m_headerGen = 0;                       ///< bumped by each header line
    std::unique_ptr<LineWorker> m_worker;           ///< ReadOptions::parseThread, text form only
    ParallelSink* m_parallel = nullptr;             ///< the sink's, once m_worker exists

    // CSV
    std::vector<std::string_view> m_cells;
    std::string m_csvBuf;
    std::vector<std::string> m_csvHeader;
    int m_csvMessageCol = -1;
    std::optional<Layout> m_csvLayout;

    std::unique_ptr<Json> m_json;
};

} // namespace core::detail
