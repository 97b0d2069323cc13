#include "identity/password.hpp"

#include "common/crypto.hpp"
#include "common/validation.hpp"
#include "identity/identity_internal.hpp"

namespace anxin::identity {

using internal::LowerAscii;

std::string Argon2PasswordHasher::Hash(std::string_view password) const { return HashPassword(password); }

bool Argon2PasswordHasher::Verify(std::string_view encoded, std::string_view password) const {
  return VerifyPassword(encoded, password);
}

Status CheckPasswordPolicy(std::string_view password, std::string_view login, std::string_view field) {
  const std::string f(field);
  if (!IsValidUtf8(password)) {
    return Status::InvalidField(f, "invalid_format",
                                Text{"密码包含无效字符", "The password has invalid characters"});
  }
  size_t length = Utf8Length(password);
  if (length < 10) {
    return Status::InvalidField(f, "too_short",
                                Text{"密码至少10个字符", "The password needs at least 10 characters"});
  }
  if (length > kMaxPasswordLength) {
    return Status::InvalidField(
        f, "too_long", Text{"密码不能超过128个字符", "The password may have at most 128 characters"});
  }
  bool lower = false, upper = false, digit = false, other = false;
  for (unsigned char c : password) {
    if (c >= 'a' && c <= 'z') {
      lower = true;
    } else if (c >= 'A' && c <= 'Z') {
      upper = true;
    } else if (c >= '0' && c <= '9') {
      digit = true;
    } else {
      other = true;
    }
  }
  int classes = int{lower} + int{upper} + int{digit} + int{other};
  if (classes < 3 && length < 16) {
    return Status::InvalidField(f, "too_weak",
                                Text{"密码须包含大写字母、小写字母、数字、符号中的至少三类，或不少于16个字符",
                                     "Use at least three of: lower case, upper case, digits, symbols; or 16+ "
                                     "characters"});
  }
  if (!login.empty() && LowerAscii(password) == LowerAscii(login)) {
    return Status::InvalidField(f, "same_as_login",
                                Text{"密码不能与登录名相同", "The password must differ from the login"});
  }
  return Status::Ok();
}

}  // namespace anxin::identity
