// Splitting streams at document markers for parallel parsing.
#include <gtest/gtest.h>

#include <algorithm>

#include "yaml/split.h"

namespace aegis::yaml {
namespace {

std::string Stream(int docs) {
  std::string s;
  for (int i = 0; i < docs; ++i) s += "---\nkind: Pod\nmetadata: {name: p" + std::to_string(i) + "}\n";
  return s;
}

TEST(Split, ChunksCoverTheTextAndStartAtMarkers) {
  std::string text = Stream(100);
  auto chunks = SplitAtDocuments(text, 4);
  ASSERT_EQ(chunks.size(), 4u);
  std::string joined;
  uint32_t lines = 0;
  for (const auto& c : chunks) {
    EXPECT_TRUE(c.text.starts_with("---\n"));
    EXPECT_EQ(c.first_line, lines);
    lines += static_cast<uint32_t>(std::count(c.text.begin(), c.text.end(), '\n'));
    joined += c.text;
  }
  EXPECT_EQ(joined, text);
}

TEST(Split, MarkerInsideABlockScalarWouldEndItSoSplittingIsSafe) {
  // "--- " with trailing text is a marker; "----" and " ---" are not.
  std::string text = "a: |\n  x\n ---\n----\nb: 1\n--- # c\nc: 2\n";
  auto chunks = SplitAtDocuments(text, 2);
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_TRUE(chunks[1].text.starts_with("--- # c"));
}

TEST(Split, DirectivesAndUtf16AreNotSplit) {
  EXPECT_EQ(SplitAtDocuments("%YAML 1.1\n---\na: 1\n---\nb: 2\n", 2).size(), 1u);
  std::string utf16("\xFF\xFE" "a\0:\0", 6);
  EXPECT_EQ(SplitAtDocuments(utf16, 2).size(), 1u);
}

TEST(Split, NoMarkerMeansOneChunk) { EXPECT_EQ(SplitAtDocuments("a: 1\nb: 2\n", 4).size(), 1u); }

}  // namespace
}  // namespace aegis::yaml
