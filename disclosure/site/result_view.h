#ifndef DISCLOSURE_SITE_RESULT_VIEW_H_
#define DISCLOSURE_SITE_RESULT_VIEW_H_

// Building blocks of the pages: a two-column list of labelled fields, and the fields
// of an inspection result, shared by record and enterprise pages.
//
// Thread safety: value types and pure functions.

#include <string>

#include "absl/strings/string_view.h"
#include "regulation/v1/public_record.pb.h"

namespace regulation::disclosure::site {

// <dl class="fields"> with one <dt>中文 English</dt><dd>value</dd> per row.
class FieldList {
 public:
  // `text` is escaped; empty values are skipped.
  FieldList& Text(absl::string_view zh, absl::string_view en, absl::string_view text);
  // `html` is taken as it is (already escaped by the caller).
  FieldList& Html(absl::string_view zh, absl::string_view en, absl::string_view html);
  // Text in a <code> element (digests, seeds, codes).
  FieldList& Code(absl::string_view zh, absl::string_view en, absl::string_view text);
  // An RFC 3339 UTC time, shown in local time with its zone (local_time.h).
  FieldList& Time(absl::string_view zh, absl::string_view en, absl::string_view utc);
  std::string Render() const;

 private:
  std::string rows_;
};

// "定向检查 Targeted inspection · 投诉举报 Complaint" for a targeted inspection's reason
// category (escaped HTML).
std::string TargetedHtml(absl::string_view reason);

// The fields of `result` (a targeted inspection marked with its reason category), with links to the enterprise and plan pages; `root` is the
// page's RootPrefix.
std::string ResultFields(const v1::PublicResult& result, absl::string_view root);

// A table in a container that scrolls sideways when the table is wider than the screen
// (a phone's 390 pixels), so the page itself never does; the container can be focused
// and scrolled with the keyboard, and is named by `label_html` (escaped). A table with
// class "stack" is shown as stacked rows on narrow screens instead (site.css).
std::string TableStart(absl::string_view css_class, absl::string_view label_html);
std::string TableEnd();
// A table's name when a page shows one per draw round: "各风险类别 By risk class · 第 1 轮 round 1".
std::string RoundLabel(absl::string_view zh, absl::string_view en, int64_t round);

// "记录 Record #12" linked to the record page.
std::string RecordLink(int64_t index, absl::string_view root);

}  // namespace regulation::disclosure::site

#endif  // DISCLOSURE_SITE_RESULT_VIEW_H_
