#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/status.hpp"

namespace anxin::documents {

// A simple business document (charge list, receipt, invoice, red-letter invoice, later e-policy):
// a title, label/value fields, tables and a footer, all UTF-8 Chinese or English.
struct Table {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
};

struct Document {
  std::string title;                                        // "保险卡收费清单"
  std::string subtitle;                                     // optional, e.g. the document number
  std::vector<std::pair<std::string, std::string>> fields;  // label → value
  std::vector<Table> tables;
  std::string footer;
  bool red_letter = false;  // a red-letter (红字) document: title and amounts printed in red, marked 红字
};

// Renders `document` as PDF bytes (A4, CJK font embedded). Returns kInternal if the PDF library
// fails. Thread-safe.
Result<std::string> RenderPdf(const Document& document);

}  // namespace anxin::documents
