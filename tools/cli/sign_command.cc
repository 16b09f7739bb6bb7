// `aegis sign`: the producer side. Writes a cosign-compatible bundle (format A) for an
// artifact, or an OpenSSF model-signing bundle (format D) for a model directory, or pushes
// cosign's image signature (format E) for an oci:// reference, signed with a PEM private key
// or a Vault transit key.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/terminal_progress.h"
#include "platform/env.h"
#include "sign/bundle.h"
#include "sign/image_signature.h"
#include "sign/signer.h"
#include "util/file_io.h"
#include "util/strings.h"
#include "verifier/options.h"
#include "verifier/sources/oci_registry.h"

namespace aegis::cli {
namespace {
namespace fs = std::filesystem;

struct SignFlags {
  std::string artifact;
  std::string key;
  std::string password_file;
  std::string output;
  bool oms = false;
  std::vector<std::string> ignore_paths;
  bool no_ignore_git_paths = false;
  verifier::VaultConfig vault;
  std::string ca_bundle;  // oci://: the registry's CA
};

int Fail(const Error& e) {
  std::cerr << "aegis sign: error: " << Printable(e.Describe()) << "\n";
  return VerifierExitCode(e.kind);
}

// Whether `a` and `b` name the same file (an existing one by identity, else by path).
bool SameFile(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return false;
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec)) return fs::equivalent(a, b, ec);
  return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

// oci://: the signature goes to the registry, next to what it signs (cosign's layout).
int SignOci(const SignFlags& f, const sign::Signer& signer) {
  if (f.oms || !f.output.empty()) return Fail(Error{ErrorKind::kUsage, f.artifact, {}, "an oci:// reference is signed in its registry: no --oms or --output"});
  auto ref = verifier::ParseOciReference(f.artifact);
  if (!ref) return Fail(ref.error());
  auto credential = verifier::ResolveRegistryCredential(platform::ProcessEnv(), ref->registry);
  if (!credential) return Fail(credential.error());
  verifier::FetchOptions options;
  options.ca_bundle = f.ca_bundle;
  verifier::RegistryClient client(*ref, *credential, options);
  auto signed_image = sign::SignImage(signer, client, ref->digest.empty() ? ref->tag : ref->digest);
  if (!signed_image) return Fail(signed_image.error());
  std::cerr << "aegis sign: signed " << ref->registry << "/" << ref->repository << "@" << signed_image->manifest << " with "
            << signer.Describe() << " (cosign image signature, "
            << (signed_image->referrers_api ? "a referrer the registry indexes" : "a referrer listed in the referrers tag") << ")\n";
  std::cout << "oci://" << ref->registry << "/" << ref->repository << "@" << signed_image->referrer << "\n";
  return kExitClean;
}

int RunSign(SignFlags f) {
  verifier::VaultFromEnvironment(f.vault);
  if (f.key.empty() == !f.vault.configured()) {
    return Fail(Error{ErrorKind::kUsage, {}, {}, "give exactly one of --key or --vault-addr with --vault-key"});
  }
  Expected<std::unique_ptr<sign::Signer>> signer = Error{};
  if (!f.key.empty()) {
    std::string password;
    if (!f.password_file.empty()) {
      auto p = ReadInput(f.password_file);
      if (!p) return Fail(p.error());
      password = *p;
      while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) password.pop_back();
    } else if (const char* env = std::getenv("AEGIS_PASSWORD")) {
      password = env;
    } else if (const char* cosign = std::getenv("COSIGN_PASSWORD")) {  // as cosign users have it
      password = cosign;
    }
    signer = sign::LoadKeySigner(f.key, password);
  } else {
    signer = sign::ConnectVaultSigner(f.vault);
  }
  if (!signer) return Fail(signer.error());
  if (verifier::IsOciUri(f.artifact)) return SignOci(f, **signer);
  std::error_code ec;
  auto st = fs::status(f.artifact, ec);
  if (!fs::exists(st)) return Fail(Error{ErrorKind::kIo, f.artifact, {}, "no such file or directory"});
  bool is_dir = fs::is_directory(st);
  // A pipe or device has no stable bytes to sign (and a FIFO would block): only files.
  if (!is_dir && !fs::is_regular_file(st)) return Fail(Error{ErrorKind::kUsage, f.artifact, {}, "not a regular file: sign a file or a model directory"});
  Expected<std::string> text = Error{};
  std::string out = f.output;
  auto bar = TerminalProgress("aegis sign");  // hashing a multi-GB model takes a while
  if (bar && !is_dir) bar->Expect(fs::file_size(f.artifact, ec));
  if (f.oms) {
    std::vector<std::string> ignore = f.ignore_paths;
    if (!f.no_ignore_git_paths) ignore.insert(ignore.end(), {".git", ".gitattributes", ".github", ".gitignore"});
    text = sign::SignModelBundle(**signer, f.artifact, ignore, Feed(bar));
    if (out.empty()) out = is_dir ? (fs::path(f.artifact) / "model.sig").string() : f.artifact + ".sigstore.json";
  } else {
    if (is_dir) return Fail(Error{ErrorKind::kUsage, f.artifact, {}, "a directory: use --oms, or pack it first (aegis pack)"});
    text = sign::SignArtifactBundle(**signer, f.artifact, Feed(bar));
    if (out.empty()) out = f.artifact + ".sigstore.json";
  }
  if (bar) bar->Finish();
  if (!text) return Fail(text.error());
  for (const std::string* input : {&f.artifact, &f.key, &f.password_file}) {
    if (SameFile(out, *input)) {
      return Fail(Error{ErrorKind::kUsage, out, {}, fmt::format("the output would overwrite the input {}; choose another --output", *input)});
    }
  }
  if (Status s = WriteFileAtomically(out, *text); !s) return Fail(s.error());
  std::cerr << "aegis sign: signed " << f.artifact << " with " << (*signer)->Describe() << " ("
            << (f.oms ? "model-signing bundle" : "sigstore bundle") << ")\n";
  std::cout << out << "\n";
  return kExitClean;
}

}  // namespace

void SetupSign(CLI::App& sub, int& exit_code) {
  auto f = std::make_shared<SignFlags>();
  sub.add_option("artifact", f->artifact, "artifact file, a model directory with --oms, or oci://REGISTRY/REPOSITORY[:TAG|@DIGEST]")->required();
  sub.add_option("--ca-bundle", f->ca_bundle, "oci://: PEM file of the CAs the registry's certificate chains to");
  sub.add_option("--key", f->key, "PEM private key (PKCS#8, SEC1 or PKCS#1; EC, RSA or Ed25519)");
  sub.add_option("--password-file", f->password_file, "password of an encrypted key (else AEGIS_PASSWORD, then COSIGN_PASSWORD)");
  sub.add_option("-o,--output", f->output, "where to write (default <artifact>.sigstore.json, or <dir>/model.sig with --oms)");
  sub.add_flag("--oms", f->oms, "write an OpenSSF model-signing bundle over the model's files");
  sub.add_option("--ignore-paths", f->ignore_paths, "--oms: paths left out of the signature")
      ->delimiter(',')
      ->allow_extra_args(false);
  sub.add_flag("--allow-insecure-http", f->vault.allow_insecure_http, "allow an http:// Vault address (the token travels in clear)");
  sub.add_flag("--no-ignore-git-paths", f->no_ignore_git_paths,
               "--oms: sign .git, .gitattributes, .github and .gitignore too (left out by default, as model_signing does)");
  verifier::AddVaultOptions(sub, f->vault);
  sub.footer("Exit codes: 0 signed (the bundle's path on stdout); 2 usage (no key, an unreadable or encrypted key\n"
             "without its password, the output over an input); 4 Vault unreachable; 8 local I/O.\n"
             "The formats written: docs/SIGNATURES.md (installed in /usr/share/doc/aegis/).");
  sub.callback([f, &exit_code] { exit_code = RunSign(*f); });
}

}  // namespace aegis::cli
