// HTTP for identity: parse, authorise, call IdentityService, render. No rules here.
#include "identity/identity_routes.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/enum_table.hpp"
#include "http/body_spec.hpp"
#include "http/json_input.hpp"
#include "http/query_spec.hpp"
#include "http/route_support.hpp"

namespace anxin::identity {
namespace {

using http::Access;
using http::ActorOf;
using http::JsonArray;
using http::NullOr;
using http::Request;
using http::Response;
using http::Route;
using http::schema::Array;
using http::schema::Boolean;
using http::schema::ClosedObject;
using http::schema::DateTime;
using http::schema::Enum;
using http::schema::ListOf;
using http::schema::Nullable;
using http::schema::Object;
using http::schema::PageOf;
using http::schema::String;
using nlohmann::json;

constexpr const char* kTag = "identity";
constexpr size_t kMaxPasswordInput = 512;
constexpr size_t kMaxQueryParam = 64;
constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 500;

Response NoContent() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

json OrgJson(const Org& org) {
  return {{"id", org.id},
          {"code", org.code},
          {"name", org.name},
          {"level", std::string(OrgLevelName(org.level))},
          {"parent_id", org.parent_id.empty() ? json(nullptr) : json(org.parent_id)},
          {"path", org.path},
          {"status", std::string(ActiveStateName(org.status))},
          {"created_at", FormatTimestamp(org.created_at_ms)},
          {"updated_at", FormatTimestamp(org.updated_at_ms)}};
}

json UserJson(const UserView& user, bool with_permissions) {
  json out = {
      {"id", user.id},
      {"login", user.login},
      {"display_name", user.display_name},
      {"kind", std::string(UserKindName(user.kind))},
      {"status", std::string(ActiveStateName(user.status))},
      {"org", user.org ? json{{"id", user.org->id}, {"code", user.org->code}, {"name", user.org->name}}
                       : json(nullptr)},
      {"roles", user.roles},
      {"phone", NullOr(user.phone)},
      {"id_type", user.id_type ? json(IdTypeName(*user.id_type)) : json(nullptr)},
      {"id_number", NullOr(user.id_number)},
      {"locked", user.locked},
      {"created_at", FormatTimestamp(user.created_at_ms)},
      {"updated_at", FormatTimestamp(user.updated_at_ms)}};
  if (with_permissions) out["permissions"] = user.permissions;
  if (!user.revealed.empty()) out["revealed"] = user.revealed;
  return out;
}

json RoleJson(const Role& role) {
  return {{"code", role.code},
          {"name_zh", role.name_zh},
          {"name_en", role.name_en},
          {"kind", std::string(UserKindName(role.kind))},
          {"permissions", role.permissions}};
}

json SessionJson(const SessionView& s) {
  return {{"id", s.id},
          {"created_at", FormatTimestamp(s.created_at_ms)},
          {"last_seen_at", FormatTimestamp(s.last_seen_at_ms)},
          {"expires_at", FormatTimestamp(s.expires_at_ms)},
          {"client_address", s.client_address},
          {"current", s.current}};
}

template <typename T, typename Fn>
json PageJson(const Page<T>& page, Fn render) {
  return {{"items", JsonArray(page.items, render)}, {"next_after", NullOr(page.next_after)}};
}

// --- JSON Schemas for the OpenAPI document ------------------------------------------------------

json OrgSchema() {
  return ClosedObject(
      {{"id", String()},
       {"code", String(20)},
       {"name", String(100)},
       {"level", Enum(kOrgLevels.Names())},
       {"parent_id", Nullable(String())},
       {"path", String()},
       {"status", Enum(kActiveStates.Names())},
       {"created_at", DateTime()},
       {"updated_at", DateTime()}},
      {"id", "code", "name", "level", "parent_id", "path", "status", "created_at", "updated_at"});
}

json UserSchema() {
  json org = Nullable(Object({{"id", String()}, {"code", String()}, {"name", String()}}));
  return Object({{"id", String()},
                 {"login", String(64)},
                 {"display_name", String(64)},
                 {"kind", Enum(kUserKinds.Names())},
                 {"status", Enum(kActiveStates.Names())},
                 {"org", org},
                 {"roles", Array(String())},
                 {"permissions", Array(String())},
                 {"phone", {{"type", {"string", "null"}}, {"description", "masked unless revealed"}}},
                 {"id_type", Nullable(Enum(kIdTypes.Names()))},
                 {"id_number", {{"type", {"string", "null"}}, {"description", "masked unless revealed"}}},
                 {"revealed", Array(String())},
                 {"locked", Boolean()},
                 {"created_at", DateTime()},
                 {"updated_at", DateTime()}},
                {"id", "login", "display_name", "kind", "status", "org", "roles", "locked"});
}

json RoleSchema() {
  return ClosedObject({{"code", String()},
                       {"name_zh", String()},
                       {"name_en", String()},
                       {"kind", Enum(kUserKinds.Names())},
                       {"permissions", Array(String())}},
                      {"code", "name_zh", "name_en", "kind", "permissions"});
}

// --- Query parameters ---------------------------------------------------------------------------

const http::QuerySpec<OrgListQuery>& OrgListQuerySpec() {
  static const auto* spec = &(*new http::QuerySpec<OrgListQuery>())
                                 .Text("parent_id", &OrgListQuery::parent_id,
                                       {.max_len = kMaxQueryParam,
                                        .description = "Only the children of this organisation (its id)."})
                                 .Cursor(&OrgListQuery::after, kMaxQueryParam)
                                 .Limit(&OrgListQuery::limit, kDefaultPageSize, kMaxPageSize);
  return *spec;
}

const http::QuerySpec<UserListQuery>& UserListQuerySpec() {
  static const auto* spec =
      &(*new http::QuerySpec<UserListQuery>())
           .Text("org_id", &UserListQuery::org_id,
                 {.max_len = kMaxQueryParam,
                  .description = "Only users of this organisation's subtree (its id)."})
           .Text("role", &UserListQuery::role,
                 {.max_len = kMaxQueryParam,
                  .description = "Only users holding this role (its code).",
                  .example = "seller"})
           .Text("q", &UserListQuery::text,
                 {.max_len = kMaxQueryParam,
                  .description = "Only users whose login or display name contains this."})
           .Enum("kind", &UserListQuery::kind, kUserKinds,
                 {.description = "Staff or customers.", .default_name = "staff"})
           .Cursor(&UserListQuery::after, kMaxQueryParam)
           .Limit(&UserListQuery::limit, kDefaultPageSize, kMaxPageSize);
  return *spec;
}

struct UserRevealParams {
  http::RevealQuery reveal;
};

const http::QuerySpec<UserRevealParams>& UserRevealQuerySpec() {
  static const auto* spec =
      &(*new http::QuerySpec<UserRevealParams>()).Reveal(&UserRevealParams::reveal, {"phone", "id_number"});
  return *spec;
}

// --- Request bodies (one declaration each: validation and schema) -----------------------------

// The levels a client may create (the head office exists once, from the seed), named as in
// kOrgLevels.
constexpr EnumTable<OrgLevel, 3> kCreatableOrgLevels{{{
    {OrgLevel::kBranch, kOrgLevels.Name(OrgLevel::kBranch)},
    {OrgLevel::kInstitution, kOrgLevels.Name(OrgLevel::kInstitution)},
    {OrgLevel::kOutlet, kOrgLevels.Name(OrgLevel::kOutlet)},
}}};

constexpr size_t kMaxIdInput = 64;
constexpr size_t kMaxRoles = 20;

const http::StringField kDisplayNameField{.max_len = 64, .description = "the name shown to other staff"};
const http::StringField kPhoneField{.max_len = 20,
                                    .description = "mainland mobile number (stored sealed, shown masked)",
                                    .example = "13800138000"};
// Roles by code (GET /api/v1/roles lists them).
const http::ListField kRolesField{
    .max_items = kMaxRoles,
    .item = {.max_len = 64, .description = "a role code (GET /api/v1/roles)", .example = "doc_admin"},
    .description = "role codes; only roles whose every permission the caller holds"};
// New passwords: the policy (10-128 characters; three of lower case, upper case, digits, symbols, or
// 16+ characters; not the login) is checked by the service, the length here.
const http::StringField kNewPasswordField{
    .required = true,
    .min_len = 10,
    .max_len = 128,
    .trim = false,
    .description =
        "10-128 characters with three of: lower case, upper case, digits, symbols (or 16+ "
        "characters); not the login",
    .example = "Demo-Pass-2026"};

struct NewOrgBody {
  std::string code;
  std::string name;
  OrgLevel level = OrgLevel::kBranch;
  std::string parent_id;
};

const http::BodySpec<NewOrgBody>& NewOrgSpec() {
  static const auto* spec =
      &(*new http::BodySpec<NewOrgBody>("A new organisation node under `parent_id`; each level hangs under "
                                        "the one before it (head office, branch, institution, outlet)."))
           .String("code", &NewOrgBody::code,
                   {.required = true,
                    .max_len = 20,
                    .pattern = "^[A-Za-z0-9]{2,20}$",
                    .description = "2-20 letters or digits, stored upper case; unique",
                    .example = "GZ01"})
           .String("name", &NewOrgBody::name, {.required = true, .max_len = 100, .example = "广州分公司"})
           .Enum("level", &NewOrgBody::level, kCreatableOrgLevels,
                 {.required = true, .description = "one level below the parent's"})
           .String("parent_id", &NewOrgBody::parent_id,
                   {.required = true, .max_len = kMaxIdInput, .description = "the parent organisation's id"});
  return *spec;
}

struct OrgPatchBody {
  std::optional<std::string> name;
  std::optional<ActiveState> status;
};

const http::BodySpec<OrgPatchBody>& OrgPatchSpec() {
  static const auto* spec =
      &(*new http::BodySpec<OrgPatchBody>("The fields to change; absent ones stay as they are."))
           .String("name", &OrgPatchBody::name, {.max_len = 100})
           .Enum("status", &OrgPatchBody::status, kActiveStates,
                 {.description = "disabled: staff of the node and below can no longer log in"});
  return *spec;
}

struct NewUserBody {
  std::string login;
  std::string display_name;
  std::string org_id;
  std::vector<std::string> roles;
  std::string password;
  std::optional<std::string> phone;
};

const http::BodySpec<NewUserBody>& NewUserSpec() {
  static const auto* spec = [] {
    http::StringField display_name = kDisplayNameField;
    display_name.required = true;
    display_name.example = "王五";
    return &(*new http::BodySpec<NewUserBody>("A new staff user of an organisation in the caller's subtree."))
                .String(
                    "login", &NewUserBody::login,
                    {.required = true,
                     .max_len = 64,
                     .pattern = "^[A-Za-z][A-Za-z0-9._@-]{2,63}$",
                     .description = "3-64 letters, digits or . _ @ -, starting with a letter; stored lower "
                                    "case; unique",
                     .example = "clerk.demo"})
                .String("display_name", &NewUserBody::display_name, display_name)
                .String(
                    "org_id", &NewUserBody::org_id,
                    {.required = true, .max_len = kMaxIdInput, .description = "the user's organisation id"})
                .StringList("roles", &NewUserBody::roles, kRolesField)
                .String("password", &NewUserBody::password, kNewPasswordField)
                .String("phone", &NewUserBody::phone, kPhoneField);
  }();
  return *spec;
}

struct UserPatchBody {
  std::optional<std::string> display_name;
  std::optional<std::optional<std::string>> phone;
  std::optional<ActiveState> status;
};

const http::BodySpec<UserPatchBody>& UserPatchSpec() {
  static const auto* spec =
      &(*new http::BodySpec<UserPatchBody>("The fields to change; absent ones stay as they are."))
           .String("display_name", &UserPatchBody::display_name, kDisplayNameField)
           .ClearableString("phone", &UserPatchBody::phone, kPhoneField)
           .Enum("status", &UserPatchBody::status, kActiveStates,
                 {.description = "disabled: the user can no longer log in; their sessions end"});
  return *spec;
}

struct RolesBody {
  std::vector<std::string> roles;
};

const http::BodySpec<RolesBody>& RolesSpec() {
  static const auto* spec = [] {
    http::ListField roles = kRolesField;
    roles.required = true;
    return &(*new http::BodySpec<RolesBody>("The user's roles after the change (replaces every role)."))
                .StringList("roles", &RolesBody::roles, roles);
  }();
  return *spec;
}

// --- Handlers -----------------------------------------------------------------------------------

// What the login routes answer when the throttle blocks, for their OpenAPI summary.
std::string ThrottleSummary(const ThrottleSettings& t) {
  auto rule = [](const ThrottleRule& r) {
    return std::to_string(r.max_failures) + " failures in " + std::to_string(r.window_ms / 60000) +
           " min block " + std::to_string(r.block_ms / 60000) + " min";
  };
  return "Failed logins are throttled per (login, client address): " + rule(t.pair) +
         "; per address: " + rule(t.client) + "; per login from any address: " + rule(t.login) +
         " (not for an address the login succeeded from in the last " +
         std::to_string(t.trusted_pair_ms / (24LL * 3600 * 1000)) +
         " days). A blocked attempt is 429 too_many_attempts at once. Unknown and known logins get the same "
         "answers; account_disabled (403) only after the correct password.";
}

struct LoginBody {
  std::string login;
  std::string password;
};

const http::BodySpec<LoginBody>& LoginSpec() {
  static const auto* spec =
      &(*new http::BodySpec<LoginBody>("A staff member's or customer's credentials."))
           .String("login", &LoginBody::login,
                   {.required = true, .max_len = 128, .description = "the login (any letter case)"})
           .String("password", &LoginBody::password,
                   {.required = true, .max_len = kMaxPasswordInput, .trim = false});
  return *spec;
}

struct PasswordChangeBody {
  std::string current_password;
  std::string new_password;
};

const http::BodySpec<PasswordChangeBody>& PasswordChangeSpec() {
  static const auto* spec =
      &(*new http::BodySpec<PasswordChangeBody>("The caller's current password and the new one."))
           .String("current_password", &PasswordChangeBody::current_password,
                   {.required = true,
                    .max_len = kMaxPasswordInput,
                    .trim = false,
                    .description = "a wrong one counts as a failed login"})
           .String("new_password", &PasswordChangeBody::new_password, kNewPasswordField);
  return *spec;
}

struct PasswordResetBody {
  std::string new_password;
};

const http::BodySpec<PasswordResetBody>& PasswordResetSpec() {
  static const auto* spec = &(*new http::BodySpec<PasswordResetBody>("The user's new password."))
                                 .String("new_password", &PasswordResetBody::new_password, kNewPasswordField);
  return *spec;
}

// Returns the Set-Cookie value of a browser-session cookie (`value` empty: one that clears it).
// Sets (or, with an empty value, clears) one of the browser-session cookies. Secure when the
// configuration says browsers come over HTTPS or a trusted proxy says this request did.
Status SetSessionCookie(Response& response, std::string_view name, const std::string& value, bool http_only,
                        bool secure) {
  http::Cookie cookie{.name = std::string(name), .value = value, .http_only = http_only, .secure = secure};
  if (value.empty()) cookie.max_age_seconds = 0;
  return http::AddCookie(response, cookie);
}

void AddSessionRoutes(http::Router& router, IdentityService& identity, SessionService& sessions) {
  json user = UserSchema();
  const std::string throttle = ThrottleSummary(sessions.settings().throttle);
  const bool secure = sessions.settings().cookie_secure;
  router.Add(Route{
      .method = "POST",
      .pattern = "/api/v1/sessions",
      .access = Access::kPublic,
      .summary = "Log in with login and password; returns a bearer token. " + throttle,
      .tag = kTag,
      .request_schema = LoginSpec().Schema(),
      .response_schema = ClosedObject({{"token", String()}, {"expires_at", DateTime()}, {"user", user}},
                                      {"token", "expires_at", "user"}),
      .success_status = 201,
      .response_holds_secret = true,  // the bearer token: never stored by the idempotency layer
      .handler = [&sessions](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(LoginBody body, LoginSpec().Read(request));
        ANXIN_ASSIGN_OR_RETURN(LoginResult result,
                               sessions.Login(ActorOf(request), body.login, body.password));
        return http::JsonResponse(201, {{"token", result.token},
                                        {"expires_at", FormatTimestamp(result.expires_at_ms)},
                                        {"user", UserJson(result.user, true)}});
      },
  });

  router.Add(Route{
      .method = "DELETE",
      .pattern = "/api/v1/sessions/current",
      .access = Access::kAuthenticated,
      .summary = "Log out: revoke the caller's session",
      .tag = kTag,
      .success_status = 204,
      .handler = [&sessions](Request& request) -> Result<Response> {
        ANXIN_RETURN_IF_ERROR(sessions.Logout(ActorOf(request)));
        return NoContent();
      },
  });

  router.Add(Route{
      .method = "POST",
      .pattern = "/api/v1/web/session",
      .access = Access::kPublic,
      .summary =
          "Log in a browser: sets the HttpOnly anxin_session cookie and the anxin_csrf cookie (both "
          "SameSite=Strict) and returns the caller and the CSRF token to send as X-CSRF-Token on every "
          "unsafe request; the body never holds the session token. " +
          throttle,
      .tag = kTag,
      .request_schema = LoginSpec().Schema(),
      .response_schema = ClosedObject({{"user", user}, {"csrf_token", String()}, {"expires_at", DateTime()}},
                                      {"user", "csrf_token", "expires_at"}),
      .response_holds_secret = true,  // the session cookie and the CSRF token
      .handler = [&sessions, secure](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(LoginBody body, LoginSpec().Read(request));
        ANXIN_ASSIGN_OR_RETURN(LoginResult result, sessions.Login(ActorOf(request), body.login, body.password,
                                                                  SessionKind::kBrowser));
        Response response = http::JsonResponse(200, {{"user", UserJson(result.user, true)},
                                                     {"csrf_token", result.csrf_token},
                                                     {"expires_at", FormatTimestamp(result.expires_at_ms)}});
        ANXIN_RETURN_IF_ERROR(
            SetSessionCookie(response, kSessionCookie, result.token, true, secure || request.secure));
        ANXIN_RETURN_IF_ERROR(
            SetSessionCookie(response, kCsrfCookie, result.csrf_token, false, secure || request.secure));
        return response;
      },
  });

  router.Add(Route{
      .method = "DELETE",
      .pattern = "/api/v1/web/session",
      .access = Access::kAuthenticated,
      .summary = "Log a browser out (cookie and X-CSRF-Token): ends the session and clears both cookies",
      .tag = kTag,
      .success_status = 204,
      .handler = [&sessions, secure](Request& request) -> Result<Response> {
        ANXIN_RETURN_IF_ERROR(sessions.Logout(ActorOf(request)));
        Response response = NoContent();
        ANXIN_RETURN_IF_ERROR(SetSessionCookie(response, kSessionCookie, "", true, secure || request.secure));
        ANXIN_RETURN_IF_ERROR(SetSessionCookie(response, kCsrfCookie, "", false, secure || request.secure));
        return response;
      },
  });

  router.Add(Route{
      .method = "GET",
      .pattern = "/api/v1/me",
      .access = Access::kAuthenticated,
      .summary = "The caller: organisation, roles, permissions (personal data masked)",
      .tag = kTag,
      .response_schema = user,
      .handler = [&identity](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(UserView me, identity.Me(ActorOf(request)));
        return http::JsonResponse(200, UserJson(me, true));
      },
  });

  router.Add(Route{
      .method = "POST",
      .pattern = "/api/v1/me/password",
      .access = Access::kAuthenticated,
      .summary = "Change the caller's password (a wrong current_password counts as a failed login); revokes "
                 "the caller's other sessions",
      .tag = kTag,
      .request_schema = PasswordChangeSpec().Schema(),
      .success_status = 204,
      .handler = [&sessions](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(PasswordChangeBody body, PasswordChangeSpec().Read(request));
        ANXIN_RETURN_IF_ERROR(
            sessions.ChangeOwnPassword(ActorOf(request), body.current_password, body.new_password));
        return NoContent();
      },
  });

  router.Add(Route{
      .method = "GET",
      .pattern = "/api/v1/me/sessions",
      .access = Access::kPermission,
      .permission = kPermSessionRead,
      .summary = "The caller's live sessions",
      .tag = kTag,
      .response_schema = Object(
          {{"items", Array(ClosedObject({{"id", String()},
                                         {"created_at", DateTime()},
                                         {"last_seen_at", DateTime()},
                                         {"expires_at", DateTime()},
                                         {"client_address", String()},
                                         {"current", Boolean()}},
                                        {"id", "created_at", "last_seen_at", "expires_at", "current"}))}}),
      .handler = [&sessions](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(std::vector<SessionView> list, sessions.ListOwnSessions(ActorOf(request)));
        return http::JsonResponse(200, {{"items", JsonArray(list, SessionJson)}});
      },
  });
}

void AddOrgRoutes(http::Router& router, IdentityService& service) {
  router.Add(Route{
      .method = "GET",
      .pattern = "/api/v1/orgs",
      .access = Access::kPermission,
      .permission = kPermOrgRead,
      .summary = "Organisations in the caller's subtree (optionally the children of parent_id)",
      .tag = kTag,
      .response_schema = PageOf(OrgSchema()),
      .query_parameters = OrgListQuerySpec().Parameters(),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(OrgListQuery query, OrgListQuerySpec().Read(request));
        ANXIN_ASSIGN_OR_RETURN(Page<Org> page, service.ListOrgs(ActorOf(request), query));
        return http::JsonResponse(200, PageJson(page, OrgJson));
      },
  });

  router.Add(Route{
      .method = "POST",
      .pattern = "/api/v1/orgs",
      .access = Access::kPermission,
      .permission = kPermOrgWrite,
      .summary = "Create an organisation under a parent in the caller's subtree",
      .tag = kTag,
      .request_schema = NewOrgSpec().Schema(),
      .response_schema = OrgSchema(),
      .success_status = 201,
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(NewOrgBody body, NewOrgSpec().Read(request));
        NewOrg org{body.code, body.name, body.level, body.parent_id};
        ANXIN_ASSIGN_OR_RETURN(Org created, service.CreateOrg(ActorOf(request), org));
        return http::JsonResponse(201, OrgJson(created));
      },
  });

  router.Add(Route{
      .method = "GET",
      .pattern = "/api/v1/orgs/{id}",
      .access = Access::kPermission,
      .permission = kPermOrgRead,
      .summary = "One organisation (404 outside the caller's subtree)",
      .tag = kTag,
      .response_schema = OrgSchema(),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(Org org, service.GetOrg(ActorOf(request), request.path_params["id"]));
        return http::JsonResponse(200, OrgJson(org));
      },
  });

  router.Add(Route{
      .method = "PATCH",
      .pattern = "/api/v1/orgs/{id}",
      .access = Access::kPermission,
      .permission = kPermOrgWrite,
      .summary = "Rename, disable or enable an organisation",
      .tag = kTag,
      .request_schema = OrgPatchSpec().Schema(),
      .response_schema = OrgSchema(),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(OrgPatchBody body, OrgPatchSpec().Read(request));
        OrgPatch patch{body.name, body.status};
        ANXIN_ASSIGN_OR_RETURN(Org org,
                               service.UpdateOrg(ActorOf(request), request.path_params["id"], patch));
        return http::JsonResponse(200, OrgJson(org));
      },
  });
}

void AddUserRoutes(http::Router& router, IdentityService& service) {
  router.Add(Route{
      .method = "GET",
      .pattern = "/api/v1/users",
      .access = Access::kPermission,
      .permission = kPermUserRead,
      .summary = "Users in the caller's subtree; filters org_id (subtree), role, q (login or name), kind",
      .tag = kTag,
      .response_schema = PageOf(UserSchema()),
      .query_parameters = UserListQuerySpec().Parameters(),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(UserListQuery query, UserListQuerySpec().Read(request));
        ANXIN_ASSIGN_OR_RETURN(Page<UserView> page, service.ListUsers(ActorOf(request), query));
        return http::JsonResponse(200, PageJson(page, [](const UserView& u) { return UserJson(u, false); }));
      },
  });

  router.Add(Route{
      .method = "POST",
      .pattern = "/api/v1/users",
      .access = Access::kPermission,
      .permission = kPermUserWrite,
      .summary = "Create a staff user in the caller's subtree with roles",
      .tag = kTag,
      .request_schema = NewUserSpec().Schema(),
      .response_schema = UserSchema(),
      .success_status = 201,
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(NewUserBody body, NewUserSpec().Read(request));
        NewStaffUser user{body.login, body.display_name, body.org_id, body.roles, body.password, body.phone};
        ANXIN_ASSIGN_OR_RETURN(UserView created, service.CreateStaffUser(ActorOf(request), user));
        return http::JsonResponse(201, UserJson(created, false));
      },
  });

  router.Add(Route{
      .method = "GET",
      .pattern = "/api/v1/users/{id}",
      .access = Access::kPermission,
      .permission = kPermUserRead,
      .summary = "One user, personal data masked; reveal=phone,id_number with purpose needs pii.reveal and "
                 "is audited",
      .tag = kTag,
      .response_schema = UserSchema(),
      .query_parameters = UserRevealQuerySpec().Parameters(),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(UserRevealParams params, UserRevealQuerySpec().Read(request));
        RevealRequest reveal;
        reveal.phone = params.reveal.has("phone");
        reveal.id_number = params.reveal.has("id_number");
        if (params.reveal.any()) reveal.purpose = params.reveal.purpose;
        ANXIN_ASSIGN_OR_RETURN(UserView user,
                               service.GetUser(ActorOf(request), request.path_params["id"], reveal));
        return http::JsonResponse(200, UserJson(user, false));
      },
  });

  router.Add(Route{
      .method = "PATCH",
      .pattern = "/api/v1/users/{id}",
      .access = Access::kPermission,
      .permission = kPermUserWrite,
      .summary = "Change a user's display name, phone (null clears) or status",
      .tag = kTag,
      .request_schema = UserPatchSpec().Schema(),
      .response_schema = UserSchema(),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(UserPatchBody body, UserPatchSpec().Read(request));
        UserPatch patch{body.display_name, body.phone, body.status};
        ANXIN_ASSIGN_OR_RETURN(UserView user,
                               service.UpdateUser(ActorOf(request), request.path_params["id"], patch));
        return http::JsonResponse(200, UserJson(user, false));
      },
  });

  router.Add(Route{
      .method = "PUT",
      .pattern = "/api/v1/users/{id}/roles",
      .access = Access::kPermission,
      .permission = kPermRoleAssign,
      .summary =
          "Replace a user's roles: never one's own; only roles whose every permission the caller holds "
          "(403 role_exceeds_grantor); only a system administrator grants system_admin",
      .tag = kTag,
      .request_schema = RolesSpec().Schema(),
      .response_schema = UserSchema(),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(RolesBody body, RolesSpec().Read(request));
        ANXIN_ASSIGN_OR_RETURN(UserView user,
                               service.SetUserRoles(ActorOf(request), request.path_params["id"], body.roles));
        return http::JsonResponse(200, UserJson(user, false));
      },
  });

  router.Add(Route{
      .method = "POST",
      .pattern = "/api/v1/users/{id}/password",
      .access = Access::kPermission,
      .permission = kPermUserWrite,
      .summary = "Set a new password for a user (administrator reset); revokes the user's sessions",
      .tag = kTag,
      .request_schema = PasswordResetSpec().Schema(),
      .success_status = 204,
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(PasswordResetBody body, PasswordResetSpec().Read(request));
        ANXIN_RETURN_IF_ERROR(
            service.ResetPassword(ActorOf(request), request.path_params["id"], body.new_password));
        return NoContent();
      },
  });

  router.Add(Route{
      .method = "GET",
      .pattern = "/api/v1/roles",
      .access = Access::kPermission,
      .permission = kPermRoleRead,
      .summary = "Roles with their permissions",
      .tag = kTag,
      .response_schema = ListOf(RoleSchema()),
      .handler = [&service](Request& request) -> Result<Response> {
        ANXIN_ASSIGN_OR_RETURN(std::vector<Role> roles, service.ListRoles(ActorOf(request)));
        return http::JsonResponse(200, {{"items", JsonArray(roles, RoleJson)}});
      },
  });
}

}  // namespace

Result<Principal> SessionAuthenticator::Authenticate(std::string_view token, const http::Request& request) {
  const bool safe = request.method == "GET" || request.method == "HEAD" || request.method == "OPTIONS";
  if (request.auth_via_cookie && !safe)
    return sessions_.AuthenticateToken(token, request.Header(kCsrfHeader));
  return sessions_.AuthenticateToken(token);
}

void RegisterIdentityRoutes(http::Router& router, IdentityService& identity, SessionService& sessions,
                            SessionAuthenticator& authenticator) {
  router.SetAuthenticator(&authenticator);
  AddSessionRoutes(router, identity, sessions);
  AddOrgRoutes(router, identity);
  AddUserRoutes(router, identity);
}

}  // namespace anxin::identity
