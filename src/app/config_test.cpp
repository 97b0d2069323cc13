#include "app/config.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace anxin::app {
namespace {

TEST(ConfigTest, DefaultsDeriveTheDatabaseAndKeyFromTheDataDirectory) {
  auto config = LoadConfig("", {});
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->data_dir, "./data");
  EXPECT_EQ(config->database_url, "sqlite:./data/anxin.db");
  EXPECT_EQ(config->key_file, "./data/anxin.key");
  EXPECT_EQ(config->ListenHost(), "127.0.0.1");
  EXPECT_EQ(config->ListenPort(), 8080);
  EXPECT_EQ(config->web_root, "./web/dist");
  EXPECT_EQ(LoadConfig("", {{"ANXIN_WEB_ROOT", "/srv/web"}})->web_root, "/srv/web");
}

TEST(ConfigTest, PostgresPoolSizeIsItsOwnSetting) {
  auto defaults = LoadConfig("", {});
  ASSERT_TRUE(defaults.ok()) << defaults.status().ToString();
  EXPECT_EQ(defaults->db_pool_size, 6);
  EXPECT_EQ(defaults->db_read_connections, 4);
  auto set = LoadConfig("", {{"ANXIN_DB_POOL_SIZE", "8"}});
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->db_pool_size, 8);
  EXPECT_EQ(set->db_read_connections, 4);
}

// A PostgreSQL node runs as many handlers as it has connections (one more would only wait for
// one); a SQLite node 64, whose transactions the writer groups into shared commits.
TEST(ConfigTest, HandlerThreadsFollowTheBackendUnlessSet) {
  EXPECT_EQ(LoadConfig("", {})->worker_threads, 64);
  const std::map<std::string, std::string> postgres = {{"ANXIN_DATABASE_URL", "postgresql://db/anxin"}};
  EXPECT_EQ(LoadConfig("", postgres)->worker_threads, 6);
  std::map<std::string, std::string> pool = postgres;
  pool["ANXIN_DB_POOL_SIZE"] = "20";
  EXPECT_EQ(LoadConfig("", pool)->worker_threads, 20);
  pool["ANXIN_WORKER_THREADS"] = "48";
  EXPECT_EQ(LoadConfig("", pool)->worker_threads, 48);
  EXPECT_EQ(LoadConfig("", {{"ANXIN_WORKER_THREADS", "8"}})->worker_threads, 8);
}

TEST(ConfigTest, EnvironmentWinsOverTheFile) {
  const auto path = std::filesystem::temp_directory_path() / "anxin-config-test.conf";
  {
    std::ofstream out(path);
    out << "# a comment\nlisten = 0.0.0.0:9000\nlog_level = debug\nworker_threads = 8 # trailing comment\n";
  }
  auto config =
      LoadConfig(path.string(), {{"ANXIN_LISTEN", "127.0.0.1:9100"}, {"ANXIN_DATA_DIR", "/srv/anxin"}});
  std::filesystem::remove(path);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->listen, "127.0.0.1:9100");
  EXPECT_EQ(config->log_level, "debug");
  EXPECT_EQ(config->worker_threads, 8);
  EXPECT_EQ(config->database_url, "sqlite:/srv/anxin/anxin.db");
}

TEST(ConfigTest, RejectsBadValuesNamingTheKey) {
  struct Case {
    std::map<std::string, std::string> env;
    std::string field;
  };
  const Case cases[] = {
      {{{"ANXIN_LISTEN", "nowhere"}}, "listen"},
      {{{"ANXIN_LISTEN", "127.0.0.1:99999"}}, "listen"},
      {{{"ANXIN_LOG_LEVEL", "loud"}}, "log_level"},
      {{{"ANXIN_WORKER_THREADS", "0"}}, "worker_threads"},
      {{{"ANXIN_WORKER_THREADS", "many"}}, "worker_threads"},
      {{{"ANXIN_DB_POOL_SIZE", "0"}}, "db_pool_size"},
      {{{"ANXIN_TRUSTED_PROXIES", "10.0.0.0/8, proxy.local"}}, "trusted_proxies"},
      {{{"ANXIN_TRUSTED_PROXIES", "10.0.0.0/33"}}, "trusted_proxies"},
      {{{"ANXIN_METRICS_LISTEN", "9090"}}, "metrics_listen"},
      {{{"ANXIN_METRICS_LISTEN", "127.0.0.1:0"}}, "metrics_listen"},
      {{{"ANXIN_METRICS_LISTEN", "127.0.0.1:8080"}}, "metrics_listen"},
      {{{"ANXIN_METRICS_TOKEN", "short"}}, "metrics_token"},
  };
  for (const auto& c : cases) {
    auto config = LoadConfig("", c.env);
    ASSERT_FALSE(config.ok()) << c.field;
    ASSERT_EQ(config.status().fields().size(), 1u);
    EXPECT_EQ(config.status().fields()[0].field, c.field);
  }
}

TEST(ConfigTest, ReadsTrustedProxies) {
  EXPECT_EQ(LoadConfig("", {})->trusted_proxies, "");
  auto config = LoadConfig("", {{"ANXIN_TRUSTED_PROXIES", "10.0.0.0/8, 2001:db8::/32,192.0.2.1"}});
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->trusted_proxies, "10.0.0.0/8, 2001:db8::/32,192.0.2.1");
}

TEST(ConfigTest, MetricsStayOnTheMainAddressUnlessConfigured) {
  auto defaults = LoadConfig("", {});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->metrics_listen, "");
  EXPECT_EQ(defaults->metrics_token, "");
  auto config = LoadConfig(
      "", {{"ANXIN_METRICS_LISTEN", "127.0.0.1:9090"}, {"ANXIN_METRICS_TOKEN", "0123456789abcdef"}});
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->MetricsListenHost(), "127.0.0.1");
  EXPECT_EQ(config->MetricsListenPort(), 9090);
  EXPECT_EQ(config->metrics_token, "0123456789abcdef");
}

TEST(ConfigTest, RejectsUnknownKeysAndMalformedLinesInTheFile) {
  const auto path = std::filesystem::temp_directory_path() / "anxin-config-bad.conf";
  {
    std::ofstream out(path);
    out << "colour = blue\n";
  }
  auto unknown = LoadConfig(path.string(), {});
  EXPECT_FALSE(unknown.ok());
  {
    std::ofstream out(path);
    out << "listen\n";
  }
  auto malformed = LoadConfig(path.string(), {});
  std::filesystem::remove(path);
  EXPECT_FALSE(malformed.ok());
  EXPECT_FALSE(LoadConfig("/nonexistent/anxin.conf", {}).ok());
}

}  // namespace
}  // namespace anxin::app
