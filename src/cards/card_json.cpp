#include "cards/card_json.hpp"

#include <string>
#include <vector>

#include "http/route_support.hpp"

namespace anxin::cards {

nlohmann::json CardStatusJson(CardStatus status) {
  return {{"name", CardStatusName(status)}, {"label_zh", CardStatusLabelZh(status)}};
}

nlohmann::json CardStatusSchema() {
  std::vector<std::string> names;
  for (CardStatus s : kAllCardStatuses) names.emplace_back(CardStatusName(s));
  return http::schema::Object({{"name", http::schema::Enum(names)}, {"label_zh", http::schema::String()}},
                              {"name", "label_zh"});
}

}  // namespace anxin::cards
