// util/strings: UTF-8 validation and quoting of names that come from outside.
#include <gtest/gtest.h>

#include "util/strings.h"

namespace aegis {
namespace {

TEST(Utf8, AcceptsWellFormedAndRefusesEveryMalformedClass) {
  for (const char* ok : {"", "model.onnx", "modèle", "模型/权重.bin", "\xF0\x9F\xA4\x96", "\xEF\xBF\xBF"}) {
    EXPECT_TRUE(IsValidUtf8(ok)) << ok;
  }
  for (const char* bad : {"\xFF", "\xC0\xAF",          // invalid byte, overlong '/'
                          "\xE0\x80\xAF",              // overlong
                          "\xED\xA0\x80",              // surrogate U+D800
                          "\xF4\x90\x80\x80",          // past U+10FFFF
                          "\xC3", "\xE6\xA8", "a\x80"  // truncated, lone continuation
       }) {
    EXPECT_FALSE(IsValidUtf8(bad)) << Quote(bad);
  }
}

TEST(Quote, EscapesControlsAndTheBytesOfMalformedNamesOnly) {
  EXPECT_EQ(Quote("modèle \"x\""), "\"modèle \\\"x\\\"\"");
  EXPECT_EQ(Quote("a\nb"), "\"a\\nb\"");
  EXPECT_EQ(Quote("a\tb"), "\"a\\x09b\"");
  EXPECT_EQ(Quote("model\xFF\xFE.bin"), "\"model\\xff\\xfe.bin\"");
}

// What a hostile server or a planted file name could make a terminal do: move the cursor,
// erase a line and print a fake "PASS", start a new line, or reverse the text shown.
TEST(Printable, EscapesWhatATerminalWouldActOn) {
  EXPECT_EQ(Printable("\x1b[2K\rPASS criterion 1"), "\\x1b[2K\\rPASS criterion 1");
  EXPECT_EQ(Printable("reason\nPASS criterion 2"), "reason\\nPASS criterion 2");
  EXPECT_EQ(Printable("csi \xC2\x9B" "31m"), "csi \\u{009b}31m") << "C1 controls, UTF-8 encoded";
  EXPECT_EQ(Printable("evil\xE2\x80\xAEtxt.exe"), "evil\\u{202e}txt.exe") << "right-to-left override";
  EXPECT_EQ(Printable("bell\x07 del\x7f"), "bell\\x07 del\\x7f");
  EXPECT_EQ(Printable("raw \x9b byte"), "raw \\x9b byte") << "a lone C1 byte is not UTF-8";
  EXPECT_EQ(Printable("modèle\t日本語 \"q\" \\"), "modèle\t日本語 \"q\" \\") << "text, tabs, quotes untouched";
}

TEST(RedactUri, CredentialsAreReplacedWhateverTheSchemeOrItsCase) {
  EXPECT_EQ(RedactUri("https://user:pw@h/m?X-Amz-Signature=abc"), "https://<redacted>@h/m?<redacted>");
  EXPECT_EQ(RedactUri("HTTPS://user:pw@h:8200"), "HTTPS://<redacted>@h:8200");
  EXPECT_EQ(RedactUri("Http://t@h/p#frag"), "Http://<redacted>@h/p#<redacted>");
  EXPECT_EQ(RedactUri("s3://bucket/key?versionId=1"), "s3://bucket/key?<redacted>");
  EXPECT_EQ(RedactUri("https://h/a@b"), "https://h/a@b") << "an @ in the path is not userinfo";
  EXPECT_EQ(RedactUri("/models/m@1.tar"), "/models/m@1.tar") << "a path is not a URI";
  EXPECT_EQ(RedactUri("https://h/m.tar"), "https://h/m.tar");
}

}  // namespace
TEST(Strings, PercentEncodingRoundTripsAndMalformedEscapesStay) {
  const std::string raw = "a b/c+d%e~\x01\xff";
  EXPECT_EQ(PercentEncode(raw), "a%20b%2Fc%2Bd%25e~%01%FF");
  EXPECT_EQ(PercentDecode(PercentEncode(raw)), raw);
  EXPECT_EQ(PercentDecode("a+b%2"), "a+b%2") << "a path keeps '+', a cut escape stays text";
  EXPECT_EQ(PercentDecode("a+b%zz%41", true), "a b%zzA");
}

}  // namespace aegis
