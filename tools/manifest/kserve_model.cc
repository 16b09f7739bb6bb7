#include "manifest/kserve_model.h"

#include <algorithm>

#include <fmt/format.h>

namespace aegis {
namespace {

// The framework keys of KServe's v1beta1 PredictorSpec and ExplainerSpec.
constexpr std::string_view kFrameworks[] = {"sklearn", "xgboost", "tensorflow", "pytorch", "triton", "onnx",
                                            "huggingface", "pmml", "lightgbm", "paddle", "catboost", "alibi", "art"};

bool Present(const yaml::Node* n) { return n != nullptr && !n->IsNull(); }

// A STORAGE_URI entry of a container's env, with a value or valueFrom.
void EnvSources(const yaml::Node* container, std::string_view where, std::vector<ModelSource>& out) {
  const yaml::Node* env = container->Get("env");
  if (env == nullptr || !env->IsSequence()) return;
  for (const yaml::Node* e : env->items()) {
    if (!e->IsMapping() || e->Get("name") == nullptr || e->Get("name")->AsString() != "STORAGE_URI") continue;
    const yaml::Node* value = e->Get("value");
    if (!Present(value) && !Present(e->Get("valueFrom"))) continue;
    ModelSource s{fmt::format("env STORAGE_URI of {}", where), std::nullopt, e, "STORAGE_URI", {}};
    if (Present(value) && value->AsString()) s.uri = std::string(*value->AsString());
    out.push_back(std::move(s));
  }
}

}  // namespace

std::string Prefixed(std::string_view key, std::string_view field) {
  return key.empty() ? std::string(field) : fmt::format("{}.{}", key, field);
}

std::vector<ModelPlace> KServePlaces(const yaml::Node* component) {
  std::vector<ModelPlace> out;
  if (component == nullptr || !component->IsMapping()) return out;
  out.push_back({"", component});
  if (const yaml::Node* m = component->Get("model"); m != nullptr && m->IsMapping()) out.push_back({"model", m});
  for (std::string_view key : kFrameworks) {
    if (const yaml::Node* f = component->Get(key); f != nullptr && f->IsMapping()) out.push_back({key, f});
  }
  // A framework this list does not know yet (KServe adds them: `catboost` in its samples) is
  // recognised by what it carries.
  for (size_t i = 0; i < component->pair_count(); ++i) {
    auto key = component->key_at(i)->AsString();
    if (!key || *key == "model" || std::find(std::begin(kFrameworks), std::end(kFrameworks), *key) != std::end(kFrameworks)) {
      continue;
    }
    const yaml::Node* v = component->Get(*key);
    if (v == nullptr || !v->IsMapping() || v != component->value_at(i)) continue;  // the last duplicate only
    if (Present(v->Get("storageUri")) || Present(v->Get("storage"))) out.push_back({*key, v});
  }
  return out;
}

std::vector<const yaml::Node*> ModelPlaces(const yaml::Node* component) {
  std::vector<const yaml::Node*> out;
  for (const ModelPlace& p : KServePlaces(component)) out.push_back(p.node);
  return out;
}

std::vector<ModelSource> KServeModelSources(const yaml::Node* component) {
  std::vector<ModelSource> out;
  for (const ModelPlace& p : KServePlaces(component)) {
    if (const yaml::Node* uri = p.node->Get("storageUri"); Present(uri)) {
      auto s = uri->AsString();
      out.push_back({s ? fmt::format("{} {}", Prefixed(p.key, "storageUri"), *s) : Prefixed(p.key, "storageUri"),
                     s ? std::optional<std::string>(std::string(*s)) : std::nullopt, uri, "storageUri", p});
    }
    for (std::string_view field : {"storageUris", "storage"}) {
      if (const yaml::Node* n = p.node->Get(field); Present(n)) out.push_back({Prefixed(p.key, field), std::nullopt, n, field, p});
    }
  }
  for (const ServingContainer& c : KServeServingContainers(component)) EnvSources(c.node, c.name, out);
  return out;
}

std::vector<ServingContainer> KServeServingContainers(const yaml::Node* component) {
  std::vector<ServingContainer> out;
  if (component == nullptr || !component->IsMapping()) return out;
  if (const yaml::Node* list = component->Get("containers"); list != nullptr && list->IsSequence()) {
    for (const yaml::Node* c : list->items()) {
      if (!c->IsMapping()) continue;
      auto name = c->Get("name") != nullptr ? c->Get("name")->AsString() : std::nullopt;
      out.push_back({fmt::format("container {}", name ? *name : "<unnamed>"), c});
    }
  }
  for (const ModelPlace& p : KServePlaces(component)) {
    if (!p.key.empty()) out.push_back({std::string(p.key), p.node});
  }
  return out;
}

bool VerifierFetches(std::string_view uri) {
  for (std::string_view scheme : {"s3://", "gs://", "hf://", "oci://", "https://", "http://", "file://"}) {
    if (uri.starts_with(scheme)) return true;
  }
  return false;
}

std::optional<bool> HfRevisionPinned(std::string_view uri) {
  if (!uri.starts_with("hf://")) return std::nullopt;
  std::string_view rest = uri.substr(5);
  size_t slash = rest.find('/');
  std::string_view model = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  size_t rev = model.find_first_of(":@");
  std::string_view revision = rev == std::string_view::npos ? std::string_view() : model.substr(rev + 1);
  return revision.size() == 40 && revision.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace aegis
