#include "core/ingest/gzip.h"

#include <climits>
#include <memory>
#include <zlib.h>

namespace core {

bool isGzip(std::string_view data)
{
    return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f && static_cast<unsigned char>(data[1]) == 0x8b;
}

struct GzipDecoder::Impl {
    z_stream z{};
    bool initialised = false;
    std::unique_ptr<unsigned char[]> buffer; ///< not zero-filled
    size_t size = 0;
    ~Impl()
    {
        if (initialised) inflateEnd(&z);
    }
};

GzipDecoder::GzipDecoder(size_t outputChunk) : m_impl(std::make_unique<Impl>())
{
    m_impl->size = outputChunk < 4096 ? 4096 : outputChunk;
    m_impl->buffer.reset(new unsigned char[m_impl->size]);
}

GzipDecoder::~GzipDecoder() = default;

bool GzipDecoder::feed(std::string_view input, const Output& out)
{
    return feed(input, out, Target());
}

bool GzipDecoder::feed(std::string_view input, const Output& out, const Target& target)
{
    if (m_state != State::Running) return false;
    z_stream& z = m_impl->z;
    auto* p = reinterpret_cast<const unsigned char*>(input.data());
    size_t left = input.size();
    for (;;) {
        if (!m_inMember) {
            if (left == 0) break;
            if (m_members > 0 && *p == 0) { // zero padding after a member (seen from some writers)
                ++p;
                --left;
                ++m_in;
                continue;
            }
            if (*p != 0x1f) {
                m_state = State::Error;
                m_error =
                    m_members == 0
                        ? QStringLiteral("not gzip data")
                        : QStringLiteral("unexpected data after gzip member %1 at byte %2 (ignored)").arg(m_members).arg(m_in);
                return false;
            }
            if (!m_impl->initialised) {
                if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
                    m_state = State::Error;
                    m_error = QStringLiteral("zlib initialisation failed");
                    return false;
                }
                m_impl->initialised = true;
            } else {
                inflateReset(&z);
            }
            m_inMember = true;
        }
        const uInt chunkIn = static_cast<uInt>(std::min<size_t>(left, UINT_MAX));
        z.next_in = const_cast<Bytef*>(p);
        z.avail_in = chunkIn;
        unsigned char* const buffer = target ? reinterpret_cast<unsigned char*>(target()) : m_impl->buffer.get();
        z.next_out = buffer;
        z.avail_out = static_cast<uInt>(m_impl->size);
        const int rc = inflate(&z, Z_NO_FLUSH);
        const size_t consumed = chunkIn - z.avail_in;
        const size_t produced = m_impl->size - z.avail_out;
        p += consumed;
        left -= consumed;
        m_in += consumed;
        if (produced > 0) {
            m_out += produced;
            if (!out(std::string_view(reinterpret_cast<const char*>(buffer), produced))) return false;
        }
        if (rc == Z_STREAM_END) {
            m_inMember = false;
            ++m_members;
            continue;
        }
        if (rc == Z_OK || rc == Z_BUF_ERROR) {
            if (z.avail_out != 0 && left == 0) break; // all input consumed, all output flushed
            if (consumed == 0 && produced == 0) break;
            continue;
        }
        m_state = State::Error;
        m_error = QStringLiteral("gzip data corrupt after %1 bytes (%2 bytes decoded): %3")
                      .arg(m_in)
                      .arg(m_out)
                      .arg(QString::fromLatin1(z.msg ? z.msg : "inflate error"));
        return false;
    }
    return true;
}

GzipDecoder::State GzipDecoder::finish()
{
    if (m_state != State::Running) return m_state;
    if (m_inMember) {
        m_state = State::Error;
        m_error = QStringLiteral("gzip stream truncated after %1 bytes (%2 bytes decoded)").arg(m_in).arg(m_out);
        return m_state;
    }
    m_state = State::Finished;
    return m_state;
}

} // namespace core
