#pragma once

// The access kit: who an actor is, what they may touch, and the one text of each common refusal.
// Every service authorises through these functions, so the rules read the same everywhere:
//
//   ANXIN_RETURN_IF_ERROR(RequireStaff(actor, kPermCardRead));
//   const OrgScope scope = ScopeOf(actor);        // handed to the store, which filters in SQL
//   if (!InScope(actor, card.org_path)) return Status::NotFound("card");   // hide, don't refuse
//
// Pure and thread-safe.

#include <string>
#include <string_view>

#include "common/actor.hpp"
#include "common/principal.hpp"
#include "common/status.hpp"

namespace anxin {

// The four kinds of actor. Anonymous: a public route (card activation, login). System: a job or
// the CLI, acting for the platform itself (unrestricted scope). Staff and customers: a logged-in
// principal.
enum class ActorKind { kAnonymous, kSystem, kStaff, kCustomer };

// The actor id recorded for anonymous callers, and the prefix of system actors' ids.
inline constexpr std::string_view kAnonymousActorId = "anonymous";
inline constexpr std::string_view kSystemActorPrefix = "system:";

[[nodiscard]] ActorKind KindOf(const Actor& actor);
[[nodiscard]] inline bool IsSystem(const Actor& actor) { return KindOf(actor) == ActorKind::kSystem; }
[[nodiscard]] inline bool IsStaff(const Actor& actor) { return KindOf(actor) == ActorKind::kStaff; }
[[nodiscard]] inline bool IsCustomer(const Actor& actor) { return KindOf(actor) == ActorKind::kCustomer; }

// Returns the id recorded for `actor`: the user id, "system:<name>", or "anonymous".
[[nodiscard]] std::string ActorId(const Actor& actor);

// Returns the number of levels of an organisation path ("/hq/" 1, "/hq/bj/" 2; "" 0).
[[nodiscard]] int OrgDepth(std::string_view org_path);

// Returns true for a system actor or a staff member of the root of the organisation tree (the
// head office), whose scope is the whole tree.
[[nodiscard]] bool AtRoot(const Actor& actor);

// The part of the organisation tree an actor may see, as a value a store turns into its SQL
// condition (storage::SqlFilter::InScope): everything, nothing, or the subtree under one node's
// materialised path ("/hq/bj/"). The prefix test is exact and case-sensitive: "/hq/bj/" covers
// "/hq/bj/bj01/", not "/hq/BJ/" nor "/hq/bjx/".
class OrgScope {
 public:
  [[nodiscard]] static OrgScope All() { return OrgScope(Kind::kAll, ""); }
  [[nodiscard]] static OrgScope Nothing() { return OrgScope(Kind::kNothing, ""); }
  // The subtree under `path` (which ends with '/'); an empty path is Nothing().
  [[nodiscard]] static OrgScope Subtree(std::string path) {
    return path.empty() ? Nothing() : OrgScope(Kind::kSubtree, std::move(path));
  }

  [[nodiscard]] bool all() const { return kind_ == Kind::kAll; }
  [[nodiscard]] bool nothing() const { return kind_ == Kind::kNothing; }
  // The subtree's path; "" for All() and Nothing().
  [[nodiscard]] const std::string& path() const { return path_; }
  // Returns true if an object owned by the node at `org_path` lies in the scope.
  [[nodiscard]] bool Covers(std::string_view org_path) const;

 private:
  enum class Kind { kAll, kNothing, kSubtree };
  OrgScope(Kind kind, std::string path) : kind_(kind), path_(std::move(path)) {}

  Kind kind_;
  std::string path_;
};

// Returns the actor's scope: All() for system actors, the subtree of a staff member's node,
// Nothing() for customers and anonymous callers (they reach their own objects by ownership, never
// by organisation).
[[nodiscard]] OrgScope ScopeOf(const Actor& actor);

// Returns the scope of records that may belong to no organisation (company-level ledger entries,
// audit records of logins): ScopeOf(actor), widened to All() for actors at the root, who alone
// see the company level.
[[nodiscard]] OrgScope ScopeWithCompanyLevel(const Actor& actor);

// Returns true if `actor`'s scope covers an object owned by the node at `org_path`.
[[nodiscard]] inline bool InScope(const Actor& actor, std::string_view org_path) {
  return ScopeOf(actor).Covers(org_path);
}

// --- Refusals: one text each ------------------------------------------------------------------

// kUnauthenticated "unauthenticated": no credentials, or an anonymous actor where a user is needed.
[[nodiscard]] Status Unauthenticated();
// kPermissionDenied "permission_denied": the caller lacks the permission.
[[nodiscard]] Status PermissionDenied();
// kPermissionDenied "staff_only": the action is done by a staff member (not a customer, not the
// system).
[[nodiscard]] Status StaffOnly();
// kPermissionDenied "head_office_only": the action or report covers the whole company.
[[nodiscard]] Status HeadOfficeOnly();

// --- Checks -----------------------------------------------------------------------------------

// Returns OK if `actor` may use `permission`: system actors always; anonymous never
// (Unauthenticated); a principal when it holds the permission (PermissionDenied otherwise).
[[nodiscard]] Status Require(const Actor& actor, std::string_view permission);

// As Require, and a principal must be staff (a customer gets PermissionDenied).
[[nodiscard]] Status RequireStaff(const Actor& actor, std::string_view permission);

// Returns the staff principal acting, for changes that record the staff member who did them: a
// staff principal holding `permission`; Unauthenticated for anonymous actors, StaffOnly for system
// actors and customers, PermissionDenied without the permission.
[[nodiscard]] Result<const Principal*> RequireStaffMember(const Actor& actor, std::string_view permission);

// Returns OK for actors at the root of the tree (AtRoot), HeadOfficeOnly otherwise.
[[nodiscard]] Status RequireRoot(const Actor& actor);

// --- Personal data ----------------------------------------------------------------------------

// The permission to see personal data in clear.
inline constexpr std::string_view kPermPiiReveal = "pii.reveal";
// Bounds of the stated purpose of a reveal, in code points.
inline constexpr size_t kMinRevealPurpose = 4;
inline constexpr size_t kMaxRevealPurpose = 200;

// Checks a request to see personal data in clear (RULES.md §6): the actor must be staff with
// pii.reveal (RequireStaff), and `purpose` 4 to 200 characters once trimmed. Returns the purpose
// made fit for the audit record (personal numbers masked), or kInvalidArgument "validation_failed"
// at field "purpose" (code "required" or "invalid_length"), or the refusal of RequireStaff.
[[nodiscard]] Result<std::string> CheckReveal(const Actor& actor, std::string_view purpose);

}  // namespace anxin
