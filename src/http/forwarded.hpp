#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.hpp"

namespace anxin::http {

// An IPv4 or IPv6 address as 16 bytes; IPv4 is held as its IPv4-mapped IPv6 form (::ffff:a.b.c.d),
// so that a v4 peer seen through a dual-stack socket and the same peer seen over IPv4 are equal.
struct IpAddress {
  std::array<uint8_t, 16> bytes{};

  // Parses a textual IPv4 ("192.0.2.1") or IPv6 ("2001:db8::1", "::ffff:192.0.2.1") address.
  // Returns nullopt for anything else (host names, ports, zone ids, brackets).
  static std::optional<IpAddress> Parse(std::string_view text);

  [[nodiscard]] bool is_v4() const;
  // Returns the canonical text: dotted quad for IPv4 (and IPv4-mapped IPv6), RFC 5952 for IPv6.
  [[nodiscard]] std::string ToString() const;

  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

// A network in CIDR notation; a bare address is a network of that one address.
struct IpNetwork {
  IpAddress base;
  int prefix_bits = 128;  // of the 16-byte form (an IPv4 /8 is 104 here)

  // Parses "10.0.0.0/8", "2001:db8::/32", "192.0.2.7" or "::1". Returns kInvalidArgument for a bad
  // address or prefix length, or a network with host bits set ("10.0.0.1/8": a likely typo).
  static Result<IpNetwork> Parse(std::string_view text);

  [[nodiscard]] bool Contains(const IpAddress& address) const;
};

// Where a request really came from: the client's address and whether it reached the first proxy
// over TLS.
struct ClientOrigin {
  std::string address;  // canonical text (IpAddress::ToString), or the peer text when unparsable
  bool secure = false;
};

// The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto headers are believed (setting
// `trusted_proxies`). Immutable after Parse; thread-safe.
class TrustedProxies {
 public:
  TrustedProxies() = default;

  // Parses a comma-separated list of IPv4/IPv6 addresses and CIDR networks ("10.0.0.0/8, ::1");
  // blanks around entries are ignored and an empty list trusts nobody. Returns kInvalidArgument
  // naming the first bad entry.
  static Result<TrustedProxies> Parse(std::string_view list);

  [[nodiscard]] bool empty() const { return networks_.empty(); }
  // Returns true when `address` is in one of the networks.
  [[nodiscard]] bool Contains(const IpAddress& address) const;

  // Returns the origin of a request received from `peer` (the TCP peer's textual address) with the
  // given X-Forwarded-For and X-Forwarded-Proto values ("" when absent; several header lines
  // joined with ", "). When the peer is not trusted both headers are ignored: the client is the
  // peer and the request is not secure. When it is, the client is the right-most X-Forwarded-For
  // entry that is not itself a trusted proxy (all trusted: the left-most entry; no header: the
  // peer); an entry that is not an IP address (ports are allowed: "192.0.2.1:5000",
  // "[2001:db8::1]:443") ends the walk at the hop that sent it. The request is secure when the
  // right-most X-Forwarded-Proto entry is "https" (any case).
  [[nodiscard]] ClientOrigin Resolve(std::string_view peer, std::string_view x_forwarded_for,
                                     std::string_view x_forwarded_proto) const;

 private:
  std::vector<IpNetwork> networks_;
};

}  // namespace anxin::http
