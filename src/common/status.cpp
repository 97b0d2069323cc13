#include "common/status.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

namespace anxin {

namespace {

struct KindName {
  std::string_view kind;
  std::string_view zh;
};

// The Chinese names of the objects NotFound() is called with; other kinds get a generic message.
constexpr std::array<KindName, 8> kKindNames = {{
    {"product", "产品"},
    {"user", "用户"},
    {"org", "机构"},
    {"session", "会话"},
    {"policy", "保单"},
    {"card", "保险卡"},
    {"claim", "理赔案件"},
    {"audit_event", "审计记录"},
}};

}  // namespace

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kAlreadyExists:
      return "already_exists";
    case StatusCode::kFailedPrecondition:
      return "failed_precondition";
    case StatusCode::kPermissionDenied:
      return "permission_denied";
    case StatusCode::kUnauthenticated:
      return "unauthenticated";
    case StatusCode::kResourceExhausted:
      return "resource_exhausted";
    case StatusCode::kAborted:
      return "aborted";
    case StatusCode::kUnavailable:
      return "unavailable";
    case StatusCode::kInternal:
      return "internal";
  }
  return "unknown";
}

StatusCode StatusCodeFor(StatusDetail detail) {
  switch (detail) {
    case StatusDetail::kNone:
      return StatusCode::kOk;
    case StatusDetail::kMethodNotAllowed:
    case StatusDetail::kUnsupportedMediaType:
    case StatusDetail::kUnprocessable:
      return StatusCode::kInvalidArgument;
    case StatusDetail::kPayloadTooLarge:
    case StatusDetail::kHeaderTooLarge:
    case StatusDetail::kRequestTimeout:
      return StatusCode::kResourceExhausted;
  }
  return StatusCode::kInternal;
}

const std::string& Text::In(std::string_view lang) const {
  if (lang == "en") return en.empty() ? zh : en;
  return zh.empty() ? en : zh;
}

Status Status::Invalid(std::vector<FieldError> fields) {
  return Status(StatusCode::kInvalidArgument, "validation_failed",
                Text{"请求参数有误", "The request has invalid fields"}, std::move(fields));
}

Status Status::InvalidField(std::string field, std::string code, Text message) {
  std::vector<FieldError> fields;
  fields.push_back(FieldError{std::move(field), std::move(code), std::move(message)});
  return Invalid(std::move(fields));
}

Status Status::NotFound(std::string_view what) {
  std::string zh = "对象不存在";
  for (const KindName& k : kKindNames) {
    if (k.kind == what) {
      zh = std::string(k.zh) + "不存在";
      break;
    }
  }
  std::string en(what.empty() ? std::string_view("object") : what);
  for (char& c : en) {
    if (c == '_') c = ' ';
  }
  en += " not found";
  return Status(StatusCode::kNotFound, "not_found", Text{std::move(zh), std::move(en)});
}

Status Status::Internal(std::string detail) {
  Status status(StatusCode::kInternal, "internal_error", Text{"服务器内部错误", "Internal server error"});
  status.log_detail_ = std::move(detail);
  return status;
}

Status Status::Detailed(StatusDetail detail, std::string reason, Text message) {
  if (detail == StatusDetail::kNone) return Internal("Status::Detailed without a detail: " + reason);
  Status status(StatusCodeFor(detail), std::move(reason), std::move(message));
  status.detail_ = detail;
  return status;
}

Status Status::WithRetryAfter(std::chrono::milliseconds wait) && {
  const int64_t seconds = (std::max<int64_t>(wait.count(), 1) + 999) / 1000;
  retry_after_ = std::chrono::seconds(seconds);
  return std::move(*this);
}

Status Status::WithRetryAfter(std::chrono::milliseconds wait) const& {
  Status copy = *this;
  return std::move(copy).WithRetryAfter(wait);
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out = reason_.empty() ? std::string(StatusCodeName(code_)) : reason_;
  out += ": " + message_.In("zh");
  if (!fields_.empty()) {
    out += " [";
    for (size_t i = 0; i < fields_.size(); ++i) {
      if (i > 0) out += ", ";
      out += fields_[i].field + ": " + fields_[i].code;
    }
    out += "]";
  }
  if (!log_detail_.empty()) out += " (" + log_detail_ + ")";
  return out;
}

}  // namespace anxin
