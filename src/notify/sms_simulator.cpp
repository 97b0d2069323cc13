#include "notify/sms_simulator.hpp"

#include <utility>

#include "common/access.hpp"

namespace anxin::notify {

Status SmsSimulator::CheckOn() const {
  if (enabled_) return Status::Ok();
  return {StatusCode::kNotFound,
          "sms_simulator_off",
          {"已配置真实短信网关，模拟器不可用", "A real SMS gateway is configured; the simulator is off"}};
}

Result<std::vector<SimulatedSms>> SmsSimulator::Messages(const Actor& actor, int limit) const {
  ANXIN_RETURN_IF_ERROR(CheckOn());
  ANXIN_RETURN_IF_ERROR(RequireStaff(actor, kPermSmsSimulate));
  // The head office sees every message, those about no organisation (replies to unusable SMS)
  // included.
  const OrgScope scope = AtRoot(actor) ? OrgScope::All() : ScopeOf(actor);
  ANXIN_ASSIGN_OR_RETURN(std::vector<SentText> rows,
                         db_.ReadResult<std::vector<SentText>>(
                             [&](storage::Tx& tx) { return OutboxStore::ListTexts(tx, scope, limit); }));
  std::vector<SimulatedSms> out;
  out.reserve(rows.size());
  for (SentText& row : rows) {
    ANXIN_ASSIGN_OR_RETURN(std::string text, keys_.Open(row.text_enc));
    out.push_back(SimulatedSms{.id = std::move(row.id),
                               .to_masked = std::move(row.recipient_masked),
                               .template_code = std::move(row.template_code),
                               .text = std::move(text),
                               .status = row.status,
                               .created_at = row.created_at,
                               .sent_at = row.sent_at,
                               .ref_type = row.ref_type,
                               .ref_id = std::move(row.ref_id)});
  }
  return out;
}

}  // namespace anxin::notify
