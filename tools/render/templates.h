// `aegis render --template kserve|triton|pod`: the seed's canary manifests, corrected
// (docs/RENDER.md). A bare workload is generated and then rendered by the same injector as
// user manifests, so a template is conforming by construction.
#pragma once

#include <string>

#include "policy/constraint.h"
#include "render/injector.h"
#include "util/expected.h"

namespace aegis::render {

struct TemplateOptions {
  std::string kind;  // kserve, triton, pod, clusterstoragecontainer
  std::string name = "triton-canary";
  std::string namespace_ = "aegis-canary";
  std::string server_image = "nvcr.io/nvidia/tritonserver:24.08-py3";
  int gpus = 1;
  std::string service_account = "model-fetcher";
  // The `aegis/canary` label (aegis canary): positive and tampered canaries are rendered
  // (the tampered one with an artifact whose signature does not verify); a violating one
  // is the bare workload, without verifier or key.
  std::string role = "positive";
};

Expected<std::string> RenderTemplate(const TemplateOptions& t, const RenderSettings& settings,
                                     const std::vector<Constraint>& constraints);

}  // namespace aegis::render
