#pragma once
// Streaming gzip decoding (zlib) with multi-member support and precise truncation reports.
#include <QString>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

namespace core {

/// True if `data` starts with the gzip magic bytes 1f 8b.
bool isGzip(std::string_view data);

/// Incremental gzip decoder. Feed compressed bytes in any pieces; decoded bytes go to the
/// output callback in pieces of at most outputChunk bytes. Concatenated members are decoded
/// one after another. One thread at a time.
class GzipDecoder {
public:
    enum class State { Running, Finished, Error };
    /// Receives decoded bytes; return false to stop decoding (e.g. cancelled).
    using Output = std::function<bool(std::string_view)>;
    /// Where the next decoded bytes go instead of the decoder's own buffer: a buffer of at
    /// least outputChunk bytes, owned by the caller. The Output callback then receives a view
    /// into it, after which the decoder never touches it again (so the caller may hand it to
    /// another thread); a buffer that received nothing is asked for again.
    using Target = std::function<char*()>;

    explicit GzipDecoder(size_t outputChunk = 1 << 20);
    ~GzipDecoder();
    GzipDecoder(const GzipDecoder&) = delete;
    GzipDecoder& operator=(const GzipDecoder&) = delete;

    /// Decodes `input`. Returns false if decoding stopped (output returned false, or a data
    /// error: see state()/error()).
    bool feed(std::string_view input, const Output& out);
    /// As feed(input, out), decoding straight into the buffers `target` gives (no copy).
    bool feed(std::string_view input, const Output& out, const Target& target);
    /// Call after the last input. Returns the final state; if the stream ended inside a
    /// member, state() is Error and error() says "gzip stream truncated after N bytes".
    State finish();

    State state() const { return m_state; }
    QString error() const { return m_error; }
    uint64_t compressedIn() const { return m_in; }
    uint64_t decodedOut() const { return m_out; }
    int members() const { return m_members; }

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    State m_state = State::Running;
    QString m_error;
    uint64_t m_in = 0;
    uint64_t m_out = 0;
    int m_members = 0;
    /// A member's header has started and its end is not reached. Between members only zero
    /// padding or another member may follow.
    bool m_inMember = false;
};

} // namespace core
