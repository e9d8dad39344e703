// flow_data as a virtual table over the typed columns (the fl_columns module): a store loaded from
// files holds each record once, in the columns (columns.h), and SQLite reads them through this
// module with exactly the real table's column names, types and values, so the views (flows,
// flows_x), the SQL functions, user SQL and every `FROM flow_data` query work unchanged. Read-only
// (no xUpdate: SQLite refuses writes). Answers a full scan, `id = ?` (and IN, one lookup per
// value), id ranges and ORDER BY id in both directions without a sort. Thread: SQLite calls it
// inside a statement step, under the connection mutex, which is the columns' reader rule; the
// session writer's own connection reads it under the store's write lock (no load runs).
#include "core/store/store_impl.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

namespace core {

namespace {

/// What one declared column reads.
struct ColumnRef {
    enum Kind : uint8_t { Id, Ctx, HotInt, ColdInt, Src, Dst, ColdAddr, FileId, Line, Extra } kind = Id;
    int index = 0; ///< IntColumn for HotInt, slot for ColdInt/ColdAddr, extra index for Extra
};

struct FlowTable {
    sqlite3_vtab base;
    const Store::Impl* impl;
    std::vector<ColumnRef> columns;
};

struct FlowCursor {
    sqlite3_vtab_cursor base;
    int64_t row;   ///< current row (record id - 1)
    int64_t first; ///< rows first..last (inclusive) are visited
    int64_t last;
    bool descending;
    size_t run; ///< LineColumn run of the previous row (a hint)
};

// idxNum bits.
constexpr int kEq = 1;
constexpr int kLower = 2;
constexpr int kUpper = 4;
constexpr int kDescending = 8;
constexpr int kLowerStrict = 16;
constexpr int kUpperStrict = 32;

constexpr int64_t kFar = int64_t{1} << 62; // beyond any id; bounds are clamped to +-kFar

const ColumnStore& columnsOf(const sqlite3_vtab* vt)
{
    return reinterpret_cast<const FlowTable*>(vt)->impl->typedColumns();
}

int flowConnect(sqlite3* db, void* aux, int argc, const char* const* argv, sqlite3_vtab** out, char** err)
{
    int extras = 0;
    if (argc > 3) {
        extras = std::atoi(argv[3]);
        if (extras < 0 || extras > kMaxExtras) {
            *err = sqlite3_mprintf("fl_columns: %d extra columns", extras);
            return SQLITE_ERROR;
        }
    }
    const QByteArray ddl = (QStringLiteral("CREATE TABLE x(") + flowDataColumnDefinitions(extras) + QLatin1Char(')')).toUtf8();
    int rc = sqlite3_declare_vtab(db, ddl.constData());
    if (rc != SQLITE_OK) return rc;
    sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS); // read by the views, also with trusted_schema off
    auto* t = new (std::nothrow) FlowTable();
    if (!t) return SQLITE_NOMEM;
    std::memset(&t->base, 0, sizeof(t->base));
    t->impl = static_cast<const Store::Impl*>(aux);
    const SchemaSlots& slots = SchemaSlots::get();
    t->columns.push_back({ColumnRef::Id, 0});
    t->columns.push_back({ColumnRef::Ctx, 0});
    for (size_t i = 0; i < slots.intFields.size(); ++i) {
        if (const auto c = intColumnOf(slots.intFields[i])) t->columns.push_back({ColumnRef::HotInt, static_cast<int>(*c)});
        else t->columns.push_back({ColumnRef::ColdInt, static_cast<int>(i)});
    }
    for (size_t i = 0; i < slots.addrFields.size(); ++i) {
        const FieldId f = slots.addrFields[i];
        t->columns.push_back({f == FieldId::SrcAddr   ? ColumnRef::Src
                              : f == FieldId::DstAddr ? ColumnRef::Dst
                                                      : ColumnRef::ColdAddr,
                              static_cast<int>(i)});
    }
    t->columns.push_back({ColumnRef::FileId, 0});
    t->columns.push_back({ColumnRef::Line, 0});
    for (int i = 0; i < extras; ++i) t->columns.push_back({ColumnRef::Extra, i});
    *out = &t->base;
    return SQLITE_OK;
}

int flowCreate(sqlite3* db, void* aux, int argc, const char* const* argv, sqlite3_vtab** out, char** err)
{
    return flowConnect(db, aux, argc, argv, out, err); // nothing to create: the columns are the store's
}

int flowDisconnect(sqlite3_vtab* vt)
{
    delete reinterpret_cast<FlowTable*>(vt);
    return SQLITE_OK;
}

bool isIdColumn(int column)
{
    return column == -1 || column == 0; // rowid, or id (the same value)
}

/// Rows (of `rows`) an id bound keeps, from the constant right-hand side when SQLite knows it.
double boundFraction(sqlite3_index_info* info, int constraint, bool lower, double rows)
{
    sqlite3_value* v = nullptr;
    if (sqlite3_vtab_rhs_value(info, constraint, &v) != SQLITE_OK || !v) return 0.25;
    const int type = sqlite3_value_numeric_type(v);
    if (type != SQLITE_INTEGER && type != SQLITE_FLOAT) return 0.25;
    const double x = std::clamp(sqlite3_value_double(v), 0.0, rows);
    return std::max(1.0, lower ? rows - x : x) / rows;
}

int flowBestIndex(sqlite3_vtab* vt, sqlite3_index_info* info)
{
    const double rows = std::max<double>(1.0, static_cast<double>(columnsOf(vt).rows()));
    int eq = -1, lower = -1, upper = -1;
    for (int i = 0; i < info->nConstraint; ++i) {
        const auto& c = info->aConstraint[i];
        if (!c.usable || !isIdColumn(c.iColumn)) continue;
        switch (c.op) {
        case SQLITE_INDEX_CONSTRAINT_EQ:
        case SQLITE_INDEX_CONSTRAINT_IS:
            if (eq < 0) eq = i;
            break;
        case SQLITE_INDEX_CONSTRAINT_GT:
        case SQLITE_INDEX_CONSTRAINT_GE:
            if (lower < 0) lower = i;
            break;
        case SQLITE_INDEX_CONSTRAINT_LT:
        case SQLITE_INDEX_CONSTRAINT_LE:
            if (upper < 0) upper = i;
            break;
        default:
            break;
        }
    }
    // The constraints only narrow the rows visited; SQLite still tests each (omit stays 0), so a
    // value of any type (text, real, NULL) compares exactly as against the real table.
    int idxNum = 0;
    int arg = 1;
    if (eq >= 0) {
        info->aConstraintUsage[eq].argvIndex = arg++;
        idxNum |= kEq;
        info->estimatedCost = 10;
        info->estimatedRows = 1;
        info->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
    } else {
        double fraction = 1;
        if (lower >= 0) {
            info->aConstraintUsage[lower].argvIndex = arg++;
            idxNum |= kLower | (info->aConstraint[lower].op == SQLITE_INDEX_CONSTRAINT_GT ? kLowerStrict : 0);
            fraction *= boundFraction(info, lower, true, rows);
        }
        if (upper >= 0) {
            info->aConstraintUsage[upper].argvIndex = arg++;
            idxNum |= kUpper | (info->aConstraint[upper].op == SQLITE_INDEX_CONSTRAINT_LT ? kUpperStrict : 0);
            fraction *= boundFraction(info, upper, false, rows);
        }
        const double n = std::max(1.0, rows * fraction);
        info->estimatedRows = static_cast<sqlite3_int64>(n);
        info->estimatedCost = 10 + n;
    }
    // Rows come in id order (either way); ids are unique, so any later ORDER BY term is moot.
    if (info->nOrderBy >= 1 && isIdColumn(info->aOrderBy[0].iColumn)) {
        info->orderByConsumed = 1;
        if (info->aOrderBy[0].desc) idxNum |= kDescending;
    }
    info->idxNum = idxNum;
    return SQLITE_OK;
}

int flowOpen(sqlite3_vtab*, sqlite3_vtab_cursor** out)
{
    auto* c = static_cast<FlowCursor*>(sqlite3_malloc(sizeof(FlowCursor)));
    if (!c) return SQLITE_NOMEM;
    std::memset(c, 0, sizeof(*c));
    *out = &c->base;
    return SQLITE_OK;
}

int flowClose(sqlite3_vtab_cursor* cur)
{
    sqlite3_free(cur);
    return SQLITE_OK;
}

/// The id bound a comparison with `v` implies (inclusive): `lower` for id > / >= v, else id < / <= v.
/// nullopt: no bound can be derived (a text that is not a number); SQLite's own test decides.
/// `empty` is set when no id can match (NULL).
std::optional<int64_t> idBound(sqlite3_value* arg, bool lower, bool strict, bool& empty)
{
    if (sqlite3_value_type(arg) == SQLITE_INTEGER) { // the usual case, without a copy
        const int64_t x = std::clamp<int64_t>(sqlite3_value_int64(arg), -kFar, kFar);
        return strict ? (lower ? x + 1 : x - 1) : x;
    }
    sqlite3_value* v = sqlite3_value_dup(arg); // numeric affinity applied to a copy, as SQLite's test does
    if (!v) return std::nullopt;
    const int type = sqlite3_value_numeric_type(v);
    std::optional<int64_t> bound;
    if (type == SQLITE_NULL) {
        empty = true;
    } else if (type == SQLITE_INTEGER) {
        const int64_t x = std::clamp<int64_t>(sqlite3_value_int64(v), -kFar, kFar);
        bound = strict ? (lower ? x + 1 : x - 1) : x;
    } else if (type == SQLITE_FLOAT) {
        const double d = sqlite3_value_double(v);
        if (std::isnan(d)) {
            empty = true;
        } else {
            const double x = std::clamp(d, -static_cast<double>(kFar), static_cast<double>(kFar));
            if (lower) bound = static_cast<int64_t>(strict ? std::floor(x) + 1 : std::ceil(x));
            else bound = static_cast<int64_t>(strict ? std::ceil(x) - 1 : std::floor(x));
        }
    }
    sqlite3_value_free(v);
    return bound;
}

int flowFilter(sqlite3_vtab_cursor* cur, int idxNum, const char*, int argc, sqlite3_value** argv)
{
    auto* c = reinterpret_cast<FlowCursor*>(cur);
    const ColumnStore& cols = columnsOf(cur->pVtab);
    if (!cols.holdsEveryValue()) {
        sqlite3_free(cur->pVtab->zErrMsg);
        cur->pVtab->zErrMsg = sqlite3_mprintf("flow_data: the typed columns do not hold every value");
        return SQLITE_ERROR;
    }
    int64_t lo = 1, hi = static_cast<int64_t>(cols.rows());
    bool empty = false;
    int arg = 0;
    auto narrow = [&](bool lower, bool strict) {
        if (arg >= argc) return;
        const std::optional<int64_t> b = idBound(argv[arg++], lower, strict, empty);
        if (!b) return;
        if (lower) lo = std::max(lo, *b);
        else hi = std::min(hi, *b);
    };
    if (idxNum & kEq) {
        narrow(true, false);
        --arg;
        narrow(false, false);
    } else {
        if (idxNum & kLower) narrow(true, (idxNum & kLowerStrict) != 0);
        if (idxNum & kUpper) narrow(false, (idxNum & kUpperStrict) != 0);
    }
    if (empty || lo > hi) {
        lo = 1;
        hi = 0;
    }
    c->first = lo - 1;
    c->last = hi - 1;
    c->descending = (idxNum & kDescending) != 0;
    c->row = c->descending ? c->last : c->first;
    c->run = 0;
    return SQLITE_OK;
}

int flowNext(sqlite3_vtab_cursor* cur)
{
    auto* c = reinterpret_cast<FlowCursor*>(cur);
    c->row += c->descending ? -1 : 1;
    return SQLITE_OK;
}

int flowEof(sqlite3_vtab_cursor* cur)
{
    const auto* c = reinterpret_cast<const FlowCursor*>(cur);
    // Rows a cancelled load dropped between two steps of this statement end the scan.
    return c->row < c->first || c->row > c->last || c->row >= static_cast<int64_t>(columnsOf(cur->pVtab).rows());
}

void resultOf(sqlite3_context* ctx, std::optional<int64_t> v)
{
    if (v) sqlite3_result_int64(ctx, *v);
}

int flowColumn(sqlite3_vtab_cursor* cur, sqlite3_context* ctx, int column)
{
    auto* c = reinterpret_cast<FlowCursor*>(cur);
    const auto* t = reinterpret_cast<const FlowTable*>(cur->pVtab);
    const ColumnStore& cols = t->impl->typedColumns();
    const auto row = static_cast<size_t>(c->row);
    if (column < 0 || static_cast<size_t>(column) >= t->columns.size() || row >= cols.rows()) return SQLITE_OK;
    const ColumnRef ref = t->columns[static_cast<size_t>(column)];
    switch (ref.kind) {
    case ColumnRef::Id:
        sqlite3_result_int64(ctx, c->row + 1);
        break;
    case ColumnRef::Ctx:
        sqlite3_result_int64(ctx, cols.ctx()[row]);
        break;
    case ColumnRef::HotInt:
        resultOf(ctx, cols.value(static_cast<IntColumn>(ref.index), row));
        break;
    case ColumnRef::ColdInt:
        resultOf(ctx, cols.intSlot(ref.index, row));
        break;
    case ColumnRef::Src:
        resultOf(ctx, ColumnStore::encodedAddress(cols.src(), row));
        break;
    case ColumnRef::Dst:
        resultOf(ctx, ColumnStore::encodedAddress(cols.dst(), row));
        break;
    case ColumnRef::ColdAddr:
        resultOf(ctx, cols.addrSlot(ref.index, row));
        break;
    case ColumnRef::FileId:
        if (row >= cols.lines().size()) break;
        c->run = cols.lines().runOf(row, c->run);
        sqlite3_result_int64(ctx, cols.lines().fileId(c->run));
        break;
    case ColumnRef::Line:
        if (row >= cols.lines().size()) break;
        c->run = cols.lines().runOf(row, c->run);
        sqlite3_result_int64(ctx, cols.lines().line(c->run, row));
        break;
    case ColumnRef::Extra:
        resultOf(ctx, cols.extra(ref.index, row));
        break;
    }
    return SQLITE_OK;
}

int flowRowid(sqlite3_vtab_cursor* cur, sqlite3_int64* rowid)
{
    *rowid = reinterpret_cast<const FlowCursor*>(cur)->row + 1;
    return SQLITE_OK;
}

} // namespace

const sqlite3_module* flowDataModule()
{
    static const sqlite3_module m = [] {
        sqlite3_module x;
        std::memset(&x, 0, sizeof(x));
        x.iVersion = 0;
        x.xCreate = flowCreate; // not xConnect: no eponymous fl_columns table
        x.xConnect = flowConnect;
        x.xBestIndex = flowBestIndex;
        x.xDisconnect = flowDisconnect;
        x.xDestroy = flowDisconnect;
        x.xOpen = flowOpen;
        x.xClose = flowClose;
        x.xFilter = flowFilter;
        x.xNext = flowNext;
        x.xEof = flowEof;
        x.xColumn = flowColumn;
        x.xRowid = flowRowid;
        return x;
    }();
    return &m;
}

} // namespace core
