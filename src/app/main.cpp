// `anxin`: the platform's one program. Wiring only: configuration -> database -> application.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/application.hpp"
#include "app/config.hpp"
#include "common/log.hpp"
#include "http/openapi.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "storage/database.hpp"

namespace anxin::app {
namespace {

int Fail(const Status& status) {
  std::fprintf(stderr, "anxin: %s\n", status.ToString().c_str());
  for (const auto& field : status.fields()) {
    std::fprintf(stderr, "  %s: %s\n", field.field.c_str(), field.message.In("zh").c_str());
  }
  return 1;
}

Result<std::unique_ptr<storage::Database>> OpenAndMigrate(const Config& config) {
  if (config.database_url.rfind("sqlite:", 0) == 0) {
    std::error_code ec;
    std::filesystem::create_directories(config.data_dir, ec);
  }
  storage::DatabaseOptions options;
  options.url = config.database_url;
  options.read_connections = config.IsPostgres() ? config.db_pool_size : config.db_read_connections;
  ANXIN_ASSIGN_OR_RETURN(auto db, storage::OpenDatabase(options));
  ANXIN_ASSIGN_OR_RETURN(int applied, storage::Migrate(*db));
  if (applied > 0) LogEvent(spdlog::level::info, "migrated", {{"applied", applied}});
  return db;
}

Result<std::unique_ptr<Application>> OpenApplication(const Config& config, const Clock& clock) {
  ANXIN_ASSIGN_OR_RETURN(auto db, OpenAndMigrate(config));
  std::error_code ec;
  const auto key_dir = std::filesystem::path(config.key_file).parent_path();
  if (!key_dir.empty()) std::filesystem::create_directories(key_dir, ec);
  ANXIN_ASSIGN_OR_RETURN(KeyRing keys, KeyRing::LoadOrCreate(config.key_file));
  Application::Options options;
  options.sms_webhook_url = config.sms_webhook_url;
  options.sms_webhook_secret = config.sms_webhook_secret;
  options.sms_inbound_secret = config.sms_inbound_secret;
  options.metrics_token = config.metrics_token;
  options.separate_metrics = !config.metrics_listen.empty();
  options.identity.cookie_secure = config.cookie_secure;
  auto app = std::make_unique<Application>(std::move(db), std::move(keys), clock, std::move(options));
  // Records written before migration 0015 get sealed under the key by the first record after them.
  ANXIN_RETURN_IF_ERROR(app->audit().SealLegacyChain(app->db()));
  return app;
}

void PrintDemoLogins(const std::vector<identity::DemoLogin>& logins) {
  std::printf("\nDemo logins (password for all: %s)\n", identity::kDemoPassword);
  std::printf("  %-16s %-18s %s\n", "login", "role", "organisation");
  for (const auto& login : logins) {
    std::printf("  %-16s %-18s %s\n", login.login.c_str(), login.role.c_str(),
                login.org_code.empty() ? "-" : login.org_code.c_str());
  }
}

// Writes the OpenAPI document of every route to `out_path` (standard output when empty), built on a
// throwaway in-memory database and a fixed key: no data directory, key file or network is touched.
int PrintOpenApi(const std::string& out_path, const Clock& clock) {
  storage::DatabaseOptions options;
  options.url = "sqlite::memory:";
  auto db = storage::OpenDatabase(options);
  if (!db.ok()) return Fail(db.status());
  if (auto applied = storage::Migrate(**db); !applied.ok()) return Fail(applied.status());
  Application app(std::move(*db), KeyRing::FromKey({}), clock, Application::Options{});
  const std::string document = http::BuildOpenApi(app.router(), kVersion)
                                   .dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
                               "\n";
  if (out_path.empty()) {
    std::fwrite(document.data(), 1, document.size(), stdout);
    return 0;
  }
  std::FILE* out = std::fopen(out_path.c_str(), "wb");
  bool written = out != nullptr && std::fwrite(document.data(), 1, document.size(), out) == document.size();
  if (out != nullptr && std::fclose(out) != 0) written = false;
  if (!written) {
    std::fprintf(stderr, "anxin: cannot write %s\n", out_path.c_str());
    return 1;
  }
  return 0;
}

std::string ReadPassword() {
  std::string password;
  if (isatty(STDIN_FILENO) == 0) std::getline(std::cin, password);
  return password;
}

}  // namespace

int Main(int argc, char** argv) {
  InitCrypto();
  CLI::App cli{"Anxin (安心): an insurance service platform", "anxin"};
  cli.require_subcommand(1);
  cli.set_version_flag("--version", std::string("anxin ") + kVersion);
  std::string config_path;
  cli.add_option("--config", config_path, "configuration file (key = value lines)");

  std::string listen;
  auto* serve = cli.add_subcommand("serve", "migrate, then serve the API until SIGTERM/SIGINT");
  serve->add_option("--listen", listen, "address:port (overrides ANXIN_LISTEN)");
  auto* migrate = cli.add_subcommand("migrate", "apply the schema migrations not yet applied");
  auto* seed = cli.add_subcommand("seed-demo", "load products and the demo organisations and staff (once)");
  auto* products_cmd = cli.add_subcommand("products", "product catalogue");
  products_cmd->require_subcommand(1);
  std::string products_dir;
  auto* products_load = products_cmd->add_subcommand("load", "validate and load product definitions");
  products_load->add_option("--dir", products_dir, "directory of *.json definitions (products_dir)");
  auto* user_cmd = cli.add_subcommand("user", "users");
  user_cmd->require_subcommand(1);
  auto* user_add = user_cmd->add_subcommand("add", "create a staff user (password from stdin, or generated)");
  std::string login, name, org_code;
  std::vector<std::string> roles;
  user_add->add_option("--login", login, "login name")->required();
  user_add->add_option("--name", name, "display name")->required();
  user_add->add_option("--org", org_code, "organisation code (e.g. HQ)")->required();
  user_add->add_option("--role", roles, "role code (repeatable)")->required();
  auto* cards_cmd = cli.add_subcommand("cards", "prepaid insurance cards");
  cards_cmd->require_subcommand(1);
  auto* cards_expire =
      cards_cmd->add_subcommand("expire", "expire cards past their validity (also run hourly by serve)");
  auto* outbox_cmd = cli.add_subcommand("outbox", "notification outbox");
  outbox_cmd->require_subcommand(1);
  auto* outbox_send = outbox_cmd->add_subcommand("send", "send the messages that are due, once");
  auto* audit_cmd = cli.add_subcommand("audit", "audit log");
  audit_cmd->require_subcommand(1);
  auto* audit_verify = audit_cmd->add_subcommand("verify", "verify every audit hash chain");
  std::string checkpoints_path;
  audit_verify->add_option("--checkpoints", checkpoints_path,
                           "a log file of `anxin serve`: also check the audit_checkpoint events in it");
  std::string openapi_out;
  auto* openapi_cmd = cli.add_subcommand("openapi", "print the OpenAPI document without serving");
  openapi_cmd->add_option("--out", openapi_out, "write it to FILE instead of standard output");

  CLI11_PARSE(cli, argc, argv);

  auto config_or = LoadConfig(config_path, AnxinEnvironment());
  if (!config_or.ok()) return Fail(config_or.status());
  Config config = std::move(config_or).value();
  if (!listen.empty()) config.listen = listen;
  InitLogging(openapi_cmd->parsed() ? "warn" : config.log_level);
  const SystemClock clock;

  if (openapi_cmd->parsed()) return PrintOpenApi(openapi_out, clock);

  if (migrate->parsed()) {
    auto db = OpenAndMigrate(config);
    if (!db.ok()) return Fail(db.status());
    std::printf("migrations applied; schema is current\n");
    return 0;
  }

  auto app_or = OpenApplication(config, clock);
  if (!app_or.ok()) return Fail(app_or.status());
  Application& app = **app_or;

  if (seed->parsed()) {
    auto logins = app.SeedDemo(config.products_dir);
    if (!logins.ok()) return Fail(logins.status());
    PrintDemoLogins(*logins);
    return 0;
  }
  if (products_load->parsed()) {
    auto counts = app.products().LoadDirectory(products_dir.empty() ? config.products_dir : products_dir,
                                               Actor::System("cli"));
    if (!counts.ok()) return Fail(counts.status());
    std::printf("products: %d added, %d unchanged\n", counts->added, counts->unchanged);
    return 0;
  }
  if (user_add->parsed()) {
    auto org = app.identity().FindOrgByCode(org_code);
    if (!org.ok()) return Fail(org.status());
    if (!org->has_value()) return Fail(Status::NotFound("org"));
    identity::NewStaffUser request;
    request.login = login;
    request.display_name = name;
    request.org_id = (*org)->id;
    request.roles = roles;
    request.password = ReadPassword();
    const bool generated = request.password.empty();
    if (generated) request.password = RandomToken(12) + "-Ax9";
    auto user = app.identity().CreateStaffUser(Actor::System("cli"), request);
    if (!user.ok()) return Fail(user.status());
    std::printf("user %s created (id %s)\n", user->login.c_str(), user->id.c_str());
    if (generated) std::printf("password (shown once): %s\n", request.password.c_str());
    return 0;
  }
  if (cards_expire->parsed()) {
    auto expired = app.card_stock().ExpireDue(clock.NowMs(), Actor::System("cli"));
    if (!expired.ok()) return Fail(expired.status());
    std::printf("cards expired: %lld\n", static_cast<long long>(*expired));
    return 0;
  }
  if (outbox_send->parsed()) {
    auto claimed = app.dispatcher().DispatchOnce();
    if (!claimed.ok()) return Fail(claimed.status());
    std::printf("outbox: %d messages handled\n", *claimed);
    return 0;
  }
  if (audit_verify->parsed()) {
    std::vector<audit::ChainHead> checkpoints;
    if (!checkpoints_path.empty()) {
      std::ifstream log(checkpoints_path);
      if (!log) {
        return Fail(Status::InvalidField(
            "checkpoints", "not_found",
            {"无法读取日志文件 " + checkpoints_path, "cannot read " + checkpoints_path}));
      }
      auto read = audit::ReadCheckpoints(log);
      if (!read.ok()) return Fail(read.status());
      checkpoints = std::move(read).value();
    }
    auto report = app.audit().Verify(app.db(), checkpoints);
    if (!report.ok()) return Fail(report.status());
    if (report->ok) {
      std::printf("audit chains intact: %lld records in %zu chains", static_cast<long long>(report->records),
                  report->heads.size());
      if (!checkpoints.empty())
        std::printf(", %zu checkpointed chains reach their checkpoints", checkpoints.size());
      std::printf("\n");
      for (const audit::ChainHead& head : report->heads) {
        std::printf("  chain %lld: %lld records, head %s\n", static_cast<long long>(head.chain_id),
                    static_cast<long long>(head.last_seq), head.last_hash.c_str());
      }
      return 0;
    }
    std::printf("audit chain BROKEN: %s\n", report->problem.c_str());
    return 3;
  }

  // serve
  http::ServerOptions options;
  options.address = config.ListenHost();
  options.port = static_cast<uint16_t>(config.ListenPort());
  options.io_threads = config.io_threads;
  options.worker_threads = config.worker_threads;
  options.trusted_proxies = *http::TrustedProxies::Parse(config.trusted_proxies);  // checked by LoadConfig
  // The web app, read into memory once (an absent web_root: API only).
  std::unique_ptr<http::StaticFiles> web;
  if (auto loaded = http::StaticFiles::Load(config.web_root); loaded.ok()) {
    web = std::move(loaded).value();
    app.router().SetStaticFiles(web.get());
    LogEvent(spdlog::level::info, "web_app_loaded",
             {{"web_root", config.web_root}, {"files", web->file_count()}, {"bytes", web->total_bytes()}});
  } else if (loaded.status().code() == StatusCode::kNotFound) {
    LogEvent(spdlog::level::info, "web_app_absent", {{"web_root", config.web_root}});
  } else {
    return Fail(loaded.status());
  }
  http::Server server(app.router(), app.metrics(), options);
  if (Status started = server.Start(); !started.ok()) return Fail(started);
  // The metrics listener: its own small server, so that scrapes never queue behind the API.
  std::unique_ptr<http::Server> ops_server;
  std::thread ops_thread;
  if (!config.metrics_listen.empty()) {
    http::ServerOptions ops_options;
    ops_options.address = config.MetricsListenHost();
    ops_options.port = static_cast<uint16_t>(config.MetricsListenPort());
    ops_options.io_threads = 1;
    ops_options.worker_threads = 2;  // /readyz pings the database
    ops_server = std::make_unique<http::Server>(app.ops_router(), app.metrics(), ops_options);
    if (Status started = ops_server->Start(); !started.ok()) return Fail(started);
    ops_thread = std::thread([&ops_server] { ops_server->Run(); });
    LogEvent(spdlog::level::info, "serving_metrics",
             {{"address", ops_options.address}, {"port", ops_server->port()}});
  }
  http::StopOnSignals(server);
  app.StartBackgroundJobs();
  LogEvent(spdlog::level::info, "serving",
           {{"address", options.address}, {"port", server.port()}, {"version", kVersion}});
  server.Run();
  if (ops_server) {
    ops_server->Stop();
    ops_thread.join();
  }
  app.StopBackgroundJobs();
  LogEvent(spdlog::level::info, "stopped", {});
  return 0;
}

}  // namespace anxin::app

int main(int argc, char** argv) { return anxin::app::Main(argc, argv); }
