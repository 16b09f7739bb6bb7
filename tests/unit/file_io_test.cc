// util/file_io.h: replacing files in place never loses what happened to them meanwhile.
#include "util/file_io.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <filesystem>
#include <future>
#include <iterator>

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

// Only a regular file is replaced by a rename. lint -o /dev/null as root once turned the
// machine's /dev/null into a regular file; a FIFO's reader hung on a node that was gone.
TEST(OutputFile, AFifoIsWrittenThroughAndStaysAFifo) {
  TempDir d;
  const std::string fifo = d.File("report.fifo");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto reader = std::async(std::launch::async, [&] { return ReadFile(fifo); });
  ASSERT_TRUE(WriteFileAtomically(fifo, "findings\n"));
  EXPECT_EQ(reader.get(), "findings\n");
  struct stat st {};
  ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

TEST(OutputFile, ALinkToADeviceStaysALinkAndTheDeviceADevice) {
  TempDir d;
  const std::string link = d.File("null");
  ASSERT_EQ(::symlink("/dev/null", link.c_str()), 0);
  ASSERT_TRUE(WriteFileAtomically(link, "discarded\n"));
  struct stat st {};
  ASSERT_EQ(::lstat(link.c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST(OutputFile, ALinkToARegularFileWritesTheFileAndKeepsTheLink) {
  TempDir d;
  WriteFile(d.File("real.txt"), "old\n");
  ASSERT_EQ(::symlink("real.txt", d.File("link.txt").c_str()), 0);
  ASSERT_TRUE(WriteFileAtomically(d.File("link.txt"), "new\n"));
  struct stat st {};
  ASSERT_EQ(::lstat(d.File("link.txt").c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  EXPECT_EQ(ReadFile(d.File("real.txt")), "new\n");
}

TEST(OutputFile, ARegularFileIsReplacedWholeKeepingItsMode) {
  TempDir d;
  WriteFile(d.File("out.json"), "old\n");
  ASSERT_EQ(::chmod(d.File("out.json").c_str(), 0640), 0);
  {
    auto out = OutputFile::Open(d.File("out.json"));
    ASSERT_TRUE(out);
    ASSERT_TRUE(out->Write("half"));
    EXPECT_EQ(ReadFile(d.File("out.json")), "old\n");  // not committed: untouched
  }
  EXPECT_EQ(ReadFile(d.File("out.json")), "old\n");
  ASSERT_TRUE(WriteFileAtomically(d.File("out.json"), "new\n"));
  EXPECT_EQ(ReadFile(d.File("out.json")), "new\n");
  struct stat st {};
  ASSERT_EQ(::stat(d.File("out.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(d.path()), {}), 1);  // no temporary left
}

TEST(OutputFile, ADirectoryIsRefused) {
  TempDir d;
  auto st = WriteFileAtomically(d.path(), "x");
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("is a directory"), std::string::npos) << st.error().message;
}

}  // namespace
}  // namespace aegis
