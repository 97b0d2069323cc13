#pragma once

// The whole platform in-process for end-to-end tests: a fresh test database (SQLite or
// PostgreSQL, by the test binary), the Application with the demo data, and a real HTTP server on
// an ephemeral port.

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "app/application.hpp"
#include "http/server.hpp"
#include "http_client.hpp"
#include "identity/identity_test_support.hpp"
#include "storage/testing.hpp"

namespace anxin::app {

// The platform's clock in end-to-end tests: real time shifted by an offset that a test (or a
// scenario's "clock" step) sets or moves, so that deadlines measured in days can be crossed while
// time keeps flowing. Thread-safe.
class ShiftedClock final : public Clock {
 public:
  [[nodiscard]] int64_t NowMs() const override { return real_.NowMs() + offset_ms_.load(); }
  // Makes NowMs() return `now_ms` at this instant (time flows on from there).
  void Set(int64_t now_ms) { offset_ms_.store(now_ms - real_.NowMs()); }
  // Moves the clock forward (or back, with a negative `delta_ms`).
  void Advance(int64_t delta_ms) { offset_ms_.fetch_add(delta_ms); }

 private:
  SystemClock real_;
  std::atomic<int64_t> offset_ms_{0};
};

class TestPlatform {
 public:
  // Builds the platform; `real_argon2` uses the production password hasher (slow) instead of the
  // tests' fast one.
  explicit TestPlatform(bool real_argon2 = false) : TestPlatform(OpenDb(), real_argon2) {}

  // Builds the platform with the SMS gateway's inbound webhook on, verified with `sms_inbound_secret`.
  explicit TestPlatform(const std::string& sms_inbound_secret)
      : TestPlatform(OpenDb(), false, sms_inbound_secret) {}

  // Builds the platform around `db` (open and migrated).
  TestPlatform(std::unique_ptr<storage::Database> db, bool real_argon2,
               const std::string& sms_inbound_secret = "") {
    std::array<uint8_t, 32> key{};
    for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i * 7 + 1);
    Application::Options options;
    options.hasher = real_argon2 ? nullptr : &hasher_;
    options.sms_inbound_secret = sms_inbound_secret;
    app_ = std::make_unique<Application>(std::move(db), KeyRing::FromKey(key), clock_, options);
    const std::string source =
        std::getenv("ANXIN_SOURCE_DIR") ? std::getenv("ANXIN_SOURCE_DIR") : ANXIN_SOURCE_DIR_DEFAULT;
    auto seeded = app_->SeedDemo(source + "/products");
    if (!seeded.ok()) throw std::runtime_error("seed: " + seeded.status().ToString());
    http::ServerOptions server_options;
    server_options.address = "127.0.0.1";
    server_options.port = 0;
    server_options.io_threads = 1;
    server_options.worker_threads = 16;
    server_ = std::make_unique<http::Server>(app_->router(), app_->metrics(), server_options);
    if (Status s = server_->Start(); !s.ok()) throw std::runtime_error("server: " + s.ToString());
    thread_ = std::thread([this] { server_->Run(); });
  }

  ~TestPlatform() {
    server_->Stop();
    thread_.join();
  }

  TestPlatform(const TestPlatform&) = delete;
  TestPlatform& operator=(const TestPlatform&) = delete;

  [[nodiscard]] int port() const { return server_->port(); }
  [[nodiscard]] Application& app() { return *app_; }
  // The clock every part of the platform reads.
  [[nodiscard]] ShiftedClock& clock() { return clock_; }

  // Logs in as `login` (demo password) and returns the bearer token ("" on failure).
  std::string Login(const std::string& login) {
    testing::HttpClient client(port());
    auto reply = client.SendJson("POST", "/api/v1/sessions",
                                 {{"login", login}, {"password", identity::kDemoPassword}});
    if (reply.status != 201) return "";
    return reply.Json().value("token", "");
  }

 private:
  static std::unique_ptr<storage::Database> OpenDb() {
    InitCrypto();
    auto db = storage::testing::OpenTestDatabase();
    if (!db.ok()) throw std::runtime_error("test database: " + db.status().ToString());
    return std::move(db).value();
  }

  ShiftedClock clock_;
  identity::FastHasher hasher_;
  std::unique_ptr<Application> app_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

}  // namespace anxin::app
