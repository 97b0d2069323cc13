#include "http/static_files.hpp"

#include <unistd.h>

#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace anxin::http {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

std::string HeaderOf(const Response& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

// A temporary web root laid out like `vite build`'s web/dist, plus traps outside it.
class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("anxin-web-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = base_ / "dist";
    Write("index.html", "<!doctype html><title>portal</title>");
    Write("console/index.html", "<!doctype html><title>console</title>");
    Write("assets/app-1a2b3c.js", "console.log('portal')");
    Write("assets/app-1a2b3c.js.gz", "GZIPPED-JS");
    Write("assets/app-1a2b3c.mjs", "export {}");
    Write("assets/style-9f8e.css", "body{}");
    Write("assets/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>");
    Write("assets/logo.png", "\x89PNG");
    Write("assets/font.woff2", "wOF2");
    Write("assets/app-1a2b3c.js.map", "{}");
    Write("favicon.ico", "ico");
    Write("manifest.webmanifest", "{}");
    Write("robots.txt", "User-agent: *");
    Write("config.json", "{}");
    Write("data.bin", "bytes");
    Write("docs/index.html", "<!doctype html><title>docs</title>");
    Write(".env", "SECRET=1");
    Write(".git/config", "secret");
    Write(".well-known/security.txt", "Contact: security@example.com");
    Write("日本/名前.txt", "utf-8 name");
    fs::create_directories(base_ / "outside");
    std::ofstream(base_ / "outside" / "secret.txt") << "outside the root";
    fs::create_symlink(base_ / "outside" / "secret.txt", root_ / "leak.txt");
    fs::create_symlink(base_ / "outside", root_ / "leakdir");
    fs::create_symlink(root_ / "robots.txt", root_ / "robots-link.txt");  // inside: fine
  }

  void TearDown() override { fs::remove_all(base_); }

  void Write(const std::string& relative, const std::string& content) {
    const fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
  }

  const StaticFiles& Files() {
    if (!files_) {
      Result<std::unique_ptr<StaticFiles>> loaded = StaticFiles::Load(root_);
      EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
      files_ = std::move(loaded).value();
    }
    return *files_;
  }

  Response Get(std::string path, std::vector<std::pair<std::string, std::string>> headers = {},
               std::string method = "GET") {
    Request request;
    request.method = std::move(method);
    request.path = std::move(path);
    request.request_id = "req-1";
    for (auto& [name, value] : headers) request.headers[name] = value;
    return Files().Serve(request);
  }

  fs::path base_;
  fs::path root_;
  std::unique_ptr<StaticFiles> files_;
};

TEST_F(StaticFilesTest, ServesEachFileWithItsContentType) {
  struct Case {
    std::string path;
    std::string type;
    std::string body;
  };
  const std::vector<Case> cases = {
      {"/index.html", "text/html; charset=utf-8", "<!doctype html><title>portal</title>"},
      {"/assets/app-1a2b3c.js", "text/javascript; charset=utf-8", "console.log('portal')"},
      {"/assets/app-1a2b3c.mjs", "text/javascript; charset=utf-8", "export {}"},
      {"/assets/style-9f8e.css", "text/css; charset=utf-8", "body{}"},
      {"/assets/logo.svg", "image/svg+xml", "<svg xmlns='http://www.w3.org/2000/svg'/>"},
      {"/assets/logo.png", "image/png", "\x89PNG"},
      {"/assets/font.woff2", "font/woff2", "wOF2"},
      {"/assets/app-1a2b3c.js.map", "application/json", "{}"},
      {"/favicon.ico", "image/x-icon", "ico"},
      {"/manifest.webmanifest", "application/manifest+json", "{}"},
      {"/robots.txt", "text/plain; charset=utf-8", "User-agent: *"},
      {"/config.json", "application/json", "{}"},
      {"/data.bin", "application/octet-stream", "bytes"},
      {"/.well-known/security.txt", "text/plain; charset=utf-8", "Contact: security@example.com"},
      {"/%E6%97%A5%E6%9C%AC/%E5%90%8D%E5%89%8D.txt", "text/plain; charset=utf-8", "utf-8 name"},
      {"/robots-link.txt", "text/plain; charset=utf-8", "User-agent: *"},
  };
  for (const Case& c : cases) {
    Response response = Get(c.path);
    EXPECT_EQ(response.status, 200) << c.path;
    EXPECT_EQ(response.content_type, c.type) << c.path;
    EXPECT_EQ(response.body, c.body) << c.path;
    EXPECT_THAT(HeaderOf(response, "ETag"), ::testing::MatchesRegex("\"[0-9a-f]{32}\"")) << c.path;
  }
}

TEST_F(StaticFilesTest, HashedAssetsAreImmutableAndHtmlIsRevalidated) {
  EXPECT_EQ(HeaderOf(Get("/assets/app-1a2b3c.js"), "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(HeaderOf(Get("/assets/style-9f8e.css"), "Cache-Control"), "public, max-age=31536000, immutable");
  for (std::string path : {"/", "/index.html", "/console/", "/console/cards/batches", "/policies/P1"}) {
    Response response = Get(path);
    EXPECT_EQ(response.status, 200) << path;
    EXPECT_EQ(HeaderOf(response, "Cache-Control"), "no-cache") << path;
    EXPECT_EQ(HeaderOf(response, "Content-Security-Policy"), kContentSecurityPolicy) << path;
  }
  EXPECT_EQ(HeaderOf(Get("/robots.txt"), "Cache-Control"), "no-cache");
  EXPECT_EQ(HeaderOf(Get("/assets/app-1a2b3c.js"), "Content-Security-Policy"), "");
  EXPECT_EQ(HeaderOf(Get("/assets/logo.svg"), "Content-Security-Policy"), kContentSecurityPolicy);
}

TEST_F(StaticFilesTest, ClientRoutesFallBackToTheirApp) {
  struct Case {
    std::string path;
    std::string title;
  };
  const std::vector<Case> cases = {
      {"/", "portal"},
      {"/activate", "portal"},
      {"/my/policies/P2026", "portal"},
      {"/console/", "console"},
      {"/console/cards/batches", "console"},
      {"/console/cards/", "console"},
      {"/docs/", "docs"},
  };
  for (const Case& c : cases) {
    Response response = Get(c.path);
    EXPECT_EQ(response.status, 200) << c.path;
    EXPECT_EQ(response.content_type, "text/html; charset=utf-8") << c.path;
    EXPECT_THAT(response.body, HasSubstr("<title>" + c.title + "</title>")) << c.path;
  }
  Response redirect = Get("/console");
  EXPECT_EQ(redirect.status, 301);
  EXPECT_EQ(HeaderOf(redirect, "Location"), "/console/");
}

TEST_F(StaticFilesTest, MissingFilesWithAnExtensionOrUnderAssetsAre404) {
  for (std::string path :
       {"/missing.js", "/assets/gone-0000.js", "/assets/gone", "/console/missing.css", "/assets/"}) {
    Response response = Get(path);
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_EQ(response.content_type, "application/problem+json") << path;
    EXPECT_EQ(Json::parse(response.body)["code"], "not_found") << path;
  }
}

TEST_F(StaticFilesTest, RefusesTraversalAndHiddenFiles) {
  const std::vector<std::string> refused = {
      "/../outside/secret.txt",
      "/assets/../../outside/secret.txt",
      "/%2e%2e/outside/secret.txt",
      "/%2E%2E/outside/secret.txt",
      "/assets/%2e%2e%2f%2e%2e%2foutside%2fsecret.txt",
      "/..%2foutside%2fsecret.txt",
      "/..%5coutside%5csecret.txt",
      "/assets\\..\\..\\outside\\secret.txt",
      "/index.html%00.js",
      "/./index.html",
      "/assets//app-1a2b3c.js",
      "/%",
      "/%zz",
      "/a%0d%0aSet-Cookie:x",
  };
  for (const std::string& path : refused) {
    Response response = Get(path);
    EXPECT_EQ(response.status, 400) << path;
    EXPECT_EQ(Json::parse(response.body)["code"], "invalid_path") << path;
    EXPECT_THAT(response.body, Not(HasSubstr("outside the root"))) << path;
  }
  // Never loaded, so they cannot be reached at all: symlinks out of the root and hidden files
  // (which, having no extension, get the portal like any client route).
  for (std::string path : {"/leak.txt", "/leakdir/secret.txt"}) {
    Response response = Get(path);
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_THAT(response.body, Not(HasSubstr("outside the root"))) << path;
  }
  for (std::string path : {"/.env", "/.git/config", "/.git/"}) {
    Response response = Get(path);
    EXPECT_EQ(response.status, 200) << path;
    EXPECT_THAT(response.body, HasSubstr("<title>portal</title>")) << path;
    EXPECT_THAT(response.body, Not(HasSubstr("SECRET"))) << path;
    EXPECT_THAT(response.body, Not(HasSubstr("secret"))) << path;
  }
}

TEST_F(StaticFilesTest, OnlyGetAndHead) {
  Response head = Get("/assets/app-1a2b3c.js", {}, "HEAD");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.content_type, "text/javascript; charset=utf-8");
  for (std::string method : {"POST", "PUT", "DELETE", "OPTIONS"}) {
    Response response = Get("/index.html", {}, method);
    EXPECT_EQ(response.status, 405) << method;
    EXPECT_EQ(HeaderOf(response, "Allow"), "GET, HEAD");
    EXPECT_EQ(Json::parse(response.body)["code"], "method_not_allowed");
  }
}

TEST_F(StaticFilesTest, AnswersNotModifiedForAMatchingETag) {
  const std::string etag = HeaderOf(Get("/assets/style-9f8e.css"), "ETag");
  for (std::string header : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
    Response response = Get("/assets/style-9f8e.css", {{"if-none-match", header}});
    EXPECT_EQ(response.status, 304) << header;
    EXPECT_EQ(response.body, "");
    EXPECT_EQ(HeaderOf(response, "ETag"), etag);
    EXPECT_EQ(HeaderOf(response, "Cache-Control"), "public, max-age=31536000, immutable");
  }
  EXPECT_EQ(Get("/assets/style-9f8e.css", {{"if-none-match", "\"stale\""}}).status, 200);
  EXPECT_NE(HeaderOf(Get("/index.html"), "ETag"), HeaderOf(Get("/console/index.html"), "ETag"));
}

TEST_F(StaticFilesTest, SendsThePrecompressedSiblingToGzipClients) {
  for (std::string accept : {"gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8", "*"}) {
    Response response = Get("/assets/app-1a2b3c.js", {{"accept-encoding", accept}});
    EXPECT_EQ(response.body, "GZIPPED-JS") << accept;
    EXPECT_EQ(HeaderOf(response, "Content-Encoding"), "gzip") << accept;
    EXPECT_EQ(HeaderOf(response, "Vary"), "Accept-Encoding");
    EXPECT_EQ(response.content_type, "text/javascript; charset=utf-8");
  }
  for (std::string accept : {"", "br", "gzip;q=0", "identity"}) {
    Response response = Get("/assets/app-1a2b3c.js", {{"accept-encoding", accept}});
    EXPECT_EQ(response.body, "console.log('portal')") << accept;
    EXPECT_EQ(HeaderOf(response, "Content-Encoding"), "") << accept;
    EXPECT_EQ(HeaderOf(response, "Vary"), "Accept-Encoding");
  }
  const std::string plain = HeaderOf(Get("/assets/app-1a2b3c.js"), "ETag");
  const std::string zipped = HeaderOf(Get("/assets/app-1a2b3c.js", {{"accept-encoding", "gzip"}}), "ETag");
  EXPECT_NE(plain, zipped);
  // The .gz file is a variant, not a URL of its own; files without one carry no Vary.
  EXPECT_EQ(Get("/assets/app-1a2b3c.js.gz").status, 404);
  EXPECT_EQ(HeaderOf(Get("/assets/style-9f8e.css"), "Vary"), "");
}

TEST_F(StaticFilesTest, ReadsFilesOnceAtLoad) {
  const StaticFiles& files = Files();
  Write("assets/app-1a2b3c.js", "changed on disk");
  fs::remove(root_ / "index.html");
  EXPECT_EQ(Get("/assets/app-1a2b3c.js").body, "console.log('portal')");
  EXPECT_THAT(Get("/").body, HasSubstr("portal"));
  EXPECT_GT(files.file_count(), 10U);
}

TEST_F(StaticFilesTest, TheRouterNeverLetsFilesShadowTheApi) {
  Router router;
  Route me;
  me.method = "GET";
  me.pattern = "/api/v1/me";
  me.access = Access::kPublic;
  me.handler = [](Request&) -> Result<Response> { return JsonResponse(200, {{"me", true}}); };
  router.Add(me);
  router.SetStaticFiles(&Files());
  auto handle = [&router](std::string method, std::string path) {
    Request request;
    request.method = std::move(method);
    request.path = std::move(path);
    request.request_id = "r";
    return router.Handle(request);
  };
  EXPECT_EQ(handle("GET", "/api/v1/me").body, R"({"me":true})");
  EXPECT_EQ(handle("POST", "/api/v1/me").status, 405);  // a route's path keeps its 405
  for (std::string path : {"/api/v1/nope", "/api", "/api/", "/metrics", "/healthz", "/readyz",
                           "/openapi.json", "/%61pi/v1/nope"}) {
    Response response = handle("GET", path);
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_EQ(response.content_type, "application/problem+json") << path;
  }
  Response portal = handle("GET", "/my/cards");
  EXPECT_EQ(portal.status, 200);
  EXPECT_THAT(portal.body, HasSubstr("portal"));
  EXPECT_EQ(handle("GET", "/console/x").status, 200);
  EXPECT_EQ(handle("DELETE", "/console/x").status, 405);

  Router api_only;  // no web root: today's behaviour
  Request request;
  request.method = "GET";
  request.path = "/";
  EXPECT_EQ(api_only.Handle(request).status, 404);
}

TEST(StaticFilesLoadTest, AbsentRootIsNotFoundAndAFileIsInvalid) {
  Result<std::unique_ptr<StaticFiles>> absent = StaticFiles::Load("/nonexistent/anxin/web/dist");
  ASSERT_FALSE(absent.ok());
  EXPECT_EQ(absent.status().code(), StatusCode::kNotFound);
  const fs::path file = fs::temp_directory_path() / ("anxin-web-file-" + std::to_string(::getpid()));
  std::ofstream(file) << "x";
  Result<std::unique_ptr<StaticFiles>> not_dir = StaticFiles::Load(file);
  ASSERT_FALSE(not_dir.ok());
  EXPECT_EQ(not_dir.status().code(), StatusCode::kInvalidArgument);
  fs::remove(file);
}

TEST(IsApiPathTest, ReservesTheApiAndSystemPaths) {
  for (std::string path : {"/api", "/api/", "/api/v1/me", "/%61pi/v1/me", "/healthz", "/readyz", "/metrics",
                           "/openapi.json", "/metrics/x"}) {
    EXPECT_TRUE(IsApiPath(path)) << path;
  }
  for (std::string path : {"/", "/apis", "/console/api", "/index.html", "/assets/api.js", "/API/v1"}) {
    EXPECT_FALSE(IsApiPath(path)) << path;
  }
}

}  // namespace
}  // namespace anxin::http
