#pragma once
// Shared helpers for the libFuzzer targets: a counting RecordSink that touches every view it
// is handed (so ASan sees dangling views) and an invariant check that aborts with a message.
// Set FLOWLOG_FUZZ_NO_INVARIANTS=1 to keep fuzzing past a known invariant violation.
#include "core/ingest/ingest.h"
#include "core/model/record.h"

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace fuzz {

inline bool invariantsEnabled()
{
    static const bool enabled = std::getenv("FLOWLOG_FUZZ_NO_INVARIANTS") == nullptr;
    return enabled;
}

/// Aborts (a libFuzzer crash) when an invariant of a core API does not hold.
#define FUZZ_CHECK(cond, what)                                                                                                   \
    do {                                                                                                                         \
        if (fuzz::invariantsEnabled() && !(cond)) {                                                                              \
            std::fprintf(stderr, "FUZZ INVARIANT VIOLATED: %s (%s) at %s:%d\n", what, #cond, __FILE__, __LINE__);                \
            std::abort();                                                                                                        \
        }                                                                                                                        \
    } while (0)

/// Reads every byte of a view so that a view into freed or foreign memory is reported by ASan.
inline unsigned touch(std::string_view v)
{
    unsigned h = 0;
    for (char c : v) h = h * 31u + static_cast<unsigned char>(c);
    return h;
}

/// Counts what a reader produces and checks the per-record contract of record.h.
class CountingSink : public core::RecordSink {
public:
    qint64 records = 0;
    qint64 rejected = 0;
    qint64 lastProgress = -1;
    int extras = 0;
    unsigned hash = 0;

    void record(const core::FlowRecord& r) override
    {
        ++records;
        FUZZ_CHECK(r.line >= 1, "record line is 1-based");
        hash += touch(r.raw);
        for (int i = 0; i < core::kFieldCount; ++i) {
            if (!r.present.test(static_cast<size_t>(i))) continue;
            const auto& info = core::fieldInfo(static_cast<core::FieldId>(i));
            if (info.type == core::FieldType::Integer) {
                FUZZ_CHECK(r.ints[static_cast<size_t>(i)] >= 0, "integer fields are non-negative");
            } else {
                hash += touch(r.texts[static_cast<size_t>(i)]);
            }
        }
        for (const auto& [idx, text] : r.extras) {
            FUZZ_CHECK(idx >= 0 && idx < extras, "extra column index came from extraColumn()");
            hash += touch(text);
        }
    }
    void reject(const core::Rejection& r) override
    {
        ++rejected;
        FUZZ_CHECK(r.line >= 1, "rejection line is 1-based");
        FUZZ_CHECK(!r.reason.isEmpty(), "rejection has a reason");
        FUZZ_CHECK(r.raw.size() <= 4096 + 3, "rejection raw text truncated to 4096 characters");
    }
    int extraColumn(std::string_view headerToken) override
    {
        hash += touch(headerToken);
        return extras++;
    }
    void progress(qint64 fileBytesRead) override
    {
        FUZZ_CHECK(fileBytesRead >= lastProgress, "progress never goes backwards");
        lastProgress = fileBytesRead;
    }
};

/// Checks the FileOutcome contract of ingest.h against what the sink saw.
inline void checkOutcome(const core::FileOutcome& o, const CountingSink& sink, qint64 inputSize)
{
    FUZZ_CHECK(o.records == sink.records, "FileOutcome::records == records delivered");
    FUZZ_CHECK(o.rejected == sink.rejected, "FileOutcome::rejected == rejections delivered");
    FUZZ_CHECK(o.records >= 0 && o.rejected >= 0 && o.skipped >= 0, "counts non-negative");
    FUZZ_CHECK(o.linesRead == o.records + o.rejected + o.skipped, "linesRead == records + rejected + skipped");
    FUZZ_CHECK(sink.lastProgress <= inputSize, "progress bytes never exceed the input size");
    if (o.fatal) FUZZ_CHECK(!o.fatal->message.isEmpty(), "a fatal error has a message");
}

} // namespace fuzz
