#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "cards/card_activation_routes.hpp"
#include "cards/card_activation_service.hpp"
#include "cards/card_activation_store.hpp"
#include "cards/card_test_support.hpp"
#include "idempotency/idempotency.hpp"
#include "ledger/ledger_store.hpp"
#include "notify/outbox_store.hpp"
#include "notify/sms_sender.hpp"
#include "policies/policy_json.hpp"
#include "policies/policy_service.hpp"

namespace anxin::cards {
namespace {

using nlohmann::json;

constexpr const char* kSmsSecret = "gateway-secret-for-tests";
constexpr const char* kClient = "198.51.100.7";
constexpr const char* kHolderPhone = "13812345678";
constexpr int64_t kMinuteMs = 60LL * 1000;

// Returns a resident ID number (RULES.md §5) for the 17 digits `body`, with its check character.
std::string ResidentId(const std::string& body) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kCheck[] = "10X98765432";
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (body[static_cast<size_t>(i)] - '0') * kWeights[i];
  return body + kCheck[sum % 11];
}

// A resident ID with a wrong check character.
std::string WithWrongCheck(const std::string& id) {
  std::string out = id;
  out.back() = out.back() == '0' ? '1' : '0';
  return out;
}

const std::string kHolderId = ResidentId("11010519820113001");       // male, 1982-01-13
const std::string kSpouseId = ResidentId("11010519850520002");       // female, 1985-05-20
const std::string kChildId = ResidentId("11010520120601003");        // male, 2012-06-01
const std::string kElderId = ResidentId("11010519500301004");        // female, 1950-03-01 (75)
const std::string kMinorHolderId = ResidentId("11010520100101005");  // male, 2010-01-01 (16)

struct TestCard {
  std::string serial;
  std::string password;
};

class CardActivationTest : public testing::CardTestBase {
 protected:
  void SetUp() override {
    testing::CardTestBase::SetUp();
    if (HasFatalFailure()) return;
    policies_ = std::make_unique<policies::PolicyService>(*db_, keys_, clock_, audit_);
    ledger_ = std::make_unique<ledger::SqlLedger>(clock_);
    outbox_ = std::make_unique<notify::SqlOutbox>(keys_, clock_);
    CardActivationSettings settings;
    settings.sms_inbound_secret = kSmsSecret;
    activation_ =
        std::make_unique<CardActivationService>(*db_, card_store_, activation_store_, *products_, *policies_,
                                                *ledger_, *outbox_, keys_, clock_, audit_, settings);
    RegisterCardActivationRoutes(router_, *activation_);
    type_ = MakeType(AccidentType());
  }

  // Makes `n` cards of `type` held by BJ01 and moves them to `status` (sold or awaiting
  // activation) as a confirmed payment would.
  std::vector<TestCard> Cards(const CardType& type, int64_t n,
                              CardStatus status = CardStatus::kAwaitingActivation) {
    CardBatch batch = MakeBatch(type, n);
    std::map<std::string, std::string> passwords = ExportPasswords(batch);
    StockToBj01(type, batch.first_seq, batch.last_seq);
    std::vector<TestCard> cards;
    for (int64_t seq = batch.first_seq; seq <= batch.last_seq; ++seq) {
      std::string serial = FormatSerial(type.serial_prefix, seq);
      cards.push_back({serial, passwords.at(serial)});
    }
    Status moved = db_->Write([&](storage::Tx& tx) -> Status {
      for (const TestCard& card : cards) {
        ANXIN_ASSIGN_OR_RETURN(
            bool sold, card_store_.Transition(tx, card.serial, CardStatus::kInStock, CardStatus::kSold,
                                              CardChange{}, clock_.NowMs()));
        if (!sold) return Status::Internal("not sold");
        if (status == CardStatus::kSold) continue;
        ANXIN_ASSIGN_OR_RETURN(
            bool paid, card_store_.Transition(tx, card.serial, CardStatus::kSold,
                                              CardStatus::kAwaitingActivation, CardChange{}, clock_.NowMs()));
        if (!paid) return Status::Internal("not paid");
      }
      return Status::Ok();
    });
    EXPECT_TRUE(moved.ok()) << moved.ToString();
    return cards;
  }

  TestCard OneCard() { return Cards(type_, 1).front(); }

  static json Holder() {
    return {{"name", "张三"}, {"id_type", "resident_id"}, {"id_number", kHolderId}, {"phone", kHolderPhone}};
  }

  static json ActivationBody(const TestCard& card) {
    return {{"serial", card.serial},
            {"password", card.password},
            {"plan_code", "A"},
            {"holder", Holder()},
            {"insured",
             {{"name", "李四"},
              {"id_type", "resident_id"},
              {"id_number", kSpouseId},
              {"birth_date", "1985-05-20"},
              {"sex", "female"},
              {"relationship", "spouse"}}},
            {"beneficiaries", json::array({{{"name", "张小明"},
                                            {"id_type", "resident_id"},
                                            {"id_number", kChildId},
                                            {"relationship", "child"},
                                            {"share_percent", 100}}})}};
  }

  static ActivationRequest RequestFor(const TestCard& card) {
    ActivationRequest request;
    request.card = {card.serial, card.password};
    request.plan_code = "A";
    request.holder.name = "张三";
    request.holder.id_number = kHolderId;
    request.holder.phone = kHolderPhone;
    return request;
  }

  static Actor Client(const std::string& address = kClient) {
    Actor actor;
    actor.request_id = "req-activation";
    actor.client_address = address;
    return actor;
  }

  http::Response Post(const std::string& path, const std::string& body,
                      std::map<std::string, std::string> headers = {}, const std::string& address = kClient) {
    http::Request request;
    request.method = "POST";
    request.path = path;
    request.headers = std::move(headers);
    request.headers["content-type"] = "application/json";
    request.body = body;
    request.request_id = "test-request";
    request.client_address = address;
    return router_.Handle(request);
  }
  http::Response Post(const std::string& path, const json& body, const std::string& address = kClient) {
    return Post(path, body.dump(), {}, address);
  }

  http::Response VerifyCard(const TestCard& card, const std::string& address = kClient) {
    return Post("/api/v1/card-activations/verify", json{{"serial", card.serial}, {"password", card.password}},
                address);
  }

  // Posts an SMS to the inbound webhook, signed with `secret` at `timestamp_s` (default now).
  http::Response Sms(const std::string& message_id, const std::string& text,
                     const std::string& from = kHolderPhone,
                     std::optional<int64_t> timestamp_s = std::nullopt,
                     const std::string& secret = kSmsSecret) {
    const std::string body = json{{"message_id", message_id}, {"from", from}, {"text", text}}.dump();
    const std::string ts = std::to_string(timestamp_s.value_or(clock_.NowMs() / 1000));
    return Post("/api/v1/sms/inbound", body,
                {{"x-anxin-timestamp", ts}, {"x-anxin-signature", notify::SignWebhook(secret, ts, body)}});
  }

  static json Body(const http::Response& response) { return json::parse(response.body); }

  // The attempt counters of card number `serial`.
  CardAttempts Attempts(const std::string& serial) {
    CardAttempts attempts;
    Status s = db_->Read([&](storage::Tx& tx) -> Status {
      ANXIN_ASSIGN_OR_RETURN(attempts, activation_store_.FindAttempts(tx, serial));
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return attempts;
  }

  int64_t Count(const std::string& sql, std::initializer_list<storage::Value> params) {
    std::optional<storage::Row> row = QueryRow(sql, params);
    return row ? row->Int(0) : -1;
  }
  int64_t PoliciesOf(const std::string& serial) {
    return Count("SELECT COUNT(*) FROM policies WHERE card_serial = ?", {serial});
  }
  int64_t Messages(const std::string& template_code) {
    return Count("SELECT COUNT(*) FROM outbox_messages WHERE template_code = ?", {template_code});
  }
  // The clear texts of the outbox messages of `template_code`, oldest first.
  std::vector<std::string> MessageTexts(const std::string& template_code) {
    std::vector<std::string> texts;
    Status s = db_->Read([&](storage::Tx& tx) -> Status {
      ANXIN_ASSIGN_OR_RETURN(
          std::vector<storage::Row> rows,
          tx.Query("SELECT text_enc FROM outbox_messages WHERE template_code = ? ORDER BY created_at, id",
                   {template_code}));
      for (const storage::Row& row : rows) {
        ANXIN_ASSIGN_OR_RETURN(std::string text, keys_.Open(row.Text(0)));
        texts.push_back(std::move(text));
      }
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return texts;
  }

  std::unique_ptr<policies::PolicyService> policies_;
  std::unique_ptr<ledger::SqlLedger> ledger_;
  std::unique_ptr<notify::SqlOutbox> outbox_;
  SqlCardActivationStore activation_store_;
  std::unique_ptr<CardActivationService> activation_;
  http::Router router_;
  CardType type_;
};

// --- card login verification ---

TEST_F(CardActivationTest, VerifyShowsTheProductPlansFaceValueAndStartRule) {
  TestCard card = OneCard();
  http::Response response = VerifyCard(card);
  ASSERT_EQ(response.status, 200) << response.body;
  json body = Body(response);
  EXPECT_EQ(body.at("serial"), card.serial);
  EXPECT_EQ(body.at("card_type").at("code"), "ACC1");
  EXPECT_EQ(body.at("product").at("code"), "ACCIDENT_ANNUAL");
  EXPECT_EQ(body.at("product").at("line_of_business"), "accident");
  EXPECT_FALSE(body.at("product").at("name_zh").get<std::string>().empty());
  ASSERT_EQ(body.at("plans").size(), 2u);
  EXPECT_EQ(body.at("plans")[0].at("code"), "A");
  EXPECT_EQ(body.at("plans")[1].at("code"), "B");
  const json& coverage = body.at("plans")[0].at("coverages").at(0);
  EXPECT_TRUE(coverage.contains("sum_insured_fen"));
  EXPECT_TRUE(coverage.contains("deductible_fen"));
  EXPECT_TRUE(coverage.contains("waiting_period_days"));
  EXPECT_EQ(body.at("premium_fen"), 9900);
  EXPECT_EQ(body.at("start_rule").at("rule"), "next_day");
  EXPECT_EQ(body.at("start_rule").at("earliest_start"), "2026-01-02");
  EXPECT_EQ(body.at("start_rule").at("latest_start"), "2026-01-02");
  EXPECT_EQ(body.at("insurable_age").at("min_age"), 18);
  EXPECT_EQ(body.at("insurable_age").at("max_age"), 65);
  EXPECT_EQ(body.at("term").at("unit"), "year");
  EXPECT_TRUE(body.at("valid_until").is_string());
}

TEST_F(CardActivationTest, VerifyAcceptsALowerCasePrefix) {
  TestCard card = OneCard();
  TestCard lower = card;
  for (char& c : lower.serial) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  http::Response response = VerifyCard(lower);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(Body(response).at("serial"), card.serial);
}

TEST_F(CardActivationTest, HolderChoiceCardOffersTheStartWindow) {
  CardType travel = MakeType(TravelType());
  TestCard card = Cards(travel, 1).front();
  http::Response response = VerifyCard(card);
  ASSERT_EQ(response.status, 200) << response.body;
  json body = Body(response);
  EXPECT_EQ(body.at("start_rule").at("rule"), "holder_choice");
  EXPECT_EQ(body.at("start_rule").at("earliest_start"), "2026-01-02");
  EXPECT_EQ(body.at("start_rule").at("latest_start"), "2026-01-31");
  EXPECT_EQ(body.at("insurable_age").at("min_age_days"), 28);
}

TEST_F(CardActivationTest, MalformedSerialIsAValidationErrorThatRevealsNothing) {
  TestCard card = OneCard();
  struct Case {
    std::string serial;
    std::string code;
  };
  std::string wrong_check = card.serial;
  wrong_check.back() = wrong_check.back() == '0' ? '1' : '0';
  for (const Case& c : std::vector<Case>{{"ACC12", "invalid_format"},
                                         {"A0000000001" + std::string("0"), "invalid_format"},
                                         {wrong_check, "invalid_checksum"}}) {
    http::Response response = VerifyCard({c.serial, card.password});
    EXPECT_EQ(response.status, 400) << c.serial;
    json body = Body(response);
    EXPECT_EQ(body.at("code"), "validation_failed");
    ASSERT_EQ(body.at("errors").size(), 1u);
    EXPECT_EQ(body.at("errors")[0].at("field"), "serial");
    EXPECT_EQ(body.at("errors")[0].at("code"), c.code) << c.serial;
  }
}

TEST_F(CardActivationTest, WrongNumberAndWrongPasswordAnswerIdentically) {
  TestCard card = OneCard();
  http::Response wrong_password = VerifyCard({card.serial, card.password + "1"});
  http::Response wrong_number = VerifyCard({FormatSerial("ACC", 999999), card.password});
  ASSERT_EQ(wrong_password.status, 403);
  EXPECT_EQ(wrong_number.status, wrong_password.status);
  json a = Body(wrong_password);
  json b = Body(wrong_number);
  EXPECT_EQ(a.at("code"), "invalid_card_credentials");
  EXPECT_EQ(a, b);  // code, title, detail, errors and everything else
  EXPECT_EQ(wrong_password.body, wrong_number.body);
}

TEST_F(CardActivationTest, CardNotYetPaidIsNotActivatable) {
  TestCard card = Cards(type_, 1, CardStatus::kSold).front();
  http::Response verify = VerifyCard(card);
  ASSERT_EQ(verify.status, 409) << verify.body;
  json body = Body(verify);
  EXPECT_EQ(body.at("code"), "card_not_activatable");
  EXPECT_EQ(body.at("errors")[0].at("field"), "card_status");
  EXPECT_EQ(body.at("errors")[0].at("code"), "sold");
  EXPECT_NE(body.at("detail").get<std::string>().find("尚未确认收费"), std::string::npos);

  http::Response activate = Post("/api/v1/card-activations", ActivationBody(card));
  EXPECT_EQ(activate.status, 409);
  EXPECT_EQ(Body(activate).at("code"), "card_not_activatable");
  EXPECT_EQ(PoliciesOf(card.serial), 0);
}

TEST_F(CardActivationTest, ExpiredCardIsNotActivatable) {
  TestCard card = OneCard();
  clock_.Advance(366LL * kDayMs);
  http::Response verify = VerifyCard(card);
  ASSERT_EQ(verify.status, 409) << verify.body;
  EXPECT_EQ(Body(verify).at("errors")[0].at("code"), "expired");
}

// --- failed attempts ---

TEST_F(CardActivationTest, FiveWrongPasswordsLockTheCardForThirtyMinutes) {
  TestCard card = OneCard();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(VerifyCard({card.serial, "wrong" + std::to_string(i)}).status, 403) << i;
  }
  CardAttempts locked = Attempts(card.serial);
  EXPECT_EQ(locked.failed_attempts, 5);
  EXPECT_EQ(locked.locked_until, clock_.NowMs() + 30 * kMinuteMs);
  EXPECT_EQ(AuditRecords("card.lock").size(), 1u);

  // Locked: even the right password is refused, from any address.
  http::Response refused = VerifyCard(card, "203.0.113.99");
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(Body(refused).at("code"), "too_many_attempts");
  EXPECT_EQ(Post("/api/v1/card-activations", ActivationBody(card)).status, 429);
  clock_.Advance(29 * kMinuteMs);
  EXPECT_EQ(VerifyCard(card).status, 429);

  clock_.Advance(1 * kMinuteMs);
  EXPECT_EQ(VerifyCard(card).status, 200);
  CardAttempts unlocked = Attempts(card.serial);
  EXPECT_EQ(unlocked.failed_attempts, 0);
  EXPECT_EQ(unlocked.locked_until, 0);
}

TEST_F(CardActivationTest, RightPasswordResetsTheRunOfWrongOnes) {
  TestCard card = OneCard();
  for (int i = 0; i < 4; ++i) EXPECT_EQ(VerifyCard({card.serial, "nope"}).status, 403);
  EXPECT_EQ(VerifyCard(card).status, 200);
  EXPECT_EQ(Attempts(card.serial).failed_attempts, 0);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(VerifyCard({card.serial, "nope"}).status, 403);
  EXPECT_EQ(VerifyCard(card).status, 200);
}

// Issue 6 §5: the lock must not tell a real card number from an invented one.
TEST_F(CardActivationTest, UnknownCardNumberLocksExactlyLikeARealOne) {
  TestCard real = OneCard();
  const TestCard fake{FormatSerial("ACC", 999999), real.password};
  auto header = [](const http::Response& r, const std::string& name) {
    for (const auto& [key, value] : r.headers) {
      if (key == name) return value;
    }
    return std::string();
  };
  for (int i = 0; i < 7; ++i) {
    SCOPED_TRACE(i);
    http::Response a = VerifyCard({real.serial, "wrong" + std::to_string(i)});
    http::Response b = VerifyCard({fake.serial, "wrong" + std::to_string(i)});
    EXPECT_EQ(a.status, i < 5 ? 403 : 429);
    EXPECT_EQ(b.status, a.status);
    EXPECT_EQ(Body(b), Body(a));
    EXPECT_EQ(header(b, "Retry-After"), header(a, "Retry-After"));
    if (i >= 5) {
      EXPECT_EQ(header(a, "Retry-After"), std::to_string(30 * 60));
    }
  }
  // The right password does not open either before the lock runs out, and the lookup shares it.
  EXPECT_EQ(VerifyCard(real).status, 429);
  EXPECT_EQ(VerifyCard(fake).status, 429);
  EXPECT_EQ(Post("/api/v1/card-activations/lookup", json{{"serial", fake.serial}, {"password", "x"}}).status,
            429);
  EXPECT_EQ(Attempts(fake.serial).failed_attempts, 5);
  EXPECT_EQ(AuditRecords("card.lock").size(), 2u);

  clock_.Advance(30 * kMinuteMs);
  EXPECT_EQ(VerifyCard(real).status, 200);
  EXPECT_EQ(VerifyCard(fake).status, 403);
}

TEST_F(CardActivationTest, IdleAttemptCountersArePurgedButLocksAreKept) {
  TestCard card = OneCard();
  for (int i = 0; i < 3; ++i) VerifyCard({card.serial, "nope"});
  for (int i = 0; i < 5; ++i) VerifyCard({FormatSerial("ACC", 4242), "nope"}, "203.0.113.5");
  clock_.Advance(25LL * 60 * kMinuteMs);
  // Locked again just now: kept.
  for (int i = 0; i < 5; ++i) VerifyCard({FormatSerial("ACC", 4343), "nope"}, "203.0.113.6");
  EXPECT_EQ(Must(activation_->PurgeAttempts()), 2);
  EXPECT_EQ(Attempts(card.serial).failed_attempts, 0);
  EXPECT_EQ(Attempts(FormatSerial("ACC", 4343)).failed_attempts, 5);
}

// --- the portal's look-up ---

TEST_F(CardActivationTest, LookupShowsTheCardAndOnceActivatedItsPolicy) {
  TestCard card = OneCard();
  http::Response before =
      Post("/api/v1/card-activations/lookup", json{{"serial", card.serial}, {"password", card.password}});
  ASSERT_EQ(before.status, 200) << before.body;
  json b = Body(before);
  EXPECT_EQ(b.at("card").at("serial"), card.serial);
  EXPECT_EQ(b.at("card").at("status"), "awaiting_activation");
  EXPECT_EQ(b.at("card").at("card_type_code"), "ACC1");
  EXPECT_TRUE(b.at("card").at("activated_at").is_null());
  EXPECT_TRUE(b.at("policy").is_null());

  http::Response activated = Post("/api/v1/card-activations", ActivationBody(card));
  ASSERT_EQ(activated.status, 201) << activated.body;
  json issued = Body(activated);

  http::Response after =
      Post("/api/v1/card-activations/lookup", json{{"serial", card.serial}, {"password", card.password}});
  ASSERT_EQ(after.status, 200) << after.body;
  json a = Body(after);
  EXPECT_EQ(a.at("card").at("status"), "activated");
  EXPECT_EQ(a.at("card").at("activated_at"), FormatTimestamp(clock_.NowMs()));
  const json& policy = a.at("policy");
  EXPECT_EQ(policy.at("status"), "in_force");
  EXPECT_EQ(policy.at("channel"), "web");
  // The same rendering as the activation answer: parties masked, coverages, names.
  for (const char* field : {"policy_id", "policy_no", "product", "plan", "premium_fen", "start_date",
                            "end_date", "parties", "coverages", "channel"}) {
    EXPECT_EQ(policy.at(field), issued.at(field)) << field;
  }
  EXPECT_EQ(after.body.find(kHolderId), std::string::npos);
  EXPECT_EQ(after.body.find(kHolderPhone), std::string::npos);

  // A wrong password is a failure like any other.
  http::Response wrong =
      Post("/api/v1/card-activations/lookup", json{{"serial", card.serial}, {"password", "00000000"}});
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(Body(wrong).at("code"), "invalid_card_credentials");
  EXPECT_EQ(Attempts(card.serial).failed_attempts, 1);
  http::Response malformed =
      Post("/api/v1/card-activations/lookup", json{{"serial", "X1"}, {"password", "1"}});
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(Body(malformed).at("errors")[0].at("field"), "serial");
}

// One rendering per resource: the activation answer shows the parties and coverages exactly as the
// policy API shows the same policy, and the coverages exactly as the card's offer showed the plan.
TEST_F(CardActivationTest, TheIssuedPolicyIsRenderedAsThePolicyApiAndTheOfferRenderIt) {
  TestCard card = OneCard();
  http::Response verified = VerifyCard(card);
  ASSERT_EQ(verified.status, 200) << verified.body;
  http::Response activated = Post("/api/v1/card-activations", ActivationBody(card));
  ASSERT_EQ(activated.status, 201) << activated.body;
  json issued = Body(activated);
  EXPECT_EQ(issued.at("coverages"), Body(verified).at("plans")[0].at("coverages"));

  Result<policies::Policy> policy = policies_->Get(As("admin"), issued.at("policy_id"));
  ASSERT_TRUE(policy.ok()) << policy.status().ToString();
  json rendered = policies::PolicyJson(*policy, "zh");
  EXPECT_EQ(rendered.at("parties"), issued.at("parties"));
  EXPECT_EQ(rendered.at("coverages"), issued.at("coverages"));
  // The insured gave no phone: null, not an empty text; only a beneficiary has a share.
  ASSERT_EQ(issued.at("parties").size(), 3u);
  EXPECT_TRUE(issued.at("parties")[1].at("phone").is_null());
  EXPECT_TRUE(issued.at("parties")[0].at("share_percent").is_null());
  EXPECT_EQ(issued.at("parties")[2].at("share_percent"), 100);
}

// --- staff activation on a holder's behalf ---

TEST_F(CardActivationTest, StaffActivateForTheHolderRecordingChannelAndStaffMember) {
  TestCard card = OneCard();
  ActivationRequest request = RequestFor(card);
  request.channel = ActivationChannel::kPhone;
  const Actor agent = As("cs.hq");
  Activation done = Must(activation_->ActivateForHolder(agent, request));
  EXPECT_EQ(done.channel, ActivationChannel::kPhone);
  EXPECT_EQ(done.entered_by, agent.principal->user_id);
  EXPECT_EQ(PoliciesOf(card.serial), 1);

  Result<std::vector<CardEvent>> events = db_->ReadResult<std::vector<CardEvent>>(
      [&](storage::Tx& tx) { return card_store_.Events(tx, card.serial); });
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->back().action, CardAction::kActivate);
  EXPECT_EQ(events->back().actor_id, agent.principal->user_id);
  EXPECT_EQ(events->back().detail.at("channel"), "phone");
  EXPECT_EQ(events->back().detail.at("entered_by"), agent.principal->user_id);

  std::vector<audit::AuditRecord> records = AuditRecords("card.activate");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].actor_id, agent.principal->user_id);
  json summary = json::parse(records[0].summary);
  EXPECT_EQ(summary.at("channel"), "phone");
  EXPECT_EQ(summary.at("entered_by"), agent.principal->user_id);
  // It records the policy's issue as well: no second record repeats it.
  EXPECT_EQ(summary.at("policy_id"), done.policy.id);
  EXPECT_EQ(summary.at("policy_no"), done.policy.policy_no);
  EXPECT_EQ(summary.at("premium_fen"), done.policy.premium.fen);
  EXPECT_TRUE(AuditRecords("policy.issue").empty());

  // The holder's own look-up shows who entered it.
  CardLookup lookup = Must(activation_->Lookup(Client(), {card.serial, card.password}));
  ASSERT_TRUE(lookup.activation.has_value());
  EXPECT_EQ(lookup.activation->channel, ActivationChannel::kPhone);
  EXPECT_EQ(lookup.activation->policy.id, done.policy.id);
}

TEST_F(CardActivationTest, StaffActivationNeedsThePermissionAStaffChannelAndTheCardInScope) {
  std::vector<TestCard> cards = Cards(type_, 3);  // held by BJ01
  ActivationRequest request = RequestFor(cards[0]);
  request.channel = ActivationChannel::kCounter;

  EXPECT_EQ(activation_->ActivateForHolder(Client(), request).status().reason(), "unauthenticated");
  EXPECT_EQ(activation_->ActivateForHolder(As("seller.bj01"), request).status().reason(),
            "permission_denied");
  // Shanghai's administrator may assist, but not with a Beijing card.
  Result<Activation> elsewhere = activation_->ActivateForHolder(As("sh.admin"), request);
  EXPECT_EQ(elsewhere.status().code(), StatusCode::kNotFound);
  request.channel = ActivationChannel::kWeb;
  EXPECT_EQ(activation_->ActivateForHolder(As("bj.admin"), request).status().fields().at(0).field, "channel");
  request.channel = ActivationChannel::kCounter;
  EXPECT_EQ(PoliciesOf(cards[0].serial), 0);
  Activation done = Must(activation_->ActivateForHolder(As("bj.admin"), request));
  EXPECT_EQ(done.channel, ActivationChannel::kCounter);

  // The public route takes no channel but web.
  ActivationRequest public_request = RequestFor(cards[1]);
  public_request.channel = ActivationChannel::kCounter;
  EXPECT_EQ(activation_->Activate(Client(), public_request).status().fields().at(0).field, "channel");

  // A staff member's wrong passwords count against the card number, as anyone's do.
  ActivationRequest wrong = RequestFor(cards[2]);
  wrong.channel = ActivationChannel::kPhone;
  wrong.card.password = "00000000";
  EXPECT_EQ(activation_->ActivateForHolder(As("cs.hq"), wrong).status().reason(), "invalid_card_credentials");
  EXPECT_EQ(Attempts(cards[2].serial).failed_attempts, 1);
}

// --- the SMS simulator's reply ---

TEST_F(CardActivationTest, HandledSmsCarriesTheReplyTheSenderGets) {
  TestCard card = OneCard();
  SmsOutcome bad = Must(activation_->HandleSms(Client(), {"m-1", kHolderPhone, "hello", std::nullopt}));
  EXPECT_FALSE(bad.activated);
  EXPECT_EQ(bad.reply, MessageTexts("card_activation_failed").at(0));
  SmsOutcome good = Must(activation_->HandleSms(
      Client(),
      {"m-2", kHolderPhone, "JH " + card.serial + " " + card.password + " 张三 " + kHolderId, std::nullopt}));
  EXPECT_TRUE(good.activated);
  EXPECT_EQ(good.reply, MessageTexts("card_activated").at(0));
  EXPECT_NE(good.reply.find("已激活"), std::string::npos);
}

TEST_F(CardActivationTest, MoreThanTwentyFailuresBlockTheAddressForFifteenMinutes) {
  TestCard card = OneCard();
  // Wrong numbers, so no card gets locked: only the address counts.
  for (int i = 0; i < 21; ++i) {
    EXPECT_EQ(VerifyCard({FormatSerial("ACC", 5000 + i), "guess"}).status, 403) << i;
  }
  http::Response blocked = VerifyCard(card);
  EXPECT_EQ(blocked.status, 429);
  EXPECT_EQ(VerifyCard(card, "203.0.113.50").status, 200);  // another address is not blocked
  EXPECT_EQ(AuditRecords("card.activation_client_blocked").size(), 1u);

  // A blocked address and a locked card cannot be told apart.
  TestCard other = Cards(type_, 1).front();
  for (int i = 0; i < 5; ++i) VerifyCard({other.serial, "nope"}, "192.0.2.1");
  http::Response locked = VerifyCard(other, "192.0.2.1");
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(Body(locked), Body(blocked));

  clock_.Advance(15 * kMinuteMs - 1);
  EXPECT_EQ(VerifyCard(card).status, 429);
  clock_.Advance(1);
  EXPECT_EQ(VerifyCard(card).status, 200);
}

TEST_F(CardActivationTest, TwentyFailuresSpreadOverMoreThanTenMinutesDoNotBlock) {
  TestCard card = OneCard();
  for (int i = 0; i < 15; ++i) EXPECT_EQ(VerifyCard({FormatSerial("ACC", 7000 + i), "x"}).status, 403);
  clock_.Advance(10 * kMinuteMs);
  for (int i = 0; i < 15; ++i) EXPECT_EQ(VerifyCard({FormatSerial("ACC", 8000 + i), "x"}).status, 403);
  EXPECT_EQ(VerifyCard(card).status, 200);
}

// --- activation ---

TEST_F(CardActivationTest, ActivationIssuesThePolicyPostsThePremiumAndTextsTheHolder) {
  TestCard card = OneCard();
  http::Response response = Post("/api/v1/card-activations", ActivationBody(card));
  ASSERT_EQ(response.status, 201) << response.body;
  json body = Body(response);
  const std::string policy_id = body.at("policy_id");
  const std::string policy_no = body.at("policy_no");
  EXPECT_EQ(body.at("serial"), card.serial);
  EXPECT_EQ(body.at("product").at("code"), "ACCIDENT_ANNUAL");
  EXPECT_EQ(body.at("plan").at("code"), "A");
  EXPECT_EQ(body.at("premium_fen"), 9900);
  EXPECT_EQ(body.at("start_date"), "2026-01-02");
  EXPECT_EQ(body.at("end_date"), "2027-01-01");
  ASSERT_EQ(body.at("parties").size(), 3u);
  // RULES.md §6: personal data masked in the answer.
  for (const json& party : body.at("parties")) {
    EXPECT_EQ(party.at("id_number").get<std::string>().find(kHolderId), std::string::npos);
    EXPECT_NE(party.at("id_number").get<std::string>().find('*'), std::string::npos);
  }
  EXPECT_EQ(response.body.find(kHolderPhone), std::string::npos);
  EXPECT_EQ(response.body.find(kSpouseId), std::string::npos);
  EXPECT_FALSE(body.at("coverages").empty());

  // The card: activated, linked to its policy, with its event.
  std::optional<Card> activated = LoadCard(card.serial);
  ASSERT_TRUE(activated);
  EXPECT_EQ(activated->status, CardStatus::kActivated);
  EXPECT_EQ(activated->policy_id, policy_id);
  Result<std::vector<CardEvent>> events = db_->ReadResult<std::vector<CardEvent>>(
      [&](storage::Tx& tx) { return card_store_.Events(tx, card.serial); });
  ASSERT_TRUE(events.ok());
  ASSERT_FALSE(events->empty());
  EXPECT_EQ(events->back().action, CardAction::kActivate);
  EXPECT_EQ(events->back().ref_id, policy_id);
  EXPECT_EQ(PoliciesOf(card.serial), 1);

  // The ledger: the advance premium becomes written premium, and the books balance.
  Result<std::vector<ledger::Entry>> entries = ledger_->EntriesFor(*db_, ledger::RefType::kPolicy, policy_id);
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_EQ(entries->size(), 1u);
  const ledger::Entry& entry = entries->front();
  EXPECT_NE(entry.memo.find("卡单激活出单"), std::string::npos);
  ASSERT_EQ(entry.lines.size(), 2u);
  for (const ledger::Line& line : entry.lines) {
    if (line.account == ledger::kAdvancePremium) {
      EXPECT_EQ(line.debit, Money::Fen(9900));
    } else {
      EXPECT_EQ(line.account, ledger::kPremiumIncome);
      EXPECT_EQ(line.credit, Money::Fen(9900));
    }
  }
  Result<ledger::TrialBalance> balance = ledger_->Balance(*db_);
  ASSERT_TRUE(balance.ok());
  EXPECT_TRUE(balance->balanced);

  // The SMS to the holder names the policy.
  std::vector<std::string> texts = MessageTexts("card_activated");
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_EQ(texts[0], "【安心保险】您的保险卡尾号" + card.serial.substr(card.serial.size() - 4) +
                          "已激活，保单号" + policy_no + "，保障期间2026-01-02至2027-01-01。");

  // The audit record: anonymous, with the client address.
  std::vector<audit::AuditRecord> audits = AuditRecords("card.activate");
  ASSERT_EQ(audits.size(), 1u);
  EXPECT_EQ(audits[0].actor_id, "anonymous");
  EXPECT_EQ(audits[0].client_address, kClient);
  EXPECT_EQ(audits[0].object_id, card.serial);
  EXPECT_EQ(audits[0].org_id, org_.at("BJ01"));
}

TEST_F(CardActivationTest, ActivatingTwiceAnswersCardNotActivatable) {
  TestCard card = OneCard();
  ASSERT_EQ(Post("/api/v1/card-activations", ActivationBody(card)).status, 201);
  http::Response again = Post("/api/v1/card-activations", ActivationBody(card));
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(Body(again).at("errors")[0].at("code"), "activated");
  EXPECT_EQ(PoliciesOf(card.serial), 1);
}

// The activation's one conditional update re-checks everything the credential check saw, so a card
// changed, locked or expired since then is not moved, and the move ends the number's run of wrong
// passwords (one typed between the check and the commit included).
TEST_F(CardActivationTest, TheActivatingUpdateMovesOnlyTheCardAsCheckedAndEndsItsRunOfFailures) {
  TestCard card = OneCard();
  std::optional<Card> checked = LoadCard(card.serial);
  ASSERT_TRUE(checked);
  const std::string hash = keys_.LookupHash("card_password", card.serial + ":" + card.password);
  const int64_t now = clock_.NowMs();
  auto set_attempts = [&](CardAttempts attempts) {
    ASSERT_TRUE(db_->Write([&](storage::Tx& tx) -> Status {
                     ANXIN_RETURN_IF_ERROR(activation_store_.LockAttempts(tx, card.serial).status());
                     return activation_store_.SaveAttempts(tx, card.serial, attempts);
                   })
                    .ok());
  };
  auto activate = [&](const std::string& password_hash, const std::string& org_id, int64_t at) {
    Result<bool> won = db_->WriteResult<bool>([&](storage::Tx& tx) {
      return activation_store_.Activate(tx, card.serial, password_hash, CardStatus::kAwaitingActivation,
                                        CardStatus::kActivated, org_id, checked->holder_org_path,
                                        std::string("P-TEST"), at);
    });
    EXPECT_TRUE(won.ok()) << won.status().ToString();
    return won.ok() && *won;
  };
  set_attempts({3, 0, now});
  EXPECT_FALSE(activate(std::string(64, '0'), checked->holder_org_id, now));
  EXPECT_FALSE(activate(hash, org_.at("HQ"), now));
  EXPECT_FALSE(activate(hash, checked->holder_org_id, checked->valid_until + 1));
  set_attempts({5, now + 1, now});
  EXPECT_FALSE(activate(hash, checked->holder_org_id, now));
  EXPECT_EQ(LoadCard(card.serial)->status, CardStatus::kAwaitingActivation);
  EXPECT_FALSE(LoadCard(card.serial)->policy_id);

  set_attempts({4, now, now});  // a lock that has run out
  EXPECT_TRUE(activate(hash, checked->holder_org_id, now));
  std::optional<Card> moved = LoadCard(card.serial);
  EXPECT_EQ(moved->status, CardStatus::kActivated);
  EXPECT_EQ(moved->policy_id, "P-TEST");
  EXPECT_EQ(Attempts(card.serial).failed_attempts, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM card_activation_attempts WHERE serial = ?", {card.serial}), 0);
  // Moved once only.
  EXPECT_FALSE(activate(hash, checked->holder_org_id, now));
}

TEST_F(CardActivationTest, InsuredIsHolderWithLegalHeirs) {
  TestCard card = OneCard();
  json body = ActivationBody(card);
  body.erase("insured");
  body.erase("beneficiaries");
  body["insured_is_holder"] = true;
  body["plan_code"] = "B";
  http::Response response = Post("/api/v1/card-activations", body);
  ASSERT_EQ(response.status, 201) << response.body;
  json out = Body(response);
  EXPECT_EQ(out.at("plan").at("code"), "B");
  ASSERT_EQ(out.at("parties").size(), 2u);
  for (const json& party : out.at("parties")) EXPECT_EQ(party.at("relationship"), "self");
}

TEST_F(CardActivationTest, HolderChoiceStartDateIsHonouredWithinTheWindow) {
  CardType travel = MakeType(TravelType());
  std::vector<TestCard> cards = Cards(travel, 3);
  auto body_for = [&](const TestCard& card, json start) {
    json body = ActivationBody(card);
    body["plan_code"] = "BASIC";
    if (!start.is_null()) body["start_date"] = start;
    return body;
  };
  struct Case {
    json start;
    int status;
    std::string code;
  };
  for (const Case& c : std::vector<Case>{
           {nullptr, 400, "required"},
           {"2026-01-01", 400, "start_date_outside_window"},
           {"2026-02-01", 400, "start_date_outside_window"},
           {"2026-13-01", 400, "invalid_format"}}) {  // the body kit's code for a malformed date
    http::Response response = Post("/api/v1/card-activations", body_for(cards[0], c.start));
    EXPECT_EQ(response.status, c.status) << c.start;
    EXPECT_EQ(Body(response).at("errors")[0].at("field"), "start_date") << c.start;
    EXPECT_EQ(Body(response).at("errors")[0].at("code"), c.code) << c.start;
  }
  http::Response ok = Post("/api/v1/card-activations", body_for(cards[1], "2026-01-31"));
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(Body(ok).at("start_date"), "2026-01-31");
  EXPECT_EQ(Body(ok).at("end_date"), "2026-02-06");  // 7 days
}

// Each case breaks one thing of a valid activation; the card must stay awaiting activation.
TEST_F(CardActivationTest, ValidationErrorsNameTheirFields) {
  TestCard card = OneCard();
  struct Case {
    std::string name;
    std::function<void(json&)> change;
    std::string field;
    std::string code;
  };
  const std::vector<Case> cases = {
      // RULES.md §5: the GB 11643 check character.
      {"bad ID checksum", [](json& b) { b["insured"]["id_number"] = WithWrongCheck(kSpouseId); },
       "insured.id_number", "invalid_checksum"},
      // RULES.md §5: the birth date is part of the number.
      {"birth date mismatch", [](json& b) { b["insured"]["birth_date"] = "1985-05-21"; },
       "insured.birth_date", "birth_date_mismatch"},
      // RULES.md §5: an even sequence code is a woman.
      {"sex mismatch", [](json& b) { b["insured"]["sex"] = "male"; }, "insured.sex", "sex_mismatch"},
      {"insured too old",
       [](json& b) {
         b["insured"]["id_number"] = kElderId;
         b["insured"]["birth_date"] = "1950-03-01";
       },
       "insured.birth_date", "age_not_insurable"},
      {"insured too young",
       [](json& b) {
         b["insured"]["id_number"] = kChildId;
         b["insured"].erase("birth_date");
         b["insured"].erase("sex");
         b["insured"]["relationship"] = "child";
       },
       "insured.birth_date", "age_not_insurable"},
      {"plan not allowed", [](json& b) { b["plan_code"] = "C"; }, "plan_code", "plan_not_allowed"},
      {"start date on a next-day card", [](json& b) { b["start_date"] = "2026-01-05"; }, "start_date",
       "start_date_outside_window"},
      {"holder phone", [](json& b) { b["holder"]["phone"] = "12345"; }, "holder.phone", "invalid_format"},
      {"holder phone missing", [](json& b) { b["holder"].erase("phone"); }, "holder.phone", "required"},
      {"holder is a minor", [](json& b) { b["holder"]["id_number"] = kMinorHolderId; }, "holder.birth_date",
       "holder_not_adult"},
      {"insured missing", [](json& b) { b.erase("insured"); }, "insured", "required"},
      {"relationship unknown", [](json& b) { b["insured"]["relationship"] = "friend"; },
       "insured.relationship", "not_allowed"},
      {"beneficiary shares", [](json& b) { b["beneficiaries"][0]["share_percent"] = 60; }, "beneficiaries",
       "shares_not_100"},
      {"beneficiary ID", [](json& b) { b["beneficiaries"][0]["id_number"] = WithWrongCheck(kChildId); },
       "beneficiaries[0].id_number", "invalid_checksum"},
      {"beneficiary unknown field", [](json& b) { b["beneficiaries"][0]["nickname"] = "x"; },
       "beneficiaries[0].nickname", "unknown_field"},
      {"passport without birth date",
       [](json& b) {
         b["insured"]["id_type"] = "passport";
         b["insured"]["id_number"] = "E12345678";
         b["insured"].erase("birth_date");
       },
       "insured.birth_date", "required"},
  };
  for (const Case& c : cases) {
    json body = ActivationBody(card);
    c.change(body);
    http::Response response = Post("/api/v1/card-activations", body);
    EXPECT_EQ(response.status, 400) << c.name << ": " << response.body;
    json problem = Body(response);
    EXPECT_EQ(problem.at("code"), "validation_failed") << c.name;
    bool found = false;
    for (const json& e : problem.at("errors")) {
      if (e.at("field") == c.field && e.at("code") == c.code) found = true;
    }
    EXPECT_TRUE(found) << c.name << ": " << response.body;
  }
  EXPECT_EQ(LoadCard(card.serial)->status, CardStatus::kAwaitingActivation);
  EXPECT_EQ(PoliciesOf(card.serial), 0);
  EXPECT_EQ(Messages("card_activated"), 0);
}

TEST_F(CardActivationTest, SixtyFourConcurrentActivationsIssueExactlyOnePolicy) {
  TestCard card = OneCard();
  const ActivationRequest request = RequestFor(card);
  std::atomic<int> won{0};
  std::atomic<int> not_activatable{0};
  std::atomic<int> other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 64; ++i) {
    threads.emplace_back([&, i] {
      ActivationRequest mine = request;
      mine.insured = std::nullopt;
      Result<Activation> result = activation_->Activate(Client("10.0.0." + std::to_string(i)), mine);
      if (result.ok()) {
        ++won;
      } else if (result.status().reason() == "card_not_activatable") {
        ++not_activatable;
      } else {
        ++other;
        ADD_FAILURE() << result.status().ToString();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(not_activatable.load(), 63);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(PoliciesOf(card.serial), 1);
  EXPECT_EQ(Messages("card_activated"), 1);
  EXPECT_EQ(AuditRecords("card.activate").size(), 1u);
}

TEST_F(CardActivationTest, RetryWithTheSameIdempotencyKeyReturnsTheSamePolicy) {
  idempotency::IdempotencyStore keys(*db_, clock_);
  router_.SetIdempotencyGuard(&keys);
  TestCard card = OneCard();
  const std::string body = ActivationBody(card).dump();
  http::Response first = Post("/api/v1/card-activations", body, {{"idempotency-key", "activate-once-1"}});
  ASSERT_EQ(first.status, 201) << first.body;
  http::Response retry = Post("/api/v1/card-activations", body, {{"idempotency-key", "activate-once-1"}});
  ASSERT_EQ(retry.status, 201) << retry.body;
  EXPECT_EQ(Body(retry).at("policy_no"), Body(first).at("policy_no"));
  bool replayed = false;
  for (const auto& [name, value] : retry.headers) {
    if (name == "Idempotent-Replayed" && value == "true") replayed = true;
  }
  EXPECT_TRUE(replayed);
  EXPECT_EQ(PoliciesOf(card.serial), 1);
  EXPECT_EQ(Messages("card_activated"), 1);
  // Without the key, a retry is a second activation: refused.
  EXPECT_EQ(Post("/api/v1/card-activations", body).status, 409);
  router_.SetIdempotencyGuard(nullptr);
}

// --- SMS activation ---

TEST(ParseActivationSmsTest, ReadsTheFiveFields) {
  struct Case {
    std::string text;
    bool ok;
  };
  for (const Case& c :
       std::vector<Case>{{"JH ACC00000000011 123456 张三 110105198201130011", true},
                         {"jh ACC00000000011 123456 张三 110105198201130011", true},
                         {"  Jh\u3000ACC00000000011\u3000123456  张三 110105198201130011 ", true},
                         {"JH ACC00000000011 123456 张三", false},
                         {"JH ACC00000000011 123456 张 三 110105198201130011", false},
                         {"CX ACC00000000011 123456 张三 110105198201130011", false},
                         {"", false}}) {
    std::optional<ActivationSms> parsed = ParseActivationSms(c.text);
    EXPECT_EQ(parsed.has_value(), c.ok) << c.text;
    if (parsed) {
      EXPECT_EQ(parsed->serial, "ACC00000000011");
      EXPECT_EQ(parsed->password, "123456");
      EXPECT_EQ(parsed->name, "张三");
      EXPECT_EQ(parsed->id_number, "110105198201130011");
    }
  }
}

TEST_F(CardActivationTest, SmsActivatesTheCardAndRepliesWithThePolicy) {
  TestCard card = OneCard();
  http::Response response =
      Sms("msg-1", "jh\u3000" + card.serial + " " + card.password + " 张三 " + kHolderId);
  ASSERT_EQ(response.status, 200) << response.body;
  json body = Body(response);
  EXPECT_EQ(body.at("status"), "accepted");
  EXPECT_EQ(body.at("result"), "activated");
  EXPECT_EQ(body.at("code"), "activated");
  EXPECT_EQ(body.at("duplicate"), false);
  std::optional<Card> activated = LoadCard(card.serial);
  EXPECT_EQ(activated->status, CardStatus::kActivated);
  EXPECT_EQ(PoliciesOf(card.serial), 1);
  std::vector<std::string> texts = MessageTexts("card_activated");
  ASSERT_EQ(texts.size(), 1u);
  std::optional<storage::Row> policy =
      QueryRow("SELECT policy_no, plan_code FROM policies WHERE card_serial = ?", {card.serial});
  ASSERT_TRUE(policy);
  EXPECT_EQ(policy->Text(1), "A");  // the card type's default plan
  EXPECT_NE(texts[0].find(policy->Text(0)), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox_messages WHERE recipient_hash = ?",
                  {keys_.LookupHash("phone", kHolderPhone)}),
            1);

  // The gateway delivers the same message again: answered from the stored outcome.
  http::Response again = Sms("msg-1", "jh " + card.serial + " " + card.password + " 张三 " + kHolderId);
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(Body(again).at("result"), "activated");
  EXPECT_EQ(Body(again).at("duplicate"), true);
  EXPECT_EQ(PoliciesOf(card.serial), 1);
  EXPECT_EQ(Messages("card_activated"), 1);
  EXPECT_EQ(Messages("card_activation_failed"), 0);
}

TEST_F(CardActivationTest, SmsWithABadSignatureOrStaleTimestampIsUnauthenticated) {
  TestCard card = OneCard();
  const std::string text = "JH " + card.serial + " " + card.password + " 张三 " + kHolderId;
  http::Response forged = Sms("msg-2", text, kHolderPhone, std::nullopt, "not-the-secret");
  EXPECT_EQ(forged.status, 401);
  EXPECT_EQ(Body(forged).at("code"), "invalid_signature");
  http::Response stale = Sms("msg-3", text, kHolderPhone, clock_.NowMs() / 1000 - 301);
  EXPECT_EQ(stale.status, 401);
  EXPECT_EQ(Body(stale).at("code"), "stale_timestamp");
  EXPECT_EQ(LoadCard(card.serial)->status, CardStatus::kAwaitingActivation);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sms_inbound", {}), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox_messages", {}), 0);
}

TEST_F(CardActivationTest, SmsRejectionsAreRepliedOnceByMessageId) {
  TestCard card = OneCard();
  struct Case {
    std::string id;
    std::string text;
    std::string code;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {"m-malformed", "激活 " + card.serial, "malformed_text", "短信格式不正确"},
      {"m-password", "JH " + card.serial + " wrong 张三 " + kHolderId, "invalid_card_credentials",
       "卡号或密码错误"},
      {"m-number", "JH " + FormatSerial("ACC", 424242) + " " + card.password + " 张三 " + kHolderId,
       "invalid_card_credentials", "卡号或密码错误"},
      {"m-id", "JH " + card.serial + " " + card.password + " 张三 " + WithWrongCheck(kHolderId),
       "validation_failed", "身份证号码有误"},
  };
  for (const Case& c : cases) {
    http::Response response = Sms(c.id, c.text);
    ASSERT_EQ(response.status, 200) << c.id << ": " << response.body;
    json body = Body(response);
    EXPECT_EQ(body.at("result"), "rejected") << c.id;
    EXPECT_EQ(body.at("code"), c.code) << c.id;
  }
  // The fake clock stands still, so the replies are compared as a set.
  std::vector<std::string> texts = MessageTexts("card_activation_failed");
  std::vector<std::string> expected;
  for (const Case& c : cases) {
    expected.push_back("【安心保险】激活失败：" + c.reason + "。格式：JH 卡号 密码 姓名 身份证号");
  }
  std::sort(texts.begin(), texts.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(texts, expected);
  // Delivered again: the same answer, no second reply.
  http::Response again = Sms("m-malformed", "激活 " + card.serial);
  EXPECT_EQ(Body(again).at("code"), "malformed_text");
  EXPECT_EQ(Body(again).at("duplicate"), true);
  EXPECT_EQ(Messages("card_activation_failed"), static_cast<int64_t>(cases.size()));
  EXPECT_EQ(LoadCard(card.serial)->status, CardStatus::kAwaitingActivation);
}

TEST_F(CardActivationTest, SmsGuessesAreThrottledPerSenderNotPerGateway) {
  TestCard card = OneCard();
  const std::string guesser = "13900000001";
  for (int i = 0; i < 21; ++i) {
    http::Response r = Sms("guess-" + std::to_string(i),
                           "JH " + FormatSerial("ACC", 6000 + i) + " 000000 王五 " + kHolderId, guesser);
    EXPECT_EQ(Body(r).at("code"), "invalid_card_credentials") << i;
  }
  http::Response blocked =
      Sms("guess-final", "JH " + card.serial + " " + card.password + " 王五 " + kHolderId, guesser);
  EXPECT_EQ(Body(blocked).at("code"), "too_many_attempts");
  // Another sender through the same gateway is not affected.
  http::Response ok = Sms("honest", "JH " + card.serial + " " + card.password + " 张三 " + kHolderId);
  EXPECT_EQ(Body(ok).at("result"), "activated");
}

TEST_F(CardActivationTest, SmsOfAnUnpaidCardIsRejectedWithTheReason) {
  TestCard card = Cards(type_, 1, CardStatus::kSold).front();
  http::Response response = Sms("m-unpaid", "JH " + card.serial + " " + card.password + " 张三 " + kHolderId);
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(Body(response).at("code"), "card_not_activatable");
  std::vector<std::string> texts = MessageTexts("card_activation_failed");
  ASSERT_EQ(texts.size(), 1u);
  EXPECT_NE(texts[0].find("尚未确认收费"), std::string::npos);
}

TEST_F(CardActivationTest, SmsBodyMustBeJsonWithASender) {
  const std::string body = "{not json";
  const std::string ts = std::to_string(clock_.NowMs() / 1000);
  http::Response malformed =
      Post("/api/v1/sms/inbound", body,
           {{"x-anxin-timestamp", ts}, {"x-anxin-signature", notify::SignWebhook(kSmsSecret, ts, body)}});
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(Body(malformed).at("code"), "malformed_json");
  http::Response bad_sender = Sms("m-from", "JH x", "12345");
  EXPECT_EQ(bad_sender.status, 400);
  EXPECT_EQ(Body(bad_sender).at("errors")[0].at("field"), "from");
}

TEST_F(CardActivationTest, SmsInboundIsDisabledWithoutASecret) {
  CardActivationService disabled(*db_, card_store_, activation_store_, *products_, *policies_, *ledger_,
                                 *outbox_, keys_, clock_, audit_, CardActivationSettings{});
  http::Router router;
  RegisterCardActivationRoutes(router, disabled);
  http::Request request;
  request.method = "POST";
  request.path = "/api/v1/sms/inbound";
  request.headers["content-type"] = "application/json";
  request.body = R"({"message_id":"m","from":"13812345678","text":"JH"})";
  request.request_id = "test-request";
  http::Response response = router.Handle(request);
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(Body(response).at("code"), "sms_inbound_disabled");
}

}  // namespace
}  // namespace anxin::cards
