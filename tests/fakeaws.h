#pragma once
// A fake `aws` executable for the Athena and Logs Insights runner tests: a shell script written
// into a temporary folder that records its arguments (calls.log) and answers each call with
// canned JSON chosen by the file "mode" next to it:
//   ok        queries succeed at the first poll
//   scheduled Logs Insights answers "Scheduled" twice, then the result file
//   nocreds   start fails as the real CLI does without credentials
//   denied    start fails with AccessDeniedException
//   malformed start fails with MalformedQueryException
//   failed    the query fails (Athena FAILED with a reason, Logs Insights status Failed)
//   running   the query never finishes (timeout and cancel)
// Results: athena-results.json (get-query-results) and insights-results.json, written by the test.
#include <QFile>
#include <QString>
#include <QTemporaryDir>

namespace fakeaws {

// clang-format off
inline const char* const kScript = R"SH(#!/bin/sh
d="$(dirname "$0")"
mode="$(cat "$d/mode")"
printf '%s\n' "$*" >> "$d/calls.log"
case "$1 $2" in
"athena start-query-execution"|"logs start-query")
  if [ "$1" = athena ]; then op=StartQueryExecution; perm=athena:StartQueryExecution; else op=StartQuery; perm=logs:StartQuery; fi
  case "$mode" in
  nocreds) echo 'Unable to locate credentials. You can configure credentials by running "aws configure".' >&2; exit 253;;
  denied) echo "An error occurred (AccessDeniedException) when calling the $op operation: User: arn:aws:iam::111122223333:user/analyst is not authorized to perform: $perm" >&2; exit 254;;
  malformed) echo "An error occurred (MalformedQueryException) when calling the $op operation: unexpected symbol found | at line 1" >&2; exit 254;;
  esac
  if [ "$1" = athena ]; then echo '{"QueryExecutionId": "0f1e2d3c-aaaa-bbbb-cccc-000000000001"}'; else echo '{"queryId": "iq-0001"}'; fi;;
"athena get-query-execution")
  case "$mode" in
  failed) echo '{"QueryExecution": {"Status": {"State": "FAILED", "StateChangeReason": "TABLE_NOT_FOUND: line 1:8: Table awsdatacatalog.default.flow_logs does not exist"}, "Statistics": {"DataScannedInBytes": 0}}}';;
  running) echo '{"QueryExecution": {"Status": {"State": "RUNNING"}, "Statistics": {"DataScannedInBytes": 1500000000}}}';;
  *) echo '{"QueryExecution": {"Status": {"State": "SUCCEEDED"}, "Statistics": {"DataScannedInBytes": 2500000000000}}}';;
  esac;;
"athena get-query-results") cat "$d/athena-results.json";;
"logs get-query-results")
  n=$(wc -l < "$d/calls.log")
  case "$mode" in
  failed) echo '{"results": [], "statistics": {"bytesScanned": 0}, "status": "Failed"}';;
  running) echo '{"results": [], "statistics": {"bytesScanned": 1500000000, "recordsMatched": 10}, "status": "Running"}';;
  scheduled) if [ "$n" -lt 3 ]; then echo '{"results": [], "statistics": {"bytesScanned": 1000000}, "status": "Scheduled"}';
     else cat "$d/insights-results.json"; fi;;
  *) cat "$d/insights-results.json";;
  esac;;
"athena stop-query-execution") echo '{}';;
"logs stop-query") echo '{"success": true}';;
*) echo "fake aws: unexpected call $*" >&2; exit 2;;
esac
)SH";
// clang-format on

class FakeAws {
public:
    /// Writes the script (mode "ok"); false when the folder or the file cannot be made.
    bool install()
    {
        if (!m_dir.isValid()) return false;
        QFile script(path());
        if (!script.open(QIODevice::WriteOnly) || script.write(kScript) < 0) return false;
        script.close();
        return script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner) && setMode("ok");
    }
    /// The executable (…/aws); dir() can go first on PATH.
    QString path() const { return m_dir.filePath(QStringLiteral("aws")); }
    QString dir() const { return m_dir.path(); }
    /// Sets the answers' mode and forgets the recorded calls.
    bool setMode(const QByteArray& mode) const
    {
        QFile::remove(m_dir.filePath(QStringLiteral("calls.log")));
        return writeFile(QStringLiteral("mode"), mode);
    }
    /// A file next to the script (athena-results.json, insights-results.json).
    bool writeFile(const QString& name, const QByteArray& data) const
    {
        QFile f(m_dir.filePath(name));
        return f.open(QIODevice::WriteOnly) && f.write(data) == data.size();
    }
    /// The recorded calls, one line of arguments per call since the last setMode().
    QString calls() const
    {
        QFile f(m_dir.filePath(QStringLiteral("calls.log")));
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    }

private:
    QTemporaryDir m_dir;
};

} // namespace fakeaws
