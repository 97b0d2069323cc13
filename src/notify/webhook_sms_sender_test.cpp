// The webhook protocol end to end: a real anxin http::Server on port 0 plays the SMS gateway, the
// WebhookSmsSender talks to it over TCP with libcurl. Also the signature helpers.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/crypto.hpp"
#include "http/server.hpp"
#include "notify/sms_sender.hpp"

namespace anxin::notify {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

constexpr int64_t kNowMs = 1767225600123;  // 2026-01-01T08:00:00.123+08:00
constexpr const char* kSecret = "gateway-shared-secret-2026";
constexpr const char* kPhone = "13812345678";

// What the fake gateway received.
struct Received {
  std::string body;
  std::string content_type;
  std::string timestamp;
  std::string signature;
};

// A fake SMS gateway: an anxin http::Server with one route, POST /sms, answering with the
// configured status and body (after an optional delay) and remembering each request.
class FakeGateway {
 public:
  FakeGateway() {
    http::Route route;
    route.method = "POST";
    route.pattern = "/sms";
    route.access = http::Access::kPublic;
    route.summary = "fake SMS gateway";
    route.tag = "test";
    route.handler = [this](http::Request& request) -> Result<http::Response> {
      std::chrono::milliseconds delay;
      http::Response response;
      {
        std::lock_guard lock(mu_);
        received_.push_back(Received{request.body, request.Header("content-type"),
                                     request.Header("x-anxin-timestamp"),
                                     request.Header("x-anxin-signature")});
        delay = delay_;
        response.status = status_;
        response.body = reply_;
      }
      std::this_thread::sleep_for(delay);
      return response;
    };
    router_.Add(std::move(route));
    http::ServerOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    options.io_threads = 1;
    options.worker_threads = 4;
    options.shutdown_timeout = 5s;
    server_ = std::make_unique<http::Server>(router_, metrics_, options);
    Status started = server_->Start();
    EXPECT_TRUE(started.ok()) << started.ToString();
    runner_ = std::thread([this] { server_->Run(); });
  }

  ~FakeGateway() {
    server_->Stop();
    runner_.join();
  }

  void Answer(int status, std::string body, std::chrono::milliseconds delay = 0ms) {
    std::lock_guard lock(mu_);
    status_ = status;
    reply_ = std::move(body);
    delay_ = delay;
  }

  std::vector<Received> received() {
    std::lock_guard lock(mu_);
    return received_;
  }

  [[nodiscard]] std::string Url() const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + "/sms";
  }

 private:
  http::Router router_;
  http::Metrics metrics_;
  std::unique_ptr<http::Server> server_;
  std::thread runner_;

  // Guarded by mu_.
  std::mutex mu_;
  int status_ = 200;
  std::string reply_ = R"({"id":"gw-42"})";
  std::chrono::milliseconds delay_{0};
  std::vector<Received> received_;
};

class WebhookSmsSenderTest : public ::testing::Test {
 protected:
  WebhookSmsSender Sender(std::chrono::milliseconds timeout = 5s) {
    return WebhookSmsSender(gateway_.Url(), kSecret, timeout, &clock_);
  }

  FakeClock clock_{kNowMs};
  FakeGateway gateway_;
};

TEST_F(WebhookSmsSenderTest, PostsSignedJsonAndReturnsTheProviderId) {
  const std::string text = "张三先生：您的保单 P2026000123 已生效。\"引号\"";
  WebhookSmsSender sender = Sender();
  Result<std::string> id = sender.Send(kPhone, text, "01JMSG0000000000000A");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, "gw-42");

  const std::vector<Received> received = gateway_.received();
  ASSERT_EQ(received.size(), 1U);
  const Received& request = received[0];
  EXPECT_THAT(request.content_type, HasSubstr("application/json"));
  const nlohmann::json body = nlohmann::json::parse(request.body);
  EXPECT_EQ(body, (nlohmann::json{{"message_id", "01JMSG0000000000000A"}, {"to", kPhone}, {"text", text}}));
  EXPECT_EQ(request.timestamp, "1767225600");  // Unix seconds
  EXPECT_EQ(request.signature, SignWebhook(kSecret, request.timestamp, request.body));
  EXPECT_TRUE(
      VerifyWebhookSignature(kSecret, request.timestamp, request.body, request.signature, kNowMs).ok());
  EXPECT_EQ(VerifyWebhookSignature("other-secret", request.timestamp, request.body, request.signature, kNowMs)
                .reason(),
            "invalid_signature");
}

TEST_F(WebhookSmsSenderTest, UsesTheMessageIdWhenTheReplyNamesNoProviderId) {
  for (const std::string& reply : {std::string(""), std::string("ok"), std::string(R"({"status":"queued"})"),
                                   std::string(R"({"id":""})"), std::string(R"({"id":17})")}) {
    gateway_.Answer(202, reply);
    Result<std::string> id = Sender().Send(kPhone, "您好", "MSG-1");
    ASSERT_TRUE(id.ok()) << reply << ": " << id.status().ToString();
    EXPECT_EQ(*id, "MSG-1") << reply;
  }
}

struct StatusCase {
  int http_status;
  StatusCode code;
  std::string reason;
};

TEST_F(WebhookSmsSenderTest, MapsGatewayAnswersToRetryableOrPermanentErrors) {
  const std::vector<StatusCase> cases = {
      {500, StatusCode::kUnavailable, "sms_gateway_unavailable"},
      {502, StatusCode::kUnavailable, "sms_gateway_unavailable"},
      {503, StatusCode::kUnavailable, "sms_gateway_unavailable"},
      {408, StatusCode::kUnavailable, "sms_gateway_unavailable"},
      {429, StatusCode::kUnavailable, "sms_gateway_unavailable"},
      {400, StatusCode::kInvalidArgument, "sms_rejected"},
      {401, StatusCode::kInvalidArgument, "sms_rejected"},
      {404, StatusCode::kInvalidArgument, "sms_rejected"},
      {422, StatusCode::kInvalidArgument, "sms_rejected"},
  };
  for (const StatusCase& c : cases) {
    gateway_.Answer(c.http_status, R"({"error":"13812345678 refused"})");
    Result<std::string> id = Sender().Send(kPhone, "您好", "MSG-1");
    ASSERT_FALSE(id.ok()) << c.http_status;
    EXPECT_EQ(id.status().code(), c.code) << c.http_status;
    EXPECT_EQ(id.status().reason(), c.reason) << c.http_status;
    EXPECT_THAT(id.status().message().en, HasSubstr("HTTP " + std::to_string(c.http_status)));
    // The reply body (which may echo personal data) never reaches the error.
    EXPECT_THAT(id.status().ToString(), Not(HasSubstr(kPhone))) << c.http_status;
  }
}

// Returns a local port nothing listens on (bound and released).
uint16_t UnusedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = 0;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

TEST_F(WebhookSmsSenderTest, UnreachableGatewayIsRetryable) {
  WebhookSmsSender sender("http://127.0.0.1:" + std::to_string(UnusedPort()) + "/sms", kSecret, 2s, &clock_);
  Result<std::string> id = sender.Send(kPhone, "您好", "MSG-1");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(id.status().reason(), "sms_gateway_unavailable");
}

TEST_F(WebhookSmsSenderTest, TimeoutIsRetryable) {
  gateway_.Answer(200, R"({"id":"late"})", 1500ms);
  const auto started = std::chrono::steady_clock::now();
  Result<std::string> id = Sender(200ms).Send(kPhone, "您好", "MSG-1");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(id.status().message().en, HasSubstr("timed out"));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1400ms);
}

TEST_F(WebhookSmsSenderTest, MalformedUrlIsRetryableNotACrash) {
  WebhookSmsSender sender("not a url", kSecret, 1s, &clock_);
  Result<std::string> id = sender.Send(kPhone, "您好", "MSG-1");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), StatusCode::kUnavailable);
  WebhookSmsSender ftp("ftp://127.0.0.1/sms", kSecret, 1s, &clock_);
  EXPECT_EQ(ftp.Send(kPhone, "您好", "MSG-1").status().code(), StatusCode::kUnavailable);
}

TEST_F(WebhookSmsSenderTest, ConcurrentSendsFromManyThreadsAllArrive) {
  WebhookSmsSender sender = Sender();
  std::vector<std::thread> threads;
  std::mutex mu;
  int ok = 0;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        Result<std::string> id =
            sender.Send(kPhone, "第 " + std::to_string(i) + " 条", "M" + std::to_string(t));
        std::lock_guard lock(mu);
        ok += id.ok() ? 1 : 0;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(ok, 30);
  EXPECT_EQ(gateway_.received().size(), 30U);
}

// The signature helpers, checked against libsodium's one-shot HMAC computed here independently.
std::string Hex(const unsigned char* data, size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), data, size);
  hex.resize(size * 2);
  return hex;
}

TEST(WebhookSignatureTest, MatchesHmacSha256OverTimestampDotBody) {
  ASSERT_GE(sodium_init(), 0);
  unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
  for (size_t i = 0; i < sizeof key; ++i) key[i] = static_cast<unsigned char>(i * 7 + 1);
  const std::string secret(reinterpret_cast<const char*>(key), sizeof key);
  const std::string timestamp = "1767225600";
  const std::string body = R"({"message_id":"M1","text":"您好","to":"13812345678"})";
  const std::string message = timestamp + "." + body;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(message.data()), message.size(), key);
  EXPECT_EQ(SignWebhook(secret, timestamp, body), Hex(mac, sizeof mac));
}

TEST(WebhookSignatureTest, AcceptsSecretsOfAnyLength) {
  ASSERT_GE(sodium_init(), 0);
  const std::string secret = std::string(100, 'k');  // longer than a block: hashed first (RFC 2104)
  const std::string message = "1767225600.{}";
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  EXPECT_EQ(SignWebhook(secret, "1767225600", "{}"), Hex(mac, sizeof mac));
}

TEST(WebhookSignatureTest, MatchesRfc4231TestCase7) {
  // RFC 4231 §4.8: a 131-byte key of 0xaa and data containing a ".", which the signature's
  // "timestamp.body" joins back together.
  const std::string key(131, '\xaa');
  const std::string timestamp =
      "This is a test using a larger than block-size key and a larger than block-size data";
  const std::string body = " The key needs to be hashed before being used by the HMAC algorithm.";
  EXPECT_EQ(SignWebhook(key, timestamp, body),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

struct VerifyCase {
  std::string name;
  std::string secret;
  std::string timestamp;
  std::string body;
  std::string signature;  // "" means the correct one for (kSecret, timestamp, body)
  int64_t now_ms;
  std::string reason;  // "" means OK
};

TEST(WebhookSignatureTest, VerifiesSignatureAndTimestampWindow) {
  const std::string ts = "1767225600";
  const int64_t at = 1767225600000;
  const std::string body = R"({"card_no":"AX00000000017"})";
  const std::string good = SignWebhook(kSecret, ts, body);
  std::string upper = good;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string flipped = good;
  flipped[10] = flipped[10] == '0' ? '1' : '0';

  const std::vector<VerifyCase> cases = {
      {"correct", kSecret, ts, body, good, at, ""},
      {"upper-case hex", kSecret, ts, body, upper, at, ""},
      {"299 s late", kSecret, ts, body, good, at + 299000, ""},
      {"299 s early", kSecret, ts, body, good, at - 299000, ""},
      {"exactly 300 s", kSecret, ts, body, good, at + 300000, ""},
      {"wrong secret", "another-secret", ts, body, good, at, "invalid_signature"},
      {"tampered body", kSecret, ts, body + " ", good, at, "invalid_signature"},
      {"tampered timestamp", kSecret, "1767225601", body, good, at, "invalid_signature"},
      {"flipped digit", kSecret, ts, body, flipped, at, "invalid_signature"},
      {"truncated", kSecret, ts, body, good.substr(0, 63), at, "invalid_signature"},
      {"not hex", kSecret, ts, body, std::string(64, 'g'), at, "invalid_signature"},
      {"empty", kSecret, ts, body, "", at, "invalid_signature"},
      {"301 s late", kSecret, ts, body, good, at + 301000, "stale_timestamp"},
      {"301 s early", kSecret, ts, body, good, at - 301000, "stale_timestamp"},
      {"a day late", kSecret, ts, body, good, at + 86400000, "stale_timestamp"},
      {"milliseconds instead of seconds", kSecret, "1767225600000", body,
       SignWebhook(kSecret, "1767225600000", body), at, "stale_timestamp"},
      {"not a number", kSecret, "yesterday", body, SignWebhook(kSecret, "yesterday", body), at,
       "stale_timestamp"},
      {"negative", kSecret, "-1", body, SignWebhook(kSecret, "-1", body), at, "stale_timestamp"},
      {"empty timestamp", kSecret, "", body, SignWebhook(kSecret, "", body), at, "stale_timestamp"},
  };
  for (const VerifyCase& c : cases) {
    Status status = VerifyWebhookSignature(c.secret, c.timestamp, c.body, c.signature, c.now_ms);
    if (c.reason.empty()) {
      EXPECT_TRUE(status.ok()) << c.name << ": " << status.ToString();
    } else {
      EXPECT_EQ(status.code(), StatusCode::kUnauthenticated) << c.name;
      EXPECT_EQ(status.reason(), c.reason) << c.name;
    }
  }
}

TEST(WebhookSignatureTest, HonoursACustomTolerance) {
  const std::string good = SignWebhook(kSecret, "1000", "{}");
  EXPECT_TRUE(VerifyWebhookSignature(kSecret, "1000", "{}", good, 1005000, 5000).ok());
  EXPECT_EQ(VerifyWebhookSignature(kSecret, "1000", "{}", good, 1005001, 5000).reason(), "stale_timestamp");
}

}  // namespace
}  // namespace anxin::notify
