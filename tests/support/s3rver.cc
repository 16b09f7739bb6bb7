#include "support/s3rver.h"

#include <filesystem>

namespace aegis::testing {

S3rver::S3rver(bool https) {
  std::string pkg = SourcePath("tests/s3/node_modules/@20minutes/s3rver/package.json");
  if (!HaveCommand("node") || !std::filesystem::exists(pkg) || !HaveCommand("curl")) {
    skip_ = "node, curl or tests/s3/node_modules (npm ci --prefix tests/s3) missing";
    return;
  }
  std::vector<std::string> argv = {"node", "serve.js", data_.path()};
  if (https) {
    skip_ = MakeTestServerCertificate(certs_.path(), "s3-test-ca");
    if (!skip_.empty()) return;
    argv.insert(argv.begin(), {"env", "AEGIS_S3_TLS_CERT=" + certs_.File("server.pem"), "AEGIS_S3_TLS_KEY=" + certs_.File("server.key")});
  }
  server_ = std::make_unique<ChildProcess>(argv, SourcePath("tests/s3"));
  auto line = server_->ReadLine(30000);
  if (!line || !line->starts_with("READY ")) {
    skip_ = "s3rver did not start";
    return;
  }
  endpoint_ = (https ? "https://127.0.0.1:" : "http://127.0.0.1:") + line->substr(6);
}

std::string S3rver::Put(const std::string& file, const std::string& key) const {
  std::string ca = endpoint_.starts_with("https:") ? "--cacert " + ca_file() + " " : "";
  auto put = RunShell("curl -sSf " + ca + "--aws-sigv4 aws:amz:us-east-1:s3 --user " + kS3AccessKey + ":" + kS3SecretKey +
                      " -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' -T '" + file + "' " + endpoint_ + "/models/" + key);
  return put.exit_code == 0 ? "" : "could not put " + key + ": " + put.err;
}

}  // namespace aegis::testing
