#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/status.hpp"
#include "products/product.hpp"
#include "storage/database.hpp"

namespace anxin::products {

// One stored product version without its definition: what a version listing shows.
struct ProductVersionRecord {
  std::string code;
  int version = 0;
  std::string name_zh;
  std::string name_en;
  LineOfBusiness line_of_business = LineOfBusiness::kTravel;
  Date effective_from;
  std::optional<Date> effective_to;
  std::string definition_hash;
  int64_t loaded_at_ms = 0;
};

// One stored product version with its definition (canonical JSON text).
struct StoredDefinition {
  std::string code;
  int version = 0;
  std::string definition;
  std::string definition_hash;
  int64_t loaded_at_ms = 0;
};

// What the product service needs from storage: the table `products` (migration 0004). Every call
// runs in the caller's transaction, so a load and its audit records commit together. Database errors
// come back as the storage layer translated them (kAlreadyExists, kAborted, kInternal).
class ProductStore {
 public:
  virtual ~ProductStore() = default;

  // Returns the definition hash stored for `code` version `version`, or nullopt if there is none.
  virtual Result<std::optional<std::string>> FindHash(storage::Tx& tx, std::string_view code,
                                                      int version) = 0;

  // Inserts the version `product`, loaded at `loaded_at_ms`. kAlreadyExists if code+version exists.
  virtual Status Insert(storage::Tx& tx, const Product& product, int64_t loaded_at_ms) = 0;

  // Returns `code` version `version`, or nullopt.
  virtual Result<std::optional<StoredDefinition>> Find(storage::Tx& tx, std::string_view code,
                                                       int version) = 0;

  // Returns the highest version of `code` effective on `date` (effective_from <= date <=
  // effective_to, the latter open when null), or nullopt.
  virtual Result<std::optional<StoredDefinition>> FindEffective(storage::Tx& tx, std::string_view code,
                                                                const Date& date) = 0;
  // As FindEffective, without the definition text (`definition` is left empty): enough to find a
  // version already parsed.
  virtual Result<std::optional<StoredDefinition>> FindEffectiveKey(storage::Tx& tx, std::string_view code,
                                                                   const Date& date) = 0;

  // Returns, for every product with a version effective on `date` (of `line` when given), its
  // highest such version; ordered by code.
  virtual Result<std::vector<StoredDefinition>> ListEffective(storage::Tx& tx, const Date& date,
                                                              std::optional<LineOfBusiness> line) = 0;

  // Returns every stored version of `code`, lowest first (empty when the code is unknown).
  virtual Result<std::vector<ProductVersionRecord>> ListVersions(storage::Tx& tx, std::string_view code) = 0;
};

// ProductStore in SQL; the same statements on SQLite and PostgreSQL. Stateless, thread-safe.
class SqlProductStore final : public ProductStore {
 public:
  Result<std::optional<std::string>> FindHash(storage::Tx& tx, std::string_view code, int version) override;
  Status Insert(storage::Tx& tx, const Product& product, int64_t loaded_at_ms) override;
  Result<std::optional<StoredDefinition>> Find(storage::Tx& tx, std::string_view code, int version) override;
  Result<std::optional<StoredDefinition>> FindEffective(storage::Tx& tx, std::string_view code,
                                                        const Date& date) override;
  Result<std::optional<StoredDefinition>> FindEffectiveKey(storage::Tx& tx, std::string_view code,
                                                           const Date& date) override;
  Result<std::vector<StoredDefinition>> ListEffective(storage::Tx& tx, const Date& date,
                                                      std::optional<LineOfBusiness> line) override;
  Result<std::vector<ProductVersionRecord>> ListVersions(storage::Tx& tx, std::string_view code) override;
};

}  // namespace anxin::products
