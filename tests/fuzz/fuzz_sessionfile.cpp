// libFuzzer target: core::openSessionBuffer on arbitrary bytes (a session file, .flowlog, is
// an SQLite database from anywhere). Checks: never a crash or a sanitizer report; a refusal
// always says why; an accepted session gives a working store (counts, edges, an export query).
#include "core/analysis/aggregate.h"
#include "core/sessionfile/sessionfile.h"
#include "fuzz_common.h"

#include <QByteArray>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size > (4u << 20)) return 0;
    const QByteArray bytes(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    auto opened = core::openSessionBuffer(bytes, QStringLiteral("fuzz.flowlog"));
    if (!opened.ok()) {
        FUZZ_CHECK(!opened.error().message.isEmpty(), "a refused session says why");
        return 0;
    }
    core::Store& store = *opened->store;
    const qint64 records = store.recordCount();
    FUZZ_CHECK(records >= 0, "record count");
    auto edges = core::computeEdges(store, {}, core::EdgeDimension::Attachment);
    (void)edges;
    if (auto st = store.prepare(QStringLiteral("SELECT * FROM flows")); st.ok()) {
        qint64 rows = 0;
        while (st->next()) {
            for (int c = 0; c < st->columnCount(); ++c) (void)st->value(c);
            ++rows;
        }
        FUZZ_CHECK(!st->error().isEmpty() || rows == records, "every record is readable");
    }
    return 0;
}
