// The status bar's totals (store_totals.h): one pass over the typed columns, or the SQL scan.
#include "core/store/store_totals.h"

#include "core/store/store.h"
#include "core/store/store_impl.h"

#include <sqlite3.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <vector>

namespace core {

namespace {

/// Smallest (or largest) non-NULL value of a narrow column, nullopt when every row is NULL.
template <class T> std::optional<int64_t> extreme(const NarrowColumn<T>& c, size_t rows, bool largest)
{
    std::optional<int64_t> best;
    auto take = [&](int64_t v) {
        if (!best || (largest ? v > *best : v < *best)) best = v;
    };
    const T* data = c.data();
    T narrowBest = largest ? T{0} : NarrowColumn<T>::kWide;
    bool anyNarrow = false;
    for (size_t i = 0; i < rows; ++i) {
        const T v = data[i];
        if (v >= NarrowColumn<T>::kWide) continue; // NULL, or an exact value of the side list
        anyNarrow = true;
        narrowBest = largest ? std::max(narrowBest, v) : std::min(narrowBest, v);
    }
    if (anyNarrow) take(static_cast<int64_t>(narrowBest));
    for (const auto& [row, value] : c.wideRows())
        if (row < rows) take(value);
    return best;
}

StoreTotals bySql(const Store& store, const std::atomic<bool>* cancel)
{
    StoreTotals t;
    const CancelScope scope(cancel);
    auto st = store.prepare(
        QStringLiteral("SELECT COUNT(*), MIN(start), MAX(\"end\"), COUNT(tgw_attachment_id), COUNT(interface_id) FROM flows"));
    if (st.ok() && st->next()) {
        t.records = st->int64(0);
        t.first = st->isNull(1) ? 0 : st->int64(1);
        t.last = st->isNull(2) ? 0 : st->int64(2);
        t.tgw = st->int64(3);
        t.vpc = st->int64(4);
    }
    return t;
}

} // namespace

StoreTotals storeTotals(const Store& store, const std::atomic<bool>* cancel)
{
    const Store::Impl& impl = store.impl();
    const SchemaSlots& slots = SchemaSlots::get();
    const int tgwSlot = slots.slotOf[static_cast<size_t>(FieldId::TgwAttachmentId)];
    const int vpcSlot = slots.slotOf[static_cast<size_t>(FieldId::InterfaceId)];
    {
        sqlite3_mutex* mutex = sqlite3_db_mutex(store.handle());
        sqlite3_mutex_enter(mutex);
        const ColumnStore& c = impl.typedColumns();
        const auto records = static_cast<size_t>(impl.nextId() - 1);
        // The columns answer when they are the records (virtual flow_data), or hold exactly the
        // records 1..N of a real table (its rebuild is done).
        if ((impl.flowDataVirtual() || impl.idsDense()) && c.complete() && c.rows() == records) {
            StoreTotals t;
            t.records = static_cast<qint64>(records);
            // Per context: does it carry a TGW attachment id, an interface id?
            const size_t contexts = impl.contextCount();
            std::vector<uint8_t> tgw(contexts), vpc(contexts);
            for (size_t k = 0; k < contexts; ++k) {
                const ContextCode code(static_cast<uint32_t>(k));
                tgw[k] = impl.contextValue(code, tgwSlot).get() != 0 ? 1 : 0;
                vpc[k] = impl.contextValue(code, vpcSlot).get() != 0 ? 1 : 0;
            }
            const uint32_t* ctx = c.ctx();
            for (size_t i = 0; i < records; ++i) {
                const uint32_t k = ctx[i];
                if (k < contexts) {
                    t.tgw += tgw[k];
                    t.vpc += vpc[k];
                }
            }
            const auto first = c.visit(IntColumn::Start, [&](const auto& col) { return extreme(col, records, false); });
            const auto last = c.visit(IntColumn::End, [&](const auto& col) { return extreme(col, records, true); });
            t.first = first.value_or(0);
            t.last = last.value_or(0);
            sqlite3_mutex_leave(mutex);
            return t;
        }
        sqlite3_mutex_leave(mutex);
    }
    return bySql(store, cancel);
}

} // namespace core
