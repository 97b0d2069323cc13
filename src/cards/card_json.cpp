#include "cards/card_json.hpp"

#include <string>
#include <vector>

#include "cards/card_serial.hpp"
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

http::StringField SerialField(const std::string& what, bool required) {
  return {
      .required = required,
      .max_len = kMaxSerialLength,
      .pattern = kSerialPattern,
      .description = what +
                     ": the card type's 2-4 letter prefix, a 10-digit sequence and a Luhn check digit over "
                     "the sequence (letters in any case)",
      .example = "ACC00000000018"};
}

}  // namespace anxin::cards
