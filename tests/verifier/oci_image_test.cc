// Image layers of a KServe modelcar: only /models is the model, and every archive rule still
// holds for it once the prefix is removed (each hostile archive kind of extract_test, placed
// under models/ in a layer, is refused).
#include <gtest/gtest.h>

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include <filesystem>

#include "support/archives.h"
#include "support/test_support.h"
#include "verifier/common/verify_error.h"
#include "verifier/place/oci_image.h"

namespace aegis::verifier {
namespace {
namespace fs = std::filesystem;
using testing::ArchiveFormat;
using testing::Entry;
using testing::TempDir;

Expected<ExtractStats> FilterAndExtract(const TempDir& d, const std::vector<Entry>& entries, ArchiveFormat format = ArchiveFormat::kTarGz) {
  std::string layer = d.File("layer"), tar = d.File("filtered.tar"), out = d.File("out");
  fs::remove_all(out);
  EXPECT_EQ(testing::WriteArchive(layer, format, entries), "");
  auto kept = FilterLayer(layer, tar, kModelcarDir, ExtractLimits{});
  if (!kept) return kept.error();
  return ExtractArchive(tar, out, ExtractLimits{});
}

TEST(ModelcarLayer, OnlyModelsIsKeptWithThePrefixRemoved) {
  TempDir d;
  auto r = FilterAndExtract(d, {{"bin/", 0040000, 0755},
                                {"bin/sh", 0120000, 0777, "", "/bin/busybox"},  // absolute: would be refused, but is not the model's
                                {"bin/su", 0100000, 04755, "x"},                // setuid: likewise
                                {"./models/", 0040000, 0755},
                                {"./models/config.pbtxt", 0100000, 0644, "name: m\n"},
                                {"/models/1/model.onnx", 0100000, 0644, std::string(100000, 'w')},
                                {"models/link", 0100000, 0644, "", "", "models/config.pbtxt"}});
  ASSERT_TRUE(r.ok()) << r.error().Describe();
  EXPECT_EQ(testing::ReadFile(d.File("out/config.pbtxt")), "name: m\n");
  EXPECT_EQ(fs::file_size(d.File("out/1/model.onnx")), 100000u);
  EXPECT_EQ(testing::ReadFile(d.File("out/link")), "name: m\n") << "a hard link inside the model keeps its target";
  EXPECT_FALSE(fs::exists(d.File("out/bin")));
  EXPECT_FALSE(fs::exists(d.File("out/models")));
}

TEST(ModelcarLayer, WhiteoutsAndLinksOutOfTheModelAreRefused) {
  TempDir d;
  for (const std::vector<Entry>& entries : std::vector<std::vector<Entry>>{
           {{"models/.wh.config.pbtxt", 0100000, 0644, ""}},
           {{"models/sub/.wh..wh..opq", 0100000, 0644, ""}},
           {{"etc/passwd", 0100000, 0644, "root"}, {"models/p", 0100000, 0644, "", "", "etc/passwd"}}}) {
    auto r = FilterAndExtract(d, entries);
    ASSERT_FALSE(r.ok()) << entries.back().path;
    EXPECT_EQ(r.error().kind, VerifyError::kArchive) << r.error().Describe();
  }
}

TEST(ModelcarLayer, EveryHostileArchiveKindIsRefusedUnderModels) {
  TempDir d;
  for (const auto& h : testing::HostileArchives()) {
    if (h.format == ArchiveFormat::kZip) continue;  // image layers are tar
    std::vector<Entry> entries;
    for (Entry e : h.entries) {
      e.path = "models/" + e.path;
      if (!e.hardlink.empty()) e.hardlink = "models/" + e.hardlink;
      entries.push_back(e);
    }
    auto r = FilterAndExtract(d, entries, h.format);
    EXPECT_FALSE(r.ok()) << h.name << " was accepted inside a modelcar layer";
  }
}

}  // namespace
}  // namespace aegis::verifier
