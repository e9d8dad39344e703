// Where the tests find their data and the built binaries.
// The absolute paths are compiled into tests/testpaths.cpp alone (one small object of the
// flowlog_testpaths library), not onto every test's command line: a clean clone at another path
// (as CI makes) then reuses every other test object from ccache instead of recompiling ~90 tests.
#pragma once

#include <QString>

namespace testpaths {

/// `<source>/tests/data`, without a trailing slash.
QString testData();
/// `<source>/resources/demo`, the bundled demo data.
QString demoData();
/// The built `flowlog-cli`.
QString cliPath();
/// The built `flowlog-explorer`; empty in a build without the GUI.
QString guiPath();

} // namespace testpaths
