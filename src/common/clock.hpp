#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.hpp"

namespace anxin {

// The platform's time zone is Asia/Shanghai: UTC+08:00 all year (no daylight saving since 1991).
inline constexpr int64_t kShanghaiOffsetMs = 8LL * 3600 * 1000;
inline constexpr int64_t kDayMs = 24LL * 3600 * 1000;

// A civil date in Asia/Shanghai.
struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;

  friend bool operator==(const Date&, const Date&) = default;
  friend auto operator<=>(const Date&, const Date&) = default;
};

// Source of the current time. Inject it; never read the system clock in domain code.
class Clock {
 public:
  virtual ~Clock() = default;
  // Returns milliseconds since the Unix epoch.
  [[nodiscard]] virtual int64_t NowMs() const = 0;
  // Returns today's date in Asia/Shanghai.
  [[nodiscard]] Date Today() const;
};

class SystemClock final : public Clock {
 public:
  [[nodiscard]] int64_t NowMs() const override;
};

// A clock tests move by hand. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t now_ms) : now_ms_(now_ms) {}
  [[nodiscard]] int64_t NowMs() const override { return now_ms_.load(); }
  void Set(int64_t now_ms) { now_ms_.store(now_ms); }
  void Advance(int64_t delta_ms) { now_ms_.fetch_add(delta_ms); }

 private:
  std::atomic<int64_t> now_ms_;
};

// Returns true if y-m-d is a real calendar date (proleptic Gregorian).
[[nodiscard]] bool IsValidDate(int year, int month, int day);
// Days since 1970-01-01 for `date`, and back.
[[nodiscard]] int64_t DaysFromCivil(const Date& date);
[[nodiscard]] Date CivilFromDays(int64_t days);
// Returns the Asia/Shanghai date of instant `ms`.
[[nodiscard]] Date DateOf(int64_t ms);
// Returns the instant of 00:00 Asia/Shanghai on `date`.
[[nodiscard]] int64_t StartOfDayMs(const Date& date);
// Adds calendar days / months (clamping the day to the month's end) / years (Feb 29 + 1 year is
// Feb 28).
[[nodiscard]] Date AddDays(const Date& date, int64_t days);
[[nodiscard]] Date AddMonths(const Date& date, int months);
[[nodiscard]] Date AddYears(const Date& date, int years);
// Returns whole years from `birth` to `on` (the insured age on that date). A Feb 29 birthday is
// reached on Mar 1 in common years. Negative when `on` is before `birth`.
[[nodiscard]] int AgeOn(const Date& birth, const Date& on);

// Formats `ms` as RFC 3339 in Asia/Shanghai with milliseconds: "2026-11-21T17:32:00.000+08:00".
[[nodiscard]] std::string FormatTimestamp(int64_t ms);
// Parses an RFC 3339 timestamp "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+hh:mm|-hh:mm)" into Unix ms
// (fraction digits beyond milliseconds are truncated). The date must be real; leap seconds are not
// accepted. Otherwise returns kInvalidArgument "validation_failed" with one FieldError at `field`
// (code "invalid_format" or "invalid_date"); callers may re-file it under their own JSON path.
[[nodiscard]] Result<int64_t> ParseTimestamp(std::string_view text);
[[nodiscard]] Result<int64_t> ParseTimestamp(std::string_view text, std::string_view field);
// Formats and parses "YYYY-MM-DD" (exactly that shape; the date must be real). Errors as for
// ParseTimestamp; the one-argument form reports field "date".
[[nodiscard]] std::string FormatDate(const Date& date);
[[nodiscard]] Result<Date> ParseDate(std::string_view text);
[[nodiscard]] Result<Date> ParseDate(std::string_view text, std::string_view field);

}  // namespace anxin
