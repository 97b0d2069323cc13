// Card sales (seed 000 §3-4 and "other circumstances" 2): sales registration, charge receipts and
// their confirmation with the ledger, reverse processing with refunds and red-letter invoices,
// reporting cards lost, and the routes. Runs against SQLite and PostgreSQL.
#include <sys/wait.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cards/card_sales_routes.hpp"
#include "cards/card_sales_service.hpp"
#include "cards/card_test_support.hpp"
#include "ledger/ledger_store.hpp"

namespace anxin::cards {
namespace {

using nlohmann::json;
using ::testing::Contains;
using ::testing::HasSubstr;

constexpr int64_t kFace = 9900;  // AccidentType(): 99 yuan

// Runs pdftotext on `pdf` and returns the text (empty if it failed).
std::string PdfText(const std::string& pdf) {
  static std::atomic<int> counter{0};
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() /
      ("anxin_card_sales_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".pdf");
  {
    std::ofstream out(file, std::ios::binary);
    out << pdf;
  }
  std::string text;
  const std::string command = "pdftotext -layout '" + file.string() + "' - 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe != nullptr) {
    char buffer[4096];
    size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) text.append(buffer, n);
    ::pclose(pipe);
  }
  std::filesystem::remove(file);
  return text;
}

class CardSalesTest : public testing::CardTestBase {
 protected:
  void SetUp() override {
    CardTestBase::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_EQ(std::system("command -v pdftotext >/dev/null 2>&1"), 0)
        << "pdftotext (poppler-utils) is missing";
    AddStaff("cashier.sh01", "SH01", {"cashier"});
    sales_ = std::make_unique<CardSalesService>(*db_, card_store_, sales_store_, *service_, ledger_, keys_,
                                                clock_, audit_);
    type_ = MakeType();
    MakeBatch(type_, 60);
    StockToBj01(type_, 1, 55);
  }

  std::string Serial(int64_t seq) const { return FormatSerial(type_.serial_prefix, seq); }

  std::vector<std::string> Serials(int64_t first, int64_t last) const {
    std::vector<std::string> out;
    for (int64_t seq = first; seq <= last; ++seq) out.push_back(Serial(seq));
    return out;
  }

  SaleRequest Request(std::vector<std::string> serials) const {
    SaleRequest r;
    r.doc_type_code = type_.code;
    r.seller_org_code = "BJ01";
    r.seller_code = "seller.bj01";
    r.business_source = "direct";
    r.serials = std::move(serials);
    return r;
  }

  SaleView Sell(int64_t first, int64_t last) {
    return Must(sales_->RegisterSale(As("doc.bj01"), Request(Serials(first, last))));
  }

  ReceiptView Charge(const SaleView& sale) {
    return Must(sales_->IssueReceipt(As("cashier.bj01"), ReceiptRequest{sale.sale.sales_no, std::nullopt}));
  }

  ConfirmResult Confirm(const ReceiptView& receipt, std::optional<std::string> payer = std::nullopt) {
    return Must(sales_->ConfirmReceipt(
        As("cashier.bj01"), receipt.receipt.receipt_no,
        ConfirmRequest{receipt.receipt.amount.fen, std::move(payer), "CMB-20260101-778"}));
  }

  RecoveryView Reverse(const SaleView& sale, std::vector<std::string> serials,
                       const std::string& disposition) {
    return Must(sales_->RegisterRecovery(
        As("doc.bj01"), RecoveryRequest{sale.sale.sales_no, std::move(serials), disposition, "客户退卡"}));
  }

  // Debit and credit of `account` in the trial balance.
  std::pair<int64_t, int64_t> Account(const std::string& account) {
    ledger::TrialBalance balance = Must(ledger_.Balance(*db_));
    EXPECT_TRUE(balance.balanced);
    for (const ledger::AccountBalance& a : balance.accounts) {
      if (a.account == account) return {a.debit.fen, a.credit.fen};
    }
    return {0, 0};
  }

  std::string SaleStatusOf(const std::string& sales_no) {
    return std::string(SaleStatusName(Must(sales_->GetSale(As("doc.bj01"), sales_no)).sale.status));
  }

  ledger::SqlLedger ledger_{clock_};
  SqlCardSalesStore sales_store_;
  std::unique_ptr<CardSalesService> sales_;
  CardType type_;
};

// --- Sales registration -------------------------------------------------------------------------

// Seed 000 §3: the institution's document administrator registers the sale; the cards are "sold".
TEST_F(CardSalesTest, RegistersSaleOfListedCards) {
  SaleView sale = Sell(1, 3);
  EXPECT_THAT(sale.sale.sales_no, ::testing::MatchesRegex("XS20260101[0-9]{6}"));
  EXPECT_EQ(sale.sale.quantity, 3);
  EXPECT_EQ(sale.sale.amount.fen, 3 * kFace);
  EXPECT_EQ(sale.sale.status, SaleStatus::kRegistered);
  EXPECT_EQ(sale.sale.business_source, BusinessSource::kDirect);
  EXPECT_EQ(sale.org.code, "BJ01");
  EXPECT_EQ(sale.seller_name, "员工 seller.bj01");
  EXPECT_EQ(sale.serials, Serials(1, 3));
  EXPECT_TRUE(sale.warnings.empty());
  for (const std::string& serial : Serials(1, 3)) {
    Card card = *LoadCard(serial);
    EXPECT_EQ(card.status, CardStatus::kSold);
    EXPECT_EQ(card.sales_id, sale.sale.id);
    EXPECT_EQ(card.holder_org_id, org_.at("BJ01"));
    std::vector<CardEvent> events = Must(db_->ReadResult<std::vector<CardEvent>>(
        [&](storage::Tx& tx) { return card_store_.Events(tx, serial); }));
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().action, CardAction::kSell);
    EXPECT_EQ(events.back().ref_type, CardRefType::kSale);
    EXPECT_EQ(events.back().ref_id, sale.sale.id);
  }
  std::vector<audit::AuditRecord> audit = AuditRecords("card_sale.register");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].object_id, sale.sale.id);
  EXPECT_THAT(audit[0].summary, HasSubstr(sale.sale.sales_no));
}

TEST_F(CardSalesTest, RegistersSaleOfARange) {
  SaleRequest request = Request({});
  request.first_serial = Serial(4);
  request.last_serial = Serial(8);
  request.doc_type_code = "acc1";       // codes are matched without regard to case
  request.seller_code = "Seller.BJ01";  // logins are lower case
  request.business_source = "bancassurance";
  SaleView sale = Must(sales_->RegisterSale(As("doc.bj01"), request));
  EXPECT_EQ(sale.sale.quantity, 5);
  EXPECT_EQ(sale.serials, Serials(4, 8));
  EXPECT_EQ(sale.sale.seller_code, "seller.bj01");
  EXPECT_EQ(sale.sale.business_source, BusinessSource::kBancassurance);
}

// Cards issued to a person of the institution (seed 000 §2) can be sold by the institution.
TEST_F(CardSalesTest, SellsCardsHeldByAPersonOfTheInstitution) {
  Issue("doc.bj01", type_, 10, 11, HolderType::kPerson, "seller.bj01");
  SaleView sale = Sell(10, 11);
  EXPECT_EQ(sale.sale.quantity, 2);
  EXPECT_EQ(LoadCard(Serial(10))->holder_type, HolderType::kOrg);
}

struct ValidationCase {
  std::string name;
  std::function<void(SaleRequest&, const std::function<std::string(int64_t)>&)> mutate;
  std::string field;
  std::string code;
};

TEST_F(CardSalesTest, RejectsInvalidRegistrationsWithFieldPaths) {
  AddStaff("seller.sh01", "SH01", {"seller"});
  MakeType(TravelType());
  const std::vector<ValidationCase> cases = {
      {"missing type", [](SaleRequest& r, auto&) { r.doc_type_code = ""; }, "doc_type_code", "required"},
      {"missing seller org", [](SaleRequest& r, auto&) { r.seller_org_code = ""; }, "seller_org_code",
       "required"},
      {"missing seller", [](SaleRequest& r, auto&) { r.seller_code = " "; }, "seller_code", "required"},
      {"missing source", [](SaleRequest& r, auto&) { r.business_source = ""; }, "business_source",
       "required"},
      {"unknown source", [](SaleRequest& r, auto&) { r.business_source = "street"; }, "business_source",
       "invalid_value"},
      {"no cards", [](SaleRequest& r, auto&) { r.serials.clear(); }, "serials", "required"},
      {"list and range", [](SaleRequest& r, auto& s) { r.first_serial = s(1); }, "serials", "conflicting"},
      {"bad check digit",
       [](SaleRequest& r, auto& s) {
         std::string bad = s(2);
         bad.back() = bad.back() == '0' ? '1' : '0';
         r.serials = {s(1), bad};
       },
       "serials[1]", "invalid_checksum"},
      {"duplicate",
       [](SaleRequest& r, auto& s) {
         r.serials = {s(1), s(1)};
       },
       "serials[1]", "duplicate"},
      {"over the cap",
       [](SaleRequest& r, auto& s) {
         r.serials.clear();
         for (int64_t i = 1; i <= kMaxCardsPerSale + 1; ++i) r.serials.push_back(s(i));
       },
       "serials", "too_many_items"},
      {"range missing last",
       [](SaleRequest& r, auto& s) {
         r.serials.clear();
         r.first_serial = s(1);
       },
       "last_serial", "required"},
      {"range backwards",
       [](SaleRequest& r, auto& s) {
         r.serials.clear();
         r.first_serial = s(5);
         r.last_serial = s(2);
       },
       "last_serial", "before_first"},
      {"range over the cap",
       [](SaleRequest& r, auto& s) {
         r.serials.clear();
         r.first_serial = s(1);
         r.last_serial = s(kMaxCardsPerSale + 1);
       },
       "last_serial", "too_many_cards"},
      {"unknown type", [](SaleRequest& r, auto&) { r.doc_type_code = "NOPE"; }, "doc_type_code", "not_found"},
      {"serial of another type", [](SaleRequest& r, auto&) { r.serials = {FormatSerial("TRV", 1)}; },
       "serials[0]", "wrong_card_type"},
      {"seller org outside the subtree", [](SaleRequest& r, auto&) { r.seller_org_code = "SH01"; },
       "seller_org_code", "not_found"},
      {"seller of another org", [](SaleRequest& r, auto&) { r.seller_code = "seller.sh01"; }, "seller_code",
       "not_found"},
      {"not a seller", [](SaleRequest& r, auto&) { r.seller_code = "cashier.bj01"; }, "seller_code",
       "not_a_seller"},
  };
  const std::function<std::string(int64_t)> serial = [this](int64_t seq) { return Serial(seq); };
  const Actor actor = As("doc.bj01");
  for (const ValidationCase& c : cases) {
    SaleRequest request = Request({Serial(1)});
    c.mutate(request, serial);
    Result<SaleView> result = sales_->RegisterSale(actor, request);
    ASSERT_FALSE(result.ok()) << c.name;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument) << c.name;
    EXPECT_EQ(result.status().reason(), "validation_failed") << c.name;
    std::vector<std::string> fields;
    for (const FieldError& e : result.status().fields()) fields.push_back(e.field + ":" + e.code);
    EXPECT_THAT(fields, Contains(c.field + ":" + c.code)) << c.name << ": " << result.status().ToString();
  }
  EXPECT_EQ(LoadCard(Serial(1))->status, CardStatus::kInStock);
}

// All or nothing: one card that cannot be sold stops the sale, and the error names it.
TEST_F(CardSalesTest, RefusesTheWholeSaleWhenOneCardIsNotSellable) {
  Sell(2, 2);
  Result<SaleView> result =
      sales_->RegisterSale(As("doc.bj01"), Request({Serial(1), Serial(2), Serial(58)}));  // 58 is still at HQ
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(result.status().reason(), "cards_not_sellable");
  EXPECT_THAT(result.status().message().zh, HasSubstr(Serial(2)));
  EXPECT_THAT(result.status().message().zh, HasSubstr(Serial(58)));
  ASSERT_EQ(result.status().fields().size(), 2u);
  EXPECT_EQ(result.status().fields()[0].field, "serials[1]");
  EXPECT_EQ(result.status().fields()[0].code, "card_not_in_stock");
  EXPECT_EQ(result.status().fields()[1].field, "serials[2]");
  EXPECT_EQ(result.status().fields()[1].code, "not_found");
  EXPECT_EQ(LoadCard(Serial(1))->status, CardStatus::kInStock);
}

TEST_F(CardSalesTest, RefusesCardsHeldByASubordinateOrganisation) {
  Issue("doc.bj01", type_, 20, 20, HolderType::kOrg, "BJ0101");
  Result<SaleView> result = sales_->RegisterSale(As("doc.bj01"), Request({Serial(20)}));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().reason(), "cards_not_sellable");
  ASSERT_EQ(result.status().fields().size(), 1u);
  EXPECT_EQ(result.status().fields()[0].code, "not_held_by_institution");
}

TEST_F(CardSalesTest, OnlyAnInstitutionRegistersSales) {
  Result<SaleView> result = sales_->RegisterSale(As("doc.bj"), Request({Serial(1)}));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(result.status().reason(), "institution_level_required");
  EXPECT_THAT(result.status().message().zh, HasSubstr("机构"));
  EXPECT_THAT(result.status().message().en, HasSubstr("institution"));

  Result<SaleView> seller = sales_->RegisterSale(As("seller.bj01"), Request({Serial(1)}));
  ASSERT_FALSE(seller.ok());
  EXPECT_EQ(seller.status().code(), StatusCode::kPermissionDenied);
}

// Seed 000 §3: "try not to do bulk sales registration": allowed, with a warning.
TEST_F(CardSalesTest, WarnsAboutBulkRegistrationAboveFiftyCards) {
  SaleView fifty = Sell(1, 50);
  EXPECT_TRUE(fifty.warnings.empty());
  Issue("doc.hq", type_, 56, 60, HolderType::kOrg, "BJ");
  Issue("doc.bj", type_, 56, 60, HolderType::kOrg, "BJ01");
  SaleRequest request = Request({});
  request.first_serial = Serial(51);
  request.last_serial = Serial(60);
  SaleView ten = Must(sales_->RegisterSale(As("doc.bj01"), request));
  EXPECT_TRUE(ten.warnings.empty());
  // 51 cards: a new batch, stocked to BJ01.
  MakeBatch(type_, 51);
  StockToBj01(type_, 61, 111);
  request.first_serial = Serial(61);
  request.last_serial = Serial(111);
  SaleView bulk = Must(sales_->RegisterSale(As("doc.bj01"), request));
  EXPECT_EQ(bulk.sale.quantity, 51);
  ASSERT_EQ(bulk.warnings.size(), 1u);
  EXPECT_EQ(bulk.warnings[0].code, "bulk_sales_discouraged");
  EXPECT_THAT(bulk.warnings[0].message.zh, HasSubstr("不建议批量销售登记"));
}

TEST_F(CardSalesTest, OtherInstitutionsDoNotSeeTheSale) {
  SaleView sale = Sell(1, 2);
  Result<SaleView> other = sales_->GetSale(As("doc.sh01"), sale.sale.sales_no);
  EXPECT_EQ(other.status().code(), StatusCode::kNotFound);
  Result<ReceiptView> receipt =
      sales_->IssueReceipt(As("cashier.sh01"), ReceiptRequest{sale.sale.sales_no, std::nullopt});
  EXPECT_EQ(receipt.status().code(), StatusCode::kNotFound);
  Result<RecoveryView> recovery = sales_->RegisterRecovery(
      As("doc.sh01"), RecoveryRequest{sale.sale.sales_no, {Serial(1)}, "restock", "客户退卡"});
  EXPECT_EQ(recovery.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(sales_->Freeze(As("doc.sh01"), Serial(1), "客户报失").status().code(), StatusCode::kNotFound);
  // The branch above sees it; lists are scoped.
  EXPECT_TRUE(sales_->GetSale(As("auditor"), sale.sale.id).ok());
  EXPECT_EQ(Must(sales_->ListSales(As("doc.bj01"), {})).items.size(), 1u);
  EXPECT_TRUE(Must(sales_->ListSales(As("doc.sh01"), {})).items.empty());
}

TEST_F(CardSalesTest, ListsSalesWithFiltersAndPages) {
  SaleView a = Sell(1, 1);
  clock_.Advance(1000);  // ids order by their millisecond, then randomly
  SaleView b = Sell(2, 3);
  Charge(b);
  SaleListQuery query;
  query.status = SaleStatus::kReceipted;
  SalePage receipted = Must(sales_->ListSales(As("doc.bj01"), query));
  ASSERT_EQ(receipted.items.size(), 1u);
  EXPECT_EQ(receipted.items[0].sales_no, b.sale.sales_no);
  SaleListQuery first_page;
  first_page.limit = 1;
  SalePage page = Must(sales_->ListSales(As("doc.bj01"), first_page));
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].id, a.sale.id);
  ASSERT_TRUE(page.next_after.has_value());
  first_page.after = *page.next_after;
  SalePage second = Must(sales_->ListSales(As("doc.bj01"), first_page));
  ASSERT_EQ(second.items.size(), 1u);
  EXPECT_EQ(second.items[0].id, b.sale.id);
  EXPECT_FALSE(second.next_after.has_value());
}

TEST_F(CardSalesTest, ChargeListPdfShowsTheSaleAndItsCards) {
  SaleView sale = Sell(1, 3);
  std::string text = PdfText(Must(sales_->ChargeListPdf(As("doc.bj01"), sale.sale.sales_no)));
  ASSERT_FALSE(text.empty()) << "pdftotext produced nothing";
  EXPECT_THAT(text, HasSubstr(sale.sale.sales_no));
  EXPECT_THAT(text, HasSubstr(Serial(1)));
  EXPECT_THAT(text, HasSubstr(Serial(3)));
  EXPECT_THAT(text, HasSubstr("297.00"));
  EXPECT_THAT(text, HasSubstr("保险卡收费清单"));
}

// --- Payment ------------------------------------------------------------------------------------

// Seed 000 §4: charge receipt, then confirmation: cards await activation, the invoice is printed,
// and the funds received write off the receivable booked against the advance premium.
TEST_F(CardSalesTest, FullFlowConfirmsPaymentIssuesInvoiceAndBalancesTheLedger) {
  SaleView sale = Sell(1, 3);
  const int64_t amount = 3 * kFace;
  ReceiptView receipt = Charge(sale);
  EXPECT_THAT(receipt.receipt.receipt_no, ::testing::MatchesRegex("SF20260101[0-9]{6}"));
  EXPECT_EQ(receipt.receipt.kind, ReceiptKind::kCharge);
  EXPECT_EQ(receipt.receipt.amount.fen, amount);
  EXPECT_EQ(receipt.sales_no, sale.sale.sales_no);
  EXPECT_EQ(SaleStatusOf(sale.sale.sales_no), "receipted");
  EXPECT_EQ(Account(ledger::kPremiumReceivable), std::make_pair(amount, int64_t{0}));
  EXPECT_EQ(Account(ledger::kAdvancePremium), std::make_pair(int64_t{0}, amount));

  ConfirmResult confirmed = Confirm(receipt, "北京某某商贸有限公司");
  EXPECT_EQ(confirmed.receipt.receipt.status, ReceiptStatus::kConfirmed);
  EXPECT_EQ(confirmed.receipt.bank_reference_masked, "************-778");
  EXPECT_THAT(confirmed.invoice.invoice.invoice_no, ::testing::MatchesRegex("FP20260101[0-9]{6}"));
  EXPECT_EQ(confirmed.invoice.invoice.kind, InvoiceKind::kBlue);
  EXPECT_EQ(confirmed.invoice.invoice.amount.fen, amount);
  EXPECT_EQ(confirmed.invoice.invoice.buyer_name, "北京某某商贸有限公司");
  EXPECT_EQ(SaleStatusOf(sale.sale.sales_no), "paid");
  for (const std::string& serial : Serials(1, 3))
    EXPECT_EQ(LoadCard(serial)->status, CardStatus::kAwaitingActivation);

  // After confirmation: 1002 debit = amount, 2203 credit = amount, 1122 nets to zero.
  EXPECT_EQ(Account(ledger::kBank), std::make_pair(amount, int64_t{0}));
  EXPECT_EQ(Account(ledger::kAdvancePremium), std::make_pair(int64_t{0}, amount));
  EXPECT_EQ(Account(ledger::kPremiumReceivable), std::make_pair(amount, amount));
  EXPECT_EQ(Must(ledger_.EntriesFor(*db_, ledger::RefType::kReceipt, receipt.receipt.id)).size(), 2u);

  EXPECT_EQ(AuditRecords("receipt.issue").size(), 1u);
  EXPECT_EQ(AuditRecords("receipt.confirm").size(), 1u);
  EXPECT_EQ(AuditRecords("invoice.issue").size(), 1u);

  InvoiceView invoice = Must(sales_->GetInvoice(As("cashier.bj01"), confirmed.invoice.invoice.invoice_no));
  EXPECT_EQ(invoice.receipt_no, receipt.receipt.receipt_no);
  std::string text = PdfText(Must(sales_->InvoicePdf(As("cashier.bj01"), invoice.invoice.invoice_no)));
  ASSERT_FALSE(text.empty()) << "pdftotext produced nothing";
  EXPECT_THAT(text, HasSubstr(invoice.invoice.invoice_no));
  EXPECT_THAT(text, HasSubstr("297.00"));
  std::string receipt_text =
      PdfText(Must(sales_->ReceiptPdf(As("cashier.bj01"), receipt.receipt.receipt_no)));
  EXPECT_THAT(receipt_text, HasSubstr(receipt.receipt.receipt_no));

  SaleView after = Must(sales_->GetSale(As("doc.bj01"), sale.sale.id));
  EXPECT_EQ(after.receipt_no, receipt.receipt.receipt_no);
  EXPECT_EQ(after.invoice_no, invoice.invoice.invoice_no);
}

TEST_F(CardSalesTest, RefusesASecondReceiptAWrongAmountAndASecondConfirmation) {
  SaleView sale = Sell(1, 2);
  ReceiptView receipt = Charge(sale);
  Result<ReceiptView> again =
      sales_->IssueReceipt(As("cashier.bj01"), ReceiptRequest{sale.sale.sales_no, std::nullopt});
  EXPECT_EQ(again.status().reason(), "receipt_already_issued");

  Result<ConfirmResult> wrong =
      sales_->ConfirmReceipt(As("cashier.bj01"), receipt.receipt.receipt_no,
                             ConfirmRequest{2 * kFace - 1, std::nullopt, std::nullopt});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), StatusCode::kInvalidArgument);
  ASSERT_EQ(wrong.status().fields().size(), 1u);
  EXPECT_EQ(wrong.status().fields()[0].field, "amount_fen");
  EXPECT_EQ(wrong.status().fields()[0].code, "amount_mismatch");

  Confirm(receipt);
  Result<ConfirmResult> twice = sales_->ConfirmReceipt(As("cashier.bj01"), receipt.receipt.receipt_no,
                                                       ConfirmRequest{2 * kFace, std::nullopt, std::nullopt});
  EXPECT_EQ(twice.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(twice.status().reason(), "receipt_not_issued");
}

TEST_F(CardSalesTest, ValidatesReceiptAndConfirmationInput) {
  SaleView sale = Sell(1, 1);
  EXPECT_EQ(sales_->IssueReceipt(As("cashier.bj01"), {}).status().fields().at(0).field, "sales_no");
  Result<ReceiptView> both = sales_->IssueReceipt(As("cashier.bj01"), ReceiptRequest{"XS1", "HS1"});
  EXPECT_EQ(both.status().fields().at(0).code, "conflicting");
  EXPECT_EQ(
      sales_->IssueReceipt(As("doc.bj01"), ReceiptRequest{sale.sale.sales_no, std::nullopt}).status().code(),
      StatusCode::kPermissionDenied);
  ReceiptView receipt = Charge(sale);
  Result<ConfirmResult> bad = sales_->ConfirmReceipt(As("cashier.bj01"), receipt.receipt.receipt_no,
                                                     ConfirmRequest{0, "张三 13800138000", std::nullopt});
  ASSERT_FALSE(bad.ok());
  std::vector<std::string> fields;
  for (const FieldError& e : bad.status().fields()) fields.push_back(e.field + ":" + e.code);
  EXPECT_THAT(fields, Contains("amount_fen:out_of_range"));
  EXPECT_THAT(fields, Contains("payer_name:personal_number_not_allowed"));
  EXPECT_EQ(sales_->GetReceipt(As("cashier.sh01"), receipt.receipt.receipt_no).status().code(),
            StatusCode::kNotFound);
}

// Two cashiers confirming the same receipt at once: exactly one succeeds.
TEST_F(CardSalesTest, ConcurrentConfirmationsOfOneReceiptSucceedOnce) {
  SaleView sale = Sell(1, 5);
  ReceiptView receipt = Charge(sale);
  AddStaff("cashier2.bj01", "BJ01", {"cashier"});
  const Actor first = As("cashier.bj01");
  const Actor second = As("cashier2.bj01");
  std::atomic<int> ok{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (const Actor* actor : {&first, &second, &first, &second}) {
    threads.emplace_back([&, actor] {
      Result<ConfirmResult> r = sales_->ConfirmReceipt(*actor, receipt.receipt.receipt_no,
                                                       ConfirmRequest{5 * kFace, std::nullopt, std::nullopt});
      if (r.ok()) {
        ++ok;
      } else if (r.status().reason() == "receipt_not_issued") {
        ++refused;
      } else {
        ADD_FAILURE() << r.status().ToString();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(refused.load(), 3);
  EXPECT_EQ(AuditRecords("invoice.issue").size(), 1u);
  EXPECT_EQ(Account(ledger::kBank), std::make_pair(5 * kFace, int64_t{0}));
}

// --- Reverse processing -------------------------------------------------------------------------

TEST_F(CardSalesTest, ReversingUnpaidCardsShrinksTheSaleAndItsReceivable) {
  SaleView sale = Sell(1, 3);
  ReceiptView receipt = Charge(sale);
  RecoveryView recovery = Reverse(sale, {Serial(2)}, "restock");
  EXPECT_THAT(recovery.recovery.recovery_no, ::testing::MatchesRegex("HS20260101[0-9]{6}"));
  EXPECT_FALSE(recovery.recovery.paid_before);
  EXPECT_EQ(recovery.recovery.status, RecoveryStatus::kCompleted);
  EXPECT_EQ(recovery.recovery.amount.fen, kFace);
  Card card = *LoadCard(Serial(2));
  EXPECT_EQ(card.status, CardStatus::kInStock);
  EXPECT_FALSE(card.sales_id.has_value());
  EXPECT_EQ(card.holder_type, HolderType::kOrg);
  EXPECT_EQ(card.holder_id, org_.at("BJ01"));

  SaleView after = Must(sales_->GetSale(As("doc.bj01"), sale.sale.id));
  EXPECT_EQ(after.sale.quantity, 2);
  EXPECT_EQ(after.sale.amount.fen, 2 * kFace);
  EXPECT_EQ(after.serials, (std::vector<std::string>{Serial(1), Serial(3)}));
  ReceiptView shrunk = Must(sales_->GetReceipt(As("cashier.bj01"), receipt.receipt.receipt_no));
  EXPECT_EQ(shrunk.receipt.amount.fen, 2 * kFace);
  // Dr 2203 / Cr 1122 for the returned card.
  EXPECT_EQ(Account(ledger::kPremiumReceivable), std::make_pair(3 * kFace, kFace));
  EXPECT_EQ(Account(ledger::kAdvancePremium), std::make_pair(kFace, 3 * kFace));

  ConfirmResult confirmed = Confirm(shrunk);
  EXPECT_EQ(confirmed.invoice.invoice.amount.fen, 2 * kFace);
  EXPECT_EQ(Account(ledger::kPremiumReceivable), std::make_pair(3 * kFace, 3 * kFace));
  EXPECT_EQ(Account(ledger::kBank), std::make_pair(2 * kFace, int64_t{0}));
  // The restocked card can be sold again.
  EXPECT_EQ(Sell(2, 2).sale.quantity, 1);
  EXPECT_EQ(AuditRecords("card_recovery.register").size(), 1u);
}

TEST_F(CardSalesTest, ReversingEveryUnpaidCardReversesTheSale) {
  SaleView sale = Sell(1, 2);
  ReceiptView receipt = Charge(sale);
  Reverse(sale, {Serial(1), Serial(2)}, "void");
  EXPECT_EQ(SaleStatusOf(sale.sale.sales_no), "reversed");
  EXPECT_EQ(LoadCard(Serial(1))->status, CardStatus::kVoided);
  ReceiptView cancelled = Must(sales_->GetReceipt(As("cashier.bj01"), receipt.receipt.receipt_no));
  EXPECT_EQ(cancelled.receipt.status, ReceiptStatus::kCancelled);
  EXPECT_EQ(cancelled.receipt.amount.fen, 0);
  EXPECT_EQ(Account(ledger::kPremiumReceivable), std::make_pair(2 * kFace, 2 * kFace));
  Result<ConfirmResult> confirm = sales_->ConfirmReceipt(As("cashier.bj01"), receipt.receipt.receipt_no,
                                                         ConfirmRequest{1, std::nullopt, std::nullopt});
  EXPECT_EQ(confirm.status().reason(), "receipt_not_issued");
}

// Seed 000, other circumstances 2: recovery ID → refund receipt → confirmation → red-letter invoice.
TEST_F(CardSalesTest, ReversingPaidCardsRefundsWithARedLetterInvoice) {
  SaleView sale = Sell(1, 2);
  ConfirmResult paid = Confirm(Charge(sale), "北京某某商贸有限公司");
  RecoveryView recovery = Reverse(sale, {Serial(2)}, "void");
  EXPECT_TRUE(recovery.recovery.paid_before);
  EXPECT_EQ(recovery.recovery.status, RecoveryStatus::kRegistered);
  EXPECT_EQ(LoadCard(Serial(2))->status, CardStatus::kVoided);
  EXPECT_EQ(SaleStatusOf(sale.sale.sales_no), "paid");

  ReceiptView refund = Must(
      sales_->IssueReceipt(As("cashier.bj01"), ReceiptRequest{std::nullopt, recovery.recovery.recovery_no}));
  EXPECT_EQ(refund.receipt.kind, ReceiptKind::kRefund);
  EXPECT_EQ(refund.receipt.amount.fen, kFace);
  EXPECT_EQ(refund.recovery_no, recovery.recovery.recovery_no);
  ConfirmResult refunded = Confirm(refund);
  const Invoice& red = refunded.invoice.invoice;
  EXPECT_EQ(red.kind, InvoiceKind::kRed);
  EXPECT_EQ(red.amount.fen, -kFace);
  EXPECT_EQ(red.original_invoice_id, paid.invoice.invoice.id);
  EXPECT_EQ(refunded.invoice.original_invoice_no, paid.invoice.invoice.invoice_no);
  EXPECT_EQ(red.buyer_name, "北京某某商贸有限公司");
  EXPECT_EQ(Must(sales_->GetRecovery(As("doc.bj01"), recovery.recovery.recovery_no)).recovery.status,
            RecoveryStatus::kRefunded);

  // Dr 2203 / Cr 1002 for the refund; the ledger still balances.
  EXPECT_EQ(Account(ledger::kBank), std::make_pair(2 * kFace, kFace));
  EXPECT_EQ(Account(ledger::kAdvancePremium), std::make_pair(kFace, 2 * kFace));
  EXPECT_EQ(Account(ledger::kPremiumReceivable), std::make_pair(2 * kFace, 2 * kFace));
  EXPECT_EQ(AuditRecords("card_recovery.refund").size(), 1u);

  std::string text = PdfText(Must(sales_->InvoicePdf(As("cashier.bj01"), red.invoice_no)));
  ASSERT_FALSE(text.empty()) << "pdftotext produced nothing";
  EXPECT_THAT(text, HasSubstr(red.invoice_no));
  EXPECT_THAT(text, HasSubstr("-99.00"));
  EXPECT_THAT(text, HasSubstr(paid.invoice.invoice.invoice_no));

  Result<ReceiptView> again =
      sales_->IssueReceipt(As("cashier.bj01"), ReceiptRequest{std::nullopt, recovery.recovery.recovery_no});
  EXPECT_EQ(again.status().reason(), "receipt_already_issued");
}

// The finance lists: every receipt and invoice of the caller's subtree, oldest first, filtered by
// kind, status and issue day, in pages; other institutions and callers without invoice.read see none.
TEST_F(CardSalesTest, ListsReceiptsAndInvoicesWithFiltersAndPages) {
  SaleView paid_sale = Sell(1, 2);
  ConfirmResult paid = Confirm(Charge(paid_sale));
  clock_.Advance(1000);  // ids order by their millisecond, then randomly
  ReceiptView waiting = Charge(Sell(3, 3));
  clock_.Advance(1000);
  RecoveryView recovery = Reverse(paid_sale, {Serial(2)}, "void");
  ReceiptView refund = Must(
      sales_->IssueReceipt(As("cashier.bj01"), ReceiptRequest{std::nullopt, recovery.recovery.recovery_no}));
  ConfirmResult refunded = Confirm(refund);

  auto receipt_nos = [&](const Actor& actor, DocumentListQuery query) {
    std::vector<std::string> nos;
    for (const ReceiptView& view : Must(sales_->ListReceipts(actor, query)).items) {
      nos.push_back(view.receipt.receipt_no);
    }
    return nos;
  };
  const std::vector<std::string> all = {paid.receipt.receipt.receipt_no, waiting.receipt.receipt_no,
                                        refund.receipt.receipt_no};
  EXPECT_EQ(receipt_nos(As("cashier.bj01"), {}), all);
  EXPECT_EQ(receipt_nos(As("auditor"), {}), all);  // the head office sees its branches'
  EXPECT_EQ(receipt_nos(As("cashier.bj01"), {.kind = "refund"}),
            std::vector<std::string>({refund.receipt.receipt_no}));
  EXPECT_EQ(receipt_nos(As("cashier.bj01"), {.status = "issued"}),
            std::vector<std::string>({waiting.receipt.receipt_no}));
  const int64_t now = clock_.NowMs();
  EXPECT_EQ(receipt_nos(As("cashier.bj01"), {.from_ms = now - 999}),
            std::vector<std::string>({refund.receipt.receipt_no}));
  EXPECT_TRUE(receipt_nos(As("cashier.bj01"), {.to_ms = now - 2000}).empty());
  EXPECT_TRUE(receipt_nos(As("cashier.sh01"), {}).empty());

  // Each item is the receipt as GetReceipt shows it: its sale, invoice and masked bank reference.
  DocumentPage<ReceiptView> first = Must(sales_->ListReceipts(As("cashier.bj01"), {.limit = 1}));
  ASSERT_EQ(first.items.size(), 1u);
  EXPECT_EQ(first.items[0].sales_no, paid_sale.sale.sales_no);
  EXPECT_EQ(first.items[0].invoice_no, paid.invoice.invoice.invoice_no);
  EXPECT_EQ(first.items[0].bank_reference_masked, std::string(12, '*') + "-778");
  ASSERT_TRUE(first.next_after.has_value());
  DocumentPage<ReceiptView> rest =
      Must(sales_->ListReceipts(As("cashier.bj01"), {.after = *first.next_after, .limit = 2}));
  ASSERT_EQ(rest.items.size(), 2u);
  EXPECT_EQ(rest.items[1].receipt.receipt_no, refund.receipt.receipt_no);
  EXPECT_FALSE(rest.next_after.has_value());

  DocumentPage<InvoiceView> invoices = Must(sales_->ListInvoices(As("cashier.bj01"), {}));
  ASSERT_EQ(invoices.items.size(), 2u);
  EXPECT_EQ(invoices.items[0].invoice.invoice_no, paid.invoice.invoice.invoice_no);
  DocumentPage<InvoiceView> red = Must(sales_->ListInvoices(As("cashier.bj01"), {.kind = "red"}));
  ASSERT_EQ(red.items.size(), 1u);
  EXPECT_EQ(red.items[0].invoice.invoice_no, refunded.invoice.invoice.invoice_no);
  EXPECT_EQ(red.items[0].original_invoice_no, paid.invoice.invoice.invoice_no);
  EXPECT_EQ(red.items[0].invoice.amount.fen, -kFace);
  // A status filter does not hide invoices (they have none).
  EXPECT_EQ(Must(sales_->ListInvoices(As("cashier.bj01"), {.status = "issued"})).items.size(), 2u);
  EXPECT_TRUE(Must(sales_->ListInvoices(As("cashier.sh01"), {})).items.empty());

  // Recoveries, with their cards: by disposition and status; scoped like the rest.
  clock_.Advance(1000);  // after the first recovery's id
  RecoveryView restocked =
      Reverse(Must(sales_->GetSale(As("doc.bj01"), waiting.sales_no.value_or(""))), {Serial(3)}, "restock");
  DocumentPage<RecoveryView> recoveries = Must(sales_->ListRecoveries(As("doc.bj01"), {}));
  ASSERT_EQ(recoveries.items.size(), 2u);
  EXPECT_EQ(recoveries.items[0].recovery.recovery_no, recovery.recovery.recovery_no);
  EXPECT_EQ(recoveries.items[0].recovery.serials, std::vector<std::string>({Serial(2)}));
  EXPECT_EQ(recoveries.items[0].invoice_no, refunded.invoice.invoice.invoice_no);
  DocumentPage<RecoveryView> restock = Must(sales_->ListRecoveries(As("doc.bj01"), {.kind = "restock"}));
  ASSERT_EQ(restock.items.size(), 1u);
  EXPECT_EQ(restock.items[0].recovery.recovery_no, restocked.recovery.recovery_no);
  EXPECT_EQ(restock.items[0].recovery.serials, std::vector<std::string>({Serial(3)}));
  EXPECT_EQ(Must(sales_->ListRecoveries(As("doc.bj01"), {.status = "refunded"})).items.size(), 1u);
  EXPECT_TRUE(Must(sales_->ListRecoveries(As("doc.sh01"), {})).items.empty());

  EXPECT_EQ(sales_->ListReceipts(As("seller.bj01"), {}).status().reason(), "permission_denied");
  EXPECT_EQ(sales_->ListInvoices(As("seller.bj01"), {}).status().reason(), "permission_denied");
}

// Each receipt is audited when issued; each confirmation audits its receipt, then the invoice it
// issues (a red-letter one naming the invoice it reverses); the refund's confirmation then audits
// the recovery refunded.
TEST_F(CardSalesTest, ConfirmationsAuditTheReceiptThenItsInvoice) {
  SaleView sale = Sell(1, 2);
  ReceiptView charge = Charge(sale);
  ConfirmResult paid = Confirm(charge, "北京某某商贸有限公司");
  RecoveryView recovery = Reverse(sale, {Serial(2)}, "void");
  ReceiptView refund = Must(
      sales_->IssueReceipt(As("cashier.bj01"), ReceiptRequest{std::nullopt, recovery.recovery.recovery_no}));
  ConfirmResult refunded = Confirm(refund);

  audit::AuditFilter filter;
  filter.limit = 1000;
  json trail = json::array();
  for (const audit::AuditRecord& r : Must(audit_.Query(*db_, filter))) {
    if (r.action != "receipt.issue" && r.action != "receipt.confirm" && r.action != "invoice.issue" &&
        r.action != "card_recovery.refund")
      continue;
    trail.push_back({{"action", r.action},
                     {"object", r.object_type + " " + r.object_id},
                     {"summary", json::parse(r.summary)}});
  }
  const Invoice& blue = paid.invoice.invoice;
  const Invoice& red = refunded.invoice.invoice;
  const json expected = json::array({
      {{"action", "receipt.issue"},
       {"object", "receipt " + charge.receipt.id},
       {"summary",
        {{"receipt_no", charge.receipt.receipt_no},
         {"kind", "charge"},
         {"sales_no", sale.sale.sales_no},
         {"amount_fen", 2 * kFace}}}},
      {{"action", "receipt.confirm"},
       {"object", "receipt " + charge.receipt.id},
       {"summary",
        {{"receipt_no", charge.receipt.receipt_no},
         {"kind", "charge"},
         {"sales_no", sale.sale.sales_no},
         {"amount_fen", 2 * kFace},
         {"cards", 2},
         {"bank_reference", true}}}},
      {{"action", "invoice.issue"},
       {"object", "invoice " + blue.id},
       {"summary",
        {{"invoice_no", blue.invoice_no},
         {"kind", "blue"},
         {"receipt_no", charge.receipt.receipt_no},
         {"amount_fen", 2 * kFace}}}},
      {{"action", "receipt.issue"},
       {"object", "receipt " + refund.receipt.id},
       {"summary",
        {{"receipt_no", refund.receipt.receipt_no},
         {"kind", "refund"},
         {"sales_no", sale.sale.sales_no},
         {"recovery_no", recovery.recovery.recovery_no},
         {"amount_fen", kFace}}}},
      {{"action", "receipt.confirm"},
       {"object", "receipt " + refund.receipt.id},
       {"summary",
        {{"receipt_no", refund.receipt.receipt_no},
         {"kind", "refund"},
         {"recovery_no", recovery.recovery.recovery_no},
         {"amount_fen", kFace},
         {"bank_reference", true}}}},
      {{"action", "invoice.issue"},
       {"object", "invoice " + red.id},
       {"summary",
        {{"invoice_no", red.invoice_no},
         {"kind", "red"},
         {"receipt_no", refund.receipt.receipt_no},
         {"original_invoice_no", blue.invoice_no},
         {"amount_fen", -kFace}}}},
      {{"action", "card_recovery.refund"},
       {"object", "card_recovery " + recovery.recovery.id},
       {"summary",
        {{"recovery_no", recovery.recovery.recovery_no},
         {"receipt_no", refund.receipt.receipt_no},
         {"amount_fen", kFace}}}},
  });
  EXPECT_EQ(trail, expected) << trail.dump(2);
}

TEST_F(CardSalesTest, NoRefundReceiptForUnpaidCards) {
  SaleView sale = Sell(1, 2);
  RecoveryView recovery = Reverse(sale, {Serial(1)}, "restock");
  Result<ReceiptView> refund =
      sales_->IssueReceipt(As("cashier.bj01"), ReceiptRequest{std::nullopt, recovery.recovery.recovery_no});
  EXPECT_EQ(refund.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(refund.status().reason(), "no_refund_due");
}

// An activated card is no longer reversible: its policy is surrendered instead (a later issue).
TEST_F(CardSalesTest, RefusesToReverseAnActivatedCard) {
  SaleView sale = Sell(1, 2);
  Confirm(Charge(sale));
  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) -> Status {
                   ANXIN_ASSIGN_OR_RETURN(
                       bool moved,
                       card_store_.Transition(tx, Serial(1), CardStatus::kAwaitingActivation,
                                              CardStatus::kActivated, CardChange{}, clock_.NowMs()));
                   return moved ? Status::Ok() : Status::Internal("not moved");
                 })
                  .ok());
  Result<RecoveryView> result = sales_->RegisterRecovery(
      As("doc.bj01"), RecoveryRequest{sale.sale.sales_no, {Serial(2), Serial(1)}, "restock", "客户退卡"});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(result.status().reason(), "card_not_reversible");
  ASSERT_EQ(result.status().fields().size(), 1u);
  EXPECT_EQ(result.status().fields()[0].field, "serials[1]");
  EXPECT_EQ(LoadCard(Serial(2))->status, CardStatus::kAwaitingActivation);
}

TEST_F(CardSalesTest, RejectsInvalidRecoveries) {
  SaleView sale = Sell(1, 2);
  Sell(3, 3);
  struct Case {
    RecoveryRequest request;
    std::string field;
    std::string code;
  };
  const std::vector<Case> cases = {
      {{"", {Serial(1)}, "restock", "客户退卡"}, "sales_no", "required"},
      {{sale.sale.sales_no, {}, "restock", "客户退卡"}, "serials", "required"},
      {{sale.sale.sales_no, {Serial(1), Serial(1)}, "restock", "客户退卡"}, "serials[1]", "duplicate"},
      {{sale.sale.sales_no, {"ACC123"}, "restock", "客户退卡"}, "serials[0]", "invalid_format"},
      {{sale.sale.sales_no, {Serial(1)}, "burn", "客户退卡"}, "disposition", "invalid_value"},
      {{sale.sale.sales_no, {Serial(1)}, "", "客户退卡"}, "disposition", "required"},
      {{sale.sale.sales_no, {Serial(1)}, "void", "退"}, "reason", "too_short"},
      {{sale.sale.sales_no, {Serial(1)}, "void", std::string(201, 'x')}, "reason", "too_long"},
      {{sale.sale.sales_no, {Serial(1)}, "void", "客户电话 138 0013 8000"},
       "reason",
       "personal_number_not_allowed"},
  };
  for (const Case& c : cases) {
    Result<RecoveryView> result = sales_->RegisterRecovery(As("doc.bj01"), c.request);
    ASSERT_FALSE(result.ok()) << c.field;
    EXPECT_EQ(result.status().reason(), "validation_failed") << c.field;
    std::vector<std::string> fields;
    for (const FieldError& e : result.status().fields()) fields.push_back(e.field + ":" + e.code);
    EXPECT_THAT(fields, Contains(c.field + ":" + c.code)) << result.status().ToString();
  }
  // A card of another sale.
  Result<RecoveryView> other = sales_->RegisterRecovery(
      As("doc.bj01"), RecoveryRequest{sale.sale.sales_no, {Serial(3)}, "restock", "客户退卡"});
  EXPECT_EQ(other.status().reason(), "card_not_in_sale");
  EXPECT_EQ(sales_
                ->RegisterRecovery(As("doc.bj"),
                                   RecoveryRequest{sale.sale.sales_no, {Serial(1)}, "void", "客户退卡"})
                .status()
                .reason(),
            "institution_level_required");
}

// Two reversals of the same card at once: exactly one succeeds.
TEST_F(CardSalesTest, ConcurrentReversalsOfOneCardSucceedOnce) {
  SaleView sale = Sell(1, 3);
  const Actor actor = As("doc.bj01");
  std::atomic<int> ok{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      Result<RecoveryView> r = sales_->RegisterRecovery(
          actor,
          RecoveryRequest{sale.sale.sales_no, {Serial(2)}, i % 2 == 0 ? "restock" : "void", "客户退卡"});
      if (r.ok()) {
        ++ok;
      } else if (r.status().code() == StatusCode::kFailedPrecondition ||
                 r.status().code() == StatusCode::kAborted) {
        ++refused;
      } else {
        ADD_FAILURE() << r.status().ToString();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(refused.load(), 3);
  SaleView after = Must(sales_->GetSale(actor, sale.sale.id));
  EXPECT_EQ(after.sale.quantity, 2);
  EXPECT_EQ(after.sale.amount.fen, 2 * kFace);
}

// --- Report lost --------------------------------------------------------------------------------

TEST_F(CardSalesTest, FreezesAndUnfreezesACard) {
  SaleView sale = Sell(1, 2);
  Card frozen = Must(sales_->Freeze(As("doc.bj01"), Serial(1), "客户报失"));
  EXPECT_EQ(frozen.status, CardStatus::kFrozen);
  EXPECT_EQ(frozen.status_before_freeze, CardStatus::kSold);
  EXPECT_EQ(sales_->Freeze(As("doc.bj01"), Serial(1), "客户报失").status().reason(), "card_not_freezable");

  // A frozen card stops the confirmation of its sale, all or nothing.
  ReceiptView receipt = Charge(sale);
  Result<ConfirmResult> blocked = sales_->ConfirmReceipt(
      As("cashier.bj01"), receipt.receipt.receipt_no, ConfirmRequest{2 * kFace, std::nullopt, std::nullopt});
  EXPECT_EQ(blocked.status().reason(), "cards_not_confirmable");
  EXPECT_EQ(LoadCard(Serial(2))->status, CardStatus::kSold);

  // Customer service at head office may unfreeze it; it returns to "sold".
  Card thawed = Must(sales_->Unfreeze(As("cs.hq"), Serial(1), ""));
  EXPECT_EQ(thawed.status, CardStatus::kSold);
  EXPECT_FALSE(thawed.status_before_freeze.has_value());
  EXPECT_EQ(sales_->Unfreeze(As("cs.hq"), Serial(1), "").status().reason(), "card_not_frozen");
  Confirm(receipt);
  EXPECT_EQ(AuditRecords("card.freeze").size(), 1u);
  EXPECT_EQ(AuditRecords("card.unfreeze").size(), 1u);

  // Stock can be reported lost too; input is checked.
  EXPECT_EQ(Must(sales_->Freeze(As("doc.bj01"), Serial(30), "运输途中遗失")).status_before_freeze,
            CardStatus::kInStock);
  EXPECT_EQ(sales_->Freeze(As("doc.bj01"), Serial(31), "").status().fields().at(0).field, "reason");
  EXPECT_EQ(sales_->Freeze(As("doc.bj01"), "ACC1", "客户报失").status().fields().at(0).field, "serial");
  EXPECT_EQ(sales_->Freeze(As("cashier.bj01"), Serial(31), "客户报失").status().code(),
            StatusCode::kPermissionDenied);
}

// --- Routes -------------------------------------------------------------------------------------

class CardSalesRoutesTest : public CardSalesTest {
 protected:
  void SetUp() override {
    CardSalesTest::SetUp();
    if (HasFatalFailure()) return;
    router_.SetAuthenticator(authenticator_.get());
    RegisterCardSalesRoutes(router_, *sales_);
  }

  http::Response Call(const std::string& method, const std::string& path, const std::string& login,
                      const json& body = nullptr, std::map<std::string, std::string> query = {}) {
    http::Request request;
    request.method = method;
    request.path = path;
    request.query = std::move(query);
    request.request_id = "req-card-sales";
    request.client_address = "198.51.100.9";
    request.headers["authorization"] = "Bearer " + TokenOf(login);
    if (!body.is_null()) {
      request.headers["content-type"] = "application/json";
      request.body = body.dump();
    }
    return router_.Handle(request);
  }

  static json Body(const http::Response& response) { return json::parse(response.body); }

  http::Router router_;
};

TEST_F(CardSalesRoutesTest, RegistersPaysAndPrintsOverHttp) {
  http::Response created = Call("POST", "/api/v1/card-sales", "doc.bj01",
                                {{"doc_type_code", type_.code},
                                 {"seller_org_code", "BJ01"},
                                 {"seller_code", "seller.bj01"},
                                 {"business_source", "agency"},
                                 {"first_serial", Serial(1)},
                                 {"last_serial", Serial(2)}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string sales_no = Body(created)["sales_no"];
  EXPECT_EQ(Body(created)["amount_fen"], 2 * kFace);
  EXPECT_EQ(Body(created)["warnings"], json::array());

  http::Response pdf = Call("GET", "/api/v1/card-sales/" + sales_no + "/charge-list.pdf", "doc.bj01");
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(pdf.content_type, "application/pdf");
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");

  http::Response receipt = Call("POST", "/api/v1/receipts", "cashier.bj01", {{"sales_no", sales_no}});
  ASSERT_EQ(receipt.status, 201) << receipt.body;
  const std::string receipt_no = Body(receipt)["receipt_no"];
  http::Response confirmed = Call("POST", "/api/v1/receipts/" + receipt_no + "/confirm", "cashier.bj01",
                                  {{"amount_fen", 2 * kFace}});
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  const std::string invoice_no = Body(confirmed)["invoice"]["invoice_no"];
  EXPECT_EQ(Body(confirmed)["invoice"]["kind"], "blue");
  http::Response invoice_pdf = Call("GET", "/api/v1/invoices/" + invoice_no + "/pdf", "cashier.bj01");
  ASSERT_EQ(invoice_pdf.status, 200);
  EXPECT_THAT(PdfText(invoice_pdf.body), HasSubstr(invoice_no));
  EXPECT_EQ(Call("GET", "/api/v1/invoices/" + invoice_no, "cashier.sh01").status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/card-sales", "doc.bj01", nullptr, {{"status", "paid"}}).status, 200);

  // The finance lists, with the shape of the single documents.
  http::Response receipts =
      Call("GET", "/api/v1/receipts", "cashier.bj01", nullptr, {{"kind", "charge"}, {"status", "confirmed"}});
  ASSERT_EQ(receipts.status, 200) << receipts.body;
  ASSERT_EQ(Body(receipts)["items"].size(), 1u);
  EXPECT_EQ(Body(receipts)["items"][0], Body(Call("GET", "/api/v1/receipts/" + receipt_no, "cashier.bj01")));
  EXPECT_TRUE(Body(receipts)["next_after"].is_null());
  http::Response invoices = Call("GET", "/api/v1/invoices", "cashier.bj01", nullptr, {{"kind", "blue"}});
  ASSERT_EQ(invoices.status, 200) << invoices.body;
  ASSERT_EQ(Body(invoices)["items"].size(), 1u);
  EXPECT_EQ(Body(invoices)["items"][0]["invoice_no"], invoice_no);
  EXPECT_EQ(Body(Call("GET", "/api/v1/invoices", "cashier.sh01"))["items"], json::array());
  for (const auto& [path, param] : std::vector<std::pair<std::string, std::string>>{
           {"/api/v1/receipts", "kind"}, {"/api/v1/receipts", "status"}, {"/api/v1/invoices", "kind"}}) {
    http::Response bad = Call("GET", path, "cashier.bj01", nullptr, {{param, "pink"}});
    EXPECT_EQ(bad.status, 400) << path << " " << bad.body;
    EXPECT_EQ(Body(bad)["errors"][0]["field"], param) << path;
  }
  EXPECT_EQ(Call("GET", "/api/v1/invoices", "cashier.bj01", nullptr, {{"to", "2026-02-30"}}).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/receipts", "seller.bj01").status, 403);
  http::Response recoveries =
      Call("GET", "/api/v1/card-recoveries", "doc.bj01", nullptr, {{"status", "registered"}});
  ASSERT_EQ(recoveries.status, 200) << recoveries.body;
  EXPECT_EQ(Body(recoveries)["items"], json::array());  // nothing reversed in this sale
  http::Response bad_disposition =
      Call("GET", "/api/v1/card-recoveries", "doc.bj01", nullptr, {{"disposition", "burn"}});
  EXPECT_EQ(bad_disposition.status, 400);
  EXPECT_EQ(Body(bad_disposition)["errors"][0]["field"], "disposition");
}

// Issue 6 §5: a partly reversed sale reports what is still sold, whether it was paid or not, with
// the registered and reversed figures beside it.
TEST_F(CardSalesRoutesTest, PartlyReversedSalesReportWhatIsStillSoldPaidOrNot) {
  SaleView unpaid = Sell(1, 2);
  Charge(unpaid);
  Reverse(unpaid, {Serial(2)}, "restock");
  SaleView paid = Sell(3, 4);
  Confirm(Charge(paid));
  Reverse(paid, {Serial(4)}, "void");

  for (const SaleView* sale : {&unpaid, &paid}) {
    SCOPED_TRACE(sale->sale.sales_no);
    http::Response one = Call("GET", "/api/v1/card-sales/" + sale->sale.sales_no, "doc.bj01");
    ASSERT_EQ(one.status, 200) << one.body;
    json body = Body(one);
    EXPECT_EQ(body.at("quantity"), 1);
    EXPECT_EQ(body.at("amount_fen"), kFace);
    EXPECT_EQ(body.at("original_quantity"), 2);
    EXPECT_EQ(body.at("original_amount_fen"), 2 * kFace);
    EXPECT_EQ(body.at("reversed_quantity"), 1);
    EXPECT_EQ(body.at("reversed_amount_fen"), kFace);
    EXPECT_EQ(body.at("serials").size(), 1u);
  }
  http::Response list = Call("GET", "/api/v1/card-sales", "doc.bj01");
  ASSERT_EQ(list.status, 200) << list.body;
  json listed = Body(list);
  for (const json& item : listed.at("items")) {
    EXPECT_EQ(item.at("quantity"), 1) << item.at("sales_no");
    EXPECT_EQ(item.at("original_quantity"), 2) << item.at("sales_no");
  }
}

TEST_F(CardSalesRoutesTest, AnswersBadInputWithProblemDetails) {
  http::Response bad = Call("POST", "/api/v1/card-sales", "doc.bj01",
                            {{"doc_type_code", type_.code},
                             {"seller_org_code", "BJ01"},
                             {"seller_code", "seller.bj01"},
                             {"business_source", "street"},
                             {"serials", {Serial(1), "ACC12"}}});
  ASSERT_EQ(bad.status, 400) << bad.body;
  json errors = Body(bad)["errors"];
  std::vector<std::string> fields;
  for (const json& e : errors) fields.push_back(e["field"].get<std::string>());
  EXPECT_THAT(fields, Contains("business_source"));
  EXPECT_THAT(fields, Contains("serials[1]"));

  http::Response unknown = Call("POST", "/api/v1/card-recoveries", "doc.bj01",
                                {{"sales_no", "XS1"},
                                 {"serials", {Serial(1)}},
                                 {"disposition", "void"},
                                 {"reason", "客户退卡"},
                                 {"extra", 1}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(Call("POST", "/api/v1/receipts/SF1/confirm", "cashier.bj01", {{"amount_fen", "ten"}}).status,
            400);
  EXPECT_EQ(Call("GET", "/api/v1/card-sales", "doc.bj01", nullptr, {{"from", "2026-13-01"}}).status, 400);
  EXPECT_EQ(Call("POST", "/api/v1/card-sales", "cashier.bj01", {{"doc_type_code", "X"}}).status, 403);
  http::Response freeze =
      Call("POST", "/api/v1/cards/" + Serial(1) + "/freeze", "doc.bj01", {{"reason", "客户报失"}});
  ASSERT_EQ(freeze.status, 200) << freeze.body;
  EXPECT_EQ(Body(freeze)["status"]["name"], "frozen");
  http::Response unfreeze = Call("POST", "/api/v1/cards/" + Serial(1) + "/unfreeze", "doc.bj01");
  ASSERT_EQ(unfreeze.status, 200) << unfreeze.body;
  EXPECT_EQ(Body(unfreeze)["status"]["name"], "in_stock");
}

}  // namespace
}  // namespace anxin::cards
