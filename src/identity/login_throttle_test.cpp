// The login throttle's counting rule (pure: no database).
#include "identity/login_throttle.hpp"

#include <gtest/gtest.h>

namespace anxin::identity {
namespace {

constexpr int64_t kT0 = 1767225600000;
constexpr int64_t kMinute = 60 * 1000;
const ThrottleRule kRule{5, 15 * kMinute, 10 * kMinute};

ThrottleCounter Fail(ThrottleCounter c, int times, int64_t at) {
  for (int i = 0; i < times; ++i) c = CountFailure(c, kRule, at);
  return c;
}

TEST(LoginThrottleTest, TheFailureThatReachesTheLimitBlocks) {
  ThrottleCounter c = Fail({}, 4, kT0);
  EXPECT_EQ(c.failures, 4);
  EXPECT_EQ(c.window_start_ms, kT0);
  EXPECT_EQ(c.blocked_until_ms, 0);
  c = CountFailure(c, kRule, kT0 + kMinute);
  EXPECT_EQ(c.failures, 5);
  EXPECT_EQ(c.blocked_until_ms, kT0 + 11 * kMinute);
}

TEST(LoginThrottleTest, EveryFurtherFailureInTheWindowBlocksAgain) {
  ThrottleCounter c = Fail({}, 5, kT0);
  c = CountFailure(c, kRule, kT0 + 12 * kMinute);  // after the block, still in the window
  EXPECT_EQ(c.failures, 6);
  EXPECT_EQ(c.blocked_until_ms, kT0 + 22 * kMinute);
}

TEST(LoginThrottleTest, AFailureAfterTheWindowStartsANewOne) {
  ThrottleCounter c = Fail({}, 4, kT0);
  c = CountFailure(c, kRule, kT0 + 15 * kMinute);
  EXPECT_EQ(c.failures, 1);
  EXPECT_EQ(c.window_start_ms, kT0 + 15 * kMinute);
  EXPECT_EQ(c.blocked_until_ms, 0);
}

TEST(LoginThrottleTest, AnOlderBlockIsNeverShortened) {
  ThrottleCounter c{kT0, 0, kT0 + 60 * kMinute, 0};
  c = Fail(c, 5, kT0);
  EXPECT_EQ(c.blocked_until_ms, kT0 + 60 * kMinute);
}

TEST(LoginThrottleTest, KeysAreKeyedHashesDistinctPerScope) {
  InitCrypto();
  KeyRing keys = KeyRing::FromKey(std::array<uint8_t, 32>{7});
  KeyRing other = KeyRing::FromKey(std::array<uint8_t, 32>{8});
  ThrottleKeys a = ThrottleKeysFor(keys, "admin", "198.51.100.1");
  ThrottleKeys b = ThrottleKeysFor(keys, "admin", "198.51.100.2");
  EXPECT_EQ(a.login, b.login);
  EXPECT_NE(a.client, b.client);
  EXPECT_NE(a.pair, b.pair);
  EXPECT_EQ(a.login, LoginThrottleKey(keys, "admin"));
  EXPECT_NE(a.login, ThrottleKeysFor(other, "admin", "198.51.100.1").login);
  EXPECT_EQ(a.login.find("admin"), std::string::npos);
  EXPECT_NE(ThrottleKeysFor(keys, "198.51.100.1", "admin").pair, a.pair);
}

}  // namespace
}  // namespace anxin::identity
