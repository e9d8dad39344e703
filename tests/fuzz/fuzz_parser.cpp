// libFuzzer target: the pure record parser (core/parser.h) with each layout, and readBuffer
// on the same text with the matching option.
//
// Input: byte 0 selects the layout (mod 4): 0 TGW default, 1 VPC default, 2 header-driven
// (the first line is the header), 3 user format (the first line is a format string).
// The rest is lines of records.
#include "core/ingest/ingest.h"
#include "core/ingest/parser.h"
#include "fuzz_common.h"

#include <QByteArray>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

/// Checks the per-record contract after a successful parse with `layout`.
void checkParsed(const core::FlowRecord& rec, const core::Layout& layout, int tokenCount)
{
    FUZZ_CHECK(tokenCount == layout.size(), "an accepted line has exactly the layout's field count");
    for (const core::LayoutColumn& c : layout.columns) {
        if (c.kind == core::ColumnKind::Extra || !rec.has(c.field)) continue;
        switch (c.kind) {
        case core::ColumnKind::Integer:
        case core::ColumnKind::Time:
            FUZZ_CHECK(rec.integer(c.field) >= 0, "integers are non-negative");
            break;
        case core::ColumnKind::Address: {
            const std::string_view a = rec.text(c.field);
            FUZZ_CHECK(core::isIPv4(a) || core::isIPv6(a), "addresses pass the syntax check");
            break;
        }
        case core::ColumnKind::Text:
            FUZZ_CHECK(!rec.text(c.field).empty() && rec.text(c.field) != "-", "text values are not '-' or empty");
            break;
        case core::ColumnKind::Extra:
            break;
        }
    }
}

void exerciseHelpers(std::string_view line)
{
    std::string_view tokens[core::kMaxTokens];
    const int n = core::splitFields(line, tokens, core::kMaxTokens);
    FUZZ_CHECK(n >= 0, "token count non-negative");
    const auto shown = static_cast<size_t>(std::min(n, core::kMaxTokens));
    const std::span<const std::string_view> span(tokens, shown);
    unsigned h = 0;
    for (std::string_view t : span) {
        FUZZ_CHECK(!t.empty(), "split tokens are non-empty");
        FUZZ_CHECK(t.find(' ') == std::string_view::npos && t.find('\t') == std::string_view::npos,
                   "split tokens hold no separators");
        h += core::isIPv4(t) ? 1u : 0u;
        h += core::isIPv6(t) ? 2u : 0u;
        h += core::findField(t) ? 4u : 0u;
    }
    (void)h;
    (void)core::looksLikeHeader(span);
    if (const core::Layout* guessed = core::guessHeaderless(span)) {
        core::FlowRecord rec;
        if (core::parseTokens(span, *guessed, rec)) checkParsed(rec, *guessed, n);
    }
    bool stripped = false;
    const std::string_view rest = core::stripIsoTimestamp(line, &stripped);
    FUZZ_CHECK(stripped || rest.data() == line.data(), "unstripped lines are returned unchanged");
    FUZZ_CHECK(rest.size() <= line.size(), "stripping never grows the line");
    (void)core::isBlank(line);
    FUZZ_CHECK(core::trimLine(line).size() <= line.size(), "trimming never grows the line");
}

int extraIndex(std::string_view)
{
    return 0;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1) return 0;
    const int mode = data[0] % 4;
    // Keep the input in its own heap block so out-of-bounds reads are caught by ASan.
    const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    std::string_view rest(text);

    core::Layout layout;
    core::ReadOptions options;
    switch (mode) {
    case 0:
        layout = core::tgwDefault();
        break;
    case 1:
        layout = core::vpcDefault();
        break;
    case 2:
    case 3: {
        const size_t nl = rest.find('\n');
        const std::string_view first = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
        if (mode == 2) {
            std::vector<std::string_view> names(core::kMaxTokens);
            const int n = core::splitFields(core::trimLine(first), names.data(), core::kMaxTokens);
            names.resize(static_cast<size_t>(std::min(n, core::kMaxTokens)));
            layout = core::Layout::fromNames(names, core::Layout::Source::Header, extraIndex);
        } else {
            options.format = QString::fromUtf8(first.data(), static_cast<qsizetype>(first.size()));
            const auto fields = core::parseFormatString(options.format);
            if (fields.ok()) {
                FUZZ_CHECK(!fields->isEmpty(), "a parsed format has fields");
                std::vector<QByteArray> utf8;
                for (const QString& f : fields.value()) utf8.push_back(f.toUtf8());
                std::vector<std::string_view> names;
                for (const QByteArray& b : utf8) names.emplace_back(b.constData(), static_cast<size_t>(b.size()));
                layout = core::Layout::fromNames(names, core::Layout::Source::UserFormat, extraIndex);
            } else {
                FUZZ_CHECK(!fields.error().message.isEmpty(), "format errors have a message");
            }
        }
        break;
    }
    }

    // 1. The pure parser, line by line.
    core::FlowRecord rec;
    std::string_view lines = rest;
    while (!lines.empty()) {
        const size_t nl = lines.find('\n');
        const std::string_view line = lines.substr(0, nl);
        lines = nl == std::string_view::npos ? std::string_view() : lines.substr(nl + 1);
        exerciseHelpers(line);
        if (layout.empty()) continue;
        const core::ParseResult r = core::parseLine(line, layout, rec);
        if (r.ok()) {
            std::string_view tokens[core::kMaxTokens];
            checkParsed(rec, layout, core::splitFields(core::trimLine(line), tokens, core::kMaxTokens));
        }
    }

    // 2. The same text through the reader (header detection, headerless guess, format option).
    QByteArray buffer;
    if (mode == 2) buffer = QByteArray(text.data(), static_cast<qsizetype>(text.size()));
    else buffer = QByteArray(rest.data(), static_cast<qsizetype>(rest.size()));
    fuzz::CountingSink sink;
    const core::FileOutcome o = core::readBuffer(buffer, QStringLiteral("fuzz.log"), options, sink);
    fuzz::checkOutcome(o, sink, buffer.size());
    return 0;
}
