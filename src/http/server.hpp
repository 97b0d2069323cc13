#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/status.hpp"
#include "http/forwarded.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"

namespace anxin::http {

struct ServerOptions {
  std::string address = "0.0.0.0";
  uint16_t port = 8080;  // 0 picks an ephemeral port (tests); see Server::port()
  int io_threads = 0;    // 0 = std::thread::hardware_concurrency()
  // Handlers that are not inline run here, because they block on the database.
  int worker_threads = 64;
  size_t max_body_bytes = 1024 * 1024;                 // larger bodies get 413 payload_too_large
  size_t max_header_bytes = 16 * 1024;                 // larger headers get 431 header_too_large
  std::chrono::milliseconds read_timeout{30'000};      // to receive one request's headers and body
  std::chrono::milliseconds idle_timeout{60'000};      // a keep-alive connection waiting for a request
  std::chrono::milliseconds shutdown_timeout{10'000};  // Stop(): how long in-flight requests may finish
  // Peers whose X-Forwarded-For / X-Forwarded-Proto set Request::client_address and secure; from
  // anyone else those headers are ignored. Empty: nobody.
  TrustedProxies trusted_proxies;
};

// An HTTP/1.1 server (Boost.Beast, C++20 coroutines) in front of a Router.
//
// Threads: `io_threads` threads each run their own io_context. One acceptor lives on the first
// context and hands accepted sockets round-robin to the contexts; a connection then stays on its
// context, so its I/O never needs a strand. Inline routes (and 404/405 answers) run on the I/O
// thread; every other handler runs on a pool of `worker_threads` threads and the response is
// written back from the connection's I/O thread.
//
// Every response carries X-Request-Id (the client's if it matches [A-Za-z0-9._-]{1,64}, else a
// new id), X-Content-Type-Options: nosniff, X-Frame-Options: DENY, Referrer-Policy: same-origin and
// Cache-Control: no-store unless the response sets them, and produces one "http_access" log line and
// one Metrics::Observe call. A HEAD answer carries the Content-Length of its body but not the body;
// 1xx, 204 and 304 answers carry neither. Bodies, query strings and credentials are never logged.
class Server {
 public:
  // `router` and `metrics` must outlive the server.
  Server(Router& router, Metrics& metrics, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. Returns kInvalidArgument for a bad address and kUnavailable when the
  // address cannot be bound (in use, no permission). Call once, before Run().
  Status Start();
  // Returns the bound port (useful with port 0). Valid after Start() succeeded.
  [[nodiscard]] uint16_t port() const;
  // Serves until Stop(); then waits for in-flight requests (up to shutdown_timeout), closes the
  // remaining connections, joins every thread and returns. Call once, after Start().
  void Run();
  // Stops accepting (new connections are refused), closes idle keep-alive connections and lets
  // in-flight requests finish and be answered with "Connection: close". Returns at once; Run()
  // returns when the drain is over. Thread-safe; may be called before Run() and more than once.
  void Stop();

 private:
  friend void StopOnSignals(Server& server);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Makes SIGTERM and SIGINT call server.Stop(). Call after Start() and before Run().
void StopOnSignals(Server& server);

}  // namespace anxin::http
