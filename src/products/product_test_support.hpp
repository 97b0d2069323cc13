#pragma once

// A fixture for the catalogue's store, service and route tests: a fresh migrated database, a fake
// clock, the audit log, the service, and a temporary directory seeded with the shipped products.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "audit/audit_log.hpp"
#include "common/crypto.hpp"
#include "products/product_service.hpp"
#include "storage/testing.hpp"

namespace anxin::products {

class ProductTestBase : public ::testing::Test {
 protected:
  static constexpr int64_t kNowMs = 1795253520000;  // 2026-11-21T17:32:00+08:00

  void SetUp() override {
    Result<std::unique_ptr<storage::Database>> db = storage::testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    service_ = std::make_unique<ProductService>(*db_, store_, audit_, clock_);
    dir_ = std::filesystem::temp_directory_path() / ("anxin-products-" + NewId());
    std::filesystem::create_directories(dir_);
    for (const auto& entry : std::filesystem::directory_iterator(ShippedDir())) {
      if (entry.path().extension() == ".json")
        std::filesystem::copy_file(entry.path(), dir_ / entry.path().filename());
    }
  }

  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  static std::filesystem::path ShippedDir() {
    const char* source = std::getenv("ANXIN_SOURCE_DIR");
    return std::filesystem::path(source != nullptr ? source : ".") / "products";
  }

  static size_t ShippedCount() {
    size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(ShippedDir())) {
      if (entry.path().extension() == ".json") ++n;
    }
    return n;
  }

  nlohmann::json ReadFile(const std::string& name) const {
    std::ifstream in(dir_ / name);
    std::stringstream text;
    text << in.rdbuf();
    return nlohmann::json::parse(text.str());
  }

  void WriteFile(const std::string& name, const nlohmann::json& definition, int indent = 2) const {
    std::ofstream out(dir_ / name, std::ios::trunc);
    out << definition.dump(indent);
  }

  void WriteText(const std::string& name, const std::string& text) const {
    std::ofstream out(dir_ / name, std::ios::trunc);
    out << text;
  }

  FakeClock clock_{kNowMs};
  audit::AuditLog audit_{clock_};
  SqlProductStore store_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<ProductService> service_;
  std::filesystem::path dir_;
  Actor cli_ = Actor::System("cli");
};

}  // namespace anxin::products
