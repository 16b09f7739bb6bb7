// util/file_io.h: replacing files in place never loses what happened to them meanwhile.
#include "util/file_io.h"

#include <fstream>

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace aegis {
namespace {

using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

// An append made between reading and replacing (an editor saving, a generator still
// writing) is kept: the replacement is refused and no file of the set is rewritten.
TEST(ReplaceFiles, AChangeSinceTheReadRefusesTheWholeSet) {
  TempDir d;
  WriteFile(d.File("a.yaml"), "a: 1\n");
  WriteFile(d.File("b.yaml"), "b: 1\n");
  auto a = StampOf(d.File("a.yaml"));
  auto b = StampOf(d.File("b.yaml"));
  ASSERT_TRUE(a && b);
  std::ofstream(d.File("b.yaml"), std::ios::app) << "appended: true\n";
  auto st = ReplaceFiles({{d.File("a.yaml"), "a: 2\n", *a}, {d.File("b.yaml"), "b: 2\n", *b}});
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("changed while render ran"), std::string::npos) << st.error().message;
  EXPECT_EQ(ReadFile(d.File("a.yaml")), "a: 1\n");
  EXPECT_EQ(ReadFile(d.File("b.yaml")), "b: 1\nappended: true\n");

  auto a2 = StampOf(d.File("a.yaml"));
  auto b2 = StampOf(d.File("b.yaml"));
  ASSERT_TRUE(ReplaceFiles({{d.File("a.yaml"), "a: 2\n", *a2}, {d.File("b.yaml"), "b: 2\n", *b2}}));
  EXPECT_EQ(ReadFile(d.File("a.yaml")), "a: 2\n");
  EXPECT_EQ(ReadFile(d.File("b.yaml")), "b: 2\n");
}

}  // namespace
}  // namespace aegis
