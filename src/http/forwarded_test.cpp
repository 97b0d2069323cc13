#include "http/forwarded.hpp"

#include <gtest/gtest.h>

namespace anxin::http {
namespace {

TrustedProxies Proxies(std::string_view list) {
  Result<TrustedProxies> parsed = TrustedProxies::Parse(list);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? *parsed : TrustedProxies();
}

TEST(IpAddressTest, ParsesBothFamiliesAndPrintsCanonically) {
  struct Case {
    std::string text;
    std::string canonical;
    bool v4;
  };
  const std::vector<Case> cases = {
      {"192.0.2.1", "192.0.2.1", true},
      {"::ffff:192.0.2.1", "192.0.2.1", true},  // a v4 peer on a dual-stack socket
      {"2001:DB8:0:0:0:0:0:1", "2001:db8::1", false},
      {"::1", "::1", false},
  };
  for (const Case& c : cases) {
    std::optional<IpAddress> address = IpAddress::Parse(c.text);
    ASSERT_TRUE(address) << c.text;
    EXPECT_EQ(address->ToString(), c.canonical);
    EXPECT_EQ(address->is_v4(), c.v4) << c.text;
  }
  EXPECT_EQ(IpAddress::Parse("::ffff:192.0.2.1"), IpAddress::Parse("192.0.2.1"));
  const std::vector<std::string> bad_addresses = {
      "",      "localhost",    "192.0.2",  "192.0.2.256",       "192.0.2.1:80",
      "[::1]", "fe80::1%eth0", "1.2.3.4 ", std::string(60, '1')};
  for (const std::string& bad : bad_addresses) {
    EXPECT_FALSE(IpAddress::Parse(bad)) << bad;
  }
}

TEST(IpNetworkTest, MatchesAddressesInsideThePrefixOnly) {
  struct Case {
    std::string network;
    std::string address;
    bool inside;
  };
  const std::vector<Case> cases = {
      {"10.0.0.0/8", "10.255.1.2", true},
      {"10.0.0.0/8", "11.0.0.1", false},
      {"192.168.1.128/25", "192.168.1.200", true},
      {"192.168.1.128/25", "192.168.1.127", false},
      {"203.0.113.9", "203.0.113.9", true},
      {"203.0.113.9", "203.0.113.10", false},
      {"0.0.0.0/0", "198.51.100.1", true},
      {"0.0.0.0/0", "2001:db8::1", false},
      {"2001:db8::/32", "2001:db8:ffff::1", true},
      {"2001:db8::/32", "2001:db9::1", false},
      {"::1", "::1", true},
      {"::1", "127.0.0.1", false},
      {"10.0.0.0/8", "::ffff:10.1.1.1", true},
  };
  for (const Case& c : cases) {
    Result<IpNetwork> network = IpNetwork::Parse(c.network);
    ASSERT_TRUE(network.ok()) << c.network;
    EXPECT_EQ(network->Contains(*IpAddress::Parse(c.address)), c.inside) << c.network << " " << c.address;
  }
}

TEST(TrustedProxiesTest, RefusesBadEntriesNamingThem) {
  for (std::string bad : {"10.0.0.0/33", "10.0.0.0/", "10.0.0.0/x", "::/129", "proxy.local", "10.0.0.1/8",
                          "10.0.0.0/8, 300.1.1.1", "10.0.0.0/-1"}) {
    Result<TrustedProxies> parsed = TrustedProxies::Parse(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    ASSERT_EQ(parsed.status().fields().size(), 1U);
    EXPECT_EQ(parsed.status().fields()[0].field, "trusted_proxies");
  }
  EXPECT_TRUE(Proxies("").empty());
  EXPECT_TRUE(Proxies(" , ").empty());
  EXPECT_FALSE(Proxies(" 10.0.0.0/8 ,::1 ").empty());
}

TEST(TrustedProxiesTest, IgnoresForwardedHeadersFromUntrustedPeers) {
  const TrustedProxies none;
  ClientOrigin origin = none.Resolve("198.51.100.7", "203.0.113.1", "https");
  EXPECT_EQ(origin.address, "198.51.100.7");
  EXPECT_FALSE(origin.secure);

  // A client talking to us directly cannot pretend to be someone else, nor to use TLS.
  const TrustedProxies proxies = Proxies("10.0.0.0/8");
  origin = proxies.Resolve("198.51.100.7", "10.0.0.5, 203.0.113.1", "https");
  EXPECT_EQ(origin.address, "198.51.100.7");
  EXPECT_FALSE(origin.secure);
  EXPECT_EQ(proxies.Resolve("::ffff:198.51.100.7", "", "").address, "198.51.100.7");
}

TEST(TrustedProxiesTest, TakesTheRightMostUntrustedForwardedAddress) {
  const TrustedProxies proxies = Proxies("10.0.0.0/8, 2001:db8:1::/48");
  struct Case {
    std::string name;
    std::string xff;
    std::string client;
  };
  const std::vector<Case> cases = {
      {"one proxy", "203.0.113.1", "203.0.113.1"},
      {"no header: the proxy itself", "", "10.0.0.2"},
      {"a chain of trusted proxies", "203.0.113.1, 10.0.0.9, 10.0.0.8", "203.0.113.1"},
      {"spoofed entries left of the real client are ignored", "1.1.1.1, 8.8.8.8, 203.0.113.1", "203.0.113.1"},
      {"a spoofed trusted address does not help", "10.0.0.66, 203.0.113.1", "203.0.113.1"},
      {"several header lines", "6.6.6.6, 203.0.113.1, 10.0.0.9", "203.0.113.1"},
      {"ports and IPv6", "[2001:db8:2::7]:4711, 2001:db8:1::5", "2001:db8:2::7"},
      {"a port on IPv4", "203.0.113.1:55000", "203.0.113.1"},
      {"every hop trusted: the left-most", "10.0.0.7, 10.0.0.8", "10.0.0.7"},
      {"garbage ends the walk at the hop that sent it", "203.0.113.1, unknown, 10.0.0.9", "10.0.0.9"},
      {"garbage from the proxy itself", "not-an-ip", "10.0.0.2"},
      {"spoofed garbage left of the client", "<script>, 203.0.113.1", "203.0.113.1"},
      {"canonical text", "2001:DB8:2:0:0:0:0:7", "2001:db8:2::7"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(proxies.Resolve("10.0.0.2", c.xff, "").address, c.client) << c.name;
  }
}

TEST(TrustedProxiesTest, SecureOnlyWhenATrustedProxySaysHttps) {
  const TrustedProxies proxies = Proxies("10.0.0.0/8");
  EXPECT_TRUE(proxies.Resolve("10.0.0.2", "203.0.113.1", "https").secure);
  EXPECT_TRUE(proxies.Resolve("10.0.0.2", "203.0.113.1", "HTTPS").secure);
  EXPECT_FALSE(proxies.Resolve("10.0.0.2", "203.0.113.1", "http").secure);
  EXPECT_FALSE(proxies.Resolve("10.0.0.2", "203.0.113.1", "").secure);
  // A client's own "https" in front of the proxy's "http" does not count.
  EXPECT_FALSE(proxies.Resolve("10.0.0.2", "203.0.113.1", "https, http").secure);
  EXPECT_FALSE(proxies.Resolve("10.0.0.2", "203.0.113.1", "httpsx").secure);
}

}  // namespace
}  // namespace anxin::http
