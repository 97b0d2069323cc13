#include "documents/pdf.hpp"

#include <hpdf.h>
// libharu's internal headers, installed with it: the glyph lookup (HPDF_TTFontDef_GetGlyphid) and
// the dictionary calls used to give the font a standard ToUnicode map. See FixToUnicode.
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string_view>

#include <fmt/format.h>

namespace anxin::documents {
namespace {

// ---- Geometry (points, 1/72 inch): A4 portrait. ----
constexpr float kPageWidth = 595.276F;
constexpr float kPageHeight = 841.89F;
constexpr float kMarginX = 50;
constexpr float kMarginTop = 48;
constexpr float kMarginBottom = 36;
constexpr float kContentLeft = kMarginX;
constexpr float kContentRight = kPageWidth - kMarginX;
constexpr float kContentWidth = kContentRight - kContentLeft;
constexpr float kSectionGap = 14;
constexpr size_t kMaxFooterLines = 4;

struct Rgb {
  float r;
  float g;
  float b;
};
constexpr Rgb kBlack{0, 0, 0};
constexpr Rgb kGrey{0.38F, 0.38F, 0.38F};
constexpr Rgb kRed{0.80F, 0.05F, 0.05F};
constexpr Rgb kRule{0.55F, 0.55F, 0.55F};
constexpr Rgb kHeaderFill{0.90F, 0.91F, 0.93F};

struct TextStyle {
  float size;
  float leading;
};
constexpr TextStyle kTitleStyle{20, 28};
constexpr TextStyle kSubtitleStyle{11, 16};
constexpr TextStyle kNoteStyle{10.5F, 15};
constexpr TextStyle kFieldStyle{10.5F, 16};
constexpr TextStyle kTableStyle{9, 12.5F};
constexpr TextStyle kFooterStyle{8.5F, 11.5F};

enum class Align { kLeft, kCenter, kRight };

// ---- Fonts ----

constexpr std::string_view kFontPackages = "fonts-arphic-uming 或 fonts-arphic-gbsn00lp";
constexpr std::string_view kFontPackagesEn = "fonts-arphic-uming or fonts-arphic-gbsn00lp";

struct KnownFont {
  const char* path;
  int index;
};
// In order of preference. AR PL UMing covers GBK and more (rare characters in names); AR PL
// SungtiL GB only GB 2312. Fonts with CFF outlines (Noto CJK) cannot be embedded by libharu, and
// WenQuanYi Micro Hei loses glyphs when libharu subsets it.
constexpr KnownFont kKnownFonts[] = {
    {"/usr/share/fonts/truetype/arphic/uming.ttc", 0},
    {"/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf", 0},
};

Status FontUnavailable(std::string zh, std::string en) {
  return Status(StatusCode::kUnavailable, "pdf_font_unavailable", Text{std::move(zh), std::move(en)});
}

bool IsFontCollection(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, sizeof magic);
  return in.gcount() == 4 && std::string_view(magic, 4) == "ttcf";
}

// ---- Text ----

constexpr char32_t kInvalid = 0xFFFFFFFF;

// Decodes the UTF-8 sequence at `text[*pos]`, advancing `*pos` past it. Returns kInvalid for a
// malformed, truncated, overlong or surrogate sequence, skipping its lead byte and any continuation
// bytes that follow, so that each bad sequence counts once.
char32_t DecodeUtf8(std::string_view text, size_t* pos) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const auto is_continuation = [&](size_t i) { return i < text.size() && (byte(i) & 0xC0) == 0x80; };
  const auto invalid = [&] {
    ++*pos;
    while (is_continuation(*pos)) ++*pos;
    return kInvalid;
  };
  const unsigned char lead = byte(*pos);
  size_t length = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if (lead < 0x80) {
    ++*pos;
    return lead;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return invalid();
  }
  for (size_t i = 1; i < length; ++i) {
    if (!is_continuation(*pos + i)) return invalid();
    cp = (cp << 6) | (byte(*pos + i) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return invalid();
  *pos += length;
  return cp;
}

void AppendUtf8(char16_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

std::string ToUtf8(std::u16string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (char16_t c : text) AppendUtf8(c, &out);
  return out;
}

// Splits `text` into its '\n'-separated paragraphs (a "\r\n" counts as one break).
std::vector<std::string_view> Paragraphs(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const size_t end = text.find('\n', start);
    std::string_view line = text.substr(start, end == std::string_view::npos ? end : end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::u16string Digits(size_t n) {
  std::u16string out;
  for (char c : std::to_string(n)) out.push_back(static_cast<char16_t>(c));
  return out;
}

bool IsWide(char16_t c) { return c >= 0x2E80; }  // CJK, kana, hangul, full-width forms

// Line breaking rules (a small kinsoku): no line starts with closing punctuation and none ends
// with opening punctuation or a currency sign.
bool NoBreakBefore(char16_t c) {
  static constexpr std::u16string_view kClosing = u"，。、；：？！）》」』】〉〕”’…—·%,.;:!?)]}";
  return kClosing.find(c) != std::u16string_view::npos;
}
bool NoBreakAfter(char16_t c) {
  static constexpr std::u16string_view kOpening = u"（《「『【〈〔“‘([{¥￥$";
  return kOpening.find(c) != std::u16string_view::npos;
}
bool CanBreakBetween(char16_t before, char16_t after) {
  if (NoBreakBefore(after) || NoBreakAfter(before)) return false;
  if (before == u' ') return after != u' ';
  return IsWide(before) || IsWide(after);
}

// True for "12", "-1,200.00", "¥3.50", "12.5%": printed right-aligned.
bool IsNumber(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
  for (std::string_view currency : {"¥", "￥"}) {
    if (text.starts_with(currency)) text.remove_prefix(currency.size());
  }
  if (!text.empty() && text.back() == '%') text.remove_suffix(1);
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text.front()))) return false;
  bool seen_point = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c))) continue;
    if (c == ',' && !seen_point) continue;
    if (c == '.' && !seen_point && i + 1 < text.size()) {
      seen_point = true;
      continue;
    }
    return false;
  }
  return true;
}

// True for a number that is money: it has a decimal point or a currency sign ("1,200.00", "¥3").
bool IsAmount(std::string_view text) {
  return IsNumber(text) &&
         (text.find('.') != std::string_view::npos || text.find("¥") != std::string_view::npos ||
          text.find("￥") != std::string_view::npos);
}

// ---- libharu errors ----

// libharu reports errors through a callback (the default one calls abort); RenderPdf's handler
// records the first and every call then fails harmlessly until the document is discarded.
struct HpdfError {
  HPDF_STATUS code = HPDF_OK;
  HPDF_STATUS detail = 0;
};

void RecordHpdfError(HPDF_STATUS code, HPDF_STATUS detail, void* data) {
  auto* error = static_cast<HpdfError*>(data);
  if (error->code == HPDF_OK) {
    error->code = code;
    error->detail = detail;
  }
}

// A cell of a row: its wrapped lines and where and how they are drawn.
struct Cell {
  std::vector<std::u16string> lines;
  float x = 0;
  float width = 0;
  Align align = Align::kLeft;
  Rgb color = kBlack;
  std::optional<Rgb> fill;
};

struct RowStyle {
  TextStyle text;
  float pad_x = 0;
  float pad_y = 0;
  bool boxed = false;
};

constexpr RowStyle kFieldRow{kFieldStyle, 0, 2, false};
constexpr RowStyle kTableRow{kTableStyle, 4, 3, true};

// One document being typeset: a libharu document, its font and the current position. Lays the
// content out top to bottom, breaking pages as it goes; page numbers and footers are drawn at the
// end, when the page count is known. Not thread-safe; each RenderPdf has its own.
class PdfWriter {
 public:
  PdfWriter() : doc_(HPDF_New(&RecordHpdfError, &error_)) {}
  ~PdfWriter() {
    if (doc_ != nullptr) HPDF_Free(doc_);
  }
  PdfWriter(const PdfWriter&) = delete;
  PdfWriter& operator=(const PdfWriter&) = delete;

  // Creates the document with `font` embedded and lays out the footer area.
  Status Open(const PdfFont& font, std::string_view footer);
  void DrawHeading(const Document& document);
  void DrawFields(const std::vector<std::pair<std::string, std::string>>& fields, bool red_letter);
  void DrawTable(const Table& table, bool red_letter);
  // Draws the footers and page numbers and returns the PDF bytes.
  Result<std::string> Finish();

 private:
  Status LibraryStatus(std::string_view during) const;
  Status FixToUnicode();

  // Text measuring and wrapping, on text made printable with this font.
  std::u16string Printable(std::string_view utf8);
  bool HasGlyph(char16_t c);
  float CharWidth(char16_t c, float size);
  float TextWidth(std::u16string_view text, float size);
  std::vector<std::u16string> Wrap(std::string_view text, float width, float size);
  std::vector<std::u16string> WrapLine(std::u16string_view line, float width, float size);

  // Drawing.
  void NewPage();
  void DrawText(std::u16string_view text, float x, float baseline, float size, Rgb color);
  void DrawLineAligned(std::u16string_view text, float x, float width, float baseline, float size,
                       Align align, Rgb color);
  void DrawRule(float y, float width, Rgb color);
  float RowHeight(const std::vector<Cell>& cells, const RowStyle& style) const;
  void DrawRowSlice(const std::vector<Cell>& cells, size_t from, size_t count, const RowStyle& style);
  void DrawRow(const std::vector<Cell>& cells, const RowStyle& style, float repeated_height,
               const std::function<void()>& on_new_page);
  std::vector<float> ColumnWidths(const Table& table, size_t columns);

  // Constant after Open.
  HpdfError error_;  // declared before doc_: the handler writes to it from HPDF_New on
  HPDF_Doc doc_;
  HPDF_Font font_ = nullptr;
  std::vector<std::u16string> footer_lines_;
  float content_bottom_ = kMarginBottom;
  // Caches indexed by UTF-16 code unit: -1 unknown, else whether the font has a glyph / its width
  // in 1/1000 em.
  std::vector<int8_t> has_glyph_ = std::vector<int8_t>(0x10000, -1);
  std::vector<int16_t> width_ = std::vector<int16_t>(0x10000, -1);

  // Layout state.
  std::vector<HPDF_Page> pages_;
  HPDF_Page page_ = nullptr;
  float y_ = 0;                // top of the free space on page_
  bool body_on_page_ = false;  // whether page_ holds rows (not only a repeated table header)
};

Status PdfWriter::LibraryStatus(std::string_view during) const {
  return Status::Internal(fmt::format("libharu error 0x{:04X} (detail {}) while {}",
                                      static_cast<unsigned>(error_.code),
                                      static_cast<unsigned>(error_.detail), during));
}

Status PdfWriter::Open(const PdfFont& font, std::string_view footer) {
  if (doc_ == nullptr) return Status::Internal("HPDF_New failed");
  HPDF_SetCompressionMode(doc_, HPDF_COMP_ALL);
  HPDF_SetInfoAttr(doc_, HPDF_INFO_CREATOR, "Anxin");
  HPDF_UseUTFEncodings(doc_);
  HPDF_SetCurrentEncoder(doc_, "UTF-8");
  if (error_.code != HPDF_OK) return LibraryStatus("creating the document");

  const char* name =
      IsFontCollection(font.path)
          ? HPDF_LoadTTFontFromFile2(doc_, font.path.c_str(), static_cast<HPDF_UINT>(font.index), HPDF_TRUE)
          : HPDF_LoadTTFontFromFile(doc_, font.path.c_str(), HPDF_TRUE);
  if (name != nullptr) font_ = HPDF_GetFont(doc_, name, "UTF-8");
  if (font_ == nullptr || error_.code != HPDF_OK) {
    return FontUnavailable(fmt::format("无法加载 PDF 字体 {}（libharu 错误 0x{:04X}）；请安装 {}", font.path,
                                       static_cast<unsigned>(error_.code), kFontPackages),
                           fmt::format("cannot load the PDF font {} (libharu error 0x{:04X}); install {}",
                                       font.path, static_cast<unsigned>(error_.code), kFontPackagesEn));
  }
  ANXIN_RETURN_IF_ERROR(FixToUnicode());

  // The footer area: a rule, then the footer's lines left and the page number right.
  const float number_width = TextWidth(u"第 0000 页 / 共 0000 页", kFooterStyle.size);
  const float footer_width = kContentWidth - number_width - 16;
  for (std::string_view paragraph : Paragraphs(footer)) {
    for (std::u16string& line : WrapLine(Printable(paragraph), footer_width, kFooterStyle.size)) {
      footer_lines_.push_back(std::move(line));
    }
  }
  if (footer_lines_.size() > kMaxFooterLines) {
    footer_lines_.resize(kMaxFooterLines);
    std::u16string& last = footer_lines_.back();
    while (!last.empty() && TextWidth(last + u"…", kFooterStyle.size) > footer_width) last.pop_back();
    last += u"…";
  }
  const size_t lines = std::max<size_t>(footer_lines_.size(), 1);
  content_bottom_ = kMarginBottom + static_cast<float>(lines) * kFooterStyle.leading + 6 + 10;
  NewPage();
  return error_.code == HPDF_OK ? Status::Ok() : LibraryStatus("loading the font");
}

// libharu 2.3's UTF-8 encoder writes a Type0 font whose codes are UTF-16 code units (Identity-H,
// CIDToGIDMap to the glyphs) but gives it its encoding CMap, a `cidrange` map, as ToUnicode: not a
// valid ToUnicode CMap, so readers must guess (poppler warns). Replaces it with the standard
// identity map in `bfrange` form.
Status PdfWriter::FixToUnicode() {
  auto* attr = static_cast<HPDF_FontAttr>(font_->attr);
  HPDF_Dict cmap = HPDF_DictStream_New(font_->mmgr, attr->xref);
  if (cmap == nullptr) return LibraryStatus("creating the ToUnicode map");
  cmap->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
  std::string text =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  std::vector<unsigned> high_bytes;
  for (unsigned high = 0; high <= 0xFF; ++high) {
    if (high < 0xD8 || high > 0xDF) high_bytes.push_back(high);  // no surrogates
  }
  for (size_t start = 0; start < high_bytes.size(); start += 100) {  // at most 100 per block
    const size_t end = std::min(start + 100, high_bytes.size());
    text += fmt::format("{} beginbfrange\n", end - start);
    for (size_t i = start; i < end; ++i) {
      text += fmt::format("<{0:02X}00> <{0:02X}FF> <{0:02X}00>\n", high_bytes[i]);
    }
    text += "endbfrange\n";
  }
  text += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
  if (HPDF_Stream_Write(cmap->stream, reinterpret_cast<const HPDF_BYTE*>(text.data()),
                        static_cast<HPDF_UINT>(text.size())) != HPDF_OK ||
      HPDF_Dict_Add(font_, "ToUnicode", cmap) != HPDF_OK) {
    return LibraryStatus("writing the ToUnicode map");
  }
  return Status::Ok();
}

bool PdfWriter::HasGlyph(char16_t c) {
  int8_t& known = has_glyph_[c];
  if (known < 0) {
    auto* attr = static_cast<HPDF_FontAttr>(font_->attr);
    known = HPDF_TTFontDef_GetGlyphid(attr->fontdef, c) != 0 ? 1 : 0;
  }
  return known == 1;
}

std::u16string PdfWriter::Printable(std::string_view utf8) {
  std::u16string out;
  out.reserve(utf8.size());
  size_t pos = 0;
  while (pos < utf8.size()) {
    const char32_t cp = DecodeUtf8(utf8, &pos);
    if (cp == kInvalid || cp > 0xFFFF) {
      out.push_back(u'?');
      continue;
    }
    char16_t c = static_cast<char16_t>(cp);
    if (c == u'\t' || c == 0x00A0) c = u' ';
    if (c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0xFEFF) continue;  // control characters
    if (!HasGlyph(c)) {
      if (c == 0x00A5 && HasGlyph(0xFFE5)) {
        c = 0xFFE5;  // ¥ → ￥
      } else if (c >= 0xFF01 && c <= 0xFF5E) {
        c = static_cast<char16_t>(c - 0xFEE0);  // full-width ASCII → ASCII
      } else if (c == 0x3000) {
        c = u' ';
      } else {
        c = u'?';
      }
    }
    out.push_back(c);
  }
  return out;
}

float PdfWriter::CharWidth(char16_t c, float size) {
  int16_t& width = width_[c];
  if (width < 0)
    width = static_cast<int16_t>(std::max(0, static_cast<int>(HPDF_Font_GetUnicodeWidth(font_, c))));
  return static_cast<float>(width) * size / 1000;
}

float PdfWriter::TextWidth(std::u16string_view text, float size) {
  float width = 0;
  for (char16_t c : text) width += CharWidth(c, size);
  return width;
}

std::vector<std::u16string> PdfWriter::Wrap(std::string_view text, float width, float size) {
  std::vector<std::u16string> lines;
  for (std::string_view paragraph : Paragraphs(text)) {
    for (std::u16string& line : WrapLine(Printable(paragraph), width, size)) lines.push_back(std::move(line));
  }
  return lines;
}

// Greedy line filling: breaks at the last allowed break before the overflowing character, or
// right before it if the line has none (a long number or word is split; every line holds at
// least one character). Returns one (possibly empty) line for empty input.
std::vector<std::u16string> PdfWriter::WrapLine(std::u16string_view line, float width, float size) {
  std::vector<std::u16string> lines;
  size_t start = 0;
  while (true) {
    float used = 0;
    size_t last_break = std::u16string_view::npos;
    size_t i = start;
    for (; i < line.size(); ++i) {
      const float w = CharWidth(line[i], size);
      if (i > start && used + w > width) break;
      used += w;
      if (i + 1 < line.size() && CanBreakBetween(line[i], line[i + 1])) last_break = i + 1;
    }
    if (i >= line.size()) {
      lines.emplace_back(line.substr(start));
      break;
    }
    const size_t cut = last_break != std::u16string_view::npos && last_break > start ? last_break : i;
    std::u16string_view head = line.substr(start, cut - start);
    while (!head.empty() && head.back() == u' ') head.remove_suffix(1);
    lines.emplace_back(head);
    start = cut;
    while (start < line.size() && line[start] == u' ') ++start;
    if (start >= line.size()) break;
  }
  return lines;
}

void PdfWriter::NewPage() {
  page_ = HPDF_AddPage(doc_);
  if (page_ == nullptr) return;  // recorded in error_; Finish reports it
  HPDF_Page_SetWidth(page_, kPageWidth);
  HPDF_Page_SetHeight(page_, kPageHeight);
  HPDF_Page_SetLineWidth(page_, 0.5F);
  pages_.push_back(page_);
  y_ = kPageHeight - kMarginTop;
  body_on_page_ = false;
}

void PdfWriter::DrawText(std::u16string_view text, float x, float baseline, float size, Rgb color) {
  if (text.empty() || page_ == nullptr) return;
  const std::string utf8 = ToUtf8(text);
  HPDF_Page_SetRGBFill(page_, color.r, color.g, color.b);
  HPDF_Page_BeginText(page_);
  HPDF_Page_SetFontAndSize(page_, font_, size);
  HPDF_Page_TextOut(page_, x, baseline, utf8.c_str());
  HPDF_Page_EndText(page_);
}

void PdfWriter::DrawLineAligned(std::u16string_view text, float x, float width, float baseline, float size,
                                Align align, Rgb color) {
  float left = x;
  if (align != Align::kLeft) {
    const float free = width - TextWidth(text, size);
    left = align == Align::kRight ? x + free : x + free / 2;
  }
  DrawText(text, left, baseline, size, color);
}

void PdfWriter::DrawRule(float y, float width, Rgb color) {
  if (page_ == nullptr) return;
  HPDF_Page_SetLineWidth(page_, width);
  HPDF_Page_SetRGBStroke(page_, color.r, color.g, color.b);
  HPDF_Page_MoveTo(page_, kContentLeft, y);
  HPDF_Page_LineTo(page_, kContentRight, y);
  HPDF_Page_Stroke(page_);
  HPDF_Page_SetLineWidth(page_, 0.5F);
}

// The baseline of a line whose box starts at `top`: the ideographic em box (0.12 em below the
// baseline to 0.88 above) centred in the leading.
float Baseline(float top, const TextStyle& style) { return top - style.leading / 2 - 0.38F * style.size; }

float PdfWriter::RowHeight(const std::vector<Cell>& cells, const RowStyle& style) const {
  size_t lines = 1;
  for (const Cell& cell : cells) lines = std::max(lines, cell.lines.size());
  return static_cast<float>(lines) * style.text.leading + 2 * style.pad_y;
}

void PdfWriter::DrawRowSlice(const std::vector<Cell>& cells, size_t from, size_t count,
                             const RowStyle& style) {
  if (page_ == nullptr) return;
  const float height = static_cast<float>(count) * style.text.leading + 2 * style.pad_y;
  const float top = y_;
  for (const Cell& cell : cells) {
    if (cell.fill) {
      HPDF_Page_SetRGBFill(page_, cell.fill->r, cell.fill->g, cell.fill->b);
      HPDF_Page_Rectangle(page_, cell.x, top - height, cell.width, height);
      HPDF_Page_Fill(page_);
    }
    if (style.boxed) {
      HPDF_Page_SetRGBStroke(page_, kRule.r, kRule.g, kRule.b);
      HPDF_Page_Rectangle(page_, cell.x, top - height, cell.width, height);
      HPDF_Page_Stroke(page_);
    }
    for (size_t i = from; i < from + count && i < cell.lines.size(); ++i) {
      const float line_top = top - style.pad_y - static_cast<float>(i - from) * style.text.leading;
      DrawLineAligned(cell.lines[i], cell.x + style.pad_x, cell.width - 2 * style.pad_x,
                      Baseline(line_top, style.text), style.text.size, cell.align, cell.color);
    }
  }
  y_ -= height;
}

// Draws a row at y_. A row that does not fit moves to a new page if it fits there; a row taller
// than a page is split across pages (starting on this one unless fewer than three lines fit).
// `on_new_page` (e.g. repeating a table header of height `repeated_height`) runs after every page
// break.
void PdfWriter::DrawRow(const std::vector<Cell>& cells, const RowStyle& style, float repeated_height,
                        const std::function<void()>& on_new_page) {
  const auto lines_fitting = [&](float room) {
    room -= 2 * style.pad_y;
    return room <= 0 ? size_t{0} : static_cast<size_t>(std::floor(room / style.text.leading));
  };
  const size_t fresh_fit = lines_fitting(kPageHeight - kMarginTop - content_bottom_ - repeated_height);
  size_t total = 1;
  for (const Cell& cell : cells) total = std::max(total, cell.lines.size());
  size_t done = 0;
  while (done < total && page_ != nullptr) {
    const size_t fit = lines_fitting(y_ - content_bottom_);
    const size_t remaining = total - done;
    if (fit < remaining && body_on_page_ && (remaining <= fresh_fit || fit < 3)) {
      NewPage();
      if (on_new_page) on_new_page();
      continue;
    }
    const size_t count = std::clamp<size_t>(fit, 1, remaining);
    DrawRowSlice(cells, done, count, style);
    body_on_page_ = true;
    done += count;
    if (done < total) {
      NewPage();
      if (on_new_page) on_new_page();
    }
  }
}

void PdfWriter::DrawHeading(const Document& document) {
  // The red-letter mark: a red box at the top right; the title keeps clear of it on both sides
  // so that it stays centred.
  constexpr float kMarkWidth = 66;
  constexpr float kMarkHeight = 30;
  float title_width = kContentWidth;
  if (document.red_letter) {
    const float top = y_;
    HPDF_Page_SetLineWidth(page_, 1.5F);
    HPDF_Page_SetRGBStroke(page_, kRed.r, kRed.g, kRed.b);
    HPDF_Page_Rectangle(page_, kContentRight - kMarkWidth, top - kMarkHeight, kMarkWidth, kMarkHeight);
    HPDF_Page_Stroke(page_);
    HPDF_Page_SetLineWidth(page_, 0.5F);
    DrawLineAligned(u"红字", kContentRight - kMarkWidth, kMarkWidth, Baseline(top - 3, TextStyle{15, 24}), 15,
                    Align::kCenter, kRed);
    title_width -= 2 * (kMarkWidth + 8);
  }

  const Rgb title_color = document.red_letter ? kRed : kBlack;
  if (!document.title.empty()) {
    // A bolder title: the glyphs are filled and outlined.
    HPDF_Page_SetTextRenderingMode(page_, HPDF_FILL_THEN_STROKE);
    HPDF_Page_SetRGBStroke(page_, title_color.r, title_color.g, title_color.b);
    HPDF_Page_SetLineWidth(page_, 0.35F);
    for (const std::u16string& line : Wrap(document.title, title_width, kTitleStyle.size)) {
      DrawLineAligned(line, kContentLeft, kContentWidth, Baseline(y_, kTitleStyle), kTitleStyle.size,
                      Align::kCenter, title_color);
      y_ -= kTitleStyle.leading;
    }
    HPDF_Page_SetTextRenderingMode(page_, HPDF_FILL);
    HPDF_Page_SetLineWidth(page_, 0.5F);
  }
  if (document.red_letter && y_ > kPageHeight - kMarginTop - kMarkHeight)
    y_ = kPageHeight - kMarginTop - kMarkHeight;
  y_ -= 2;
  if (!document.subtitle.empty()) {
    for (const std::u16string& line : Wrap(document.subtitle, kContentWidth, kSubtitleStyle.size)) {
      DrawLineAligned(line, kContentLeft, kContentWidth, Baseline(y_, kSubtitleStyle), kSubtitleStyle.size,
                      Align::kCenter, kGrey);
      y_ -= kSubtitleStyle.leading;
    }
  }
  if (document.red_letter) {
    DrawLineAligned(u"红字发票 / red-letter", kContentLeft, kContentWidth, Baseline(y_, kNoteStyle),
                    kNoteStyle.size, Align::kCenter, kRed);
    y_ -= kNoteStyle.leading;
  }
  y_ -= 6;
  DrawRule(y_, 1.2F, title_color);
  y_ -= kSectionGap;
}

void PdfWriter::DrawFields(const std::vector<std::pair<std::string, std::string>>& fields, bool red_letter) {
  if (fields.empty()) return;
  constexpr float kGap = 10;
  float label_width = 0;
  std::vector<std::string> labels;
  for (const auto& [label, value] : fields) {
    std::string text = label;
    if (!text.empty() && !text.ends_with(":") && !text.ends_with("：")) text += "：";
    for (const std::u16string& line : Wrap(text, kContentWidth, kFieldStyle.size)) {
      label_width = std::max(label_width, TextWidth(line, kFieldStyle.size));
    }
    labels.push_back(std::move(text));
  }
  label_width = std::min(std::ceil(label_width) + 1, kContentWidth * 0.35F);
  const float value_x = kContentLeft + label_width + kGap;
  const float value_width = kContentRight - value_x;
  for (size_t i = 0; i < fields.size(); ++i) {
    const std::string& value = fields[i].second;
    std::vector<Cell> cells(2);
    cells[0].lines = Wrap(labels[i], label_width, kFieldStyle.size);
    cells[0].x = kContentLeft;
    cells[0].width = label_width;
    cells[0].color = kGrey;
    cells[1].lines = Wrap(value, value_width, kFieldStyle.size);
    cells[1].x = value_x;
    cells[1].width = value_width;
    cells[1].color = red_letter && IsAmount(value) ? kRed : kBlack;
    DrawRow(cells, kFieldRow, 0, nullptr);
  }
  y_ -= kSectionGap;
}

// Fits the columns to the content: each column wants its widest line (plus padding). If all fit,
// they are widened in proportion to fill the width; otherwise the columns that want less than an
// equal share of what is left keep their width and the others share the rest equally (and wrap).
std::vector<float> PdfWriter::ColumnWidths(const Table& table, size_t columns) {
  const float padding = 2 * kTableRow.pad_x + 1;
  std::vector<float> wanted(columns, padding + kTableStyle.size);
  const auto want = [&](const std::vector<std::string>& row) {
    for (size_t c = 0; c < row.size() && c < columns; ++c) {
      for (std::string_view paragraph : Paragraphs(row[c])) {
        wanted[c] = std::max(wanted[c], TextWidth(Printable(paragraph), kTableStyle.size) + padding);
      }
    }
  };
  want(table.headers);
  for (const std::vector<std::string>& row : table.rows) want(row);
  float total = 0;
  for (float w : wanted) total += w;
  if (total <= kContentWidth) {
    std::vector<float> widths;
    for (float w : wanted) widths.push_back(w * kContentWidth / total);
    return widths;
  }
  std::vector<float> widths(columns, 0);
  std::vector<bool> fixed(columns, false);
  float remaining = kContentWidth;
  size_t open = columns;
  bool changed = true;
  while (changed && open > 0) {
    changed = false;
    const float share = remaining / static_cast<float>(open);
    for (size_t c = 0; c < columns; ++c) {
      if (!fixed[c] && wanted[c] <= share) {
        fixed[c] = true;
        widths[c] = wanted[c];
        remaining -= wanted[c];
        --open;
        changed = true;
      }
    }
  }
  for (size_t c = 0; c < columns; ++c) {
    if (!fixed[c]) widths[c] = remaining / static_cast<float>(open);
  }
  return widths;
}

void PdfWriter::DrawTable(const Table& table, bool red_letter) {
  size_t columns = table.headers.size();
  for (const auto& row : table.rows) columns = std::max(columns, row.size());
  if (columns == 0) return;

  const std::vector<float> widths = ColumnWidths(table, columns);
  std::vector<float> xs(columns, kContentLeft);
  for (size_t c = 1; c < columns; ++c) xs[c] = xs[c - 1] + widths[c - 1];

  // A column whose filled cells are all numbers is right-aligned.
  std::vector<Align> aligns(columns, Align::kLeft);
  for (size_t c = 0; c < columns; ++c) {
    bool any = false;
    bool all_numbers = true;
    for (const auto& row : table.rows) {
      if (c >= row.size() || row[c].empty()) continue;
      any = true;
      all_numbers = all_numbers && IsNumber(row[c]);
    }
    if (any && all_numbers) aligns[c] = Align::kRight;
  }

  const auto make_row = [&](const std::vector<std::string>& texts) {
    std::vector<Cell> cells(columns);
    for (size_t c = 0; c < columns; ++c) {
      const std::string empty;
      const std::string& text = c < texts.size() ? texts[c] : empty;
      cells[c].lines = Wrap(text, widths[c] - 2 * kTableRow.pad_x, kTableStyle.size);
      cells[c].x = xs[c];
      cells[c].width = widths[c];
      cells[c].align = aligns[c];
      cells[c].color = red_letter && IsAmount(text) ? kRed : kBlack;
    }
    return cells;
  };

  std::vector<Cell> header;
  if (!table.headers.empty()) {
    header = make_row(table.headers);
    for (Cell& cell : header) {
      cell.align = Align::kCenter;
      cell.fill = kHeaderFill;
    }
  }
  const auto draw_header = [&] {
    if (header.empty()) return;
    const float room = y_ - content_bottom_ - 2 * kTableRow.pad_y;
    size_t lines = 1;
    for (const Cell& cell : header) lines = std::max(lines, cell.lines.size());
    const size_t fit =
        room <= 0 ? 1 : std::max<size_t>(1, static_cast<size_t>(room / kTableStyle.leading) / 2);
    DrawRowSlice(header, 0, std::min(lines, fit), kTableRow);  // a header never takes more than half a page
  };

  // Start on a new page unless the header and the first row (or its first three lines) fit.
  std::vector<Cell> first;
  if (table.rows.empty()) {
    first.resize(1);
    first[0].lines = {u"无记录 / No records"};
    first[0].x = kContentLeft;
    first[0].width = kContentWidth;
    first[0].align = Align::kCenter;
    first[0].color = kGrey;
  } else {
    first = make_row(table.rows.front());
  }
  const float header_height = header.empty() ? 0 : RowHeight(header, kTableRow);
  const float first_height =
      std::min(RowHeight(first, kTableRow), 3 * kTableStyle.leading + 2 * kTableRow.pad_y);
  if (y_ - header_height - first_height < content_bottom_ && y_ < kPageHeight - kMarginTop) NewPage();
  draw_header();
  DrawRow(first, kTableRow, header_height, draw_header);
  for (size_t r = 1; r < table.rows.size(); ++r) {
    DrawRow(make_row(table.rows[r]), kTableRow, header_height, draw_header);
  }
  y_ -= kSectionGap;
}

Result<std::string> PdfWriter::Finish() {
  const size_t count = pages_.size();
  for (size_t i = 0; i < count; ++i) {
    page_ = pages_[i];
    const float rule_y =
        kMarginBottom + static_cast<float>(std::max<size_t>(footer_lines_.size(), 1)) * kFooterStyle.leading +
        6;
    DrawRule(rule_y, 0.6F, kRule);
    float top = rule_y - 3;
    const std::u16string number = u"第 " + Digits(i + 1) + u" 页 / 共 " + Digits(count) + u" 页";
    DrawLineAligned(number, kContentLeft, kContentWidth, Baseline(top, kFooterStyle), kFooterStyle.size,
                    Align::kRight, kGrey);
    for (const std::u16string& line : footer_lines_) {
      DrawText(line, kContentLeft, Baseline(top, kFooterStyle), kFooterStyle.size, kGrey);
      top -= kFooterStyle.leading;
    }
  }
  if (error_.code != HPDF_OK) return LibraryStatus("drawing");

  if (HPDF_SaveToStream(doc_) != HPDF_OK || error_.code != HPDF_OK) return LibraryStatus("saving");
  std::string bytes(HPDF_GetStreamSize(doc_), '\0');
  HPDF_UINT32 size = static_cast<HPDF_UINT32>(bytes.size());
  const HPDF_STATUS read = HPDF_ReadFromStream(doc_, reinterpret_cast<HPDF_BYTE*>(bytes.data()), &size);
  if ((read != HPDF_OK && read != HPDF_STREAM_EOF) || size != bytes.size()) {
    return Status::Internal(fmt::format("reading the PDF stream returned 0x{:04X}, {} of {} bytes",
                                        static_cast<unsigned>(read), size, bytes.size()));
  }
  return bytes;
}

}  // namespace

Result<PdfFont> LocatePdfFont() {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (const char* path = std::getenv("ANXIN_PDF_FONT"); path != nullptr && *path != '\0') {
    PdfFont font{path, 0};
    if (const char* index = std::getenv("ANXIN_PDF_FONT_INDEX"); index != nullptr && *index != '\0') {
      char* end = nullptr;
      const long value = std::strtol(index, &end, 10);
      if (*end != '\0' || value < 0 || value > 255) {
        return FontUnavailable(fmt::format("ANXIN_PDF_FONT_INDEX 无效：{}", index),
                               fmt::format("ANXIN_PDF_FONT_INDEX is not a face index: {}", index));
      }
      font.index = static_cast<int>(value);
    }
    if (!fs::is_regular_file(font.path, ec)) {
      return FontUnavailable(fmt::format("ANXIN_PDF_FONT 指向的字体文件不存在：{}", font.path),
                             fmt::format("the font file ANXIN_PDF_FONT names does not exist: {}", font.path));
    }
    return font;
  }
  for (const KnownFont& known : kKnownFonts) {
    if (fs::is_regular_file(known.path, ec)) return PdfFont{known.path, known.index};
  }
  return FontUnavailable(
      fmt::format("未找到生成 PDF 所需的中文字体：请安装 Debian 软件包 {}（scripts/install-deps.sh），"
                  "或用 ANXIN_PDF_FONT 指定 TrueType 字体文件",
                  kFontPackages),
      fmt::format(
          "no Chinese font for PDF documents: install the Debian package {} (scripts/install-deps.sh) "
          "or set ANXIN_PDF_FONT to a TrueType font file",
          kFontPackagesEn));
}

Result<std::string> RenderPdf(const Document& document) {
  ANXIN_ASSIGN_OR_RETURN(const PdfFont font, LocatePdfFont());
  PdfWriter writer;
  ANXIN_RETURN_IF_ERROR(writer.Open(font, document.footer));
  writer.DrawHeading(document);
  writer.DrawFields(document.fields, document.red_letter);
  for (const Table& table : document.tables) writer.DrawTable(table, document.red_letter);
  return writer.Finish();
}

}  // namespace anxin::documents
