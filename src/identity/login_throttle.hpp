#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/crypto.hpp"
#include "common/status.hpp"
#include "identity/session_store.hpp"
#include "storage/database.hpp"

namespace anxin::identity {

// One counting rule: `max_failures` failures within a fixed window of `window_ms` (starting at
// the window's first failure) block for `block_ms` after the one that reaches the limit; every
// further failure in the same window blocks again.
struct ThrottleRule {
  int64_t max_failures = 5;
  int64_t window_ms = 15LL * 60 * 1000;
  int64_t block_ms = 15LL * 60 * 1000;
};

// The three counters of the login throttle and how long a success trusts its pair. Defaults:
// - pair (one login from one address): 5 failures in 15 min block that pair for 15 min. This is
//   the rule a guesser at one address meets first; a success resets it.
// - client (one address, any login): 20 failures in 10 min block the address for 10 min, so one
//   address cannot spray many logins 4 at a time.
// - login (one login, any address): 100 failures in 1 h slow the login for every address: each
//   failure from the 100th on blocks it for 15 min, until the hour is over. Only a distributed
//   attack reaches it; an address a login succeeded from in the last 30 days (`trusted_pair_ms`)
//   is exempt, so the real user's own address still gets in.
struct ThrottleSettings {
  ThrottleRule pair{5, 15LL * 60 * 1000, 15LL * 60 * 1000};
  ThrottleRule client{20, 10LL * 60 * 1000, 10LL * 60 * 1000};
  ThrottleRule login{100, 60LL * 60 * 1000, 15LL * 60 * 1000};
  int64_t trusted_pair_ms = 30LL * 24 * 3600 * 1000;
};

// Returns `counter` after one more failure at `now_ms` under `rule`.
[[nodiscard]] ThrottleCounter CountFailure(ThrottleCounter counter, const ThrottleRule& rule, int64_t now_ms);

// The keys of the three counters of one attempt: keyed hashes (KeyRing::LookupHash) of the login
// text, the client address and both, so neither is stored in clear.
struct ThrottleKeys {
  std::string pair;
  std::string client;
  std::string login;
};

// Returns the keys for an attempt at `login` (normalised: trimmed, lower case) from
// `client_address`.
[[nodiscard]] ThrottleKeys ThrottleKeysFor(const KeyRing& keys, std::string_view login,
                                           std::string_view client_address);
// Returns the key of the login-wide counter of `login`.
[[nodiscard]] std::string LoginThrottleKey(const KeyRing& keys, std::string_view login);

// The login throttle over a SessionStore: failed logins counted per (login, address), per address
// and per login, in the database so every node sees the same counts. It never waits: a blocked
// attempt is told at once how long to wait. Thread-safe; `store` must outlive it.
class LoginThrottle {
 public:
  LoginThrottle(SessionStore& store, ThrottleSettings settings) : store_(store), settings_(settings) {}

  // Returns the milliseconds until an attempt with `keys` may be made (0: now). The login-wide
  // block does not apply to a trusted pair.
  Result<int64_t> BlockedFor(storage::Tx& tx, const ThrottleKeys& keys, int64_t now_ms) const;
  // Counts one failure on the three counters.
  Status RecordFailure(storage::Tx& tx, const ThrottleKeys& keys, int64_t now_ms) const;
  // Resets the pair's counter after a success and trusts the pair for `trusted_pair_ms`.
  Status RecordSuccess(storage::Tx& tx, const ThrottleKeys& keys, int64_t now_ms) const;

  [[nodiscard]] const ThrottleSettings& settings() const { return settings_; }

 private:
  Status Count(storage::Tx& tx, ThrottleScope scope, const std::string& key, const ThrottleRule& rule,
               int64_t now_ms) const;

  // Constant after construction.
  SessionStore& store_;
  const ThrottleSettings settings_;
};

}  // namespace anxin::identity
