// Stock movements, the card inquiry and history, the reports and expiry, against SQLite and
// PostgreSQL.

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cards/card_test_support.hpp"

namespace anxin::cards {
namespace {

class CardStockTest : public testing::CardTestBase {
 protected:
  void SetUp() override {
    CardTestBase::SetUp();
    if (HasFatalFailure()) return;
    type_ = MakeType();
    batch_ = MakeBatch(type_, 100);
  }

  std::string Serial(int64_t seq) const { return FormatSerial(type_.serial_prefix, seq); }

  MovementRequest Request(MovementKind kind, int64_t first, int64_t last,
                          std::optional<HolderType> recipient_type = std::nullopt,
                          const std::string& recipient_code = "") const {
    MovementRequest r;
    r.kind = kind;
    r.doc_type_code = type_.code;
    r.recipient_type = recipient_type;
    r.recipient_code = recipient_code;
    r.first_serial = Serial(first);
    r.last_serial = Serial(last);
    return r;
  }

  Status MoveStatus(const std::string& login, const MovementRequest& request) {
    return stock_service_->Move(As(login), request).status();
  }

  // Moves card `seq` straight to `status` through the state machine's store call (what the sales
  // and activation services do), for tests that need cards beyond stock.
  void ForceStatus(int64_t seq, CardStatus from, CardStatus to, const CardChange& change = {}) {
    Status s = db_->Write([&](storage::Tx& tx) -> Status {
      ANXIN_ASSIGN_OR_RETURN(bool moved,
                             card_store_.Transition(tx, Serial(seq), from, to, change, clock_.NowMs()));
      if (!moved) return Status::Internal("card not in expected status");
      return card_store_.AppendEvent(tx, CardEvent{Serial(seq), clock_.NowMs(), CardAction::kSell, from, to,
                                                   "test", std::nullopt, "", nlohmann::json::object()});
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  void Exec(const std::string& sql, std::initializer_list<storage::Value> params) {
    Status s = db_->Write([&](storage::Tx& tx) -> Status { return tx.Exec(sql, params).status(); });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  CardType type_;
  CardBatch batch_;
};

TEST_F(CardStockTest, IssuesDownTheTreeToAnAuthorisedPerson) {
  MovementView to_bj = Issue("doc.hq", type_, 1, 50, HolderType::kOrg, "BJ");
  EXPECT_EQ(to_bj.movement.quantity, 50);
  EXPECT_EQ(to_bj.movement.from_id, org_["HQ"]);
  EXPECT_EQ(to_bj.movement.to_id, org_["BJ"]);
  EXPECT_EQ(to_bj.first_serial, Serial(1));
  Issue("doc.bj", type_, 1, 30, HolderType::kOrg, "BJ01");
  MovementView to_person = Issue("doc.bj01", type_, 1, 10, HolderType::kPerson, "doc.bj01");
  EXPECT_EQ(to_person.movement.to_type, HolderType::kPerson);
  EXPECT_EQ(to_person.movement.to_org_id, org_["BJ01"]);

  std::optional<Card> c1 = LoadCard(Serial(1));
  ASSERT_TRUE(c1.has_value());
  EXPECT_EQ(c1->status, CardStatus::kInStock);
  EXPECT_EQ(c1->holder_type, HolderType::kPerson);
  EXPECT_EQ(c1->holder_id, user_["doc.bj01"]);
  EXPECT_EQ(c1->holder_org_id, org_["BJ01"]);
  EXPECT_EQ(LoadCard(Serial(20))->holder_id, org_["BJ01"]);
  EXPECT_EQ(LoadCard(Serial(40))->holder_id, org_["BJ"]);
  EXPECT_EQ(LoadCard(Serial(60))->holder_id, org_["HQ"]);
  EXPECT_EQ(AuditRecords("card.issue").size(), 3u);
  std::optional<storage::Row> movements = QueryRow("SELECT COUNT(*) FROM card_movements", {});
  EXPECT_EQ(movements->Int(0), 3);
  // A branch may also give cards straight to a seller of an institution below it.
  Issue("doc.bj", type_, 31, 35, HolderType::kPerson, "seller.bj01");
  EXPECT_EQ(LoadCard(Serial(31))->holder_id, user_["seller.bj01"]);
}

TEST_F(CardStockTest, RangeWithOneCardNotHeldMovesNothingAndNamesIt) {
  Issue("doc.hq", type_, 10, 12, HolderType::kOrg, "BJ");
  Status s = MoveStatus("doc.hq", Request(MovementKind::kIssue, 5, 20, HolderType::kOrg, "SH"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.reason(), "cards_not_held");
  for (int64_t seq : {10, 11, 12})
    EXPECT_NE(s.message().zh.find(Serial(seq)), std::string::npos) << s.message().zh;
  EXPECT_EQ(s.message().zh.find(Serial(9)), std::string::npos);
  EXPECT_NE(s.message().en.find("(3)"), std::string::npos) << s.message().en;
  for (int64_t seq : {5, 9, 13, 20}) EXPECT_EQ(LoadCard(Serial(seq))->holder_id, org_["HQ"]);
  EXPECT_EQ(AuditRecords("card.issue").size(), 1u);

  // Cards that do not exist are not held either.
  Status beyond = MoveStatus("doc.hq", Request(MovementKind::kIssue, 95, 105, HolderType::kOrg, "SH"));
  EXPECT_EQ(beyond.reason(), "cards_not_held");
  EXPECT_NE(beyond.message().en.find("5 missing"), std::string::npos) << beyond.message().en;
  // A sold card is not stock.
  ForceStatus(30, CardStatus::kInStock, CardStatus::kSold);
  Status sold = MoveStatus("doc.hq", Request(MovementKind::kIssue, 25, 35, HolderType::kOrg, "SH"));
  EXPECT_EQ(sold.reason(), "cards_not_held");
  EXPECT_NE(sold.message().zh.find(Serial(30)), std::string::npos);
}

TEST_F(CardStockTest, ListsAtMostFiftyOffendingSerials) {
  Issue("doc.hq", type_, 1, 80, HolderType::kOrg, "BJ");
  Status s = MoveStatus("doc.hq", Request(MovementKind::kIssue, 1, 100, HolderType::kOrg, "SH"));
  ASSERT_EQ(s.reason(), "cards_not_held");
  EXPECT_NE(s.message().zh.find(Serial(50)), std::string::npos);
  EXPECT_EQ(s.message().zh.find(Serial(51)), std::string::npos);
  EXPECT_NE(s.message().zh.find("80"), std::string::npos);
}

TEST_F(CardStockTest, RecipientMustBeBelowTheCallerAndAuthorised) {
  struct Case {
    std::string login, type, code, field_code;
  };
  const std::vector<Case> cases = {
      {"doc.hq", "org", "HQ", "not_in_subtree"},               // not to itself
      {"doc.bj", "org", "SH", "not_found"},                    // a sibling's node
      {"doc.bj", "org", "HQ", "not_found"},                    // up the tree
      {"doc.bj", "org", "NOPE", "not_found"},                  // unknown
      {"doc.bj", "person", "sh.staff", "not_found"},           // a person outside the subtree
      {"doc.bj", "person", "cashier.bj01", "not_authorised"},  // neither seller nor doc_admin
      {"doc.bj", "person", "bj.admin", "not_authorised"},
      {"doc.bj", "person", "nobody", "not_found"},
  };
  Issue("doc.hq", type_, 1, 10, HolderType::kOrg, "BJ");
  for (const Case& c : cases) {
    Status s = MoveStatus(c.login, Request(MovementKind::kIssue, 1, 1, kHolderTypes.Parse(c.type), c.code));
    ASSERT_FALSE(s.ok()) << c.code;
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.code;
    ASSERT_EQ(s.fields().size(), 1u) << c.code;
    EXPECT_EQ(s.fields()[0].field, "recipient_code") << c.code;
    EXPECT_EQ(s.fields()[0].code, c.field_code) << c.code;
  }
}

TEST_F(CardStockTest, RejectsMalformedMovements) {
  struct Case {
    std::string name;
    MovementRequest request;
    std::string field;
    std::string code;
  };
  MovementRequest too_many = Request(MovementKind::kIssue, 1, 100'001, HolderType::kOrg, "BJ");
  MovementRequest backwards = Request(MovementKind::kIssue, 10, 5, HolderType::kOrg, "BJ");
  MovementRequest bad_serial = Request(MovementKind::kIssue, 1, 5, HolderType::kOrg, "BJ");
  bad_serial.first_serial = "ACC00000000012";
  MovementRequest mixed = Request(MovementKind::kIssue, 1, 5, HolderType::kOrg, "BJ");
  mixed.last_serial = FormatSerial("ZZ", 5);
  MovementRequest no_recipient = Request(MovementKind::kIssue, 1, 5);
  MovementRequest bad_type = Request(MovementKind::kIssue, 1, 5, HolderType::kOrg, "BJ");
  bad_type.doc_type_code = "NOPE";
  MovementRequest wrong_prefix = Request(MovementKind::kIssue, 1, 5, HolderType::kOrg, "BJ");
  wrong_prefix.first_serial = FormatSerial("ZZ", 1);
  wrong_prefix.last_serial = FormatSerial("ZZ", 5);
  const std::vector<Case> cases = {
      {"too many", too_many, "last_serial", "range_too_large"},
      {"backwards", backwards, "last_serial", "before_first"},
      {"bad check digit", bad_serial, "first_serial", "invalid_checksum"},
      {"mixed prefixes", mixed, "last_serial", "prefix_mismatch"},
      {"no recipient", no_recipient, "recipient_type", "required"},
      {"unknown type", bad_type, "doc_type_code", "not_found"},
      {"serials of another type", wrong_prefix, "first_serial", "prefix_mismatch"},
  };
  for (const Case& c : cases) {
    Status s = MoveStatus("doc.hq", c.request);
    ASSERT_FALSE(s.ok()) << c.name;
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.name;
    ASSERT_FALSE(s.fields().empty()) << c.name;
    EXPECT_EQ(s.fields()[0].field, c.field) << c.name << ": " << s.ToString();
    EXPECT_EQ(s.fields()[0].code, c.code) << c.name << ": " << s.ToString();
  }
  Status denied = MoveStatus("seller.bj01", Request(MovementKind::kIssue, 1, 1, HolderType::kOrg, "BJ"));
  EXPECT_EQ(denied.code(), StatusCode::kPermissionDenied);
}

TEST_F(CardStockTest, RecallMovesStockHeldBelowBackUpToTheCaller) {
  StockToBj01(type_, 1, 10);
  Issue("doc.bj01", type_, 1, 2, HolderType::kPerson, "seller.bj01");
  // The branch takes 3..5 back from its institution.
  MovementView back = Must(stock_service_->Move(As("doc.bj"), Request(MovementKind::kRecall, 3, 5)));
  EXPECT_EQ(back.movement.kind, MovementKind::kRecall);
  EXPECT_EQ(back.movement.from_type, HolderType::kOrg);
  EXPECT_EQ(back.movement.from_id, org_["BJ01"]);
  EXPECT_EQ(back.movement.to_id, org_["BJ"]);
  EXPECT_EQ(LoadCard(Serial(3))->holder_id, org_["BJ"]);
  EXPECT_EQ(LoadCard(Serial(3))->holder_org_path, LoadCard(Serial(60))->holder_org_path + org_["BJ"] + "/");

  // The institution recalls from its own seller, but not from itself.
  Must(stock_service_->Move(As("doc.bj01"),
                            Request(MovementKind::kRecall, 1, 2, HolderType::kPerson, "seller.bj01")));
  EXPECT_EQ(LoadCard(Serial(1))->holder_id, org_["BJ01"]);
  EXPECT_EQ(MoveStatus("doc.bj01", Request(MovementKind::kRecall, 6, 7)).reason(), "cards_not_recallable");
  // Named holder must match.
  EXPECT_EQ(
      MoveStatus("doc.bj", Request(MovementKind::kRecall, 6, 7, HolderType::kPerson, "seller.bj01")).reason(),
      "cards_not_recallable");
  // Another branch cannot reach them.
  EXPECT_EQ(MoveStatus("doc.sh", Request(MovementKind::kRecall, 6, 7)).reason(), "cards_not_recallable");
  // Only stock comes back: a sold card stops the whole recall.
  ForceStatus(8, CardStatus::kInStock, CardStatus::kSold);
  Status sold = MoveStatus("doc.hq", Request(MovementKind::kRecall, 1, 10));
  EXPECT_EQ(sold.reason(), "cards_not_recallable");
  EXPECT_NE(sold.message().zh.find(Serial(8)), std::string::npos);
  EXPECT_EQ(LoadCard(Serial(9))->holder_id, org_["BJ01"]);
  // The head office takes back cards held at several levels below it in one movement.
  Must(stock_service_->Move(As("doc.hq"), Request(MovementKind::kRecall, 1, 7)));
  for (int64_t seq = 1; seq <= 7; ++seq) EXPECT_EQ(LoadCard(Serial(seq))->holder_id, org_["HQ"]) << seq;
  EXPECT_EQ(AuditRecords("card.recall").size(), 3u);
}

TEST_F(CardStockTest, StaffSeeOnlyCardsHeldInTheirSubtree) {
  StockToBj01(type_, 1, 10);
  CardView bj = Must(stock_service_->GetCard(As("doc.bj01"), Serial(1)));
  EXPECT_EQ(bj.card_type_code, "ACC1");
  EXPECT_EQ(bj.holder.name, "北京朝阳支公司");
  for (const char* login : {"sh.staff", "doc.sh", "doc.sh01"}) {
    Result<CardView> hidden = stock_service_->GetCard(As(login), Serial(1));
    ASSERT_FALSE(hidden.ok()) << login;
    EXPECT_EQ(hidden.status().code(), StatusCode::kNotFound) << login;
    EXPECT_EQ(stock_service_->History(As(login), Serial(1)).status().code(), StatusCode::kNotFound);
    CardPage page = Must(stock_service_->ListCards(As(login), CardInquiry{}));
    EXPECT_TRUE(page.items.empty()) << login;
  }
  // BJ01 does not see what the head office still holds.
  EXPECT_EQ(stock_service_->GetCard(As("doc.bj01"), Serial(50)).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Must(stock_service_->ListCards(As("doc.bj01"), CardInquiry{})).items.size(), 10u);
  EXPECT_EQ(Must(stock_service_->ListCards(As("auditor"), CardInquiry{})).items.size(), 100u);
  // Malformed serials are simply unknown.
  EXPECT_EQ(stock_service_->GetCard(As("doc.hq"), "ACC1").status().code(), StatusCode::kNotFound);
  // Lower-case input finds the card.
  std::string lower = Serial(1);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  EXPECT_TRUE(stock_service_->GetCard(As("doc.bj01"), lower).ok());
}

TEST_F(CardStockTest, InquiryFiltersByRangeStatusHolderAndPages) {
  StockToBj01(type_, 1, 20);
  Issue("doc.bj01", type_, 1, 5, HolderType::kPerson, "seller.bj01");
  ForceStatus(7, CardStatus::kInStock, CardStatus::kSold);
  CardInquiry range;
  range.serial_from = Serial(3);
  range.serial_to = Serial(12);
  CardPage ranged = Must(stock_service_->ListCards(As("doc.hq"), range));
  ASSERT_EQ(ranged.items.size(), 10u);
  EXPECT_EQ(ranged.items.front().card.serial, Serial(3));
  EXPECT_EQ(ranged.items.back().card.serial, Serial(12));

  CardInquiry sold;
  sold.status = CardStatus::kSold;
  CardPage sold_page = Must(stock_service_->ListCards(As("doc.bj01"), sold));
  ASSERT_EQ(sold_page.items.size(), 1u);
  EXPECT_EQ(sold_page.items[0].card.serial, Serial(7));

  CardInquiry person;
  person.holder = "seller.bj01";
  EXPECT_EQ(Must(stock_service_->ListCards(As("doc.bj"), person)).items.size(), 5u);
  CardInquiry node;
  node.holder = "BJ01";
  EXPECT_EQ(Must(stock_service_->ListCards(As("doc.bj"), node)).items.size(), 20u);
  CardInquiry by_type;
  by_type.card_type_code = "ACC1";
  by_type.limit = 30;
  CardPage first = Must(stock_service_->ListCards(As("doc.hq"), by_type));
  ASSERT_EQ(first.items.size(), 30u);
  ASSERT_TRUE(first.next_after.has_value());
  by_type.after = *first.next_after;
  by_type.limit = 100;
  CardPage rest = Must(stock_service_->ListCards(As("doc.hq"), by_type));
  EXPECT_EQ(rest.items.size(), 70u);
  EXPECT_FALSE(rest.next_after.has_value());
  EXPECT_EQ(rest.items.front().card.serial, Serial(31));
}

TEST_F(CardStockTest, HistoryShowsBatchMovementsAndEventsInTimeOrder) {
  clock_.Advance(60'000);
  Issue("doc.hq", type_, 1, 10, HolderType::kOrg, "BJ");
  clock_.Advance(60'000);
  Issue("doc.bj", type_, 1, 5, HolderType::kOrg, "BJ01");
  clock_.Advance(60'000);
  Issue("doc.bj", type_, 6, 10, HolderType::kOrg, "BJ01");  // does not cover card 1
  clock_.Advance(60'000);
  ForceStatus(1, CardStatus::kInStock, CardStatus::kSold, CardChange{.sales_id = std::string("S1")});
  std::vector<HistoryEntry> history = Must(stock_service_->History(As("doc.bj01"), Serial(1)));
  ASSERT_EQ(history.size(), 4u);
  EXPECT_EQ(history[0].kind, HistoryKind::kBatchCreated);
  EXPECT_EQ(history[1].kind, HistoryKind::kMovement);
  EXPECT_EQ(history[1].action, CardAction::kIssue);
  EXPECT_EQ(history[2].kind, HistoryKind::kMovement);
  EXPECT_EQ(history[3].kind, HistoryKind::kEvent);
  EXPECT_EQ(history[3].to, CardStatus::kSold);
  for (size_t i = 1; i < history.size(); ++i) EXPECT_LT(history[i - 1].at_ms, history[i].at_ms);
  // Staff by login and name (the batch's creator, the movements' senders); the test's own event
  // has an actor no user has, so none.
  EXPECT_EQ(history[0].actor_login, "doc.hq");
  EXPECT_EQ(history[0].actor_name, "员工 doc.hq");
  EXPECT_EQ(history[1].actor_login, "doc.hq");
  EXPECT_EQ(history[2].actor_login, "doc.bj");
  EXPECT_EQ(history[3].actor_login, "");
  EXPECT_EQ(history[3].actor_name, "");
  CardView view = Must(stock_service_->GetCard(As("doc.bj01"), Serial(1)));
  EXPECT_EQ(view.card.sales_id, "S1");
  EXPECT_EQ(view.batch_no, batch_.batch_no);
  EXPECT_FALSE(view.batch_no.empty());
  EXPECT_EQ(view.sales_no, "");  // the event of ForceStatus names no sale

  // The sale's and the policy's numbers as their events recorded them, for the card's sale and
  // policy only (an event of another sale is not this card's sale). Events of one millisecond
  // keep the order they were recorded in.
  clock_.Advance(1);
  Status s = db_->Write([&](storage::Tx& tx) -> Status {
    ANXIN_RETURN_IF_ERROR(card_store_.AppendEvent(
        tx, CardEvent{Serial(1), clock_.NowMs(), CardAction::kSell, CardStatus::kInStock, CardStatus::kSold,
                      user_["doc.bj01"], CardRefType::kSale, "S0", nlohmann::json{{"sales_no", "XS-OLD"}}}));
    ANXIN_RETURN_IF_ERROR(card_store_.AppendEvent(
        tx, CardEvent{Serial(1), clock_.NowMs(), CardAction::kSell, CardStatus::kInStock, CardStatus::kSold,
                      user_["doc.bj01"], CardRefType::kSale, "S1", nlohmann::json{{"sales_no", "XS-1"}}}));
    ANXIN_ASSIGN_OR_RETURN(
        bool moved, card_store_.Transition(tx, Serial(1), CardStatus::kSold, CardStatus::kActivated,
                                           CardChange{.policy_id = std::string("P1")}, clock_.NowMs()));
    if (!moved) return Status::Internal("card 1 not sold");
    return card_store_.AppendEvent(
        tx, CardEvent{Serial(1), clock_.NowMs(), CardAction::kActivate, CardStatus::kAwaitingActivation,
                      CardStatus::kActivated, "anonymous", CardRefType::kPolicy, "P1",
                      nlohmann::json{{"policy_no", "PN-1"}}});
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  view = Must(stock_service_->GetCard(As("doc.bj01"), Serial(1)));
  EXPECT_EQ(view.sales_no, "XS-1");
  EXPECT_EQ(view.policy_no, "PN-1");
  history = Must(stock_service_->History(As("doc.bj01"), Serial(1)));
  ASSERT_EQ(history.size(), 7u);
  EXPECT_EQ(history[5].actor_login, "doc.bj01");
  EXPECT_EQ(history[6].actor_login, "");
}

// The schema does not constrain these columns; a name no enum table knows, read back, is an
// internal error (logged, a 500), never a default value.
TEST_F(CardStockTest, AnUnknownStoredHolderTypeOrMovementKindIsAnInternalError) {
  Issue("doc.hq", type_, 1, 10, HolderType::kOrg, "BJ");
  Exec("UPDATE cards SET holder_type = ? WHERE serial = ?", {std::string("robot"), Serial(2)});
  Result<CardView> card = stock_service_->GetCard(As("doc.bj"), Serial(2));
  ASSERT_FALSE(card.ok());
  EXPECT_EQ(card.status().code(), StatusCode::kInternal);
  EXPECT_EQ(card.status().log_detail(), "cards: holder type 'robot' read from the database is unknown");
  EXPECT_TRUE(stock_service_->GetCard(As("doc.bj"), Serial(3)).ok());

  Exec("UPDATE card_movements SET kind = ?", {std::string("teleport")});
  Result<std::vector<HistoryEntry>> history = stock_service_->History(As("doc.bj"), Serial(3));
  ASSERT_FALSE(history.ok());
  EXPECT_EQ(history.status().code(), StatusCode::kInternal);
  Exec("UPDATE card_movements SET kind = ?, to_type = ?", {std::string("issue"), std::string("Org")});
  EXPECT_EQ(stock_service_->History(As("doc.bj"), Serial(3)).status().code(), StatusCode::kInternal);
}

TEST_F(CardStockTest, AnUnknownStoredEventRefTypeIsAnInternalError) {
  StockToBj01(type_, 1, 10);
  ForceStatus(1, CardStatus::kInStock, CardStatus::kSold, CardChange{.sales_id = std::string("S1")});
  ASSERT_EQ(Must(stock_service_->History(As("doc.bj01"), Serial(1))).back().ref_type, std::nullopt);
  Exec("UPDATE card_events SET ref_type = ? WHERE serial = ?", {std::string("invoice"), Serial(1)});
  Result<std::vector<HistoryEntry>> history = stock_service_->History(As("doc.bj01"), Serial(1));
  ASSERT_FALSE(history.ok());
  EXPECT_EQ(history.status().code(), StatusCode::kInternal);
  EXPECT_EQ(history.status().log_detail(),
            "cards: event ref type 'invoice' read from the database is unknown");
}

TEST_F(CardStockTest, StockReportCountsByOrgTypeAndStatus) {
  StockToBj01(type_, 1, 30);
  ForceStatus(1, CardStatus::kInStock, CardStatus::kSold);
  CardType trv = MakeType(TravelType());
  MakeBatch(trv, 7);

  Report by_status = Must(stock_service_->StockReport(As("auditor"), "status"));
  std::map<std::string, int64_t> counts;
  for (const nlohmann::json& row : by_status.rows) counts[row["status"]] = row["count"];
  EXPECT_EQ(counts["in_stock"], 106);
  EXPECT_EQ(counts["sold"], 1);

  Report by_org = Must(stock_service_->StockReport(As("doc.bj"), "org"));
  ASSERT_EQ(by_org.rows.size(), 2u);  // BJ01 in stock and sold; nothing held at BJ itself
  EXPECT_EQ(by_org.rows[0]["org_id"], org_["BJ01"]);
  int64_t bj_total = 0;
  for (const nlohmann::json& row : by_org.rows) bj_total += row["count"].get<int64_t>();
  EXPECT_EQ(bj_total, 30);

  Report by_type = Must(stock_service_->StockReport(As("doc.hq"), "type"));
  std::map<std::string, int64_t> per_type;
  for (const nlohmann::json& row : by_type.rows)
    per_type[row["card_type_code"]] += row["count"].get<int64_t>();
  EXPECT_EQ(per_type["ACC1"], 100);
  EXPECT_EQ(per_type["TRV7"], 7);

  EXPECT_EQ(stock_service_->StockReport(As("doc.hq"), "seller").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(stock_service_->StockReport(As("seller.bj01"), "org").status().code(),
            StatusCode::kPermissionDenied);
  const std::string csv = ReportCsv(by_status);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "status,status_label,count");
  EXPECT_NE(csv.find("in_stock,库存,106"), std::string::npos) << csv;
}

TEST_F(CardStockTest, SalesAndActivationReportsReadSalesAndEvents) {
  StockToBj01(type_, 1, 10);
  const int64_t day1 = clock_.NowMs();
  const int64_t day2 = day1 + kDayMs;
  const std::string bj01_path = LoadCard(Serial(1))->holder_org_path;
  auto sale = [&](const std::string& id, const std::string& seller, int64_t at, int64_t quantity,
                  const std::string& status, const std::string& org, const std::string& path) {
    Exec(
        "INSERT INTO card_sales (id, sales_no, card_type_id, org_id, org_path, seller_org_code, seller_code, "
        "business_source, quantity, amount_fen, status, created_at, created_by) VALUES (?, ?, ?, ?, ?, "
        "'BJ01', ?, "
        "'direct', ?, ?, ?, ?, 'test')",
        {id, "NO-" + id, type_.id, org, path, seller, quantity, quantity * 9900, status, at});
  };
  sale("S1", "seller.bj01", day1, 2, "paid", org_["BJ01"], bj01_path);
  sale("S2", "seller.bj01", day1 + 1000, 1, "registered", org_["BJ01"], bj01_path);
  sale("S3", "seller2.bj01", day2, 3, "paid", org_["BJ01"], bj01_path);
  sale("S4", "seller.bj01", day2, 5, "reversed", org_["BJ01"], bj01_path);
  sale("S5", "sh.staff", day1, 4, "paid", org_["SH01"],
       "/" + org_["HQ"] + "/" + org_["SH"] + "/" + org_["SH01"] + "/");

  Report sales = Must(stock_service_->SalesReport(As("doc.bj"), DateOf(day1), DateOf(day2), "seller"));
  ASSERT_EQ(sales.rows.size(), 2u) << nlohmann::json(sales.rows).dump();
  EXPECT_EQ(sales.rows[0]["day"], FormatDate(DateOf(day1)));
  EXPECT_EQ(sales.rows[0]["seller_code"], "seller.bj01");
  EXPECT_EQ(sales.rows[0]["sales"], 2);
  EXPECT_EQ(sales.rows[0]["cards"], 3);
  EXPECT_EQ(sales.rows[0]["amount_fen"], 3 * 9900);
  EXPECT_EQ(sales.rows[1]["seller_code"], "seller2.bj01");
  EXPECT_EQ(sales.rows[1]["cards"], 3);
  Report all = Must(stock_service_->SalesReport(As("auditor"), DateOf(day1), DateOf(day1), "org"));
  EXPECT_EQ(all.rows.size(), 2u);  // BJ01 and SH01 on day 1
  EXPECT_EQ(stock_service_->SalesReport(As("auditor"), DateOf(day2), DateOf(day1), "org").status().code(),
            StatusCode::kInvalidArgument);

  // Two activations of S1's cards on day 2, one of S3's.
  ForceStatus(1, CardStatus::kInStock, CardStatus::kSold, CardChange{.sales_id = std::string("S1")});
  ForceStatus(2, CardStatus::kInStock, CardStatus::kSold, CardChange{.sales_id = std::string("S1")});
  ForceStatus(3, CardStatus::kInStock, CardStatus::kSold, CardChange{.sales_id = std::string("S3")});
  Status s = db_->Write([&](storage::Tx& tx) -> Status {
    for (int64_t seq : {1, 2, 3}) {
      ANXIN_RETURN_IF_ERROR(card_store_.AppendEvent(tx, CardEvent{Serial(seq),
                                                                  day2 + seq,
                                                                  CardAction::kActivate,
                                                                  CardStatus::kAwaitingActivation,
                                                                  CardStatus::kActivated,
                                                                  "anonymous",
                                                                  CardRefType::kPolicy,
                                                                  "P" + std::to_string(seq),
                                                                  {}}));
    }
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  Report activations = Must(stock_service_->ActivationReport(As("doc.bj01"), DateOf(day1), DateOf(day2)));
  ASSERT_EQ(activations.rows.size(), 2u);
  EXPECT_EQ(activations.rows[0]["seller_code"], "seller.bj01");
  EXPECT_EQ(activations.rows[0]["activations"], 2);
  EXPECT_EQ(activations.rows[1]["seller_code"], "seller2.bj01");
  EXPECT_EQ(activations.rows[1]["activations"], 1);
  EXPECT_TRUE(Must(stock_service_->ActivationReport(As("doc.sh"), DateOf(day1), DateOf(day2))).rows.empty());
}

TEST_F(CardStockTest, AgeingReportBucketsInStockCardsByBatchAge) {
  clock_.Advance(100 * kDayMs);
  MakeBatch(type_, 5);  // 5 new cards; the first 100 are now 100 days old
  clock_.Advance(40 * kDayMs);
  ForceStatus(1, CardStatus::kInStock, CardStatus::kSold);  // not stock: not counted
  Report ageing = Must(stock_service_->AgeingReport(As("doc.hq")));
  ASSERT_EQ(ageing.rows.size(), 2u) << nlohmann::json(ageing.rows).dump();
  EXPECT_EQ(ageing.rows[0]["age_bucket"], "31-90");
  EXPECT_EQ(ageing.rows[0]["count"], 5);
  EXPECT_EQ(ageing.rows[1]["age_bucket"], "91-180");
  EXPECT_EQ(ageing.rows[1]["count"], 99);
  // The first batch is valid 365 days from creation: 140 days on, 225 remain.
  EXPECT_EQ(ageing.rows[1]["min_days_to_expiry"], 225);
}

TEST_F(CardStockTest, ExpiresEveryLiveCardPastItsValidity) {
  CardBatch short_batch =
      Must(admin_service_->CreateBatch(As("doc.hq"), NewCardBatch{type_.id, 6, AddDays(clock_.Today(), 10)}));
  const int64_t s = short_batch.first_seq;
  ForceStatus(s + 1, CardStatus::kInStock, CardStatus::kSold);
  ForceStatus(s + 2, CardStatus::kInStock, CardStatus::kSold);
  ForceStatus(s + 2, CardStatus::kSold, CardStatus::kAwaitingActivation);
  ForceStatus(s + 3, CardStatus::kInStock, CardStatus::kSold);
  ForceStatus(s + 3, CardStatus::kSold, CardStatus::kAwaitingActivation);
  ForceStatus(s + 3, CardStatus::kAwaitingActivation, CardStatus::kActivated);
  ForceStatus(s + 4, CardStatus::kInStock, CardStatus::kFrozen,
              CardChange{.status_before_freeze = CardStatus::kInStock});
  ForceStatus(s + 5, CardStatus::kInStock, CardStatus::kVoided);

  // On its last valid day nothing expires.
  EXPECT_EQ(Must(stock_service_->ExpireDue(StartOfDayMs(AddDays(clock_.Today(), 10)) + 3600'000)), 0);
  clock_.Set(StartOfDayMs(AddDays(clock_.Today(), 11)));
  EXPECT_EQ(Must(stock_service_->ExpireDue(clock_.NowMs())), 4);  // in stock, sold, awaiting, frozen
  EXPECT_EQ(LoadCard(Serial(s))->status, CardStatus::kExpired);
  EXPECT_EQ(LoadCard(Serial(s + 4))->status, CardStatus::kExpired);
  EXPECT_FALSE(LoadCard(Serial(s + 4))->status_before_freeze.has_value());
  EXPECT_EQ(LoadCard(Serial(s + 3))->status, CardStatus::kActivated);
  EXPECT_EQ(LoadCard(Serial(s + 5))->status, CardStatus::kVoided);
  EXPECT_EQ(LoadCard(Serial(1))->status, CardStatus::kInStock);  // the first batch is still valid
  std::vector<HistoryEntry> history = Must(stock_service_->History(As("doc.hq"), Serial(s + 2)));
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back().action, CardAction::kExpire);
  EXPECT_EQ(history.back().from, CardStatus::kAwaitingActivation);
  EXPECT_EQ(history.back().actor_id, "system:expiry-job");
  // A second run finds nothing; each run is one audit record with its count.
  EXPECT_EQ(Must(stock_service_->ExpireDue(clock_.NowMs())), 0);
  std::vector<audit::AuditRecord> runs = AuditRecords("card.expire");
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_NE(runs[1].summary.find("\"expired\":4"), std::string::npos) << runs[1].summary;
}

}  // namespace
}  // namespace anxin::cards
