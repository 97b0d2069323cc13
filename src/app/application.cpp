#include "app/application.hpp"

#include "audit/audit_routes.hpp"
#include "http/system_routes.hpp"
#include "identity/identity_routes.hpp"
#include "products/product_routes.hpp"

namespace anxin::app {

Application::Application(std::unique_ptr<storage::Database> db, KeyRing keys, const Clock& clock,
                         Options options)
    : db_(std::move(db)),
      keys_(std::move(keys)),
      clock_(clock),
      audit_(clock_),
      identity_(*db_, keys_, clock_, audit_, options.identity, std::move(options.sleeper), options.hasher),
      products_(*db_, product_store_, audit_, clock_),
      idempotency_(*db_, clock_) {
  metrics_.SetDatabaseStats([db = db_.get()] { return db->Stats(); });
  router_.SetAuthenticator(&identity_);
  router_.SetIdempotencyGuard(&idempotency_);
  http::RegisterSystemRoutes(
      router_, metrics_, [db = db_.get()] { return db->Ping(); }, kVersion);
  identity::RegisterIdentityRoutes(router_, identity_);
  audit::RegisterAuditRoutes(router_, *db_, audit_);
  products::RegisterProductRoutes(router_, products_);
}

Application::~Application() = default;

Result<std::vector<identity::DemoLogin>> Application::SeedDemo(const std::filesystem::path& products_dir) {
  const Actor seed = Actor::System("seed");
  ANXIN_ASSIGN_OR_RETURN(auto loaded, products_.LoadDirectory(products_dir, seed));
  (void)loaded;
  ANXIN_ASSIGN_OR_RETURN(auto created, identity::SeedDemoIdentity(identity_, seed));
  (void)created;
  return identity::DemoAccounts();
}

}  // namespace anxin::app
