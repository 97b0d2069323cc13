// What the idempotency layer stores, over real HTTP against the whole platform (issue 6 §5):
// never an answer that holds a secret.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/test_platform.hpp"
#include "common/crypto.hpp"

namespace anxin::app {
namespace {

using nlohmann::json;

struct StoredKey {
  std::string scope;
  std::string key;
  std::string path;
  std::string body;  // decoded
};

std::vector<StoredKey> StoredKeys(storage::Database& db) {
  std::vector<StoredKey> keys;
  Status s = db.Read([&](storage::Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(std::vector<storage::Row> rows,
                           tx.Query("SELECT scope, key, path, response_body FROM idempotency_keys"));
    for (const storage::Row& row : rows) {
      Result<std::string> body = Base64Decode(row.Text(3));
      keys.push_back({row.Text(0), row.Text(1), row.Text(2), body.ok() ? *body : row.Text(3)});
    }
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return keys;
}

TEST(IdempotencyEndToEndTest, LoginWithAnIdempotencyKeyLeavesNoTokenInTheIdempotencyTable) {
  TestPlatform platform;
  testing::HttpClient client(platform.port());
  std::vector<std::string> tokens;
  for (int i = 0; i < 2; ++i) {
    testing::HttpReply reply = client.SendJson("POST", "/api/v1/sessions",
                                               {{"login", "doc.hq"}, {"password", identity::kDemoPassword}},
                                               {{"Idempotency-Key", "login-once"}});
    ASSERT_EQ(reply.status, 201) << reply.body;
    EXPECT_EQ(reply.Header("idempotent-replayed"), "");
    tokens.push_back(reply.Json().at("token").get<std::string>());
  }
  // The key is ignored on this route: the retry logged in again, with a token of its own.
  EXPECT_NE(tokens[0], tokens[1]);
  EXPECT_TRUE(StoredKeys(platform.app().db()).empty());

  // An ordinary keyed request is stored as usual, and holds no token either.
  const json type = {{"code", "IDEM01"},
                     {"name", "幂等测试卡"},
                     {"serial_prefix", "IDM"},
                     {"product_code", "ACCIDENT_ANNUAL"},
                     {"plan_codes", {"A"}},
                     {"default_plan_code", "A"},
                     {"term", {{"unit", "year"}, {"value", 1}}},
                     {"face_value_fen", 9900},
                     {"validity_days", 365},
                     {"start_rule", "next_day"},
                     {"start_within_days", 0}};
  const std::vector<std::pair<std::string, std::string>> headers = {{"Authorization", "Bearer " + tokens[1]},
                                                                    {"Idempotency-Key", "type-once"}};
  testing::HttpReply created = client.SendJson("POST", "/api/v1/card-types", type, headers);
  ASSERT_EQ(created.status, 201) << created.body;
  testing::HttpReply replayed = client.SendJson("POST", "/api/v1/card-types", type, headers);
  EXPECT_EQ(replayed.status, 201);
  EXPECT_EQ(replayed.Header("idempotent-replayed"), "true");
  EXPECT_EQ(replayed.body, created.body);

  const std::vector<StoredKey> keys = StoredKeys(platform.app().db());
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].key, "type-once");
  EXPECT_EQ(keys[0].path, "/api/v1/card-types");
  for (const std::string& token : tokens) EXPECT_EQ(keys[0].body.find(token), std::string::npos);
}

}  // namespace
}  // namespace anxin::app
