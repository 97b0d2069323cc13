// The card state machine over every status x action pair, and the serial number format.

#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cards/card.hpp"
#include "cards/card_serial.hpp"

namespace anxin::cards {
namespace {

// One expected outcome: a status name, or "!" + the refusal reason.
struct StatusRow {
  CardStatus from;
  // In the order of kAllCardActions: issue, recall, sell, confirm_payment, activate, reverse_restock,
  // reverse_void, void, freeze, unfreeze (with no remembered status), expire.
  std::vector<std::string> outcomes;
};

const std::vector<StatusRow>& Table() {
  static const std::vector<StatusRow> kTable = {
      {CardStatus::kInStock,
       {"in_stock", "in_stock", "sold", "!card_not_sold", "!card_not_activatable", "!card_not_reversible",
        "!card_not_reversible", "voided", "frozen", "!card_not_frozen", "expired"}},
      {CardStatus::kSold,
       {"!card_not_in_stock", "!card_not_in_stock", "!card_not_in_stock", "awaiting_activation",
        "!card_not_activatable", "in_stock", "voided", "!card_not_in_stock", "frozen", "!card_not_frozen",
        "expired"}},
      {CardStatus::kAwaitingActivation,
       {"!card_not_in_stock", "!card_not_in_stock", "!card_not_in_stock", "!card_not_sold", "activated",
        "in_stock", "voided", "!card_not_in_stock", "frozen", "!card_not_frozen", "expired"}},
      {CardStatus::kActivated,
       {"!card_not_in_stock", "!card_not_in_stock", "!card_not_in_stock", "!card_not_sold",
        "!card_not_activatable", "!card_not_reversible", "!card_not_reversible", "!card_not_in_stock",
        "!card_not_freezable", "!card_not_frozen", "!card_not_expirable"}},
      {CardStatus::kVoided,
       {"!card_not_in_stock", "!card_not_in_stock", "!card_not_in_stock", "!card_not_sold",
        "!card_not_activatable", "!card_not_reversible", "!card_not_reversible", "!card_not_in_stock",
        "!card_not_freezable", "!card_not_frozen", "!card_not_expirable"}},
      {CardStatus::kFrozen,
       {"!card_not_in_stock", "!card_not_in_stock", "!card_not_in_stock", "!card_not_sold",
        "!card_not_activatable", "!card_not_reversible", "!card_not_reversible", "!card_not_in_stock",
        "!card_not_freezable", "!card_not_frozen", "expired"}},
      {CardStatus::kExpired,
       {"!card_not_in_stock", "!card_not_in_stock", "!card_not_in_stock", "!card_not_sold",
        "!card_not_activatable", "!card_not_reversible", "!card_not_reversible", "!card_not_in_stock",
        "!card_not_freezable", "!card_not_frozen", "!card_not_expirable"}},
  };
  return kTable;
}

void ExpectOutcome(const Result<CardStatus>& result, const std::string& expected, const std::string& what) {
  if (expected[0] == '!') {
    ASSERT_FALSE(result.ok()) << what << ": expected refusal " << expected << ", got "
                              << CardStatusName(result.value());
    EXPECT_EQ(result.status().code(), StatusCode::kFailedPrecondition) << what;
    EXPECT_EQ(result.status().reason(), expected.substr(1)) << what;
    EXPECT_FALSE(result.status().message().zh.empty()) << what;
    EXPECT_FALSE(result.status().message().en.empty()) << what;
  } else {
    ASSERT_TRUE(result.ok()) << what << ": " << result.status().ToString();
    EXPECT_EQ(CardStatusName(result.value()), expected) << what;
  }
}

TEST(CardStateTest, TableCoversEveryStatusAndAction) {
  ASSERT_EQ(Table().size(), std::size(kAllCardStatuses));
  for (size_t i = 0; i < Table().size(); ++i) {
    EXPECT_EQ(Table()[i].from, kAllCardStatuses[i]);
    EXPECT_EQ(Table()[i].outcomes.size(), std::size(kAllCardActions));
  }
}

TEST(CardStateTest, EveryStatusActionPairHasTheExpectedOutcome) {
  for (const StatusRow& row : Table()) {
    for (size_t a = 0; a < std::size(kAllCardActions); ++a) {
      const CardAction action = kAllCardActions[a];
      const std::string what =
          std::string(CardStatusName(row.from)) + " --" + std::string(CardActionName(action)) + "-->";
      ExpectOutcome(CardTransition(row.from, action), row.outcomes[a], what);
    }
  }
}

TEST(CardStateTest, UnfreezeReturnsToTheLiveStatusFrozenFrom) {
  std::vector<std::optional<CardStatus>> befores = {std::nullopt};
  for (CardStatus s : kAllCardStatuses) befores.emplace_back(s);
  for (CardStatus from : kAllCardStatuses) {
    for (const std::optional<CardStatus>& before : befores) {
      const std::string what = std::string(CardStatusName(from)) + " unfreeze (before " +
                               (before ? std::string(CardStatusName(*before)) : "none") + ")";
      const bool live_before = before == CardStatus::kInStock || before == CardStatus::kSold ||
                               before == CardStatus::kAwaitingActivation;
      const std::string expected = from == CardStatus::kFrozen && live_before
                                       ? std::string(CardStatusName(*before))
                                       : "!card_not_frozen";
      ExpectOutcome(CardTransition(from, CardAction::kUnfreeze, before), expected, what);
    }
  }
}

TEST(CardStateTest, RefusalMessageNamesTheCurrentStatus) {
  Result<CardStatus> r = CardTransition(CardStatus::kActivated, CardAction::kSell);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().zh.find("已激活"), std::string::npos) << r.status().message().zh;
  EXPECT_NE(r.status().message().en.find("activated"), std::string::npos) << r.status().message().en;
}

TEST(CardStateTest, StatusNamesRoundTripAndLabelsAreChinese) {
  const std::vector<std::string> labels = {"库存",   "已销售", "待激活", "已激活",
                                           "已作废", "已挂失", "已过期"};
  for (size_t i = 0; i < std::size(kAllCardStatuses); ++i) {
    const CardStatus s = kAllCardStatuses[i];
    EXPECT_EQ(ParseCardStatus(CardStatusName(s)), s);
    EXPECT_EQ(CardStatusLabelZh(s), labels[i]);
  }
  EXPECT_EQ(ParseCardStatus("IN_STOCK"), std::nullopt);
  EXPECT_EQ(ParseCardStatus(""), std::nullopt);
}

TEST(CardStateTest, ActionNamesRoundTripAndAreDistinct) {
  std::set<std::string_view> names;
  for (CardAction a : kAllCardActions) {
    EXPECT_FALSE(CardActionName(a).empty());
    EXPECT_EQ(ParseCardAction(CardActionName(a)), a);
    names.insert(CardActionName(a));
  }
  EXPECT_EQ(names.size(), std::size(kAllCardActions));
  EXPECT_EQ(CardActionName(CardAction::kConfirmPayment), "confirm_payment");
  EXPECT_EQ(ParseCardAction("Expire"), std::nullopt);
}

// --- serials ---

TEST(CardSerialTest, FormatsPrefixTenDigitsAndLuhnCheckDigit) {
  // Luhn over 0000000042: 2 doubled is 4, plus 4 = 8, so the check digit is 2.
  EXPECT_EQ(FormatSerial("TRV", 42), "TRV00000000422");
  EXPECT_EQ(FormatSerial("AB", 1), "AB00000000018");
  EXPECT_EQ(FormatSerial("ABCD", kMaxSerialSequence), "ABCD99999999990");
}

TEST(CardSerialTest, RoundTripsAcrossSequencesAndPrefixes) {
  const std::vector<int64_t> seqs = {
      1, 2, 9, 10, 42, 99, 100, 12345, 999999, 1000000, 123456789, 4294967296, kMaxSerialSequence};
  for (const char* prefix : {"AB", "TRV", "ACCD"}) {
    for (int64_t seq : seqs) {
      const std::string serial = FormatSerial(prefix, seq);
      Result<ParsedSerial> parsed = ParseSerial(serial);
      ASSERT_TRUE(parsed.ok()) << serial << ": " << parsed.status().ToString();
      EXPECT_EQ(parsed->prefix, prefix);
      EXPECT_EQ(parsed->seq, seq);
    }
  }
}

TEST(CardSerialTest, AcceptsLowerCasePrefix) {
  Result<ParsedSerial> parsed = ParseSerial("trv00000000422");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->prefix, "TRV");
  EXPECT_EQ(parsed->seq, 42);
}

std::string FieldCode(const Result<ParsedSerial>& r) {
  if (r.ok() || r.status().fields().empty()) return "";
  return r.status().fields()[0].code;
}

TEST(CardSerialTest, CheckDigitCatchesEverySingleDigitError) {
  for (int64_t seq : {1LL, 42LL, 7654321LL, 9876543210LL}) {
    const std::string serial = FormatSerial("TRV", seq);
    for (size_t pos = 3; pos < serial.size(); ++pos) {
      for (char d = '0'; d <= '9'; ++d) {
        if (d == serial[pos]) continue;
        std::string typo = serial;
        typo[pos] = d;
        Result<ParsedSerial> r = ParseSerial(typo);
        ASSERT_FALSE(r.ok()) << typo;
        EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
        EXPECT_EQ(FieldCode(r), "invalid_checksum") << typo;
      }
    }
  }
}

TEST(CardSerialTest, CheckDigitCatchesAdjacentSwapsExceptZeroNine) {
  int checked = 0;
  for (int64_t seq : {1234567890LL, 42LL, 9081726354LL, 5500000055LL, 1029384756LL}) {
    const std::string serial = FormatSerial("TRV", seq);
    for (size_t pos = 3; pos + 1 < serial.size(); ++pos) {
      const char a = serial[pos];
      const char b = serial[pos + 1];
      if (a == b) continue;
      // Luhn's one blind spot: swapping 0 and 9 leaves the sum unchanged.
      if ((a == '0' && b == '9') || (a == '9' && b == '0')) continue;
      std::string swapped = serial;
      std::swap(swapped[pos], swapped[pos + 1]);
      Result<ParsedSerial> r = ParseSerial(swapped);
      EXPECT_EQ(FieldCode(r), "invalid_checksum") << serial << " -> " << swapped;
      ++checked;
    }
  }
  EXPECT_GT(checked, 30);
}

TEST(CardSerialTest, RejectsMalformedSerials) {
  struct Case {
    std::string serial;
    std::string code;
  };
  const std::vector<Case> cases = {
      {"", "invalid_format"},
      {"TRV", "invalid_format"},
      {"00000000422", "invalid_format"},                // no prefix
      {"T00000000422", "invalid_format"},               // one letter
      {"TRVXX00000000422", "invalid_format"},           // five letters
      {"TRV0000000042", "invalid_format"},              // ten digits
      {"TRV000000004222", "invalid_format"},            // twelve digits
      {"TRV0000000042A", "invalid_format"},             // letter among the digits
      {"TRV 00000000422", "invalid_format"},            // space
      {"TRV-00000000422", "invalid_format"},            // dash
      {"TR1V00000000422", "invalid_format"},            // digit in the prefix
      {"TRV00000000000", "invalid_format"},             // sequence 0 (check digit right)
      {"\xEF\xBC\xB4RV00000000422", "invalid_format"},  // full-width letter
      {"TRV00000000423", "invalid_checksum"},
  };
  for (const Case& c : cases) {
    Result<ParsedSerial> r = ParseSerial(c.serial, "first_serial");
    ASSERT_FALSE(r.ok()) << c.serial;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << c.serial;
    EXPECT_EQ(r.status().reason(), "validation_failed") << c.serial;
    ASSERT_EQ(r.status().fields().size(), 1u) << c.serial;
    EXPECT_EQ(r.status().fields()[0].field, "first_serial") << c.serial;
    EXPECT_EQ(r.status().fields()[0].code, c.code) << c.serial;
  }
}

TEST(CardSerialTest, ValidPrefixesAreTwoToFourUpperCaseLetters) {
  EXPECT_TRUE(IsValidSerialPrefix("AB"));
  EXPECT_TRUE(IsValidSerialPrefix("ABCD"));
  EXPECT_FALSE(IsValidSerialPrefix("A"));
  EXPECT_FALSE(IsValidSerialPrefix("ABCDE"));
  EXPECT_FALSE(IsValidSerialPrefix("Ab"));
  EXPECT_FALSE(IsValidSerialPrefix("A1"));
  EXPECT_FALSE(IsValidSerialPrefix(""));
}

}  // namespace
}  // namespace anxin::cards
