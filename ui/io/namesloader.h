#pragma once
// Loading AWS CLI describe-* JSON (names for ids) into the Session from the GUI: a file
// dialog, drag-and-drop or a load that carried such files. Errors are shown, never swallowed;
// a malformed file changes nothing.
#include "core/names/names.h"

#include <QStringList>
#include <vector>

class QWidget;

namespace ui {

class Session;

/// True when every path is a file that looks like AWS CLI describe-* JSON.
bool allNamesJson(const QStringList& paths);

/// Reads the files into a copy of the session's names; on success sets them on the session.
/// A file that fails is reported in a message box (naming the file and the problem) and
/// contributes nothing; the others still apply. Returns the number of files applied; what each
/// applied file gave is appended to `applied` if given.
int loadNamesFiles(Session* session, const QStringList& paths, QWidget* parent,
                   std::vector<core::NamesFileReport>* applied = nullptr);

/// Merges names found by a load (LoadReport::names) into the session's names.
void mergeNames(Session* session, const core::NameDirectory& found);

} // namespace ui
