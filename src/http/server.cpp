// The only translation unit that includes Boost.Beast/Asio (they compile slowly).
#include <utility>  // Boost 1.74's Asio needs it first with g++ 12.

#include "http/server.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include "common/crypto.hpp"
#include "common/log.hpp"

namespace anxin::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

constexpr size_t kMaxRequestIdLength = 64;
// After an error response sent before the request was fully read, the rest of what the client
// sends is read and dropped for a while, so the client sees the response rather than a reset.
constexpr std::chrono::seconds kLingerTime{2};
constexpr size_t kMaxLingerBytes = 8 * 1024 * 1024;

// Sent with every response (API and web app) unless the response sets the header itself.
constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kSecurityHeaders = {{
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "same-origin"},
}};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool ValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
  });
}

// Returns "en" when the client's most preferred language (highest q, earliest on ties) is
// English, else "zh" (the platform's default).
std::string LanguageFor(std::string_view accept_language) {
  std::string best;
  double best_q = -1;
  while (!accept_language.empty()) {
    size_t comma = accept_language.find(',');
    std::string_view item = accept_language.substr(0, comma);
    accept_language =
        comma == std::string_view::npos ? std::string_view() : accept_language.substr(comma + 1);
    size_t semicolon = item.find(';');
    std::string tag = Lower(Trim(item.substr(0, semicolon)));
    double q = 1.0;
    if (semicolon != std::string_view::npos) {
      std::string_view parameter = Trim(item.substr(semicolon + 1));
      if (parameter.size() > 2 && (parameter[0] == 'q' || parameter[0] == 'Q') && parameter[1] == '=') {
        std::string value(parameter.substr(2));
        char* end = nullptr;
        double parsed = std::strtod(value.c_str(), &end);
        q = end == value.c_str() ? 0.0 : parsed;
      }
    }
    if (!tag.empty() && q > best_q) {
      best = tag;
      best_q = q;
    }
  }
  return best.rfind("en", 0) == 0 ? "en" : "zh";
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes a query component ('+' is a space; malformed escapes are kept as they are).
std::string DecodeQueryComponent(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::map<std::string, std::string> ParseQuery(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key = DecodeQueryComponent(pair.substr(0, eq));
    std::string value =
        eq == std::string_view::npos ? std::string() : DecodeQueryComponent(pair.substr(eq + 1));
    out.emplace(std::move(key), std::move(value));  // the first occurrence wins
  }
  return out;
}

// Splits a request target into path (still percent-encoded; the router decodes segments) and
// query. An absolute-form target ("http://host/path") is reduced to its path.
std::pair<std::string, std::string> SplitTarget(std::string_view target) {
  if (!target.empty() && target.front() != '/') {
    size_t scheme = target.find("://");
    if (scheme != std::string_view::npos) {
      size_t slash = target.find('/', scheme + 3);
      target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
    }
  }
  size_t question = target.find('?');
  if (question == std::string_view::npos) return {std::string(target), std::string()};
  return {std::string(target.substr(0, question)), std::string(target.substr(question + 1))};
}

bool SafeHeaderText(std::string_view text) {
  return text.find_first_of("\r\n") == std::string_view::npos && !text.empty();
}

struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)), read_timer(stream.get_executor()) {}

  // Used only on the connection's own I/O thread.
  beast::tcp_stream stream;
  bool idle = true;  // waiting for the next request (Stop may close it)
  std::string client;
  // The deadline for receiving one request. Beast's own stream timeout closes the socket, which
  // would leave no way to answer 408; this timer only cancels the pending read.
  asio::steady_timer read_timer;
  uint64_t read_generation = 0;  // which ArmReadDeadline the timer belongs to
  bool read_timed_out = false;
};

// Starts the deadline for receiving a request: when it passes, the pending read is cancelled and
// `read_timed_out` is set.
void ArmReadDeadline(const std::shared_ptr<Connection>& connection, std::chrono::milliseconds timeout) {
  connection->read_timed_out = false;
  const uint64_t generation = ++connection->read_generation;
  connection->stream.expires_never();
  connection->read_timer.expires_after(timeout);
  connection->read_timer.async_wait([connection, generation](const beast::error_code& ec) {
    if (ec || connection->read_generation != generation) return;
    connection->read_timed_out = true;
    beast::error_code ignored;
    connection->stream.socket().cancel(ignored);
  });
}

void DisarmReadDeadline(Connection& connection) {
  ++connection.read_generation;
  connection.read_timer.cancel();
}

// Checks the framing headers of a parsed request head (RFC 9112 §3.2, §6.1), beyond what Beast
// checks itself: a Transfer-Encoding is accepted only alone, as exactly "chunked", on HTTP/1.1
// (with a Content-Length too the body's length is ambiguous: request smuggling); an HTTP/1.1
// request needs exactly one Host.
Status CheckFraming(const bhttp::request_parser<bhttp::string_body>& parser) {
  const auto& header = parser.get();
  const size_t transfer_encodings = header.count(bhttp::field::transfer_encoding);
  if (transfer_encodings > 0) {
    if (header.count(bhttp::field::content_length) > 0) {
      return {StatusCode::kInvalidArgument,
              "malformed_request",
              {"请求不能同时带有 Transfer-Encoding 和 Content-Length",
               "A request must not carry both Transfer-Encoding and Content-Length"}};
    }
    const std::string_view coding(header[bhttp::field::transfer_encoding].data(),
                                  header[bhttp::field::transfer_encoding].size());
    if (transfer_encodings > 1 || header.version() != 11 || Lower(Trim(coding)) != "chunked") {
      return {StatusCode::kInvalidArgument,
              "malformed_request",
              {"仅支持 Transfer-Encoding: chunked（HTTP/1.1）",
               "Only Transfer-Encoding: chunked (HTTP/1.1) is supported"}};
    }
  }
  const size_t hosts = header.count(bhttp::field::host);
  if (hosts > 1 || (hosts == 0 && header.version() == 11)) {
    return {StatusCode::kInvalidArgument,
            "invalid_host",
            {"HTTP/1.1 请求必须带有且只带一个 Host 头", "An HTTP/1.1 request needs exactly one Host header"}};
  }
  return Status::Ok();
}

}  // namespace

struct Server::Impl {
  Impl(Router& router_in, Metrics& metrics_in, ServerOptions options_in)
      : router(router_in), metrics(metrics_in), options(std::move(options_in)) {
    int io_threads = options.io_threads > 0
                         ? options.io_threads
                         : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
    for (int i = 0; i < io_threads; ++i) {
      contexts.push_back(std::make_unique<asio::io_context>(1));
      guards.push_back(asio::make_work_guard(*contexts.back()));
    }
    pool = std::make_unique<asio::thread_pool>(static_cast<size_t>(std::max(1, options.worker_threads)));
  }

  ~Impl() {
    // Run() joins everything; this covers a server that was started but never run.
    if (pool) pool->join();
  }

  Status Start();
  void Stop();
  void Run();
  void CloseAcceptor();
  void Forget(const std::shared_ptr<Connection>& connection);
  asio::awaitable<void> Accept();
  asio::awaitable<void> Session(std::shared_ptr<Connection> connection);
  asio::awaitable<Response> RunInPool(const Route& route, Request& request);
  asio::awaitable<void> Linger(Connection& connection);

  // Constant after construction.
  Router& router;
  Metrics& metrics;
  const ServerOptions options;
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
  std::unique_ptr<asio::thread_pool> pool;

  // Used on contexts[0]'s thread (or before Run starts).
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::signal_set> signals;
  size_t next_context = 0;
  uint16_t bound_port = 0;

  std::atomic<bool> stopping{false};

  // Guarded by mu.
  std::mutex mu;
  std::condition_variable cv;
  bool running = false;
  bool stop_requested = false;
  bool acceptor_closed = false;
  std::set<std::shared_ptr<Connection>> connections;
};

Status Server::Impl::Start() {
  beast::error_code ec;
  asio::ip::address address = asio::ip::make_address(options.address, ec);
  if (ec) {
    return {StatusCode::kInvalidArgument,
            "invalid_address",
            {"监听地址无效：" + options.address, "Invalid listen address: " + options.address}};
  }
  tcp::endpoint endpoint(address, options.port);
  acceptor.emplace(*contexts[0]);
  auto fail = [&](std::string_view step) -> Status {
    std::string where = options.address + ":" + std::to_string(options.port);
    std::string detail = std::string(step) + " " + where + ": " + ec.message();
    acceptor.reset();
    return {StatusCode::kUnavailable,
            "listen_failed",
            {"无法监听 " + where + "（" + detail + "）", "Cannot " + detail}};
  };
  if (acceptor->open(endpoint.protocol(), ec)) return fail("open");
  if (acceptor->set_option(asio::socket_base::reuse_address(true), ec)) return fail("configure");
  if (acceptor->bind(endpoint, ec)) return fail("bind");
  if (acceptor->listen(asio::socket_base::max_listen_connections, ec)) return fail("listen");
  bound_port = acceptor->local_endpoint(ec).port();
  asio::co_spawn(*contexts[0], Accept(), [](const std::exception_ptr& error) {
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      LogEvent(spdlog::level::err, "http_accept_failed", {{"error", e.what()}});
    }
  });
  return Status::Ok();
}

void Server::Impl::CloseAcceptor() {
  beast::error_code ec;
  if (acceptor) acceptor->close(ec);
  if (signals) signals->cancel(ec);
}

void Server::Impl::Stop() {
  std::vector<std::shared_ptr<Connection>> open;
  bool close_here = false;
  {
    std::lock_guard lock(mu);
    if (stop_requested) return;
    stop_requested = true;
    stopping = true;
    open.assign(connections.begin(), connections.end());
    // The acceptor belongs to contexts[0]: close it directly when nobody runs that context (or we
    // are its thread), else on its thread, waiting so that no connection is accepted after Stop.
    close_here = !running || contexts[0]->get_executor().running_in_this_thread();
    if (close_here) {
      CloseAcceptor();
      acceptor_closed = true;
    }
  }
  if (!close_here) {
    // Run() does not stop the contexts before `acceptor_closed`, so this handler always runs.
    std::promise<void> closed;
    std::future<void> done = closed.get_future();
    asio::post(*contexts[0], [this, &closed] {
      CloseAcceptor();
      {
        std::lock_guard lock(mu);
        acceptor_closed = true;
      }
      cv.notify_all();
      closed.set_value();
    });
    done.wait();
  }
  for (const std::shared_ptr<Connection>& connection : open) {
    asio::post(connection->stream.get_executor(), [connection] {
      if (!connection->idle) return;  // answering a request; the session closes it afterwards
      beast::error_code ignored;
      connection->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
      connection->stream.close();
    });
  }
  cv.notify_all();
}

void Server::Impl::Forget(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mu);
  connections.erase(connection);
  cv.notify_all();
}

void Server::Impl::Run() {
  {
    std::lock_guard lock(mu);
    running = true;
  }
  std::vector<std::thread> threads;
  threads.reserve(contexts.size());
  for (auto& context : contexts) {
    threads.emplace_back([&context] {
      while (true) {
        try {
          context->run();
          return;
        } catch (const std::exception& e) {
          LogEvent(spdlog::level::err, "http_io_thread_error", {{"error", e.what()}});
        }
      }
    });
  }

  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return stop_requested && acceptor_closed; });
  const auto deadline = SteadyClock::now() + options.shutdown_timeout;
  bool drained = cv.wait_until(lock, deadline, [&] { return connections.empty(); });
  if (!drained) {
    LogEvent(spdlog::level::warn, "http_shutdown_deadline",
             {{"open_connections", connections.size()},
              {"timeout_ms", static_cast<int64_t>(options.shutdown_timeout.count())}});
  }
  lock.unlock();

  for (auto& guard : guards) guard.reset();
  for (auto& context : contexts) context->stop();
  for (std::thread& thread : threads) thread.join();
  // No I/O thread runs any more, so the connections left after the deadline can be closed here:
  // their clients see the connection end instead of waiting for a reply that will not come.
  lock.lock();
  for (const std::shared_ptr<Connection>& connection : connections) {
    beast::error_code ignored;
    connection->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    connection->stream.socket().close(ignored);
  }
  connections.clear();
  running = false;
  lock.unlock();
  pool->join();  // handlers still running after the deadline finish; their replies are dropped
}

asio::awaitable<void> Server::Impl::Accept() {
  while (true) {
    asio::io_context& target = *contexts[next_context++ % contexts.size()];
    beast::error_code ec;
    tcp::socket socket =
        co_await acceptor->async_accept(target, asio::redirect_error(asio::use_awaitable, ec));
    if (stopping || ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
    if (ec) {
      // Out of file descriptors and the like: log and back off rather than spin.
      LogEvent(spdlog::level::warn, "http_accept_error", {{"error", ec.message()}});
      asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(100));
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto connection = std::make_shared<Connection>(std::move(socket));
    tcp::endpoint remote = connection->stream.socket().remote_endpoint(ec);
    connection->client = ec ? std::string() : remote.address().to_string();
    {
      std::lock_guard lock(mu);
      if (stop_requested) co_return;  // `connection` closes as it goes out of scope
      connections.insert(connection);
    }
    asio::co_spawn(target, Session(connection), [this, connection](const std::exception_ptr& error) {
      if (error) {
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          LogEvent(spdlog::level::err, "http_session_failed", {{"error", e.what()}});
        }
      }
      Forget(connection);
    });
  }
}

asio::awaitable<Response> Server::Impl::RunInPool(const Route& route, Request& request) {
  auto executor = co_await asio::this_coro::executor;
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(Response)>(
      [this, &route, &request, executor](auto handler) {
        asio::post(*pool, [this, &route, &request, executor, handler = std::move(handler)]() mutable {
          Response response = router.Dispatch(route, request);
          // Resume the session on its own I/O thread, never on the worker.
          asio::post(executor, [handler = std::move(handler), response = std::move(response)]() mutable {
            std::move(handler)(std::move(response));
          });
        });
      },
      asio::use_awaitable);
}

asio::awaitable<void> Server::Impl::Linger(Connection& connection) {
  beast::error_code ec;
  connection.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  connection.stream.expires_after(kLingerTime);
  std::array<char, 16 * 1024> scratch{};
  size_t discarded = 0;
  while (!ec && discarded < kMaxLingerBytes) {
    discarded += co_await connection.stream.async_read_some(asio::buffer(scratch),
                                                            asio::redirect_error(asio::use_awaitable, ec));
  }
}

asio::awaitable<void> Server::Impl::Session(std::shared_ptr<Connection> connection) {
  beast::tcp_stream& stream = connection->stream;
  beast::flat_buffer buffer;
  bool linger = false;
  while (!stopping) {
    beast::error_code ec;
    if (buffer.size() == 0) {
      connection->idle = true;
      stream.expires_after(options.idle_timeout);
      size_t n = co_await stream.async_read_some(buffer.prepare(4096),
                                                 asio::redirect_error(asio::use_awaitable, ec));
      connection->idle = false;
      if (ec) break;  // closed by the client, idle timeout, or Stop()
      buffer.commit(n);
    }
    connection->idle = false;
    const SteadyClock::time_point started = SteadyClock::now();

    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(std::min<size_t>(options.max_header_bytes, UINT32_MAX)));
    parser.body_limit(options.max_body_bytes);
    ArmReadDeadline(connection, options.read_timeout);
    co_await bhttp::async_read_header(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    Status framing = ec ? Status::Ok() : CheckFraming(parser);
    if (!ec && framing.ok() && beast::iequals(parser.get()[bhttp::field::expect], "100-continue") &&
        !parser.is_done()) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      co_await asio::async_write(stream, asio::buffer(kContinue.data(), kContinue.size()),
                                 asio::redirect_error(asio::use_awaitable, ec));
    }
    if (!ec && framing.ok() && !parser.is_done()) {
      co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    }
    DisarmReadDeadline(*connection);

    Request request;
    const unsigned version = parser.is_header_done() && parser.get().version() == 10 ? 10 : 11;
    if (parser.is_header_done()) {
      const auto& header = parser.get();
      request.method = std::string(header.method_string());
      auto [path, query] = SplitTarget(std::string_view(header.target().data(), header.target().size()));
      request.path = std::move(path);
      request.query = ParseQuery(query);
      for (const auto& field : header) {
        std::string name = Lower(std::string_view(field.name_string().data(), field.name_string().size()));
        std::string value(field.value());
        auto [it, inserted] = request.headers.emplace(name, value);
        // Repeated lines form one list; Cookie's separator is "; " (RFC 6265 §5.4), not ", ".
        if (!inserted) it->second += (name == "cookie" ? "; " : ", ") + value;
      }
    }
    const ClientOrigin origin = options.trusted_proxies.Resolve(
        connection->client, request.Header("x-forwarded-for"), request.Header("x-forwarded-proto"));
    request.client_address = origin.address;
    request.secure = origin.secure;
    std::string client_request_id = request.Header("x-request-id");
    request.request_id = ValidRequestId(client_request_id) ? client_request_id : NewId();
    request.lang = LanguageFor(request.Header("accept-language"));

    Response response;
    std::string route_label(Metrics::kUnmatchedRoute);
    bool keep_alive = false;
    if (connection->read_timed_out) {
      // Too slow to send its request: say so before closing rather than drop it silently.
      response = ProblemResponse(
          Status::Detailed(
              StatusDetail::kRequestTimeout, "request_timeout",
              {"未在 " + std::to_string(options.read_timeout.count()) + " 毫秒内收到完整请求",
               "The request did not arrive within " + std::to_string(options.read_timeout.count()) + " ms"}),
          request);
      linger = true;
    } else if (ec == bhttp::error::body_limit) {
      response = ProblemResponse(
          Status::Detailed(
              StatusDetail::kPayloadTooLarge, "payload_too_large",
              {"请求体超过 " + std::to_string(options.max_body_bytes) + " 字节的上限",
               "The request body exceeds the limit of " + std::to_string(options.max_body_bytes) + " bytes"}),
          request);
      linger = true;
    } else if (ec == bhttp::error::header_limit) {
      response = ProblemResponse(Status::Detailed(StatusDetail::kHeaderTooLarge, "header_too_large",
                                                  {"请求头过大", "The request headers are too large"}),
                                 request);
      linger = true;
    } else if (ec == beast::error::timeout || ec == asio::error::eof || ec == bhttp::error::end_of_stream ||
               ec == asio::error::operation_aborted || ec == asio::error::connection_reset) {
      break;  // the client went away or was too slow: nobody to answer
    } else if (ec) {
      response = ProblemResponse({StatusCode::kInvalidArgument,
                                  "malformed_request",
                                  {"HTTP 请求格式错误", "Malformed HTTP request"}},
                                 request);
      linger = true;
    } else if (!framing.ok()) {
      response = ProblemResponse(framing, request);
      linger = true;
    } else {
      request.body = parser.release().body();
      keep_alive = parser.keep_alive() && !stopping;
      Router::Match match = router.Find(request.method, request.path, &request);
      if (match.route == nullptr) {
        response = router.Handle(request);  // 404 or 405; never blocks
      } else {
        route_label = match.route->pattern;
        if (match.route->inline_handler) {
          response = router.Dispatch(*match.route, request);
        } else {
          response = co_await RunInPool(*match.route, request);
        }
      }
    }
    if (stopping) keep_alive = false;

    bhttp::response<bhttp::string_body> reply;
    reply.version(version);
    reply.result(response.status >= 100 && response.status <= 599 ? static_cast<unsigned>(response.status)
                                                                  : 500U);
    reply.set(bhttp::field::content_type, response.content_type);
    reply.set("X-Request-Id", request.request_id);
    std::set<std::string> given;  // the lower-case names the response sets itself
    for (const auto& [name, value] : response.headers) {
      if (!SafeHeaderText(name) || value.find_first_of("\r\n") != std::string::npos) continue;
      std::string lower = Lower(name);
      if (lower == "content-length" || lower == "transfer-encoding" || lower == "connection") continue;
      given.insert(std::move(lower));
      reply.insert(name, value);  // insert, not set: Set-Cookie may repeat
    }
    if (given.count("cache-control") == 0) reply.set(bhttp::field::cache_control, "no-store");
    for (const auto& [name, value] : kSecurityHeaders) {
      if (given.count(Lower(name)) == 0) {
        reply.set(beast::string_view(name.data(), name.size()),
                  beast::string_view(value.data(), value.size()));
      }
    }
    const unsigned result = reply.result_int();
    const bool bodiless = result < 200 || result == 204 || result == 304;  // RFC 9110 §6.4.1
    const size_t bytes = bodiless ? 0 : response.body.size();
    reply.keep_alive(keep_alive);
    if (bodiless) {
      // No body and no Content-Length.
    } else if (request.method == "HEAD") {
      reply.content_length(bytes);  // the length a GET would have; the body itself is not sent
    } else {
      reply.body() = std::move(response.body);
      reply.prepare_payload();
    }

    stream.expires_after(options.read_timeout);
    beast::error_code write_error;
    co_await bhttp::async_write(stream, reply, asio::redirect_error(asio::use_awaitable, write_error));

    const double seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
    metrics.Observe(request.method, route_label, static_cast<int>(reply.result_int()), seconds);
    LogEvent(spdlog::level::info, "http_access",
             {{"request_id", request.request_id},
              {"method", request.method},
              {"route", route_label},
              {"status", reply.result_int()},
              {"duration_ms", seconds * 1000.0},
              {"bytes", bytes},
              {"client", request.client_address}});
    if (write_error || !keep_alive) break;
  }

  DisarmReadDeadline(*connection);
  if (linger) co_await Linger(*connection);
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream.close();
}

Server::Server(Router& router, Metrics& metrics, ServerOptions options)
    : impl_(std::make_unique<Impl>(router, metrics, std::move(options))) {}

Server::~Server() = default;

Status Server::Start() { return impl_->Start(); }
uint16_t Server::port() const { return impl_->bound_port; }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }

void StopOnSignals(Server& server) {
  Server::Impl& impl = *server.impl_;
  impl.signals.emplace(*impl.contexts[0], SIGINT, SIGTERM);
  impl.signals->async_wait([&impl](const beast::error_code& ec, int signal) {
    if (ec) return;
    LogEvent(spdlog::level::info, "http_stopping", {{"signal", signal}});
    impl.Stop();
  });
}

}  // namespace anxin::http
