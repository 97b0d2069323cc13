#include "app/config.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

#include "http/forwarded.hpp"

extern char** environ;  // NOLINT(readability-redundant-declaration)

namespace anxin::app {
namespace {

constexpr size_t kMinMetricsTokenLength = 16;

std::string HostOf(const std::string& address) {
  const auto colon = address.rfind(':');
  return colon == std::string::npos ? address : address.substr(0, colon);
}

int PortOf(const std::string& address, int fallback) {
  const auto colon = address.rfind(':');
  if (colon == std::string::npos) return fallback;
  int port = 0;
  std::from_chars(address.data() + colon + 1, address.data() + address.size(), port);
  return port;
}

Status ConfigError(const std::string& key, const std::string& what) {
  return Status::InvalidField(key, "invalid_config",
                              {"配置项 " + key + " 无效：" + what, "invalid setting " + key + ": " + what});
}

std::string Trim(std::string_view s) {
  const auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  const auto end = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(begin, end - begin + 1));
}

Result<int> ParseInt(const std::string& key, const std::string& value, int min, int max) {
  int out = 0;
  const auto* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, out);
  if (ec != std::errc() || ptr != end || out < min || out > max) {
    return ConfigError(key, "expected an integer from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return out;
}

Status Apply(Config& config, const std::string& key, const std::string& value) {
  if (key == "data_dir") {
    config.data_dir = value;
  } else if (key == "database_url") {
    config.database_url = value;
  } else if (key == "listen") {
    config.listen = value;
  } else if (key == "key_file") {
    config.key_file = value;
  } else if (key == "log_level") {
    config.log_level = value;
  } else if (key == "products_dir") {
    config.products_dir = value;
  } else if (key == "io_threads") {
    ANXIN_ASSIGN_OR_RETURN(config.io_threads, ParseInt(key, value, 0, 256));
  } else if (key == "worker_threads") {
    ANXIN_ASSIGN_OR_RETURN(config.worker_threads, ParseInt(key, value, 1, 4096));
  } else if (key == "db_read_connections") {
    ANXIN_ASSIGN_OR_RETURN(config.db_read_connections, ParseInt(key, value, 1, 256));
  } else if (key == "db_pool_size") {
    ANXIN_ASSIGN_OR_RETURN(config.db_pool_size, ParseInt(key, value, 1, 1024));
  } else if (key == "sms_webhook_url") {
    config.sms_webhook_url = value;
  } else if (key == "sms_webhook_secret") {
    config.sms_webhook_secret = value;
  } else if (key == "sms_inbound_secret") {
    config.sms_inbound_secret = value;
  } else if (key == "web_root") {
    config.web_root = value;
  } else if (key == "metrics_listen") {
    config.metrics_listen = value;
  } else if (key == "metrics_token") {
    if (value.size() < kMinMetricsTokenLength) {
      return ConfigError(key, "expected at least " + std::to_string(kMinMetricsTokenLength) + " characters");
    }
    config.metrics_token = value;
  } else if (key == "trusted_proxies") {
    ANXIN_RETURN_IF_ERROR(http::TrustedProxies::Parse(value).status());
    config.trusted_proxies = value;
  } else if (key == "cookie_secure") {
    if (value != "true" && value != "false") return ConfigError(key, "expected true or false");
    config.cookie_secure = value == "true";
  } else {
    return ConfigError(key, "unknown key");
  }
  return Status::Ok();
}

}  // namespace

const std::map<std::string, ConfigKey>& ConfigKeys() {
  static const std::map<std::string, ConfigKey> kKeys = {
      {"data_dir",
       {"data_dir", "ANXIN_DATA_DIR", "directory for the SQLite database and the key file (./data)"}},
      {"database_url",
       {"database_url", "ANXIN_DATABASE_URL",
        "sqlite:///abs/path.db, sqlite:rel/path.db or postgresql://user@host:port/db "
        "(sqlite:<data_dir>/anxin.db)"}},
      {"listen", {"listen", "ANXIN_LISTEN", "address:port the server listens on (127.0.0.1:8080)"}},
      {"key_file",
       {"key_file", "ANXIN_KEY_FILE",
        "master key for personal data at rest; created if absent (<data_dir>/anxin.key)"}},
      {"log_level", {"log_level", "ANXIN_LOG_LEVEL", "trace, debug, info, warn or error (info)"}},
      {"products_dir",
       {"products_dir", "ANXIN_PRODUCTS_DIR", "product definitions loaded at seed time (./products)"}},
      {"io_threads", {"io_threads", "ANXIN_IO_THREADS", "network threads, 0 = one per core (0)"}},
      {"worker_threads",
       {"worker_threads", "ANXIN_WORKER_THREADS",
        "threads that run request handlers (64 on SQLite; on PostgreSQL db_pool_size)"}},
      {"db_read_connections",
       {"db_read_connections", "ANXIN_DB_READ_CONNECTIONS", "SQLite read connections (4)"}},
      {"db_pool_size",
       {"db_pool_size", "ANXIN_DB_POOL_SIZE",
        "PostgreSQL connections of this node, about three per core of the server for all nodes together, "
        "under its max_connections (6)"}},
      {"sms_webhook_url",
       {"sms_webhook_url", "ANXIN_SMS_WEBHOOK_URL",
        "SMS gateway webhook for outbound messages (empty: recorded in memory and logged masked)"}},
      {"sms_webhook_secret",
       {"sms_webhook_secret", "ANXIN_SMS_WEBHOOK_SECRET", "HMAC secret signing outbound webhook calls"}},
      {"sms_inbound_secret",
       {"sms_inbound_secret", "ANXIN_SMS_INBOUND_SECRET",
        "HMAC secret of the gateway's inbound SMS calls (empty: SMS activation off)"}},
      {"web_root",
       {"web_root", "ANXIN_WEB_ROOT",
        "the built web app served at / and /console/; an absent directory serves the API only (./web/dist)"}},
      {"metrics_listen",
       {"metrics_listen", "ANXIN_METRICS_LISTEN",
        "separate address:port for /metrics, /healthz and /readyz; /metrics then leaves `listen` (none)"}},
      {"metrics_token",
       {"metrics_token", "ANXIN_METRICS_TOKEN",
        "when set (16+ characters), /metrics needs Authorization: Bearer <token> (none)"}},
      {"trusted_proxies",
       {"trusted_proxies", "ANXIN_TRUSTED_PROXIES",
        "reverse proxies whose X-Forwarded-For/-Proto are believed: IPs and CIDRs, comma-separated (none)"}},
      {"cookie_secure",
       {"cookie_secure", "ANXIN_COOKIE_SECURE",
        "true when browsers reach the platform over HTTPS: session cookies get Secure (false)"}},
  };
  return kKeys;
}

std::string Config::ListenHost() const { return HostOf(listen); }
int Config::ListenPort() const { return PortOf(listen, 8080); }
std::string Config::MetricsListenHost() const { return HostOf(metrics_listen); }
int Config::MetricsListenPort() const { return PortOf(metrics_listen, -1); }

Result<Config> LoadConfig(const std::string& path, const std::map<std::string, std::string>& environment) {
  Config config;
  if (!path.empty()) {
    std::ifstream in(path);
    if (!in) return ConfigError("config", "cannot read " + path);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      line = Trim(line.substr(0, line.find('#')));
      if (line.empty()) continue;
      const auto eq = line.find('=');
      if (eq == std::string::npos)
        return ConfigError("config", path + ":" + std::to_string(number) + ": expected key = value");
      ANXIN_RETURN_IF_ERROR(Apply(config, Trim(line.substr(0, eq)), Trim(line.substr(eq + 1))));
    }
  }
  for (const auto& [key, spec] : ConfigKeys()) {
    const auto it = environment.find(spec.env);
    if (it != environment.end() && !it->second.empty()) ANXIN_RETURN_IF_ERROR(Apply(config, key, it->second));
  }
  if (config.database_url.empty()) config.database_url = "sqlite:" + config.data_dir + "/anxin.db";
  if (config.key_file.empty()) config.key_file = config.data_dir + "/anxin.key";
  if (config.worker_threads == 0) config.worker_threads = config.IsPostgres() ? config.db_pool_size : 64;
  const int port = config.ListenPort();
  if (config.listen.find(':') == std::string::npos || port < 0 || port > 65535 ||
      config.ListenHost().empty()) {
    return ConfigError("listen", "expected address:port");
  }
  if (!config.metrics_listen.empty()) {
    const int metrics_port = config.MetricsListenPort();
    if (config.metrics_listen.find(':') == std::string::npos || metrics_port <= 0 || metrics_port > 65535 ||
        config.MetricsListenHost().empty()) {
      return ConfigError("metrics_listen", "expected address:port");
    }
    if (config.metrics_listen == config.listen)
      return ConfigError("metrics_listen", "must differ from listen");
  }
  static const char* kLevels[] = {"trace", "debug", "info", "warn", "error"};
  bool level_ok = false;
  for (const char* level : kLevels) level_ok = level_ok || config.log_level == level;
  if (!level_ok) return ConfigError("log_level", "expected trace, debug, info, warn or error");
  return config;
}

std::map<std::string, std::string> AnxinEnvironment() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string entry(*e);
    if (entry.rfind("ANXIN_", 0) != 0) continue;
    const auto eq = entry.find('=');
    if (eq != std::string::npos) out[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return out;
}

}  // namespace anxin::app
