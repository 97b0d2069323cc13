// Card types, batches and the one-time password export, against SQLite and PostgreSQL.

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cards/card_admin_routes.hpp"
#include "cards/card_stock_routes.hpp"
#include "cards/card_test_support.hpp"

namespace anxin::cards {
namespace {

class CardAdminTest : public testing::CardTestBase {
 protected:
  std::vector<std::string> FieldCodes(const Status& s) {
    std::vector<std::string> out;
    for (const FieldError& e : s.fields()) out.push_back(e.field + ":" + e.code);
    return out;
  }
};

TEST_F(CardAdminTest, CreatesTypeCheckedAgainstTheCatalogue) {
  CardType type = MakeType(TravelType());
  EXPECT_EQ(type.code, "TRV7");
  EXPECT_EQ(type.serial_prefix, "TRV");
  EXPECT_EQ(type.term_unit, TermUnit::kDay);
  EXPECT_EQ(type.term_value, 7);
  EXPECT_EQ(type.start_rule, StartRule::kHolderChoice);
  EXPECT_EQ(type.status, CardTypeStatus::kActive);
  CardType loaded = Must(admin_service_->GetType(As("seller.bj01"), type.id));
  EXPECT_EQ(loaded.plan_codes, (std::vector<std::string>{"BASIC", "PLUS"}));
  EXPECT_EQ(loaded.face_value.fen, 3000);
  EXPECT_EQ(AuditRecords("card_type.create").size(), 1u);
}

TEST_F(CardAdminTest, RejectsTypeThatDoesNotFitTheProduct) {
  struct Case {
    std::string name;
    std::function<void(NewCardType&)> change;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"unknown product", [](NewCardType& t) { t.product_code = "NO_SUCH"; }, "product_code:not_found"},
      {"unknown plan",
       [](NewCardType& t) {
         t.plan_codes = {"A", "Z"};
       },
       "plan_codes[1]:not_found"},
      {"default not offered", [](NewCardType& t) { t.default_plan_code = "C"; },
       "default_plan_code:not_in_plan_codes"},
      {"term not offered", [](NewCardType& t) { t.term_value = 2; }, "term:not_offered"},
      {"term unit not offered",
       [](NewCardType& t) {
         t.term_unit = TermUnit::kMonth;
         t.term_value = 12;
       },
       "term:not_offered"},
      {"zero face value", [](NewCardType& t) { t.face_value_fen = 0; }, "face_value_fen:out_of_range"},
      {"face value too high", [](NewCardType& t) { t.face_value_fen = 100'000'001; },
       "face_value_fen:out_of_range"},
      {"bad prefix", [](NewCardType& t) { t.serial_prefix = "A1"; }, "serial_prefix:invalid_format"},
      {"bad code", [](NewCardType& t) { t.code = "acc-1"; }, "code:invalid_format"},
      {"duplicate plan",
       [](NewCardType& t) {
         t.plan_codes = {"A", "A"};
       },
       "plan_codes[1]:duplicate"},
      {"start window with next_day", [](NewCardType& t) { t.start_within_days = 5; },
       "start_within_days:out_of_range"},
      {"no start window with holder_choice", [](NewCardType& t) { t.start_rule = StartRule::kHolderChoice; },
       "start_within_days:out_of_range"},
      {"validity zero", [](NewCardType& t) { t.validity_days = 0; }, "validity_days:out_of_range"},
  };
  for (const Case& c : cases) {
    NewCardType request = AccidentType();
    c.change(request);
    Result<CardType> r = admin_service_->CreateType(As("doc.hq"), request);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << c.name;
    std::vector<std::string> codes = FieldCodes(r.status());
    EXPECT_NE(std::find(codes.begin(), codes.end(), c.expected), codes.end())
        << c.name << ": " << r.status().ToString();
  }
  EXPECT_TRUE(AuditRecords("card_type.create").empty());
}

TEST_F(CardAdminTest, RejectsTakenCodeAndPrefix) {
  MakeType();
  Result<CardType> same_code = admin_service_->CreateType(As("doc.hq"), AccidentType("ACC1", "ACX"));
  ASSERT_FALSE(same_code.ok());
  EXPECT_EQ(same_code.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(same_code.status().reason(), "card_type_code_taken");
  Result<CardType> same_prefix = admin_service_->CreateType(As("doc.hq"), AccidentType("ACC2", "ACC"));
  ASSERT_FALSE(same_prefix.ok());
  EXPECT_EQ(same_prefix.status().reason(), "serial_prefix_taken");
}

TEST_F(CardAdminTest, OnlyHeadOfficeStaffWithPermissionManageTypesAndBatches) {
  Result<CardType> branch = admin_service_->CreateType(As("doc.bj"), AccidentType());
  ASSERT_FALSE(branch.ok());
  EXPECT_EQ(branch.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(branch.status().reason(), "head_office_only");
  Result<CardType> auditor = admin_service_->CreateType(As("auditor"), AccidentType());
  ASSERT_FALSE(auditor.ok());
  EXPECT_EQ(auditor.status().reason(), "permission_denied");

  CardType type = MakeType();
  Result<CardBatch> batch =
      admin_service_->CreateBatch(As("doc.bj"), NewCardBatch{type.id, 10, std::nullopt});
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.status().reason(), "head_office_only");
}

TEST_F(CardAdminTest, DisabledTypeTakesNoBatches) {
  CardType type = MakeType();
  CardType disabled = Must(admin_service_->SetTypeStatus(As("doc.hq"), type.id, CardTypeStatus::kDisabled));
  EXPECT_EQ(disabled.status, CardTypeStatus::kDisabled);
  Result<CardBatch> batch =
      admin_service_->CreateBatch(As("doc.hq"), NewCardBatch{type.id, 10, std::nullopt});
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.status().reason(), "card_type_disabled");
}

TEST_F(CardAdminTest, BatchCreatesUniqueSerialsWithValidCheckDigitsHeldByHeadOffice) {
  CardType type = MakeType();
  CardBatch batch = MakeBatch(type, 2000);
  EXPECT_EQ(batch.first_seq, 1);
  EXPECT_EQ(batch.last_seq, 2000);
  EXPECT_EQ(batch.quantity, 2000);
  // valid_until defaults to today + validity_days (365), end of that day.
  EXPECT_EQ(batch.valid_until, StartOfDayMs(AddDays(clock_.Today(), 366)) - 1);

  std::set<std::string> serials;
  Status s = db_->Read([&](storage::Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(std::vector<Card> cards, card_store_.FindRange(tx, type.id, 1, 2000));
    EXPECT_EQ(cards.size(), 2000u);
    for (const Card& card : cards) {
      Result<ParsedSerial> parsed = ParseSerial(card.serial);
      EXPECT_TRUE(parsed.ok()) << card.serial;
      if (parsed.ok()) {
        EXPECT_EQ(parsed->seq, card.seq);
      }
      EXPECT_EQ(card.status, CardStatus::kInStock);
      EXPECT_EQ(card.holder_type, HolderType::kOrg);
      EXPECT_EQ(card.holder_id, org_["HQ"]);
      EXPECT_EQ(card.batch_id, batch.id);
      serials.insert(card.serial);
    }
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(serials.size(), 2000u);

  // The next batch continues the sequence.
  CardBatch second = MakeBatch(type, 5);
  EXPECT_EQ(second.first_seq, 2001);
  EXPECT_EQ(second.last_seq, 2005);
  EXPECT_NE(second.batch_no, batch.batch_no);
  EXPECT_EQ(AuditRecords("card_batch.create").size(), 2u);
}

TEST_F(CardAdminTest, RejectsBadQuantityAndValidUntil) {
  CardType type = MakeType();
  for (int64_t quantity : {int64_t{0}, int64_t{-1}, int64_t{1'000'001}}) {
    Result<CardBatch> r =
        admin_service_->CreateBatch(As("doc.hq"), NewCardBatch{type.id, quantity, std::nullopt});
    ASSERT_FALSE(r.ok()) << quantity;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(r.status().fields().at(0).field, "quantity");
  }
  Result<CardBatch> past =
      admin_service_->CreateBatch(As("doc.hq"), NewCardBatch{type.id, 1, clock_.Today()});
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.status().fields().at(0).code, "not_in_future");
  Result<CardBatch> unknown =
      admin_service_->CreateBatch(As("doc.hq"), NewCardBatch{"nope", 1, std::nullopt});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
}

TEST_F(CardAdminTest, PasswordsExportOnceAndVerifyAgainstStoredHashes) {
  CardType type = MakeType();
  CardBatch batch = MakeBatch(type, 300);
  std::map<std::string, std::string> passwords = ExportPasswords(batch);
  ASSERT_EQ(passwords.size(), 300u);
  std::set<std::string> distinct;
  for (const auto& [serial, password] : passwords) {
    ASSERT_EQ(password.size(), 8u) << serial;
    EXPECT_EQ(password.find_first_not_of("0123456789"), std::string::npos);
    distinct.insert(password);
  }
  EXPECT_GT(distinct.size(), 295u);  // 8 random digits: collisions are rare

  Status s = db_->Read([&](storage::Tx& tx) -> Status {
    ANXIN_ASSIGN_OR_RETURN(
        std::vector<storage::Row> rows,
        tx.Query("SELECT serial, password_hash FROM cards WHERE batch_id = ?", {batch.id}));
    EXPECT_EQ(rows.size(), 300u);
    for (const storage::Row& row : rows) {
      const std::string& password = passwords.at(row.Text(0));
      EXPECT_EQ(row.Text(1), CardPasswordHash(keys_, row.Text(0), password));
      EXPECT_EQ(row.Text(1).size(), 64u);
      EXPECT_EQ(row.Text(1).find(password), std::string::npos);
    }
    // Nothing in clear: the secret is gone and no column holds a password.
    ANXIN_ASSIGN_OR_RETURN(
        std::optional<storage::Row> secret,
        tx.QueryOne("SELECT export_secret, exported_at, exported_by FROM card_batches WHERE id = ?",
                    {batch.id}));
    EXPECT_TRUE(secret->IsNull(0));
    EXPECT_EQ(secret->Int(1), clock_.NowMs());
    EXPECT_EQ(secret->Text(2), user_["doc.hq"]);
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();

  Result<BatchPasswordExport> again = admin_service_->ExportPasswords(As("doc.hq"), batch.id);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(again.status().reason(), "batch_already_exported");
  EXPECT_EQ(AuditRecords("card_batch.export").size(), 1u);
  for (const audit::AuditRecord& r : AuditRecords("card_batch.export")) {
    for (const auto& [serial, password] : passwords) EXPECT_EQ(r.summary.find(password), std::string::npos);
  }
  CardBatch loaded = Must(admin_service_->GetBatch(As("doc.hq"), batch.id));
  EXPECT_TRUE(loaded.exported);
}

TEST_F(CardAdminTest, SecretIsSealedBeforeExport) {
  CardType type = MakeType();
  CardBatch batch = MakeBatch(type, 3);
  std::optional<storage::Row> row =
      QueryRow("SELECT export_secret FROM card_batches WHERE id = ?", {batch.id});
  ASSERT_TRUE(row.has_value());
  Result<std::string> secret = keys_.Open(row->Text(0));
  ASSERT_TRUE(secret.ok());
  EXPECT_EQ(secret->size(), 32u);
  // The passwords derive from the secret, so its holder (and only it) reproduces them.
  std::map<std::string, std::string> passwords = ExportPasswords(batch);
  for (const auto& [serial, password] : passwords) EXPECT_EQ(DeriveCardPassword(*secret, serial), password);
}

TEST_F(CardAdminTest, DerivedPasswordsAreEightDigitsAndDeterministic) {
  const std::string secret(32, 'k');
  EXPECT_EQ(DeriveCardPassword(secret, "ACC00000000018"), DeriveCardPassword(secret, "ACC00000000018"));
  EXPECT_NE(DeriveCardPassword(secret, "ACC00000000018"), DeriveCardPassword(secret, "ACC00000000026"));
  EXPECT_NE(DeriveCardPassword(secret, "ACC00000000018"),
            DeriveCardPassword(std::string(32, 'j'), "ACC00000000018"));
  // Digits spread evenly: each digit appears about 10% of the time over many passwords.
  std::array<int, 10> counts{};
  for (int i = 1; i <= 2000; ++i) {
    for (char c : DeriveCardPassword(secret, FormatSerial("ACC", i))) ++counts[static_cast<size_t>(c - '0')];
  }
  for (int n : counts) {
    EXPECT_GT(n, 1400);
    EXPECT_LT(n, 1800);
  }
}

TEST_F(CardAdminTest, ListsTypesAndBatches) {
  CardType acc = MakeType();
  CardType trv = MakeType(TravelType());
  MakeBatch(acc, 2);
  MakeBatch(trv, 3);
  std::vector<CardType> types = Must(admin_service_->ListTypes(As("doc.bj01")));
  ASSERT_EQ(types.size(), 2u);
  EXPECT_EQ(types[0].code, "ACC1");
  EXPECT_EQ(types[1].code, "TRV7");
  std::vector<CardBatch> batches = Must(admin_service_->ListBatches(As("doc.hq"), BatchFilter{}));
  EXPECT_EQ(batches.size(), 2u);
  std::vector<CardBatch> trv_batches =
      Must(admin_service_->ListBatches(As("doc.hq"), BatchFilter{trv.id, 10}));
  ASSERT_EQ(trv_batches.size(), 1u);
  EXPECT_EQ(trv_batches[0].serial_prefix, "TRV");
  Result<std::vector<CardBatch>> branch = admin_service_->ListBatches(As("doc.bj"), BatchFilter{});
  ASSERT_FALSE(branch.ok());
  EXPECT_EQ(branch.status().code(), StatusCode::kPermissionDenied);
  Result<CardBatch> missing = admin_service_->GetBatch(As("doc.hq"), "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

// --- the HTTP routes, driven through the Router (no server) ---

class CardRoutesTest : public testing::CardTestBase {
 protected:
  void SetUp() override {
    CardTestBase::SetUp();
    if (HasFatalFailure()) return;
    router_.SetAuthenticator(authenticator_.get());
    RegisterCardAdminRoutes(router_, *admin_service_);
    RegisterCardStockRoutes(router_, *stock_service_);
  }

  http::Response Call(const std::string& method, const std::string& path, const std::string& login,
                      const nlohmann::json& body = nullptr, std::map<std::string, std::string> query = {}) {
    http::Request request;
    request.method = method;
    request.path = path;
    request.query = std::move(query);
    request.request_id = "req-cards";
    request.client_address = "198.51.100.4";
    if (!login.empty()) request.headers["authorization"] = "Bearer " + TokenOf(login);
    if (!body.is_null()) {
      request.headers["content-type"] = "application/json";
      request.body = body.dump();
    }
    return router_.Handle(request);
  }

  static nlohmann::json Body(const http::Response& r) { return nlohmann::json::parse(r.body); }

  static std::string Header(const http::Response& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return "";
  }

  nlohmann::json TypeBody() const {
    return {{"code", "ACC1"},
            {"name", "个人意外卡"},
            {"serial_prefix", "ACC"},
            {"product_code", "ACCIDENT_ANNUAL"},
            {"plan_codes", {"A", "B"}},
            {"default_plan_code", "A"},
            {"term", {{"unit", "year"}, {"value", 1}}},
            {"face_value_fen", 9900},
            {"validity_days", 365},
            {"start_rule", "next_day"}};
  }

  http::Router router_;
};

TEST_F(CardRoutesTest, CreatesTypeAndBatchExportsPasswordsOnceAndMovesStock) {
  http::Response type = Call("POST", "/api/v1/card-types", "doc.hq", TypeBody());
  ASSERT_EQ(type.status, 201) << type.body;
  const std::string type_id = Body(type)["id"];
  EXPECT_EQ(Body(type)["term"]["unit"], "year");
  http::Response batch =
      Call("POST", "/api/v1/card-batches", "doc.hq", {{"card_type_id", type_id}, {"quantity", 20}});
  ASSERT_EQ(batch.status, 201) << batch.body;
  const std::string batch_id = Body(batch)["id"];
  EXPECT_EQ(Body(batch)["first_serial"], FormatSerial("ACC", 1));
  EXPECT_EQ(Body(batch)["passwords_exported"], false);

  http::Response csv = Call("GET", "/api/v1/card-batches/" + batch_id + "/passwords.csv", "doc.hq");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_NE(Header(csv, "Content-Disposition").find("attachment; filename="), std::string::npos);
  EXPECT_EQ(csv.body.substr(0, 16), "serial,password\n");
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 21);
  http::Response again = Call("GET", "/api/v1/card-batches/" + batch_id + "/passwords.csv", "doc.hq");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(Body(again)["code"], "batch_already_exported");
  EXPECT_EQ(Body(Call("GET", "/api/v1/card-batches/" + batch_id, "doc.hq"))["passwords_exported"], true);

  nlohmann::json move = {{"kind", "issue"},
                         {"doc_type_code", "ACC1"},
                         {"recipient_type", "org"},
                         {"recipient_code", "BJ"},
                         {"first_serial", FormatSerial("ACC", 1)},
                         {"last_serial", FormatSerial("ACC", 10)}};
  http::Response moved = Call("POST", "/api/v1/card-movements", "doc.hq", move);
  ASSERT_EQ(moved.status, 201) << moved.body;
  EXPECT_EQ(Body(moved)["quantity"], 10);
  move["recipient_code"] = "SH";
  http::Response not_held = Call("POST", "/api/v1/card-movements", "doc.hq", move);
  EXPECT_EQ(not_held.status, 409);
  EXPECT_EQ(Body(not_held)["code"], "cards_not_held");

  http::Response card = Call("GET", "/api/v1/cards/" + FormatSerial("ACC", 1), "doc.bj");
  ASSERT_EQ(card.status, 200) << card.body;
  EXPECT_EQ(Body(card)["status"]["name"], "in_stock");
  EXPECT_EQ(Body(card)["status"]["label_zh"], "库存");
  EXPECT_EQ(Body(card)["holder"]["name"], "北京分公司");
  EXPECT_EQ(card.body.find("password"), std::string::npos);
  EXPECT_EQ(Call("GET", "/api/v1/cards/" + FormatSerial("ACC", 1), "sh.staff").status, 404);
  http::Response history = Call("GET", "/api/v1/cards/" + FormatSerial("ACC", 1) + "/history", "doc.bj");
  ASSERT_EQ(history.status, 200) << history.body;
  EXPECT_EQ(Body(history)["items"].size(), 2u);
  http::Response list =
      Call("GET", "/api/v1/cards", "doc.bj", nullptr, {{"status", "in_stock"}, {"limit", "4"}});
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(Body(list)["items"].size(), 4u);
  EXPECT_EQ(Body(list)["next_after"], FormatSerial("ACC", 4));

  http::Response report =
      Call("GET", "/api/v1/card-reports/stock", "auditor", nullptr, {{"group_by", "org"}, {"format", "csv"}});
  ASSERT_EQ(report.status, 200) << report.body;
  EXPECT_EQ(report.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(report.body.substr(0, report.body.find('\n')), "org_id,org_name,status,status_label,count");
  http::Response json_report = Call("GET", "/api/v1/card-reports/ageing", "auditor");
  ASSERT_EQ(json_report.status, 200) << json_report.body;
  EXPECT_EQ(Body(json_report)["rows"][0]["count"], 20);
}

TEST_F(CardRoutesTest, RejectsBadInputWithFieldErrorsAndChecksPermissions) {
  nlohmann::json body = TypeBody();
  body["face_value_fen"] = 0;
  body["surprise"] = true;
  http::Response bad = Call("POST", "/api/v1/card-types", "doc.hq", body);
  ASSERT_EQ(bad.status, 400) << bad.body;
  std::set<std::string> fields;
  const nlohmann::json problem = Body(bad);
  for (const auto& e : problem["errors"]) fields.insert(e["field"].get<std::string>());
  EXPECT_TRUE(fields.count("face_value_fen"));
  EXPECT_TRUE(fields.count("surprise"));
  EXPECT_EQ(Call("POST", "/api/v1/card-types", "seller.bj01", TypeBody()).status, 403);
  EXPECT_EQ(Call("POST", "/api/v1/card-types", "", TypeBody()).status, 401);
  EXPECT_EQ(Call("POST", "/api/v1/card-types", "doc.bj", TypeBody()).status, 403);
  EXPECT_EQ(
      Call("POST", "/api/v1/card-batches", "doc.hq", {{"card_type_id", "x"}, {"quantity", 2000000}}).status,
      400);
  EXPECT_EQ(Call("POST", "/api/v1/card-movements", "doc.hq", {{"kind", "issue"}}).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/cards", "doc.hq", nullptr, {{"status", "lost"}}).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/cards", "doc.hq", nullptr, {{"limit", "0"}}).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/card-reports/sales", "auditor", nullptr, {{"from", "2026-13-01"}}).status,
            400);
  EXPECT_EQ(Call("GET", "/api/v1/card-reports/stock", "auditor", nullptr, {{"format", "xml"}}).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/card-reports/stock", "seller.bj01").status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/cards/%E4%BD%A0", "doc.hq").status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/card-types/nope", "doc.hq").status, 404);
  EXPECT_EQ(Call("PATCH", "/api/v1/card-types/nope", "doc.hq", {{"status", "disabled"}}).status, 404);
  const http::Response gone = Call("PATCH", "/api/v1/card-types/nope", "doc.hq", {{"status", "gone"}});
  EXPECT_EQ(gone.status, 400);
  EXPECT_EQ(Body(gone)["errors"][0]["field"], "status");
  EXPECT_EQ(Body(gone)["errors"][0]["code"], "not_allowed");
}

}  // namespace
}  // namespace anxin::cards
