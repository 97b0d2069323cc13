#include "identity/login_throttle.hpp"

#include <algorithm>
#include <optional>

namespace anxin::identity {

ThrottleCounter CountFailure(ThrottleCounter counter, const ThrottleRule& rule, int64_t now_ms) {
  if (counter.failures == 0 || now_ms >= counter.window_start_ms + rule.window_ms) {
    counter.window_start_ms = now_ms;
    counter.failures = 0;
  }
  ++counter.failures;
  if (counter.failures >= rule.max_failures) {
    counter.blocked_until_ms = std::max(counter.blocked_until_ms, now_ms + rule.block_ms);
  }
  return counter;
}

ThrottleKeys ThrottleKeysFor(const KeyRing& keys, std::string_view login, std::string_view client_address) {
  ThrottleKeys out;
  out.login = LoginThrottleKey(keys, login);
  out.client = keys.LookupHash("login_throttle_client", client_address);
  // Both parts are fixed-length hex, so no two (login, address) pairs share a key.
  out.pair = keys.LookupHash("login_throttle_pair", out.login + ":" + out.client);
  return out;
}

std::string LoginThrottleKey(const KeyRing& keys, std::string_view login) {
  return keys.LookupHash("login_throttle_login", login);
}

Result<int64_t> LoginThrottle::BlockedFor(storage::Tx& tx, const ThrottleKeys& keys, int64_t now_ms) const {
  ANXIN_ASSIGN_OR_RETURN(std::optional<ThrottleCounter> pair,
                         store_.FindThrottle(tx, ThrottleScope::kPair, keys.pair));
  ANXIN_ASSIGN_OR_RETURN(std::optional<ThrottleCounter> client,
                         store_.FindThrottle(tx, ThrottleScope::kClient, keys.client));
  ANXIN_ASSIGN_OR_RETURN(std::optional<ThrottleCounter> login,
                         store_.FindThrottle(tx, ThrottleScope::kLogin, keys.login));
  int64_t until = 0;
  if (pair) until = std::max(until, pair->blocked_until_ms);
  if (client) until = std::max(until, client->blocked_until_ms);
  const bool trusted = pair && pair->trusted_until_ms > now_ms;
  if (login && !trusted) until = std::max(until, login->blocked_until_ms);
  return std::max<int64_t>(0, until - now_ms);
}

Status LoginThrottle::Count(storage::Tx& tx, ThrottleScope scope, const std::string& key,
                            const ThrottleRule& rule, int64_t now_ms) const {
  ANXIN_ASSIGN_OR_RETURN(ThrottleCounter counter, store_.LockThrottle(tx, scope, key));
  counter = CountFailure(counter, rule, now_ms);
  const int64_t expires = std::max(
      {counter.window_start_ms + rule.window_ms, counter.blocked_until_ms, counter.trusted_until_ms});
  return store_.SaveThrottle(tx, scope, key, counter, expires);
}

Status LoginThrottle::RecordFailure(storage::Tx& tx, const ThrottleKeys& keys, int64_t now_ms) const {
  // Always in this order (pair, client, login), so concurrent transactions lock rows alike.
  ANXIN_RETURN_IF_ERROR(Count(tx, ThrottleScope::kPair, keys.pair, settings_.pair, now_ms));
  ANXIN_RETURN_IF_ERROR(Count(tx, ThrottleScope::kClient, keys.client, settings_.client, now_ms));
  return Count(tx, ThrottleScope::kLogin, keys.login, settings_.login, now_ms);
}

Status LoginThrottle::RecordSuccess(storage::Tx& tx, const ThrottleKeys& keys, int64_t now_ms) const {
  ANXIN_ASSIGN_OR_RETURN(ThrottleCounter counter, store_.LockThrottle(tx, ThrottleScope::kPair, keys.pair));
  counter.failures = 0;
  counter.window_start_ms = now_ms;
  counter.blocked_until_ms = 0;
  counter.trusted_until_ms = now_ms + settings_.trusted_pair_ms;
  return store_.SaveThrottle(tx, ThrottleScope::kPair, keys.pair, counter, counter.trusted_until_ms);
}

}  // namespace anxin::identity
