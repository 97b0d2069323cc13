#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/status.hpp"
#include "http/router.hpp"
#include "storage/database.hpp"

namespace anxin::idempotency {

// How long a key remembers its response (Stripe keeps keys for 24 hours).
inline constexpr int64_t kKeyLifetimeMs = 24LL * 3600 * 1000;
// A pending claim older than this is taken to belong to a request that died; a retry re-claims it.
inline constexpr int64_t kStaleClaimMs = 60LL * 1000;
// Expired rows are purged by Begin at most this often.
inline constexpr int64_t kPurgeIntervalMs = 60LL * 1000;
// The longest accepted Idempotency-Key (Stripe's limit).
inline constexpr size_t kMaxKeyLength = 255;

// Stripe-style idempotency keys stored in the idempotency_keys table (migration 0003).
//
// A key belongs to a scope: "user:<user id>" for authenticated callers, "addr:<client address>"
// otherwise, so different callers never collide. The first request with a key claims it (state
// 'pending') in a write transaction; the router then runs the handler, and Finish stores the
// response (any status below 500) so a retry with the same method, path and body gets the same
// status, body and headers back (the router adds "Idempotent-Replayed: true"). A 5xx response
// releases the claim so a retry runs again. Keys expire 24 hours after they were claimed.
//
// Known gap: the handler's transaction and the stored response are two transactions. If the
// process dies between the handler's commit and Finish, the claim stays pending; a retry gets 409
// "idempotency_in_progress" until the claim is 60 seconds old, then re-claims it and runs the
// handler again, which then must cope with its own earlier effects (unique constraints, state
// checks).
//
// Thread-safe; safe across several nodes sharing one PostgreSQL database.
class IdempotencyStore final : public http::IdempotencyGuard {
 public:
  // `db` and `clock` must outlive the store.
  IdempotencyStore(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Claims `key` for the caller of `request`. Returns nullopt when the handler should run (the key
  // was new, expired, or its pending claim stale); the stored response (without the replay header,
  // which the router adds) when this request was already answered; kInvalidArgument "idempotency_key_reused"
  // (HTTP 422) when the key was used with another method, path or body; kAborted "idempotency_in_progress"
  // (HTTP 409) while the first request still runs; kInvalidArgument "validation_failed" (field
  // "Idempotency-Key") for an empty, over-long (> 255) or non-printable key; database errors as
  // Database::Write reports them.
  Result<std::optional<http::Response>> Begin(const http::Request& request, std::string_view key) override;

  // Stores `response` for the key claimed by Begin (status < 500), or releases the claim (5xx).
  // Failures are logged: the claim then expires as a stale pending claim.
  void Finish(const http::Request& request, std::string_view key, const http::Response& response) override;

  // Deletes expired keys and returns how many were deleted.
  Result<int> PurgeExpired();

  // Returns the scope of the caller of `request` ("user:<id>" or "addr:<address>").
  [[nodiscard]] static std::string ScopeOf(const http::Request& request);

 private:
  // Constant after construction.
  storage::Database& db_;
  const Clock& clock_;
  // When Begin last purged (Unix ms); claimed by compare-exchange so one caller purges.
  std::atomic<int64_t> last_purge_ms_{0};
};

}  // namespace anxin::idempotency
