#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "common/clock.hpp"
#include "common/status.hpp"
#include "http/router.hpp"
#include "storage/database.hpp"

namespace anxin::idempotency {

// How long a key remembers its answer (Stripe keeps keys for 24 hours).
inline constexpr int64_t kKeyLifetimeMs = 24LL * 3600 * 1000;
// Expired rows are purged by Run at most this often.
inline constexpr int64_t kPurgeIntervalMs = 60LL * 1000;
// The longest accepted Idempotency-Key (Stripe's limit).
inline constexpr size_t kMaxKeyLength = 255;

// Stripe-style idempotency keys stored in the idempotency_keys table (migrations 0003, 0014).
//
// A key belongs to a scope: "user:<user id>" for authenticated callers, "addr:<client address>"
// otherwise, so different callers never collide. The handler of the first request with a key
// runs in a write session (storage::Database::WriteSession): its writes and the row holding its
// answer (status, content type, headers, body) commit in one transaction. After any crash a
// retry therefore finds both, and gets the same answer back (the router adds
// "Idempotent-Replayed: true"), or neither, and runs anew: never a second effect, never an
// effect without its answer.
//
// A retry with the same key and another method, path or body is refused (422); while a request
// with a key runs on this node, another with the same key gets 409 (on several PostgreSQL nodes
// both may run: the second to commit is undone and given the first's answer).
// Every answer below 500 is stored, client errors included; a 5xx answer keeps nothing: the
// session is rolled back, its writes undone, and a retry runs anew. Keys expire 24 hours after
// the request that stored them. Routes whose answer holds a secret never reach this store
// (http::Route::response_holds_secret).
//
// Thread-safe; safe across several nodes sharing one PostgreSQL database.
class IdempotencyStore final : public http::IdempotencyGuard {
 public:
  // `db` and `clock` must outlive the store.
  IdempotencyStore(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Answers `request` under `key` as http::IdempotencyGuard::Run describes. Also returns
  // kInvalidArgument "validation_failed" (field "Idempotency-Key") for an empty, over-long (> 255)
  // or non-printable key, and database errors as the Database reports them.
  Result<Answer> Run(const http::Request& request, std::string_view key,
                     const std::function<http::Response()>& handler) override;

  // Deletes expired keys and returns how many were deleted.
  Result<int> PurgeExpired();

  // Returns the scope of the caller of `request` ("user:<id>" or "addr:<address>").
  [[nodiscard]] static std::string ScopeOf(const http::Request& request);

 private:
  // Marks a (scope, key) as running on this node for its lifetime, if no other request has.
  class RunningClaim;

  // Returns the earlier request's answer under (`scope`, `key`) if it is live: its replay when it
  // was the same method, path and body, kInvalidArgument "idempotency_key_reused" otherwise;
  // nullopt when the key is free.
  Result<std::optional<Answer>> Earlier(const http::Request& request, const std::string& scope,
                                        const std::string& key, const std::string& body_hash);
  // Purges expired keys at most once per kPurgeIntervalMs.
  void PurgeNowAndThen();

  // Constant after construction.
  storage::Database& db_;
  const Clock& clock_;
  // When Run last purged (Unix ms); claimed by compare-exchange so one caller purges.
  std::atomic<int64_t> last_purge_ms_{0};

  // The (scope, key) pairs whose request is running on this node. Guarded by mu_.
  std::mutex mu_;
  std::unordered_set<std::string> running_;
};

}  // namespace anxin::idempotency
