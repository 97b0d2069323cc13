#include "app/application.hpp"

#include "audit/audit_routes.hpp"
#include "cards/card_activation_routes.hpp"
#include "cards/card_admin_routes.hpp"
#include "cards/card_sales_routes.hpp"
#include "cards/card_stock_routes.hpp"
#include "common/log.hpp"
#include "http/system_routes.hpp"
#include "ledger/ledger_routes.hpp"
#include "notify/notify_routes.hpp"
#include "policies/policy_routes.hpp"
#include "products/product_routes.hpp"

namespace anxin::app {
namespace {

constexpr auto kExpiryInterval = std::chrono::hours(1);
// How often every audit chain head is written to the log stream (also at start and at stop).
constexpr auto kAuditCheckpointInterval = std::chrono::minutes(5);

std::unique_ptr<notify::SmsSender> MakeSmsSender(const Application::Options& options,
                                                 notify::RecordingSmsSender** recording) {
  if (!options.sms_webhook_url.empty()) {
    return std::make_unique<notify::WebhookSmsSender>(options.sms_webhook_url, options.sms_webhook_secret,
                                                      std::chrono::milliseconds(10'000));
  }
  auto sender = std::make_unique<notify::RecordingSmsSender>();
  *recording = sender.get();
  return sender;
}

cards::CardActivationSettings ActivationSettings(const Application::Options& options) {
  cards::CardActivationSettings settings;
  settings.sms_inbound_secret = options.sms_inbound_secret;
  return settings;
}

}  // namespace

Application::Application(std::unique_ptr<storage::Database> db, KeyRing keys, const Clock& clock,
                         Options options)
    : db_(std::move(db)),
      keys_(std::move(keys)),
      clock_(clock),
      audit_(clock_, keys_),
      identity_(*db_, keys_, clock_, audit_, options.hasher),
      sessions_(*db_, keys_, clock_, audit_, identity_, options.identity, options.hasher),
      authenticator_(sessions_),
      products_(*db_, product_store_, audit_, clock_),
      policies_(*db_, keys_, clock_, audit_),
      ledger_(clock_),
      ledger_service_(*db_, ledger_),
      outbox_(keys_, clock_),
      outbox_service_(*db_),
      sms_sender_(MakeSmsSender(options, &recording_sms_)),
      dispatcher_(std::make_unique<notify::OutboxDispatcher>(*db_, keys_, clock_, *sms_sender_)),
      sms_simulator_(*db_, keys_, options.sms_webhook_url.empty()),
      card_admin_(*db_, card_store_, card_admin_store_, identity_, products_, keys_, clock_, audit_),
      card_stock_(*db_, card_store_, card_stock_store_, identity_, products_, keys_, clock_, audit_),
      card_sales_(*db_, card_store_, card_sales_store_, identity_, ledger_, keys_, clock_, audit_),
      card_activation_(*db_, card_store_, card_activation_store_, products_, policies_, ledger_, outbox_,
                       keys_, clock_, audit_, ActivationSettings(options)),
      idempotency_(*db_, clock_) {
  metrics_.SetDatabaseStats([db = db_.get()] { return db->Stats(); });
  router_.SetIdempotencyGuard(&idempotency_);
  http::SystemRouteOptions system_routes;
  system_routes.serve_metrics = !options.separate_metrics;
  system_routes.metrics_token = options.metrics_token;
  http::RegisterSystemRoutes(
      router_, metrics_, [db = db_.get()] { return db->Ping(); }, kVersion, system_routes);
  if (options.separate_metrics) {
    http::SystemRouteOptions ops_routes;
    ops_routes.serve_openapi = false;
    ops_routes.metrics_token = options.metrics_token;
    http::RegisterSystemRoutes(
        ops_router_, metrics_, [db = db_.get()] { return db->Ping(); }, kVersion, ops_routes);
  }
  identity::RegisterIdentityRoutes(router_, identity_, sessions_, authenticator_);
  audit::RegisterAuditRoutes(router_, *db_, audit_);
  products::RegisterProductRoutes(router_, products_);
  policies::RegisterPolicyRoutes(router_, policies_);
  ledger::RegisterLedgerRoutes(router_, ledger_service_);
  notify::RegisterNotifyRoutes(router_, outbox_service_);
  cards::RegisterCardAdminRoutes(router_, card_admin_);
  cards::RegisterCardStockRoutes(router_, card_stock_);
  cards::RegisterCardSalesRoutes(router_, card_sales_);
  cards::RegisterCardActivationRoutes(router_, card_activation_);
  notify::RegisterSmsSimulatorRoutes(router_, sms_simulator_);
  cards::RegisterSmsSimulatorInboundRoute(router_, card_activation_, sms_simulator_);
}

Application::~Application() { StopBackgroundJobs(); }

Result<std::vector<identity::DemoLogin>> Application::SeedDemo(const std::filesystem::path& products_dir) {
  const Actor seed = Actor::System("seed");
  ANXIN_ASSIGN_OR_RETURN(auto loaded, products_.LoadDirectory(products_dir, seed));
  (void)loaded;
  ANXIN_ASSIGN_OR_RETURN(auto created, identity::SeedDemoIdentity(identity_, seed));
  (void)created;
  return identity::DemoAccounts();
}

void Application::StartBackgroundJobs() {
  std::lock_guard<std::mutex> lock(jobs_mu_);
  if (jobs_running_) return;
  jobs_running_ = true;
  dispatcher_->Start();
  expiry_thread_ = std::thread([this] { RunExpiryJob(); });
  checkpoint_thread_ = std::thread([this] { RunAuditCheckpointJob(); });
}

void Application::StopBackgroundJobs() {
  {
    std::lock_guard<std::mutex> lock(jobs_mu_);
    if (!jobs_running_) return;
    jobs_running_ = false;
  }
  jobs_cv_.notify_all();
  if (expiry_thread_.joinable()) expiry_thread_.join();
  if (checkpoint_thread_.joinable()) checkpoint_thread_.join();
  dispatcher_->Stop();
}

void Application::RunExpiryJob() {
  std::unique_lock<std::mutex> lock(jobs_mu_);
  while (jobs_running_) {
    lock.unlock();
    auto expired = card_stock_.ExpireDue(clock_.NowMs());
    if (!expired.ok()) {
      LogEvent(spdlog::level::err, "card_expiry_failed", {{"error", expired.status().ToString()}});
    } else if (*expired > 0) {
      LogEvent(spdlog::level::info, "cards_expired", {{"count", *expired}});
    }
    if (auto purged = card_activation_.PurgeAttempts(); !purged.ok()) {
      LogEvent(spdlog::level::err, "card_attempts_purge_failed", {{"error", purged.status().ToString()}});
    }
    if (auto purged = sessions_.PurgeThrottle(); !purged.ok()) {
      LogEvent(spdlog::level::err, "login_throttle_purge_failed", {{"error", purged.status().ToString()}});
    }
    lock.lock();
    jobs_cv_.wait_for(lock, kExpiryInterval, [this] { return !jobs_running_; });
  }
}

void Application::RunAuditCheckpointJob() {
  std::unique_lock<std::mutex> lock(jobs_mu_);
  bool running = true;
  while (running) {
    running = jobs_running_;
    lock.unlock();
    // Outside the database, the log stream witnesses how far every chain reached, so that cutting
    // a chain's tail or deleting a chain can be found later (anxin audit verify --checkpoints).
    auto heads = audit_.Checkpoint(*db_);
    if (heads.ok()) {
      audit::AuditLog::LogCheckpoint(*heads);
    } else {
      LogEvent(spdlog::level::err, "audit_checkpoint_failed", {{"error", heads.status().ToString()}});
    }
    lock.lock();
    if (running) jobs_cv_.wait_for(lock, kAuditCheckpointInterval, [this] { return !jobs_running_; });
  }
}

}  // namespace anxin::app
