#pragma once

// A fixture for card tests: identity's test base (fresh migrated database, fake clock at
// 2026-01-01 08:00 +08:00, audit log, fast password hasher, org tree), the shipped products loaded,
// document administrators along the tree, the card stores and the card admin and stock services,
// and helpers to make a card type, a batch, and move stock down to an institution.
//
// Org tree (IdentityTestBase::BuildTree): HQ -> {BJ -> BJ01 -> BJ0101, SH -> SH01}.
// Accounts: admin (system_admin, HQ), bj.admin, sh.admin (org_admin), seller.bj01 (seller, BJ01),
// auditor (HQ), sh.staff (seller, SH01), and added here: doc.hq (HQ), doc.bj (BJ), doc.bj01 (BJ01),
// doc.sh (SH), doc.sh01 (SH01) (doc_admin), cashier.bj01 (cashier, BJ01), seller2.bj01 (seller,
// BJ01), cs.hq (cs_agent, HQ). All with IdentityTestBase::kPassword.

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "cards/card.hpp"
#include "cards/card_admin_service.hpp"
#include "cards/card_admin_store.hpp"
#include "cards/card_serial.hpp"
#include "cards/card_stock_service.hpp"
#include "cards/card_stock_store.hpp"
#include "cards/card_store.hpp"
#include "identity/identity_test_support.hpp"
#include "products/product_service.hpp"
#include "products/product_store.hpp"

#ifndef ANXIN_SOURCE_DIR_DEFAULT
#define ANXIN_SOURCE_DIR_DEFAULT "."
#endif

namespace anxin::cards::testing {

class CardTestBase : public identity::IdentityTestBase {
 protected:
  void SetUp() override {
    identity::IdentityTestBase::SetUp();
    if (HasFatalFailure()) return;
    products_ = std::make_unique<products::ProductService>(*db_, product_store_, audit_, clock_);
    Result<products::LoadCounts> loaded = products_->LoadDirectory(ProductsDir(), Actor::System("test"));
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    BuildTree();
    AddStaff("doc.hq", "HQ", {"doc_admin"});
    AddStaff("doc.bj", "BJ", {"doc_admin"});
    AddStaff("doc.bj01", "BJ01", {"doc_admin"});
    AddStaff("doc.sh", "SH", {"doc_admin"});
    AddStaff("doc.sh01", "SH01", {"doc_admin"});
    AddStaff("cashier.bj01", "BJ01", {"cashier"});
    AddStaff("seller2.bj01", "BJ01", {"seller"});
    AddStaff("cs.hq", "HQ", {"cs_agent"});
    admin_service_ = std::make_unique<CardAdminService>(*db_, card_store_, admin_store_, *service_,
                                                        *products_, keys_, clock_, audit_);
    stock_service_ = std::make_unique<CardStockService>(*db_, card_store_, stock_store_, *service_,
                                                        *products_, keys_, clock_, audit_);
  }

  // The shipped product definitions: $ANXIN_SOURCE_DIR/products, else the source dir compiled in.
  static std::filesystem::path ProductsDir() {
    const char* source = std::getenv("ANXIN_SOURCE_DIR");
    return std::filesystem::path(source != nullptr ? source : ANXIN_SOURCE_DIR_DEFAULT) / "products";
  }

  // A one-year accident card (ACCIDENT_ANNUAL plans A and B, default A, 99 yuan), code `code`,
  // serial prefix `prefix`.
  static NewCardType AccidentType(const std::string& code = "ACC1", const std::string& prefix = "ACC") {
    NewCardType t;
    t.code = code;
    t.name = "个人意外卡";
    t.serial_prefix = prefix;
    t.product_code = "ACCIDENT_ANNUAL";
    t.plan_codes = {"A", "B"};
    t.default_plan_code = "A";
    t.term_unit = TermUnit::kYear;
    t.term_value = 1;
    t.face_value_fen = 9900;
    t.validity_days = 365;
    t.start_rule = StartRule::kNextDay;
    t.start_within_days = 0;
    return t;
  }

  // A 7-day domestic travel card (TRAVEL_DOMESTIC plan BASIC, holder picks the start within 30 days).
  static NewCardType TravelType(const std::string& code = "TRV7", const std::string& prefix = "TRV") {
    NewCardType t;
    t.code = code;
    t.name = "国内旅行卡（7天）";
    t.serial_prefix = prefix;
    t.product_code = "TRAVEL_DOMESTIC";
    t.plan_codes = {"BASIC", "PLUS"};
    t.default_plan_code = "BASIC";
    t.term_unit = TermUnit::kDay;
    t.term_value = 7;
    t.face_value_fen = 3000;
    t.validity_days = 180;
    t.start_rule = StartRule::kHolderChoice;
    t.start_within_days = 30;
    return t;
  }

  // Creates a card type as doc.hq.
  CardType MakeType(const NewCardType& request = AccidentType()) {
    return Must(admin_service_->CreateType(As("doc.hq"), request));
  }

  // Creates a batch of `quantity` cards of `type` as doc.hq.
  CardBatch MakeBatch(const CardType& type, int64_t quantity) {
    return Must(admin_service_->CreateBatch(As("doc.hq"), NewCardBatch{type.id, quantity, std::nullopt}));
  }

  // Exports the batch's passwords (as doc.hq): serial -> password.
  std::map<std::string, std::string> ExportPasswords(const CardBatch& batch) {
    BatchPasswordExport out = Must(admin_service_->ExportPasswords(As("doc.hq"), batch.id));
    std::map<std::string, std::string> passwords;
    std::istringstream lines(out.csv);
    std::string line;
    std::getline(lines, line);  // header
    while (std::getline(lines, line)) {
      size_t comma = line.find(',');
      if (comma != std::string::npos) passwords[line.substr(0, comma)] = line.substr(comma + 1);
    }
    return passwords;
  }

  // Issues cards [first_seq, last_seq] of `type` as `sender_login` to the org `recipient_code` or,
  // with `recipient_type` kPerson, to the user `recipient_code`.
  MovementView Issue(const std::string& sender_login, const CardType& type, int64_t first_seq,
                     int64_t last_seq, HolderType recipient_type, const std::string& recipient_code) {
    MovementRequest request;
    request.kind = MovementKind::kIssue;
    request.doc_type_code = type.code;
    request.recipient_type = recipient_type;
    request.recipient_code = recipient_code;
    request.first_serial = FormatSerial(type.serial_prefix, first_seq);
    request.last_serial = FormatSerial(type.serial_prefix, last_seq);
    return Must(stock_service_->Move(As(sender_login), request));
  }

  // Moves cards [first_seq, last_seq] of `type` from the head office to institution BJ01 (HQ -> BJ
  // by doc.hq, BJ -> BJ01 by doc.bj): they are then in stock at BJ01, for doc.bj01 to sell.
  void StockToBj01(const CardType& type, int64_t first_seq, int64_t last_seq) {
    Issue("doc.hq", type, first_seq, last_seq, HolderType::kOrg, "BJ");
    Issue("doc.bj", type, first_seq, last_seq, HolderType::kOrg, "BJ01");
  }

  // Returns the card `serial` as stored (no scope check).
  std::optional<Card> LoadCard(const std::string& serial) {
    std::optional<Card> card;
    Status s = db_->Read([&](storage::Tx& tx) -> Status {
      ANXIN_ASSIGN_OR_RETURN(card, card_store_.Find(tx, serial));
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return card;
  }

  products::SqlProductStore product_store_;
  std::unique_ptr<products::ProductService> products_;
  SqlCardStore card_store_;
  SqlCardAdminStore admin_store_;
  SqlCardStockStore stock_store_;
  std::unique_ptr<CardAdminService> admin_service_;
  std::unique_ptr<CardStockService> stock_service_;
};

}  // namespace anxin::cards::testing
