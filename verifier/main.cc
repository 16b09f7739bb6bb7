// verify-and-fetch: the initContainer that places a verified model, or nothing.
#include <exception>
#include <iostream>

#include "verifier/common/log.h"
#include "verifier/options.h"
#include "verifier/run.h"

int main(int argc, char** argv) {
  using namespace aegis::verifier;
  ParsedCommandLine cl = ParseCommandLine(argc, argv);
  if (!cl.options) return cl.exit_code;
  const Options& o = *cl.options;
  Logger log(std::cerr, o.log_format == LogFormat::kJson);
  Env env = ProcessEnv();
  for (const char* secret : {"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "VAULT_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN"}) {
    if (auto v = env(secret)) log.AddSecret(*v);
  }
  aegis::Expected<RunSummary> s = aegis::Error{};
  try {
    s = VerifyAndFetch(o, RunContext{env, &log, {}});
  } catch (const std::exception& e) {
    // Last resort: the work area was removed while unwinding (Workspace aborts in its
    // destructor), so nothing is placed; say why instead of dying without a message.
    s = aegis::Error{aegis::ErrorKind::kIo, {}, {}, std::string("internal error: ") + e.what()};
  }
  if (s) {
    WriteTerminationLog(o.termination_log, log.Mask(ProvenanceRecord(*s)), log);
    return kExitPlaced;
  }
  std::string reason = log.Mask(TerminationMessage(s.error()));
  int code = ExitCodeFor(s.error().kind);
  log.Error("failed", {{"reason", reason}, {"exit", code}});
  WriteTerminationLog(o.termination_log, reason, log);
  return code;
}
