#include "common/access.hpp"

#include <gtest/gtest.h>

namespace anxin {
namespace {

Principal Staff(std::string path, std::set<std::string> permissions = {}) {
  Principal p;
  p.user_id = "u1";
  p.kind = UserKind::kStaff;
  p.org_path = std::move(path);
  p.permissions = std::move(permissions);
  return p;
}

Principal Customer() {
  Principal p;
  p.user_id = "c1";
  p.kind = UserKind::kCustomer;
  p.permissions = {"card.read"};
  return p;
}

Actor As(const Principal& p) {
  Actor a;
  a.principal = &p;
  return a;
}

TEST(AccessTest, KindsAndIds) {
  const Principal staff = Staff("/hq/");
  const Principal customer = Customer();
  EXPECT_EQ(KindOf(Actor{}), ActorKind::kAnonymous);
  EXPECT_EQ(ActorId(Actor{}), "anonymous");
  EXPECT_EQ(KindOf(Actor::System("expiry-job")), ActorKind::kSystem);
  EXPECT_EQ(ActorId(Actor::System("expiry-job")), "system:expiry-job");
  EXPECT_EQ(KindOf(As(staff)), ActorKind::kStaff);
  EXPECT_EQ(ActorId(As(staff)), "u1");
  EXPECT_EQ(KindOf(As(customer)), ActorKind::kCustomer);
}

TEST(AccessTest, RootIsTheSystemOrHeadOfficeStaff) {
  const Principal hq = Staff("/hq/");
  const Principal branch = Staff("/hq/bj/");
  const Principal customer = Customer();
  EXPECT_TRUE(AtRoot(Actor::System("cli")));
  EXPECT_TRUE(AtRoot(As(hq)));
  EXPECT_FALSE(AtRoot(As(branch)));
  EXPECT_FALSE(AtRoot(As(customer)));
  EXPECT_FALSE(AtRoot(Actor{}));
  EXPECT_EQ(RequireRoot(As(branch)).reason(), "head_office_only");
  EXPECT_EQ(OrgDepth("/hq/bj/bj01/"), 3);
  EXPECT_EQ(OrgDepth(""), 0);
}

TEST(AccessTest, ScopeCoversExactCaseSensitiveSubtrees) {
  const Principal bj = Staff("/hq/bj/");
  const Principal customer = Customer();
  EXPECT_TRUE(InScope(As(bj), "/hq/bj/"));
  EXPECT_TRUE(InScope(As(bj), "/hq/bj/bj01/"));
  EXPECT_FALSE(InScope(As(bj), "/hq/BJ/"));
  EXPECT_FALSE(InScope(As(bj), "/hq/bjx/"));
  EXPECT_FALSE(InScope(As(bj), "/hq/"));
  EXPECT_TRUE(InScope(Actor::System("job"), "/anything/"));
  EXPECT_FALSE(InScope(As(customer), "/hq/"));
  EXPECT_FALSE(InScope(Actor{}, "/hq/"));
  EXPECT_TRUE(OrgScope::Subtree("").nothing());
}

TEST(AccessTest, RequireDistinguishesAnonymousFromDenied) {
  const Principal staff = Staff("/hq/bj/", {"card.read"});
  const Principal customer = Customer();
  EXPECT_TRUE(Require(As(staff), "card.read").ok());
  EXPECT_EQ(Require(As(staff), "card.write").reason(), "permission_denied");
  EXPECT_EQ(Require(Actor{}, "card.read").code(), StatusCode::kUnauthenticated);
  EXPECT_TRUE(Require(Actor::System("job"), "card.write").ok());
  EXPECT_TRUE(Require(As(customer), "card.read").ok());
  EXPECT_EQ(RequireStaff(As(customer), "card.read").reason(), "permission_denied");
  EXPECT_TRUE(RequireStaff(As(staff), "card.read").ok());
}

TEST(AccessTest, RequireStaffMemberNeedsARealStaffPrincipal) {
  const Principal staff = Staff("/hq/bj/", {"card.sell"});
  const Principal customer = Customer();
  Result<const Principal*> ok = RequireStaffMember(As(staff), "card.sell");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, &staff);
  EXPECT_EQ(RequireStaffMember(Actor::System("job"), "card.sell").status().reason(), "staff_only");
  EXPECT_EQ(RequireStaffMember(As(customer), "card.sell").status().reason(), "staff_only");
  EXPECT_EQ(RequireStaffMember(Actor{}, "card.sell").status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(RequireStaffMember(As(staff), "card.void").status().reason(), "permission_denied");
}

TEST(AccessTest, RevealNeedsThePermissionAndAPurposeAndMasksIt) {
  const Principal revealer = Staff("/hq/", {"pii.reveal"});
  const Principal plain = Staff("/hq/");
  EXPECT_EQ(CheckReveal(As(plain), "核对理赔材料").status().reason(), "permission_denied");
  Result<std::string> purpose = CheckReveal(As(revealer), "  核对 13800138000 的材料 ");
  ASSERT_TRUE(purpose.ok());
  EXPECT_EQ(*purpose, "核对 *********** 的材料");
  EXPECT_EQ(CheckReveal(As(revealer), "  ").status().fields()[0].code, "required");
  EXPECT_EQ(CheckReveal(As(revealer), "abc").status().fields()[0].code, "invalid_length");
  EXPECT_EQ(CheckReveal(As(revealer), std::string(201, 'a')).status().fields()[0].code, "invalid_length");
}

}  // namespace
}  // namespace anxin
