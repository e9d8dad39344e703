#pragma once
// The status bar's totals of a store (records, time span, TGW and VPC records): from the typed
// columns in one pass when they hold every record, else by SQL. The columns' pass takes tens of
// milliseconds at 10M records where the SQL scan of the virtual flow_data takes seconds, holding
// the connection (and so the record table's first page) all along.
#include <QtGlobal>

#include <atomic>

namespace core {

class Store;

/// What `SELECT COUNT(*), MIN(start), MAX("end"), COUNT(tgw_attachment_id), COUNT(interface_id)
/// FROM flows` answers; NULL minimum/maximum as 0.
struct StoreTotals {
    qint64 records = 0;
    qint64 first = 0; ///< MIN(start), 0 when none
    qint64 last = 0;  ///< MAX(end), 0 when none
    qint64 tgw = 0;   ///< records with a TGW attachment id
    qint64 vpc = 0;   ///< records with an interface id
};

/// The totals of `store` (see StoreTotals); exactly the SQL's numbers. Any thread (takes the
/// connection mutex for the pass); `cancel` (may be null) is polled by the SQL path.
StoreTotals storeTotals(const Store& store, const std::atomic<bool>* cancel = nullptr);

} // namespace core
