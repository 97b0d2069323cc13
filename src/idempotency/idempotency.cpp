#include "idempotency/idempotency.hpp"

#include <string>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "common/crypto.hpp"
#include "idempotency/idempotency_store.hpp"

namespace anxin::idempotency {
namespace {

constexpr const char* kReplayHeader = "Idempotent-Replayed";

Status ValidateKey(std::string_view key) {
  bool printable = true;
  for (char c : key) {
    if (c < 0x20 || c > 0x7e) printable = false;
  }
  if (key.empty() || key.size() > kMaxKeyLength || !printable) {
    return Status::InvalidField("Idempotency-Key", "invalid_format",
                                {"Idempotency-Key 必须是 1 到 255 个可打印 ASCII 字符",
                                 "Idempotency-Key must be 1 to 255 printable ASCII characters"});
  }
  return Status::Ok();
}

std::string EncodeHeaders(const std::vector<std::pair<std::string, std::string>>& headers) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [name, value] : headers) {
    if (name == kReplayHeader) continue;  // the router adds it to every replay
    out.push_back({name, value});
  }
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

http::Response Replay(const store::KeyRow& row) {
  http::Response response;
  response.status = row.status;
  response.content_type = row.content_type;
  Result<std::string> body = Base64Decode(row.response_body);
  if (body.ok()) response.body = std::move(body).value();
  nlohmann::json headers = nlohmann::json::parse(row.response_headers, nullptr, /*allow_exceptions=*/false);
  if (headers.is_array()) {
    for (const nlohmann::json& pair : headers) {
      if (pair.is_array() && pair.size() == 2 && pair[0].is_string() && pair[1].is_string()) {
        response.headers.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
      }
    }
  }
  return response;
}

enum class Outcome { kClaimed, kReplay, kReused, kInProgress };

}  // namespace

std::string IdempotencyStore::ScopeOf(const http::Request& request) {
  if (request.principal && !request.principal->user_id.empty()) return "user:" + request.principal->user_id;
  return "addr:" + request.client_address;
}

Result<std::optional<http::Response>> IdempotencyStore::Begin(const http::Request& request,
                                                              std::string_view key) {
  ANXIN_RETURN_IF_ERROR(ValidateKey(key));
  const int64_t now = clock_.NowMs();
  int64_t last_purge = last_purge_ms_.load();
  if (now - last_purge >= kPurgeIntervalMs && last_purge_ms_.compare_exchange_strong(last_purge, now)) {
    Result<int> purged = PurgeExpired();
    if (!purged.ok())
      spdlog::warn("idempotency: purging expired keys failed: {}", purged.status().ToString());
  }

  store::Claim claim;
  claim.scope = ScopeOf(request);
  claim.key = std::string(key);
  claim.method = request.method;
  claim.path = request.path;
  claim.body_hash = Sha256Hex(request.body);
  claim.created_at = now;
  claim.expires_at = now + kKeyLifetimeMs;

  Outcome outcome = Outcome::kClaimed;
  std::optional<store::KeyRow> stored;
  Status written = db_.Write([&](storage::Tx& tx) -> Status {
    outcome = Outcome::kClaimed;
    ANXIN_ASSIGN_OR_RETURN(stored, store::Find(tx, claim.scope, claim.key));
    if (!stored) {
      ANXIN_ASSIGN_OR_RETURN(bool inserted, store::InsertClaim(tx, claim));
      if (!inserted) outcome = Outcome::kInProgress;
      return Status::Ok();
    }
    const bool expired = stored->expires_at <= now;
    if (!expired && (stored->method != claim.method || stored->path != claim.path ||
                     stored->body_hash != claim.body_hash)) {
      outcome = Outcome::kReused;
      return Status::Ok();
    }
    if (!expired && stored->state == "done") {
      outcome = Outcome::kReplay;
      return Status::Ok();
    }
    if (!expired && now - stored->created_at < kStaleClaimMs) {
      outcome = Outcome::kInProgress;
      return Status::Ok();
    }
    ANXIN_ASSIGN_OR_RETURN(bool replaced, store::ReplaceClaim(tx, claim, stored->created_at));
    if (!replaced) outcome = Outcome::kInProgress;
    return Status::Ok();
  });
  ANXIN_RETURN_IF_ERROR(written);

  switch (outcome) {
    case Outcome::kClaimed:
      return std::optional<http::Response>();
    case Outcome::kReplay:
      return std::optional<http::Response>(Replay(*stored));
    case Outcome::kReused:
      return Status::Detailed(
          StatusDetail::kUnprocessable, "idempotency_key_reused",
          {"该 Idempotency-Key 已用于另一个请求", "this Idempotency-Key was used for a different request"});
    case Outcome::kInProgress:
      return Status(StatusCode::kAborted, "idempotency_in_progress",
                    {"使用该 Idempotency-Key 的请求正在处理中，请稍后重试",
                     "a request with this Idempotency-Key is still in progress; retry later"});
  }
  return Status::Internal("idempotency: unknown outcome");
}

void IdempotencyStore::Finish(const http::Request& request, std::string_view key,
                              const http::Response& response) {
  const std::string scope = ScopeOf(request);
  const std::string key_text(key);
  const std::string body_hash = Sha256Hex(request.body);
  Status written;
  if (response.status >= 500) {
    written = db_.Write([&](storage::Tx& tx) { return store::Release(tx, scope, key_text, body_hash); });
  } else {
    const std::string body = Base64Encode(response.body);
    const std::string headers = EncodeHeaders(response.headers);
    bool completed = false;
    written = db_.Write([&](storage::Tx& tx) -> Status {
      ANXIN_ASSIGN_OR_RETURN(completed, store::Complete(tx, scope, key_text, body_hash, response.status,
                                                        response.content_type, body, headers));
      return Status::Ok();
    });
    if (written.ok() && !completed) {
      spdlog::warn("idempotency: the claim for a key of {} was gone when its response arrived", scope);
    }
  }
  if (!written.ok()) spdlog::warn("idempotency: storing a response failed: {}", written.ToString());
}

Result<int> IdempotencyStore::PurgeExpired() {
  const int64_t now = clock_.NowMs();
  ANXIN_ASSIGN_OR_RETURN(int64_t deleted, db_.WriteResult<int64_t>([&](storage::Tx& tx) {
    return store::DeleteExpired(tx, now);
  }));
  return static_cast<int>(deleted);
}

}  // namespace anxin::idempotency
