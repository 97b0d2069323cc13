#include "http/metrics.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>

namespace anxin::http {
namespace {

std::string_view NormalizeMethod(std::string_view method) {
  static constexpr std::array<std::string_view, 7> kKnown = {"GET",    "POST", "PUT",    "PATCH",
                                                             "DELETE", "HEAD", "OPTIONS"};
  for (std::string_view known : kKnown) {
    if (method == known) return known;
  }
  return "OTHER";
}

// Escapes a label value: backslash, double quote and line feed (exposition format 0.0.4).
std::string EscapeLabel(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatDouble(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

std::string FormatBound(double bound) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", bound);
  return buffer;
}

void Header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void Counter(std::string& out, std::string_view name, std::string_view help, uint64_t value) {
  Header(out, name, "counter", help);
  out += name;
  out += ' ';
  out += std::to_string(value);
  out += '\n';
}

void RenderDatabase(std::string& out, const storage::DatabaseStats& stats) {
  Counter(out, "anxin_db_commits_total", "Physical database commits (one per group on SQLite).",
          stats.commits);
  Counter(out, "anxin_db_transactions_total", "Logical write transactions committed.", stats.transactions);
  Counter(out, "anxin_db_failed_transactions_total", "Write transactions that failed.",
          stats.failed_transactions);
  Counter(out, "anxin_db_retries_total", "Write transactions retried after a serialization failure.",
          stats.retries);

  constexpr std::string_view kName = "anxin_db_commit_duration_seconds";
  Header(out, kName, "histogram", "Latency of physical commits.");
  // DatabaseStats counts commits at or under each bound, i.e. cumulatively; a running maximum
  // keeps the rendered buckets monotonic whatever rounding the backend did.
  uint64_t cumulative = 0;
  const size_t n = std::min(stats.commit_latency_bounds.size(), stats.commit_latency_counts.size());
  for (size_t i = 0; i < n; ++i) {
    cumulative = std::max(cumulative, stats.commit_latency_counts[i]);
    out += std::string(kName) + "_bucket{le=\"" + FormatBound(stats.commit_latency_bounds[i]) + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  const uint64_t total = std::max(cumulative, stats.commits);
  out += std::string(kName) + "_bucket{le=\"+Inf\"} " + std::to_string(total) + "\n";
  out += std::string(kName) + "_sum " + FormatDouble(stats.commit_latency_sum_seconds) + "\n";
  out += std::string(kName) + "_count " + std::to_string(total) + "\n";
}

}  // namespace

void Metrics::Observe(std::string_view method, std::string_view route, int status, double seconds) {
  std::string method_label(NormalizeMethod(method));
  std::string route_label(route);
  size_t bucket = kDurationBuckets.size();
  for (size_t i = 0; i < kDurationBuckets.size(); ++i) {
    if (seconds <= kDurationBuckets[i]) {
      bucket = i;
      break;
    }
  }
  std::lock_guard lock(mu_);
  ++requests_[{method_label, route_label, status}];
  Histogram& histogram = durations_[{std::move(method_label), std::move(route_label)}];
  if (bucket < kDurationBuckets.size()) ++histogram.buckets[bucket];
  ++histogram.count;
  histogram.sum += seconds;
}

void Metrics::SetDatabaseStats(std::function<storage::DatabaseStats()> source) {
  std::lock_guard lock(mu_);
  database_stats_ = std::move(source);
}

std::string Metrics::Render() const {
  std::string out;
  std::function<storage::DatabaseStats()> database_stats;
  {
    std::lock_guard lock(mu_);
    database_stats = database_stats_;

    Header(out, "anxin_http_requests_total", "counter",
           "HTTP requests answered, by method, route and status.");
    for (const auto& [key, count] : requests_) {
      const auto& [method, route, status] = key;
      out += "anxin_http_requests_total{method=\"" + method + "\",route=\"" + EscapeLabel(route) +
             "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(count) + "\n";
    }

    constexpr std::string_view kName = "anxin_http_request_duration_seconds";
    Header(out, kName, "histogram", "Time from reading a request's headers to writing its response.");
    for (const auto& [key, histogram] : durations_) {
      const std::string labels = "method=\"" + key.first + "\",route=\"" + EscapeLabel(key.second) + "\"";
      uint64_t cumulative = 0;
      for (size_t i = 0; i < kDurationBuckets.size(); ++i) {
        cumulative += histogram.buckets[i];
        out += std::string(kName) + "_bucket{" + labels + ",le=\"" + FormatBound(kDurationBuckets[i]) +
               "\"} " + std::to_string(cumulative) + "\n";
      }
      out += std::string(kName) + "_bucket{" + labels + ",le=\"+Inf\"} " + std::to_string(histogram.count) +
             "\n";
      out += std::string(kName) + "_sum{" + labels + "} " + FormatDouble(histogram.sum) + "\n";
      out += std::string(kName) + "_count{" + labels + "} " + std::to_string(histogram.count) + "\n";
    }
  }
  // Called outside the lock: the source may take the database's own locks.
  if (database_stats) RenderDatabase(out, database_stats());
  return out;
}

}  // namespace anxin::http
