#include "verifier/sources/token_exchange.h"

#include <chrono>

#include <fmt/format.h>

#include "platform/http.h"
#include "platform/net_error.h"
#include "util/json_access.h"
#include "util/strings.h"

namespace aegis::verifier {

Expected<std::string> ExchangeToken(const std::string& what, const std::string& url, const std::string& body,
                                    const std::string& content_type, const std::vector<std::string>& extra_headers,
                                    const char* field) {
  constexpr size_t kAnswerLimit = 1u << 20;  // token answers are small
  platform::HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.headers = {"Content-Type: " + content_type, "Accept: application/json"};
  for (const auto& h : extra_headers) request.headers.push_back(h);
  request.body = body;
  request.total_timeout = std::chrono::seconds(20);
  platform::HttpClient client;
  auto r = client.SendForText(request, kAnswerLimit);
  std::string shown = RedactUri(url);
  if (!r) return Error{NetError::kNetwork, shown, {}, what + ": " + r.error().message};
  auto j = ParseJsonBounded(r->body, 32);
  if (r->status != 200) {
    std::string code = j ? JsonStringOr(*j, {"error"}) : std::string();
    if (code.empty() && j) code = JsonStringOr(*j, {"error", "status"});
    std::string msg = fmt::format("{}: the endpoint refused the credentials: HTTP {}{}", what, r->status, code.empty() ? "" : " " + code);
    if (r->status >= 400 && r->status < 500) return Error{NetError::kForbidden, shown, {}, msg};
    return Error{NetError::kNetwork, shown, {}, msg};
  }
  std::string token = j ? JsonStringOr(*j, {field}) : std::string();
  if (token.empty()) return Error{NetError::kNetwork, shown, {}, what + ": the answer carries no " + field};
  return token;
}

std::string FormBody(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += PercentEncode(name) + "=" + PercentEncode(value);
  }
  return out;
}

}  // namespace aegis::verifier
