// Plain-text lines parsed on two threads (ReadOptions::parseThread): the Reader's side
// (cutting pieces, replaying them in order) and the worker's (tokenise). See ingest_lines.h.
#include "core/ingest/ingest_lines.h"

#include "core/ingest/ingest_reader.h"

#include <algorithm>
#include <cstring>
#include <thread>

namespace core::detail {

namespace {

/// Cancellation is polled after this many bytes of text (ReadOptions::cancel: ~64 KiB).
constexpr size_t kCancelCheckBytes = 65536;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

} // namespace

// ---------------------------------------------------------------------------------------
// LineWorker

LineWorker::LineWorker(Tokenise tokenise, const void* context, std::vector<std::unique_ptr<ParallelSink::Packer>> packers,
                       size_t threads)
    : m_tokenise(tokenise), m_context(context), m_packers(std::move(packers)),
      m_threadCount(m_packers.empty() ? std::max<size_t>(1, threads) : m_packers.size() - 1)
{
}

LineWorker::~LineWorker()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    for (std::thread& t : m_threads) t.join();
}

void LineWorker::push(std::unique_ptr<TextJob> job)
{
    bool start = false;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_queue.push_back(std::move(job));
        start = !m_started && m_queue.size() >= 2;
        if (start) m_started = true;
    }
    if (start) {
        for (size_t t = 0; t < m_threadCount; ++t) m_threads.emplace_back([this, t] { run(t); });
    } else {
        m_wake.notify_one();
    }
}

size_t LineWorker::queued()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_queue.size();
}

std::unique_ptr<TextJob> LineWorker::popFront()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    if (m_queue.empty()) return nullptr;
    if (m_started && m_taken == 0) {
        // No worker has taken the oldest piece yet: the Reader's thread parses it itself (with its
        // own packer) rather than wait, so it parses too whenever it would otherwise idle.
        TextJob* job = m_queue.front().get();
        ++m_taken;
        lock.unlock();
        ParallelSink::Packer* packer = m_packers.empty() ? nullptr : m_packers.back().get();
        job->packer = packer;
        m_tokenise(*job, m_context, packer, m_readerScratch);
        lock.lock();
        job->tokenised = true;
    }
    if (m_started) m_done.wait(lock, [&] { return m_queue.front()->tokenised; });
    std::unique_ptr<TextJob> job = std::move(m_queue.front());
    m_queue.pop_front();
    if (m_taken > 0) --m_taken;
    return job;
}

std::unique_ptr<TextJob> LineWorker::takeFree()
{
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_free.empty()) return std::make_unique<TextJob>();
    std::unique_ptr<TextJob> job = std::move(m_free.back());
    m_free.pop_back();
    return job;
}

void LineWorker::giveBack(std::unique_ptr<TextJob> job)
{
    job->reset();
    std::lock_guard<std::mutex> lock(m_mutex);
    m_free.push_back(std::move(job));
}

void LineWorker::run(size_t thread)
{
    ParallelSink::Packer* packer = m_packers.empty() ? nullptr : m_packers[thread].get();
    FlowRecord scratch;
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [&] { return m_stop || m_taken < m_queue.size(); });
        if (m_stop) return;
        TextJob* job = m_queue[m_taken].get(); // heap object: stays put while the deque changes
        ++m_taken;
        if (m_taken < m_queue.size()) m_wake.notify_one(); // more for another worker
        lock.unlock();
        job->packer = packer;
        m_tokenise(*job, m_context, packer, scratch);
        lock.lock();
        job->tokenised = true;
        m_done.notify_all();
    }
}

// ---------------------------------------------------------------------------------------
// Reader: the worker's half

void Reader::tokenise(TextJob& job, const void* readerPtr, ParallelSink::Packer* packer, FlowRecord& scratch)
{
    if (packer) {
        if (!job.piece) job.piece = packer->newPiece();
        else packer->clear(*job.piece);
    }
    const auto* reader = static_cast<const Reader*>(readerPtr);
    const Layout* user = reader->m_user ? &*reader->m_user : nullptr;
    const Layout* header = job.header.get();
    std::string_view tokens[kMaxTokens];
    job.lines.clear();
    job.used = 0;
    const char* const base = job.text.data();
    const size_t size = job.text.size();
    size_t pos = 0;
    while (pos < size) {
        const auto* nl = static_cast<const char*>(std::memchr(base + pos, '\n', size - pos));
        const size_t len = nl ? static_cast<size_t>(nl - (base + pos)) : size - pos;
        TextJob::Line line;
        line.begin = static_cast<uint32_t>(pos);
        line.size = static_cast<uint32_t>(len);
        const std::string_view raw(base + pos, len);
        pos += len + 1;
        // As Reader::physicalLine + handleRecordText, for the lines that become records; any
        // other line is left to them (record = -1).
        if (len <= kMaxLine && !(len > 0 && raw.front() == '\0')) {
            std::string_view t = trimLine(raw);
            while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
            if (!t.empty()) {
                unsigned seen = 0;
                if (isDigit(t.front())) {
                    bool stamped = false;
                    t = stripIsoTimestamp(t, &stamped);
                    if (stamped) seen |= SeenExport;
                }
                const int n = splitFields(t, tokens, kMaxTokens);
                const std::span<const std::string_view> toks(tokens, static_cast<size_t>(std::min(n, kMaxTokens)));
                const char c0 = t.front();
                const bool headerLine = !isDigit(c0) && c0 != '-' && n <= kMaxTokens && looksLikeHeader(toks);
                unsigned layoutSeen = 0;
                const Layout* layout = headerLine ? nullptr : chooseLayout(header, user, toks, n, &layoutSeen);
                if (layout && n == layout->size()) {
                    if (packer) {
                        if (parseTokens(toks, *layout, scratch).ok()) {
                            scratch.raw = t;
                            if (packer->pack(scratch, *job.piece)) {
                                line.record = static_cast<int32_t>(job.used++);
                                line.seen = seen | layoutSeen;
                            }
                        }
                    } else {
                        if (job.used == job.records.size()) job.records.emplace_back();
                        FlowRecord& rec = job.records[job.used];
                        if (parseTokens(toks, *layout, rec).ok()) {
                            rec.raw = t;
                            line.record = static_cast<int32_t>(job.used++);
                            line.seen = seen | layoutSeen;
                        }
                    }
                }
            }
        }
        job.lines.push_back(line);
    }
    if (packer) packer->finish(*job.piece);
}

// ---------------------------------------------------------------------------------------
// Reader: cutting pieces and replaying them

bool Reader::feedLinesParallel(std::string_view data)
{
    if (!m_worker) {
        // One worker per core but one (the Reader's thread parses too when it would wait), 1 to 3.
        const size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 2, 4) - 1;
        std::vector<std::unique_ptr<ParallelSink::Packer>> packers;
        m_parallel = m_sink.parallel();
        if (m_parallel)
            for (size_t t = 0; t <= threads; ++t) packers.push_back(m_parallel->newPacker()); // the last: the Reader's
        m_worker = std::make_unique<LineWorker>(&Reader::tokenise, this, std::move(packers), threads);
    }
    const char* p = data.data();
    const char* const e = p + data.size();
    std::unique_ptr<TextJob> job = m_worker->takeFree();
    // A line carried over from the previous piece of input: as feedLinesSerial.
    if (!m_carry.empty() || m_discarding) {
        const auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(e - p)));
        const char* end = nl ? nl : e;
        carryOver(p, end);
        if (!nl) {
            m_worker->giveBack(std::move(job));
            return checkCancel();
        }
        if (m_discarding) {
            job->overlongFirst.swap(m_carry);
            job->hasOverlongFirst = true;
        } else {
            job->text.assign(m_carry);
            job->text.push_back('\n');
        }
        m_carry.clear();
        m_discarding = false;
        p = nl + 1;
    }
    // Complete lines, in pieces of about kTextJobBytes that end at a newline.
    const char* stop = p;
    if (p < e) {
        const auto* last = static_cast<const char*>(memrchr(p, '\n', static_cast<size_t>(e - p)));
        if (last) stop = last + 1;
    }
    while (p < stop) {
        const size_t room = job->text.size() < kTextJobBytes ? kTextJobBytes - job->text.size() : 1;
        const char* cut = p + std::min(room, static_cast<size_t>(stop - p));
        if (cut < stop && cut[-1] != '\n') {
            cut = static_cast<const char*>(std::memchr(cut, '\n', static_cast<size_t>(stop - cut))) + 1;
        }
        job->text.append(p, static_cast<size_t>(cut - p));
        p = cut;
        if (p < stop) {
            submitJob(std::move(job));
            if (m_stopped) return false;
            job = m_worker->takeFree();
        }
    }
    if (!job->empty()) submitJob(std::move(job));
    else m_worker->giveBack(std::move(job));
    if (m_stopped) return false;
    // The last line without its newline yet: as feedLinesSerial.
    if (p < e) {
        const auto len = static_cast<size_t>(e - p);
        if (len > kMaxLine) {
            m_carry.assign(p, static_cast<size_t>(kMaxRaw));
            m_discarding = true;
        } else {
            m_carry.assign(p, len);
        }
    }
    return checkCancel();
}

void Reader::submitJob(std::unique_ptr<TextJob> job)
{
    job->header = m_headerSnapshot;
    job->headerGen = m_headerGen;
    m_worker->push(std::move(job));
    while (!m_stopped && m_worker->queued() > m_worker->depth()) {
        std::unique_ptr<TextJob> oldest = m_worker->popFront();
        replayJob(*oldest);
        pieceDone(*oldest);
        m_worker->giveBack(std::move(oldest));
    }
}

void Reader::drainJobs()
{
    if (!m_worker) return;
    while (std::unique_ptr<TextJob> job = m_worker->popFront()) {
        if (!m_stopped) replayJob(*job);
        pieceDone(*job);
        m_worker->giveBack(std::move(job));
    }
}

void Reader::pieceDone(TextJob& job)
{
    if (job.packer && job.piece) m_parallel->pieceDone(*job.packer, *job.piece);
}

void Reader::replayJob(TextJob& job)
{
    if (!checkCancel()) return;
    if (job.hasOverlongFirst) overlongLine(job.overlongFirst);
    const char* const base = job.text.data();
    if (!job.tokenised) { // the worker never started (a file of one piece): the one-line path
        const size_t size = job.text.size();
        size_t pos = 0;
        size_t lastCheck = 0;
        while (pos < size) {
            const auto* nl = static_cast<const char*>(std::memchr(base + pos, '\n', size - pos));
            const size_t len = nl ? static_cast<size_t>(nl - (base + pos)) : size - pos;
            const std::string_view line(base + pos, len);
            if (len > kMaxLine) overlongLine(line.substr(0, static_cast<size_t>(kMaxRaw)));
            else physicalLine(line);
            pos += len + 1;
            if (pos - lastCheck >= kCancelCheckBytes) {
                lastCheck = pos;
                if (!checkCancel()) return;
            }
        }
        return;
    }
    size_t lastCheck = 0;
    for (const TextJob::Line& l : job.lines) {
        if (l.begin - lastCheck >= kCancelCheckBytes) { // as often as the one-thread reader
            lastCheck = l.begin;
            if (!checkCancel()) return;
        }
        if (l.record >= 0 && job.headerGen == m_headerGen) {
            ++m_line;
            ++m_out.linesRead;
            ++m_out.records;
            m_seen |= l.seen;
            if (job.packer) {
                m_parallel->packed(*job.packer, *job.piece, static_cast<size_t>(l.record), m_line);
            } else {
                FlowRecord& rec = job.records[static_cast<size_t>(l.record)];
                rec.line = m_line;
                m_sink.record(rec);
            }
            continue;
        }
        const std::string_view line(base + l.begin, l.size);
        if (line.size() > kMaxLine) overlongLine(line.substr(0, static_cast<size_t>(kMaxRaw)));
        else physicalLine(line);
    }
}

} // namespace core::detail
