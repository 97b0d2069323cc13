#include "common/status.hpp"

#include <gtest/gtest.h>

namespace anxin {
namespace {

TEST(StatusTest, DefaultIsOk) {
  Status status;
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kOk);
  EXPECT_EQ(status.ToString(), "ok");
}

TEST(StatusTest, CodeNamesAreLowerCaseAndDistinct) {
  const std::vector<std::pair<StatusCode, std::string_view>> cases = {
      {StatusCode::kOk, "ok"},
      {StatusCode::kInvalidArgument, "invalid_argument"},
      {StatusCode::kNotFound, "not_found"},
      {StatusCode::kAlreadyExists, "already_exists"},
      {StatusCode::kFailedPrecondition, "failed_precondition"},
      {StatusCode::kPermissionDenied, "permission_denied"},
      {StatusCode::kUnauthenticated, "unauthenticated"},
      {StatusCode::kResourceExhausted, "resource_exhausted"},
      {StatusCode::kAborted, "aborted"},
      {StatusCode::kUnavailable, "unavailable"},
      {StatusCode::kInternal, "internal"},
  };
  for (const auto& [code, name] : cases) EXPECT_EQ(StatusCodeName(code), name);
}

TEST(StatusTest, DetailedTakesTheCodeItsDetailBelongsTo) {
  const std::vector<std::pair<StatusDetail, StatusCode>> cases = {
      {StatusDetail::kMethodNotAllowed, StatusCode::kInvalidArgument},
      {StatusDetail::kUnsupportedMediaType, StatusCode::kInvalidArgument},
      {StatusDetail::kUnprocessable, StatusCode::kInvalidArgument},
      {StatusDetail::kPayloadTooLarge, StatusCode::kResourceExhausted},
      {StatusDetail::kHeaderTooLarge, StatusCode::kResourceExhausted},
      {StatusDetail::kRequestTimeout, StatusCode::kResourceExhausted},
  };
  for (const auto& [detail, code] : cases) {
    Status status = Status::Detailed(detail, "why", {"原因", "Why"});
    EXPECT_EQ(status.code(), code);
    EXPECT_EQ(status.detail(), detail);
    EXPECT_EQ(status.reason(), "why");
    EXPECT_EQ(status.message().en, "Why");
  }
  EXPECT_EQ(Status(StatusCode::kInvalidArgument, "x", {"x", "x"}).detail(), StatusDetail::kNone);
  // Without a detail there is nothing to refine: a programming error, never an OK status.
  EXPECT_EQ(Status::Detailed(StatusDetail::kNone, "x", {"x", "x"}).code(), StatusCode::kInternal);
}

TEST(StatusTest, RetryAfterRoundsUpToWholeSeconds) {
  const Status limited(StatusCode::kResourceExhausted, "too_many_attempts", {"稍后", "Later"});
  EXPECT_EQ(limited.retry_after(), std::nullopt);
  EXPECT_EQ(limited.WithRetryAfter(std::chrono::milliseconds(1000)).retry_after(), std::chrono::seconds(1));
  EXPECT_EQ(limited.WithRetryAfter(std::chrono::milliseconds(1001)).retry_after(), std::chrono::seconds(2));
  EXPECT_EQ(limited.WithRetryAfter(std::chrono::milliseconds(0)).retry_after(), std::chrono::seconds(1));
  EXPECT_EQ(limited.WithRetryAfter(std::chrono::minutes(30)).retry_after(), std::chrono::seconds(1800));
  Status moved = Status(limited).WithRetryAfter(std::chrono::seconds(7));
  EXPECT_EQ(moved.retry_after(), std::chrono::seconds(7));
  EXPECT_EQ(moved.reason(), "too_many_attempts");
  EXPECT_EQ(moved.code(), StatusCode::kResourceExhausted);
}

TEST(TextTest, PicksLanguageAndFallsBack) {
  const Text both{"中文", "English"};
  EXPECT_EQ(both.In("zh"), "中文");
  EXPECT_EQ(both.In("en"), "English");
  EXPECT_EQ(both.In("fr"), "中文");
  const Text zh_only{"中文", ""};
  EXPECT_EQ(zh_only.In("en"), "中文");
  const Text en_only{"", "English"};
  EXPECT_EQ(en_only.In("zh"), "English");
}

TEST(StatusTest, InvalidFieldCarriesOneFieldError) {
  Status status =
      Status::InvalidField("holder.id_number", "invalid_checksum", Text{"校验位错误", "Bad check"});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.reason(), "validation_failed");
  ASSERT_EQ(status.fields().size(), 1u);
  EXPECT_EQ(status.fields()[0].field, "holder.id_number");
  EXPECT_EQ(status.fields()[0].code, "invalid_checksum");
  EXPECT_EQ(status.fields()[0].message.en, "Bad check");
  EXPECT_FALSE(status.message().zh.empty());
  EXPECT_FALSE(status.message().en.empty());
  EXPECT_EQ(status.ToString(), "validation_failed: 请求参数有误 [holder.id_number: invalid_checksum]");
}

TEST(StatusTest, InvalidKeepsEveryField) {
  Status status =
      Status::Invalid({{"a", "required", {"必填", "Required"}}, {"b", "too_long", {"过长", "Too long"}}});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  ASSERT_EQ(status.fields().size(), 2u);
  EXPECT_EQ(status.fields()[1].code, "too_long");
}

TEST(StatusTest, NotFoundNamesKnownKindsInBothLanguages) {
  const std::vector<std::tuple<std::string_view, std::string, std::string>> cases = {
      {"product", "产品不存在", "product not found"},
      {"user", "用户不存在", "user not found"},
      {"org", "机构不存在", "org not found"},
      {"session", "会话不存在", "session not found"},
      {"policy", "保单不存在", "policy not found"},
      {"card", "保险卡不存在", "card not found"},
      {"claim", "理赔案件不存在", "claim not found"},
      {"audit_event", "审计记录不存在", "audit event not found"},
      {"spaceship", "对象不存在", "spaceship not found"},
  };
  for (const auto& [kind, zh, en] : cases) {
    Status status = Status::NotFound(kind);
    EXPECT_EQ(status.code(), StatusCode::kNotFound) << kind;
    EXPECT_EQ(status.reason(), "not_found") << kind;
    EXPECT_EQ(status.message().zh, zh) << kind;
    EXPECT_EQ(status.message().en, en) << kind;
  }
  EXPECT_EQ(Status::NotFound("product").ToString(), "not_found: 产品不存在");
}

TEST(StatusTest, InternalHidesDetailFromMessageButKeepsItForLogs) {
  Status status = Status::Internal("sqlite: disk I/O error on /var/lib/anxin.db");
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_EQ(status.reason(), "internal_error");
  EXPECT_EQ(status.message().zh.find("sqlite"), std::string::npos);
  EXPECT_EQ(status.message().en.find("sqlite"), std::string::npos);
  EXPECT_TRUE(status.fields().empty());
  EXPECT_EQ(status.log_detail(), "sqlite: disk I/O error on /var/lib/anxin.db");
  EXPECT_NE(status.ToString().find("disk I/O error"), std::string::npos);
}

Status FailIfNegative(int x) {
  if (x < 0) return Status::InvalidField("x", "negative", Text{"不能为负", "Must not be negative"});
  return Status::Ok();
}

Result<int> Half(int x) {
  ANXIN_RETURN_IF_ERROR(FailIfNegative(x));
  if (x % 2 != 0) return Status::InvalidField("x", "odd", Text{"必须为偶数", "Must be even"});
  return x / 2;
}

Result<int> Quarter(int x) {
  ANXIN_ASSIGN_OR_RETURN(int half, Half(x));
  ANXIN_ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

TEST(ResultTest, MacrosPropagateErrorsAndValues) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> odd = Quarter(6);
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.status().fields()[0].code, "odd");
  Result<int> negative = Quarter(-4);
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.status().fields()[0].code, "negative");
  EXPECT_TRUE(Quarter(4).status().ok());
}

}  // namespace
}  // namespace anxin
