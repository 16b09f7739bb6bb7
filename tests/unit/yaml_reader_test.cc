// The YAML reader: marks, documents, aliases and merge keys, errors with positions, limits.
#include <gtest/gtest.h>

#include "yaml/reader.h"

namespace aegis::yaml {
namespace {

std::vector<Document> Docs(std::string_view text) {
  auto r = ReadAll("t.yaml", text);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().Describe());
  return r.ok() ? std::move(r.value()) : std::vector<Document>{};
}

Error ErrorOf(std::string_view text) {
  auto r = ReadAll("bad.yaml", text);
  EXPECT_FALSE(r.ok());
  return r.ok() ? Error{} : r.error();
}

TEST(YamlReader, MarksAreOneBasedLineAndColumn) {
  auto docs = Docs("a: 1\nspec:\n  template:\n    x: y\n");
  ASSERT_EQ(docs.size(), 1u);
  const Node* t = docs[0].root()->Path({"spec", "template"});
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->mark().line, 4u);
  EXPECT_EQ(t->mark().column, 5u);
}

TEST(YamlReader, MultiDocumentStreamWithEmptyDocuments) {
  auto docs = Docs("---\na: 1\n---\n---\n# only a comment\n---\nb: 2\n...\n");
  ASSERT_EQ(docs.size(), 4u);
  EXPECT_TRUE(docs[1].root()->IsNull());
  EXPECT_EQ(docs[3].root()->Get("b")->scalar(), "2");
  EXPECT_EQ(docs[3].index(), 3u);
}

TEST(YamlReader, ScalarResolution) {
  auto docs = Docs("s: abc\nq: \"true\"\nb: true\nn: 12\nf: -1.5e3\nh: 0x1F\nz: ~\ne:\nt: !!str 12\nv: 1.2.3\n");
  const Node* r = docs[0].root();
  EXPECT_TRUE(r->Get("s")->IsString());
  EXPECT_TRUE(r->Get("q")->IsString());
  EXPECT_FALSE(r->Get("b")->IsString());
  EXPECT_EQ(r->Get("b")->AsBool(), true);
  EXPECT_FALSE(r->Get("n")->IsString());
  EXPECT_FALSE(r->Get("f")->IsString());
  EXPECT_FALSE(r->Get("h")->IsString());
  EXPECT_TRUE(r->Get("z")->IsNull());
  EXPECT_TRUE(r->Get("e")->IsNull());
  EXPECT_TRUE(r->Get("t")->IsString());
  EXPECT_TRUE(r->Get("v")->IsString());
}

TEST(YamlReader, LastDuplicateKeyWins) {
  auto docs = Docs("a: 1\na: 2\n");
  EXPECT_EQ(docs[0].root()->Get("a")->scalar(), "2");
}

TEST(YamlReader, AliasesAreSharedAndMergeKeysResolve) {
  auto docs = Docs("base: &b {name: verify, image: x}\nc:\n  <<: *b\n  image: y\nd: *b\nl:\n  <<: [{p: 1}, {p: 2, q: 3}]\n");
  const Node* r = docs[0].root();
  EXPECT_EQ(r->Path({"c", "name"})->scalar(), "verify");
  EXPECT_EQ(r->Path({"c", "image"})->scalar(), "y");
  EXPECT_EQ(r->Get("d"), r->Get("base"));
  EXPECT_EQ(r->Path({"l", "p"})->scalar(), "1");
  EXPECT_EQ(r->Path({"l", "q"})->scalar(), "3");
}

TEST(YamlReader, SyntaxErrorNamesFileLineColumnAndProblem) {
  Error e = ErrorOf("a: 1\nb: [1, 2\nc: 3\n");
  EXPECT_EQ(e.kind, ErrorKind::kSyntax);
  EXPECT_EQ(e.file, "bad.yaml");
  EXPECT_GE(e.mark.line, 2u);
  EXPECT_NE(e.message.find("invalid YAML"), std::string::npos) << e.message;
}

TEST(YamlReader, TabIndentationIsAnErrorWithPosition) {
  Error e = ErrorOf("a:\n\tb: 1\n");
  EXPECT_EQ(e.mark.line, 2u);
  EXPECT_NE(e.message.find("cannot start any token"), std::string::npos) << e.message;
}

TEST(YamlReader, InvalidUtf8IsAnErrorWithLineAndColumn) {
  Error e = ErrorOf("a: ok\nb: caf\xff au lait\n");
  EXPECT_EQ(e.mark.line, 2u);
  EXPECT_EQ(e.mark.column, 7u);
  EXPECT_NE(e.message.find("UTF-8"), std::string::npos) << e.message;
}

TEST(YamlReader, ByteOrderMarkAndCrlfAreAccepted) {
  auto docs = Docs("\xEF\xBB\xBF" "a: 1\r\nb:\r\n  c: d\r\n");
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].root()->Path({"b", "c"})->scalar(), "d");
  EXPECT_EQ(docs[0].root()->Path({"b", "c"})->mark().line, 3u);
}

TEST(YamlReader, JsonIsYaml) {
  auto docs = Docs("{\n\t\"kind\": \"Pod\",\n\t\"spec\": {\"x\": [1, 2]}\n}\n");
  EXPECT_EQ(docs[0].root()->Get("kind")->scalar(), "Pod");
  EXPECT_EQ(docs[0].root()->Path({"spec", "x"})->size(), 2u);
}

TEST(YamlReader, AliasBombIsRefusedQuickly) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'k'; ++c, ++prev) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", " : "") + "*" + prev;
    bomb += "]\n";
  }
  Error e = ErrorOf(bomb);
  EXPECT_EQ(e.kind, ErrorKind::kLimit);
  EXPECT_NE(e.message.find("excessive aliasing"), std::string::npos) << e.message;
}

TEST(YamlReader, UnknownAndSelfReferentialAliasesAreErrors) {
  EXPECT_NE(ErrorOf("a: *nope\n").message.find("unknown"), std::string::npos);
  EXPECT_NE(ErrorOf("a: &x [*x]\n").message.find("unknown or unfinished"), std::string::npos);
}

TEST(YamlReader, DeepNestingIsRefused) {
  std::string deep(5000, '[');
  deep += std::string(5000, ']');
  Error e = ErrorOf(deep);
  EXPECT_EQ(e.kind, ErrorKind::kLimit);
  EXPECT_NE(e.message.find("nesting"), std::string::npos);
}

TEST(YamlReader, DocumentsBeforeAnErrorAreReturned) {
  StreamReader reader("f.yaml", "a: 1\n---\nb: [\n");
  Document d;
  auto first = reader.Next(d);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(*first);
  EXPECT_EQ(d.root()->Get("a")->scalar(), "1");
  auto second = reader.Next(d);
  EXPECT_FALSE(second.ok());
  auto after = reader.Next(d);  // finished: no more documents, no crash
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(*after);
}

TEST(YamlReader, FirstLineOffsetShiftsMarks) {
  StreamReader reader("f.yaml", "a:\n  b: 1\n", {}, 100);
  Document d;
  ASSERT_TRUE(reader.Next(d).ok());
  EXPECT_EQ(d.root()->Get("a")->mark().line, 102u);
}

}  // namespace
}  // namespace aegis::yaml
