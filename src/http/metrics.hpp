#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

#include "storage/database.hpp"

namespace anxin::http {

// Request counters and latency histograms for /metrics, plus the database's own counters, rendered
// in the Prometheus text exposition format 0.0.4. Thread-safe; Observe takes one short lock.
class Metrics {
 public:
  // Upper bounds (seconds) of the request duration histogram buckets.
  static constexpr std::array<double, 13> kDurationBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                              0.25,  0.5,    1.0,   2.5,  5.0,   10.0};
  // The route label of requests that matched no route (keeps the label set bounded).
  static constexpr std::string_view kUnmatchedRoute = "unmatched";

  // Counts one finished request: anxin_http_requests_total{method,route,status} and
  // anxin_http_request_duration_seconds{method,route}. `route` is the route's pattern or
  // kUnmatchedRoute; methods other than the standard ones are counted as "OTHER".
  void Observe(std::string_view method, std::string_view route, int status, double seconds);

  // Sets the source of the anxin_db_* series (called at every Render). Pass null to remove it.
  void SetDatabaseStats(std::function<storage::DatabaseStats()> source);

  // Returns every series with HELP and TYPE lines (Content-Type: text/plain; version=0.0.4).
  [[nodiscard]] std::string Render() const;

 private:
  struct Histogram {
    std::array<uint64_t, kDurationBuckets.size()> buckets{};  // not cumulative; summed in Render
    uint64_t count = 0;
    double sum = 0;
  };

  // Guarded by mu_.
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, Histogram> durations_;
  std::function<storage::DatabaseStats()> database_stats_;
};

}  // namespace anxin::http
