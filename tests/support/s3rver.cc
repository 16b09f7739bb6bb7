#include "support/s3rver.h"

#include <filesystem>

namespace aegis::testing {

S3rver::S3rver() {
  std::string pkg = SourcePath("tests/s3/node_modules/@20minutes/s3rver/package.json");
  if (!HaveCommand("node") || !std::filesystem::exists(pkg) || !HaveCommand("curl")) {
    skip_ = "node, curl or tests/s3/node_modules (npm ci --prefix tests/s3) missing";
    return;
  }
  server_ = std::make_unique<ChildProcess>(std::vector<std::string>{"node", "serve.js", data_.path()}, SourcePath("tests/s3"));
  auto line = server_->ReadLine(30000);
  if (!line || !line->starts_with("READY ")) {
    skip_ = "s3rver did not start";
    return;
  }
  endpoint_ = "http://127.0.0.1:" + line->substr(6);
}

std::string S3rver::Put(const std::string& file, const std::string& key) const {
  auto put = RunShell("curl -sSf --aws-sigv4 aws:amz:us-east-1:s3 --user " + kS3AccessKey + ":" + kS3SecretKey +
                      " -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' -T '" + file + "' " + endpoint_ + "/models/" + key);
  return put.exit_code == 0 ? "" : "could not put " + key + ": " + put.err;
}

}  // namespace aegis::testing
