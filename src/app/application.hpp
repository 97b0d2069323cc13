#pragma once

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_log.hpp"
#include "cards/card_activation_service.hpp"
#include "cards/card_activation_store.hpp"
#include "cards/card_admin_service.hpp"
#include "cards/card_admin_store.hpp"
#include "cards/card_sales_service.hpp"
#include "cards/card_sales_store.hpp"
#include "cards/card_stock_service.hpp"
#include "cards/card_stock_store.hpp"
#include "cards/card_store.hpp"
#include "common/clock.hpp"
#include "common/crypto.hpp"
#include "common/status.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "idempotency/idempotency.hpp"
#include "identity/demo_seed.hpp"
#include "identity/identity_routes.hpp"
#include "identity/identity_service.hpp"
#include "identity/session_service.hpp"
#include "ledger/ledger_service.hpp"
#include "ledger/ledger_store.hpp"
#include "notify/outbox_dispatcher.hpp"
#include "notify/outbox_service.hpp"
#include "notify/outbox_store.hpp"
#include "notify/sms_sender.hpp"
#include "notify/sms_simulator.hpp"
#include "policies/policy_service.hpp"
#include "products/product_service.hpp"
#include "products/product_store.hpp"
#include "storage/database.hpp"

namespace anxin::app {

inline constexpr const char* kVersion = "0.2.0";

// The whole platform wired together: database -> stores -> services -> routes. Built once by
// `anxin serve` (and the other commands), and by the end-to-end tests around a test database.
// The services are thread-safe; the router is read-only after construction.
class Application {
 public:
  struct Options {
    identity::IdentitySettings identity;
    const identity::PasswordHasher* hasher = nullptr;  // null: Argon2id
    // SMS: the gateway's webhook (empty: a recording sender that keeps messages in memory and
    // logs them masked — for demos and tests) and the inbound webhook's secret (empty: SMS
    // activation is off).
    std::string sms_webhook_url;
    std::string sms_webhook_secret;
    std::string sms_inbound_secret;
    // /metrics: guarded by this token when set (setting metrics_token), and served by
    // ops_router() instead of router() when `separate_metrics` (setting metrics_listen).
    std::string metrics_token;
    bool separate_metrics = false;
  };

  // Wires the platform around an open, migrated database. `clock` must outlive the application.
  Application(std::unique_ptr<storage::Database> db, KeyRing keys, const Clock& clock, Options options);
  ~Application();
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  // Loads the product definitions of `products_dir` and the demo organisation tree and staff when
  // the database has none. Returns the demo accounts (the same list on every call).
  Result<std::vector<identity::DemoLogin>> SeedDemo(const std::filesystem::path& products_dir);

  // Starts the background jobs of a serving node: the outbox dispatcher (sends SMS), the hourly
  // card expiry (which also purges spent login-throttle counters) and the audit checkpoint (every
  // chain head to the log every 5 minutes, and once more on stopping). StopBackgroundJobs (also
  // run by the destructor) stops them.
  void StartBackgroundJobs();
  void StopBackgroundJobs();

  [[nodiscard]] storage::Database& db() { return *db_; }
  [[nodiscard]] const KeyRing& keys() const { return keys_; }
  [[nodiscard]] const audit::AuditLog& audit() const { return audit_; }
  [[nodiscard]] identity::IdentityService& identity() { return identity_; }
  [[nodiscard]] identity::SessionService& sessions() { return sessions_; }
  [[nodiscard]] products::ProductService& products() { return products_; }
  [[nodiscard]] policies::PolicyService& policies() { return policies_; }
  [[nodiscard]] const ledger::Ledger& ledger() const { return ledger_; }
  [[nodiscard]] cards::CardAdminService& card_admin() { return card_admin_; }
  [[nodiscard]] cards::CardStockService& card_stock() { return card_stock_; }
  [[nodiscard]] cards::CardSalesService& card_sales() { return card_sales_; }
  [[nodiscard]] cards::CardActivationService& card_activation() { return card_activation_; }
  [[nodiscard]] notify::OutboxDispatcher& dispatcher() { return *dispatcher_; }
  // The SMS sender when no gateway is configured (null otherwise): tests read what was "sent".
  [[nodiscard]] notify::RecordingSmsSender* recorded_sms() { return recording_sms_; }
  [[nodiscard]] http::Router& router() { return router_; }
  // The routes of the metrics listener (/metrics, /healthz, /readyz); empty unless
  // Options::separate_metrics.
  [[nodiscard]] http::Router& ops_router() { return ops_router_; }
  [[nodiscard]] http::Metrics& metrics() { return metrics_; }

 private:
  void RunExpiryJob();
  void RunAuditCheckpointJob();

  // Constant after construction.
  std::unique_ptr<storage::Database> db_;
  const KeyRing keys_;
  const Clock& clock_;
  audit::AuditLog audit_;
  identity::IdentityService identity_;
  identity::SessionService sessions_;
  identity::SessionAuthenticator authenticator_;
  products::SqlProductStore product_store_;
  products::ProductService products_;
  policies::PolicyService policies_;
  ledger::SqlLedger ledger_;
  ledger::LedgerService ledger_service_;
  notify::SqlOutbox outbox_;
  notify::OutboxService outbox_service_;
  std::unique_ptr<notify::SmsSender> sms_sender_;
  notify::RecordingSmsSender* recording_sms_ = nullptr;
  std::unique_ptr<notify::OutboxDispatcher> dispatcher_;
  notify::SmsSimulator sms_simulator_;
  cards::SqlCardStore card_store_;
  cards::SqlCardAdminStore card_admin_store_;
  cards::SqlCardStockStore card_stock_store_;
  cards::SqlCardSalesStore card_sales_store_;
  cards::SqlCardActivationStore card_activation_store_;
  cards::CardAdminService card_admin_;
  cards::CardStockService card_stock_;
  cards::CardSalesService card_sales_;
  cards::CardActivationService card_activation_;
  idempotency::IdempotencyStore idempotency_;
  http::Metrics metrics_;
  http::Router router_;
  http::Router ops_router_;

  // The expiry job's thread; guarded by jobs_mu_.
  std::mutex jobs_mu_;
  std::condition_variable jobs_cv_;
  bool jobs_running_ = false;
  std::thread expiry_thread_;
  std::thread checkpoint_thread_;  // the audit checkpoint job's
};

}  // namespace anxin::app
