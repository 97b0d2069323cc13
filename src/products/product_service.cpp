#include "products/product_service.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

namespace anxin::products {
namespace {

constexpr std::uintmax_t kMaxFileBytes = 4 * 1024 * 1024;

// Validated definitions ready to write, each with the name of its source.
struct Checked {
  std::string source;
  Product product;
};

std::string JoinSources(const std::set<std::string>& sources) {
  std::string out;
  for (const std::string& s : sources) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

}  // namespace

ProductService::ProductService(storage::Database& db, ProductStore& store, const audit::AuditLog& audit,
                               const Clock& clock)
    : db_(db), store_(store), audit_(audit), clock_(clock) {}

Result<LoadCounts> ProductService::LoadDirectory(const std::filesystem::path& dir, const Actor& actor) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status(StatusCode::kNotFound, "products_dir_not_found",
                  Text{"产品目录不存在：" + dir.string(), "no such products directory: " + dir.string()});
  }
  std::vector<std::filesystem::path> files;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".json" && it->is_regular_file(ec)) files.push_back(it->path());
  }
  if (ec) {
    return Status(
        StatusCode::kNotFound, "products_dir_not_found",
        Text{"无法读取产品目录：" + dir.string(), "cannot read the products directory: " + dir.string()});
  }
  std::sort(files.begin(), files.end());

  std::vector<NamedDefinition> definitions;
  std::vector<FieldError> errors;
  std::set<std::string> bad_files;
  for (const std::filesystem::path& file : files) {
    std::string name = file.filename().string();
    std::uintmax_t size = std::filesystem::file_size(file, ec);
    std::ifstream in(file, std::ios::binary);
    if (ec || !in || size > kMaxFileBytes) {
      errors.push_back(
          {name, "unreadable", Text{"无法读取文件（或超过 4 MiB）", "cannot read the file (or over 4 MiB)"}});
      bad_files.insert(name);
      continue;
    }
    std::ostringstream text;
    text << in.rdbuf();
    nlohmann::json definition = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
    if (definition.is_discarded()) {
      errors.push_back({name, "malformed_json", Text{"不是有效的 JSON", "not valid JSON"}});
      bad_files.insert(name);
      continue;
    }
    definitions.push_back({name, std::move(definition)});
  }
  if (!errors.empty()) {
    // Report the files that do not parse together with the problems of the others.
    for (const NamedDefinition& d : definitions) {
      Status s = ValidateProduct(d.definition);
      for (const FieldError& f : s.fields()) {
        errors.push_back({d.source + ":" + f.field, f.code, f.message});
        bad_files.insert(d.source);
      }
    }
    std::string names = JoinSources(bad_files);
    return Status(StatusCode::kInvalidArgument, "validation_failed",
                  Text{"产品定义无效：" + names, "invalid product definitions: " + names}, std::move(errors));
  }
  return LoadDefinitions(definitions, actor);
}

Result<LoadCounts> ProductService::LoadDefinitions(const std::vector<NamedDefinition>& definitions,
                                                   const Actor& actor) {
  std::vector<Checked> checked;
  std::vector<FieldError> errors;
  std::set<std::string> bad_sources;
  std::map<std::pair<std::string, int>, std::string> seen;  // code+version -> source
  for (const NamedDefinition& d : definitions) {
    Result<Product> product = ParseProduct(d.definition);
    if (!product.ok()) {
      for (const FieldError& f : product.status().fields()) {
        errors.push_back({d.source + ":" + f.field, f.code, f.message});
      }
      bad_sources.insert(d.source);
      continue;
    }
    auto [it, inserted] = seen.emplace(std::make_pair(product->code, product->version), d.source);
    if (!inserted) {
      errors.push_back(
          {d.source + ":version", "duplicate_product_version",
           Text{"与 " + it->second + " 的产品代码和版本相同", "same code and version as " + it->second}});
      bad_sources.insert(d.source);
      continue;
    }
    checked.push_back({d.source, std::move(product).value()});
  }
  if (!errors.empty()) {
    std::string names = JoinSources(bad_sources);
    return Status(StatusCode::kInvalidArgument, "validation_failed",
                  Text{"产品定义无效：" + names, "invalid product definitions: " + names}, std::move(errors));
  }
  if (checked.empty()) return LoadCounts{};

  LoadCounts counts;
  Status s = db_.Write([&](storage::Tx& tx) -> Status {
    counts = LoadCounts{};  // the backend may run this work again after a conflict
    const int64_t now = clock_.NowMs();
    for (const Checked& c : checked) {
      const Product& p = c.product;
      ANXIN_ASSIGN_OR_RETURN(std::optional<std::string> stored_hash, store_.FindHash(tx, p.code, p.version));
      if (stored_hash) {
        if (*stored_hash == p.definition_hash) {
          ++counts.unchanged;
          continue;
        }
        std::string what = p.code + " v" + std::to_string(p.version);
        return Status(
            StatusCode::kFailedPrecondition, "product_version_immutable",
            Text{c.source + "：已发布的产品版本 " + what + " 不能修改，请提高版本号",
                 c.source + ": published product version " + what + " cannot change; bump the version"});
      }
      Status inserted = store_.Insert(tx, p, now);
      if (inserted.code() == StatusCode::kAlreadyExists) {
        // Another load inserted the same version between our check and insert: retry.
        return Status(StatusCode::kAborted, "concurrent_product_load",
                      Text{"另一个加载同时进行，请重试", "another load ran at the same time; retry"});
      }
      ANXIN_RETURN_IF_ERROR(inserted);
      audit::AuditEntry entry;
      entry.action = "product.load";
      entry.object_type = "product";
      entry.object_id = p.code;
      entry.summary = {{"version", p.version},
                       {"definition_hash", p.definition_hash},
                       {"source", c.source},
                       {"line_of_business", std::string(LineOfBusinessName(p.line_of_business))},
                       {"effective_from", FormatDate(p.effective_from)}};
      ANXIN_RETURN_IF_ERROR(audit_.Append(tx, actor, entry));
      ++counts.added;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return counts;
}

std::shared_ptr<const Product> ProductService::Cached(const std::string& code, int version,
                                                      const std::string& hash) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = cache_.find(std::make_pair(code, version));
  if (it != cache_.end() && it->second->definition_hash == hash) return it->second;
  return nullptr;
}

Result<std::shared_ptr<const Product>> ProductService::Materialize(const StoredDefinition& stored) {
  const auto key = std::make_pair(stored.code, stored.version);
  if (std::shared_ptr<const Product> cached = Cached(stored.code, stored.version, stored.definition_hash)) {
    return cached;
  }
  nlohmann::json definition = nlohmann::json::parse(stored.definition, nullptr, /*allow_exceptions=*/false);
  if (definition.is_discarded()) {
    return Status::Internal("products: stored definition of " + stored.code + " v" +
                            std::to_string(stored.version) + " is not JSON");
  }
  Result<Product> product = ParseProduct(definition);
  if (!product.ok()) {
    return Status::Internal("products: stored definition of " + stored.code + " v" +
                            std::to_string(stored.version) +
                            " no longer validates: " + product.status().ToString());
  }
  auto shared = std::make_shared<const Product>(std::move(product).value());
  std::lock_guard<std::mutex> lock(mu_);
  cache_[key] = shared;
  return shared;
}

Result<std::vector<Product>> ProductService::List(const ProductFilter& filter) {
  const Date day = filter.on_date.value_or(clock_.Today());
  ANXIN_ASSIGN_OR_RETURN(std::vector<StoredDefinition> stored,
                         db_.ReadResult<std::vector<StoredDefinition>>([&](storage::Tx& tx) {
                           return store_.ListEffective(tx, day, filter.line_of_business);
                         }));
  std::vector<Product> out;
  out.reserve(stored.size());
  for (const StoredDefinition& s : stored) {
    ANXIN_ASSIGN_OR_RETURN(std::shared_ptr<const Product> p, Materialize(s));
    out.push_back(*p);
  }
  return out;
}

Result<Product> ProductService::Get(std::string_view code, std::optional<int> version,
                                    std::optional<Date> on_date) {
  ANXIN_ASSIGN_OR_RETURN(std::shared_ptr<const Product> product, GetShared(code, version, on_date));
  return *product;
}

Result<std::shared_ptr<const Product>> ProductService::GetShared(std::string_view code,
                                                                 std::optional<int> version,
                                                                 std::optional<Date> on_date) {
  if (!version) {
    const Date day = on_date.value_or(clock_.Today());
    return db_.ReadResult<std::shared_ptr<const Product>>(
        [&](storage::Tx& tx) { return GetSharedIn(tx, code, day); });
  }
  ANXIN_ASSIGN_OR_RETURN(std::optional<StoredDefinition> stored,
                         db_.ReadResult<std::optional<StoredDefinition>>(
                             [&](storage::Tx& tx) { return store_.Find(tx, code, *version); }));
  if (!stored) return Status::NotFound("product");
  return Materialize(*stored);
}

Result<std::shared_ptr<const Product>> ProductService::GetSharedIn(storage::Tx& tx, std::string_view code,
                                                                   const Date& on_date) {
  // The version's key first: the definition text is read only when that version is not parsed yet.
  ANXIN_ASSIGN_OR_RETURN(std::optional<StoredDefinition> key, store_.FindEffectiveKey(tx, code, on_date));
  if (!key) return Status::NotFound("product");
  if (std::shared_ptr<const Product> cached = Cached(key->code, key->version, key->definition_hash)) {
    return cached;
  }
  ANXIN_ASSIGN_OR_RETURN(std::optional<StoredDefinition> stored, store_.Find(tx, key->code, key->version));
  if (!stored) return Status::NotFound("product");
  return Materialize(*stored);
}

Result<std::vector<ProductVersionRecord>> ProductService::Versions(std::string_view code) {
  ANXIN_ASSIGN_OR_RETURN(std::vector<ProductVersionRecord> versions,
                         db_.ReadResult<std::vector<ProductVersionRecord>>(
                             [&](storage::Tx& tx) { return store_.ListVersions(tx, code); }));
  if (versions.empty()) return Status::NotFound("product");
  return versions;
}

}  // namespace anxin::products
