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
//
// Layout: the title centred and large (red, with a boxed 红字 mark and the note "红字发票 /
// red-letter" when `red_letter`), the subtitle, the fields as a label/value list, then each table
// with a header row, column widths fitted to the content, long cells wrapped, and the header
// repeated on every page the table continues on. A row with fewer cells than the widest row is
// padded with empty cells; a table without rows prints "无记录 / No records". Cells that are
// numbers are right-aligned; amounts (a number with a decimal point or a ¥ sign) are red in a
// red-letter document. Every page ends with a rule, the footer and "第 N 页 / 共 M 页". '\n' in
// any text starts a new line.
//
// Text: the embedded font is a subset of the TrueType font LocatePdfFont() finds, with a standard
// ToUnicode map, so the text can be searched and copied. A character the font lacks, one outside
// the Basic Multilingual Plane (e.g. emoji) and invalid UTF-8 are printed as '?' (¥ becomes ￥
// when the font has only the latter); control characters are dropped. Never fails because of the
// text. Returns kUnavailable (reason "pdf_font_unavailable") if no usable font is installed.
Result<std::string> RenderPdf(const Document& document);

// The CJK TrueType font RenderPdf embeds: a file and, for a collection (.ttc), the face's index.
struct PdfFont {
  std::string path;
  int index = 0;
};

// Returns the font RenderPdf uses: the file named by the environment variable ANXIN_PDF_FONT (face
// ANXIN_PDF_FONT_INDEX of a collection, default 0) if that is set, else the first that exists of
// the Debian fonts fonts-arphic-uming (AR PL UMing CN) and fonts-arphic-gbsn00lp (AR PL SungtiL
// GB). Returns kUnavailable (reason "pdf_font_unavailable", the message naming the package to
// install) if there is none or ANXIN_PDF_FONT names a missing file or a bad index. Thread-safe as
// long as nobody changes the environment concurrently.
Result<PdfFont> LocatePdfFont();

}  // namespace anxin::documents
