// splitFields (core/ingest/parser.h), the per-line field splitter of every text record: its
// 64-byte blocks, and the last 1-63 bytes read as one more space-padded block, must give the
// same tokens (as views into the line) and count as a byte-by-byte splitter, for every line
// length around the block edges, tokens that run to the end of the line, tabs, runs of
// separators, and more tokens than `max`. Oracle: the naive splitter below.
#include "core/ingest/parser.h"

#include <QRandomGenerator>
#include <QTest>

#include <vector>

using namespace core;

namespace {

/// Byte by byte: tokens are runs of bytes other than ' ' and '\t'.
int naiveSplit(std::string_view line, std::vector<std::string_view>& out, int max)
{
    out.clear();
    int n = 0;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        if (i == line.size()) break;
        const size_t b = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
        if (n < max) out.push_back(line.substr(b, i - b));
        ++n;
    }
    return n;
}

/// A line of `len` bytes: tokens of 1-`maxToken` bytes (letters, digits, '\r', NUL, high bytes)
/// and separators (space or tab, runs of 1-3); `edge` says what the last byte is.
QByteArray makeLine(QRandomGenerator& rng, int len, int maxToken, char edge)
{
    QByteArray l;
    const char alphabet[] = {'a', 'Z', '0', '9', '-', '.', ':', '\r', '\0', '\xC3', '\xA9', '\n'};
    bool sep = rng.bounded(2) == 0;
    while (l.size() < len) {
        const int run = sep ? 1 + static_cast<int>(rng.bounded(3)) : 1 + static_cast<int>(rng.bounded(maxToken));
        for (int k = 0; k < run && l.size() < len; ++k)
            l += sep ? (rng.bounded(4) == 0 ? '\t' : ' ') : alphabet[rng.bounded(static_cast<quint32>(sizeof alphabet))];
        sep = !sep;
    }
    if (len > 0 && edge != 0) l[len - 1] = edge;
    return l;
}

} // namespace

class TestSplitFields : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sameAsNaive_data()
    {
        QTest::addColumn<int>("length");
        QTest::addColumn<int>("maxToken");
        QTest::addColumn<int>("max");
        QTest::addColumn<char>("edge"); // last byte forced to this (0: as generated)
        for (int len : {0, 1, 2, 15, 16, 17, 62, 63, 64, 65, 66, 127, 128, 129, 191, 192, 193, 370, 1000}) {
            for (char edge : {char(0), 'x', ' ', '\t'}) {
                const QByteArray name = "length " + QByteArray::number(len) + ", last byte "
                                        + (edge == 0      ? QByteArray("any")
                                           : edge == ' '  ? QByteArray("space")
                                           : edge == '\t' ? QByteArray("tab")
                                                          : QByteArray("a token byte"));
                QTest::newRow(name.constData()) << len << 12 << kMaxTokens << edge;
            }
        }
        QTest::newRow("one token of 200 bytes") << 200 << 400 << kMaxTokens << 'x';
        QTest::newRow("one-byte tokens, length 130") << 130 << 1 << kMaxTokens << char(0);
        QTest::newRow("more tokens than max (5)") << 300 << 4 << 5 << char(0);
        QTest::newRow("max 0") << 100 << 4 << 0 << 'x';
        QTest::newRow("long lines, long tokens") << 5000 << 90 << kMaxTokens << 'x';
    }
    void sameAsNaive()
    {
        QFETCH(int, length);
        QFETCH(int, maxToken);
        QFETCH(int, max);
        QFETCH(char, edge);
        QRandomGenerator rng(static_cast<quint32>(length * 131 + maxToken * 7 + max + edge));
        std::vector<std::string_view> expected;
        std::vector<std::string_view> got(static_cast<size_t>(std::max(max, 1)));
        for (int trial = 0; trial < 300; ++trial) {
            // The line sits inside a larger buffer, so a read past its end would find token bytes.
            const QByteArray line = makeLine(rng, length, maxToken, edge);
            const QByteArray buffer = line + QByteArray(80, 'q');
            const std::string_view view(buffer.constData(), static_cast<size_t>(line.size()));
            const int n = splitFields(view, got.data(), max);
            const int want = naiveSplit(view, expected, max);
            QCOMPARE(n, want);
            for (size_t k = 0; k < expected.size(); ++k) {
                QCOMPARE(got[k].data(), expected[k].data()); // a view into the line itself
                QCOMPARE(got[k].size(), expected[k].size());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestSplitFields)
#include "tst_split_fields.moc"
