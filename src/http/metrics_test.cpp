#include "http/metrics.hpp"

#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace anxin::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(MetricsTest, CountsRequestsByMethodRouteAndStatus) {
  Metrics metrics;
  metrics.Observe("GET", "/api/v1/products/{code}", 200, 0.002);
  metrics.Observe("GET", "/api/v1/products/{code}", 200, 0.2);
  metrics.Observe("GET", "/api/v1/products/{code}", 404, 0.0005);
  metrics.Observe("BREW", std::string(Metrics::kUnmatchedRoute), 404, 20);
  std::string text = metrics.Render();

  EXPECT_THAT(text, HasSubstr("# HELP anxin_http_requests_total "));
  EXPECT_THAT(text, HasSubstr("# TYPE anxin_http_requests_total counter\n"));
  EXPECT_THAT(text, HasSubstr("anxin_http_requests_total{method=\"GET\",route=\"/api/v1/products/{code}\","
                              "status=\"200\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("anxin_http_requests_total{method=\"GET\",route=\"/api/v1/products/{code}\","
                              "status=\"404\"} 1\n"));
  EXPECT_THAT(
      text, HasSubstr("anxin_http_requests_total{method=\"OTHER\",route=\"unmatched\",status=\"404\"} 1\n"));

  EXPECT_THAT(text, HasSubstr("# TYPE anxin_http_request_duration_seconds histogram\n"));
  const std::string labels = "method=\"GET\",route=\"/api/v1/products/{code}\"";
  EXPECT_THAT(text, HasSubstr("anxin_http_request_duration_seconds_bucket{" + labels + ",le=\"0.001\"} 1\n"));
  EXPECT_THAT(text,
              HasSubstr("anxin_http_request_duration_seconds_bucket{" + labels + ",le=\"0.0025\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("anxin_http_request_duration_seconds_bucket{" + labels + ",le=\"0.1\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("anxin_http_request_duration_seconds_bucket{" + labels + ",le=\"0.25\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("anxin_http_request_duration_seconds_bucket{" + labels + ",le=\"10\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("anxin_http_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("anxin_http_request_duration_seconds_count{" + labels + "} 3\n"));
  // 20 s is past the last bucket: only +Inf and the count see it.
  const std::string other = "method=\"OTHER\",route=\"unmatched\"";
  EXPECT_THAT(text, HasSubstr("anxin_http_request_duration_seconds_bucket{" + other + ",le=\"10\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("anxin_http_request_duration_seconds_bucket{" + other + ",le=\"+Inf\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("anxin_http_request_duration_seconds_sum{" + other + "} 20\n"));
  // No database source: no anxin_db_* series.
  EXPECT_THAT(text, Not(HasSubstr("anxin_db_")));
}

TEST(MetricsTest, EscapesLabelValues) {
  Metrics metrics;
  metrics.Observe("GET", "/a\"b\\c\nd", 200, 0.01);
  EXPECT_THAT(metrics.Render(), HasSubstr("route=\"/a\\\"b\\\\c\\nd\""));
}

TEST(MetricsTest, RendersDatabaseStats) {
  Metrics metrics;
  metrics.SetDatabaseStats([] {
    storage::DatabaseStats stats;
    stats.commits = 7;
    stats.transactions = 40;
    stats.failed_transactions = 2;
    stats.retries = 3;
    stats.commit_latency_bounds = {0.001, 0.01};
    stats.commit_latency_counts = {5, 6};
    stats.commit_latency_sum_seconds = 0.5;
    return stats;
  });
  std::string text = metrics.Render();
  EXPECT_THAT(text, HasSubstr("# TYPE anxin_db_commits_total counter\nanxin_db_commits_total 7\n"));
  EXPECT_THAT(text, HasSubstr("\nanxin_db_transactions_total 40\n"));
  EXPECT_THAT(text, HasSubstr("\nanxin_db_failed_transactions_total 2\n"));
  EXPECT_THAT(text, HasSubstr("\nanxin_db_retries_total 3\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE anxin_db_commit_duration_seconds histogram\n"));
  EXPECT_THAT(text, HasSubstr("anxin_db_commit_duration_seconds_bucket{le=\"0.001\"} 5\n"));
  EXPECT_THAT(text, HasSubstr("anxin_db_commit_duration_seconds_bucket{le=\"0.01\"} 6\n"));
  EXPECT_THAT(text, HasSubstr("anxin_db_commit_duration_seconds_bucket{le=\"+Inf\"} 7\n"));
  EXPECT_THAT(text, HasSubstr("anxin_db_commit_duration_seconds_sum 0.5\n"));
  EXPECT_THAT(text, HasSubstr("anxin_db_commit_duration_seconds_count 7\n"));
}

TEST(MetricsTest, ObserveIsThreadSafe) {
  Metrics metrics;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&metrics] {
      for (int i = 0; i < 1000; ++i) metrics.Observe("POST", "/x", 201, 0.003);
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(metrics.Render(),
              HasSubstr("anxin_http_requests_total{method=\"POST\",route=\"/x\",status=\"201\"} 8000\n"));
}

}  // namespace
}  // namespace anxin::http
