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
//
// In expected JSON, objects match as subsets and arrays element by element (same length unless
// the expected array starts with "$contains", then each listed element must match some element).
// String matchers: "$any", "$string", "$number", "$nonempty", "$absent" (key must be missing),
// "$masked" (contains '*').
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "app/test_platform.hpp"

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

class ApiScenarioTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ApiScenarioTest, RunsAsWritten) {
  std::ifstream in(GetParam());
  const json scenario = json::parse(in);
  TestPlatform platform;
  std::map<std::string, std::string> vars;
  std::map<std::string, std::string> tokens;
  testing::HttpClient client(platform.port());
  int index = 0;
  for (const auto& step : scenario.at("steps")) {
    ++index;
    const std::string where = fs::path(GetParam()).filename().string() + " step " + std::to_string(index) +
                              " (" + step.value("name", "") + ")";
    if (step.contains("login")) {
      const std::string login = step["login"];
      tokens[login] = platform.Login(login);
      ASSERT_FALSE(tokens[login].empty()) << where << ": login failed";
      continue;
    }
    const json request = SubstituteJson(step.at("request"), vars);
    std::vector<std::pair<std::string, std::string>> headers;
    if (step.contains("as")) {
      const auto it = tokens.find(step["as"].get<std::string>());
      ASSERT_NE(it, tokens.end()) << where << ": no token for " << step["as"];
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
    const auto reply = client.Send(request.at("method"), request.at("path"), body, headers);
    const json& expect = step.at("expect");
    const json actual = reply.Json();
    ASSERT_EQ(reply.status, expect.at("status").get<int>()) << where << "\nbody: " << reply.body;
    if (expect.contains("json")) {
      const std::string diff = Match(SubstituteJson(expect["json"], vars), &actual, "$");
      EXPECT_TRUE(diff.empty()) << where << ": " << diff << "\nbody: " << reply.body;
    }
    if (expect.contains("headers")) {
      for (const auto& [k, v] : expect["headers"].items()) {
        EXPECT_NE(reply.Header(k).find(v.get<std::string>()), std::string::npos)
            << where << ": header " << k << " = '" << reply.Header(k) << "'";
      }
    }
    if (expect.contains("body_contains")) {
      EXPECT_NE(reply.body.find(expect["body_contains"].get<std::string>()), std::string::npos)
          << where << ": body lacks " << expect["body_contains"];
    }
    if (step.contains("save_csv")) {
      std::vector<std::vector<std::string>> rows;
      std::istringstream lines(reply.body);
      std::string line;
      while (std::getline(lines, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::vector<std::string> cells;
        std::istringstream fields(line);
        std::string cell;
        while (std::getline(fields, cell, ',')) cells.push_back(cell);
        rows.push_back(cells);
      }
      for (const auto& [var, where] : step["save_csv"].items()) {
        const size_t row = where.at(0).get<size_t>();
        const size_t column = where.at(1).get<size_t>();
        ASSERT_TRUE(row < rows.size() && column < rows[row].size())
            << where << ": no CSV cell " << where.dump();
        vars[var] = rows[row][column];
      }
    }
    if (step.contains("save")) {
      for (const auto& [var, pointer] : step["save"].items()) {
        const json::json_pointer ptr(pointer.get<std::string>());
        ASSERT_TRUE(actual.contains(ptr)) << where << ": nothing at " << pointer;
        const json& value = actual.at(ptr);
        vars[var] = value.is_string() ? value.get<std::string>() : value.dump();
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ApiScenarioTest, ::testing::ValuesIn(ScenarioFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = fs::path(info.param).stem().string();
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

TEST(ApiScenarioFilesTest, ThereAreScenarios) { EXPECT_GE(ScenarioFiles().size(), 5u); }

}  // namespace
}  // namespace anxin::app
