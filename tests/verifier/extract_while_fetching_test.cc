// A tar extracted from a reader in one pass, and while its download is still arriving: the
// same tree as extraction from the finished file; a reader's error (a failed download) ends
// it with that error and no tree; an abandoned download stops a waiting extraction.
#include <gtest/gtest.h>

#include <archive_entry.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "platform/net_error.h"
#include "support/archives.h"
#include "support/test_support.h"
#include "verifier/common/verify_error.h"
#include "verifier/place/extract.h"
#include "verifier/place/extract_while_fetching.h"

// Archive entries below list only the fields that matter; the rest take their defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace aegis::verifier {
namespace {
namespace fs = std::filesystem;

using E = testing::Entry;
using Fmt = testing::ArchiveFormat;

const std::vector<E>& Model() {
  static const std::vector<E> entries = {{"config.pbtxt", AE_IFREG, 0644, "name: \"resnet\"\n"},
                                         {"1/model.onnx", AE_IFREG, 0644, std::string(3 << 20, 'w')},
                                         {"latest", AE_IFLNK, 0777, "", "1"},
                                         {"tokenizer.json", AE_IFREG, 0644, "{}\n"}};
  return entries;
}

// Reads a file at most `piece` bytes at a time, as a download's final prefix grows.
ArchiveReader PiecesOf(const std::string& file, size_t piece) {
  auto text = std::make_shared<std::string>(testing::ReadFile(file));
  return [text, piece](uint64_t offset, char* buf, size_t n) -> Expected<size_t> {
    if (offset >= text->size()) return size_t{0};
    size_t got = std::min({n, piece, text->size() - static_cast<size_t>(offset)});
    std::copy_n(text->data() + offset, got, buf);
    return got;
  };
}

class ExtractStreamTest : public ::testing::Test {
 protected:
  std::string Archive(Fmt fmt, const std::vector<E>& entries = Model()) {
    std::string p = dir_.File("model.archive");
    EXPECT_EQ(testing::WriteArchive(p, fmt, entries), "");
    return p;
  }
  std::string Staging() const { return dir_.File("staging"); }
  void ExpectModel() {
    EXPECT_EQ(testing::ReadFile(Staging() + "/config.pbtxt"), "name: \"resnet\"\n");
    EXPECT_EQ(testing::ReadFile(Staging() + "/1/model.onnx"), std::string(3 << 20, 'w'));
    EXPECT_EQ(fs::read_symlink(Staging() + "/latest"), "1");
  }
  testing::TempDir dir_;
};

TEST_F(ExtractStreamTest, EveryTarFormatReadInSmallPiecesGivesTheTreeOfTheFile) {
  for (Fmt fmt : {Fmt::kTar, Fmt::kTarGz, Fmt::kTarZst}) {
    SCOPED_TRACE(static_cast<int>(fmt));
    fs::remove_all(Staging());
    std::string a = Archive(fmt);
    auto r = ExtractTarStream("s3://m/model.tar", fs::file_size(a), PiecesOf(a, 4093), Staging());
    ASSERT_TRUE(r.ok()) << r.error().Describe();
    EXPECT_EQ(r->entries, 4u);
    ExpectModel();
  }
}

TEST_F(ExtractStreamTest, AReadersErrorIsTheResultAndNoTreeIsLeft) {
  std::string a = Archive(Fmt::kTar);
  ArchiveReader whole = PiecesOf(a, 1 << 20);
  ArchiveReader failing = [&](uint64_t offset, char* buf, size_t n) -> Expected<size_t> {
    if (offset > (1 << 20)) return Error{NetError::kNetwork, "s3://m/model.tar", {}, "connection reset after 3 attempts"};
    return whole(offset, buf, n);
  };
  auto r = ExtractTarStream("s3://m/model.tar", fs::file_size(a), failing, Staging());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, NetError::kNetwork);
  EXPECT_EQ(r.error().message, "connection reset after 3 attempts");
  EXPECT_FALSE(fs::exists(Staging()));
}

TEST_F(ExtractStreamTest, HostileEntriesAreRefusedAsFromAFile) {
  std::string a = Archive(Fmt::kTarGz, {{"ok", AE_IFREG, 0644, "x"}, {"../escape", AE_IFREG, 0644, "x"}});
  auto r = ExtractTarStream("s3://m/model.tgz", fs::file_size(a), PiecesOf(a, 100), Staging());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, VerifyError::kArchive);
  EXPECT_NE(r.error().message.find("`..`"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().file, "s3://m/model.tgz");
  EXPECT_FALSE(fs::exists(Staging()));
  EXPECT_FALSE(fs::exists(dir_.File("escape")));
}

TEST_F(ExtractStreamTest, AZipIsNotReadAsAStream) {
  std::string a = Archive(Fmt::kZip);
  auto r = ExtractTarStream("s3://m/model.zip", fs::file_size(a), PiecesOf(a, 1 << 20), Staging());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, VerifyError::kArchive);
  EXPECT_FALSE(fs::exists(Staging()));
}

// The archive is written to disk in three steps and each step published only after it is
// written, as the fetch publishes what it has hashed: the extraction must read nothing else.
TEST_F(ExtractStreamTest, WhileFetchingReadsOnlyWhatIsFinal) {
  std::string whole = testing::ReadFile(Archive(Fmt::kTar));
  std::string file = dir_.File("download");
  std::ofstream out(file, std::ios::binary);
  ExtractWhileFetching x("s3://m/model.tar", file, Staging(), {});
  auto progress = x.Progress();
  size_t third = whole.size() / 3;
  for (size_t from = 0; from < 2 * third; from += third) {
    out.write(whole.data() + from, static_cast<std::streamsize>(third));
    out.flush();
    progress(whole.size(), from + third);
  }
  out.write(whole.data() + 2 * third, static_cast<std::streamsize>(whole.size() - 2 * third));
  out.close();
  auto r = x.Finish(whole.size());
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(r->entries, 4u);
  ExpectModel();
}

// What the extraction has consumed is given back to the file system as it goes: the
// work area holds about one copy of the model, not the archive and the tree.
TEST_F(ExtractStreamTest, WhileFetchingGivesBackTheArchivesConsumedBlocks) {
  std::string file = Archive(Fmt::kTar, {{"1/model.onnx", AE_IFREG, 0644, std::string(40 << 20, 'w')}});
  uint64_t size = fs::file_size(file);
  ExtractWhileFetching x("s3://m/model.tar", file, Staging(), {});
  auto r = x.Finish(size);
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(fs::file_size(Staging() + "/1/model.onnx"), 40u << 20);
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(static_cast<uint64_t>(st.st_size), size) << "the size is kept";
  EXPECT_LT(static_cast<uint64_t>(st.st_blocks) * 512, size / 4) << "the consumed blocks are still allocated";
}

TEST_F(ExtractStreamTest, AnAbandonedDownloadStopsTheExtractionAndRemovesItsTree) {
  std::string whole = testing::ReadFile(Archive(Fmt::kTar));
  std::string file = dir_.File("download");
  testing::WriteFile(file, whole.substr(0, whole.size() / 2));
  {
    ExtractWhileFetching x("s3://m/model.tar", file, Staging(), {});
    x.Progress()(whole.size(), whole.size() / 2);  // it extracts half, then waits for more
    x.Abandon();
    EXPECT_FALSE(fs::exists(Staging()));
  }
  {
    ExtractWhileFetching never("s3://m/model.tar", file, Staging(), {});
  }  // abandoned before the download knew its size: nothing was created
  EXPECT_FALSE(fs::exists(Staging()));
}

}  // namespace
}  // namespace aegis::verifier
