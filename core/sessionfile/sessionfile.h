#pragma once
// Session files (.flowlog): one SQLite database holding the loaded records exactly as the
// store keeps them, the files and rejections, the names and the GUI's view state, so a session
// reopens without re-parsing. Files we open are untrusted: see openSession().
#include "core/ingest/loader.h"
#include "core/model/result.h"
#include "core/names/names.h"
#include "core/store/store.h"

#include <QByteArray>
#include <QString>
#include <atomic>
#include <memory>
#include <vector>

namespace core {

/// Format version written by this build (PRAGMA user_version of the file).
/// 1: records, files, names tables, store state, view state. 2: adds the kept rejections
/// and the full names directory (private addresses, flow log formats). 3: adds the Compare
/// page's baseline (SessionData::compare; older files open without one). 4: the records are the
/// store's typed columns as chunked blobs (table fl_blobs) instead of a flow_data table: saved
/// and opened without a B-tree of records, held once after the open.
constexpr int kSessionFormatVersion = 4;
/// The last format holding the records as a flow_data table. A store holding its records in a
/// real table (opened from such a file) is saved in it.
constexpr int kSessionTableFormatVersion = 3;
/// Oldest version this build opens (older ones are migrated in memory).
constexpr int kSessionOldestVersion = 1;
/// PRAGMA application_id of a session file ("Flow").
constexpr quint32 kSessionApplicationId = 0x466C6F77;
/// File name suffix, without the dot.
constexpr const char* kSessionSuffix = "flowlog";

/// What a session holds besides the store.
struct SessionData {
    NameDirectory names;
    std::vector<LoadedRejection> rejections; ///< the kept rejections (file:line, reason, raw line)
    QByteArray viewState;                    ///< JSON written by the GUI; opaque to core ("" = none)
    QByteArray compare; ///< the compare baseline as JSON written by the GUI; opaque to core ("" = none; format 3)
};

/// A session read from a file.
struct OpenedSession {
    std::unique_ptr<Store> store; ///< a new store holding the session's records, files and names
    SessionData data;
    int formatVersion = 0; ///< version found in the file (older versions were migrated in memory)
    qint64 records = 0;    ///< rows in the store's flow_data (counted during the open: no need to count again)
};

/// Writes `store` and `data` to `path` atomically: everything goes to a temporary file in the
/// same folder, which then replaces `path` by a rename. Format 4 (the typed columns as blobs)
/// for a store whose records are its columns; format 3 (a backup of the store's database, the
/// records as a table) for one opened from a format-3-or-older file. On any failure or
/// cancel the temporary file is removed and an existing `path` is left untouched; a full disk
/// is reported as such. Waits for a running load to finish (store write lock). Blocking: call
/// from a worker thread for the GUI. `cancel` (may be null) is polled between backup steps;
/// a cancelled save returns Error "cancelled".
Status saveSession(const Store& store, const SessionData& data, const QString& path, const std::atomic<bool>* cancel = nullptr);

/// For tests and benchmarks: the format saveSession writes from now on, kSessionFormatVersion
/// (the default) or kSessionTableFormatVersion (the records as a flow_data table, as before
/// format 4). Any thread.
void setSessionSaveFormat(int version);

/// Opens a session file without modifying it (opened read-only, read into memory once, never
/// mapped). The file is untrusted: it is refused, with a sentence naming the file and the
/// problem, unless its header is an SQLite database with our application id, its page count
/// matches its size, its version is between kSessionOldestVersion and kSessionFormatVersion (a
/// newer file is refused naming both versions), its schema is exactly the expected one (any
/// trigger, view, index, extra or missing table or differing column refuses it), PRAGMA
/// quick_check passes and every code and id in it is in range. Nothing in the file is ever
/// executed. The checks read the bytes through hardened read-only connections, quick_check on a
/// second thread in parallel. Format 4: the column parts are read into new typed columns and
/// every value checked (ColumnStore::restore), served by the store's virtual flow_data (no
/// rebuild). Formats 1-3: the store takes the bytes as its database (sqlite3_deserialize) and
/// rebuilds its columns in the background. No re-parsing either way. `cancel` (may be null) is polled: a cancelled open returns
/// Error "cancelled" and leaves nothing behind. Blocking; any thread.
Result<OpenedSession> openSession(const QString& path, const std::atomic<bool>* cancel = nullptr);

/// Same checks and restore for a session file held in memory (`label` names it in errors).
/// Used by the fuzz target and tests. Any thread.
Result<OpenedSession> openSessionBuffer(const QByteArray& bytes, const QString& label);

/// True when `path` starts with the SQLite header and carries our application id (reads the
/// first 100 bytes only; says nothing about validity). Any thread.
bool isSessionFile(const QString& path);

} // namespace core
