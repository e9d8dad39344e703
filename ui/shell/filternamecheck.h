#pragma once
// The filter bar's hint for names that match nothing: `attachment == "VPC Z"` is a valid
// filter (an unknown name matches no record, by design), but a user who typed a name expects
// it to be one; the hint says so without blocking the filter. Pure; any thread.
#include "core/names/names.h"

#include <QString>

namespace ui {

/// "no attachment is named 'VPC Z'" for the first value compared by Name tag (==, !=, in on an
/// id field or alias) that no loaded id of that kind carries as its Name tag; "" when every such
/// value is a known name, the expression does not compile, or the value looks like an id
/// (prefix-hex: tgw-attach-0abc, vpc-12ab: compared as ids, never as names).
QString unknownNameWarning(const QString& expression, const core::NameDirectory& names);

} // namespace ui
