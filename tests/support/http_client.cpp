#include "http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace anxin::testing {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

nlohmann::json HttpReply::Json() const {
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  return parsed.is_discarded() ? nlohmann::json() : parsed;
}

std::string HttpReply::Header(const std::string& name) const {
  const auto it = headers.find(Lower(name));
  return it == headers.end() ? "" : it->second;
}

HttpClient::~HttpClient() { Close(); }

void HttpClient::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  buffer_.clear();
}

bool HttpClient::Connect() {
  Close();
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd_ < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port_));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    Close();
    return false;
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return true;
}

HttpReply HttpClient::SendJson(const std::string& method, const std::string& target,
                               const nlohmann::json& json,
                               std::vector<std::pair<std::string, std::string>> headers) {
  headers.emplace_back("Content-Type", "application/json");
  return Send(method, target, json.dump(), headers);
}

HttpReply HttpClient::Send(const std::string& method, const std::string& target, const std::string& body,
                           const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string out = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& [name, value] : headers) out += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  out += "\r\n" + body;
  for (int attempt = 0; attempt < 2; ++attempt) {
    HttpReply reply = SendRaw(out);
    if (reply.status != 0) return reply;
    Close();  // the server may have closed an idle keep-alive connection: retry once
  }
  return {};
}

HttpReply HttpClient::SendRaw(const std::string& bytes) {
  if (fd_ < 0 && !Connect()) return {};
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      Close();
      return {};
    }
    sent += static_cast<size_t>(n);
  }
  return ReadReply();
}

HttpReply HttpClient::ReadReply() {
  HttpReply reply;
  auto fill = [this]() {
    char chunk[16384];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  };
  size_t header_end;
  while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!fill()) {
      Close();
      return {};
    }
  }
  const std::string head = buffer_.substr(0, header_end);
  buffer_.erase(0, header_end + 4);
  size_t line_end = head.find("\r\n");
  const std::string status_line = head.substr(0, line_end);
  const auto space = status_line.find(' ');
  reply.status = space == std::string::npos ? 0 : std::atoi(status_line.c_str() + space + 1);
  while (line_end != std::string::npos) {
    const size_t start = line_end + 2;
    line_end = head.find("\r\n", start);
    const std::string line =
        head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    reply.headers[Lower(line.substr(0, colon))] = value;
  }
  if (Lower(reply.Header("transfer-encoding")) == "chunked") {
    while (true) {
      size_t eol;
      while ((eol = buffer_.find("\r\n")) == std::string::npos) {
        if (!fill()) return reply;
      }
      const size_t size = std::stoul(buffer_.substr(0, eol), nullptr, 16);
      buffer_.erase(0, eol + 2);
      while (buffer_.size() < size + 2) {
        if (!fill()) return reply;
      }
      reply.body += buffer_.substr(0, size);
      buffer_.erase(0, size + 2);
      if (size == 0) break;
    }
  } else {
    const std::string length = reply.Header("content-length");
    const size_t size = length.empty() ? 0 : std::stoul(length);
    while (buffer_.size() < size) {
      if (!fill()) break;
    }
    reply.body = buffer_.substr(0, size);
    buffer_.erase(0, std::min(size, buffer_.size()));
  }
  if (Lower(reply.Header("connection")) == "close") Close();
  return reply;
}

}  // namespace anxin::testing
