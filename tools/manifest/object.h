// A Kubernetes object seen through its YAML node: identity, namespace and labels.
#pragma once

#include <string>
#include <vector>

#include "util/error.h"
#include "yaml/node.h"

namespace aegis {

struct ObjectRef {
  const yaml::Node* root = nullptr;
  std::string api_version;  // as written, e.g. "apps/v1"
  std::string group;        // "" for the core group
  std::string kind;
  std::string name;
  std::string namespace_;          // effective namespace (defaulted when absent)
  bool namespace_defaulted = false;
  const yaml::Node* labels = nullptr;  // metadata.labels, may be null
  Mark mark;                            // where the object starts

  // "Deployment ns/name" (the object as messages name it).
  std::string Display() const;
};

// What a document holds: objects (a `kind: List` contributes its items) and, for
// anything that is not a Kubernetes object, a note explaining why it was skipped.
struct DocumentObjects {
  std::vector<ObjectRef> objects;
  struct Skipped {
    Mark mark;
    std::string reason;
  };
  std::vector<Skipped> skipped;  // the first kMaxSkippedListed
  size_t skipped_unlisted = 0;   // and how many more (a List of millions of `{}` costs a counter)
  static constexpr size_t kMaxSkippedListed = 20;
};

DocumentObjects ObjectsOf(const yaml::Node* root, const std::string& default_namespace);

}  // namespace aegis
