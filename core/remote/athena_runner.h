#pragma once
// Running Athena SQL through the user's AWS CLI (`aws athena start-query-execution`,
// `get-query-execution` polling, `get-query-results`, `stop-query-execution` on cancel) as a
// child process with the user's profile and region. Credentials are never read or stored here:
// the AWS CLI finds them as it always does. Optional: the app works fully without it.
#include "core/model/result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <atomic>
#include <functional>

namespace core {

struct AthenaRunOptions {
    QString sql;
    QString outputLocation;              ///< s3://bucket/prefix/ for the results (or empty when the workgroup sets one)
    QString workgroup;                   ///< empty = the CLI's default (primary)
    QString database;                    ///< QueryExecutionContext database (empty = default)
    QString profile;                     ///< --profile (empty = the CLI's default)
    QString region;                      ///< --region (empty = the CLI's default)
    QString endpointUrl;                 ///< --endpoint-url (tests: a local server)
    QString aws = QStringLiteral("aws"); ///< the AWS CLI executable
    int pollMilliseconds = 1000;         ///< get-query-execution interval
    qint64 timeoutSeconds = 1800;        ///< give up (and stop the query) after this long
};

struct AthenaRunResult {
    QString queryId;
    QString state;           ///< SUCCEEDED
    qint64 scannedBytes = 0; ///< Statistics.DataScannedInBytes
    QByteArray csv;          ///< the result rows as CSV with a header (readRemoteResult reads it)
};

/// What one AWS CLI run printed.
struct AwsCliOutput {
    int exitCode = -1; ///< -1 when it did not start, crashed or hung
    QByteArray out;    ///< stdout
    QString err;       ///< stderr (or why it did not run), trimmed
};

/// Runs `aws args...` (AWS_PAGER emptied; the user's environment, profile and credentials as the
/// CLI finds them) and waits at most 5 minutes. `what` names the call in errors. Blocking; any
/// thread except the GUI thread.
AwsCliOutput runAwsCli(const QString& aws, const QStringList& args, const QString& what);

/// What one status call of a running query said.
struct AwsQueryPoll {
    QString state;           ///< the engine's word: RUNNING, SUCCEEDED, Scheduled, Complete, ...
    qint64 scannedBytes = 0; ///< data scanned so far
    bool finished = false;   ///< the query succeeded: stop polling
};

/// The polling loop of both runners: calls `poll` until it says finished (Ok) or fails (its
/// Error), reporting progress(state, scanned bytes) after each call and sleeping
/// `pollMilliseconds` (at least 10) between calls. On cancel, or once `timeoutSeconds` have
/// passed, calls `stop` and fails with "query <id> was cancelled; stopped it with <stopCall>".
/// Blocking; a worker thread.
Status pollAwsQuery(const QString& queryId, const QString& stopCall, qint64 timeoutSeconds, int pollMilliseconds,
                    const std::atomic<bool>* cancel, const std::function<Result<AwsQueryPoll>()>& poll,
                    const std::function<void()>& stop, const std::function<void(const QString&, qint64)>& progress);

/// `aws args...` as a POSIX shell command line, arguments single-quoted when they hold anything
/// but letters, digits and -_./:=,@+ (what the user can paste into a terminal). Pure.
QString awsCommandLine(const QString& aws, const QStringList& args);

/// The arguments of one `aws athena ...` call (subcommand and its own arguments first, then
/// --output json and the profile/region/endpoint options). Pure; shown to the user as is.
QStringList athenaCliArguments(const AthenaRunOptions& options, const QStringList& call);

/// The `start-query-execution` call for the options (query string, result location, work
/// group, database), as runAthenaQuery() passes it to athenaCliArguments(). Pure.
QStringList athenaStartCall(const AthenaRunOptions& options);

/// A sentence for what the AWS CLI said on failure ("no AWS credentials: ...", "access denied
/// ..."); `denied` says what the credentials may not do. Pure.
QString awsCliErrorSentence(const QString& stderrText, int exitCode,
                            const QString& denied = QStringLiteral("run Athena queries or read the table"));

/// get-query-results JSON ({"ResultSet":{"Rows":[{"Data":[{"VarCharValue":..}]}]}}; the first row
/// is the header) as CSV. Pure.
Result<QByteArray> athenaResultsCsv(const QByteArray& json);

/// Cost of scanning `bytes` at Athena's $5 per TB. Pure.
double athenaCostDollars(qint64 bytes);

/// Runs the query: start, poll until a final state (progress(state, scanned bytes) after each
/// poll), fetch the results. Cancel (or the timeout) stops the query with stop-query-execution.
/// Blocking; call from a worker thread in a GUI. Errors are sentences naming what failed.
Result<AthenaRunResult> runAthenaQuery(const AthenaRunOptions& options,
                                       const std::function<void(const QString& state, qint64 scannedBytes)>& progress = {},
                                       const std::atomic<bool>* cancel = nullptr);

} // namespace core
