// A property of render over every file it is tested with (the policy corpus, the render
// goldens, the shipped manifests), each also mutated the ways real files differ: every line
// break libyaml counts (CR, CR LF, NEL, LS, PS, and a random mix of them), and an anchor on
// each block value in turn (any of them may be an ancestor of a pod spec).
//
// Oracle, on parsed trees, never text: a mutation does not change whether render succeeds;
// when it succeeds, the output parses to the same objects plus exactly the injected fields
// (the verifier initContainer, its two volumes and mounts; storageUri moved away), has no
// duplicate key, and renders to itself again; when an anchor makes it refuse, it says so.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <set>
#include <regex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <re2/re2.h>

#include "inputs/policy_files.h"
#include "render/renderer.h"
#include "support/test_support.h"
#include "util/file_io.h"
#include "yaml/parallel.h"
#include "yaml/reader.h"
#include "yaml/to_json.h"

namespace aegis::render {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

std::vector<std::string> Inputs() {
  std::vector<std::string> files;
  for (const char* dir : {"tests/corpus", "tests/golden/render", "manifests"}) {
    for (const auto& f : ExpandInputs({testing::SourcePath(dir)}).files) {
      if (fs::path(f).filename() != "constraint.yaml") files.push_back(f);
    }
  }
  return files;
}

// Removes what render adds (the verifier initContainer, its volumes and mounts; the args and
// the image of an existing verifier it completes, when it had none; storageUri, which it moves
// into the verifier; an LLMInferenceService's storageInitializer it turns off), so that
// input and output trees must then be equal.
void StripInjected(json& j, const RenderSettings& s, const re2::RE2& verifier) {
  auto filter = [](json& parent, const char* key, const std::vector<std::string>& names) {
    if (!parent.contains(key) || !parent[key].is_array()) return;
    json kept = json::array();
    for (auto& e : parent[key]) {
      if (!(e.is_object() && e.contains("name") && e["name"].is_string() &&
            std::find(names.begin(), names.end(), e["name"].get<std::string>()) != names.end())) {
        kept.push_back(e);
      }
    }
    if (kept.empty()) parent.erase(key);
    else parent[key] = kept;
  };
  if (j.is_object()) {
    filter(j, "initContainers", {s.init_name});
    if (j.contains("initContainers") && j["initContainers"].is_array()) {
      for (auto& c : j["initContainers"]) {
        if (c.is_object() && c.contains("name") && c["name"].is_string() && re2::RE2::PartialMatch(c["name"].get<std::string>(), verifier)) {
          c.erase("args");
          if (c.contains("image") && c["image"] == s.image) c.erase("image");
        }
      }
    }
    filter(j, "volumes", {s.secret_name, s.model_volume});
    filter(j, "volumeMounts", {s.secret_name, s.model_volume});
    j.erase("storageUri");
    // An LLMInferenceService's storage initializer, which render turns off.
    if (j.contains("storageInitializer") && j["storageInitializer"] == json{{"enabled", false}} && j.contains("model")) {
      j.erase("storageInitializer");
    }
    for (auto& [k, v] : j.items()) StripInjected(v, s, verifier);
  } else if (j.is_array()) {
    for (auto& v : j) StripInjected(v, s, verifier);
  }
}

bool HasDuplicateKey(const yaml::Node* n, int depth = 0) {
  if (n == nullptr || depth > 200) return false;
  if (n->IsMapping()) {
    std::set<std::string> seen;
    for (size_t i = 0; i < n->pair_count(); ++i) {
      if (n->key_at(i)->IsScalar() && n->key_at(i)->scalar() != "<<" && !seen.insert(n->key_at(i)->scalar()).second) return true;
      if (HasDuplicateKey(n->value_at(i), depth + 1)) return true;
    }
  } else if (n->IsSequence()) {
    for (const auto* item : n->items()) {
      if (HasDuplicateKey(item, depth + 1)) return true;
    }
  }
  return false;
}

// The documents of a text as trees with the injection stripped; nullopt if it does not parse
// or has a duplicate key.
std::optional<std::vector<json>> Trees(const std::string& text, const RenderSettings& s, const re2::RE2& verifier, std::string* why) {
  auto docs = yaml::ReadAll("t", text);
  if (!docs) {
    *why = docs.error().Describe();
    return std::nullopt;
  }
  std::vector<json> out;
  for (const auto& d : *docs) {
    if (HasDuplicateKey(d.root())) {
      *why = "duplicate key";
      return std::nullopt;
    }
    json j = yaml::ToJson(d.root());
    StripInjected(j, s, verifier);
    out.push_back(std::move(j));
  }
  return out;
}

std::string WithBreaks(const std::string& text, const std::vector<std::string>& breaks, std::mt19937& rng) {
  std::string out;
  std::string previous;
  for (char c : text) {
    if (c != '\n') {
      out += c;
      previous.clear();
      continue;
    }
    std::string b = breaks[rng() % breaks.size()];
    if (b == "\n" && previous == "\r") b = "\xC2\x85";  // CR then LF would be one break
    out += b;
    previous = b;
  }
  return out;
}

struct Variant {
  std::string name;
  std::string text;
  bool anchor = false;
};

std::vector<Variant> Variants(const std::string& file, const std::string& text, std::mt19937& rng) {
  std::vector<Variant> v;
  if (text.find('\r') != std::string::npos) return v;  // already a CR LF file: its own golden
  const bool json_file = fs::path(file).extension() == ".json";
  std::vector<std::pair<std::string, std::vector<std::string>>> styles = {{"CR", {"\r"}}, {"CRLF", {"\r\n"}}};
  if (!json_file) {  // JSON's grammar has no NEL/LS/PS whitespace
    styles.push_back({"NEL", {"\xC2\x85"}});
    styles.push_back({"LS", {"\xE2\x80\xA8"}});
    styles.push_back({"PS", {"\xE2\x80\xA9"}});
    styles.push_back({"mixed", {"\n", "\r", "\r\n", "\xC2\x85", "\xE2\x80\xA8", "\xE2\x80\xA9"}});
  }
  for (const auto& [name, breaks] : styles) v.push_back({name, WithBreaks(text, breaks, rng)});
  if (json_file) return v;
  // An anchor on each block value ("key:" ending a line, its value below), one at a time.
  static const std::regex block_key(R"(^(\s*(- )?[A-Za-z][\w.\-/]*:)[ \t]*$)");
  size_t pos = 0, n = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    std::string line = text.substr(pos, eol - pos);
    std::smatch m;
    if (std::regex_match(line, m, block_key)) {
      std::string t = text;
      t.insert(pos + static_cast<size_t>(m[1].length()), fmt::format(" &a{}", n));
      v.push_back({fmt::format("anchor on line '{}'", line), t, true});
      ++n;
    }
    pos = eol + 1;
  }
  return v;
}

TEST(RenderProperty, MutatedInputsRenderToTheSameObjectsPlusTheInjection) {
  auto loaded = LoadConstraints(testing::SourcePath("tests/corpus/defaults/constraint.yaml"));
  ASSERT_TRUE(loaded.ok());
  RenderSettings s;
  s.artifact = "s3://models/resnet/model.tar.gz";
  s.secret_name = loaded->constraints.front().parameters.secret_name;
  const re2::RE2& verifier = *loaded->constraints.front().parameters.pattern;
  std::mt19937 rng(20261130);
  size_t files = 0, variants = 0, rendered = 0, refused_for_anchor = 0;
  for (const auto& file : Inputs()) {
    std::string text = testing::ReadFile(file);
    RenderedFile base = RenderText(file, text, s, loaded->constraints);
    ++files;
    for (const auto& variant : Variants(file, text, rng)) {
      ++variants;
      const std::string label = file + " [" + variant.name + "]";
      RenderedFile r = RenderText(file, variant.text, s, loaded->constraints);
      if (r.failed) {
        if (base.failed) continue;  // refused either way
        ASSERT_TRUE(variant.anchor) << label << ": a line-break change made render fail: "
                                    << (r.diagnostics.empty() ? "" : r.diagnostics.front().where.Describe());
        bool says_anchor = false;
        for (const auto& d : r.diagnostics) says_anchor = says_anchor || d.where.message.find("anchor") != std::string::npos;
        EXPECT_TRUE(says_anchor) << label << ": refused without naming the anchor";
        ++refused_for_anchor;
        continue;
      }
      EXPECT_FALSE(base.failed) << label << ": the mutation made a refused file render";
      std::string why;
      auto in = Trees(variant.text, s, verifier, &why);
      ASSERT_TRUE(in) << label << ": the mutated input itself: " << why;
      auto out = Trees(r.rendered, s, verifier, &why);
      ASSERT_TRUE(out) << label << ": output does not parse cleanly: " << why;
      ASSERT_EQ(out->size(), in->size()) << label;
      for (size_t d = 0; d < in->size(); ++d) {
        EXPECT_EQ((*out)[d], (*in)[d]) << label << ", document " << d + 1 << ": render changed more than the injection: "
                                       << json::diff((*in)[d], (*out)[d]).dump();
      }
      RenderedFile again = RenderText(file, r.rendered, s, loaded->constraints);
      EXPECT_FALSE(again.failed) << label;
      EXPECT_EQ(again.rendered, r.rendered) << label << ": not a fixed point";
      if (r.rendered != variant.text) ++rendered;
    }
  }
  std::cout << files << " files, " << variants << " variants, " << rendered << " rendered, " << refused_for_anchor
            << " refused for an anchor on an ancestor\n";
  EXPECT_GT(rendered, 100u);
  EXPECT_GT(refused_for_anchor, 10u);
}


// Inputs over 1 MiB are rendered in chunks on several threads: the result must be that of one
// pass, for every file render is tested with (those it refuses too), and with a syntax error
// in the middle (the stream ends there, as a sequential parse would stop).
TEST(RenderProperty, ChunksOnThreadsGiveTheResultOfOnePass) {
  auto loaded = LoadConstraints(testing::SourcePath("tests/corpus/defaults/constraint.yaml"));
  ASSERT_TRUE(loaded.ok());
  RenderSettings s;
  s.artifact = "s3://models/resnet/model.tar.gz";
  s.secret_name = loaded->constraints.front().parameters.secret_name;
  std::string renders, refuses;  // the files that render alone, and those refused
  for (const auto& file : Inputs()) {
    std::string text = testing::ReadFile(file);
    if (file.ends_with(".json") || text.starts_with("%")) continue;  // not split: nothing to compare
    (RenderText(file, text, s, loaded->constraints, 1).failed ? refuses : renders) += "\n---\n" + text;
  }
  ASSERT_FALSE(renders.empty());
  ASSERT_FALSE(refuses.empty());
  auto big = [](const std::string& unit) {
    std::string out;
    while (out.size() < (size_t{3} << 20)) out += unit;
    return out;
  };
  std::string good = big(renders);
  std::string mixed = big(renders + refuses);
  std::string broken = good.substr(0, good.size() / 3) + "\n---\nkind: [\n" + good;
  auto describe = [](const RenderedFile& r) {
    std::string out = fmt::format("failed={} edits={} images={}\n", r.failed, r.edits.size(), r.verifier_images.size());
    for (const auto& d : r.diagnostics) out += d.where.Describe() + "\n";
    return out;
  };
  for (const auto& [name, text] : std::vector<std::pair<std::string, std::string>>{{"renderable", good}, {"mixed", mixed}, {"broken", broken}}) {
    ASSERT_GT(yaml::SplitForThreads(text, 4).size(), 1u) << name << ": not split, nothing compared";
    RenderedFile one = RenderText("in.yaml", text, s, loaded->constraints, 1);
    RenderedFile four = RenderText("in.yaml", text, s, loaded->constraints, 4);
    EXPECT_EQ(describe(four), describe(one)) << name;
    EXPECT_TRUE(four.rendered == one.rendered) << name << ": the rendered text differs";
    EXPECT_EQ(four.verifier_images, one.verifier_images) << name;
  }
  RenderedFile good_one = RenderText("in.yaml", good, s, loaded->constraints, 4);
  EXPECT_FALSE(good_one.failed);
  EXPECT_NE(good_one.rendered, good);
  EXPECT_TRUE(RenderText("in.yaml", mixed, s, loaded->constraints, 4).failed);
  RenderedFile broken_four = RenderText("in.yaml", broken, s, loaded->constraints, 4);
  ASSERT_TRUE(broken_four.failed);
  EXPECT_NE(broken_four.diagnostics.back().where.message.find("flow"), std::string::npos) << describe(broken_four);
}

}  // namespace
}  // namespace aegis::render
