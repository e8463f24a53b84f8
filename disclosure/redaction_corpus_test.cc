// The redactor against a corpus of realistic inspection findings
// (disclosure/testdata/redaction_corpus.jsonl, format in docs/redaction-and-deadlines.md §8).
// Each finding lists the spans that must be removed, by kind, and the spans that must
// survive. The test logs recall per kind and the over-redaction rate, and asserts the
// floors below.
//
// A span to remove counts as removed only when every byte of every occurrence of it in
// the text lies inside a match of FindPersonalData (the ranges RedactPersonalData
// replaces): half an address is a miss. A span to keep counts as damaged when any byte of
// any occurrence lies inside a match.

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "disclosure/redaction.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "testing/status_matchers.h"

namespace regulation::disclosure {
namespace {

struct Span {
  std::string kind;  // For spans to remove: "name", "id_card", ...
  std::string text;
};

struct Finding {
  std::string id;
  std::string domain;
  std::string text;
  std::vector<Span> remove;
  std::vector<std::string> keep;
};

std::string CorpusPath() {
  return std::string(std::getenv("TEST_SRCDIR")) +
         "/regulation/disclosure/testdata/redaction_corpus.jsonl";
}

std::vector<Finding> LoadCorpus() {
  std::vector<Finding> corpus;
  std::ifstream in(CorpusPath());
  EXPECT_TRUE(in.good()) << CorpusPath();
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    google::protobuf::Struct record;
    const auto status = google::protobuf::util::JsonStringToMessage(line, &record);
    EXPECT_OK(status) << "line " << number << ": " << status.ToString();
    if (!status.ok()) continue;
    const auto& f = record.fields();
    Finding finding;
    finding.id = f.at("id").string_value();
    finding.domain = f.at("domain").string_value();
    finding.text = f.at("text").string_value();
    for (const auto& v : f.at("remove").list_value().values()) {
      const auto& s = v.struct_value().fields();
      finding.remove.push_back({s.at("kind").string_value(), s.at("text").string_value()});
    }
    for (const auto& v : f.at("keep").list_value().values()) {
      finding.keep.push_back(v.string_value());
    }
    corpus.push_back(std::move(finding));
  }
  return corpus;
}

// Byte offsets of every occurrence of `needle` in `text`.
std::vector<size_t> Occurrences(const std::string& text, const std::string& needle) {
  std::vector<size_t> at;
  for (size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) {
    at.push_back(p);
  }
  return at;
}

// covered[i]: byte i of the text lies inside a match.
std::vector<bool> Covered(const std::string& text) {
  std::vector<bool> covered(text.size(), false);
  for (const PersonalDataMatch& m : FindPersonalData(text)) {
    for (size_t i = m.begin; i < m.end; ++i) covered[i] = true;
  }
  return covered;
}

bool AllCovered(const std::vector<bool>& covered, size_t begin, size_t size) {
  for (size_t i = begin; i < begin + size; ++i) {
    if (!covered[i]) return false;
  }
  return true;
}

bool AnyCovered(const std::vector<bool>& covered, size_t begin, size_t size) {
  for (size_t i = begin; i < begin + size; ++i) {
    if (covered[i]) return true;
  }
  return false;
}

struct Tally {
  int total = 0;
  int hit = 0;
  double Rate() const { return total == 0 ? 1.0 : static_cast<double>(hit) / total; }
};

// The floors. Numbers, e-mails, handles, documents and plates are found by rules with no
// judgement in them on these texts: a miss is a bug, so their floor is every span. Names,
// addresses and health phrases are found from the words around them, and some phrasings
// are out of reach by design (docs/redaction-and-deadlines.md §5: a disease named with no
// trigger, a name whose surname is also a preposition); their floors sit a little under
// what the rules reach here, so that any real regression fails without pretending the
// rules are complete. Over-redaction: at most 1% of the spans that must survive may be
// touched, and at most 0.5% of the bytes outside the spans to remove.
const std::map<std::string, double>& RecallFloors() {
  static const auto* floors = new std::map<std::string, double>{
      {"name", 0.95},    {"id_card", 1.0},      {"travel_document", 1.0}, {"mobile", 1.0},
      {"landline", 1.0}, {"bank_account", 1.0}, {"email", 1.0},           {"address", 0.95},
      {"health", 0.75},  {"messaging", 1.0},    {"plate", 1.0},
  };
  return *floors;
}
constexpr double kMaxDamagedKeepRate = 0.01;
constexpr double kMaxCollateralByteRate = 0.005;

TEST(RedactionCorpus, CorpusIsWellFormed) {
  const std::vector<Finding> corpus = LoadCorpus();
  EXPECT_GE(corpus.size(), 100u);
  std::map<std::string, int> ids;
  for (const Finding& f : corpus) {
    EXPECT_EQ(++ids[f.id], 1) << "duplicate id " << f.id;
    EXPECT_FALSE(f.remove.empty() && f.keep.empty()) << f.id;
    std::vector<bool> in_remove(f.text.size(), false);
    for (const Span& s : f.remove) {
      EXPECT_EQ(RecallFloors().count(s.kind), 1u) << f.id << ": unknown kind " << s.kind;
      const std::vector<size_t> at = Occurrences(f.text, s.text);
      EXPECT_FALSE(at.empty()) << f.id << ": " << s.text << " is not in the text";
      for (size_t p : at)
        std::fill(in_remove.begin() + p, in_remove.begin() + p + s.text.size(), true);
    }
    for (const std::string& k : f.keep) {
      const std::vector<size_t> at = Occurrences(f.text, k);
      EXPECT_FALSE(at.empty()) << f.id << ": " << k << " is not in the text";
      for (size_t p : at) {
        EXPECT_FALSE(AnyCovered(in_remove, p, k.size()))
            << f.id << ": keep span " << k << " overlaps a span to remove";
      }
    }
  }
}

TEST(RedactionCorpus, RecallPerKindAndOverRedactionMeetTheFloors) {
  const std::vector<Finding> corpus = LoadCorpus();
  std::map<std::string, Tally> recall;
  for (const auto& [kind, floor] : RecallFloors()) recall[kind];
  Tally keep;
  Tally collateral;  // total: bytes outside spans to remove; hit: those redacted
  std::string misses;
  for (const Finding& f : corpus) {
    const std::vector<bool> covered = Covered(f.text);
    std::vector<bool> in_remove(f.text.size(), false);
    for (const Span& s : f.remove) {
      Tally& t = recall[s.kind];
      ++t.total;
      bool removed = true;
      for (size_t p : Occurrences(f.text, s.text)) {
        removed &= AllCovered(covered, p, s.text.size());
        std::fill(in_remove.begin() + p, in_remove.begin() + p + s.text.size(), true);
      }
      if (removed) {
        ++t.hit;
      } else {
        absl::StrAppend(&misses, "  missed ", s.kind, " in ", f.id, ": ", s.text, "\n");
      }
    }
    for (const std::string& k : f.keep) {
      ++keep.total;
      bool damaged = false;
      for (size_t p : Occurrences(f.text, k)) damaged |= AnyCovered(covered, p, k.size());
      if (damaged) {
        ++keep.hit;
        absl::StrAppend(&misses, "  damaged in ", f.id, ": ", k, "\n");
      }
    }
    for (size_t i = 0; i < f.text.size(); ++i) {
      if (in_remove[i]) continue;
      ++collateral.total;
      if (covered[i]) ++collateral.hit;
    }
    for (const PersonalDataMatch& m : FindPersonalData(f.text)) {
      if (!AllCovered(in_remove, m.begin, m.end - m.begin)) {
        absl::StrAppend(&misses, "  removed beyond the spans in ", f.id, ": ",
                        f.text.substr(m.begin, m.end - m.begin), "\n");
      }
    }
    // The published text: bounded, and redacting it again changes nothing.
    RedactionReport report;
    const std::string out = RedactPersonalData(f.text, &report);
    EXPECT_LE(out.size(), MaxRedactedSize(f.text.size())) << f.id;
    EXPECT_EQ(RedactPersonalData(out), out) << f.id << ": not idempotent";
  }

  std::string table = absl::StrFormat("redaction corpus: %d findings\n%-16s %6s %8s %8s\n",
                                      corpus.size(), "kind", "spans", "removed", "recall");
  for (const auto& [kind, t] : recall) {
    absl::StrAppend(
        &table, absl::StrFormat("%-16s %6d %8d %7.1f%%\n", kind, t.total, t.hit, 100.0 * t.Rate()));
  }
  absl::StrAppend(&table, absl::StrFormat("spans to keep damaged: %d of %d (%.1f%%)\n", keep.hit,
                                          keep.total, 100.0 * keep.Rate()));
  absl::StrAppend(&table,
                  absl::StrFormat("bytes outside spans to remove that were redacted: %d of %d "
                                  "(%.2f%%)\n",
                                  collateral.hit, collateral.total, 100.0 * collateral.Rate()));
  std::fputs(table.c_str(), stdout);
  std::fputs(misses.c_str(), stdout);

  for (const auto& [kind, floor] : RecallFloors()) {
    EXPECT_GE(recall[kind].Rate(), floor) << kind;
  }
  EXPECT_LE(keep.Rate(), kMaxDamagedKeepRate);
  EXPECT_LE(collateral.Rate(), kMaxCollateralByteRate);
}

}  // namespace
}  // namespace regulation::disclosure
