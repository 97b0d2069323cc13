#pragma once

#include <memory>
#include <string_view>

#include <spdlog/common.h>
#include <spdlog/sinks/sink.h>
#include <nlohmann/json.hpp>

#include "common/status.hpp"

namespace anxin {

// Logging: JSON lines on stderr, one object per line, for example
//   {"ts":"2026-11-21T17:32:00.000+08:00","level":"info","msg":"listening on 127.0.0.1:8080"}
//   {"ts":"2026-11-21T17:32:01.250+08:00","level":"warn","event":"login_failed","user_id":"01J..."}
// Plain spdlog calls (spdlog::info("...")) give "msg" lines; LogEvent gives "event" lines with the
// fields merged in. Every line is valid JSON (invalid UTF-8 is replaced with U+FFFD). Never put
// clear-text personal data (ID numbers, phones, bank accounts, passwords, tokens) in a line.

// Parses "trace", "debug", "info", "warn" or "error". Returns kInvalidArgument "validation_failed"
// at field "log_level" (code "invalid_value") otherwise.
[[nodiscard]] Result<spdlog::level::level_enum> ParseLogLevel(std::string_view name);
// Returns the name written in the "level" field ("trace", "debug", "info", "warn", "error",
// "critical", "off").
[[nodiscard]] std::string_view LogLevelName(spdlog::level::level_enum level);

// Makes spdlog's default logger write JSON lines to stderr at `level` (a ParseLogLevel name; an
// unknown name means "info" and is reported in a warning line). Call at start-up, before threads log.
void InitLogging(std::string_view level);
// Makes the default logger write JSON lines to `sink` instead, keeping the current level (tests
// capture output with an ostream sink); null restores standard error. Not thread-safe with concurrent
// logging; call at start-up.
void SetLogSink(std::shared_ptr<spdlog::sinks::sink> sink);
// Sets the default logger's level.
void SetLogLevel(spdlog::level::level_enum level);

// Writes one line {"ts", "level", "event": event, ...fields} if `level` is enabled. `fields` should
// be an object; its keys "ts", "level" and "event" are ignored, and a non-object value is written
// under "fields". Thread-safe.
void LogEvent(spdlog::level::level_enum level, std::string_view event,
              const nlohmann::json& fields = nlohmann::json::object());

}  // namespace anxin
