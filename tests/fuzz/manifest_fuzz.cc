// libFuzzer target: arbitrary bytes through the manifest reader, the whole lint path, and
// render (text edits at parsed positions, then the re-parse of its own output).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "lint/linter.h"
#include "render/renderer.h"
#include "report/report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto* constraints = new std::vector<aegis::Constraint>(aegis::BuiltinConstraints()->constraints);
  std::string_view text(reinterpret_cast<const char*>(data), size);
  aegis::Linter linter(aegis::LintOptions{*constraints, "default", false, 1, {}});
  linter.LintText("fuzz.yaml", text);
  aegis::LintResult r = linter.Finish();
  (void)aegis::RenderSarif(r);
  (void)aegis::RenderText(r, {});
  aegis::render::RenderSettings settings;
  settings.artifact = "s3://bucket/model.tar.gz";
  aegis::render::RenderedFile rendered = aegis::render::RenderText("fuzz.yaml", std::string(text), settings, *constraints);
  // Render writes nothing it has not re-parsed and linted clean: a failure must say why.
  if (rendered.failed && rendered.diagnostics.empty()) __builtin_trap();
  return 0;
}
