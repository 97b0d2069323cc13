#pragma once

#include <string>

#include "common/principal.hpp"

namespace anxin {

// Who does something and through which request: what services need to authorise and audit an
// action. `principal` is null for anonymous callers (card activation, login) and for the system
// (jobs, the CLI), in which case `system_name` names the job ("cli", "expiry-job").
struct Actor {
  const Principal* principal = nullptr;
  std::string system_name;
  std::string request_id;
  std::string client_address;

  static Actor System(std::string name) {
    Actor a;
    a.system_name = std::move(name);
    return a;
  }
};

}  // namespace anxin
