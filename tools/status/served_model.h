// One model-serving pod as `aegis status` reports it: which workload and component it serves,
// and what its verifier says — the success record it left in the pod's status (the digest it
// placed and who signed it, docs/VERIFIER.md "Termination message"), or why it failed. Pure
// functions of the objects the API server returns.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "policy/constraint.h"
#include "policy/match.h"

namespace aegis::status {

enum class State {
  kVerified,    // the verifier exited 0: the model the server reads is the signed one
  kFailed,      // the verifier exited non-zero (now or on its last attempt): the server never starts
  kVerifying,   // the verifier has not finished
  kNoVerifier,  // selected, but no initContainer the policy accepts as the verifier (admitted before
                // the policy, or under a dryrun/warn constraint)
};
const char* StateName(State s);  // Verified, Failed, Verifying, NoVerifier

struct ServedModel {
  std::string namespace_, pod;
  std::string workload;                  // InferenceService/NAME, Deployment/NAME, StatefulSet/NAME, …, or Pod/NAME
  std::string component;                 // KServe's component label (predictor, transformer, explainer), or ""
  std::string model;                     // the artifact URI the verifier fetches
  std::vector<std::string> constraints;  // the AegisSignedPod constraints that select the pod
  std::string verifier;                  // the verifier initContainer's name ("" for kNoVerifier)
  State state = State::kVerifying;
  bool ready = false;  // the pod's Ready condition
  // kVerified: from the success record (empty when the verifier wrote none: an older version).
  std::string digest, verified_at;
  nlohmann::json signer = nlohmann::json::object();  // key, keyFingerprint; identity, issuer, logIndex
  // kFailed: the verifier's exit code and termination message.
  int exit_code = 0;
  std::string reason;
};

// The pod as status reports it; nullopt when no constraint selects it. A pod KServe made for an
// InferenceService (label serving.kserve.io/inferenceservice) is also selected where a constraint
// selects that InferenceService (its name, namespace and the labels KServe copies to the pod).
std::optional<ServedModel> Describe(const nlohmann::json& pod, const Labels& namespace_labels,
                                    const std::vector<Constraint>& constraints);

// "key sha256:9a0e…", "https://github.com/x/y/.github/workflows/sign.yml@refs/heads/main
// (https://token.actions.githubusercontent.com)", "vault", or "" — a signer in one line.
std::string SignerText(const nlohmann::json& signer);

}  // namespace aegis::status
