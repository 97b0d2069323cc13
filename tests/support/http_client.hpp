#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace anxin::testing {

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  // Parses the body as JSON (null when it is not JSON).
  [[nodiscard]] nlohmann::json Json() const;
  [[nodiscard]] std::string Header(const std::string& name) const;
};

// A small blocking HTTP/1.1 client over one keep-alive TCP connection to 127.0.0.1, for tests.
// It understands Content-Length and chunked bodies. Not thread-safe: one per thread.
class HttpClient {
 public:
  explicit HttpClient(int port) : port_(port) {}
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request and reads the reply; reconnects when the server closed the connection.
  // Returns status 0 when the server cannot be reached.
  HttpReply Send(const std::string& method, const std::string& target, const std::string& body = "",
                 const std::vector<std::pair<std::string, std::string>>& headers = {});
  // Sends `json` with Content-Type: application/json.
  HttpReply SendJson(const std::string& method, const std::string& target, const nlohmann::json& json,
                     std::vector<std::pair<std::string, std::string>> headers = {});
  // Sends raw bytes and reads one reply (for malformed-request tests).
  HttpReply SendRaw(const std::string& bytes);

 private:
  bool Connect();
  void Close();
  HttpReply ReadReply();

  int port_;
  int fd_ = -1;
  std::string buffer_;
};

}  // namespace anxin::testing
