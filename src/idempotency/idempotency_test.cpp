#include "idempotency/idempotency.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "storage/migrations.hpp"
#include "storage/testing.hpp"

namespace anxin::idempotency {
namespace {

constexpr int64_t kStartMs = 1767225600000;  // 2026-01-01T08:00:00+08:00

class IdempotencyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<storage::Database>> db = storage::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    store_ = std::make_unique<IdempotencyStore>(*db_, clock_);
    // What the handlers of these tests change: one row per effect.
    Status created = db_->Write([](storage::Tx& tx) {
      return tx.ExecScript("CREATE TABLE effects (id TEXT PRIMARY KEY, note TEXT)");
    });
    ASSERT_TRUE(created.ok()) << created.ToString();
  }

  static http::Request Post(std::string body, std::string user_id = "U1", std::string path = "/api/v1/orgs") {
    http::Request request;
    request.method = "POST";
    request.path = std::move(path);
    request.body = std::move(body);
    request.client_address = "203.0.113.9";
    if (!user_id.empty()) {
      Principal principal;
      principal.user_id = std::move(user_id);
      request.principal = principal;
    }
    return request;
  }

  static http::Response Created(std::string body) {
    http::Response response;
    response.status = 201;
    response.body = std::move(body);
    response.headers = {{"Location", "/api/v1/orgs/O1"}};
    return response;
  }

  // A handler that records one effect (a row with a new id) and answers `response`; counts its runs.
  std::function<http::Response()> Effect(http::Response response, std::atomic<int>* runs = nullptr) {
    return [this, response, runs] {
      const int n = ++effect_counter_;
      if (runs != nullptr) ++*runs;
      Status written = db_->Write([&](storage::Tx& tx) {
        return tx.Exec("INSERT INTO effects (id) VALUES (?)", {"e" + std::to_string(n)}).status();
      });
      EXPECT_TRUE(written.ok()) << written.ToString();
      return response;
    };
  }

  // Runs `request` under `key` and expects an answer.
  http::IdempotencyGuard::Answer RunOk(const http::Request& request, std::string_view key,
                                       const std::function<http::Response()>& handler) {
    Result<http::IdempotencyGuard::Answer> answer = store_->Run(request, key, handler);
    EXPECT_TRUE(answer.ok()) << answer.status().ToString();
    return answer.ok() ? std::move(answer).value() : http::IdempotencyGuard::Answer{};
  }

  static std::function<http::Response()> MustNotRun() {
    return [] {
      ADD_FAILURE() << "the handler ran for a key that was answered already";
      return http::Response{};
    };
  }

  int64_t Count(const std::string& table) {
    Result<int64_t> n = db_->ReadResult<int64_t>([&](storage::Tx& tx) -> Result<int64_t> {
      ANXIN_ASSIGN_OR_RETURN(std::optional<storage::Row> row, tx.QueryOne("SELECT COUNT(*) FROM " + table));
      return row->Int(0);
    });
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }

  FakeClock clock_{kStartMs};
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<IdempotencyStore> store_;
  std::atomic<int> effect_counter_{0};
};

TEST_F(IdempotencyStoreTest, FirstRequestRunsAndARetryReplaysTheStoredAnswer) {
  http::Request request = Post(R"({"name":"北京分公司"})");
  std::atomic<int> runs{0};
  http::IdempotencyGuard::Answer first = RunOk(request, "key-1", Effect(Created(R"({"id":"O1"})"), &runs));
  EXPECT_FALSE(first.replayed);
  EXPECT_EQ(first.response.status, 201);

  clock_.Advance(10'000);
  http::IdempotencyGuard::Answer replay = RunOk(request, "key-1", MustNotRun());
  EXPECT_TRUE(replay.replayed);
  const http::Response& r = replay.response;
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"id":"O1"})");
  EXPECT_THAT(r.headers,
              ::testing::ElementsAre(std::pair<std::string, std::string>("Location", "/api/v1/orgs/O1")));
  EXPECT_EQ(runs.load(), 1);
  EXPECT_EQ(Count("effects"), 1);
}

TEST_F(IdempotencyStoreTest, StoresAnyBytesOfTheBody) {
  http::Request request = Post("{}");
  http::Response response = Created(std::string("\x00\xff\xfe binary", 10));
  response.content_type = "application/octet-stream";
  RunOk(request, "k", Effect(response));
  http::IdempotencyGuard::Answer replay = RunOk(request, "k", MustNotRun());
  ASSERT_TRUE(replay.replayed);
  EXPECT_EQ(replay.response.body, response.body);
  EXPECT_EQ(replay.response.content_type, "application/octet-stream");
}

TEST_F(IdempotencyStoreTest, ClientErrorsAreStoredAndReplayedEvenWithoutWrites) {
  http::Request request = Post("{}");
  http::Response problem;
  problem.status = 400;
  problem.content_type = "application/problem+json";
  problem.body = R"({"code":"validation_failed"})";
  RunOk(request, "k", [&] { return problem; });
  http::IdempotencyGuard::Answer replay = RunOk(request, "k", MustNotRun());
  ASSERT_TRUE(replay.replayed);
  EXPECT_EQ(replay.response.status, 400);
  EXPECT_EQ(replay.response.content_type, "application/problem+json");
  EXPECT_EQ(replay.response.body, problem.body);
}

TEST_F(IdempotencyStoreTest, SameKeyForAnotherRequestIsRejectedAsReused) {
  http::Request first = Post(R"({"name":"A"})");
  RunOk(first, "k", Effect(Created("{}")));

  struct Case {
    const char* name;
    http::Request request;
  };
  http::Request other_method = first;
  other_method.method = "PUT";
  const std::vector<Case> cases = {
      {"other body", Post(R"({"name":"B"})")},
      {"other path", Post(R"({"name":"A"})", "U1", "/api/v1/users")},
      {"other method", other_method},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<http::IdempotencyGuard::Answer> answer = store_->Run(c.request, "k", MustNotRun());
    ASSERT_FALSE(answer.ok());
    EXPECT_EQ(answer.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(answer.status().reason(), "idempotency_key_reused");
    EXPECT_EQ(http::HttpStatusFor(answer.status()), 422);
  }
  EXPECT_EQ(Count("effects"), 1);
}

TEST_F(IdempotencyStoreTest, RequestRunningWithTheKeyMakesAnotherWith409) {
  http::Request request = Post("{}");
  std::mutex mu;
  std::condition_variable cv;
  bool inside = false;
  bool release = false;
  std::thread first([&] {
    RunOk(request, "k", [&] {
      http::Response response = Effect(Created(R"({"n":1})"))();
      std::unique_lock lock(mu);
      inside = true;
      cv.notify_all();
      cv.wait(lock, [&] { return release; });
      return response;
    });
  });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return inside; });
  }
  Result<http::IdempotencyGuard::Answer> second = store_->Run(request, "k", MustNotRun());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kAborted);
  EXPECT_EQ(second.status().reason(), "idempotency_in_progress");
  EXPECT_EQ(http::HttpStatusFor(second.status()), 409);
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  first.join();

  http::IdempotencyGuard::Answer replay = RunOk(request, "k", MustNotRun());
  EXPECT_TRUE(replay.replayed);
  EXPECT_EQ(replay.response.body, R"({"n":1})");
}

TEST_F(IdempotencyStoreTest, ServerErrorKeepsNothingSoARetryRunsAnew) {
  http::Request request = Post("{}");
  http::Response failure;
  failure.status = 503;
  failure.body = "{}";
  // The handler wrote its effect, then failed: the effect is undone with it.
  http::IdempotencyGuard::Answer first = RunOk(request, "k", Effect(failure));
  EXPECT_EQ(first.response.status, 503);
  EXPECT_FALSE(first.replayed);
  EXPECT_EQ(Count("effects"), 0);
  EXPECT_EQ(Count("idempotency_keys"), 0);

  http::IdempotencyGuard::Answer retry = RunOk(request, "k", Effect(Created("{}")));
  EXPECT_FALSE(retry.replayed);
  EXPECT_EQ(retry.response.status, 201);
  EXPECT_EQ(Count("effects"), 1);
  EXPECT_TRUE(RunOk(request, "k", MustNotRun()).replayed);
}

TEST_F(IdempotencyStoreTest, ExceptionInTheHandlerKeepsNothing) {
  http::Request request = Post("{}");
  Result<http::IdempotencyGuard::Answer> answer = store_->Run(request, "k", [&]() -> http::Response {
    Effect(Created("{}"))();
    throw std::runtime_error("render failed");
  });
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.status().code(), StatusCode::kInternal);
  EXPECT_EQ(Count("effects"), 0);
  EXPECT_EQ(Count("idempotency_keys"), 0);
}

TEST_F(IdempotencyStoreTest, KeysExpireAfter24Hours) {
  http::Request request = Post(R"({"a":1})");
  RunOk(request, "k", Effect(Created("{}")));

  clock_.Advance(kKeyLifetimeMs - 1);
  EXPECT_TRUE(RunOk(request, "k", MustNotRun()).replayed);

  // After 24 hours the key is forgotten: even another body may use it, and its answer replaces
  // the old one.
  clock_.Advance(1);
  EXPECT_FALSE(RunOk(Post(R"({"a":2})"), "k", Effect(Created(R"({"second":true})"))).replayed);
  http::IdempotencyGuard::Answer replay = RunOk(Post(R"({"a":2})"), "k", MustNotRun());
  EXPECT_TRUE(replay.replayed);
  EXPECT_EQ(replay.response.body, R"({"second":true})");
}

TEST_F(IdempotencyStoreTest, ExpiredKeysArePurgedByALaterRun) {
  http::Request request = Post("{}");
  RunOk(request, "k", Effect(Created("{}")));  // purges (nothing expired yet) and arms the gate
  RunOk(request, "other", Effect(Created("{}")));
  clock_.Advance(kKeyLifetimeMs + 1);
  // The gate has passed, so this Run purges both expired keys first, then stores its own.
  RunOk(Post(R"({"b":1})"), "third", Effect(Created("{}")));
  EXPECT_EQ(Count("idempotency_keys"), 1);
}

TEST_F(IdempotencyStoreTest, PurgeExpiredDeletesOnlyExpiredKeys) {
  for (const char* key : {"a", "b", "c"}) RunOk(Post("{}"), key, Effect(Created("{}")));
  clock_.Advance(kKeyLifetimeMs / 2);
  RunOk(Post("{}"), "d", Effect(Created("{}")));
  clock_.Advance(kKeyLifetimeMs / 2);

  Result<int> purged = store_->PurgeExpired();
  ASSERT_TRUE(purged.ok()) << purged.status().ToString();
  EXPECT_EQ(*purged, 3);
  EXPECT_EQ(Count("idempotency_keys"), 1);
}

TEST_F(IdempotencyStoreTest, ClaimLeftPendingByAnOlderVersionDoesNotHoldTheKey) {
  Status planted = db_->Write([&](storage::Tx& tx) {
    return tx
        .Exec(
            "INSERT INTO idempotency_keys (scope, key, method, path, body_hash, state, created_at, "
            "expires_at) VALUES ('user:U1', 'k', 'POST', '/api/v1/orgs', 'x', 'pending', ?, ?)",
            {kStartMs, kStartMs + kKeyLifetimeMs})
        .status();
  });
  ASSERT_TRUE(planted.ok()) << planted.ToString();
  EXPECT_FALSE(RunOk(Post("{}"), "k", Effect(Created("{}"))).replayed);
  EXPECT_TRUE(RunOk(Post("{}"), "k", MustNotRun()).replayed);
}

TEST_F(IdempotencyStoreTest, DifferentCallersWithTheSameKeyDoNotCollide) {
  http::Request alice = Post(R"({"x":1})", "ALICE");
  http::Request bob = Post(R"({"x":2})", "BOB");
  http::Request anonymous_a = Post(R"({"x":3})", "");
  http::Request anonymous_b = Post(R"({"x":4})", "");
  anonymous_b.client_address = "198.51.100.1";
  EXPECT_EQ(IdempotencyStore::ScopeOf(alice), "user:ALICE");
  EXPECT_EQ(IdempotencyStore::ScopeOf(anonymous_a), "addr:203.0.113.9");

  for (const http::Request* request : {&alice, &bob, &anonymous_a, &anonymous_b}) {
    EXPECT_FALSE(RunOk(*request, "shared-key", Effect(Created(request->body))).replayed);
  }
  for (const http::Request* request : {&alice, &bob, &anonymous_a, &anonymous_b}) {
    http::IdempotencyGuard::Answer replay = RunOk(*request, "shared-key", MustNotRun());
    EXPECT_TRUE(replay.replayed);
    EXPECT_EQ(replay.response.body, request->body);
  }
  EXPECT_EQ(Count("effects"), 4);
}

// Two nodes (two stores, so two sets of running keys) on one database, several threads each, the
// same key at the same time: one effect, and every caller gets its answer, a 409 or nothing else.
TEST_F(IdempotencyStoreTest, ConcurrentDuplicatesOnTwoNodesHaveOneEffect) {
  IdempotencyStore other_node(*db_, clock_);
  constexpr int kThreads = 8;
  std::atomic<int> fresh{0}, replayed{0}, in_progress{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      IdempotencyStore& node = t % 2 == 0 ? *store_ : other_node;
      auto handler = [&] {
        http::Response response = Effect(Created(R"({"id":"O1"})"))();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // overlap the other node's run
        return response;
      };
      Result<http::IdempotencyGuard::Answer> answer = node.Run(Post(R"({"same":true})"), "race", handler);
      if (answer.ok() && answer->response.body == R"({"id":"O1"})") {
        ++(answer->replayed ? replayed : fresh);
      } else if (!answer.ok() && answer.status().reason() == "idempotency_in_progress") {
        ++in_progress;
      } else {
        ++other;
        ADD_FAILURE() << (answer.ok() ? answer->response.body : answer.status().ToString());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(fresh.load(), 1);
  EXPECT_EQ(fresh + replayed + in_progress, kThreads);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(Count("effects"), 1);
  EXPECT_EQ(Count("idempotency_keys"), 1);
}

TEST_F(IdempotencyStoreTest, RejectsMalformedKeys) {
  for (const std::string& key : {std::string(), std::string(256, 'k'), std::string("tab\there")}) {
    Result<http::IdempotencyGuard::Answer> answer = store_->Run(Post("{}"), key, MustNotRun());
    ASSERT_FALSE(answer.ok());
    EXPECT_EQ(answer.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(answer.status().fields().at(0).field, "Idempotency-Key");
  }
  EXPECT_FALSE(RunOk(Post("{}"), std::string(255, 'k'), Effect(Created("{}"))).replayed);
}

class AllowAll final : public http::Authenticator {
 public:
  Result<Principal> Authenticate(std::string_view, const http::Request&) override {
    Principal p;
    p.user_id = "U1";
    p.permissions = {"org.write"};
    return p;
  }
};

http::Route TestRoute(std::string pattern, http::Handler handler) {
  http::Route route;
  route.method = "POST";
  route.pattern = std::move(pattern);
  route.permission = "org.write";
  route.summary = "test";
  route.tag = "test";
  route.handler = std::move(handler);
  return route;
}

// End to end through the router: the handler runs once, the retry is replayed with exactly one
// Idempotent-Replayed header.
TEST_F(IdempotencyStoreTest, RouterRunsTheHandlerOnceAndMarksTheReplay) {
  AllowAll auth;
  int calls = 0;
  http::Router router;
  router.SetAuthenticator(&auth);
  router.SetIdempotencyGuard(store_.get());
  router.Add(TestRoute("/api/v1/orgs", [&](http::Request&) -> Result<http::Response> {
    ++calls;
    ANXIN_RETURN_IF_ERROR(db_->Write([&](storage::Tx& tx) {
      return tx.Exec("INSERT INTO effects (id) VALUES (?)", {"call" + std::to_string(calls)}).status();
    }));
    return http::JsonResponse(201, {{"call", calls}});
  }));

  auto send = [&] {
    http::Request request = Post(R"({"name":"A"})", "");
    request.headers = {{"authorization", "Bearer t"}, {"idempotency-key", "abc"}};
    return router.Handle(request);
  };
  http::Response first = send();
  http::Response second = send();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(first.status, 201);
  EXPECT_EQ(second.status, 201);
  EXPECT_EQ(second.body, first.body);
  int replay_headers = 0;
  for (const auto& [name, value] : second.headers) {
    if (name == "Idempotent-Replayed") {
      ++replay_headers;
      EXPECT_EQ(value, "true");
    }
  }
  EXPECT_EQ(replay_headers, 1);
  for (const auto& [name, value] : first.headers) EXPECT_NE(name, "Idempotent-Replayed");
  EXPECT_EQ(Count("effects"), 1);
}

// A route whose answer holds a secret never has it stored, whatever key comes with it.
TEST_F(IdempotencyStoreTest, RouterStoresNothingForARouteWhoseAnswerHoldsASecret) {
  AllowAll auth;
  http::Router router;
  router.SetAuthenticator(&auth);
  router.SetIdempotencyGuard(store_.get());
  int calls = 0;
  http::Route login = TestRoute("/api/v1/login", [&](http::Request&) -> Result<http::Response> {
    ++calls;
    return http::JsonResponse(201, {{"token", "tok-" + std::to_string(calls)}});
  });
  login.response_holds_secret = true;
  router.Add(std::move(login));
  for (int i = 0; i < 2; ++i) {
    http::Request request = Post("{}", "");
    request.path = "/api/v1/login";
    request.headers = {{"authorization", "Bearer t"}, {"idempotency-key", "login-1"}};
    http::Response response = router.Handle(request);
    EXPECT_EQ(response.status, 201);
    EXPECT_EQ(nlohmann::json::parse(response.body)["token"], "tok-" + std::to_string(i + 1));
  }
  EXPECT_EQ(Count("idempotency_keys"), 0);
}

// Migration 0014 deletes the login answers (bearer tokens in clear) and the pending claims an
// older version stored, and keeps every other answer.
TEST(IdempotencyMigrationTest, StoredTokensAndPendingClaimsAreDeleted) {
  Result<std::unique_ptr<storage::Database>> opened = storage::testing::OpenTestDatabase(/*migrate=*/false);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  storage::Database& db = **opened;
  Result<std::vector<storage::Migration>> all =
      storage::SelectMigrations(storage::EmbeddedMigrationFiles(), db.dialect());
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  std::vector<storage::Migration> before;
  for (const storage::Migration& m : *all) {
    if (m.version < "0014") before.push_back(m);
  }
  ASSERT_LT(before.size(), all->size());
  ASSERT_TRUE(storage::ApplyMigrations(db, before).ok());

  struct Row {
    std::string key;
    std::string path;
    std::string state;
  };
  const std::vector<Row> rows = {
      {"login", "/api/v1/sessions", "done"},
      {"login-escaped", "/api/v1/%73essions", "done"},
      {"claim", "/api/v1/orgs", "pending"},
      {"kept", "/api/v1/orgs", "done"},
      {"kept-activation", "/api/v1/card-activations", "done"},
  };
  for (const Row& row : rows) {
    Status inserted = db.Write([&](storage::Tx& tx) {
      return tx
          .Exec(
              "INSERT INTO idempotency_keys (scope, key, method, path, body_hash, state, status, "
              "response_body, created_at, expires_at) VALUES ('addr:203.0.113.9', ?, 'POST', ?, 'h', ?, 201, "
              "'eyJ0b2tlbiI6InNlY3JldCJ9', ?, ?)",
              {row.key, row.path, row.state, kStartMs, kStartMs + kKeyLifetimeMs})
          .status();
    });
    ASSERT_TRUE(inserted.ok()) << row.key << ": " << inserted.ToString();
  }
  ASSERT_TRUE(storage::ApplyMigrations(db, *all).ok());

  std::vector<std::string> left;
  Status read = db.Read([&](storage::Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(std::vector<storage::Row> found,
                           tx.Query("SELECT key FROM idempotency_keys ORDER BY key"));
    for (const storage::Row& row : found) left.push_back(row.Text(0));
    return Status::Ok();
  });
  ASSERT_TRUE(read.ok()) << read.ToString();
  EXPECT_EQ(left, (std::vector<std::string>{"kept", "kept-activation"}));
}

}  // namespace
}  // namespace anxin::idempotency
