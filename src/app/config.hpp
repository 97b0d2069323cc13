#pragma once

#include <map>
#include <string>

#include "common/status.hpp"

namespace anxin::app {

// Everything `anxin` reads from its environment. Only app/ reads configuration; services get
// what they need through their constructors.
struct Config {
  std::string data_dir = "./data";
  std::string database_url;  // default: sqlite://<data_dir>/anxin.db
  std::string listen = "127.0.0.1:8080";
  std::string key_file;  // default: <data_dir>/anxin.key
  std::string log_level = "info";
  std::string products_dir = "./products";
  int io_threads = 0;  // 0: one per core
  // Threads that run request handlers; unset (0), LoadConfig derives it: 64 on SQLite, whose
  // writer thread groups the concurrent requests' transactions into one commit; on PostgreSQL the
  // pool's size, since a handler beyond it only waits for a connection and each extra thread
  // makes every request dearer (docs/architecture.md).
  int worker_threads = 0;
  int db_read_connections = 4;  // SQLite read connections
  // PostgreSQL connections of this node, about three per core of the database server for all
  // nodes together. Requests beyond it wait for a connection: more active connections than the
  // server's cores can run make every transaction dearer (on 2 cores shared with the node, card
  // activations ran at 944/s on average with 6 and 775/s with 12; docs/architecture.md).
  // Every node's together must stay under the server's max_connections.
  int db_pool_size = 6;
  std::string sms_webhook_url;  // the SMS gateway's webhook; empty: messages are recorded and logged masked
  std::string sms_webhook_secret;  // signs outbound webhook calls (X-Anxin-Signature)
  std::string sms_inbound_secret;  // verifies the gateway's inbound SMS calls; empty: SMS activation off
  // Reverse proxies (IPs and CIDRs, comma-separated) whose X-Forwarded-For/-Proto are believed.
  std::string trusted_proxies;
  // A separate address:port serving only /metrics, /healthz and /readyz; empty: /metrics is on
  // `listen` with the API.
  std::string metrics_listen;
  std::string metrics_token;            // when set, /metrics needs Authorization: Bearer <metrics_token>
  std::string web_root = "./web/dist";  // the built web app; absent directory: API only
  bool cookie_secure = false;           // browser-session cookies carry Secure (served over HTTPS)

  // Whether `database_url` names a PostgreSQL server (postgres:// or postgresql://).
  [[nodiscard]] bool IsPostgres() const { return database_url.rfind("postgres", 0) == 0; }
  // The address and port parsed from `listen`.
  [[nodiscard]] std::string ListenHost() const;
  [[nodiscard]] int ListenPort() const;
  // The address and port parsed from `metrics_listen` (valid only when it is set).
  [[nodiscard]] std::string MetricsListenHost() const;
  [[nodiscard]] int MetricsListenPort() const;
};

// The configuration keys, their environment variables and meaning (for --help and the README).
struct ConfigKey {
  const char* key;
  const char* env;
  const char* description;
};
const std::map<std::string, ConfigKey>& ConfigKeys();

// Builds the configuration: defaults, then the file at `path` (lines `key = value`, `#` comments;
// skipped when `path` is empty), then environment variables (ANXIN_*), which win. Fills the
// derived defaults (database_url, key_file) and validates. Errors are kInvalidArgument naming the
// key.
Result<Config> LoadConfig(const std::string& path, const std::map<std::string, std::string>& environment);

// Returns the process environment as a map (the ANXIN_* variables only).
std::map<std::string, std::string> AnxinEnvironment();

}  // namespace anxin::app
