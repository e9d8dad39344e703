// The build's absolute paths (compile definitions set in tests/CMakeLists.txt); see testpaths.h.
#include "tests/testpaths.h"

namespace testpaths {

QString testData()
{
    return QStringLiteral(FLOWLOG_TEST_DATA);
}
QString demoData()
{
    return QStringLiteral(FLOWLOG_DEMO_DATA);
}
QString cliPath()
{
    return QStringLiteral(FLOWLOG_CLI_PATH);
}
QString guiPath()
{
    return QStringLiteral(FLOWLOG_GUI_PATH);
}

} // namespace testpaths
