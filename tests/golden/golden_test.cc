// Golden CLI cases: each folder tests/golden/<command>/<case> holds `cmd` (the arguments,
// run from that folder), optional `stdin`, and the expected `stdout` and `exit` code.
// AEGIS_UPDATE_GOLDEN=1 rewrites the expectations (review the diff before committing).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "support/test_support.h"

namespace aegis {
namespace {
namespace fs = std::filesystem;

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, OutputAndExitCodeMatch) {
  std::string dir = testing::SourcePath("tests/golden/" + GetParam());
  std::string args = Trim(testing::ReadFile(dir + "/cmd"));
  std::string in = fs::exists(dir + "/stdin") ? testing::ReadFile(dir + "/stdin") : "";
  auto r = testing::RunAegis(args, dir, in);
  if (std::getenv("AEGIS_UPDATE_GOLDEN") != nullptr) {
    testing::WriteFile(dir + "/stdout", r.out);
    testing::WriteFile(dir + "/exit", std::to_string(r.exit_code) + "\n");
    GTEST_SKIP() << "updated";
  }
  EXPECT_EQ(r.out, testing::ReadFile(dir + "/stdout")) << "stderr: " << r.err;
  EXPECT_EQ(std::to_string(r.exit_code), Trim(testing::ReadFile(dir + "/exit")));
}

std::vector<std::string> Cases() {
  std::vector<std::string> out;
  for (const auto& group : fs::directory_iterator(testing::SourcePath("tests/golden"))) {
    if (!group.is_directory()) continue;
    for (const auto& e : fs::directory_iterator(group.path())) {
      if (e.is_directory() && fs::exists(e.path() / "cmd")) {
        out.push_back(group.path().filename().string() + "/" + e.path().filename().string());
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenTest, ::testing::ValuesIn(Cases()), [](const auto& param_info) {
  std::string n = param_info.param;
  std::replace(n.begin(), n.end(), '-', '_');
  std::replace(n.begin(), n.end(), '/', '_');
  return n;
});

}  // namespace
}  // namespace aegis
