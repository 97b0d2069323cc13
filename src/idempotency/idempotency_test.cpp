#include "idempotency/idempotency.hpp"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

  // Begins and expects a claim (the handler should run).
  void ExpectClaim(const http::Request& request, std::string_view key) {
    Result<std::optional<http::Response>> begun = store_->Begin(request, key);
    ASSERT_TRUE(begun.ok()) << begun.status().ToString();
    EXPECT_FALSE(begun->has_value());
  }

  int64_t CountKeys() {
    Result<int64_t> n = db_->ReadResult<int64_t>([](storage::Tx& tx) -> Result<int64_t> {
      ANXIN_ASSIGN_OR_RETURN(std::optional<storage::Row> row,
                             tx.QueryOne("SELECT COUNT(*) FROM idempotency_keys"));
      return row->Int(0);
    });
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : -1;
  }

  FakeClock clock_{kStartMs};
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<IdempotencyStore> store_;
};

TEST_F(IdempotencyStoreTest, FirstRequestClaimsAndARetryReplaysTheStoredResponse) {
  http::Request request = Post(R"({"name":"北京分公司"})");
  ExpectClaim(request, "key-1");
  store_->Finish(request, "key-1", Created(R"({"id":"O1"})"));

  clock_.Advance(10'000);
  Result<std::optional<http::Response>> replay = store_->Begin(request, "key-1");
  ASSERT_TRUE(replay.ok()) << replay.status().ToString();
  ASSERT_TRUE(replay->has_value());
  const http::Response& r = **replay;
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"id":"O1"})");
  EXPECT_THAT(r.headers,
              ::testing::ElementsAre(std::pair<std::string, std::string>("Location", "/api/v1/orgs/O1")));
}

TEST_F(IdempotencyStoreTest, StoresAnyBytesOfTheBody) {
  http::Request request = Post("{}");
  ExpectClaim(request, "k");
  http::Response response = Created(std::string("\x00\xff\xfe binary", 10));
  response.content_type = "application/octet-stream";
  store_->Finish(request, "k", response);
  Result<std::optional<http::Response>> replay = store_->Begin(request, "k");
  ASSERT_TRUE(replay.ok() && replay->has_value());
  EXPECT_EQ((*replay)->body, response.body);
  EXPECT_EQ((*replay)->content_type, "application/octet-stream");
}

TEST_F(IdempotencyStoreTest, ClientErrorsAreStoredAndReplayed) {
  http::Request request = Post("{}");
  ExpectClaim(request, "k");
  http::Response problem;
  problem.status = 400;
  problem.content_type = "application/problem+json";
  problem.body = R"({"code":"validation_failed"})";
  store_->Finish(request, "k", problem);
  Result<std::optional<http::Response>> replay = store_->Begin(request, "k");
  ASSERT_TRUE(replay.ok() && replay->has_value());
  EXPECT_EQ((*replay)->status, 400);
  EXPECT_EQ((*replay)->content_type, "application/problem+json");
  EXPECT_EQ((*replay)->body, problem.body);
}

TEST_F(IdempotencyStoreTest, SameKeyForAnotherRequestIsRejectedAsReused) {
  http::Request first = Post(R"({"name":"A"})");
  ExpectClaim(first, "k");
  store_->Finish(first, "k", Created("{}"));

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
    Result<std::optional<http::Response>> begun = store_->Begin(c.request, "k");
    ASSERT_FALSE(begun.ok());
    EXPECT_EQ(begun.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(begun.status().reason(), "idempotency_key_reused");
    EXPECT_EQ(http::HttpStatusFor(begun.status()), 422);
  }
}

TEST_F(IdempotencyStoreTest, RequestInFlightGetsInProgressUntilTheClaimIsStale) {
  http::Request request = Post("{}");
  ExpectClaim(request, "k");

  clock_.Advance(kStaleClaimMs - 1);
  Result<std::optional<http::Response>> begun = store_->Begin(request, "k");
  ASSERT_FALSE(begun.ok());
  EXPECT_EQ(begun.status().code(), StatusCode::kAborted);
  EXPECT_EQ(begun.status().reason(), "idempotency_in_progress");
  EXPECT_EQ(http::HttpStatusFor(begun.status()), 409);

  // The first request died between its commit and Finish: after 60 s a retry re-claims the key.
  clock_.Advance(1);
  ExpectClaim(request, "k");
  Result<std::optional<http::Response>> again = store_->Begin(request, "k");
  EXPECT_EQ(again.status().reason(), "idempotency_in_progress");
}

TEST_F(IdempotencyStoreTest, ServerErrorReleasesTheClaimSoARetryRunsAgain) {
  http::Request request = Post("{}");
  ExpectClaim(request, "k");
  http::Response failure;
  failure.status = 503;
  failure.body = "{}";
  store_->Finish(request, "k", failure);
  EXPECT_EQ(CountKeys(), 0);
  ExpectClaim(request, "k");
  store_->Finish(request, "k", Created("{}"));
  Result<std::optional<http::Response>> replay = store_->Begin(request, "k");
  ASSERT_TRUE(replay.ok() && replay->has_value());
  EXPECT_EQ((*replay)->status, 201);
}

TEST_F(IdempotencyStoreTest, KeysExpireAfter24Hours) {
  http::Request request = Post(R"({"a":1})");
  ExpectClaim(request, "k");
  store_->Finish(request, "k", Created("{}"));

  clock_.Advance(kKeyLifetimeMs - 1);
  Result<std::optional<http::Response>> replay = store_->Begin(request, "k");
  ASSERT_TRUE(replay.ok() && replay->has_value());

  // After 24 hours the key is forgotten: even another body may use it.
  clock_.Advance(1);
  ExpectClaim(Post(R"({"a":2})"), "k");
}

TEST_F(IdempotencyStoreTest, ExpiredKeysArePurgedByALaterBegin) {
  http::Request request = Post("{}");
  ExpectClaim(request, "k");
  store_->Finish(request, "k", Created("{}"));
  ExpectClaim(request, "other");  // purges (nothing expired yet) and arms the one-minute gate
  clock_.Advance(kKeyLifetimeMs + 1);
  // The gate has passed, so this Begin purges first; the key is claimed either way.
  ExpectClaim(Post(R"({"b":1})"), "k");
  EXPECT_EQ(CountKeys(), 1);
}

TEST_F(IdempotencyStoreTest, PurgeExpiredDeletesOnlyExpiredKeys) {
  for (const char* key : {"a", "b", "c"}) {
    ExpectClaim(Post("{}"), key);
    store_->Finish(Post("{}"), key, Created("{}"));
  }
  clock_.Advance(kKeyLifetimeMs / 2);
  ExpectClaim(Post("{}"), "d");
  clock_.Advance(kKeyLifetimeMs / 2);

  Result<int> purged = store_->PurgeExpired();
  ASSERT_TRUE(purged.ok()) << purged.status().ToString();
  EXPECT_EQ(*purged, 3);
  EXPECT_EQ(CountKeys(), 1);
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
    ExpectClaim(*request, "shared-key");
    store_->Finish(*request, "shared-key", Created(request->body));
  }
  for (const http::Request* request : {&alice, &bob, &anonymous_a, &anonymous_b}) {
    Result<std::optional<http::Response>> replay = store_->Begin(*request, "shared-key");
    ASSERT_TRUE(replay.ok() && replay->has_value());
    EXPECT_EQ((*replay)->body, request->body);
  }
}

TEST_F(IdempotencyStoreTest, ConcurrentFirstRequestsClaimOnce) {
  constexpr int kThreads = 8;
  std::atomic<int> claimed{0};
  std::atomic<int> in_progress{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      Result<std::optional<http::Response>> begun = store_->Begin(Post("{}"), "race");
      if (begun.ok() && !begun->has_value()) ++claimed;
      if (!begun.ok() && begun.status().reason() == "idempotency_in_progress") ++in_progress;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(claimed.load(), 1);
  EXPECT_EQ(in_progress.load(), kThreads - 1);
}

TEST_F(IdempotencyStoreTest, RejectsMalformedKeys) {
  for (const std::string& key : {std::string(), std::string(256, 'k'), std::string("tab\there")}) {
    Result<std::optional<http::Response>> begun = store_->Begin(Post("{}"), key);
    ASSERT_FALSE(begun.ok());
    EXPECT_EQ(begun.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(begun.status().fields().at(0).field, "Idempotency-Key");
  }
  ExpectClaim(Post("{}"), std::string(255, 'k'));
}

// End to end through the router: the handler runs once, the retry is replayed with exactly one
// Idempotent-Replayed header.
TEST_F(IdempotencyStoreTest, RouterRunsTheHandlerOnceAndMarksTheReplay) {
  class AllowAll final : public http::Authenticator {
   public:
    Result<Principal> Authenticate(std::string_view, const http::Request&) override {
      Principal p;
      p.user_id = "U1";
      p.permissions = {"org.write"};
      return p;
    }
  } auth;
  int calls = 0;
  http::Router router;
  router.SetAuthenticator(&auth);
  router.SetIdempotencyGuard(store_.get());
  http::Route route;
  route.method = "POST";
  route.pattern = "/api/v1/orgs";
  route.permission = "org.write";
  route.summary = "test";
  route.tag = "test";
  route.handler = [&calls](http::Request&) -> Result<http::Response> {
    ++calls;
    return http::JsonResponse(201, {{"call", calls}});
  };
  router.Add(std::move(route));

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
}

}  // namespace
}  // namespace anxin::idempotency
