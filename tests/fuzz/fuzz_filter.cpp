// libFuzzer target: the filter language. compileFilter() on arbitrary text; every filter that
// compiles must also run as SQL against a small store without an SQL error (a compile that
// produces bad SQL is a bug). Also checks validateFilter() agrees with compileFilter(), and
// that filterTerm()/quoteFilterValue()/combineFilters() always produce filters that compile.
//
// Input: byte 0 = control bits, the rest = UTF-8 filter text.
//   bit 0: compile with table alias "t" (and run as "FROM flows t")
//   bit 1: number parameters from 5 instead of 1
//   bit 2: also treat the text as a cell value: filterTerm(<field>, text) must compile
#include "core/ingest/loader.h"
#include "core/query/filter.h"
#include "core/store/store.h"
#include "fuzz_common.h"

#include <QByteArray>
#include <QString>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace {

const char kRecords[] =
    "version resource-type account-id tgw-id tgw-attachment-id tgw-pair-attachment-id srcaddr dstaddr "
    "srcport dstport protocol packets bytes start end log-status flow-direction tcp-flags action custom-note\n"
    "6 TransitGateway 123456789012 tgw-0aa tgw-attach-01 tgw-attach-02 10.1.2.3 10.2.3.4 49152 443 6 10 5000 "
    "1700000000 1700000060 OK ingress 19 ACCEPT hello\n"
    "6 TransitGateway 123456789012 tgw-0aa tgw-attach-02 tgw-attach-01 10.1.2.3 10.2.3.4 49152 443 6 10 5000 "
    "1700000000 1700000060 OK egress 19 ACCEPT -\n"
    "6 TransitGateway 123456789012 tgw-0aa tgw-attach-03 - 2600:1f18::10 fd00::1 53 53 17 1 80 "
    "1700000120 1700000180 OK ingress - REJECT x\n"
    "6 TransitGateway - - - - - - - - - - - 1700000200 1700000260 NODATA - - - -\n";

core::Store* store()
{
    static std::unique_ptr<core::Store> s = [] {
        auto created = core::Store::create();
        if (!created.ok()) {
            std::fprintf(stderr, "Store::create failed: %s\n", qPrintable(created.error().toString()));
            std::abort();
        }
        std::unique_ptr<core::Store> st = std::move(created.value());
        core::LoadOptions options;
        const core::LoadReport r = core::loadBuffer(*st, QByteArray(kRecords), QStringLiteral("seed.log"), options);
        if (r.records != 4) {
            std::fprintf(stderr, "fuzz_filter: seed store has %lld records (expected 4): %s\n", static_cast<long long>(r.records),
                         r.rejections.empty() ? "" : qPrintable(r.rejections.front().reason));
        }
        return st;
    }();
    return s.get();
}

/// Runs a compiled filter; returns the SQL error ("" if none).
QString runFilter(const core::FilterSql& f, bool alias)
{
    const QString sql = alias ? QStringLiteral("SELECT count(*) FROM flows t WHERE ") + f.where
                              : QStringLiteral("SELECT count(*) FROM flows WHERE ") + f.where;
    auto stmt = store()->prepare(sql);
    if (!stmt.ok()) return QStringLiteral("prepare: ") + stmt.error().message + QStringLiteral(" in ") + sql;
    core::Statement& s = stmt.value();
    for (qsizetype i = 0; i < f.params.size(); ++i) s.bind(static_cast<int>(i) + 1, f.params[i]);
    while (s.next()) {}
    return s.error();
}

/// A compiled filter must run; params are numbered from 1 here so they bind positionally.
/// Returns whether it compiled. `mustCompile`: generated filter text that has to be valid.
bool compileAndRun(const QString& expr, const QString& alias, int firstParam, const char* what, bool mustCompile = false)
{
    const auto f = core::compileFilter(expr, alias, firstParam);
    const auto v = core::validateFilter(expr);
    FUZZ_CHECK(f.ok() == !v.has_value(), "validateFilter agrees with compileFilter");
    if (!f.ok() && mustCompile && fuzz::invariantsEnabled()) {
        std::fprintf(stderr, "%s produced a filter that does not compile.\n  filter: %s\n  error: %s\n", what, qPrintable(expr),
                     qPrintable(f.error().toString()));
        std::abort();
    }
    if (!f.ok()) {
        FUZZ_CHECK(!f.error().message.isEmpty(), "filter errors have a message");
        FUZZ_CHECK(f.error().column >= 0 && f.error().column <= expr.size() + 1, "filter error column lies within the text");
        return false;
    }
    if (firstParam != 1) {
        // Renumber by compiling again from 1 so the SQL can bind ?1..?n positionally.
        const auto again = core::compileFilter(expr, alias, 1);
        FUZZ_CHECK(again.ok(), "compiling is independent of firstParam");
        FUZZ_CHECK(again->params.size() == f->params.size(), "parameter count independent of firstParam");
        return true;
    }
    const QString err = runFilter(f.value(), !alias.isEmpty());
    if (!err.isEmpty() && fuzz::invariantsEnabled()) {
        std::fprintf(stderr, "%s: filter compiled but SQL failed.\n  filter: %s\n  where: %s\n  error: %s\n", what,
                     qPrintable(expr), qPrintable(f->where), qPrintable(err));
        std::abort();
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 1 || size > 4096) return 0;
    const unsigned control = data[0];
    const QString text = QString::fromUtf8(reinterpret_cast<const char*>(data) + 1, static_cast<qsizetype>(size - 1));
    const QString alias = (control & 1u) ? QStringLiteral("t") : QString();
    const int firstParam = (control & 2u) ? 5 : 1;

    const bool textOk = compileAndRun(text, alias, firstParam, "compileFilter");

    if (control & 4u) {
        // "Filter on this value" from any cell must produce a valid filter for text fields;
        // for typed fields (address, number) a value of the wrong type may be refused.
        static const char* const kFields[] = {"action", "tgw-attachment-id", "flow-direction", "srcaddr", "bytes"};
        const unsigned pick = (control >> 3) % 5u;
        const QString field = QLatin1String(kFields[pick]);
        const bool textField = pick < 3;
        const QString term = core::filterTerm(field, text, (control & 64u) != 0);
        const bool termOk = compileAndRun(term, alias, 1, "filterTerm", textField);
        compileAndRun(core::combineFilters(term, text, (control & 128u) != 0), alias, 1, "combineFilters", termOk && textOk);
        compileAndRun(QStringLiteral("action == ") + core::quoteFilterValue(text), alias, 1, "quoteFilterValue", true);
    }
    (void)core::parseTimeLiteral(text);
    return 0;
}
