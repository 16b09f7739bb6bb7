#include "util/strings.h"

#include <fmt/format.h>

namespace aegis {

bool WildcardMatches(std::string_view pattern, std::string_view value) {
  if (!pattern.empty() && pattern.back() == '*') {
    return value.starts_with(pattern.substr(0, pattern.size() - 1));
  }
  if (!pattern.empty() && pattern.front() == '*') {
    return value.ends_with(pattern.substr(1));
  }
  return pattern == value;
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

namespace {

// The well-formed UTF-8 sequence at s[i] (no overlongs, surrogates or code points past
// U+10FFFF): its code point and length; false when the bytes there are not one.
bool DecodeUtf8At(std::string_view s, size_t i, uint32_t* cp_out, size_t* len_out) {
  const auto c = static_cast<unsigned char>(s[i]);
  size_t n = 0;
  uint32_t cp = 0;
  if (c < 0x80) {
    *cp_out = c;
    *len_out = 1;
    return true;
  }
  if (c >= 0xC2 && c <= 0xDF) {
    n = 1;
    cp = c & 0x1Fu;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 2;
    cp = c & 0x0Fu;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 3;
    cp = c & 0x07u;
  } else {
    return false;
  }
  for (size_t k = 1; k <= n; ++k) {
    if (i + k >= s.size()) return false;
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return false;
    cp = (cp << 6) | (cc & 0x3Fu);
  }
  if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  *cp_out = cp;
  *len_out = n + 1;
  return true;
}

// What a terminal would act on instead of showing: C0 and C1 controls, DEL, and the
// bidirectional overrides and isolates that reorder what is shown ("Trojan Source").
bool ActsOnTerminal(uint32_t cp) {
  return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f || cp == 0x061c;
}

// Appends `s` with every byte or character a terminal would act on escaped (\n, \x1b,
// \u{202e}); `quote`: also \" and \\ (for a quoted string).
void AppendPrintable(std::string& out, std::string_view s, bool quote) {
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = 0;
    size_t len = 1;
    if (!DecodeUtf8At(s, i, &cp, &len)) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[i]));
      ++i;
      continue;
    }
    if (quote && (cp == '"' || cp == '\\')) {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp == '\t' && !quote) {
      out += '\t';
    } else if (ActsOnTerminal(cp)) {
      out += cp < 0x80 ? fmt::format("\\x{:02x}", cp) : fmt::format("\\u{{{:04x}}}", cp);
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  uint32_t cp = 0;
  size_t len = 0;
  for (size_t i = 0; i < s.size(); i += len) {
    if (!DecodeUtf8At(s, i, &cp, &len)) return false;
  }
  return true;
}

std::string Printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  AppendPrintable(out, s, false);
  return out;
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  AppendPrintable(out, s, true);
  out += '"';
  return out;
}

std::string RedactUri(std::string_view uri) {
  std::string out(uri);
  size_t sep = out.find("://");
  bool scheme = sep != std::string::npos && sep > 0 && std::isalpha(static_cast<unsigned char>(out[0])) &&
                out.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-") == sep;
  if (!scheme) return out;
  size_t start = sep + 3;
  if (size_t q = out.find_first_of("?#", start); q != std::string::npos) out = out.substr(0, q) + (out[q] == '?' ? "?<redacted>" : "#<redacted>");
  size_t end = out.find('/', start);
  size_t at = out.rfind('@', end == std::string::npos ? out.size() : end);
  if (at != std::string::npos && at >= start) out.replace(start, at - start, "<redacted>");
  return out;
}

std::string PercentDecode(std::string_view s, bool plus_is_space) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += plus_is_space && s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

std::string PercentEncode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                      c == '.' || c == '~';
    if (unreserved) out += ch;
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string Abbreviate(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return fmt::format("{}… ({} bytes)", s.substr(0, cut), s.size());
}

}  // namespace aegis
