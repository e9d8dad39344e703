// GzipDecoder decoding straight into the caller's buffers (GzipDecoder::Target, used by the
// gzip thread of a load): the same bytes, pieces, state and error as decoding into the
// decoder's own buffer, and a buffer handed to the Output callback is never written again.
// Each handed-over buffer is kept aside untouched and only read after the whole stream is
// decoded, so a decoder that kept writing into it would show as different bytes. Oracle: the
// original text (zlib compressed it in the test) and the decoder's own-buffer mode.
#include "core/ingest/gzip.h"
#include "tests/gziptestutil.h"

#include <QRandomGenerator>
#include <QTest>

#include <cstring>
#include <memory>
#include <vector>

using namespace core;

namespace {

/// Text lines of varied length (compressible like a log).
QByteArray text(int lines, quint32 seed)
{
    QRandomGenerator rng(seed);
    QByteArray out;
    for (int i = 0; i < lines; ++i) {
        out += "line " + QByteArray::number(i) + ' ';
        out += QByteArray(static_cast<int>(rng.bounded(200)), static_cast<char>('a' + rng.bounded(26)));
        out += ' ' + QByteArray::number(rng.generate()) + '\n';
    }
    return out;
}

struct Decoded {
    QByteArray bytes;
    std::vector<qsizetype> pieces; ///< size of each Output call
    GzipDecoder::State state = GzipDecoder::State::Running;
    QString error;
    int members = 0;
};

/// Feeds `gz` in pieces of `feedBytes` to a decoder with output chunks of `chunk` bytes.
Decoded decode(const QByteArray& gz, qsizetype feedBytes, size_t chunk, bool target)
{
    GzipDecoder d(chunk);
    Decoded r;
    std::vector<std::unique_ptr<char[]>> handedOver; // read only at the end
    std::vector<std::pair<const char*, size_t>> views;
    std::unique_ptr<char[]> current;
    const GzipDecoder::Target give = [&] {
        if (!current) {
            current.reset(new char[chunk]);
            std::memset(current.get(), '#', chunk);
        }
        return current.get();
    };
    const GzipDecoder::Output out = [&](std::string_view v) {
        r.pieces.push_back(static_cast<qsizetype>(v.size()));
        if (!target) {
            r.bytes.append(v.data(), static_cast<qsizetype>(v.size()));
            return true;
        }
        if (v.data() != current.get()) return false; // not the buffer it was given
        views.emplace_back(v.data(), v.size());
        handedOver.push_back(std::move(current)); // the next target() call gives a new one
        return true;
    };
    for (qsizetype at = 0; at < gz.size(); at += feedBytes) {
        const std::string_view in(gz.constData() + at, static_cast<size_t>(std::min(feedBytes, gz.size() - at)));
        if (!(target ? d.feed(in, out, give) : d.feed(in, out))) break;
    }
    r.state = d.finish();
    r.error = d.error();
    r.members = d.members();
    for (const auto& [p, n] : views) r.bytes.append(p, static_cast<qsizetype>(n));
    return r;
}

} // namespace

class TestGzipTarget : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sameAsOwnBuffer_data()
    {
        QTest::addColumn<QByteArray>("gz");
        QTest::addColumn<QByteArray>("plain"); // expected bytes (empty: only compare the two modes)
        QTest::addColumn<qsizetype>("feedBytes");
        QTest::addColumn<int>("chunk");
        QTest::addColumn<QString>("error"); // part of the expected error, empty for none
        const QByteArray a = text(6000, 1);
        const QByteArray b = text(50, 2);
        const QByteArray c = text(9000, 3);
        const QByteArray gzA = testutil::gzipCompress(a);
        const QByteArray gzB = testutil::gzipCompress(b);
        const QByteArray gzC = testutil::gzipCompress(c, 1);
        QTest::newRow("one member, 1 MiB reads") << gzA << a << qsizetype{1 << 20} << (256 << 10) << QString();
        QTest::newRow("one member, 7-byte reads") << gzA << a << qsizetype{7} << 4096 << QString();
        QTest::newRow("small member between two large, boundaries inside a piece")
            << gzA + gzB + gzC << a + b + c << qsizetype{1 << 20} << (256 << 10) << QString();
        QTest::newRow("members, 1000-byte reads, 4 KiB pieces")
            << gzA + gzB + gzC << a + b + c << qsizetype{1000} << 4096 << QString();
        QTest::newRow("zero padding between members")
            << gzB + QByteArray(37, '\0') + gzA << b + a << qsizetype{4093} << 8192 << QString();
        QTest::newRow("empty member in the middle")
            << gzB + testutil::gzipCompress(QByteArray()) + gzB << b + b << qsizetype{64} << 4096 << QString();
        QTest::newRow("truncated inside the data")
            << gzA.left(gzA.size() / 2) << QByteArray() << qsizetype{1 << 16} << 4096 << QStringLiteral("truncated");
        QTest::newRow("truncated in the trailer")
            << gzA.left(gzA.size() - 3) << QByteArray() << qsizetype{1 << 20} << (256 << 10) << QStringLiteral("truncated");
        QByteArray corrupt = gzA;
        for (qsizetype i = corrupt.size() / 2; i < corrupt.size() / 2 + 64; ++i) corrupt[i] = static_cast<char>(~corrupt[i]);
        QTest::newRow("corrupt data") << corrupt << QByteArray() << qsizetype{1 << 20} << (256 << 10)
                                      << QStringLiteral("corrupt");
        QTest::newRow("garbage after a member") << gzB + QByteArray("not gzip\n") << QByteArray() << qsizetype{1 << 20} << 4096
                                                << QStringLiteral("after gzip member");
    }
    void sameAsOwnBuffer()
    {
        QFETCH(QByteArray, gz);
        QFETCH(QByteArray, plain);
        QFETCH(qsizetype, feedBytes);
        QFETCH(int, chunk);
        QFETCH(QString, error);
        const Decoded own = decode(gz, feedBytes, static_cast<size_t>(chunk), false);
        const Decoded direct = decode(gz, feedBytes, static_cast<size_t>(chunk), true);
        QCOMPARE(direct.bytes.size(), own.bytes.size());
        QVERIFY(direct.bytes == own.bytes);
        QCOMPARE(direct.pieces, own.pieces);
        QCOMPARE(static_cast<int>(direct.state), static_cast<int>(own.state));
        QCOMPARE(direct.error, own.error);
        QCOMPARE(direct.members, own.members);
        if (!plain.isEmpty()) QVERIFY(direct.bytes == plain);
        if (error.isEmpty()) {
            QCOMPARE(static_cast<int>(direct.state), static_cast<int>(GzipDecoder::State::Finished));
        } else {
            QCOMPARE(static_cast<int>(direct.state), static_cast<int>(GzipDecoder::State::Error));
            QVERIFY2(direct.error.contains(error), qPrintable(direct.error));
        }
        for (qsizetype p : direct.pieces) QVERIFY(p > 0 && p <= chunk);
    }
};

QTEST_GUILESS_MAIN(TestGzipTarget)
#include "tst_gzip_target.moc"
