#pragma once

#include <nlohmann/json.hpp>

#include "http/router.hpp"
#include "notify/outbox_service.hpp"
#include "notify/outbox_store.hpp"
#include "notify/sms_simulator.hpp"

namespace anxin::notify {

// Registers GET /api/v1/outbox (permission "outbox.read", staff only; OutboxService::List):
// outbox messages in the caller's scope, newest first, filtered by the query parameters status
// (pending|sent|failed), ref_type (policy|sms), ref_id and limit (1..200, default 50). Recipients
// are masked and texts are left out (RULES.md §6). Invalid parameters give 400
// "validation_failed" naming each one. The response is {"items": [...]}. `outbox` must outlive
// the router.
void RegisterNotifyRoutes(http::Router& router, const OutboxService& outbox);

// Registers GET /api/v1/sms/simulator/messages?limit= (permission "sms.simulate"): the messages
// the platform sent, newest first, {"items": [{id, to_masked, template_code, text, status,
// created_at, sent_at, ref_type, ref_id}]}; 404 "sms_simulator_off" while a real gateway is
// configured. `simulator` must outlive the router.
void RegisterSmsSimulatorRoutes(http::Router& router, const SmsSimulator& simulator);

// Renders one message as the API shows it.
[[nodiscard]] nlohmann::json OutboxEntryJson(const OutboxEntry& entry);

}  // namespace anxin::notify
