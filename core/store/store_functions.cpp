// The SQL functions decoding the physical schema behind the `flows` view (fl_text, fl_str,
// fl_addr, fl_twin, fl_etwin) and fl_visit, the aggregation scans' row callback.
#include "core/store/store_impl.h"

#include <sqlite3.h>

namespace core {

// ---------------------------------------------------------------------------------------
// SQL functions decoding the physical schema

namespace {

Store::Impl* implOf(sqlite3_context* ctx)
{
    return static_cast<Store::Impl*>(sqlite3_user_data(ctx));
}

// fl_text(ctx, slot): text field `slot` of context `ctx`.
void flText(sqlite3_context* c, int, sqlite3_value** argv)
{
    const Store::Impl* impl = implOf(c);
    const sqlite3_int64 ctx = sqlite3_value_int64(argv[0]);
    const sqlite3_int64 slot = sqlite3_value_int64(argv[1]);
    if (ctx < 0 || static_cast<size_t>(ctx) >= impl->contextCount() || slot < 0
        || slot >= static_cast<sqlite3_int64>(SchemaSlots::get().textFields.size())) {
        return; // NULL
    }
    const StringCode code = impl->contextValue(ContextCode(static_cast<uint32_t>(ctx)), static_cast<int>(slot));
    if (code.get() == 0) return;
    const std::string& s = impl->string(code);
    sqlite3_result_text(c, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
}

// fl_str(code): a string-pool entry (extras).
void flStr(sqlite3_context* c, int, sqlite3_value** argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
    const Store::Impl* impl = implOf(c);
    const sqlite3_int64 code = sqlite3_value_int64(argv[0]);
    if (code <= 0 || static_cast<size_t>(code) >= impl->stringCount()) return;
    const std::string& s = impl->string(StringCode(static_cast<uint32_t>(code)));
    sqlite3_result_text(c, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
}

// fl_addr(raw): address text.
void flAddr(sqlite3_context* c, int, sqlite3_value** argv)
{
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
    char buf[64];
    const int n = implOf(c)->decodeAddress(sqlite3_value_int64(argv[0]), buf);
    if (n < 0) return;
    sqlite3_result_text(c, buf, n, SQLITE_TRANSIENT);
}

// fl_twin(id): id of the twin record or NULL.
void flTwin(sqlite3_context* c, int, sqlite3_value** argv)
{
    const int64_t t = implOf(c)->twinOf(RecordId(sqlite3_value_int64(argv[0]))).get();
    if (t > 0) sqlite3_result_int64(c, t);
}

// fl_etwin(ctx, id): the twin id if this is an egress record with a twin, else NULL.
void flEgressTwin(sqlite3_context* c, int, sqlite3_value** argv)
{
    const Store::Impl* impl = implOf(c);
    const sqlite3_int64 ctx = sqlite3_value_int64(argv[0]);
    if (ctx < 0 || static_cast<size_t>(ctx) >= impl->contextCount()) return;
    if (!impl->isEgressContext(ContextCode(static_cast<uint32_t>(ctx)))) return;
    const int64_t t = impl->twinOf(RecordId(sqlite3_value_int64(argv[1]))).get();
    if (t > 0) sqlite3_result_int64(c, t);
}

// fl_visit(visitor, ...): aggregate calling RowVisitor::row for each row. The visitor is
// bound with sqlite3_bind_pointer, so user SQL cannot forge one.
void flVisitStep(sqlite3_context* c, int argc, sqlite3_value** argv)
{
    auto* v = static_cast<RowVisitor*>(sqlite3_value_pointer(argv[0], kRowVisitorType));
    if (v && !v->row(argc, argv)) sqlite3_result_error(c, "cancelled", -1);
}

void flVisitFinal(sqlite3_context* c)
{
    sqlite3_result_null(c);
}

} // namespace

void registerStoreFunctions(sqlite3* db, Store::Impl* impl)
{
    const int det = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    sqlite3_create_function_v2(db, "fl_text", 2, det, impl, flText, nullptr, nullptr, nullptr);
    sqlite3_create_function_v2(db, "fl_str", 1, det, impl, flStr, nullptr, nullptr, nullptr);
    sqlite3_create_function_v2(db, "fl_addr", 1, det, impl, flAddr, nullptr, nullptr, nullptr);
    // twin_id changes when a later load adds the other side: not deterministic.
    sqlite3_create_function_v2(db, "fl_twin", 1, SQLITE_UTF8 | SQLITE_INNOCUOUS, impl, flTwin, nullptr, nullptr, nullptr);
    sqlite3_create_function_v2(db, "fl_etwin", 2, SQLITE_UTF8 | SQLITE_INNOCUOUS, impl, flEgressTwin, nullptr, nullptr, nullptr);
    sqlite3_create_function_v2(db, "fl_visit", -1, SQLITE_UTF8 | SQLITE_DIRECTONLY, impl, nullptr, flVisitStep, flVisitFinal,
                               nullptr);
}

} // namespace core
