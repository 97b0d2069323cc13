#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.hpp"
#include "http/router.hpp"

namespace anxin::http {

// The Content-Security-Policy every HTML answer carries (CONTRACTS.md, issue 7 §2): scripts only
// from this origin, no inline script, no framing.
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'";

// Returns true for the paths that belong to the API and are never answered with a file, whether
// or not a route serves them here: /api and /api/..., /healthz, /readyz, /metrics, /openapi.json.
bool IsApiPath(std::string_view path);

// The web app (`web_root`, built by `vite build`), read into memory once so that serving never
// touches the disk. Immutable after Load; Serve is thread-safe and never blocks.
//
// What is served (CONTRACTS.md "Static web app"):
//   - GET and HEAD only (others: 405 "method_not_allowed", Allow: GET, HEAD);
//   - a path naming a file: that file, with its content type (html, js, mjs, css, svg, png, ico,
//     woff2, json, map, txt, webmanifest, and a few image and font types; others
//     application/octet-stream); a path naming a directory with an index.html: "<dir>/" is that
//     index, "<dir>" redirects (301) to "<dir>/";
//   - a missing path: under /assets/ or with an extension, 404 "not_found"; otherwise, under
//     /console/ the staff console's console/index.html, elsewhere the portal's index.html
//     (client-side routes);
//   - /assets/*: Cache-Control "public, max-age=31536000, immutable"; everything else "no-cache";
//     HTML and SVG also carry kContentSecurityPolicy;
//   - a strong ETag on every file; If-None-Match matching it answers 304;
//   - a precompressed sibling ("app.js.gz") is sent instead, with Content-Encoding: gzip, to
//     clients that accept gzip (Vary: Accept-Encoding); the .gz file has no URL of its own.
// Refused with 400 "invalid_path": malformed percent-escapes, encoded "/" or "\", NUL and other
// control characters, "\", empty, "." and ".." segments. Hidden files (".name", except under
// ".well-known") and files that are not regular files or whose real path (symlinks resolved)
// lies outside the root are never loaded, so no request can reach them.
class StaticFiles {
 public:
  // Limits on what Load reads; larger files are skipped with a warning in the log.
  static constexpr size_t kMaxFileBytes = 32 * 1024 * 1024;
  static constexpr size_t kMaxTotalBytes = 256 * 1024 * 1024;

  // Reads every file under `root`. Returns kNotFound when `root` does not exist (no web app: the
  // caller serves the API only), kInvalidArgument when it is not a directory, kUnavailable when a
  // file cannot be read.
  static Result<std::unique_ptr<StaticFiles>> Load(const std::filesystem::path& root);

  // Answers `request` (a GET or HEAD outside the API paths, or any other method) from memory.
  // HEAD answers carry the body too: the server sends only its headers.
  [[nodiscard]] Response Serve(const Request& request) const;

  [[nodiscard]] size_t file_count() const { return files_.size(); }
  [[nodiscard]] size_t total_bytes() const { return total_bytes_; }

 private:
  struct File {
    std::string content_type;
    std::string body;
    std::string etag;
    std::optional<std::string> gzip_body;  // the .gz sibling's bytes
    std::string gzip_etag;
  };

  StaticFiles() = default;
  [[nodiscard]] Response Answer(const Request& request, std::string_view path, const File& file) const;

  // Constant after Load. Keys are URL paths ("/index.html", "/assets/app-1a2b.js").
  std::map<std::string, File, std::less<>> files_;
  size_t total_bytes_ = 0;
};

}  // namespace anxin::http
