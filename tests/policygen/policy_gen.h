// Generates, from the policy corpus (tests/corpus), the Rego corpus tests
// (rego/corpus_test.rego), the gator verify suite (tests/gator/suite.yaml, tests/gator/) and the
// gatekeeper-library layout (policies/library/aegissignedpod: template, samples, suite), and the
// Helm chart's copy of the template (manifests/helm/aegis/files/constrainttemplate.yaml).
// A test regenerates them and fails when the committed files drift from the corpus.
#pragma once

#include <string>
#include <vector>

namespace aegis::policygen {

struct GeneratedFile {
  std::string path;  // relative to the repository root
  std::string content;
};

std::vector<GeneratedFile> Generate(const std::string& repo_root);

// Directories whose contents are wholly generated (stale files there are drift too).
std::vector<std::string> GeneratedDirectories();

}  // namespace aegis::policygen
