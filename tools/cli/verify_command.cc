// `aegis verify`: the initContainer's engine for CI gates and humans. An artifact (path or
// URI) is checked exactly as verify-and-fetch would before placing it — signature,
// pins, archive safety — in a temporary directory that is removed afterwards; a local
// model directory is checked against its model-signing bundle. Same exit codes.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/project.h"
#include "cli/terminal_progress.h"
#include "platform/env.h"
#include "platform/net_error.h"
#include "platform/temp_dir.h"
#include "util/file_io.h"
#include "util/strings.h"
#include "verifier/common/verify_error.h"
#include "verifier/options.h"
#include "verifier/run.h"
#include "verifier/trust/signature.h"
#include "verifier/trust/trust.h"

namespace aegis::cli {
namespace {
namespace fs = std::filesystem;
using verifier::RunSummary;

struct VerifyFlags {
  verifier::Options o;
  std::string format = "text";
  bool verbose = false;
  bool signature_only = false;
  ConfigFlags config;
};

// The project file's trust, when no flag or variable names any: its public key, or its
// keyless identity and trusted root.
Status ApplyProject(VerifyFlags& f) {
  verifier::Options& o = f.o;
  if (!o.key.empty() || !o.certificate_chain.empty() || !o.vault.addr.empty()) return Ok{};
  auto project = LoadProjectConfig(f.config);
  if (!project) return project.error();
  if (!*project) return Ok{};
  const ProjectConfig& p = **project;
  if (p.keyless.set()) {  // the identity, and the root unless --trusted-root names one
    if (o.trusted_root.empty()) o.trusted_root = p.keyless.trusted_root;
    if (!o.identity.complete()) {
      o.identity = verifier::IdentityPolicy{p.keyless.identity, p.keyless.identity_regexp, p.keyless.issuer, p.keyless.issuer_regexp};
    }
  } else if (o.trusted_root.empty()) {
    o.key = p.public_key;
  }
  return Ok{};
}

// A model directory with its model-signing bundle (model.sig inside, or --signature).
Expected<RunSummary> VerifyTree(const verifier::Options& o) {
  if (!o.expected_sha256.empty()) {  // silently ignoring a pin would pass what it should refuse
    return Error{ErrorKind::kUsage, o.artifact, {},
                 "--expected-sha256 pins an artifact file, not a model directory (pin a directory with --expected-name "
                 "and its signature, or verify the packed archive)"};
  }
  std::string sig_path = o.signature.empty() ? (fs::path(o.artifact) / "model.sig").string() : o.signature;
  auto text = ReadInput(sig_path);
  if (!text) return Error{NetError::kNotFound, sig_path, {}, "no model-signing bundle"};
  auto sig = verifier::ParseSignatureFile(*text);
  if (!sig) return Error{VerifyError::kSignature, sig_path, {}, sig.error().message};
  if (sig->format != verifier::SignatureFile::Format::kModelSigning) {
    return Error{VerifyError::kSignature, sig_path, {}, "a directory needs a model-signing bundle"};
  }
  auto trust = verifier::ResolveTrust(o.key, verifier::VaultWithTransport(o), o.certificate_chain,
                                     verifier::KeylessOptions{o.trusted_root, o.identity, {}, o.allow_any_identity,
                                                              o.predicate_types});
  if (!trust) return trust.error();
  auto v = verifier::VerifyTreeWith(*trust, *sig, o.artifact, o.ignore_paths);
  if (!v) {
    Error e = v.error();
    if (e.kind == VerifyError::kSignature) e.file = sig_path;
    return e;
  }
  if (!o.expected_name.empty() && v->subject != o.expected_name) {
    return Error{VerifyError::kSignature, sig_path, {}, fmt::format("the signature binds the name {:?}, not the expected {:?}", v->subject, o.expected_name)};
  }
  RunSummary s;
  s.artifact = o.artifact;
  s.signature = sig_path;
  s.format = "model-signing";
  s.key = v->key;
  s.notes = v->notes;
  s.signer = v->signer;
  return s;
}

Expected<RunSummary> VerifyArtifact(verifier::Options o, bool verbose, bool signature_only) {
  auto tmp = platform::TempDir::Create("", "aegis-verify-");  // removed on return
  if (!tmp) return tmp.error();
  o.dest = tmp->path() + "/model";
  o.termination_log.clear();
  std::ofstream null_stream;  // never opened: discards everything
  verifier::Logger log(verbose ? std::cerr : null_stream, o.log_format == verifier::LogFormat::kJson);
  verifier::Progress::Sink bar = verbose ? verifier::Progress::Sink() : TerminalSink("aegis verify");
  o.progress_interval = bar ? TerminalInterval() : verbose ? o.progress_interval : std::chrono::milliseconds(0);
  verifier::RunContext ctx{platform::ProcessEnv(), &log, bar};
  return signature_only ? verifier::CheckSignature(o, ctx) : verifier::VerifyAndFetch(o, ctx);
}

int Report(const VerifyFlags& f, const Expected<RunSummary>& r) {
  int code = r ? kExitClean : VerifierExitCode(r.error().kind);
  if (f.format == "json") {
    nlohmann::json j = {{"verified", r.ok()}, {"artifact", f.o.artifact}, {"exitCode", code}};
    if (f.signature_only) j["signatureOnly"] = true;  // the signature and the digest it signs, not the bytes
    if (r) {
      j.update({{"format", r->format}, {"signature", r->signature}, {"key", r->key}});
      if (!r->sha256.empty()) j["sha256"] = r->sha256;
      if (!r->notes.empty()) j["notes"] = r->notes;
      if (r->signer) {
        j["signer"] = {{"identity", r->signer->identity},
                       {"issuer", r->signer->issuer},
                       {"logIndex", r->signer->log_index},
                       {"signedAt", verifier::FormatUtc(r->signer->signed_at)}};
      }
    } else {
      j["error"] = r.error().Describe();
    }
    std::cout << j.dump(2) << "\n";
    return code;
  }
  if (!r) {
    std::cerr << "aegis verify: FAILED: " << Printable(r.error().Describe()) << "\n";
    return code;
  }
  std::cout << (f.signature_only ? "signature verified (the model was not fetched): " : "verified: ") << f.o.artifact
            << "\n  format: " << r->format << "\n  signature: " << r->signature << "\n  key: " << r->key << "\n";
  if (!r->sha256.empty()) std::cout << "  sha256: " << r->sha256 << "\n";
  if (!r->notes.empty()) std::cout << "  note: " << r->notes << "\n";
  return code;
}

}  // namespace

void SetupVerify(CLI::App& sub, int& exit_code) {
  auto f = std::make_shared<VerifyFlags>();
  verifier::Options& o = f->o;
  o.key = "";
  sub.add_option("artifact", o.artifact, "artifact path or URI (s3://, gs://, Azure Blob https://, hf://, https://, file://; s3://b/p/, gs://b/p/, Azure …/p/ and hf://OWNER/MODEL@COMMIT are model directories), or a local model directory")->required();
  sub.add_option("--signature", o.signature, "signature path or URI (default: discovery as verify-and-fetch)");
  sub.add_option("--key", o.key, "trusted public key file or directory (default: the project file's publicKey)");
  sub.add_option("--certificate-chain", o.certificate_chain, "CA certificates (PEM) for certificate-signed model-signing bundles");
  verifier::AddKeylessOptions(sub, o);
  verifier::AddVaultOptions(sub, o.vault);
  sub.add_option("--expected-sha256", o.expected_sha256, "refuse any other artifact digest");
  sub.add_option("--expected-name", o.expected_name, "model name the model-signing bundle must bind");
  sub.add_option("--ignore-paths", o.ignore_paths, "model-signing: paths not covered by the signature")->delimiter(',');
  sub.add_flag("--allow-insecure-http", o.allow_insecure_http, "allow http:// URIs");
  sub.add_option("--ca-bundle", o.ca_bundle, "CA bundle for https:// and S3 endpoints");
  sub.add_flag("--anonymous", o.anonymous, "S3, Cloud Storage and Azure without credentials");
  sub.add_flag("--allow-unpinned-revision", o.allow_unpinned_revision, "hf:// at a branch or tag (default: a commit is required)");
  sub.add_option("-o,--output,--format", f->format, "Output format: text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  sub.add_flag("-v,--verbose", f->verbose, "show the verifier's log on stderr");
  sub.add_flag("--signature-only", f->signature_only,
               "check what admission can without the model: the signature, with the same trust, over the digest it "
               "signs (a bundle's, a statement's subject, an OCI manifest's, or --expected-sha256); the model is not "
               "fetched");
  sub.footer("Exit codes are verify-and-fetch's: 0 verified, 2 usage, 3 not found, 4 network, 5 signature invalid,\n"
             "6 archive rejected, 7 no trust material, 8 local I/O.\n"
             "Signature formats: docs/SIGNATURES.md; the verifier: docs/VERIFIER.md (in /usr/share/doc/aegis/).");
  AddConfigFlags(sub, f->config);
  sub.callback([f, &exit_code] {
    verifier::VaultFromEnvironment(f->o.vault);
    if (Status st = ApplyProject(*f); !st) {
      std::cerr << "aegis verify: error: " << Printable(st.error().Describe()) << "\n";
      exit_code = kExitUsage;
      return;
    }
    std::error_code ec;
    bool dir = fs::is_directory(f->o.artifact, ec);
    if (dir && f->signature_only) {
      std::cerr << "aegis verify: error: --signature-only checks a remote artifact's signature; a local directory is "
                   "verified whole\n";
      exit_code = kExitUsage;
      return;
    }
    exit_code = Report(*f, dir ? VerifyTree(f->o) : VerifyArtifact(f->o, f->verbose, f->signature_only));
  });
}

}  // namespace aegis::cli
