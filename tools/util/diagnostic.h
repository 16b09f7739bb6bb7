// A diagnostic about input (an error, warning or note with file:line:col), separate from the
// findings a command reports and from the errors that stop it.
#pragma once

#include "util/error.h"

namespace aegis {

struct Diagnostic {
  enum class Level { kError, kWarning, kNote };
  Level level = Level::kNote;
  Error where;  // file, mark and message
};

}  // namespace aegis
