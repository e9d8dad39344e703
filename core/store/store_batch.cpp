// The eponymous virtual table fl_batch(?1) the loader inserts from: it yields the rows of a
// RowBatch bound with sqlite3_bind_pointer, so one `INSERT INTO flow_data SELECT ... FROM
// fl_batch(?1)` step stores a whole batch (no per-value bind calls, no connection-mutex
// round trip per value).
#include "core/store/store_impl.h"

#include <sqlite3.h>

#include <cstring>

namespace core {

namespace {

struct BatchCursor {
    sqlite3_vtab_cursor base;
    const BatchArg* arg;
    size_t row;
};

int nInt()
{
    static const int n = static_cast<int>(SchemaSlots::get().intFields.size());
    return n;
}
int nAddr()
{
    static const int n = static_cast<int>(SchemaSlots::get().addrFields.size());
    return n;
}
int argColumn()
{
    return 4 + nInt() + nAddr() + kMaxExtras;
}

int batchConnect(sqlite3* db, void*, int, const char* const*, sqlite3_vtab** out, char**)
{
    QString ddl = QStringLiteral("CREATE TABLE x(id,file_id,line,ctx");
    for (int i = 0; i < nInt(); ++i) ddl += QStringLiteral(",i%1").arg(i);
    for (int i = 0; i < nAddr(); ++i) ddl += QStringLiteral(",a%1").arg(i);
    for (int i = 0; i < kMaxExtras; ++i) ddl += QStringLiteral(",e%1").arg(i);
    ddl += QStringLiteral(",arg HIDDEN)");
    const int rc = sqlite3_declare_vtab(db, ddl.toUtf8().constData());
    if (rc != SQLITE_OK) return rc;
    sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
    auto* vt = static_cast<sqlite3_vtab*>(sqlite3_malloc(sizeof(sqlite3_vtab)));
    if (!vt) return SQLITE_NOMEM;
    std::memset(vt, 0, sizeof(*vt));
    *out = vt;
    return SQLITE_OK;
}

int batchDisconnect(sqlite3_vtab* vt)
{
    sqlite3_free(vt);
    return SQLITE_OK;
}

int batchBestIndex(sqlite3_vtab*, sqlite3_index_info* info)
{
    const int argCol = argColumn();
    bool unusable = false;
    for (int i = 0; i < info->nConstraint; ++i) {
        const auto& c = info->aConstraint[i];
        if (c.iColumn != argCol || c.op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
        if (!c.usable) {
            unusable = true;
            continue;
        }
        info->aConstraintUsage[i].argvIndex = 1;
        info->aConstraintUsage[i].omit = 1;
        info->idxNum = 1;
        info->estimatedCost = 1;
        info->estimatedRows = 4096;
        return SQLITE_OK;
    }
    if (unusable) return SQLITE_CONSTRAINT;
    info->idxNum = 0;
    info->estimatedCost = 1e12;
    info->estimatedRows = 0;
    return SQLITE_OK;
}

int batchOpen(sqlite3_vtab*, sqlite3_vtab_cursor** out)
{
    auto* c = static_cast<BatchCursor*>(sqlite3_malloc(sizeof(BatchCursor)));
    if (!c) return SQLITE_NOMEM;
    std::memset(c, 0, sizeof(*c));
    *out = &c->base;
    return SQLITE_OK;
}

int batchClose(sqlite3_vtab_cursor* cur)
{
    sqlite3_free(cur);
    return SQLITE_OK;
}

int batchFilter(sqlite3_vtab_cursor* cur, int idxNum, const char*, int argc, sqlite3_value** argv)
{
    auto* c = reinterpret_cast<BatchCursor*>(cur);
    c->row = 0;
    c->arg = (idxNum == 1 && argc >= 1) ? static_cast<const BatchArg*>(sqlite3_value_pointer(argv[0], kBatchType)) : nullptr;
    return SQLITE_OK;
}

int batchNext(sqlite3_vtab_cursor* cur)
{
    ++reinterpret_cast<BatchCursor*>(cur)->row;
    return SQLITE_OK;
}

int batchEof(sqlite3_vtab_cursor* cur)
{
    auto* c = reinterpret_cast<BatchCursor*>(cur);
    return (!c->arg || c->row >= c->arg->batch->rows.size()) ? 1 : 0;
}

int batchColumn(sqlite3_vtab_cursor* cur, sqlite3_context* ctx, int col)
{
    auto* c = reinterpret_cast<BatchCursor*>(cur);
    const PackedRow& r = c->arg->batch->rows[c->row];
    switch (col) {
    case 0:
        sqlite3_result_int64(ctx, c->arg->firstId + static_cast<int64_t>(c->row));
        return SQLITE_OK;
    case 1:
        sqlite3_result_int64(ctx, r.fileId);
        return SQLITE_OK;
    case 2:
        sqlite3_result_int64(ctx, r.line);
        return SQLITE_OK;
    case 3:
        sqlite3_result_int64(ctx, r.ctx);
        return SQLITE_OK;
    default:
        break;
    }
    int k = col - 4;
    if (k < nInt()) {
        if (r.intPresent & (uint64_t{1} << k)) sqlite3_result_int64(ctx, r.ints[static_cast<size_t>(k)]);
        return SQLITE_OK;
    }
    k -= nInt();
    if (k < nAddr()) {
        if (r.addrPresent & (uint32_t{1} << k)) sqlite3_result_int64(ctx, r.addrs[static_cast<size_t>(k)]);
        return SQLITE_OK;
    }
    k -= nAddr();
    const auto& extras = c->arg->batch->extras;
    for (uint32_t i = 0; i < r.extraCount; ++i) {
        const auto& e = extras[r.extraBegin + i];
        if (e.first == k) {
            sqlite3_result_int64(ctx, e.second);
            return SQLITE_OK;
        }
    }
    return SQLITE_OK;
}

int batchRowid(sqlite3_vtab_cursor* cur, sqlite3_int64* rowid)
{
    *rowid = static_cast<sqlite3_int64>(reinterpret_cast<BatchCursor*>(cur)->row);
    return SQLITE_OK;
}

} // namespace

const sqlite3_module* batchModule()
{
    static const sqlite3_module m = [] {
        sqlite3_module x;
        std::memset(&x, 0, sizeof(x));
        x.iVersion = 0;
        x.xConnect = batchConnect;
        x.xBestIndex = batchBestIndex;
        x.xDisconnect = batchDisconnect;
        x.xOpen = batchOpen;
        x.xClose = batchClose;
        x.xFilter = batchFilter;
        x.xNext = batchNext;
        x.xEof = batchEof;
        x.xColumn = batchColumn;
        x.xRowid = batchRowid;
        return x;
    }();
    return &m;
}

} // namespace core
