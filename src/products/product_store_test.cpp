#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "products/product_test_support.hpp"

namespace anxin::products {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;

std::vector<std::string> Codes(const std::vector<Product>& products) {
  std::vector<std::string> codes;
  for (const Product& p : products) codes.push_back(p.code + "@" + std::to_string(p.version));
  return codes;
}

std::vector<std::string> Fields(const Status& status) {
  std::vector<std::string> fields;
  for (const FieldError& f : status.fields()) fields.push_back(f.field + " " + f.code);
  return fields;
}

class ProductStoreTest : public ProductTestBase {
 protected:
  std::vector<audit::AuditRecord> LoadRecords() {
    audit::AuditFilter filter;
    filter.action = "product.load";
    filter.limit = 1000;
    Result<std::vector<audit::AuditRecord>> records = audit_.Query(*db_, filter);
    EXPECT_TRUE(records.ok()) << records.status().ToString();
    return records.ok() ? *records : std::vector<audit::AuditRecord>{};
  }

  // Writes a copy of TERM_LIFE as `version` effective [from, to] into `file`.
  void WriteTermLifeVersion(const std::string& file, int version, const std::string& from,
                            const std::optional<std::string>& to, const std::string& name_suffix) {
    json d = ReadFile("term_life.json");
    d["version"] = version;
    d["effective_from"] = from;
    if (to) {
      d["effective_to"] = *to;
    } else {
      d.erase("effective_to");
    }
    d["name_en"] = "Term Life Insurance" + name_suffix;
    WriteFile(file, d);
  }
};

TEST_F(ProductStoreTest, LoadingTheSameDirectoryTwiceChangesNothingTheSecondTime) {
  const int shipped = static_cast<int>(ShippedCount());
  Result<LoadCounts> first = service_->LoadDirectory(dir_, cli_);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->added, shipped);
  EXPECT_EQ(first->unchanged, 0);

  Result<LoadCounts> second = service_->LoadDirectory(dir_, cli_);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->added, 0);
  EXPECT_EQ(second->unchanged, shipped);

  Result<std::vector<Product>> all = service_->List({});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(all->size(), static_cast<size_t>(shipped));
}

TEST_F(ProductStoreTest, ReformattedFileWithSameContentIsUnchanged) {
  ASSERT_TRUE(service_->LoadDirectory(dir_, cli_).ok());
  WriteFile("term_life.json", ReadFile("term_life.json"), /*indent=*/-1);
  Result<LoadCounts> again = service_->LoadDirectory(dir_, cli_);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->added, 0);
  EXPECT_EQ(again->unchanged, static_cast<int>(ShippedCount()));
}

// A published version never changes: a different definition under the same code and version is
// refused, and nothing of that load is written (not even a new product in the same directory).
TEST_F(ProductStoreTest, RefusesChangedDefinitionOfPublishedVersion) {
  ASSERT_TRUE(service_->LoadDirectory(dir_, cli_).ok());
  json life = ReadFile("term_life.json");
  life["name_zh"] = "定期寿险（修改）";
  WriteFile("term_life.json", life);
  json extra = ReadFile("gadget_screen.json");
  extra["code"] = "GADGET_EXTRA";
  WriteFile("gadget_extra.json", extra);

  Result<LoadCounts> load = service_->LoadDirectory(dir_, cli_);
  ASSERT_EQ(load.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(load.status().reason(), "product_version_immutable");
  EXPECT_NE(load.status().message().en.find("term_life.json"), std::string::npos);

  EXPECT_EQ(service_->Get("GADGET_EXTRA").status().code(), StatusCode::kNotFound);
  Result<Product> stored = service_->Get("TERM_LIFE", 1);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->name_zh, "定期寿险");
  EXPECT_EQ(LoadRecords().size(), ShippedCount());
}

TEST_F(ProductStoreTest, AddsHigherVersionAndKeepsTheOld) {
  ASSERT_TRUE(service_->LoadDirectory(dir_, cli_).ok());
  WriteTermLifeVersion("term_life.json", 2, "2026-01-01", std::nullopt, " v2");
  Result<LoadCounts> load = service_->LoadDirectory(dir_, cli_);
  ASSERT_TRUE(load.ok()) << load.status().ToString();
  EXPECT_EQ(load->added, 1);
  EXPECT_EQ(load->unchanged, static_cast<int>(ShippedCount()) - 1);

  Result<std::vector<ProductVersionRecord>> versions = service_->Versions("TERM_LIFE");
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].version, 1);
  EXPECT_EQ((*versions)[1].version, 2);
  EXPECT_EQ((*versions)[1].name_en, "Term Life Insurance v2");
  EXPECT_EQ((*versions)[1].line_of_business, LineOfBusiness::kLife);
  EXPECT_EQ((*versions)[1].effective_from, (Date{2026, 1, 1}));
  EXPECT_FALSE((*versions)[1].effective_to.has_value());
  EXPECT_EQ((*versions)[1].loaded_at_ms, kNowMs);
  EXPECT_NE((*versions)[0].definition_hash, (*versions)[1].definition_hash);

  // Both versions are effective today: the higher one is the one on sale.
  Result<Product> current = service_->Get("TERM_LIFE");
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current->version, 2);
  Result<Product> old = service_->Get("TERM_LIFE", 1);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->name_en, "Term Life Insurance");
}

TEST_F(ProductStoreTest, SelectsTheVersionEffectiveOnTheDate) {
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  std::filesystem::copy_file(ShippedDir() / "term_life.json", dir_ / "term_life.json");
  WriteTermLifeVersion("term_life.json", 1, "2026-01-01", "2026-06-30", " 2026H1");
  WriteTermLifeVersion("term_life_v2.json", 2, "2026-07-01", std::nullopt, " 2026H2");
  ASSERT_TRUE(service_->LoadDirectory(dir_, cli_).ok());

  struct {
    Date date;
    int version;  // 0: none effective
  } cases[] = {
      {{2025, 12, 31}, 0}, {{2026, 1, 1}, 1}, {{2026, 6, 30}, 1}, {{2026, 7, 1}, 2}, {{2030, 1, 1}, 2},
  };
  for (const auto& c : cases) {
    Result<Product> p = service_->Get("TERM_LIFE", std::nullopt, c.date);
    Result<std::vector<Product>> listed =
        service_->List({.line_of_business = std::nullopt, .on_date = c.date});
    ASSERT_TRUE(listed.ok());
    if (c.version == 0) {
      EXPECT_EQ(p.status().code(), StatusCode::kNotFound) << FormatDate(c.date);
      EXPECT_TRUE(listed->empty()) << FormatDate(c.date);
      continue;
    }
    ASSERT_TRUE(p.ok()) << FormatDate(c.date) << p.status().ToString();
    EXPECT_EQ(p->version, c.version) << FormatDate(c.date);
    EXPECT_THAT(Codes(*listed), ElementsAre("TERM_LIFE@" + std::to_string(c.version))) << FormatDate(c.date);
  }
  // Today (2026-11-21) by the service's clock.
  Result<Product> today = service_->Get("TERM_LIFE");
  ASSERT_TRUE(today.ok());
  EXPECT_EQ(today->version, 2);
  // An explicit version is returned whatever the date.
  Result<Product> v1 = service_->Get("TERM_LIFE", 1);
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(v1->effective_to, (Date{2026, 6, 30}));
  EXPECT_EQ(service_->Get("TERM_LIFE", 3).status().code(), StatusCode::kNotFound);
}

TEST_F(ProductStoreTest, ListsByLineOfBusiness) {
  ASSERT_TRUE(service_->LoadDirectory(dir_, cli_).ok());
  Result<std::vector<Product>> travel =
      service_->List({.line_of_business = LineOfBusiness::kTravel, .on_date = std::nullopt});
  ASSERT_TRUE(travel.ok());
  EXPECT_THAT(Codes(*travel), ElementsAre("TRAVEL_DOMESTIC@1", "TRAVEL_OVERSEAS@1"));
  Result<std::vector<Product>> life =
      service_->List({.line_of_business = LineOfBusiness::kLife, .on_date = std::nullopt});
  ASSERT_TRUE(life.ok());
  ASSERT_THAT(Codes(*life), ElementsAre("TERM_LIFE@1"));
  // The stored definition round-trips into the same product.
  const Product& p = life->front();
  EXPECT_EQ(p.cooling_off_days, 15);
  EXPECT_EQ(p.limitation_years, 5);
  EXPECT_EQ(p.surrender.method, SurrenderMethod::kCashValueTable);
  EXPECT_EQ(p.definition_hash, DefinitionHash(ReadFile("term_life.json")));
}

TEST_F(ProductStoreTest, WritesOneAuditRecordPerAddedVersion) {
  ASSERT_TRUE(service_->LoadDirectory(dir_, cli_).ok());
  ASSERT_TRUE(service_->LoadDirectory(dir_, cli_).ok());  // unchanged: no new records
  std::vector<audit::AuditRecord> records = LoadRecords();
  ASSERT_EQ(records.size(), ShippedCount());
  std::set<std::string> objects;
  for (const audit::AuditRecord& r : records) {
    objects.insert(r.object_id);
    EXPECT_EQ(r.object_type, "product");
    EXPECT_EQ(r.actor_id, "system:cli");
    EXPECT_EQ(r.result, "ok");
    json summary = json::parse(r.summary);
    EXPECT_EQ(summary.at("version"), 1);
    EXPECT_EQ(summary.at("definition_hash").get<std::string>().size(), 64u);
  }
  EXPECT_TRUE(objects.count("TERM_LIFE") == 1 && objects.count("MEDICAL_MILLION") == 1);

  WriteTermLifeVersion("term_life.json", 2, "2026-01-01", std::nullopt, " v2");
  ASSERT_TRUE(service_->LoadDirectory(dir_, cli_).ok());
  records = LoadRecords();
  ASSERT_EQ(records.size(), ShippedCount() + 1);
  EXPECT_EQ(records.back().object_id, "TERM_LIFE");
  EXPECT_EQ(json::parse(records.back().summary).at("version"), 2);
  EXPECT_EQ(json::parse(records.back().summary).at("source"), "term_life.json");
}

TEST_F(ProductStoreTest, InvalidFileFailsTheWholeLoadNamingTheFile) {
  json bad = ReadFile("medical_million.json");
  bad["plans"][0]["coverages"][1]["copay_percent"] = 150;
  bad["limitation_years"] = 5;
  WriteFile("medical_million.json", bad);
  WriteText("broken.json", "{\"code\": ");

  Result<LoadCounts> load = service_->LoadDirectory(dir_, cli_);
  ASSERT_EQ(load.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(load.status().reason(), "validation_failed");
  EXPECT_THAT(
      Fields(load.status()),
      ::testing::UnorderedElementsAre("broken.json malformed_json",
                                      "medical_million.json:plans[0].coverages[1].copay_percent out_of_range",
                                      "medical_million.json:limitation_years limitation_mismatch"));
  EXPECT_NE(load.status().message().en.find("medical_million.json"), std::string::npos);
  Result<std::vector<Product>> all = service_->List({});
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty());
  EXPECT_TRUE(LoadRecords().empty());
}

TEST_F(ProductStoreTest, RejectsTwoFilesWithTheSameCodeAndVersion) {
  WriteFile("term_life_copy.json", ReadFile("term_life.json"));
  Result<LoadCounts> load = service_->LoadDirectory(dir_, cli_);
  ASSERT_EQ(load.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(Fields(load.status()), ElementsAre("term_life_copy.json:version duplicate_product_version"));
}

TEST_F(ProductStoreTest, IgnoresFilesThatAreNotJson) {
  WriteText("README.txt", "not a product");
  Result<LoadCounts> load = service_->LoadDirectory(dir_, cli_);
  ASSERT_TRUE(load.ok()) << load.status().ToString();
  EXPECT_EQ(load->added, static_cast<int>(ShippedCount()));
}

TEST_F(ProductStoreTest, MissingDirectoryIsNotFound) {
  Result<LoadCounts> load = service_->LoadDirectory(dir_ / "nope", cli_);
  EXPECT_EQ(load.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(load.status().reason(), "products_dir_not_found");
}

TEST_F(ProductStoreTest, UnknownCodeIsNotFound) {
  ASSERT_TRUE(service_->LoadDirectory(dir_, cli_).ok());
  EXPECT_EQ(service_->Get("NO_SUCH").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->Versions("NO_SUCH").status().code(), StatusCode::kNotFound);
}

TEST_F(ProductStoreTest, StoreRefusesDuplicateInsert) {
  Result<Product> p = ParseProduct(ReadFile("gadget_screen.json"));
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(db_->Write([&](storage::Tx& tx) { return store_.Insert(tx, *p, kNowMs); }).ok());
  Status again = db_->Write([&](storage::Tx& tx) { return store_.Insert(tx, *p, kNowMs); });
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace anxin::products
