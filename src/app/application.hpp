#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "common/status.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "idempotency/idempotency.hpp"
#include "identity/demo_seed.hpp"
#include "identity/identity_service.hpp"
#include "products/product_service.hpp"
#include "products/product_store.hpp"
#include "storage/database.hpp"

namespace anxin::app {

inline constexpr const char* kVersion = "0.1.0";

// The whole platform wired together: database -> stores -> services -> routes. Built once by
// `anxin serve` (and the other commands), and by the end-to-end tests around a test database.
// The services are thread-safe; the router is read-only after construction.
class Application {
 public:
  struct Options {
    identity::IdentitySettings identity;
    identity::Sleeper sleeper = identity::ThreadSleeper();
    const identity::PasswordHasher* hasher = nullptr;  // null: Argon2id
  };

  // Wires the platform around an open, migrated database. `clock` must outlive the application.
  Application(std::unique_ptr<storage::Database> db, KeyRing keys, const Clock& clock, Options options);
  ~Application();
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  // Loads the product definitions of `products_dir` and the demo organisation tree and staff when
  // the database has none. Returns the demo accounts (the same list on every call).
  Result<std::vector<identity::DemoLogin>> SeedDemo(const std::filesystem::path& products_dir);

  [[nodiscard]] storage::Database& db() { return *db_; }
  [[nodiscard]] const KeyRing& keys() const { return keys_; }
  [[nodiscard]] const audit::AuditLog& audit() const { return audit_; }
  [[nodiscard]] identity::IdentityService& identity() { return identity_; }
  [[nodiscard]] products::ProductService& products() { return products_; }
  [[nodiscard]] http::Router& router() { return router_; }
  [[nodiscard]] http::Metrics& metrics() { return metrics_; }

 private:
  std::unique_ptr<storage::Database> db_;
  const KeyRing keys_;
  const Clock& clock_;
  audit::AuditLog audit_;
  identity::IdentityService identity_;
  products::SqlProductStore product_store_;
  products::ProductService products_;
  idempotency::IdempotencyStore idempotency_;
  http::Metrics metrics_;
  http::Router router_;
};

}  // namespace anxin::app
