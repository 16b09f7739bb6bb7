// Safe extraction against real archives written here with libarchive's writer: the valid
// formats extract faithfully; each hostile kind is rejected as an archive error, leaves no
// staging directory and creates nothing outside it.
#include <gtest/gtest.h>

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "support/archives.h"
#include "support/test_support.h"
#include "verifier/common/verify_error.h"
#include "verifier/place/extract.h"

// Archive entries below list only the fields that matter; the rest take their defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace aegis::verifier {
namespace {
namespace fs = std::filesystem;

using E = testing::Entry;
using Fmt = testing::ArchiveFormat;

void Write(const std::string& file, Fmt fmt, const std::vector<E>& entries) {
  ASSERT_EQ(testing::WriteArchive(file, fmt, entries), "");
}

class ExtractTest : public ::testing::Test {
 protected:
  std::string Archive(Fmt fmt, const std::vector<E>& entries) {
    std::string p = dir_.File("in.archive");
    Write(p, fmt, entries);
    return p;
  }
  std::string Staging() const { return dir_.File("out/staging"); }
  void SetUp() override { fs::create_directories(dir_.File("out")); }

  // The archive is rejected, nothing is left in out/, nothing escaped to the temp dir.
  void ExpectRejected(const std::string& archive, const std::string& why, const ExtractLimits& limits = {}) {
    auto r = ExtractArchive(archive, Staging(), limits);
    ASSERT_FALSE(r.ok()) << "accepted: " << why;
    EXPECT_EQ(r.error().kind, VerifyError::kArchive) << r.error().Describe();
    EXPECT_NE(r.error().message.find(why), std::string::npos) << r.error().message;
    EXPECT_TRUE(fs::is_empty(dir_.File("out"))) << "staging left behind";
    for (const auto& e : fs::directory_iterator(dir_.path())) {
      std::string name = e.path().filename().string();
      EXPECT_TRUE(name == "in.archive" || name == "out") << "escaped: " << name;
    }
  }

  testing::TempDir dir_;
};

TEST_F(ExtractTest, ValidArchivesExtractFaithfullyInEveryFormat) {
  for (Fmt fmt : {Fmt::kTar, Fmt::kTarGz, Fmt::kTarZst, Fmt::kZip}) {
    SCOPED_TRACE(static_cast<int>(fmt));
    fs::remove_all(Staging());
    std::string a = Archive(fmt, {{"model/", AE_IFDIR, 0755},
                                  {"model/config.pbtxt", AE_IFREG, 0666, "name: \"resnet\"\n"},
                                  {"model/1/model.onnx", AE_IFREG, 0644, std::string(100000, 'w')},
                                  {"model/run.sh", AE_IFREG, 0777, "#!/bin/sh\n"},
                                  {"model/latest", AE_IFLNK, 0777, "", "1"},
                                  {"model/1/same.onnx", AE_IFREG, 0644, "", "", "model/1/model.onnx"}});
    auto r = ExtractArchive(a, Staging());
    ASSERT_TRUE(r.ok()) << r.error().Describe();
    EXPECT_EQ(r->entries, 6u);
    EXPECT_EQ(testing::ReadFile(Staging() + "/model/config.pbtxt"), "name: \"resnet\"\n");
    EXPECT_EQ(fs::file_size(Staging() + "/model/1/model.onnx"), 100000u);
    EXPECT_EQ(fs::read_symlink(Staging() + "/model/latest"), "1");
    // Zip has no hardlinks: libarchive's zip writer stores that entry as a plain file.
    EXPECT_EQ(fs::hard_link_count(Staging() + "/model/1/model.onnx"), fmt == Fmt::kZip ? 1u : 2u);
    struct stat st {};
    stat((Staging() + "/model/config.pbtxt").c_str(), &st);
    EXPECT_EQ(st.st_mode & 0777, 0644u) << "group/other write must be dropped";
    stat((Staging() + "/model/run.sh").c_str(), &st);
    EXPECT_EQ(st.st_mode & 0777, 0755u);
  }
}

TEST_F(ExtractTest, ImplicitDirectoriesAndDotSlashNamesAreFine) {
  // `tar -C dir .` writes the root itself as "./" first.
  auto r = ExtractArchive(
      Archive(Fmt::kTarGz, {{"./", AE_IFDIR, 0755}, {"./a/b/c.bin", AE_IFREG, 0644, "x"}, {"./a/", AE_IFDIR}}), Staging());
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_TRUE(fs::is_regular_file(Staging() + "/a/b/c.bin"));
}

TEST_F(ExtractTest, AFileNamedLikeTheRootIsRefused) {
  auto r = ExtractArchive(Archive(Fmt::kTar, {{"./", AE_IFREG, 0644, "x"}}), Staging());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, VerifyError::kArchive);
  EXPECT_FALSE(fs::exists(Staging()));
}

using Hostile = testing::HostileArchive;
using testing::HostileArchives;

class HostileTest : public ExtractTest, public ::testing::WithParamInterface<Hostile> {};

TEST_P(HostileTest, IsRejectedWithNothingLeftBehind) {
  const Hostile& h = GetParam();
  ExpectRejected(Archive(h.format, h.entries), h.why);
}

INSTANTIATE_TEST_SUITE_P(Extract, HostileTest, ::testing::ValuesIn(HostileArchives()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST_F(ExtractTest, DecompressionBombIsStoppedEarly) {
  std::string a = Archive(Fmt::kTarGz, {{"zeros", AE_IFREG, 0644, std::string(64u << 20, '\0')}});
  ASSERT_LT(fs::file_size(a), 1u << 20);
  ExpectRejected(a, "decompression bomb");
}

TEST_F(ExtractTest, LimitsAreEnforced) {
  ExtractLimits few;
  few.max_entries = 3;
  ExpectRejected(Archive(Fmt::kTar, {{"a", AE_IFREG, 0644, "1"}, {"b", AE_IFREG, 0644, "2"}, {"c", AE_IFREG, 0644, "3"},
                                     {"d", AE_IFREG, 0644, "4"}}),
                 "more than 3 entries", few);
  ExtractLimits small;
  small.max_file_bytes = 1000;
  ExpectRejected(Archive(Fmt::kTar, {{"big", AE_IFREG, 0644, std::string(1001, 'x')}}), "file limit", small);
  ExtractLimits total;
  total.max_total_bytes = 1500;
  ExpectRejected(Archive(Fmt::kTar, {{"a", AE_IFREG, 0644, std::string(1000, 'x')}, {"b", AE_IFREG, 0644, std::string(1000, 'y')}}),
                 "byte limit", total);
}

// GNU tar's sparse format (written by the real `tar --sparse`): data blocks at offsets and a
// declared size past the last one. The trailing hole is part of the file, and holes count
// against the limits like the zeros they are.
TEST_F(ExtractTest, SparseFilesKeepTheirTrailingHoleAndCountAgainstTheLimits) {
  auto made = testing::RunShell("mkdir src && cd src && printf head > s && truncate -s 3000000 s && printf tail >> s && "
                                "truncate -s 5000000 s && truncate -s 4000000 hole && tar --sparse --format=gnu -cf ../in.archive s hole && "
                                "cd .. && rm -r src",
                                dir_.path());
  ASSERT_EQ(made.exit_code, 0) << made.err;
  ASSERT_LT(fs::file_size(dir_.File("in.archive")), 100000u) << "the archive holds the data blocks only";
  auto r = ExtractArchive(dir_.File("in.archive"), Staging(), {});
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(fs::file_size(Staging() + "/s"), 5000000u) << "the trailing hole was dropped";
  EXPECT_EQ(fs::file_size(Staging() + "/hole"), 4000000u);
  EXPECT_EQ(testing::ReadFile(Staging() + "/s").substr(3000000, 4), "tail");
  EXPECT_EQ(r->bytes, 9000000u) << "holes are counted as the bytes they place";
  fs::remove_all(Staging());

  ExtractLimits file;
  file.max_file_bytes = 4500000;
  ExpectRejected(dir_.File("in.archive"), "file limit", file);
  ExtractLimits total;
  total.max_total_bytes = 8000000;
  total.max_ratio = 1000000;
  ExpectRejected(dir_.File("in.archive"), "byte limit", total);
}

TEST_F(ExtractTest, TruncatedAndCorruptArchivesAreRejected) {
  std::string a = Archive(Fmt::kTarGz, {{"f", AE_IFREG, 0644, std::string(300000, 'r')}, {"g", AE_IFREG, 0644, "x"}});
  std::string bytes = testing::ReadFile(a);
  testing::WriteFile(a, bytes.substr(0, bytes.size() / 2));
  ExpectRejected(a, "corrupt");

  std::string t = Archive(Fmt::kTar, {{"f", AE_IFREG, 0644, "data"}});
  std::string tar = testing::ReadFile(t);
  for (size_t i = 148; i < 156; ++i) tar[i] = 'Z';  // the header checksum
  testing::WriteFile(t, tar);
  ExpectRejected(t, "not a tar, tar.gz, tar.zst or zip archive");

  testing::WriteFile(dir_.File("in.archive"), "this is not an archive at all, just some text\n");
  auto r = ExtractArchive(dir_.File("in.archive"), Staging());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, VerifyError::kArchive);
  EXPECT_FALSE(fs::exists(Staging()));
}

TEST_F(ExtractTest, ExistingStagingDirectoryIsNotReused) {
  fs::create_directories(Staging());
  auto r = ExtractArchive(Archive(Fmt::kTar, {{"f", AE_IFREG, 0644, "x"}}), Staging());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kIo);
}

}  // namespace
}  // namespace aegis::verifier
