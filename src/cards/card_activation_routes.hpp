#pragma once

#include "cards/card_activation_service.hpp"
#include "http/router.hpp"
#include "notify/sms_simulator.hpp"

namespace anxin::cards {

// Registers the public card activation routes (tag "card-activation"; no login: the card's number
// and password are the credentials):
//   POST /api/v1/card-activations/verify  {serial, password} -> what the card offers (200)
//   POST /api/v1/card-activations/lookup  {serial, password} -> the card and its policy (200)
//   POST /api/v1/card-activations         activate and issue the policy (201); Idempotency-Key
//   POST /api/v1/staff/card-activations   the same, entered by staff for the holder (permission
//                                         card.activate.assist; channel phone | counter)
//   POST /api/v1/sms/inbound              the SMS gateway's webhook for `JH <卡号> <密码> <姓名> <身份证号>`
//                                         (signed: X-Anxin-Timestamp, X-Anxin-Signature)
// `service` must outlive `router`.
void RegisterCardActivationRoutes(http::Router& router, CardActivationService& service);

// Registers POST /api/v1/sms/simulator/inbound (permission sms.simulate): {from, text} handled as a
// signed inbound SMS, answered {reply, result, code}; 404 "sms_simulator_off" while `simulator` is
// off. `service` and `simulator` must outlive `router`.
void RegisterSmsSimulatorInboundRoute(http::Router& router, CardActivationService& service,
                                      const notify::SmsSimulator& simulator);

}  // namespace anxin::cards
