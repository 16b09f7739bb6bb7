#include "render/kserve_model.h"

namespace aegis::render {

std::vector<const yaml::Node*> ModelPlaces(const yaml::Node* component) {
  static const char* const kFrameworks[] = {"sklearn", "xgboost", "tensorflow", "pytorch", "triton", "onnx",
                                            "huggingface", "pmml", "lightgbm", "paddle", "alibi", "art"};
  std::vector<const yaml::Node*> out;
  if (component == nullptr || !component->IsMapping()) return out;
  out.push_back(component);
  if (const yaml::Node* m = component->Get("model"); m != nullptr && m->IsMapping()) out.push_back(m);
  for (const char* key : kFrameworks) {
    if (const yaml::Node* f = component->Get(key); f != nullptr && f->IsMapping()) out.push_back(f);
  }
  return out;
}

bool VerifierFetches(std::string_view uri) {
  for (std::string_view scheme : {"s3://", "https://", "http://", "file://"}) {
    if (uri.starts_with(scheme)) return true;
  }
  return false;
}

}  // namespace aegis::render
