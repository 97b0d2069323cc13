#include "common/clock.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace anxin {

namespace {

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

bool IsLeapYear(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads `n` decimal digits at `pos` of `text`; returns -1 if any is not a digit or out of range.
int ReadDigits(std::string_view text, size_t pos, size_t n) {
  if (pos + n > text.size()) return -1;
  int value = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!IsDigit(text[i])) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

Status FormatError(std::string_view field, Text message) {
  return Status::InvalidField(std::string(field), "invalid_format", std::move(message));
}

Status DateError(std::string_view field) {
  return Status::InvalidField(std::string(field), "invalid_date",
                              Text{"日期不存在", "The date does not exist"});
}

// Parses "YYYY-MM-DD" at the start of `text` (exactly 10 characters). On a shape error returns
// invalid_format; on an impossible date invalid_date.
Result<Date> ParseDatePart(std::string_view text, std::string_view field, const Text& format_message) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return FormatError(field, format_message);
  const int year = ReadDigits(text, 0, 4);
  const int month = ReadDigits(text, 5, 2);
  const int day = ReadDigits(text, 8, 2);
  if (year < 0 || month < 0 || day < 0) return FormatError(field, format_message);
  if (!IsValidDate(year, month, day)) return DateError(field);
  return Date{year, month, day};
}

}  // namespace

Date Clock::Today() const { return DateOf(NowMs()); }

int64_t SystemClock::NowMs() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

bool IsValidDate(int year, int month, int day) {
  if (month < 1 || month > 12) return false;
  return day >= 1 && day <= DaysInMonth(year, month);
}

// Proleptic Gregorian day counting with 400-year eras whose years start on March 1, so the leap day
// is the last day of its year.
int64_t DaysFromCivil(const Date& date) {
  const int64_t y = static_cast<int64_t>(date.year) - (date.month <= 2 ? 1 : 0);
  const int64_t era = FloorDiv(y, 400);
  const int64_t year_of_era = y - era * 400;                                          // [0, 399]
  const int64_t month_from_march = date.month > 2 ? date.month - 3 : date.month + 9;  // [0, 11]
  const int64_t day_of_year = (153 * month_from_march + 2) / 5 + date.day - 1;        // [0, 365]
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;  // 719468: days from 0000-03-01 to 1970-01-01
}

Date CivilFromDays(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = FloorDiv(z, 146097);
  const int64_t day_of_era = z - era * 146097;  // [0, 146096]
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;  // [0, 399]
  const int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month_from_march = (5 * day_of_year + 2) / 153;
  const int day = static_cast<int>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  const int month = static_cast<int>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  const int year = static_cast<int>(year_of_era + era * 400 + (month <= 2 ? 1 : 0));
  return Date{year, month, day};
}

Date DateOf(int64_t ms) { return CivilFromDays(FloorDiv(ms + kShanghaiOffsetMs, kDayMs)); }

int64_t StartOfDayMs(const Date& date) { return DaysFromCivil(date) * kDayMs - kShanghaiOffsetMs; }

Date AddDays(const Date& date, int64_t days) { return CivilFromDays(DaysFromCivil(date) + days); }

Date AddMonths(const Date& date, int months) {
  const int64_t index = static_cast<int64_t>(date.year) * 12 + (date.month - 1) + months;
  const int64_t year = FloorDiv(index, 12);
  const int month = static_cast<int>(index - year * 12) + 1;
  const int day = std::min(date.day, DaysInMonth(year, month));
  return Date{static_cast<int>(year), month, day};
}

Date AddYears(const Date& date, int years) { return AddMonths(date, years * 12); }

int AgeOn(const Date& birth, const Date& on) {
  int age = on.year - birth.year;
  // Comparing (month, day) pairs makes a Feb 29 birthday count from Mar 1 in common years.
  if (on.month < birth.month || (on.month == birth.month && on.day < birth.day)) --age;
  return age;
}

std::string FormatTimestamp(int64_t ms) {
  const int64_t local = ms + kShanghaiOffsetMs;
  const int64_t days = FloorDiv(local, kDayMs);
  const int64_t in_day = local - days * kDayMs;
  const Date date = CivilFromDays(days);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+08:00", date.year, date.month, date.day,
                static_cast<int>(in_day / 3600000), static_cast<int>(in_day / 60000 % 60),
                static_cast<int>(in_day / 1000 % 60), static_cast<int>(in_day % 1000));
  return buf;
}

Result<int64_t> ParseTimestamp(std::string_view text) { return ParseTimestamp(text, "timestamp"); }

Result<int64_t> ParseTimestamp(std::string_view text, std::string_view field) {
  const Text format_message{"时间格式应为 RFC 3339，如 2026-11-21T17:32:00+08:00",
                            "Expected an RFC 3339 timestamp such as 2026-11-21T17:32:00+08:00"};
  // "YYYY-MM-DDTHH:MM:SS" then the fraction and the offset.
  if (text.size() < 20) return FormatError(field, format_message);
  if (text[10] != 'T' && text[10] != 't') return FormatError(field, format_message);
  if (text[13] != ':' || text[16] != ':') return FormatError(field, format_message);
  const int hour = ReadDigits(text, 11, 2);
  const int minute = ReadDigits(text, 14, 2);
  const int second = ReadDigits(text, 17, 2);
  if (hour < 0 || minute < 0 || second < 0) return FormatError(field, format_message);
  if (hour > 23 || minute > 59 || second > 59) return FormatError(field, format_message);

  size_t pos = 19;
  int64_t millis = 0;
  if (text[pos] == '.') {
    ++pos;
    const size_t start = pos;
    while (pos < text.size() && IsDigit(text[pos])) {
      if (pos - start < 3) millis = millis * 10 + (text[pos] - '0');
      ++pos;
    }
    const size_t count = pos - start;
    if (count == 0 || count > 9) return FormatError(field, format_message);
    for (size_t i = count; i < 3; ++i) millis *= 10;
  }

  int64_t offset_ms = 0;
  if (pos >= text.size()) return FormatError(field, format_message);
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    if (pos + 6 != text.size() || text[pos + 3] != ':') return FormatError(field, format_message);
    const int off_hour = ReadDigits(text, pos + 1, 2);
    const int off_minute = ReadDigits(text, pos + 4, 2);
    if (off_hour < 0 || off_minute < 0 || off_hour > 23 || off_minute > 59) {
      return FormatError(field, format_message);
    }
    offset_ms = (off_hour * 60LL + off_minute) * 60000;
    if (text[pos] == '-') offset_ms = -offset_ms;
    pos += 6;
  } else {
    return FormatError(field, format_message);
  }
  if (pos != text.size()) return FormatError(field, format_message);

  Result<Date> date = ParseDatePart(text, field, format_message);
  if (!date.ok()) return std::move(date).take_status();
  const int64_t seconds = DaysFromCivil(*date) * 86400 + hour * 3600LL + minute * 60LL + second;
  return seconds * 1000 + millis - offset_ms;
}

std::string FormatDate(const Date& date) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buf;
}

Result<Date> ParseDate(std::string_view text) { return ParseDate(text, "date"); }

Result<Date> ParseDate(std::string_view text, std::string_view field) {
  const Text format_message{"日期格式应为 YYYY-MM-DD", "Expected a date as YYYY-MM-DD"};
  if (text.size() != 10) return FormatError(field, format_message);
  return ParseDatePart(text, field, format_message);
}

}  // namespace anxin
