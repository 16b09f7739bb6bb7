// Small string helpers shared by every layer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace aegis {

// Gatekeeper's util.Wildcard: "kube-*" is a prefix glob, "*-system" a suffix glob,
// anything else must match exactly.
bool WildcardMatches(std::string_view pattern, std::string_view value);

// Without leading and trailing whitespace (spaces, tabs, CR, LF).
std::string Trim(std::string_view s);

// Quote for human messages: "name" with control characters escaped (as Printable does).
std::string Quote(std::string_view s);

// `s` safe to print on a terminal: C0/C1 controls, DEL and escape sequences (\x1b), line
// breaks (\n, \r: a message cannot fake another line), bidirectional overrides (\u{202e})
// and bytes that are not UTF-8 (\xff) are shown escaped; tabs and everything else as is.
// Everything that came from outside (file and object names, a server's messages) passes
// through it before a text report or an error line shows it.
std::string Printable(std::string_view s);

// True when `s` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool IsValidUtf8(std::string_view s);

// A URI as it may be shown: userinfo, query and fragment replaced by "<redacted>" (they
// carry credentials: presigned URLs, SAS tokens, user:password@). Any scheme, any case.
std::string RedactUri(std::string_view uri);

// RFC 3986 percent-encoding keeping only the unreserved characters (letters, digits, '-', '.',
// '_', '~'): a query value, a form field, one path segment ('/' becomes %2F), as SigV4,
// OAuth forms and the storage APIs expect.
std::string PercentEncode(std::string_view s);

// %XX sequences decoded (a malformed one is kept as text); '+' as a space when `plus_is_space`
// (form and query encoding).
std::string PercentDecode(std::string_view s, bool plus_is_space = false);

// `s` when at most `max` bytes, else its first bytes (cut at a UTF-8 boundary) and how long it was.
std::string Abbreviate(std::string_view s, size_t max);

}  // namespace aegis
