#include "http/forwarded.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>

namespace anxin::http {
namespace {

constexpr std::array<uint8_t, 12> kV4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
constexpr int kV4PrefixOffset = 96;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Splits a comma-separated header or setting value into its trimmed, non-empty entries.
std::vector<std::string_view> SplitList(std::string_view list) {
  std::vector<std::string_view> items;
  while (true) {
    const size_t comma = list.find(',');
    std::string_view item = Trim(list.substr(0, comma));
    if (!item.empty()) items.push_back(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return items;
}

// Parses one X-Forwarded-For entry: an address, optionally with a port ("192.0.2.1:80",
// "[2001:db8::1]:80", "[2001:db8::1]").
std::optional<IpAddress> ParseForwardedEntry(std::string_view entry) {
  if (std::optional<IpAddress> plain = IpAddress::Parse(entry)) return plain;
  if (!entry.empty() && entry.front() == '[') {
    const size_t close = entry.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view rest = entry.substr(close + 1);
    if (!rest.empty() &&
        (rest.front() != ':' || rest.size() == 1 ||
         !std::all_of(rest.begin() + 1, rest.end(), [](char c) { return c >= '0' && c <= '9'; }))) {
      return std::nullopt;
    }
    return IpAddress::Parse(entry.substr(1, close - 1));
  }
  const size_t colon = entry.find(':');
  if (colon == std::string_view::npos || entry.find(':', colon + 1) != std::string_view::npos)
    return std::nullopt;
  std::string_view port = entry.substr(colon + 1);
  if (port.empty() || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  std::optional<IpAddress> v4 = IpAddress::Parse(entry.substr(0, colon));
  if (!v4 || !v4->is_v4()) return std::nullopt;
  return v4;
}

Status BadEntry(std::string_view entry, std::string_view why_zh, std::string_view why_en) {
  return Status::InvalidField(
      "trusted_proxies", "invalid_network",
      {"受信任代理 “" + std::string(entry) + "” 无效：" + std::string(why_zh),
       "trusted proxy '" + std::string(entry) + "' is invalid: " + std::string(why_en)});
}

}  // namespace

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  // inet_pton needs a NUL-terminated string; the longest IPv6 text is 45 characters.
  if (text.empty() || text.size() > 45) return std::nullopt;
  char buffer[46];
  std::memcpy(buffer, text.data(), text.size());
  buffer[text.size()] = '\0';
  IpAddress address;
  in_addr v4{};
  if (::inet_pton(AF_INET, buffer, &v4) == 1) {
    std::copy(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), address.bytes.begin());
    std::memcpy(address.bytes.data() + kV4MappedPrefix.size(), &v4, sizeof v4);
    return address;
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, buffer, &v6) == 1) {
    std::memcpy(address.bytes.data(), &v6, sizeof v6);
    return address;
  }
  return std::nullopt;
}

bool IpAddress::is_v4() const {
  return std::equal(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), bytes.begin());
}

std::string IpAddress::ToString() const {
  char buffer[INET6_ADDRSTRLEN];
  if (is_v4()) {
    in_addr v4{};
    std::memcpy(&v4, bytes.data() + kV4MappedPrefix.size(), sizeof v4);
    return ::inet_ntop(AF_INET, &v4, buffer, sizeof buffer) != nullptr ? buffer : "";
  }
  in6_addr v6{};
  std::memcpy(&v6, bytes.data(), sizeof v6);
  return ::inet_ntop(AF_INET6, &v6, buffer, sizeof buffer) != nullptr ? buffer : "";
}

Result<IpNetwork> IpNetwork::Parse(std::string_view text) {
  const size_t slash = text.find('/');
  std::optional<IpAddress> base = IpAddress::Parse(text.substr(0, slash));
  if (!base) return BadEntry(text, "不是 IP 地址", "not an IP address");
  IpNetwork network;
  network.base = *base;
  const int width = base->is_v4() ? 32 : 128;
  int bits = width;
  if (slash != std::string_view::npos) {
    std::string_view length = text.substr(slash + 1);
    const char* end = length.data() + length.size();
    auto [ptr, ec] = std::from_chars(length.data(), end, bits);
    if (length.empty() || ec != std::errc() || ptr != end || bits < 0 || bits > width) {
      return BadEntry(text, "前缀长度应为 0 到 " + std::to_string(width),
                      "the prefix length must be 0 to " + std::to_string(width));
    }
  }
  network.prefix_bits = base->is_v4() ? bits + kV4PrefixOffset : bits;
  for (int bit = network.prefix_bits; bit < 128; ++bit) {
    if ((network.base.bytes[bit / 8] >> (7 - bit % 8) & 1) != 0) {
      return BadEntry(text, "地址含有前缀之外的位", "the address has bits set beyond the prefix");
    }
  }
  return network;
}

bool IpNetwork::Contains(const IpAddress& address) const {
  const int whole = prefix_bits / 8;
  if (!std::equal(base.bytes.begin(), base.bytes.begin() + whole, address.bytes.begin())) return false;
  const int rest = prefix_bits % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (base.bytes[whole] & mask) == (address.bytes[whole] & mask);
}

Result<TrustedProxies> TrustedProxies::Parse(std::string_view list) {
  TrustedProxies proxies;
  for (std::string_view entry : SplitList(list)) {
    ANXIN_ASSIGN_OR_RETURN(IpNetwork network, IpNetwork::Parse(entry));
    proxies.networks_.push_back(network);
  }
  return proxies;
}

bool TrustedProxies::Contains(const IpAddress& address) const {
  return std::any_of(networks_.begin(), networks_.end(),
                     [&](const IpNetwork& network) { return network.Contains(address); });
}

ClientOrigin TrustedProxies::Resolve(std::string_view peer, std::string_view x_forwarded_for,
                                     std::string_view x_forwarded_proto) const {
  const std::optional<IpAddress> peer_address = IpAddress::Parse(peer);
  ClientOrigin origin;
  origin.address = peer_address ? peer_address->ToString() : std::string(peer);
  if (!peer_address || !Contains(*peer_address)) return origin;

  const std::vector<std::string_view> hops = SplitList(x_forwarded_for);
  for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
    std::optional<IpAddress> address = ParseForwardedEntry(*hop);
    if (!address) break;  // the hop to the right of this entry sent garbage: it is the client
    origin.address = address->ToString();
    if (!Contains(*address)) break;
  }
  const std::vector<std::string_view> protos = SplitList(x_forwarded_proto);
  if (!protos.empty()) {
    std::string last(protos.back());
    for (char& c : last) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    origin.secure = last == "https";
  }
  return origin;
}

}  // namespace anxin::http
