#include "http/static_files.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <iterator>
#include <utility>
#include <vector>

#include "common/crypto.hpp"
#include "common/log.hpp"

namespace anxin::http {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kAssetsPrefix = "/assets/";
constexpr std::string_view kConsolePrefix = "/console/";
constexpr std::string_view kIndex = "index.html";
constexpr std::string_view kGzipSuffix = ".gz";
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidate = "no-cache";

struct ContentType {
  std::string_view extension;
  std::string_view type;
};

constexpr std::array<ContentType, 19> kContentTypes = {{
    {"html", "text/html; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"ico", "image/x-icon"},
    {"woff2", "font/woff2"},
    {"woff", "font/woff"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"txt", "text/plain; charset=utf-8"},
    {"webmanifest", "application/manifest+json"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"webp", "image/webp"},
    {"gif", "image/gif"},
    {"avif", "image/avif"},
    {"wasm", "application/wasm"},
}};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

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

// Returns the extension of the last segment of `path` ("js" for "/assets/app.js"), or "".
std::string_view Extension(std::string_view path) {
  const std::string_view name = path.substr(path.rfind('/') + 1);
  const size_t dot = name.rfind('.');
  return dot == std::string_view::npos || dot == 0 ? std::string_view() : name.substr(dot + 1);
}

std::string TypeFor(std::string_view path) {
  const std::string extension = Lower(Extension(path));
  for (const ContentType& entry : kContentTypes) {
    if (entry.extension == extension) return std::string(entry.type);
  }
  return "application/octet-stream";
}

bool IsHtmlOrSvg(std::string_view content_type) {
  return content_type.rfind("text/html", 0) == 0 || content_type.rfind("image/svg+xml", 0) == 0;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes one path segment; nullopt for a malformed escape or a byte no file name here
// may hold ("/", "\", NUL and other control characters).
std::optional<std::string> DecodeSegment(std::string_view segment) {
  std::string out;
  out.reserve(segment.size());
  for (size_t i = 0; i < segment.size(); ++i) {
    char c = segment[i];
    if (c == '%') {
      if (i + 2 >= segment.size()) return std::nullopt;
      const int hi = HexValue(segment[i + 1]);
      const int lo = HexValue(segment[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    const auto byte = static_cast<unsigned char>(c);
    if (c == '/' || c == '\\' || byte < 0x20 || byte == 0x7f) return std::nullopt;
    out.push_back(c);
  }
  return out;
}

// Decodes a request path into the form of the file map's keys ("/console/index.html"; a
// trailing "/" is kept). Returns nullopt for anything that could step outside the root or that
// names no file by construction (see StaticFiles).
std::optional<std::string> DecodePath(std::string_view path) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  std::string decoded;
  path.remove_prefix(1);
  while (true) {
    const size_t slash = path.find('/');
    const std::string_view raw = path.substr(0, slash);
    const bool last = slash == std::string_view::npos;
    std::optional<std::string> segment = DecodeSegment(raw);
    if (!segment) return std::nullopt;
    if (*segment == "." || *segment == "..") return std::nullopt;
    if (segment->empty() && !last) return std::nullopt;
    decoded += "/" + *segment;
    if (last) break;
    path.remove_prefix(slash + 1);
  }
  return decoded;
}

// Returns true when the client accepts gzip (Accept-Encoding lists gzip, x-gzip or * with q > 0).
bool AcceptsGzip(std::string_view accept_encoding) {
  for (std::string_view item : SplitList(accept_encoding)) {
    const size_t semicolon = item.find(';');
    const std::string coding = Lower(Trim(item.substr(0, semicolon)));
    if (coding != "gzip" && coding != "x-gzip" && coding != "*") continue;
    bool zero = false;
    if (semicolon != std::string_view::npos) {
      std::string_view parameter = Trim(item.substr(semicolon + 1));
      if (parameter.size() >= 2 && (parameter[0] == 'q' || parameter[0] == 'Q') && parameter[1] == '=') {
        std::string_view q = parameter.substr(2);
        zero = !q.empty() && std::all_of(q.begin(), q.end(), [](char c) { return c == '0' || c == '.'; });
      }
    }
    if (!zero) return true;
  }
  return false;
}

// Returns true when If-None-Match names `etag` (weak comparison, RFC 9110 §13.1.2) or is "*".
bool NoneMatch(std::string_view if_none_match, std::string_view etag) {
  for (std::string_view tag : SplitList(if_none_match)) {
    if (tag == "*") return true;
    if (tag.rfind("W/", 0) == 0) tag.remove_prefix(2);
    if (tag == etag) return true;
  }
  return false;
}

std::string ETagFor(std::string_view body) { return "\"" + Sha256Hex(body).substr(0, 32) + "\""; }

// True when a path component is hidden (".git", ".env"); ".well-known" is not.
bool Hidden(const fs::path& name) {
  const std::string text = name.string();
  return !text.empty() && text.front() == '.' && text != ".well-known";
}

bool Within(const fs::path& root, const fs::path& target) {
  const fs::path relative = target.lexically_relative(root);
  return !relative.empty() && *relative.begin() != ".." && relative.is_relative();
}

Status LoadError(const fs::path& path, const std::string& what) {
  return {StatusCode::kUnavailable,
          "web_root_unreadable",
          {"无法读取网页文件 " + path.string() + "：" + what,
           "cannot read web file " + path.string() + ": " + what}};
}

Response Problem(const Request& request, Status status) { return ProblemResponse(status, request); }

}  // namespace

bool IsApiPath(std::string_view path) {
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  const std::string_view first = path.substr(0, path.find('/'));
  // Percent-decoded as the router decodes it, so "/%61pi/..." is as much the API as "/api/...".
  std::string decoded;
  for (size_t i = 0; i < first.size(); ++i) {
    if (first[i] == '%' && i + 2 < first.size() && HexValue(first[i + 1]) >= 0 &&
        HexValue(first[i + 2]) >= 0) {
      decoded += static_cast<char>(HexValue(first[i + 1]) * 16 + HexValue(first[i + 2]));
      i += 2;
    } else {
      decoded += first[i];
    }
  }
  static constexpr std::array<std::string_view, 5> kApiSegments = {"api", "healthz", "readyz", "metrics",
                                                                   "openapi.json"};
  return std::find(kApiSegments.begin(), kApiSegments.end(), decoded) != kApiSegments.end();
}

Result<std::unique_ptr<StaticFiles>> StaticFiles::Load(const fs::path& root) {
  std::error_code ec;
  const fs::file_status root_status = fs::status(root, ec);
  if (!fs::exists(root_status)) {
    return Status(StatusCode::kNotFound, "web_root_missing",
                  {"网页目录不存在：" + root.string(), "no web app at " + root.string()});
  }
  if (!fs::is_directory(root_status)) {
    return Status::InvalidField(
        "web_root", "not_a_directory",
        {"web_root 不是目录：" + root.string(), "web_root is not a directory: " + root.string()});
  }
  const fs::path canonical_root = fs::canonical(root, ec);
  if (ec) return LoadError(root, ec.message());

  std::map<std::string, std::string, std::less<>> contents;
  size_t total = 0;
  auto skip = [](const fs::path& path, std::string_view why) {
    LogEvent(spdlog::level::warn, "web_file_skipped", {{"path", path.string()}, {"why", std::string(why)}});
  };
  fs::recursive_directory_iterator it(canonical_root, fs::directory_options::none, ec);
  if (ec) return LoadError(root, ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return LoadError(root, ec.message());
    const fs::directory_entry& entry = *it;
    const fs::path& path = entry.path();
    const fs::file_status own = entry.symlink_status(ec);
    if (ec) return LoadError(path, ec.message());
    if (Hidden(path.filename())) {
      if (fs::is_directory(own)) it.disable_recursion_pending();
      continue;
    }
    if (fs::is_directory(own)) continue;
    fs::path source = path;
    if (fs::is_symlink(own)) {
      std::error_code resolve_error;
      source = fs::canonical(path, resolve_error);
      if (resolve_error || !Within(canonical_root, source)) {
        skip(path, "symlink out of the root");
        continue;
      }
    }
    if (!fs::is_regular_file(fs::status(source, ec))) {
      skip(path, "not a regular file");  // directories behind symlinks, FIFOs, sockets, devices
      continue;
    }
    const uintmax_t size = fs::file_size(source, ec);
    if (ec) return LoadError(path, ec.message());
    if (size > kMaxFileBytes || total + size > kMaxTotalBytes) {
      skip(path, "over the size limit");
      continue;
    }
    std::ifstream in(source, std::ios::binary);
    std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) return LoadError(path, "read failed");
    total += body.size();
    contents.emplace("/" + path.lexically_relative(canonical_root).generic_string(), std::move(body));
  }

  auto files = std::unique_ptr<StaticFiles>(new StaticFiles());
  files->total_bytes_ = total;
  for (auto& [url, body] : contents) {
    const bool is_gzip = url.size() > kGzipSuffix.size() &&
                         url.compare(url.size() - kGzipSuffix.size(), kGzipSuffix.size(), kGzipSuffix) == 0;
    if (is_gzip && contents.count(url.substr(0, url.size() - kGzipSuffix.size())) > 0) continue;
    File file;
    file.content_type = TypeFor(url);
    file.etag = ETagFor(body);
    file.body = std::move(body);
    auto gzip = contents.find(url + std::string(kGzipSuffix));
    if (gzip != contents.end()) {
      file.gzip_etag = ETagFor(gzip->second);
      file.gzip_body = gzip->second;
    }
    files->files_.emplace(url, std::move(file));
  }
  return files;
}

Response StaticFiles::Serve(const Request& request) const {
  if (request.method != "GET" && request.method != "HEAD") {
    Response response = Problem(
        request, Status::Detailed(StatusDetail::kMethodNotAllowed, "method_not_allowed",
                                  {"网页文件只支持 GET 和 HEAD", "Web files answer GET and HEAD only"}));
    response.headers.emplace_back("Allow", "GET, HEAD");
    return response;
  }
  const std::optional<std::string> path = DecodePath(request.path);
  if (!path) {
    return Problem(
        request,
        {StatusCode::kInvalidArgument, "invalid_path", {"请求路径无效", "The request path is not allowed"}});
  }
  const bool directory = path->back() == '/';
  const std::string exact = directory ? *path + std::string(kIndex) : *path;
  if (auto it = files_.find(exact); it != files_.end()) return Answer(request, exact, it->second);
  if (!directory && files_.count(*path + "/" + std::string(kIndex)) > 0) {
    Response redirect;
    redirect.status = 301;
    redirect.content_type = "text/plain; charset=utf-8";
    redirect.headers.emplace_back("Location", request.path + "/");
    return redirect;
  }

  const Status missing(StatusCode::kNotFound, "not_found", {"请求的资源不存在", "No such resource"});
  if (path->rfind(kAssetsPrefix, 0) == 0 || !Extension(*path).empty()) return Problem(request, missing);
  const std::string app =
      path->rfind(kConsolePrefix, 0) == 0 ? std::string(kConsolePrefix) + std::string(kIndex) : "/index.html";
  if (auto it = files_.find(app); it != files_.end()) return Answer(request, app, it->second);
  return Problem(request, missing);
}

Response StaticFiles::Answer(const Request& request, std::string_view path, const File& file) const {
  const bool gzip = file.gzip_body.has_value() && AcceptsGzip(request.Header("accept-encoding"));
  const std::string& etag = gzip ? file.gzip_etag : file.etag;
  Response response;
  response.content_type = file.content_type;
  response.headers.emplace_back("ETag", etag);
  response.headers.emplace_back("Cache-Control",
                                std::string(path.rfind(kAssetsPrefix, 0) == 0 ? kImmutable : kRevalidate));
  if (file.gzip_body) response.headers.emplace_back("Vary", "Accept-Encoding");
  if (IsHtmlOrSvg(file.content_type)) {
    response.headers.emplace_back("Content-Security-Policy", std::string(kContentSecurityPolicy));
  }
  if (NoneMatch(request.Header("if-none-match"), etag)) {
    response.status = 304;
    return response;
  }
  response.status = 200;
  if (gzip) response.headers.emplace_back("Content-Encoding", "gzip");
  response.body = gzip ? *file.gzip_body : file.body;
  return response;
}

}  // namespace anxin::http
