#include "common/crypto.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

namespace anxin {
namespace {

std::array<uint8_t, 32> TestKey(uint8_t seed) {
  std::array<uint8_t, 32> key{};
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(seed + i);
  return key;
}

class KeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("anxin_crypto_test_" + std::to_string(::getpid()) + "_" + RandomToken(6));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void WriteFile(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }

  std::filesystem::path dir_;
};

TEST_F(KeyFileTest, CreatesKeyFileWithMode0600AndReloadsSameKey) {
  const std::string path = (dir_ / "master.key").string();
  Result<KeyRing> created = KeyRing::LoadOrCreate(path);
  ASSERT_TRUE(created.ok()) << created.status().ToString();

  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_EQ(text.size(), 65u);
  EXPECT_EQ(text.back(), '\n');
  EXPECT_TRUE(std::all_of(text.begin(), text.end() - 1, [](char c) { return std::isxdigit(c) != 0; }));

  // No temporary files are left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), std::filesystem::directory_iterator()),
            1);

  Result<KeyRing> reloaded = KeyRing::LoadOrCreate(path);
  ASSERT_TRUE(reloaded.ok());
  EXPECT_EQ(created->LookupHash("phone", "13812345678"), reloaded->LookupHash("phone", "13812345678"));
  Result<std::string> opened = reloaded->Open(created->Seal("secret"));
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "secret");
}

TEST_F(KeyFileTest, ConcurrentStartersAgreeOnOneKey) {
  const std::string path = (dir_ / "shared.key").string();
  std::vector<std::string> hashes(6);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < hashes.size(); ++i) {
    threads.emplace_back([&, i] {
      Result<KeyRing> ring = KeyRing::LoadOrCreate(path);
      hashes[i] = ring.ok() ? ring->LookupHash("phone", "13812345678") : ring.status().ToString();
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& hash : hashes) EXPECT_EQ(hash, hashes[0]);
  EXPECT_EQ(hashes[0].size(), 64u);
}

TEST_F(KeyFileTest, LoadsHexKeyWrittenByOperator) {
  const std::string path = (dir_ / "operator.key").string();
  WriteFile(path, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\r\n");
  Result<KeyRing> ring = KeyRing::LoadOrCreate(path);
  ASSERT_TRUE(ring.ok()) << ring.status().ToString();
  EXPECT_EQ(ring->LookupHash("phone", "x"), KeyRing::FromKey(TestKey(0)).LookupHash("phone", "x"));
}

TEST_F(KeyFileTest, RejectsMalformedKeyFiles) {
  const std::string valid_hex(64, 'a');
  for (const std::string& text : {std::string(), std::string("not a key\n"), valid_hex.substr(0, 62) + "\n",
                                  valid_hex + "aa\n", valid_hex.substr(0, 63) + "g", valid_hex + "\n\n",
                                  " " + valid_hex, valid_hex + std::string(5000, '\n')}) {
    const std::string path = (dir_ / "bad.key").string();
    WriteFile(path, text);
    Result<KeyRing> ring = KeyRing::LoadOrCreate(path);
    ASSERT_FALSE(ring.ok()) << text;
    EXPECT_EQ(ring.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(ring.status().reason(), "invalid_key_file");
  }
}

TEST_F(KeyFileTest, ReportsUnwritableLocationAsInternal) {
  Result<KeyRing> ring = KeyRing::LoadOrCreate((dir_ / "missing_dir" / "master.key").string());
  ASSERT_FALSE(ring.ok());
  EXPECT_EQ(ring.status().code(), StatusCode::kInternal);
}

TEST(KeyRingTest, SealOpenRoundTrips) {
  const KeyRing ring = KeyRing::FromKey(TestKey(1));
  for (std::string_view plain :
       {std::string_view(""), std::string_view("11010519491231002X"), std::string_view("安心\0binary", 13)}) {
    const std::string sealed = ring.Seal(plain);
    EXPECT_EQ(sealed.find(plain.empty() ? "\x01" : std::string(plain)), std::string::npos);
    Result<std::string> opened = ring.Open(sealed);
    ASSERT_TRUE(opened.ok());
    EXPECT_EQ(*opened, plain);
  }
}

TEST(KeyRingTest, SealUsesFreshNonces) {
  const KeyRing ring = KeyRing::FromKey(TestKey(1));
  EXPECT_NE(ring.Seal("same"), ring.Seal("same"));
}

TEST(KeyRingTest, OpenRejectsTamperedOrForeignValues) {
  const KeyRing ring = KeyRing::FromKey(TestKey(1));
  const std::string sealed = ring.Seal("13812345678");
  Result<std::string> raw = Base64Decode(sealed);
  ASSERT_TRUE(raw.ok());

  // Flip one bit in each position: nonce, MAC and ciphertext are all authenticated.
  for (size_t i = 0; i < raw->size(); ++i) {
    std::string tampered = *raw;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    Result<std::string> opened = ring.Open(Base64Encode(tampered));
    ASSERT_FALSE(opened.ok()) << "byte " << i;
    EXPECT_EQ(opened.status().code(), StatusCode::kInternal);
  }
  EXPECT_EQ(ring.Open(Base64Encode(raw->substr(0, raw->size() - 1))).status().code(), StatusCode::kInternal);
  EXPECT_EQ(ring.Open("").status().code(), StatusCode::kInternal);
  EXPECT_EQ(ring.Open("not base64!").status().code(), StatusCode::kInternal);
  EXPECT_EQ(ring.Open(Base64Encode("short")).status().code(), StatusCode::kInternal);

  const KeyRing other = KeyRing::FromKey(TestKey(2));
  EXPECT_EQ(other.Open(sealed).status().code(), StatusCode::kInternal);
}

TEST(KeyRingTest, LookupHashIsStableKeyedAndPurposeSeparated) {
  const KeyRing ring = KeyRing::FromKey(TestKey(1));
  const std::string hash = ring.LookupHash("id_number", "11010519491231002X");
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_TRUE(
      std::all_of(hash.begin(), hash.end(), [](char c) { return std::isxdigit(c) && !std::isupper(c); }));
  EXPECT_EQ(hash, KeyRing::FromKey(TestKey(1)).LookupHash("id_number", "11010519491231002X"));
  EXPECT_NE(hash, ring.LookupHash("phone", "11010519491231002X"));
  EXPECT_NE(hash, ring.LookupHash("id_number", "11010519491231003X"));
  EXPECT_NE(hash, KeyRing::FromKey(TestKey(2)).LookupHash("id_number", "11010519491231002X"));
  // The separator keeps ("ab", "c") and ("a", "bc") apart.
  EXPECT_NE(ring.LookupHash("ab", "c"), ring.LookupHash("a", "bc"));
  // The hash is not a plain hash of the value.
  EXPECT_NE(hash.substr(0, 64), Sha256Hex("11010519491231002X"));
}

TEST(KeyRingTest, AuditMacIsStableAndKeyedByItsOwnSubkey) {
  const KeyRing ring = KeyRing::FromKey(TestKey(1));
  const std::array<uint8_t, 64> mac = ring.AuditMac("anxin.audit.v2;record");
  EXPECT_EQ(mac, KeyRing::FromKey(TestKey(1)).AuditMac("anxin.audit.v2;record"));
  EXPECT_NE(mac, ring.AuditMac("anxin.audit.v2;recorD"));
  EXPECT_NE(mac, KeyRing::FromKey(TestKey(2)).AuditMac("anxin.audit.v2;record"));
  EXPECT_NE(mac, (std::array<uint8_t, 64>{}));
  // Not the look-up hash's key: the look-up hash of the same input differs from the MAC's first half.
  std::string first_half;
  for (size_t i = 0; i < 32; ++i) {
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02x", mac[i]);
    first_half += hex;
  }
  EXPECT_NE(first_half, ring.LookupHash("", "anxin.audit.v2;record"));
}

TEST(PasswordTest, HashVerifiesOnlyTheRightPassword) {
  const std::string encoded = HashPassword("correct horse 电池");
  EXPECT_TRUE(encoded.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << encoded;
  EXPECT_TRUE(VerifyPassword(encoded, "correct horse 电池"));
  EXPECT_FALSE(VerifyPassword(encoded, "correct horse 电"));
  EXPECT_FALSE(PasswordNeedsRehash(encoded));
}

TEST(PasswordTest, MalformedHashesNeverVerify) {
  for (std::string_view encoded :
       {std::string_view(""), std::string_view("plain"), std::string_view("$argon2id$v=19$m=19456,t=2,p=1$"),
        std::string_view("$argon2id$\0xx", 13)}) {
    EXPECT_FALSE(VerifyPassword(encoded, "plain"));
    EXPECT_TRUE(PasswordNeedsRehash(encoded));
  }
  EXPECT_FALSE(VerifyPassword(std::string(500, 'a'), "a"));
}

TEST(RandomTest, TokensAreUrlSafeUnpaddedAndDistinct) {
  const std::string token = RandomToken();
  EXPECT_EQ(token.size(), 43u);  // 32 bytes
  EXPECT_TRUE(std::all_of(token.begin(), token.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  }));
  EXPECT_NE(token, RandomToken());
  EXPECT_EQ(RandomToken(0), "");
  EXPECT_EQ(RandomToken(3).size(), 4u);
}

TEST(RandomTest, DigitsAreDecimalAndCoverAllValues) {
  const std::string digits = RandomDigits(2000);
  ASSERT_EQ(digits.size(), 2000u);
  std::set<char> seen(digits.begin(), digits.end());
  EXPECT_EQ(seen.size(), 10u);
  EXPECT_EQ(*seen.begin(), '0');
  EXPECT_EQ(*seen.rbegin(), '9');
  EXPECT_EQ(RandomDigits(0), "");
}

TEST(RandomTest, RandomBelowStaysInRange) {
  std::set<uint32_t> seen;
  for (int i = 0; i < 500; ++i) {
    const uint32_t v = RandomBelow(7);
    ASSERT_LT(v, 7u);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_EQ(RandomBelow(1), 0u);
}

TEST(HashTest, Sha256MatchesKnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(HashTest, ConstantTimeEqualsComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
}

TEST(Base64Test, EncodesAndDecodesStandardAlphabetWithPadding) {
  struct Case {
    std::string plain;
    std::string encoded;
  };
  const Case cases[] = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foobar", "Zm9vYmFy"}, {"\xfb\xff", "+/8="},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Base64Encode(c.plain), c.encoded);
    Result<std::string> decoded = Base64Decode(c.encoded);
    ASSERT_TRUE(decoded.ok()) << c.encoded;
    EXPECT_EQ(*decoded, c.plain);
  }
}

TEST(Base64Test, RejectsInvalidInput) {
  for (std::string_view text : {"Zg", "Zg=", "Zm8", "Zm9v!", "Zm 9v", "-_8=", "Zm9v\n", "Z===", "Zg==Zg=="}) {
    Result<std::string> decoded = Base64Decode(text);
    ASSERT_FALSE(decoded.ok()) << text;
    EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument) << text;
    EXPECT_EQ(decoded.status().reason(), "invalid_base64");
  }
}

TEST(NewIdTest, IdsAreCrockfordBase32AndUnique) {
  std::set<std::string> ids;
  for (int i = 0; i < 10000; ++i) {
    std::string id = NewId();
    ASSERT_EQ(id.size(), 20u);
    ASSERT_EQ(id.find_first_not_of("0123456789ABCDEFGHJKMNPQRSTVWXYZ"), std::string::npos) << id;
    ids.insert(std::move(id));
  }
  EXPECT_EQ(ids.size(), 10000u);
}

TEST(NewIdTest, IdsSortByCreationTime) {
  const int64_t base = 1795253520000;
  std::vector<std::string> ids;
  for (int64_t delta : {0, 1, 2, 1000, 86400000}) ids.push_back(NewId(base + delta));
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  // The first 10 characters encode the time only.
  EXPECT_EQ(NewId(base).substr(0, 10), NewId(base).substr(0, 10));
  EXPECT_EQ(NewId(0).substr(0, 10), "0000000000");
  EXPECT_EQ(NewId(1).substr(0, 10), "0000000001");
  EXPECT_EQ(NewId(32).substr(0, 10), "0000000010");
  EXPECT_LT(NewId(base), NewId());
}

TEST(NewIdTest, IdsOfOneMillisecondSortInTheOrderTheyWereMade) {
  const int64_t base = 1795253520000;
  std::vector<std::string> ids;
  for (int i = 0; i < 200; ++i) ids.push_back(NewId(base));
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
}

}  // namespace
}  // namespace anxin
