// libFuzzer target: arbitrary bytes through the manifest reader and the whole lint path.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "lint/linter.h"
#include "report/report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* constraints = new std::vector<aegis::Constraint>(aegis::BuiltinConstraints()->constraints);
  aegis::Linter linter(aegis::LintOptions{*constraints, "default", false, 1});
  linter.LintText("fuzz.yaml", std::string_view(reinterpret_cast<const char*>(data), size));
  aegis::LintResult r = linter.Finish();
  (void)aegis::RenderSarif(r);
  (void)aegis::RenderText(r, {});
  return 0;
}
