#include "common/log.hpp"

#include <chrono>
#include <string>

#include <spdlog/formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "common/clock.hpp"

namespace anxin {

namespace {

// Marks a message logged by LogEvent: its payload is already a JSON object.
constexpr char kEventTag[] = "anxin.event";

std::string DumpJson(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// Formats every message as one JSON object per line: "ts" and "level" first, then either the
// event's fields or "msg" holding the plain message.
class JsonLineFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    using std::chrono::duration_cast;
    using std::chrono::milliseconds;
    const int64_t ms = duration_cast<milliseconds>(msg.time.time_since_epoch()).count();
    std::string line =
        "{\"ts\":\"" + FormatTimestamp(ms) + "\",\"level\":\"" + std::string(LogLevelName(msg.level)) + "\",";
    const std::string_view payload(msg.payload.data(), msg.payload.size());
    if (msg.source.filename == kEventTag && payload.size() > 2 && payload.front() == '{') {
      line.append(payload.substr(1));  // the event object, without its opening brace
    } else {
      line += "\"msg\":" + DumpJson(nlohmann::ordered_json(std::string(payload))) + "}";
    }
    line += '\n';
    dest.append(line.data(), line.data() + line.size());
  }

  [[nodiscard]] std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonLineFormatter>();
  }
};

}  // namespace

Result<spdlog::level::level_enum> ParseLogLevel(std::string_view name) {
  if (name == "trace") return spdlog::level::trace;
  if (name == "debug") return spdlog::level::debug;
  if (name == "info") return spdlog::level::info;
  if (name == "warn") return spdlog::level::warn;
  if (name == "error") return spdlog::level::err;
  return Status::InvalidField("log_level", "invalid_value",
                              Text{"日志级别应为 trace、debug、info、warn 或 error",
                                   "The log level is one of trace, debug, info, warn, error"});
}

std::string_view LogLevelName(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
      return "trace";
    case spdlog::level::debug:
      return "debug";
    case spdlog::level::info:
      return "info";
    case spdlog::level::warn:
      return "warn";
    case spdlog::level::err:
      return "error";
    case spdlog::level::critical:
      return "critical";
    case spdlog::level::off:
    case spdlog::level::n_levels:
      break;
  }
  return "off";
}

void SetLogSink(std::shared_ptr<spdlog::sinks::sink> sink) {
  const spdlog::level::level_enum level = spdlog::default_logger()->level();
  if (sink == nullptr) sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  sink->set_formatter(std::make_unique<JsonLineFormatter>());
  auto logger = std::make_shared<spdlog::logger>("anxin", std::move(sink));
  logger->set_level(level);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
}

void SetLogLevel(spdlog::level::level_enum level) { spdlog::default_logger()->set_level(level); }

void InitLogging(std::string_view level) {
  SetLogSink(std::make_shared<spdlog::sinks::stderr_sink_mt>());
  Result<spdlog::level::level_enum> parsed = ParseLogLevel(level);
  SetLogLevel(parsed.ok() ? *parsed : spdlog::level::info);
  if (!parsed.ok()) {
    LogEvent(spdlog::level::warn, "invalid_log_level", {{"given", std::string(level)}, {"using", "info"}});
  }
}

void LogEvent(spdlog::level::level_enum level, std::string_view event, const nlohmann::json& fields) {
  std::shared_ptr<spdlog::logger> logger = spdlog::default_logger();
  if (!logger->should_log(level)) return;
  nlohmann::ordered_json line;
  line["event"] = std::string(event);
  if (fields.is_object()) {
    for (const auto& [key, value] : fields.items()) {
      if (key == "ts" || key == "level" || key == "event") continue;
      line[key] = value;
    }
  } else if (!fields.is_null()) {
    line["fields"] = fields;
  }
  const std::string payload = DumpJson(line);
  logger->log(spdlog::source_loc{kEventTag, 1, ""}, level,
              spdlog::string_view_t(payload.data(), payload.size()));
}

}  // namespace anxin
