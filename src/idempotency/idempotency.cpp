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
// The seal's error when a live row holds the key at commit: another node answered first.
constexpr const char* kKeyTakenReason = "idempotency_key_taken";

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

Status InProgress() {
  return {StatusCode::kAborted,
          "idempotency_in_progress",
          {"使用该 Idempotency-Key 的请求正在处理中，请稍后重试",
           "a request with this Idempotency-Key is still in progress; retry later"}};
}

Status Reused() {
  return Status::Detailed(
      StatusDetail::kUnprocessable, "idempotency_key_reused",
      {"该 Idempotency-Key 已用于另一个请求", "this Idempotency-Key was used for a different request"});
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

}  // namespace

class IdempotencyStore::RunningClaim {
 public:
  RunningClaim(IdempotencyStore& store, std::string name) : store_(store), name_(std::move(name)) {
    std::lock_guard lock(store_.mu_);
    held_ = store_.running_.insert(name_).second;
  }
  ~RunningClaim() {
    if (!held_) return;
    std::lock_guard lock(store_.mu_);
    store_.running_.erase(name_);
  }
  RunningClaim(const RunningClaim&) = delete;
  RunningClaim& operator=(const RunningClaim&) = delete;

  [[nodiscard]] bool held() const { return held_; }

 private:
  IdempotencyStore& store_;
  const std::string name_;
  bool held_ = false;
};

std::string IdempotencyStore::ScopeOf(const http::Request& request) {
  if (request.principal && !request.principal->user_id.empty()) return "user:" + request.principal->user_id;
  return "addr:" + request.client_address;
}

Result<http::IdempotencyGuard::Answer> IdempotencyStore::Run(const http::Request& request,
                                                             std::string_view key,
                                                             const std::function<http::Response()>& handler) {
  ANXIN_RETURN_IF_ERROR(ValidateKey(key));
  PurgeNowAndThen();

  store::StoredAnswer stored;
  stored.scope = ScopeOf(request);
  stored.key = std::string(key);
  stored.method = request.method;
  stored.path = request.path;
  stored.body_hash = Sha256Hex(request.body);

  // Keys are printable ASCII and scopes hold no control character: '\x1f' separates them.
  RunningClaim running(*this, stored.scope + '\x1f' + stored.key);
  if (!running.held()) return InProgress();
  ANXIN_ASSIGN_OR_RETURN(std::optional<Answer> earlier,
                         Earlier(request, stored.scope, stored.key, stored.body_hash));
  if (earlier) return std::move(*earlier);

  const int64_t now = clock_.NowMs();
  stored.created_at = now;
  stored.expires_at = now + kKeyLifetimeMs;
  http::Response response;
  Status committed = db_.WriteSession([&]() -> storage::SessionEnd {
    response = handler();
    storage::SessionEnd end;
    if (response.status >= 500) {
      end.rollback = true;  // a server error keeps nothing, so a retry runs anew
      return end;
    }
    // Encoded here, on the request's thread, so that the seal is only the insert.
    stored.status = response.status;
    stored.content_type = response.content_type;
    stored.body_base64 = Base64Encode(response.body);
    stored.headers_json = EncodeHeaders(response.headers);
    end.seal = [&stored, now](storage::Tx& tx) -> Status {
      ANXIN_ASSIGN_OR_RETURN(bool inserted, store::Store(tx, stored, now));
      if (inserted) return Status::Ok();
      return {StatusCode::kAlreadyExists, kKeyTakenReason, {"幂等键已被占用", "idempotency key taken"}};
    };
    return end;
  });
  if (committed.ok()) return Answer{std::move(response), false};
  if (committed.reason() == kKeyTakenReason) {
    // Another node committed a request with this key first; its answer is this request's.
    ANXIN_ASSIGN_OR_RETURN(std::optional<Answer> first,
                           Earlier(request, stored.scope, stored.key, stored.body_hash));
    if (first) return std::move(*first);
    return InProgress();
  }
  return committed;
}

Result<std::optional<http::IdempotencyGuard::Answer>> IdempotencyStore::Earlier(
    const http::Request& request, const std::string& scope, const std::string& key,
    const std::string& body_hash) {
  std::optional<store::KeyRow> row;
  ANXIN_RETURN_IF_ERROR(db_.Read([&](storage::Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(row, store::Find(tx, scope, key));
    return Status::Ok();
  }));
  // Expired rows, and claims left pending by versions before migration 0014, hold the key no more.
  if (!row || row->state != "done" || row->expires_at <= clock_.NowMs()) return std::optional<Answer>();
  if (row->method != request.method || row->path != request.path || row->body_hash != body_hash) {
    return Reused();
  }
  return std::optional<Answer>(Answer{Replay(*row), true});
}

void IdempotencyStore::PurgeNowAndThen() {
  const int64_t now = clock_.NowMs();
  int64_t last_purge = last_purge_ms_.load();
  if (now - last_purge < kPurgeIntervalMs || !last_purge_ms_.compare_exchange_strong(last_purge, now)) return;
  Result<int> purged = PurgeExpired();
  if (!purged.ok()) spdlog::warn("idempotency: purging expired keys failed: {}", purged.status().ToString());
}

Result<int> IdempotencyStore::PurgeExpired() {
  const int64_t now = clock_.NowMs();
  ANXIN_ASSIGN_OR_RETURN(int64_t deleted, db_.WriteResult<int64_t>([&](storage::Tx& tx) {
    return store::DeleteExpired(tx, now);
  }));
  return static_cast<int>(deleted);
}

}  // namespace anxin::idempotency
