// Runs the black-box HTTP scenarios in tests/api/*.json, each against its own fresh platform.
//
// A scenario file: {"name": ..., "steps": [step...]}. A step:
//   {"name": "...",
//    "login": "admin"}                       log in as a demo account; its token is saved as "admin"
// or
//   {"name": "...", "as": "admin",            send the bearer token saved under "admin" (optional)
//    "request": {"method": "POST", "path": "/api/v1/...", "headers": {...},
//                "body": {...} | "raw_body": "text" | "raw_body_hex": "c3 28"},
//    "expect": {"status": 201, "json": {...subset...}, "headers": {"name": "value"},
//               "body_contains": "text"},
//    "save": {"var": "/json/pointer"},       remember values for later steps as {{var}}
//    "save_csv": {"var": [row, column]}}     the same from a CSV body (row 1 is the first after
//                                            the header; columns from 0)
// or
//   {"name": "...", "clock": {"set": "2026-12-01T09:00:00+08:00"}}   the platform's clock (time
//   {"name": "...", "clock": {"advance": "31d"}}                     flows on); s, m, h, d units
// A file may also set "now" (RFC 3339): the clock at its first step.
//
// A failing step is reported with its file, number and name, and the run goes on to the next, so
// one run lists every failing step.
//
// In expected JSON, objects match as subsets and arrays element by element (same length unless
// the expected array starts with "$contains", then each listed element must match some element).
// String matchers: "$any", "$string", "$number", "$nonempty", "$absent" (key must be missing),
// "$masked" (contains '*').
#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "app/test_platform.hpp"
#include "http/openapi.hpp"

namespace anxin::app {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<std::string> ScenarioFiles() {
  std::vector<std::string> files;
  // Test discovery runs the binary without the test environment, so the source directory is also
  // compiled in.
  const char* source = std::getenv("ANXIN_SOURCE_DIR");
  const fs::path dir = fs::path(source ? source : ANXIN_SOURCE_DIR_DEFAULT) / "tests" / "api";
  if (!fs::exists(dir)) return files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string Substitute(const std::string& text, const std::map<std::string, std::string>& vars) {
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t open = text.find("{{", pos);
    if (open == std::string::npos) break;
    const size_t close = text.find("}}", open);
    if (close == std::string::npos) break;
    out += text.substr(pos, open - pos);
    const std::string name = text.substr(open + 2, close - open - 2);
    const auto it = vars.find(name);
    out += it == vars.end() ? "{{" + name + "}}" : it->second;
    pos = close + 2;
  }
  return out + text.substr(pos);
}

json SubstituteJson(const json& value, const std::map<std::string, std::string>& vars) {
  if (value.is_string()) return Substitute(value.get<std::string>(), vars);
  if (value.is_object()) {
    json out = json::object();
    for (const auto& [k, v] : value.items()) out[k] = SubstituteJson(v, vars);
    return out;
  }
  if (value.is_array()) {
    json out = json::array();
    for (const auto& v : value) out.push_back(SubstituteJson(v, vars));
    return out;
  }
  return value;
}

// Returns "" when `actual` matches `expected`, else a description of the first difference.
std::string Match(const json& expected, const json* actual, const std::string& path) {
  if (expected.is_string()) {
    const std::string e = expected.get<std::string>();
    if (e == "$absent") return actual == nullptr ? "" : path + ": expected absent, got " + actual->dump();
    if (actual == nullptr) return path + ": missing";
    if (e == "$any") return "";
    if (e == "$string") return actual->is_string() ? "" : path + ": expected a string, got " + actual->dump();
    if (e == "$number") return actual->is_number() ? "" : path + ": expected a number, got " + actual->dump();
    if (e == "$nonempty") {
      const bool ok = (actual->is_string() && !actual->get<std::string>().empty()) ||
                      (actual->is_array() && !actual->empty()) || (actual->is_object() && !actual->empty());
      return ok ? "" : path + ": expected non-empty, got " + actual->dump();
    }
    if (e == "$masked") {
      return actual->is_string() && actual->get<std::string>().find('*') != std::string::npos
                 ? ""
                 : path + ": expected a masked value, got " + actual->dump();
    }
  }
  if (actual == nullptr) return path + ": missing";
  if (expected.is_object()) {
    if (!actual->is_object()) return path + ": expected an object, got " + actual->dump();
    for (const auto& [k, v] : expected.items()) {
      const auto it = actual->find(k);
      std::string diff = Match(v, it == actual->end() ? nullptr : &*it, path + "." + k);
      if (!diff.empty()) return diff;
    }
    return "";
  }
  if (expected.is_array()) {
    if (!actual->is_array()) return path + ": expected an array, got " + actual->dump();
    if (!expected.empty() && expected[0] == "$contains") {
      for (size_t i = 1; i < expected.size(); ++i) {
        bool found = false;
        for (const auto& element : *actual) found = found || Match(expected[i], &element, "").empty();
        if (!found) return path + ": no element matches " + expected[i].dump();
      }
      return "";
    }
    if (expected.size() != actual->size()) {
      return path + ": expected " + std::to_string(expected.size()) + " elements, got " +
             std::to_string(actual->size());
    }
    for (size_t i = 0; i < expected.size(); ++i) {
      std::string diff = Match(expected[i], &(*actual)[i], path + "[" + std::to_string(i) + "]");
      if (!diff.empty()) return diff;
    }
    return "";
  }
  return expected == *actual ? "" : path + ": expected " + expected.dump() + ", got " + actual->dump();
}

std::string FromHex(const std::string& hex) {
  std::string out;
  std::istringstream in(hex);
  std::string byte;
  while (in >> byte) out.push_back(static_cast<char>(std::stoi(byte, nullptr, 16)));
  return out;
}

// Parses a duration of the "clock" step: an integer with unit s, m, h or d ("90m", "31d"); a
// leading '-' moves back. Returns nullopt for anything else.
std::optional<int64_t> ParseDurationMs(const std::string& text) {
  static const std::regex kDuration("^(-?)([0-9]{1,9})([smhd])$");
  std::smatch m;
  if (!std::regex_match(text, m, kDuration)) return std::nullopt;
  const int64_t unit = m[3] == "s" ? 1000 : m[3] == "m" ? 60'000 : m[3] == "h" ? 3'600'000 : 86'400'000;
  const int64_t ms = std::stoll(m[2]) * unit;
  return m[1] == "-" ? -ms : ms;
}

// Runs scenario files step by step. A step that fails is reported with its file, number and name,
// and the run goes on, so one run lists every failing step of a file (later steps that need a
// value the failed step should have saved fail too, and say which variable is missing).
class ScenarioRunner {
 public:
  ScenarioRunner(std::string file, TestPlatform& platform)
      : file_(std::move(file)), platform_(platform), client_(platform.port()) {}

  void Run(const json& scenario) {
    if (scenario.contains("now")) SetClock(scenario["now"], "scenario start");
    int index = 0;
    for (const auto& step : scenario.at("steps")) {
      ++index;
      const std::string where = fs::path(file_).filename().string() + " step " + std::to_string(index) +
                                " (" + step.value("name", "") + ")";
      RunStep(step, where);
    }
  }

 private:
  void Fail(const std::string& where, const std::string& what) { ADD_FAILURE() << where << ": " << what; }

  // A success answer's media type (a PDF, a CSV, JSON) must be one its route declares in the
  // OpenAPI document, so a client generated from the document reads it right.
  void CheckDeclaredContentType(const std::string& method, const std::string& target,
                                const testing::HttpReply& reply, const std::string& where) {
    if (reply.status < 200 || reply.status >= 300 || reply.body.empty()) return;
    const std::string path = target.substr(0, target.find('?'));
    const http::Router::Match match = platform_.app().router().Find(method, path, nullptr);
    if (match.route == nullptr) return;
    if (openapi_.is_null()) openapi_ = http::BuildOpenApi(platform_.app().router(), "test");
    std::string media_type = reply.Header("content-type");
    media_type = media_type.substr(0, media_type.find(';'));
    std::string lower_method = method;
    for (char& c : lower_method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    json content = json::object();
    const json& paths = openapi_.at("paths");
    const std::string status = std::to_string(reply.status);
    if (paths.contains(match.route->pattern) && paths[match.route->pattern].contains(lower_method)) {
      const json& responses = paths[match.route->pattern][lower_method].value("responses", json::object());
      if (responses.contains(status)) content = responses[status].value("content", json::object());
    }
    if (!content.contains(media_type)) {
      Fail(where, method + " " + match.route->pattern + " answered " + media_type +
                      ", which its OpenAPI declaration does not list: " + content.dump());
    }
  }

  void SetClock(const json& value, const std::string& where) {
    Result<int64_t> at =
        value.is_string() ? ParseTimestamp(value.get<std::string>()) : Status::NotFound("time");
    if (!at.ok()) return Fail(where, "not an RFC 3339 time: " + value.dump());
    platform_.clock().Set(*at);
  }

  void RunStep(const json& step, const std::string& where) {
    if (step.contains("login")) {
      const std::string login = step["login"];
      tokens_[login] = platform_.Login(login);
      if (tokens_[login].empty()) Fail(where, "login failed");
      return;
    }
    if (step.contains("clock")) {
      const json& clock = step["clock"];
      if (clock.contains("set")) SetClock(clock["set"], where);
      if (clock.contains("advance")) {
        std::optional<int64_t> delta = clock["advance"].is_string()
                                           ? ParseDurationMs(clock["advance"].get<std::string>())
                                           : std::nullopt;
        if (!delta) return Fail(where, "advance is not a duration like \"31d\": " + clock["advance"].dump());
        platform_.clock().Advance(*delta);
      }
      return;
    }
    const std::string missing = MissingVariable(step.at("request"));
    if (!missing.empty())
      return Fail(where, "no value saved for {{" + missing + "}} (an earlier step failed)");
    const json request = SubstituteJson(step.at("request"), vars_);
    std::vector<std::pair<std::string, std::string>> headers;
    if (step.contains("as")) {
      const auto it = tokens_.find(step["as"].get<std::string>());
      if (it == tokens_.end()) return Fail(where, "no token for " + step["as"].dump());
      headers.emplace_back("Authorization", "Bearer " + it->second);
    }
    std::string body;
    bool has_content_type = false;
    if (request.contains("headers")) {
      for (const auto& [k, v] : request["headers"].items()) {
        headers.emplace_back(k, v.get<std::string>());
        has_content_type = has_content_type || k == "Content-Type";
      }
    }
    if (request.contains("body")) {
      body = request["body"].dump();
      if (!has_content_type) headers.emplace_back("Content-Type", "application/json");
    } else if (request.contains("raw_body")) {
      body = request["raw_body"].get<std::string>();
    } else if (request.contains("raw_body_hex")) {
      body = FromHex(request["raw_body_hex"].get<std::string>());
    }
    const auto reply = client_.Send(request.at("method"), request.at("path"), body, headers);
    const json& expect = step.at("expect");
    const json actual = reply.Json();
    if (reply.status != expect.at("status").get<int>()) {
      return Fail(where, "status " + std::to_string(reply.status) + ", expected " + expect["status"].dump() +
                             "\nbody: " + reply.body.substr(0, 2000));
    }
    CheckDeclaredContentType(request.at("method"), request.at("path"), reply, where);
    if (expect.contains("json")) {
      const std::string diff = Match(SubstituteJson(expect["json"], vars_), &actual, "$");
      if (!diff.empty()) Fail(where, diff + "\nbody: " + reply.body.substr(0, 2000));
    }
    if (expect.contains("headers")) {
      for (const auto& [k, v] : expect["headers"].items()) {
        if (reply.Header(k).find(v.get<std::string>()) == std::string::npos) {
          Fail(where, "header " + k + " = '" + reply.Header(k) + "', expected it to contain " + v.dump());
        }
      }
    }
    if (expect.contains("body_contains") &&
        reply.body.find(expect["body_contains"].get<std::string>()) == std::string::npos) {
      Fail(where, "body lacks " + expect["body_contains"].dump());
    }
    if (step.contains("save_csv")) SaveCsv(step["save_csv"], reply.body, where);
    if (step.contains("save")) {
      for (const auto& [var, pointer] : step["save"].items()) {
        const json::json_pointer ptr(pointer.get<std::string>());
        if (!actual.contains(ptr)) {
          Fail(where, "nothing at " + pointer.dump() + " to save as " + var);
          continue;
        }
        const json& value = actual.at(ptr);
        vars_[var] = value.is_string() ? value.get<std::string>() : value.dump();
      }
    }
  }

  void SaveCsv(const json& save, const std::string& csv, const std::string& where) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream lines(csv);
    std::string line;
    while (std::getline(lines, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::vector<std::string> cells;
      std::istringstream fields(line);
      std::string cell;
      while (std::getline(fields, cell, ',')) cells.push_back(cell);
      rows.push_back(cells);
    }
    for (const auto& [var, cell] : save.items()) {
      const size_t row = cell.at(0).get<size_t>();
      const size_t column = cell.at(1).get<size_t>();
      if (row >= rows.size() || column >= rows[row].size()) {
        Fail(where, "no CSV cell " + cell.dump() + " to save as " + var);
        continue;
      }
      vars_[var] = rows[row][column];
    }
  }

  // Returns the first {{name}} in `value` that no step has saved, or "".
  std::string MissingVariable(const json& value) const {
    if (value.is_string()) {
      static const std::regex kVariable("\\{\\{([^}]+)\\}\\}");
      const std::string text = value.get<std::string>();
      for (auto it = std::sregex_iterator(text.begin(), text.end(), kVariable); it != std::sregex_iterator();
           ++it) {
        if (vars_.count((*it)[1]) == 0) return (*it)[1];
      }
      return "";
    }
    if (value.is_object() || value.is_array()) {
      for (const auto& item : value) {
        std::string missing = MissingVariable(item);
        if (!missing.empty()) return missing;
      }
    }
    return "";
  }

  const std::string file_;
  TestPlatform& platform_;
  json openapi_;  // built on first use
  testing::HttpClient client_;
  std::map<std::string, std::string> vars_;
  std::map<std::string, std::string> tokens_;
};

class ApiScenarioTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ApiScenarioTest, RunsAsWritten) {
  std::ifstream in(GetParam());
  const json scenario = json::parse(in);
  TestPlatform platform;
  ScenarioRunner(GetParam(), platform).Run(scenario);
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ApiScenarioTest, ::testing::ValuesIn(ScenarioFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = fs::path(info.param).stem().string();
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

// The driver itself: every failing step is reported, each under its own name.
TEST(ScenarioRunnerTest, ReportsEveryFailingStepUnderItsOwnName) {
  TestPlatform platform;
  const json scenario = json::parse(R"({"steps": [
    {"name": "health answers", "request": {"method": "GET", "path": "/healthz"}, "expect": {"status": 200}},
    {"name": "wrong status", "request": {"method": "GET", "path": "/healthz"}, "expect": {"status": 404}},
    {"name": "csv from json", "request": {"method": "GET", "path": "/healthz"}, "expect": {"status": 200},
     "save_csv": {"x": [5, 5]}},
    {"name": "needs x", "request": {"method": "GET", "path": "/api/v1/products/{{x}}"}, "expect": {"status": 200}},
    {"name": "still runs", "request": {"method": "GET", "path": "/nowhere"}, "expect": {"status": 200}}
  ]})");
  ::testing::TestPartResultArray failures;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
    ScenarioRunner("driver.json", platform).Run(scenario);
  }
  ASSERT_EQ(failures.size(), 4);
  EXPECT_THAT(failures.GetTestPartResult(0).message(),
              ::testing::HasSubstr("driver.json step 2 (wrong status)"));
  EXPECT_THAT(failures.GetTestPartResult(1).message(),
              ::testing::HasSubstr("step 3 (csv from json): no CSV cell"));
  EXPECT_THAT(failures.GetTestPartResult(2).message(),
              ::testing::HasSubstr("step 4 (needs x): no value saved for {{x}}"));
  EXPECT_THAT(failures.GetTestPartResult(3).message(),
              ::testing::HasSubstr("step 5 (still runs): status 404"));
}

TEST(ScenarioRunnerTest, ClockStepsMoveThePlatformsClock) {
  TestPlatform platform;
  const json scenario = json::parse(R"({"now": "2030-06-01T09:00:00+08:00", "steps": [
    {"login": "admin"},
    {"name": "the session works", "as": "admin", "request": {"method": "GET", "path": "/api/v1/me"},
     "expect": {"status": 200}},
    {"name": "thirteen hours later", "clock": {"advance": "13h"}},
    {"name": "the session has expired", "as": "admin", "request": {"method": "GET", "path": "/api/v1/me"},
     "expect": {"status": 401}}
  ]})");
  ScenarioRunner("clock.json", platform).Run(scenario);
  const int64_t expected = *ParseTimestamp("2030-06-01T22:00:00+08:00");
  EXPECT_NEAR(static_cast<double>(platform.clock().NowMs()), static_cast<double>(expected), 60'000.0);
  EXPECT_EQ(ParseDurationMs("31d"), 31LL * 86'400'000);
  EXPECT_EQ(ParseDurationMs("-90m"), -90LL * 60'000);
  EXPECT_EQ(ParseDurationMs("3w"), std::nullopt);
}

TEST(ApiScenarioFilesTest, ThereAreScenarios) { EXPECT_GE(ScenarioFiles().size(), 5u); }

}  // namespace
}  // namespace anxin::app
