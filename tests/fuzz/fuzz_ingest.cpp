// libFuzzer target: core::readBuffer on arbitrary bytes (header detection, S3 text, CloudWatch
// JSON / NDJSON / export lines / console CSV / subscription DATA_MESSAGE, Athena CSV, gzip),
// plus core::GzipDecoder fed in arbitrary pieces.
//
// Input: byte 0 = control bits, the rest = file content.
//   bits 0-2: the file name given to the reader (extension hints: .log .log.gz .json .csv none)
//   bit 3:    wrap the content in a valid gzip member first (reaches the readers through gzip)
//   bit 4:    run with the cancel flag already set (the reader must stop cleanly)
//   bit 5:    feed the raw content to GzipDecoder in pieces sized by the content itself
#include "core/ingest/gzip.h"
#include "core/ingest/ingest.h"
#include "fuzz_common.h"

#include "tests/gziptestutil.h"
#include <QByteArray>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace {

/// One gzip member holding `in` (zlib is only used to build input, never to check output).
QByteArray gzipWrap(const QByteArray& in)
{
    const QByteArray out = testutil::gzipCompress(in, 1);
    return out.isEmpty() ? in : out;
}

void fuzzGzipDecoder(const QByteArray& in)
{
    core::GzipDecoder dec(4096);
    uint64_t seen = 0;
    unsigned hash = 0;
    const auto out = [&](std::string_view piece) {
        FUZZ_CHECK(piece.size() <= 4096, "output pieces are at most outputChunk bytes");
        hash += fuzz::touch(piece);
        seen += piece.size();
        return seen < (64u << 20); // stop runaway bombs
    };
    qsizetype pos = 0;
    unsigned step = 1;
    while (pos < in.size()) {
        // piece sizes vary with the data so split points inside headers/trailers get covered
        step = (step * 1103515245u + static_cast<unsigned char>(in[pos])) % 97u + 1u;
        const qsizetype n = std::min<qsizetype>(static_cast<qsizetype>(step), in.size() - pos);
        if (!dec.feed(std::string_view(in.constData() + pos, static_cast<size_t>(n)), out)) break;
        pos += n;
    }
    const auto state = dec.finish();
    FUZZ_CHECK(dec.decodedOut() == seen || state == core::GzipDecoder::State::Error || seen >= (64u << 20),
               "decodedOut equals the bytes handed out");
    FUZZ_CHECK(dec.compressedIn() <= static_cast<uint64_t>(in.size()), "compressedIn never exceeds the input");
    if (state == core::GzipDecoder::State::Error) FUZZ_CHECK(!dec.error().isEmpty(), "errors have a message");
    (void)hash;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1) return 0;
    if (size > (1u << 20)) return 0;
    const unsigned control = data[0];
    QByteArray content(reinterpret_cast<const char*>(data) + 1, static_cast<qsizetype>(size - 1));

    static const char* const kNames[] = {"fuzz.log", "fuzz.log.gz",  "fuzz.json", "fuzz.csv",
                                         "fuzz",     "fuzz.json.gz", "fuzz.txt",  "fuzz.gz"};
    const QString name = QString::fromLatin1(kNames[control & 7u]);

    if (control & 32u) {
        fuzzGzipDecoder(content);
        return 0;
    }
    if (control & 8u) content = gzipWrap(content);

    std::atomic<bool> cancel{(control & 16u) != 0};
    core::ReadOptions options;
    options.cancel = &cancel;
    fuzz::CountingSink sink;
    const core::FileOutcome o = core::readBuffer(content, name, options, sink);
    fuzz::checkOutcome(o, sink, content.size());
    if (o.fatal) FUZZ_CHECK(o.fatal->file == name, "a fatal error names the file");
    return 0;
}
