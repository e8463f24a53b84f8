#include "scoring/feature_row.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <limits>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "scoring/feature_catalogue.h"
#include "scoring/portrait_state.h"

namespace regulation::scoring {
namespace {

const absl::CivilDay kEpochDay(1970, 1, 1);

constexpr size_t kEnterpriseBytes = 8 + 8 + 4 + 4;
constexpr size_t kSignalHeader = 1 + 1 + 8 + 8 + 4;
constexpr size_t kListHeader = 4 + 4;
constexpr size_t kListChange = 8 + 1;
constexpr uint8_t kHasAmounts = 1;

void Put64(int64_t v, std::string* out) {
  const uint64_t u = static_cast<uint64_t>(v);
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<char>(u >> (8 * i));
  out->append(b, 8);
}

void Put32(uint32_t u, std::string* out) {
  char b[4];
  for (int i = 0; i < 4; ++i) b[i] = static_cast<char>(u >> (8 * i));
  out->append(b, 4);
}

// The enterprise part: fixed width, right after the format byte.
void PutEnterprisePart(const FeatureRowEnterprise& enterprise, std::string* out) {
  Put64(enterprise.established_day, out);
  Put64(enterprise.registered_capital_yuan, out);
  Put32(static_cast<uint32_t>(enterprise.industry_section), out);
  Put32(static_cast<uint32_t>(enterprise.province), out);
}

int64_t Load64(const char* p) {
  uint64_t u = 0;
  for (int i = 7; i >= 0; --i) u = (u << 8) | static_cast<uint8_t>(p[i]);
  return static_cast<int64_t>(u);
}

uint32_t Load32(const char* p) {
  uint32_t u = 0;
  for (int i = 3; i >= 0; --i) u = (u << 8) | static_cast<uint8_t>(p[i]);
  return u;
}

// The enterprise part at `p` (kEnterpriseBytes).
FeatureRowEnterprise LoadEnterprise(const char* p) {
  FeatureRowEnterprise e;
  e.established_day = Load64(p);
  e.registered_capital_yuan = Load64(p + 8);
  e.industry_section = static_cast<int32_t>(Load32(p + 16));
  e.province = static_cast<int32_t>(Load32(p + 20));
  return e;
}

absl::Status Malformed(absl::string_view what, absl::string_view why) {
  return absl::DataLossError(absl::StrCat("feature row of ", what, " is corrupt: ", why));
}

absl::Status CheckFormat(absl::string_view bytes, absl::string_view what) {
  if (bytes.empty()) return Malformed(what, "empty");
  const uint8_t format = static_cast<uint8_t>(bytes[0]);
  if (format != kFeatureRowFormat) {
    return absl::FailedPreconditionError(
        absl::StrCat("feature row of ", what, " has format ", format, "; this build reads format ",
                     kFeatureRowFormat, " (the rows are rebuilt at start)"));
  }
  if (bytes.size() < 1 + kEnterpriseBytes) return Malformed(what, "shorter than its header");
  return absl::OkStatus();
}

}  // namespace

// The features' inputs read from a parsed row (feature_formulas.h).
class RowInputs {
 public:
  class History {
   public:
    explicit History(const char* p) : p_(p) {}
    bool present() const { return p_ != nullptr; }
    int64_t count_total() const { return Load64(p_ + 2); }
    int64_t last_micros() const { return Load64(p_ + 10); }
    // As CountInWindow over the state's history, occurrence by occurrence.
    WindowCount Count(int64_t as_of, int64_t window) const {
      WindowCount result;
      if (p_ == nullptr) return result;
      const uint32_t n = Load32(p_ + 18);
      const char* times = p_ + kSignalHeader;
      const char* amounts = (p_[1] & kHasAmounts) ? times + 8 * size_t{n} : nullptr;
      for (uint32_t i = 0; i < n; ++i) {
        const int64_t t = Load64(times + 8 * size_t{i});
        if (t > as_of - window && t <= as_of) {
          ++result.count;
          const int64_t amount = amounts == nullptr ? 0 : Load64(amounts + 8 * size_t{i});
          result.amount =
              amount > 0 && result.amount > std::numeric_limits<int64_t>::max() - amount
                  ? std::numeric_limits<int64_t>::max()
                  : result.amount + amount;
        }
      }
      return result;
    }

   private:
    const char* p_;
  };

  explicit RowInputs(const FeatureRow& row) : row_(row) {}

  absl::CivilDay established() const { return kEpochDay + row_.enterprise_.established_day; }
  int64_t capital() const {
    return row_.reported_capital_yuan_ > 0 ? row_.reported_capital_yuan_
                                           : row_.enterprise_.registered_capital_yuan;
  }
  int industry_section() const { return row_.enterprise_.industry_section; }
  int province() const { return row_.enterprise_.province; }
  History signal(Signal signal) const { return History(row_.signals_[static_cast<int>(signal)]); }

  // As ListedAt: the first list of that kind, its latest change at or before `as_of`.
  bool listed_at(ListKind list, int64_t as_of) const {
    const char* p = row_.lists_;
    for (uint32_t l = 0; l < row_.list_count_; ++l) {
      const uint32_t n = Load32(p + 4);
      const char* changes = p + kListHeader;
      if (static_cast<int32_t>(Load32(p)) == static_cast<int>(list)) {
        bool listed = false;
        for (uint32_t i = 0; i < n; ++i) {
          const char* c = changes + kListChange * i;
          if (Load64(c) > as_of) break;
          listed = c[8] != 0;
        }
        return listed;
      }
      p = changes + kListChange * n;
    }
    return false;
  }

  int64_t list_changes_in(int64_t as_of, int64_t window) const {
    int64_t count = 0;
    const char* p = row_.lists_;
    for (uint32_t l = 0; l < row_.list_count_; ++l) {
      const uint32_t n = Load32(p + 4);
      const char* changes = p + kListHeader;
      for (uint32_t i = 0; i < n; ++i) {
        const int64_t t = Load64(changes + kListChange * i);
        count += t > as_of - window && t <= as_of;
      }
      p = changes + kListChange * n;
    }
    return count;
  }

 private:
  const FeatureRow& row_;
};

FeatureRowEnterprise FeatureRowEnterpriseOf(const v1::Enterprise& enterprise) {
  FeatureRowEnterprise e;
  const absl::CivilDay established(enterprise.establishment_date().year(),
                                   enterprise.establishment_date().month(),
                                   enterprise.establishment_date().day());
  e.established_day = established - kEpochDay;
  e.registered_capital_yuan = enterprise.registered_capital_yuan();
  e.industry_section = IndustrySectionFeature(enterprise.industry_code());
  e.province = ProvinceFeature(enterprise.region_code());
  return e;
}

absl::StatusOr<FeatureRowEnterprise> ReadFeatureRowEnterprise(absl::string_view row) {
  if (absl::Status format = CheckFormat(row, "a stored enterprise"); !format.ok()) return format;
  return LoadEnterprise(row.data() + 1);
}

void EncodeFeatureRow(const FeatureRowEnterprise& enterprise,
                      const internal::PortraitState& state, std::string* row) {
  // The first history of each known signal, as the features look them up.
  const internal::SignalHistory* first[kKnownSignals] = {};
  int present = 0;
  // At most the row's size (amounts counted whether present or not): reserved, so that
  // the appends below never move what is written (checkpoints encode tens of thousands).
  size_t bound = 1 + 24 + 8 + 1 + 4;
  for (const internal::SignalHistory& h : state.signals()) {
    if (h.signal() >= 0 && h.signal() < kKnownSignals && first[h.signal()] == nullptr) {
      first[h.signal()] = &h;
      ++present;
      bound += 2 + 20 + 16 * static_cast<size_t>(h.recent_micros_size());
    }
  }
  for (const internal::ListHistory& list : state.lists()) {
    bound += 8 + 9 * static_cast<size_t>(list.changes_size());
  }
  row->clear();
  row->reserve(bound);
  row->push_back(static_cast<char>(kFeatureRowFormat));
  PutEnterprisePart(enterprise, row);
  Put64(state.reported_capital_yuan(), row);
  row->push_back(static_cast<char>(present));
  for (int s = 0; s < kKnownSignals; ++s) {
    const internal::SignalHistory* h = first[s];
    if (h == nullptr) continue;
    const int n = h->recent_micros_size();
    auto amount = [&](int i) { return i < h->recent_amounts_size() ? h->recent_amounts(i) : 0; };
    bool has_amounts = false;
    for (int i = 0; i < n && !has_amounts; ++i) has_amounts = amount(i) != 0;
    row->push_back(static_cast<char>(s));
    row->push_back(static_cast<char>(has_amounts ? kHasAmounts : 0));
    Put64(h->count_total(), row);
    Put64(h->last_micros(), row);
    Put32(static_cast<uint32_t>(n), row);
    for (int i = 0; i < n; ++i) Put64(h->recent_micros(i), row);
    if (has_amounts) {
      for (int i = 0; i < n; ++i) Put64(amount(i), row);
    }
  }
  Put32(static_cast<uint32_t>(state.lists_size()), row);
  for (const internal::ListHistory& list : state.lists()) {
    Put32(static_cast<uint32_t>(list.list()), row);
    Put32(static_cast<uint32_t>(list.changes_size()), row);
    for (const internal::ListChange& c : list.changes()) {
      Put64(c.micros(), row);
      row->push_back(c.added() ? 1 : 0);
    }
  }
}

void SetFeatureRowEnterprise(const FeatureRowEnterprise& enterprise, std::string* row) {
  std::string part;
  PutEnterprisePart(enterprise, &part);
  row->replace(1, part.size(), part);  // after the format byte
}

std::string FeatureRowOf(const v1::Enterprise& enterprise, const internal::PortraitState& state) {
  std::string row;
  EncodeFeatureRow(FeatureRowEnterpriseOf(enterprise), state, &row);
  return row;
}

absl::Status FeatureRow::Parse(absl::string_view bytes, absl::string_view what) {
  if (absl::Status format = CheckFormat(bytes, what); !format.ok()) return format;
  const char* p = bytes.data() + 1;
  const char* const end = bytes.data() + bytes.size();
  auto left = [&] { return static_cast<size_t>(end - p); };
  enterprise_ = LoadEnterprise(p);
  p += kEnterpriseBytes;
  if (left() < 8 + 1) return Malformed(what, "shorter than its header");
  reported_capital_yuan_ = Load64(p);
  p += 8;
  const int signal_count = static_cast<uint8_t>(*p++);
  std::fill(std::begin(signals_), std::end(signals_), nullptr);
  for (int s = 0; s < signal_count; ++s) {
    if (left() < kSignalHeader) return Malformed(what, "a signal is cut short");
    const int signal = static_cast<uint8_t>(p[0]);
    const uint8_t flags = static_cast<uint8_t>(p[1]);
    if (signal >= kKnownSignals || signals_[signal] != nullptr) {
      return Malformed(what, absl::StrCat("signal ", signal, " is unknown or repeated"));
    }
    if ((flags & ~kHasAmounts) != 0) return Malformed(what, "unknown signal flags");
    const uint64_t n = Load32(p + 18);
    const uint64_t body = n * 8 * ((flags & kHasAmounts) ? 2 : 1);
    if (left() - kSignalHeader < body) return Malformed(what, "a signal's times are cut short");
    signals_[signal] = p;
    p += kSignalHeader + body;
  }
  if (left() < 4) return Malformed(what, "the list count is missing");
  list_count_ = Load32(p);
  p += 4;
  lists_ = p;
  for (uint32_t l = 0; l < list_count_; ++l) {
    if (left() < kListHeader) return Malformed(what, "a list is cut short");
    const uint64_t body = uint64_t{Load32(p + 4)} * kListChange;
    if (left() - kListHeader < body) return Malformed(what, "a list's changes are cut short");
    p += kListHeader + body;
  }
  if (p != end) return Malformed(what, "bytes after the last list");
  return absl::OkStatus();
}

void FeatureRow::ComputeFeaturesInto(int64_t as_of, float* out) const {
  formulas::FloatSink sink{out};
  formulas::AppendFeatures(RowInputs(*this), as_of, sink);
}

}  // namespace regulation::scoring
