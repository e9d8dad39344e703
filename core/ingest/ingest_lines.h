#pragma once
// Internal to ingest: plain-text lines parsed on worker threads (ReadOptions::parseThread). The
// Reader cuts the decoded text into pieces of complete lines (TextJob), the LineWorker's threads
// each take the next piece and parse it (and, with a ParallelSink, pack its records), and the
// Reader replays the pieces in order on its own thread: a line a worker turned into a record is
// handed to the sink at once; any other line (blank, header, rejection, NUL padding, over 1 MiB,
// or a line parsed with a header that has changed since) goes through the Reader's ordinary
// one-line path, so line numbers, rejections and the detected form are exactly those of the
// inline reader.
#include "core/ingest/ingest.h"
#include "core/ingest/parser.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace core::detail {

/// Bytes of text per piece (a piece may be longer to end at a newline).
constexpr size_t kTextJobBytes = size_t{128} * 1024;

/// One piece of text: complete lines, each ending with '\n', in input order.
struct TextJob {
    std::string text;
    /// The first 4 KiB (and more) of a line over 1 MiB that ended just before `text`.
    std::string overlongFirst;
    bool hasOverlongFirst = false;
    /// The header layout when the piece was cut (null: none seen yet) and its generation.
    std::shared_ptr<const Layout> header;
    uint64_t headerGen = 0;
    /// Set once the worker has filled `lines` and `records`.
    bool tokenised = false;
    struct Line {
        uint32_t begin = 0;
        uint32_t size = 0;   ///< without the '\n'
        int32_t record = -1; ///< index into `records`; -1 = to be handled by the Reader's one-line path
        unsigned seen = 0;   ///< the Reader's Seen bits this record sets
    };
    std::vector<Line> lines;
    std::vector<FlowRecord> records; ///< views into `text`; reused from piece to piece (no ParallelSink)
    size_t used = 0;
    /// With a ParallelSink: the worker's packer and what it packed (Line::record indexes its rows).
    ParallelSink::Packer* packer = nullptr;
    std::unique_ptr<ParallelSink::Piece> piece;

    bool empty() const { return text.empty() && !hasOverlongFirst; }
    void reset()
    {
        text.clear();
        overlongFirst.clear();
        hasOverlongFirst = false;
        header.reset();
        headerGen = 0;
        tokenised = false;
        lines.clear();
        used = 0;
        packer = nullptr; // the piece stays allocated for the next worker that takes this job
    }
};

/// The worker threads and the bounded, ordered queue of pieces. The threads start with the
/// second piece (a file of one piece is parsed inline). Reader thread: push, popFront, takeFree,
/// giveBack; `tokenise` runs on the workers, each piece on one of them, with that thread's
/// packer (null without a ParallelSink) and record.
class LineWorker {
public:
    using Tokenise = void (*)(TextJob&, const void* context, ParallelSink::Packer* packer, FlowRecord& scratch);
    /// `packers`: one per worker thread plus one for the Reader's thread (which parses the oldest
    /// piece itself when no worker has taken it yet), or empty for `threads` workers without packers.
    LineWorker(Tokenise tokenise, const void* context, std::vector<std::unique_ptr<ParallelSink::Packer>> packers,
               size_t threads);
    ~LineWorker();
    LineWorker(const LineWorker&) = delete;
    LineWorker& operator=(const LineWorker&) = delete;

    /// Pieces the Reader keeps queued before it replays the oldest.
    size_t depth() const { return 2 * m_threadCount + 2; }
    /// Queues a piece (starts the threads at the second one).
    void push(std::unique_ptr<TextJob> job);
    /// Pieces queued and not yet popped.
    size_t queued();
    /// The oldest piece, once tokenised (or as is, untokenised, if the threads never started);
    /// null if none.
    std::unique_ptr<TextJob> popFront();
    std::unique_ptr<TextJob> takeFree();
    void giveBack(std::unique_ptr<TextJob> job);

private:
    void run(size_t thread);
    Tokenise m_tokenise;
    const void* m_context;
    std::vector<std::unique_ptr<ParallelSink::Packer>> m_packers;
    size_t m_threadCount;
    FlowRecord m_readerScratch; ///< the Reader thread's record when it parses a piece itself
    std::mutex m_mutex;
    std::condition_variable m_wake, m_done;
    std::deque<std::unique_ptr<TextJob>> m_queue;
    size_t m_taken = 0; ///< pieces at the front of m_queue the workers have taken (done or in progress)
    std::vector<std::unique_ptr<TextJob>> m_free;
    std::vector<std::thread> m_threads;
    bool m_started = false;
    bool m_stop = false;
};

} // namespace core::detail
