#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace anxin {

// The small set of error categories every layer speaks. Choose by what the caller can do about it:
//   kInvalidArgument    the input is wrong whatever the state (bad field, bad format). HTTP 400 (or
//                       the detail's status: 405, 415, 422).
//   kNotFound           the object does not exist or the caller may not know it exists. HTTP 404.
//   kAlreadyExists      a unique thing is taken (login, code, idempotency key in flight). HTTP 409.
//   kFailedPrecondition the input is fine but the object's state forbids the action. HTTP 409.
//   kPermissionDenied   the caller is known but may not do this. HTTP 403.
//   kUnauthenticated    no valid credentials. HTTP 401.
//   kResourceExhausted  too many attempts, rate limited, locked, too large, too slow. HTTP 429 (or the
//                       detail's status: 413, 431, 408).
//   kAborted            a concurrency conflict; retrying may succeed. HTTP 409.
//   kUnavailable        a dependency is down; retry later. HTTP 503.
//   kInternal           a bug or an invariant broken. HTTP 500; never caused by client input.
enum class StatusCode {
  kOk,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kPermissionDenied,
  kUnauthenticated,
  kResourceExhausted,
  kAborted,
  kUnavailable,
  kInternal,
};

// Returns the lower-case name of `code` ("invalid_argument").
std::string_view StatusCodeName(StatusCode code);

// Refines a code for the few errors that HTTP answers with a status of their own. Services use
// kNone; the transport (server, router, JSON reader) and the idempotency layer set the others
// through Status::Detailed, which fixes the code each detail belongs to. The router's one mapping
// switch reads the detail first, so a new detail without an HTTP status fails to compile.
enum class StatusDetail {
  kNone,                  // the code alone decides
  kMethodNotAllowed,      // kInvalidArgument: the path exists, not with this method. HTTP 405.
  kUnsupportedMediaType,  // kInvalidArgument: the body's Content-Type is not accepted. HTTP 415.
  kUnprocessable,         // kInvalidArgument: well-formed but contradicts an earlier request (an
                          // Idempotency-Key reused with another request). HTTP 422.
  kPayloadTooLarge,       // kResourceExhausted: the request body exceeds the limit. HTTP 413.
  kHeaderTooLarge,        // kResourceExhausted: the request headers exceed the limit. HTTP 431.
  kRequestTimeout,        // kResourceExhausted: the client did not send its request in time. HTTP 408.
};

// Returns the code `detail` refines (kOk for kNone).
StatusCode StatusCodeFor(StatusDetail detail);

// A message in the users' two languages. `zh` is the default; `en` may be empty, in which case
// `zh` is shown to everyone.
struct Text {
  std::string zh;
  std::string en;

  // Returns the text for `lang` ("zh" or "en"), falling back to the other language.
  [[nodiscard]] const std::string& In(std::string_view lang) const;
};

// One offending field of a validation failure. `field` is a JSON path such as "holder.id_number";
// `code` is stable ("required", "invalid_checksum", "too_long", ...).
struct FieldError {
  std::string field;
  std::string code;
  Text message;
};

// The outcome of an operation: OK, or an error with a category (`code`), a stable machine reason
// (`reason`, e.g. "card_not_activatable", shown to clients as the problem's `code`), a human
// message, for validation failures the offending fields, optionally a StatusDetail and, for
// kResourceExhausted, how long the caller should wait before retrying.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string reason, Text message, std::vector<FieldError> fields = {})
      : code_(code), reason_(std::move(reason)), message_(std::move(message)), fields_(std::move(fields)) {}

  static Status Ok() { return {}; }

  // Builds a kInvalidArgument status with reason "validation_failed" and the given fields.
  static Status Invalid(std::vector<FieldError> fields);
  // Builds a kInvalidArgument status for one field.
  static Status InvalidField(std::string field, std::string code, Text message);
  // Builds a kNotFound status with reason "not_found" naming the kind of object (e.g. "product").
  static Status NotFound(std::string_view what);
  // Builds a kInternal status with reason "internal_error" and a generic message; `detail` goes to
  // the log only (log_detail(), ToString()), never to the client.
  static Status Internal(std::string detail);
  // Builds a status refined by `detail` (not kNone), with the code that detail belongs to
  // (StatusCodeFor).
  static Status Detailed(StatusDetail detail, std::string reason, Text message);

  // Returns this status with a hint of how long the caller should wait before trying again
  // (rendered as Retry-After): `wait` rounded up to whole seconds, at least one second.
  [[nodiscard]] Status WithRetryAfter(std::chrono::milliseconds wait) &&;
  [[nodiscard]] Status WithRetryAfter(std::chrono::milliseconds wait) const&;

  [[nodiscard]] bool ok() const { return code_ == StatusCode::kOk; }
  [[nodiscard]] StatusCode code() const { return code_; }
  [[nodiscard]] const std::string& reason() const { return reason_; }
  [[nodiscard]] const Text& message() const { return message_; }
  [[nodiscard]] const std::vector<FieldError>& fields() const { return fields_; }
  [[nodiscard]] StatusDetail detail() const { return detail_; }
  // Returns the retry hint set by WithRetryAfter, or nullopt.
  [[nodiscard]] std::optional<std::chrono::seconds> retry_after() const { return retry_after_; }
  // Returns what went wrong for the operators (set by Internal()); never shown to clients.
  [[nodiscard]] const std::string& log_detail() const { return log_detail_; }

  // Returns a one-line description for logs ("not_found: 产品不存在"), with the field paths and
  // codes of a validation failure and the log detail of an internal error.
  [[nodiscard]] std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string reason_;
  Text message_;
  std::vector<FieldError> fields_;
  std::string log_detail_;
  StatusDetail detail_ = StatusDetail::kNone;
  std::optional<std::chrono::seconds> retry_after_;
};

// A value of type T or an error Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : data_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return std::holds_alternative<T>(data_); }
  [[nodiscard]] const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(data_);
  }
  [[nodiscard]] Status take_status() && { return ok() ? Status() : std::get<Status>(std::move(data_)); }

  [[nodiscard]] T& value() & { return std::get<T>(data_); }
  [[nodiscard]] const T& value() const& { return std::get<T>(data_); }
  [[nodiscard]] T&& value() && { return std::get<T>(std::move(data_)); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace anxin

#define ANXIN_CONCAT_INNER(a, b) a##b
#define ANXIN_CONCAT(a, b) ANXIN_CONCAT_INNER(a, b)

// Returns from the enclosing function if `expr` (a Status) is not OK.
#define ANXIN_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::anxin::Status anxin_status_ = (expr);        \
    if (!anxin_status_.ok()) return anxin_status_; \
  } while (false)

// Evaluates `expr` (a Result<T>); on error returns its Status, else moves the value into `lhs`.
#define ANXIN_ASSIGN_OR_RETURN(lhs, expr) \
  ANXIN_ASSIGN_OR_RETURN_IMPL(ANXIN_CONCAT(anxin_result_, __LINE__), lhs, expr)
// `tmp` and `lhs` cannot be parenthesised: `lhs` may be a declaration ("auto x").
// NOLINTBEGIN(bugprone-macro-parentheses)
#define ANXIN_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr)   \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return std::move(tmp).take_status(); \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)
