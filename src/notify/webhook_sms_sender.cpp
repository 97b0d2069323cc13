#include <curl/curl.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "notify/sms_sender.hpp"

namespace anxin::notify {
namespace {

// Replies larger than this are cut off (only a JSON {"id": ...} is expected).
constexpr size_t kMaxReplyBytes = 64 * 1024;

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

const Clock& SystemClockInstance() {
  static const SystemClock clock;
  return clock;
}

size_t CollectReply(char* data, size_t size, size_t count, void* user) {
  auto* reply = static_cast<std::string*>(user);
  const size_t bytes = size * count;
  const size_t room = kMaxReplyBytes - std::min(reply->size(), kMaxReplyBytes);
  reply->append(data, std::min(bytes, room));
  return bytes;
}

struct CurlDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

Status Unavailable(const std::string& what_zh, const std::string& what_en) {
  return Status(StatusCode::kUnavailable, "sms_gateway_unavailable",
                {"短信网关暂不可用：" + what_zh, "the SMS gateway is unavailable: " + what_en});
}

Status TransportError(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return Unavailable("请求超时", "timed out");
    case CURLE_COULDNT_CONNECT:
      return Unavailable("无法连接", "connection refused or unreachable");
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return Unavailable("无法解析主机名", "host name not resolved");
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return Unavailable("网关地址配置错误", "the gateway URL is malformed");
    default:
      return Unavailable(std::string("传输错误 ") + curl_easy_strerror(code),
                         std::string("transport error: ") + curl_easy_strerror(code));
  }
}

}  // namespace

WebhookSmsSender::WebhookSmsSender(std::string url, std::string secret, std::chrono::milliseconds timeout,
                                   const Clock* clock)
    : url_(std::move(url)),
      secret_(std::move(secret)),
      timeout_(timeout),
      clock_(clock != nullptr ? *clock : SystemClockInstance()) {
  InitCurlOnce();
}

Result<std::string> WebhookSmsSender::Send(const std::string& phone, const std::string& text,
                                           const std::string& message_id) {
  const nlohmann::json payload = {{"message_id", message_id}, {"to", phone}, {"text", text}};
  const std::string body = payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const std::string timestamp = std::to_string(clock_.NowMs() / 1000);
  const std::string signature = SignWebhook(secret_, timestamp, body);

  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return Unavailable("无法创建请求", "cannot create a request");
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  for (const std::string& header :
       {std::string("Content-Type: application/json; charset=utf-8"), std::string("Accept: application/json"),
        std::string(kTimestampHeader) + ": " + timestamp, std::string(kSignatureHeader) + ": " + signature,
        std::string("Expect:")}) {
    curl_slist* extended = curl_slist_append(headers.get(), header.c_str());
    if (extended == nullptr) return Unavailable("无法创建请求", "cannot create a request");
    static_cast<void>(headers.release());
    headers.reset(extended);
  }
  std::string reply;
  const long timeout_ms = static_cast<long>(timeout_.count());
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, CollectReply);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &reply);
  const CURLcode code = curl_easy_perform(h);
  if (code != CURLE_OK) return TransportError(code);

  long http_status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &http_status);
  const std::string status_text = std::to_string(http_status);
  if (http_status >= 200 && http_status < 300) {
    const nlohmann::json answer = nlohmann::json::parse(reply, nullptr, /*allow_exceptions=*/false);
    if (answer.is_object()) {
      auto id = answer.find("id");
      if (id != answer.end() && id->is_string() && !id->get_ref<const std::string&>().empty()) {
        return id->get<std::string>();
      }
    }
    return message_id;
  }
  if (http_status >= 400 && http_status < 500 && http_status != 408 && http_status != 429) {
    return Status(StatusCode::kInvalidArgument, "sms_rejected",
                  {"短信网关拒绝了该短信（HTTP " + status_text + "）",
                   "the SMS gateway refused the message (HTTP " + status_text + ")"});
  }
  return Unavailable("HTTP " + status_text, "HTTP " + status_text);
}

}  // namespace anxin::notify
