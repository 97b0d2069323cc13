#include "common/log.hpp"

#include <sstream>
#include <vector>

#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "common/clock.hpp"

namespace anxin {
namespace {

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetLogSink(std::make_shared<spdlog::sinks::ostream_sink_mt>(out_));
    SetLogLevel(spdlog::level::info);
  }
  void TearDown() override { SetLogSink(std::make_shared<spdlog::sinks::null_sink_mt>()); }

  // Returns every line written so far, each parsed as JSON (failing the test if one is not).
  std::vector<nlohmann::json> Lines() {
    spdlog::default_logger()->flush();
    std::vector<nlohmann::json> lines;
    std::istringstream in(out_.str());
    std::string line;
    while (std::getline(in, line)) {
      nlohmann::json parsed = nlohmann::json::parse(line, nullptr, false);
      EXPECT_FALSE(parsed.is_discarded()) << line;
      lines.push_back(std::move(parsed));
    }
    return lines;
  }

  std::ostringstream out_;
};

TEST(LogLevelTest, ParsesKnownNames) {
  const std::pair<std::string_view, spdlog::level::level_enum> cases[] = {
      {"trace", spdlog::level::trace}, {"debug", spdlog::level::debug}, {"info", spdlog::level::info},
      {"warn", spdlog::level::warn},   {"error", spdlog::level::err},
  };
  for (const auto& [name, level] : cases) {
    Result<spdlog::level::level_enum> parsed = ParseLogLevel(name);
    ASSERT_TRUE(parsed.ok()) << name;
    EXPECT_EQ(*parsed, level);
    EXPECT_EQ(LogLevelName(level), name);
  }
  for (std::string_view bad : {"", "INFO", "warning", "verbose"}) {
    Result<spdlog::level::level_enum> parsed = ParseLogLevel(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(parsed.status().fields()[0].field, "log_level");
  }
}

TEST_F(LogTest, PlainMessagesBecomeJsonLines) {
  spdlog::info("listening on {}:{}", "127.0.0.1", 8080);
  spdlog::warn("quote \" backslash \\ newline \n tab \t 中文");
  const std::vector<nlohmann::json> lines = Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["level"], "info");
  EXPECT_EQ(lines[0]["msg"], "listening on 127.0.0.1:8080");
  EXPECT_EQ(lines[1]["level"], "warn");
  EXPECT_EQ(lines[1]["msg"], "quote \" backslash \\ newline \n tab \t 中文");
}

TEST_F(LogTest, TimestampIsRfc3339InShanghai) {
  spdlog::info("tick");
  const std::vector<nlohmann::json> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  const std::string ts = lines[0]["ts"];
  EXPECT_TRUE(ts.ends_with("+08:00")) << ts;
  EXPECT_EQ(ts.size(), std::string_view("2026-11-21T17:32:00.000+08:00").size());
  EXPECT_TRUE(ParseTimestamp(ts).ok()) << ts;
}

TEST_F(LogTest, EventsMergeFieldsAfterTsLevelAndEvent) {
  LogEvent(spdlog::level::warn, "login_failed", {{"user_id", "01J0000000ABCDEFGHJK"}, {"attempts", 3}});
  const std::vector<nlohmann::json> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["level"], "warn");
  EXPECT_EQ(lines[0]["event"], "login_failed");
  EXPECT_EQ(lines[0]["user_id"], "01J0000000ABCDEFGHJK");
  EXPECT_EQ(lines[0]["attempts"], 3);
  EXPECT_FALSE(lines[0].contains("msg"));
  EXPECT_TRUE(out_.str().starts_with("{\"ts\":\""));
  EXPECT_NE(out_.str().find("\"level\":\"warn\",\"event\":\"login_failed\""), std::string::npos);
}

TEST_F(LogTest, EventsCannotOverrideReservedKeys) {
  LogEvent(spdlog::level::info, "job_done",
           {{"ts", "forged"}, {"level", "error"}, {"event", "other"}, {"n", 1}});
  LogEvent(spdlog::level::info, "list_field", nlohmann::json::array({1, 2}));
  LogEvent(spdlog::level::info, "no_fields");
  const std::vector<nlohmann::json> lines = Lines();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[0]["ts"], "forged");
  EXPECT_EQ(lines[0]["level"], "info");
  EXPECT_EQ(lines[0]["event"], "job_done");
  EXPECT_EQ(lines[0]["n"], 1);
  EXPECT_EQ(lines[1]["fields"], nlohmann::json::array({1, 2}));
  EXPECT_EQ(lines[2].size(), 3u);
}

TEST_F(LogTest, InvalidUtf8StillGivesValidJson) {
  spdlog::info("bad \xC0\xAF bytes");
  LogEvent(spdlog::level::info, "bad\xFF", {{"value", "x\xED\xA0\x80y"}});
  const std::vector<nlohmann::json> lines = Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1]["event"], "bad\xEF\xBF\xBD");
}

TEST_F(LogTest, LevelFiltersLines) {
  SetLogLevel(spdlog::level::warn);
  spdlog::info("hidden");
  LogEvent(spdlog::level::info, "hidden_event");
  LogEvent(spdlog::level::err, "shown_event");
  const std::vector<nlohmann::json> lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["event"], "shown_event");
  EXPECT_EQ(lines[0]["level"], "error");
}

TEST_F(LogTest, SinkSwapKeepsLevel) {
  SetLogLevel(spdlog::level::err);
  std::ostringstream other;
  SetLogSink(std::make_shared<spdlog::sinks::ostream_sink_mt>(other));
  spdlog::warn("hidden");
  spdlog::error("shown");
  EXPECT_EQ(other.str().find("hidden"), std::string::npos);
  EXPECT_NE(other.str().find("shown"), std::string::npos);
}

}  // namespace
}  // namespace anxin
