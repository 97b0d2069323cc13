#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/audit_log.hpp"
#include "common/actor.hpp"
#include "common/clock.hpp"
#include "common/status.hpp"
#include "products/product.hpp"
#include "products/product_pricing.hpp"
#include "products/product_store.hpp"
#include "storage/database.hpp"

namespace anxin::products {

// What a load did: versions added and versions already present with the same definition.
struct LoadCounts {
  int added = 0;
  int unchanged = 0;
};

// A definition to load and the name it is reported under (the file name).
struct NamedDefinition {
  std::string source;
  nlohmann::json definition;
};

struct ProductFilter {
  std::optional<LineOfBusiness> line_of_business;
  std::optional<Date> on_date;  // default: today (Asia/Shanghai)
};

// The product catalogue: loads product definitions (validated, immutable per version, audited)
// and answers which versions are on sale. Thread-safe.
class ProductService {
 public:
  // Keeps references to `db`, `store`, `audit` and `clock`; they must outlive the service.
  ProductService(storage::Database& db, ProductStore& store, const audit::AuditLog& audit,
                 const Clock& clock);

  // Loads every `*.json` file of directory `dir` (not recursive), in name order. Every file is
  // validated first; if any is unreadable or invalid nothing is written and the result is
  // kInvalidArgument "validation_failed" whose fields are "<file>:<json path>" (e.g.
  // "medical.json:plans[0].price.table[3].min_age"; "<file>" alone for unreadable or malformed
  // JSON, code "unreadable" / "malformed_json"; "duplicate_product_version" when two files carry
  // the same code and version). Then, in one transaction: a version already stored with the same
  // definition hash is counted unchanged; one stored with a different hash fails the whole load with
  // kFailedPrecondition "product_version_immutable" (bump the version instead); a new version is
  // inserted and audited (action "product.load") by `actor`. kNotFound "products_dir_not_found" if
  // `dir` is not a directory.
  Result<LoadCounts> LoadDirectory(const std::filesystem::path& dir, const Actor& actor);

  // Loads `definitions` as LoadDirectory loads files (the `source` names take the file's place).
  Result<LoadCounts> LoadDefinitions(const std::vector<NamedDefinition>& definitions, const Actor& actor);

  // Returns, for each product with a version effective on `filter.on_date` (default today) and of
  // `filter.line_of_business` when given, the highest version effective that day; ordered by code.
  Result<std::vector<Product>> List(const ProductFilter& filter);

  // Returns version `version` of `code` when given; otherwise the highest version effective on
  // `on_date` (default today). kNotFound ("not_found", product) when there is none.
  Result<Product> Get(std::string_view code, std::optional<int> version = std::nullopt,
                      std::optional<Date> on_date = std::nullopt);
  // As Get, sharing the cached product instead of copying it (a definition is a large tree).
  Result<std::shared_ptr<const Product>> GetShared(std::string_view code,
                                                   std::optional<int> version = std::nullopt,
                                                   std::optional<Date> on_date = std::nullopt);

  // As GetShared for the highest version of `code` effective on `on_date`, read within the
  // caller's transaction `tx` (one statement when the version is already parsed).
  Result<std::shared_ptr<const Product>> GetSharedIn(storage::Tx& tx, std::string_view code,
                                                     const Date& on_date);

  // Returns today's date (Asia/Shanghai) by the service's clock: the default `on_date`.
  [[nodiscard]] Date Today() const { return clock_.Today(); }

  // Returns every loaded version of `code`, lowest first. kNotFound if the code is unknown.
  Result<std::vector<ProductVersionRecord>> Versions(std::string_view code);

 private:
  // Returns the parsed product of a stored definition, from the cache when already parsed.
  Result<std::shared_ptr<const Product>> Materialize(const StoredDefinition& stored);
  // The cached product `code` version `version` if its definition hash is `hash`, else null.
  std::shared_ptr<const Product> Cached(const std::string& code, int version, const std::string& hash);

  // Constant after construction.
  storage::Database& db_;
  ProductStore& store_;
  const audit::AuditLog& audit_;
  const Clock& clock_;

  // Parsed versions by (code, version); versions are immutable, so entries never go stale.
  std::mutex mu_;
  std::map<std::pair<std::string, int>, std::shared_ptr<const Product>> cache_;  // guarded by mu_
};

}  // namespace anxin::products
