// Talks to a real Server over TCP with a tiny blocking client written on POSIX sockets (no Beast,
// so this test compiles quickly).
#include "http/server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/base_sink.h>

#include "common/log.hpp"
#include "http/static_files.hpp"
#include "http/system_routes.hpp"

namespace anxin::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;
using namespace std::chrono_literals;

// Collects log lines so tests can check the access log.
class CaptureSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::string Text() {
    std::lock_guard lock(mutex_);
    return text_;
  }
  void Clear() {
    std::lock_guard lock(mutex_);
    text_.clear();
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    text_.append(formatted.data(), formatted.size());
  }
  void flush_() override {}

 private:
  std::string text_;
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; the last line of each name
  std::vector<std::pair<std::string, std::string>> header_lines;  // every line, in order
  std::string body;

  [[nodiscard]] Json JsonBody() const { return Json::parse(body); }
};

// A blocking HTTP/1.1 client for one connection to 127.0.0.1.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{.tv_sec = 15, .tv_usec = 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  [[nodiscard]] bool connected() const { return connected_; }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads one response (Content-Length framed; only the head for an answer to HEAD). Returns
  // nullopt on EOF or timeout.
  std::optional<HttpResponse> Read(bool answers_head = false) {
    size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return std::nullopt;
    }
    HttpResponse response;
    std::istringstream head(buffer_.substr(0, header_end));
    std::string line;
    std::getline(head, line);
    if (line.size() < 12) return std::nullopt;
    response.status = std::stoi(line.substr(9, 3));
    while (std::getline(head, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      response.headers[name] = value;
      response.header_lines.emplace_back(name, value);
    }
    buffer_.erase(0, header_end + 4);
    size_t length = response.headers.count("content-length") && !answers_head
                        ? std::stoul(response.headers["content-length"])
                        : 0;
    while (buffer_.size() < length) {
      if (!Fill()) return std::nullopt;
    }
    response.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return response;
  }

  // Returns true if the server closed the connection (EOF or reset) within the receive timeout.
  bool ClosedByServer() {
    if (!buffer_.empty()) return false;
    char byte;
    ssize_t n = ::recv(fd_, &byte, 1, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

  std::optional<HttpResponse> Request(std::string_view raw) {
    if (!Send(raw)) return std::nullopt;
    return Read();
  }

 private:
  bool Fill() {
    char chunk[8192];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

std::string Get(std::string_view target, std::string_view extra_headers = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_headers) + "\r\n";
}

std::string Post(std::string_view target, std::string_view body, std::string_view extra_headers = "") {
  return "POST " + std::string(target) + " HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n" +
         "Content-Length: " + std::to_string(body.size()) + "\r\n" + std::string(extra_headers) + "\r\n" +
         std::string(body);
}

std::shared_ptr<CaptureSink> LogCapture() {
  static std::shared_ptr<CaptureSink> sink = [] {
    auto created = std::make_shared<CaptureSink>();
    SetLogSink(created);
    SetLogLevel(spdlog::level::info);
    return created;
  }();
  return sink;
}

// Returns the http_access lines logged so far.
std::vector<Json> AccessLines() {
  std::vector<Json> lines;
  std::istringstream text(LogCapture()->Text());
  std::string line;
  while (std::getline(text, line)) {
    Json parsed = Json::parse(line, nullptr, false);
    if (parsed.is_object() && parsed.value("event", "") == "http_access") lines.push_back(parsed);
  }
  return lines;
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LogCapture()->Clear();
    Route hello;
    hello.method = "GET";
    hello.pattern = "/hello";
    hello.access = Access::kPublic;
    hello.inline_handler = true;
    hello.handler = [this](Request& request) -> Result<Response> {
      RecordThread(inline_threads_);
      return JsonResponse(200, {{"hello", "world"},
                                {"query", request.query},
                                {"lang", request.lang},
                                {"client", request.client_address},
                                {"secure", request.secure}});
    };
    router_.Add(hello);

    Route worker;
    worker.method = "GET";
    worker.pattern = "/worker/{n}";
    worker.access = Access::kPublic;
    worker.handler = [this](Request& request) -> Result<Response> {
      RecordThread(worker_threads_);
      return JsonResponse(200, {{"n", request.path_params["n"]}});
    };
    router_.Add(worker);

    Route slow;
    slow.method = "GET";
    slow.pattern = "/slow";
    slow.access = Access::kPublic;
    slow.handler = [this](Request& request) -> Result<Response> {
      ++slow_started_;
      int ms = std::stoi(request.Query("ms").value_or("500"));
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(ms, 5000)));
      return JsonResponse(200, {{"slept_ms", ms}});
    };
    router_.Add(slow);

    Route echo;
    echo.method = "POST";
    echo.pattern = "/echo";
    echo.access = Access::kPublic;
    echo.handler = [](Request& request) -> Result<Response> {
      return JsonResponse(201, {{"bytes", request.body.size()}});
    };
    router_.Add(echo);

    Route fail;
    fail.method = "GET";
    fail.pattern = "/fail";
    fail.access = Access::kPublic;
    fail.handler = [](Request&) -> Result<Response> {
      return Status(StatusCode::kNotFound, "policy_not_found", {"保单不存在", "No such policy"});
    };
    router_.Add(fail);

    Route cookies;
    cookies.method = "GET";
    cookies.pattern = "/cookies";
    cookies.access = Access::kPublic;
    cookies.handler = [](Request& request) -> Result<Response> {
      Response response = JsonResponse(200, {{"cookie", request.Header("cookie")}});
      ANXIN_RETURN_IF_ERROR(AddCookie(response, {.name = "anxin_session", .value = "s1"}));
      ANXIN_RETURN_IF_ERROR(AddCookie(response, {.name = "anxin_csrf", .value = "c1", .http_only = false}));
      return response;
    };
    router_.Add(cookies);

    RegisterSystemRoutes(router_, metrics_, nullptr, "test");
  }

  void StartServer(ServerOptions options = {}, bool stop_on_signals = false) {
    options.address = "127.0.0.1";
    options.port = 0;
    if (options.io_threads == 0) options.io_threads = 2;
    options.worker_threads = 8;
    server_ = std::make_unique<Server>(router_, metrics_, options);
    Status started = server_->Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
    ASSERT_NE(server_->port(), 0);
    if (stop_on_signals) StopOnSignals(*server_);
    runner_ = std::thread([this] { server_->Run(); });
  }

  void StopServer() {
    if (!server_) return;
    server_->Stop();
    if (runner_.joinable()) runner_.join();
  }

  void TearDown() override { StopServer(); }

  void RecordThread(std::set<std::thread::id>& threads) {
    std::lock_guard lock(mu_);
    threads.insert(std::this_thread::get_id());
  }

  uint16_t port() const { return server_->port(); }

  Router router_;
  Metrics metrics_;
  std::unique_ptr<Server> server_;
  std::thread runner_;
  std::mutex mu_;
  std::set<std::thread::id> inline_threads_;
  std::set<std::thread::id> worker_threads_;
  std::atomic<int> slow_started_{0};
};

TEST_F(ServerTest, ServesTwoRequestsOnOneKeepAliveConnection) {
  StartServer();
  Client client(port());
  ASSERT_TRUE(client.connected());
  std::optional<HttpResponse> first = client.Request(Get("/hello?a=1&b=%E4%B8%AD+x&a=2"));
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->headers["content-type"], "application/json");
  EXPECT_EQ(first->JsonBody()["query"], Json::parse(R"({"a":"1","b":"中 x"})"));
  EXPECT_EQ(first->JsonBody()["client"], "127.0.0.1");
  EXPECT_NE(first->headers["connection"], "close");

  std::optional<HttpResponse> second = client.Request(Get("/worker/7"));
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->status, 200);
  EXPECT_EQ(second->JsonBody()["n"], "7");
}

TEST_F(ServerTest, AnswersPipelinedRequestsInOrder) {
  StartServer();
  Client client(port());
  ASSERT_TRUE(client.Send(Get("/worker/1") + Get("/hello") + Get("/worker/3")));
  std::optional<HttpResponse> a = client.Read();
  std::optional<HttpResponse> b = client.Read();
  std::optional<HttpResponse> c = client.Read();
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->JsonBody()["n"], "1");
  EXPECT_EQ(b->JsonBody()["hello"], "world");
  EXPECT_EQ(c->JsonBody()["n"], "3");
}

TEST_F(ServerTest, BelievesForwardedHeadersOnlyFromTrustedProxies) {
  const std::string forwarded = "X-Forwarded-For: 198.51.100.1, 203.0.113.9\r\nX-Forwarded-Proto: https\r\n";
  {
    StartServer();  // trusts nobody: a direct client cannot pick its address or claim TLS
    Client client(port());
    std::optional<HttpResponse> response = client.Request(Get("/hello", forwarded));
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->JsonBody()["client"], "127.0.0.1");
    EXPECT_EQ(response->JsonBody()["secure"], false);
    StopServer();
  }
  ServerOptions options;
  options.trusted_proxies = *TrustedProxies::Parse("127.0.0.0/8");
  StartServer(options);
  Client client(port());
  std::optional<HttpResponse> proxied = client.Request(Get("/hello", forwarded));
  ASSERT_TRUE(proxied.has_value());
  EXPECT_EQ(proxied->JsonBody()["client"], "203.0.113.9");
  EXPECT_EQ(proxied->JsonBody()["secure"], true);
  std::optional<HttpResponse> plain = client.Request(Get("/hello", "X-Forwarded-For: 203.0.113.9\r\n"));
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->JsonBody()["secure"], false);
  std::optional<HttpResponse> direct = client.Request(Get("/hello"));
  ASSERT_TRUE(direct.has_value());
  EXPECT_EQ(direct->JsonBody()["client"], "127.0.0.1");
}

TEST_F(ServerTest, EveryAnswerCarriesTheSecurityHeaders) {
  StartServer();
  Client client(port());
  for (std::string raw : {Get("/hello"), Get("/fail"), Get("/nope"), Post("/echo", "{}"), Get("/metrics")}) {
    std::optional<HttpResponse> response = client.Request(raw);
    ASSERT_TRUE(response.has_value()) << raw;
    EXPECT_EQ(response->headers["x-content-type-options"], "nosniff") << raw;
    EXPECT_EQ(response->headers["x-frame-options"], "DENY") << raw;
    EXPECT_EQ(response->headers["referrer-policy"], "same-origin") << raw;
    EXPECT_EQ(response->headers["cache-control"], "no-store") << raw;
  }
  Client bad(port());
  std::optional<HttpResponse> malformed = bad.Request("GARBAGE\r\n\r\n");
  ASSERT_TRUE(malformed.has_value());
  EXPECT_EQ(malformed->headers["x-frame-options"], "DENY");
}

TEST_F(ServerTest, ServesTheWebAppWithHeadAndNotModified) {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / ("anxin-server-web-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "assets");
  std::ofstream(root / "index.html") << "<!doctype html><title>portal</title>";
  std::ofstream(root / "assets" / "app-1.js") << "console.log(1)";
  Result<std::unique_ptr<StaticFiles>> files = StaticFiles::Load(root);
  fs::remove_all(root);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  router_.SetStaticFiles(files->get());
  StartServer();
  Client client(port());

  std::optional<HttpResponse> page = client.Request(Get("/console-less/route"));
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->headers["content-type"], "text/html; charset=utf-8");
  EXPECT_EQ(page->headers["cache-control"], "no-cache");
  EXPECT_EQ(page->headers["content-security-policy"], kContentSecurityPolicy);
  EXPECT_EQ(page->headers["x-frame-options"], "DENY");
  EXPECT_EQ(page->body, "<!doctype html><title>portal</title>");

  ASSERT_TRUE(client.Send("HEAD /assets/app-1.js HTTP/1.1\r\nHost: t\r\n\r\n"));
  std::optional<HttpResponse> head = client.Read(/*head=*/true);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->headers["content-length"], "14");
  EXPECT_EQ(head->headers["cache-control"], "public, max-age=31536000, immutable");
  const std::string etag = head->headers["etag"];
  ASSERT_FALSE(etag.empty());

  // No body followed the HEAD answer: the next answer on the connection is the 304.
  std::optional<HttpResponse> cached =
      client.Request(Get("/assets/app-1.js", "If-None-Match: " + etag + "\r\n"));
  ASSERT_TRUE(cached.has_value());
  EXPECT_EQ(cached->status, 304);
  EXPECT_EQ(cached->body, "");
  EXPECT_EQ(cached->headers.count("content-length"), 0U);
  EXPECT_EQ(cached->headers["etag"], etag);

  std::optional<HttpResponse> after = client.Request(Get("/assets/app-1.js"));
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->status, 200);
  EXPECT_EQ(after->body, "console.log(1)");
  EXPECT_EQ(after->headers["content-type"], "text/javascript; charset=utf-8");

  std::optional<HttpResponse> api = client.Request(Get("/api/v1/missing"));
  ASSERT_TRUE(api.has_value());
  EXPECT_EQ(api->status, 404);
  EXPECT_EQ(api->headers["content-type"], "application/problem+json");
  StopServer();
}

TEST_F(ServerTest, SendsEverySetCookieAndJoinsCookieLinesWithSemicolons) {
  StartServer();
  Client client(port());
  std::optional<HttpResponse> response =
      client.Request(Get("/cookies", "Cookie: theme=dark\r\nCookie: anxin_session=abc\r\n"));
  ASSERT_TRUE(response.has_value());
  ASSERT_EQ(response->status, 200);
  std::vector<std::string> set_cookies;
  for (const auto& [name, value] : response->header_lines) {
    if (name == "set-cookie") set_cookies.push_back(value);
  }
  EXPECT_EQ(set_cookies, (std::vector<std::string>{"anxin_session=s1; Path=/; HttpOnly; SameSite=Strict",
                                                   "anxin_csrf=c1; Path=/; SameSite=Strict"}));
  // Two Cookie lines (as HTTP/2 proxies send them) are one cookie list, still parseable.
  const std::string joined = response->JsonBody()["cookie"];
  EXPECT_EQ(joined, "theme=dark; anxin_session=abc");
  EXPECT_EQ(*FindCookie(joined, kSessionCookie), "abc");
}

TEST_F(ServerTest, EchoesValidRequestIdAndGeneratesOtherwise) {
  StartServer();
  Client client(port());
  std::optional<HttpResponse> echoed = client.Request(Get("/fail", "X-Request-Id: abc.DEF_1-2\r\n"));
  ASSERT_TRUE(echoed.has_value());
  EXPECT_EQ(echoed->headers["x-request-id"], "abc.DEF_1-2");
  EXPECT_EQ(echoed->JsonBody()["request_id"], "abc.DEF_1-2");

  for (std::string header : {std::string("X-Request-Id: bad id!\r\n"),
                             "X-Request-Id: " + std::string(65, 'a') + "\r\n", std::string()}) {
    std::optional<HttpResponse> generated = client.Request(Get("/fail", header));
    ASSERT_TRUE(generated.has_value());
    const std::string id = generated->headers["x-request-id"];
    EXPECT_EQ(id.size(), 20U) << header;
    EXPECT_NE(id, "bad id!");
    EXPECT_EQ(generated->JsonBody()["request_id"], id);
  }
}

TEST_F(ServerTest, ProblemsFollowAcceptLanguage) {
  StartServer();
  Client client(port());
  struct Case {
    std::string header;
    std::string detail;
  };
  const std::vector<Case> cases = {
      {"", "保单不存在"},
      {"Accept-Language: en-US,en;q=0.9\r\n", "No such policy"},
      {"Accept-Language: zh-CN,zh;q=0.9,en;q=0.8\r\n", "保单不存在"},
      {"Accept-Language: zh;q=0.5, en\r\n", "No such policy"},
      {"Accept-Language: fr\r\n", "保单不存在"},
  };
  for (const Case& c : cases) {
    std::optional<HttpResponse> response = client.Request(Get("/fail", c.header));
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 404);
    EXPECT_EQ(response->headers["content-type"], "application/problem+json");
    EXPECT_EQ(response->JsonBody()["detail"], c.detail) << c.header;
    EXPECT_EQ(response->JsonBody()["code"], "policy_not_found");
  }
}

TEST_F(ServerTest, UnknownPathIs404AndWrongMethodIs405) {
  StartServer();
  Client client(port());
  std::optional<HttpResponse> missing = client.Request(Get("/nope"));
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->JsonBody()["code"], "not_found");
  std::optional<HttpResponse> wrong = client.Request(Post("/hello", "{}"));
  ASSERT_TRUE(wrong.has_value());
  EXPECT_EQ(wrong->status, 405);
  EXPECT_EQ(wrong->headers["allow"], "GET");
}

TEST_F(ServerTest, BodyOverLimitIs413Problem) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  StartServer(options);
  {
    Client client(port());
    std::optional<HttpResponse> fits = client.Request(Post("/echo", std::string(1024, ' ')));
    ASSERT_TRUE(fits.has_value());
    EXPECT_EQ(fits->status, 201);
    EXPECT_EQ(fits->JsonBody()["bytes"], 1024);
  }
  {
    Client client(port());
    std::optional<HttpResponse> response = client.Request(Post("/echo", std::string(4096, ' ')));
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 413);
    EXPECT_EQ(response->headers["content-type"], "application/problem+json");
    EXPECT_EQ(response->headers["connection"], "close");
    EXPECT_EQ(response->JsonBody()["code"], "payload_too_large");
    EXPECT_EQ(response->JsonBody()["status"], 413);
    EXPECT_TRUE(client.ClosedByServer());
  }
  {
    // Chunked: the limit applies to the decoded body as it arrives.
    Client client(port());
    std::string chunk(800, 'x');
    char size[16];
    std::snprintf(size, sizeof size, "%zx", chunk.size());
    std::string request =
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nTransfer-Encoding: "
        "chunked\r\n\r\n";
    request +=
        std::string(size) + "\r\n" + chunk + "\r\n" + std::string(size) + "\r\n" + chunk + "\r\n0\r\n\r\n";
    std::optional<HttpResponse> response = client.Request(request);
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 413);
  }
}

TEST_F(ServerTest, HeaderOverLimitIs431Problem) {
  ServerOptions options;
  options.max_header_bytes = 2048;
  StartServer(options);
  Client client(port());
  std::optional<HttpResponse> response =
      client.Request(Get("/hello", "X-Big: " + std::string(4096, 'a') + "\r\n"));
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 431);
  EXPECT_EQ(response->JsonBody()["code"], "header_too_large");
}

TEST_F(ServerTest, MalformedRequestIs400AndConnectionCloses) {
  StartServer();
  for (std::string raw : {std::string("GARBAGE\r\n\r\n"), std::string("GET /hello HTTP/9.9\r\n\r\n"),
                          std::string("GET /hello HTTP/1.1\r\nBad Header\r\n\r\n"),
                          std::string("POST /echo HTTP/1.1\r\nContent-Length: xyz\r\n\r\n")}) {
    Client client(port());
    std::optional<HttpResponse> response = client.Request(raw);
    ASSERT_TRUE(response.has_value()) << raw;
    EXPECT_EQ(response->status, 400) << raw;
    EXPECT_EQ(response->JsonBody()["code"], "malformed_request");
    EXPECT_EQ(response->headers["connection"], "close");
    EXPECT_TRUE(client.ClosedByServer()) << raw;
  }
}

TEST_F(ServerTest, Http10WithoutKeepAliveCloses) {
  StartServer();
  Client client(port());
  std::optional<HttpResponse> response = client.Request("GET /hello HTTP/1.0\r\n\r\n");
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(client.ClosedByServer());
}

TEST_F(ServerTest, AnswersExpectContinue) {
  StartServer();
  Client client(port());
  ASSERT_TRUE(
      client.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                  "Content-Length: 2\r\nExpect: 100-continue\r\n\r\n"));
  std::optional<HttpResponse> interim = client.Read();
  ASSERT_TRUE(interim.has_value());
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client.Send("{}"));
  std::optional<HttpResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 201);
}

TEST_F(ServerTest, BlockingHandlersRunOnWorkersNotTheIoThread) {
  ServerOptions options;
  options.io_threads = 1;
  StartServer(options);
  // With a single I/O thread, a sleeping handler must not delay an inline route.
  std::thread slow([this] {
    Client client(port());
    std::optional<HttpResponse> response = client.Request(Get("/slow?ms=1500"));
    EXPECT_TRUE(response.has_value() && response->status == 200);
  });
  while (slow_started_ == 0) std::this_thread::sleep_for(5ms);
  Client client(port());
  const auto started = std::chrono::steady_clock::now();
  std::optional<HttpResponse> quick = client.Request(Get("/hello"));
  const auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(quick.has_value());
  EXPECT_EQ(quick->status, 200);
  EXPECT_LT(elapsed, 1000ms);
  ASSERT_TRUE(client.Request(Get("/worker/1")).has_value());
  slow.join();

  std::lock_guard lock(mu_);
  ASSERT_EQ(inline_threads_.size(), 1U);
  ASSERT_FALSE(worker_threads_.empty());
  EXPECT_EQ(worker_threads_.count(*inline_threads_.begin()), 0U);
}

TEST_F(ServerTest, ServesConcurrentClients) {
  StartServer();
  constexpr int kThreads = 32;
  constexpr int kRequestsEach = 10;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Client client(port());
      for (int i = 0; i < kRequestsEach; ++i) {
        std::string n = std::to_string(t * 100 + i);
        std::optional<HttpResponse> response =
            client.Request(i % 2 == 0 ? Get("/worker/" + n) : Get("/hello"));
        if (!response || response->status != 200) continue;
        if (i % 2 == 0 && response->JsonBody()["n"] != n) continue;
        ++ok;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(ok, kThreads * kRequestsEach);
}

TEST_F(ServerTest, StopLetsInFlightRequestFinishThenRefusesConnections) {
  StartServer();
  Client idle(port());
  ASSERT_TRUE(idle.Request(Get("/hello")).has_value());

  std::optional<HttpResponse> slow_response;
  std::thread slow([&] {
    Client client(port());
    slow_response = client.Request(Get("/slow?ms=800"));
  });
  while (slow_started_ == 0) std::this_thread::sleep_for(5ms);

  server_->Stop();
  Client refused(port());
  EXPECT_FALSE(refused.connected());
  EXPECT_TRUE(idle.ClosedByServer());

  slow.join();
  ASSERT_TRUE(slow_response.has_value());
  EXPECT_EQ(slow_response->status, 200);
  EXPECT_EQ(slow_response->headers["connection"], "close");
  EXPECT_EQ(slow_response->JsonBody()["slept_ms"], 800);
  runner_.join();  // Run() returns once the drain is over
}

TEST_F(ServerTest, StopGivesUpOnRequestsPastTheShutdownTimeout) {
  ServerOptions options;
  options.shutdown_timeout = 200ms;
  StartServer(options);
  std::optional<HttpResponse> slow_response = HttpResponse{};
  std::thread slow([&] {
    Client client(port());
    slow_response = client.Request(Get("/slow?ms=1500"));
  });
  while (slow_started_ == 0) std::this_thread::sleep_for(5ms);
  const auto started = std::chrono::steady_clock::now();
  server_->Stop();
  slow.join();  // the connection is closed at the deadline, long before the handler finishes
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1000ms);
  EXPECT_FALSE(slow_response.has_value());
  runner_.join();
}

TEST_F(ServerTest, ClosesIdleKeepAliveConnectionsAfterIdleTimeout) {
  ServerOptions options;
  options.idle_timeout = 200ms;
  StartServer(options);
  Client client(port());
  ASSERT_TRUE(client.Request(Get("/hello")).has_value());
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.ClosedByServer());
  EXPECT_GE(std::chrono::steady_clock::now() - started, 150ms);
}

TEST_F(ServerTest, AnswersClientsTooSlowToSendTheirRequestWith408) {
  ServerOptions options;
  options.read_timeout = 200ms;
  StartServer(options);
  const std::vector<std::string> stalled = {
      "GET /hello HTTP/1.1\r\nHost: t\r\n",  // headers never finish
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{\"a\"",
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\n{\"a\":",  // the chunked body never ends
  };
  for (const std::string& raw : stalled) {
    Client client(port());
    const auto started = std::chrono::steady_clock::now();
    std::optional<HttpResponse> response = client.Request(raw);
    ASSERT_TRUE(response.has_value()) << raw;
    EXPECT_GE(std::chrono::steady_clock::now() - started, 150ms);
    EXPECT_EQ(response->status, 408) << raw;
    EXPECT_EQ(response->headers["content-type"], "application/problem+json");
    EXPECT_EQ(response->headers["connection"], "close");
    EXPECT_EQ(response->JsonBody()["code"], "request_timeout");
    EXPECT_EQ(response->JsonBody()["status"], 408);
    EXPECT_TRUE(client.ClosedByServer()) << raw;
  }
  // An idle keep-alive connection that never starts a request is simply closed (idle_timeout).
}

TEST_F(ServerTest, TheDeadlineCoversOneRequestNotTheConnection) {
  ServerOptions options;
  options.read_timeout = 300ms;
  StartServer(options);
  Client client(port());
  // Each request arrives within the deadline, though the connection lives longer than it.
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client.Send("GET /hello HTTP/1.1\r\n"));
    std::this_thread::sleep_for(150ms);
    std::optional<HttpResponse> response = client.Request("Host: t\r\n\r\n");
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 200);
  }
}

TEST_F(ServerTest, AmbiguousBodyFramingIs400AndCloses) {
  StartServer();
  const std::string head = "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n";
  // Each is followed by a second request that a server reading the body the other way would run.
  const std::string smuggled = "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n";
  const std::vector<std::string> refused = {
      head + "Transfer-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}",
      head + "Content-Length: 2\r\nTransfer-Encoding: identity\r\n\r\n{}",
      head + "Transfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n{}",
      head + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}",
      head + "Transfer-Encoding: gzip, chunked\r\nContent-Length: 7\r\n\r\n0\r\n\r\n",
      head + "Transfer-Encoding: gzip\r\n\r\n",
      head + "Transfer-Encoding: chunked, gzip\r\n\r\n",
      head + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      "POST /echo HTTP/1.0\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
  };
  for (const std::string& raw : refused) {
    Client client(port());
    std::optional<HttpResponse> response = client.Request(raw + smuggled);
    ASSERT_TRUE(response.has_value()) << raw;
    EXPECT_EQ(response->status, 400) << raw;
    EXPECT_EQ(response->JsonBody()["code"], "malformed_request") << raw;
    if (raw.find("HTTP/1.1") != std::string::npos) {
      EXPECT_EQ(response->headers["connection"], "close") << raw;
    }
    EXPECT_TRUE(client.ClosedByServer()) << raw;  // and the smuggled request is never answered
  }
  // Plain chunked stays fine, with either spelling.
  Client client(port());
  std::optional<HttpResponse> chunked =
      client.Request(head + "Transfer-Encoding: Chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
  ASSERT_TRUE(chunked.has_value());
  EXPECT_EQ(chunked->status, 201);
  EXPECT_EQ(chunked->JsonBody()["bytes"], 2);
}

TEST_F(ServerTest, Http11NeedsExactlyOneHost) {
  StartServer();
  for (std::string raw : {std::string("GET /hello HTTP/1.1\r\n\r\n"),
                          std::string("GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
                          std::string("GET /hello HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n")}) {
    Client client(port());
    std::optional<HttpResponse> response = client.Request(raw);
    ASSERT_TRUE(response.has_value()) << raw;
    EXPECT_EQ(response->status, 400) << raw;
    EXPECT_EQ(response->JsonBody()["code"], "invalid_host") << raw;
    EXPECT_TRUE(client.ClosedByServer()) << raw;
  }
  Client client(port());
  std::optional<HttpResponse> empty_host = client.Request("GET /hello HTTP/1.1\r\nHost:\r\n\r\n");
  ASSERT_TRUE(empty_host.has_value());
  EXPECT_EQ(empty_host->status, 200);  // RFC 9112 §3.2: an empty Host is allowed
}

TEST_F(ServerTest, SigtermStopsTheServer) {
  StartServer({}, /*stop_on_signals=*/true);
  Client client(port());
  ASSERT_TRUE(client.Request(Get("/hello")).has_value());
  ASSERT_EQ(::raise(SIGTERM), 0);
  runner_.join();  // returns only because the signal called Stop()
  EXPECT_TRUE(client.ClosedByServer());
  Client refused(port());
  EXPECT_FALSE(refused.connected());
}

TEST_F(ServerTest, StopBeforeRunMakesRunReturn) {
  StartServer();
  server_->Stop();
  runner_.join();
  Client refused(port());
  EXPECT_FALSE(refused.connected());
}

TEST_F(ServerTest, MetricsCountServedRequests) {
  StartServer();
  Client client(port());
  ASSERT_TRUE(client.Request(Get("/hello")).has_value());
  ASSERT_TRUE(client.Request(Get("/worker/1")).has_value());
  ASSERT_TRUE(client.Request(Get("/worker/2")).has_value());
  ASSERT_TRUE(client.Request(Get("/secret/path/123")).has_value());
  std::optional<HttpResponse> metrics = client.Request(Get("/metrics"));
  ASSERT_TRUE(metrics.has_value());
  EXPECT_EQ(metrics->status, 200);
  EXPECT_THAT(metrics->headers["content-type"], HasSubstr("text/plain; version=0.0.4"));
  EXPECT_THAT(metrics->body,
              HasSubstr("anxin_http_requests_total{method=\"GET\",route=\"/hello\",status=\"200\"} 1\n"));
  EXPECT_THAT(
      metrics->body,
      HasSubstr("anxin_http_requests_total{method=\"GET\",route=\"/worker/{n}\",status=\"200\"} 2\n"));
  EXPECT_THAT(metrics->body,
              HasSubstr("anxin_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n"));
  EXPECT_THAT(
      metrics->body,
      HasSubstr("anxin_http_request_duration_seconds_count{method=\"GET\",route=\"/worker/{n}\"} 2\n"));
  EXPECT_THAT(metrics->body, Not(HasSubstr("/secret")));
}

TEST_F(ServerTest, LogsOneAccessLineWithoutSecrets) {
  StartServer();
  {
    Client client(port());
    ASSERT_TRUE(client
                    .Request(Get("/worker/110105194912310029?phone=13800138000",
                                 "Authorization: Bearer tok-SECRET\r\nX-Request-Id: log-test-1\r\n"))
                    .has_value());
    ASSERT_TRUE(client.Request(Post("/echo", R"({"password":"hunter2"})", "X-Request-Id: log-test-2\r\n"))
                    .has_value());
  }
  StopServer();
  std::vector<Json> lines = AccessLines();
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(lines[0]["request_id"], "log-test-1");
  EXPECT_EQ(lines[0]["method"], "GET");
  EXPECT_EQ(lines[0]["route"], "/worker/{n}");
  EXPECT_EQ(lines[0]["status"], 200);
  EXPECT_EQ(lines[0]["client"], "127.0.0.1");
  EXPECT_TRUE(lines[0]["duration_ms"].is_number());
  EXPECT_TRUE(lines[0]["bytes"].is_number_integer());
  EXPECT_EQ(lines[1]["request_id"], "log-test-2");
  EXPECT_EQ(lines[1]["status"], 201);
  const std::string all = LogCapture()->Text();
  for (std::string secret : {"110105194912310029", "13800138000", "tok-SECRET", "hunter2"}) {
    EXPECT_THAT(all, Not(HasSubstr(secret)));
  }
}

TEST(ServerStartTest, ReportsBadAddressAndPortInUse) {
  Router router;
  Metrics metrics;
  ServerOptions bad;
  bad.address = "not-an-address";
  bad.port = 0;
  Server invalid(router, metrics, bad);
  Status status = invalid.Start();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);

  ServerOptions first_options;
  first_options.address = "127.0.0.1";
  first_options.port = 0;
  first_options.io_threads = 1;
  first_options.worker_threads = 1;
  Server first(router, metrics, first_options);
  ASSERT_TRUE(first.Start().ok());
  ServerOptions second_options = first_options;
  second_options.port = first.port();
  Server second(router, metrics, second_options);
  EXPECT_EQ(second.Start().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace anxin::http
