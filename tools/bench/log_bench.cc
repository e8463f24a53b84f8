// Disclosure log benchmark: in one run, on one machine, over RocksDB,
//   (a) appends: --records public records appended in batches of --batch. The records
//       are what regulatord logs when a result is approved: a body, the PublicEntry JSON
//       of kind RESULT (redacted result, enterprise name, credit code with its check
//       character, official category, findings), generated deterministically from --seed,
//       sealed with a fresh salt into its leaf (disclosure/public_leaf.h). Each batch is
//       one WriteBatch of the bodies and salts (as staging writes them), then one Append
//       of the leaves: one atomic WriteBatch (fsync'ed unless --nosync) and one signed
//       checkpoint. appends/s counts only the time inside Append; bodies/s the sealing
//       and the bodies' write;
//   (b) proofs: --proofs inclusion proofs of random indices at the final tree size,
//       on --proof_threads threads;
//   (c) publish: the whole public site published once with disclosure::site::Publish
//       from the local log (progress on stderr; time and files reported), then
//       --incremental more RESULT records appended and published incrementally, timed,
//       with the number of files that publish wrote and their breakdown.
// The site's log files and bodies are then checked with the offline verifier, as
// `regctl verify-log` checks them (reported).
// The last line is one JSON object:
//   {"appends_per_s": ..., "proofs_per_s": ..., "incremental_publish_s": ...,
//    "files_written": ..., "bodies_per_s": ...}
//
//   bazel run --config=opt //tools/bench:log
//   bazel run --config=opt //tools/bench:log -- --records=100000 --batch=100

#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/notification.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/credit_code.h"
#include "common/files.h"
#include "disclosure/body_check.h"
#include "disclosure/embedded_holidays.h"
#include "disclosure/holiday_calendar.h"
#include "disclosure/log_verifier.h"
#include "disclosure/merkle.h"
#include "disclosure/public_body_store.h"
#include "disclosure/public_leaf.h"
#include "disclosure/redaction.h"
#include "disclosure/signing_key.h"
#include "disclosure/site/public_entry.h"
#include "disclosure/site/publisher.h"
#include "disclosure/site/site_paths.h"
#include "disclosure/site/site_record.h"
#include "disclosure/site/transparency_log_source.h"
#include "disclosure/transparency_log.h"
#include "regulation/v1/disclosure.pb.h"
#include "regulation/v1/public_record.pb.h"
#include "services/inspection/public_entries.h"
#include "storage/rocksdb_store.h"
#include "tools/bench/bench_support.h"

ABSL_FLAG(int64_t, records, 1000000, "records to append");
ABSL_FLAG(int, batch, 1000, "records per Append (one WriteBatch and one checkpoint each)");
ABSL_FLAG(bool, sync, true,
          "fsync each Append (TransparencyLogOptions::sync, as regulatord) and the site before "
          "its checkpoint (PublishOptions::sync, as regctl publish); --nosync for a throw-away run");
ABSL_FLAG(int64_t, proofs, 200000, "inclusion proofs to generate at the final size");
ABSL_FLAG(int, proof_threads, 1, "threads generating proofs");
ABSL_FLAG(int, incremental, 1000, "records appended before the timed incremental publish");
ABSL_FLAG(int64_t, enterprises, 400000,
          "enterprises the results are about (a result per plan and enterprise; an enterprise "
          "is inspected about records/enterprises times)");
ABSL_FLAG(uint64_t, seed, 1, "seed of the generated records");
ABSL_FLAG(double, progress_s, 5, "seconds between progress lines of the first publish");
ABSL_FLAG(bool, verify, true, "run the offline verifier over the site's log files");
ABSL_FLAG(std::string, work_dir, "",
          "where to put the database and the site (default: a new /tmp dir); deleted at the "
          "end unless --keep");
ABSL_FLAG(bool, keep, false, "keep the work directory");

namespace regulation::bench {
namespace {

namespace site = disclosure::site;

constexpr char kOrigin[] = "regulation.example/disclosure";

double Seconds(absl::Duration d) { return absl::ToDoubleSeconds(d); }

uint64_t Mix(uint64_t a, uint64_t b) {
  SplitMix64 m(a * 0x9e3779b97f4a7c15ULL ^ (b + 0x632be59bd9b4e019ULL));
  return m.Next();
}

template <typename T, size_t N>
const T& Pick(const T (&options)[N], uint64_t r) {
  return options[r % N];
}

// ---------------------------------------------------------------------------------------
// Generated results, as regulatord logs them.
//
// Results come from plans of kPlanResults enterprises each, kConcurrentPlans plans being
// approved at a time (interleaved in the log). Within a plan the enterprises are
// distinct (result ids, "<plan>.<credit code>", are unique, as ResultDesk makes them);
// across plans an enterprise recurs. Approvals run at kResultsPerDay from 2025-01-20,
// which keeps a million results inside the holiday calendar (2025-2027).

constexpr int64_t kPlanResults = 2000;
constexpr int64_t kConcurrentPlans = 8;
constexpr int64_t kResultsPerDay = 1400;
const absl::CivilDay kFirstDay(2025, 1, 20);

constexpr const char* kDistricts[][2] = {
    {"330102", "上城区"}, {"330105", "拱墅区"}, {"330106", "西湖区"}, {"330108", "滨江区"},
    {"330109", "萧山区"}, {"330110", "余杭区"}, {"330111", "富阳区"}, {"330112", "临安区"},
    {"330113", "临平区"}, {"330114", "钱塘区"}, {"330122", "桐庐县"}, {"330127", "淳安县"},
    {"330182", "建德市"}};
constexpr const char* kTradeChars[] = {
    "明", "辉", "华", "盛", "鑫", "源", "泰", "丰", "恒", "达", "瑞", "祥", "宏", "远", "永",
    "兴", "金", "鼎", "隆", "昌", "佳", "益", "新", "创", "博", "锦", "翔", "宇", "正", "天",
    "润", "和", "嘉", "禾", "聚", "福", "顺", "安", "康", "乐", "美", "德", "信", "诚", "通",
    "广", "利", "荣", "盈", "耀", "茂", "旺", "凯", "越", "卓", "晟", "晶", "浩", "怡", "欣",
    "悦", "海", "江", "湖", "山", "峰", "云", "星", "光", "阳", "春", "秋", "宁", "汇", "联",
    "协", "中", "大", "东", "西", "南", "北", "之", "合", "众", "银", "玉", "凤", "龙", "腾",
    "飞", "骏", "弘", "毅", "志", "诺", "启", "迪", "科", "睿", "智", "捷", "百", "万", "千"};
constexpr const char* kIndustries[] = {
    "食品", "贸易", "科技", "网络科技", "餐饮管理", "建材", "服饰", "电子商务", "医药",
    "物流", "文化传媒", "机械设备", "化工", "汽车服务", "物业管理", "酒店管理", "教育科技",
    "农业开发", "包装材料", "五金制品", "家居用品", "生物科技", "信息技术", "印刷"};
constexpr const char* kShops[] = {"便利店", "小吃店", "理发店", "五金店", "水果店",
                                  "面馆",   "服装店", "超市",   "副食品店", "茶叶店"};
constexpr const char* kDepartments[][2] = {
    {"杭州市市场监督管理局", ""},
    {"杭州市市场监督管理局", "杭州市卫生健康委员会"},
    {"杭州市市场监督管理局", "杭州市生态环境局"},
    {"杭州市市场监督管理局", "杭州市商务局"},
    {"杭州市市场监督管理局", ""}};

struct CategoryWeight {
  v1::InspectionResultCategory category;
  int per_mille;
};
constexpr CategoryWeight kCategories[] = {
    {v1::NO_PROBLEM_FOUND, 700},
    {v1::PROBLEM_CORRECTED_ON_ORDER, 80},
    {v1::PROBLEM_FOUND_FOLLOW_UP_PENDING, 50},
    {v1::UNREACHABLE_AT_REGISTERED_ADDRESS, 60},
    {v1::REQUIRED_INFORMATION_NOT_PUBLISHED, 40},
    {v1::NO_RELEVANT_BUSINESS_ACTIVITY, 40},
    {v1::CLOSED_OR_LIQUIDATING, 10},
    {v1::PUBLISHED_INFORMATION_FALSE, 8},
    {v1::OTHER_DEPARTMENT_VIOLATION, 6},
    {v1::DEREGISTERED_OR_REVOKED, 4},
    {v1::SERIOUS_REFUSAL_TO_COOPERATE, 2},
};

constexpr const char* kItems[] = {"食品经营许可情况", "产品质量抽样", "明码标价情况",
                                  "广告发布情况",     "特种设备使用管理", "年度报告公示信息",
                                  "计量器具使用情况", "经营场所卫生条件"};

std::string Digits(uint64_t v, int n) {
  std::string out(n, '0');
  for (int i = n - 1; i >= 0; --i, v /= 10) out[i] = static_cast<char>('0' + v % 10);
  return out;
}

// GB 11714 organisation code check character of 8 digits: 11 - (sum w_i c_i mod 11),
// 10 -> 'X', 11 -> '0'.
char OrganisationCheck(const std::string& body8) {
  static constexpr int kWeights[] = {3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 8; ++i) sum += kWeights[i] * (body8[i] - '0');
  const int c = 11 - sum % 11;
  return c == 10 ? 'X' : c == 11 ? '0' : static_cast<char>('0' + c);
}

struct Enterprise {
  std::string credit_code;
  std::string name;
};

class ResultGenerator {
 public:
  ResultGenerator(uint64_t seed, int64_t enterprises, disclosure::HolidayCalendar calendar)
      : seed_(seed), enterprises_(std::max<int64_t>(enterprises, kPlanResults)),
        calendar_(std::move(calendar)), china_(absl::FixedTimeZone(8 * 3600)) {
    stride_ = 1000003;  // a prime; coprime to the population unless it divides it
    while (std::gcd(stride_, enterprises_) != 1) stride_ += 2;
  }

  int64_t enterprises() const { return enterprises_; }

  // Enterprise `e` (0 <= e < enterprises): distinct codes for distinct e.
  Enterprise EnterpriseOf(int64_t e) const {
    SplitMix64 rng(Mix(seed_ ^ 0xe17e, static_cast<uint64_t>(e)));
    const bool sole_trader = rng.Below(100) < 15;  // 个体工商户: entity type 92
    const auto& district = Pick(kDistricts, rng.Next());
    std::string first17 = absl::StrCat(sole_trader ? "92" : "91", district[0]);
    if (!sole_trader && rng.Below(100) < 35) {
      // Registered before 2015: the old organisation code, 8 digits and its check.
      const std::string body = Digits((static_cast<uint64_t>(e) * 7919 + 10000019) % 100000000, 8);
      absl::StrAppend(&first17, body, std::string(1, OrganisationCheck(body)));
    } else {
      // Issued with the credit code: "MA" and 7 characters of the alphabet (injective in e).
      uint64_t v = (static_cast<uint64_t>(e) * 3571 + 12345) % 27512614111ULL;  // 31^7
      std::string tail(7, '0');
      for (int i = 6; i >= 0; --i, v /= 31) tail[i] = CreditCodeCharFromValue(static_cast<int>(v % 31));
      absl::StrAppend(&first17, "MA", tail);
    }
    Enterprise out;
    out.credit_code = first17 + std::string(1, CreditCodeCheckCharacter(first17));
    std::string trade = absl::StrCat(Pick(kTradeChars, rng.Next()), Pick(kTradeChars, rng.Next()));
    if (rng.Below(100) < 20) absl::StrAppend(&trade, Pick(kTradeChars, rng.Next()));
    if (sole_trader) {
      out.name = absl::StrCat("杭州市", district[1], trade, Pick(kShops, rng.Next()));
    } else {
      out.name = absl::StrCat(rng.Below(100) < 10 ? "浙江" : "杭州", trade,
                              Pick(kIndustries, rng.Next()), "有限公司");
    }
    return out;
  }

  // The body regulatord stages when result i is approved: ResultEntry(PublicResultOf(...))
  // (services/disclosure/public_result.cc), field for field.
  std::string Record(int64_t i) const {
    SplitMix64 rng(Mix(seed_, static_cast<uint64_t>(i)));
    const int64_t group = kPlanResults * kConcurrentPlans;
    const int64_t plan_no = (i / group) * kConcurrentPlans + i % kConcurrentPlans;
    const int64_t position = (i % group) / kConcurrentPlans;
    const uint64_t plan_hash = Mix(seed_ ^ 0x91a4, static_cast<uint64_t>(plan_no));
    const int64_t e = static_cast<int64_t>(
        (static_cast<unsigned __int128>(stride_) * position + plan_hash % enterprises_) %
        enterprises_);
    const Enterprise enterprise = EnterpriseOf(e);

    // Approved on day i / kResultsPerDay, between 09:00 and 17:00 China time.
    const int64_t day = i / kResultsPerDay;
    const absl::CivilDay approve_day = kFirstDay + day;
    const absl::Time approved =
        absl::FromCivil(absl::CivilSecond(approve_day), china_) + absl::Hours(9) +
        absl::Seconds(static_cast<double>(i % kResultsPerDay) * 28800.0 / kResultsPerDay) +
        absl::Microseconds(static_cast<int64_t>(rng.Below(1000000)));
    const absl::CivilDay end = approve_day - static_cast<int>(1 + rng.Below(12));
    const absl::CivilDay plan_start = kFirstDay + (i / group) * group / kResultsPerDay;
    const std::string plan_id =
        absl::StrFormat("PLAN-%04d-HZ-%04d", plan_start.year(), plan_no % 10000 + 1);

    // The result as ResultDesk stores it.
    v1::InspectionResult result;
    result.set_result_id(absl::StrCat(plan_id, ".", enterprise.credit_code));
    result.set_plan_id(plan_id);
    result.set_credit_code(enterprise.credit_code);
    int pick = static_cast<int>(rng.Below(1000));
    v1::InspectionResultCategory category = v1::NO_PROBLEM_FOUND;
    for (const CategoryWeight& w : kCategories) {
      if (pick < w.per_mille) {
        category = w.category;
        break;
      }
      pick -= w.per_mille;
    }
    result.set_category(category);
    const char* item = Pick(kItems, rng.Next());
    const char* item2 = kItems[(std::find(std::begin(kItems), std::end(kItems), item) -
                                std::begin(kItems) + 1 + rng.Below(std::size(kItems) - 1)) %
                               std::size(kItems)];
    std::string findings, follow_up;
    switch (category) {
      case v1::NO_PROBLEM_FOUND:
        findings = absl::StrCat("对", item, "、", item2, "进行现场检查，查阅相关台账和证照，未发现问题。");
        break;
      case v1::PROBLEM_CORRECTED_ON_ORDER:
        findings = absl::StrCat("检查", item, "时发现", rng.Below(2) ? "部分商品未明码标价" : "进货查验记录不全",
                                "，已当场责令改正，经复查已改正。");
        follow_up = "已责令改正并复查完毕。";
        break;
      case v1::PROBLEM_FOUND_FOLLOW_UP_PENDING:
        findings = absl::StrCat("检查", item, "时发现", rng.Below(2) ? "涉嫌销售过期食品" : "计量器具未按期检定",
                                "，已现场取证，移交执法机构处理。");
        follow_up = absl::StrCat("责令限期", 7 + rng.Below(24), "日内整改，逾期将依法处理。");
        break;
      case v1::UNREACHABLE_AT_REGISTERED_ADDRESS:
        findings = "通过登记的住所（经营场所）两次实地核查均无法联系，拟列入经营异常名录。";
        follow_up = "列入经营异常名录。";
        break;
      case v1::REQUIRED_INFORMATION_NOT_PUBLISHED:
        findings = "未按规定公示年度报告中的行政许可信息。";
        follow_up = "责令限期公示。";
        break;
      default:
        findings = absl::StrCat("对", item, "进行检查，情况见检查结果类别。");
        break;
    }
    if (rng.Below(100) < 3) {
      // Free text with personal data, as inspectors sometimes write it: redacted below.
      absl::StrAppend(&findings, "现场负责人联系电话", 138 + rng.Below(10),
                      Digits(rng.Below(100000000), 8), "。");
    }
    result.set_findings(findings);
    result.set_follow_up_measures(follow_up);
    result.mutable_inspection_end_date()->set_year(static_cast<int32_t>(end.year()));
    result.mutable_inspection_end_date()->set_month(end.month());
    result.mutable_inspection_end_date()->set_day(end.day());
    const absl::CivilDay deadline = calendar_.AddWorkingDays(end, 20);
    result.mutable_publish_deadline()->set_year(static_cast<int32_t>(deadline.year()));
    result.mutable_publish_deadline()->set_month(deadline.month());
    result.mutable_publish_deadline()->set_day(deadline.day());

    // PublicResultOf.
    v1::PublicResult out;
    out.set_result_id(result.result_id());
    out.set_plan_id(result.plan_id());
    out.set_credit_code(result.credit_code());
    out.set_enterprise_name(enterprise.name);
    out.set_category(v1::InspectionResultCategory_Name(result.category()));
    out.set_category_label(site::CategoryName(out).zh);  // the official label (CategoryLabel)
    out.set_findings(disclosure::RedactPersonalData(result.findings()));
    out.set_follow_up_measures(disclosure::RedactPersonalData(result.follow_up_measures()));
    out.set_inspection_end_date(absl::StrFormat("%04d-%02d-%02d", end.year(), end.month(), end.day()));
    for (const char* d : Pick(kDepartments, plan_hash >> 8)) {
      if (*d != '\0') out.add_departments(d);
    }
    out.set_approve_time(services::PublicTime(approved));
    out.set_publish_deadline(
        absl::StrFormat("%04d-%02d-%02d", deadline.year(), deadline.month(), deadline.day()));

    // ResultEntry.
    v1::PublicEntry entry;
    entry.set_kind("RESULT");
    entry.set_key(absl::StrCat("result/", out.result_id()));
    entry.set_subject(out.credit_code());
    entry.set_publish_time(services::PublicTime(approved));
    *entry.mutable_result() = std::move(out);
    return services::PublicEntryJson(entry);
  }

  std::vector<std::string> Records(int64_t first, int64_t count) const {
    std::vector<std::string> out;
    out.reserve(count);
    for (int64_t i = first; i < first + count; ++i) out.push_back(Record(i));
    return out;
  }

 private:
  const uint64_t seed_;
  const int64_t enterprises_;
  int64_t stride_;
  const disclosure::HolidayCalendar calendar_;
  const absl::TimeZone china_;
};

// ---------------------------------------------------------------------------------------
// Reporting.

int Fail(absl::string_view what, const absl::Status& status) {
  std::fprintf(stderr, "%s: %s\n", std::string(what).c_str(), status.ToString().c_str());
  return 1;
}

struct DiskUsage {
  int64_t files = 0;
  int64_t bytes = 0;      // apparent size
  int64_t allocated = 0;  // blocks on disk
};

DiskUsage g_usage;
int CountFile(const char*, const struct stat* st, int type, struct FTW*) {
  if (type == FTW_F) {
    ++g_usage.files;
    g_usage.bytes += st->st_size;
  }
  g_usage.allocated += static_cast<int64_t>(st->st_blocks) * 512;
  return 0;
}

DiskUsage Usage(const std::string& dir) {
  g_usage = {};
  nftw(dir.c_str(), CountFile, 64, FTW_PHYS);
  return g_usage;
}

std::string Mib(int64_t bytes) { return absl::StrFormat("%.1f MiB", bytes / 1048576.0); }

// What a written path is, for the breakdown.
std::string KindOfPath(const std::string& path) {
  if (absl::StartsWith(path, "tile/entries/")) return "tiles: entry bundles";
  if (absl::StartsWith(path, "tile/")) return "tiles: hash tiles";
  if (absl::StartsWith(path, "record/")) {
    if (absl::EndsWith(path, ".html")) return "record pages (.html)";
    return absl::EndsWith(path, ".salt") ? "record salts (.salt)" : "record bodies (.json)";
  }
  if (absl::StartsWith(path, "enterprise/")) {
    return absl::EndsWith(path, ".html") ? "enterprise pages (.html)" : "enterprise lists (.json)";
  }
  if (absl::StartsWith(path, "search/code/")) return "search shards: codes";
  if (absl::StartsWith(path, "search/name/")) return "search shards: names";
  if (absl::StartsWith(path, "downloads/")) return "downloads (json, csv)";
  if (absl::StartsWith(path, "plan/") || absl::StartsWith(path, "draws/")) return "plans, draws";
  if (absl::StartsWith(path, "assets/")) return "assets";
  if (path == "checkpoint" || path == "verifier.key") return "checkpoint, verifier.key";
  if (path.find('/') == std::string::npos) return "indexes (home, search, plans, downloads, verify, feed, state)";
  return absl::StrCat("other (", path.substr(0, path.find('/')), ")");
}

void PrintBreakdown(const std::vector<std::string>& written, bool list_small) {
  std::map<std::string, std::vector<const std::string*>> kinds;
  for (const std::string& p : written) kinds[KindOfPath(p)].push_back(&p);
  std::vector<std::string> sorted = written;
  std::sort(sorted.begin(), sorted.end());
  const size_t distinct = std::unique(sorted.begin(), sorted.end()) - sorted.begin();
  std::fprintf(stderr, "  files written by kind (%zu writes, %zu distinct files):\n",
               written.size(), distinct);
  for (const auto& [kind, paths] : kinds) {
    std::fprintf(stderr, "    %8zu  %s", paths.size(), kind.c_str());
    if (list_small && paths.size() <= 12) {
      std::string names;
      for (const std::string* p : paths) absl::StrAppend(&names, names.empty() ? "" : " ", *p);
      std::fprintf(stderr, ": %s", names.c_str());
    }
    std::fprintf(stderr, "\n");
  }
}

// Progress of a long publish, on its own thread: every `interval`, the records fetched
// from the log, the records built and the files written (as of the publisher's last
// batch), and the phase.
class PublishTicker {
 public:
  PublishTicker(const site::TransparencyLogSource* source, int64_t total, absl::Duration interval)
      : source_(source), base_(source->records_served()), total_(total), start_(absl::Now()),
        thread_([this, interval] {
          while (!stop_.WaitForNotificationWithTimeout(interval)) Print();
        }) {}
  ~PublishTicker() {
    stop_.Notify();
    thread_.join();
  }

  // For PublishOptions::progress (called on the publisher's thread).
  void Update(const site::PublishProgress& p) {
    done_.store(p.records_done);
    files_.store(p.files_written);
  }

 private:
  void Print() const {
    const int64_t fetched = source_->records_served() - base_;
    const int64_t done = done_.load();
    const char* phase = fetched == 0     ? "log tiles (staged, checked, installed)"
                        : fetched > done ? "record, enterprise pages of the current batch"
                                         : "search shards, indexes, checkpoint";
    std::fprintf(stderr,
                 "  publish %4.0f s: %lld/%lld records fetched, %lld built, %lld files written "
                 "(at the last batch); now: %s\n",
                 Seconds(absl::Now() - start_), static_cast<long long>(fetched),
                 static_cast<long long>(total_), static_cast<long long>(done),
                 static_cast<long long>(files_.load()), phase);
  }

  const site::TransparencyLogSource* const source_;
  const int64_t base_;
  const int64_t total_;
  const absl::Time start_;
  std::atomic<int64_t> done_{0};
  std::atomic<int64_t> files_{0};
  absl::Notification stop_;
  std::thread thread_;
};

// Time spent on one part of the appends.
struct AppendTimes {
  absl::Duration in_append;   // TransparencyLog::Append of the leaves
  absl::Duration in_bodies;   // sealing the bodies and writing them with their salts
};

absl::Status AppendAll(disclosure::TransparencyLog& log, storage::KvStore& store,
                       const ResultGenerator& gen, int64_t first, int64_t count, int batch,
                       bool sync, AppendTimes* times, bool report) {
  absl::Time last_report = absl::Now();
  for (int64_t done = 0; done < count;) {
    const int64_t n = std::min<int64_t>(batch, count - done);
    std::vector<std::string> chunk = gen.Records(first + done, n);
    absl::Time start = absl::Now();
    storage::WriteBatch bodies;
    std::vector<std::string> leaves;
    leaves.reserve(chunk.size());
    for (std::string& body : chunk) {
      absl::StatusOr<disclosure::SealedBody> sealed =
          disclosure::SealBody(std::move(body), disclosure::NewSalt());
      if (!sealed.ok()) return sealed.status();
      disclosure::StagePublicBody(sealed->entry.key(), sealed->body, sealed->salt, &bodies);
      leaves.push_back(std::move(sealed->leaf));
    }
    storage::WriteOptions write_options;
    write_options.sync = sync;
    if (absl::Status written = store.Write(bodies, write_options); !written.ok()) return written;
    times->in_bodies += absl::Now() - start;
    start = absl::Now();
    absl::StatusOr<std::vector<uint64_t>> indices = log.Append(leaves);
    times->in_append += absl::Now() - start;
    if (!indices.ok()) return indices.status();
    done += n;
    if (report && absl::Now() - last_report > absl::Seconds(5)) {
      std::fprintf(stderr, "  %lld appended, %.0f/s inside Append\n", static_cast<long long>(done),
                   done / Seconds(times->in_append));
      last_report = absl::Now();
    }
  }
  return absl::OkStatus();
}

int Run() {
  const absl::Time run_start = absl::Now();
  const int64_t records = absl::GetFlag(FLAGS_records);
  const int batch = std::max(1, absl::GetFlag(FLAGS_batch));
  const bool sync = absl::GetFlag(FLAGS_sync);
  const int64_t proofs = absl::GetFlag(FLAGS_proofs);
  const int proof_threads = std::max(1, absl::GetFlag(FLAGS_proof_threads));
  const int incremental = absl::GetFlag(FLAGS_incremental);
  if (records < 1 || incremental < 1) {
    return Fail("flags", absl::InvalidArgumentError("--records and --incremental must be >= 1"));
  }
  std::string work = absl::GetFlag(FLAGS_work_dir);
  if (work.empty()) {
    char templ[] = "/tmp/log-bench.XXXXXX";
    if (mkdtemp(templ) == nullptr) return Fail("mkdtemp", absl::InternalError(strerror(errno)));
    work = templ;
  } else {
    std::error_code error;
    std::filesystem::create_directories(work, error);
    if (error) return Fail("work_dir", absl::InternalError(error.message()));
  }

  absl::StatusOr<disclosure::HolidayCalendar> calendar =
      disclosure::HolidayCalendar::Parse(disclosure::EmbeddedHolidayCalendar());
  if (!calendar.ok()) return Fail("holiday calendar", calendar.status());
  const ResultGenerator gen(absl::GetFlag(FLAGS_seed), absl::GetFlag(FLAGS_enterprises), *calendar);
  {
    // The generated credit codes are valid (check characters included).
    for (int64_t e : {int64_t{0}, int64_t{1}, gen.enterprises() / 2, gen.enterprises() - 1}) {
      const Enterprise x = gen.EnterpriseOf(e);
      if (absl::Status ok = ValidateCreditCode(x.credit_code); !ok.ok()) {
        return Fail(absl::StrCat("generated credit code ", x.credit_code), ok);
      }
    }
    const std::string sample = gen.Record(0);
    absl::StatusOr<v1::PublicEntry> parsed = site::ParsePublicEntry(sample);
    if (!parsed.ok()) return Fail("generated record", parsed.status());
    absl::StatusOr<disclosure::SealedBody> sealed = disclosure::SealBody(sample, disclosure::NewSalt());
    if (!sealed.ok()) return Fail("generated record", sealed.status());
    if (absl::Status ok = ValidateCreditCode(parsed->result().credit_code()); !ok.ok()) {
      return Fail("generated record's credit code", ok);
    }
    std::fprintf(stderr,
                 "%lld RESULT records (bodies of PublicEntry JSON, %zu bytes for the first; "
                 "leaves of %zu bytes) about %lld enterprises, seed %llu, appended in batches "
                 "of %d, sync %s, in %s\n"
                 "  record 0: %s\n",
                 static_cast<long long>(records), sample.size(), sealed->leaf.size(),
                 static_cast<long long>(gen.enterprises()),
                 static_cast<unsigned long long>(absl::GetFlag(FLAGS_seed)), batch,
                 sync ? "on (fsync per Append and before the site's checkpoint)"
                      : "OFF (--nosync: no fsync of the log nor of the site)",
                 work.c_str(), sample.c_str());
  }

  storage::RocksDbOptions db_options;
  db_options.path = work + "/db";
  absl::StatusOr<std::unique_ptr<storage::KvStore>> store = storage::OpenRocksDbStore(db_options);
  if (!store.ok()) return Fail("open store", store.status());
  absl::StatusOr<disclosure::SigningKey> key =
      disclosure::SigningKey::LoadOrGenerate(work + "/log.pem", kOrigin);
  if (!key.ok()) return Fail("signing key", key.status());
  disclosure::TransparencyLogOptions log_options;
  log_options.sync = sync;
  absl::StatusOr<std::unique_ptr<disclosure::TransparencyLog>> opened =
      disclosure::TransparencyLog::Open(store->get(), *key, log_options);
  if (!opened.ok()) return Fail("open log", opened.status());
  disclosure::TransparencyLog& log = **opened;

  // (a) Appends.
  AppendTimes times;
  absl::Time start = absl::Now();
  if (absl::Status s = AppendAll(log, **store, gen, 0, records, batch, sync, &times, true); !s.ok()) {
    return Fail("append", s);
  }
  const double appends_per_s = records / Seconds(times.in_append);
  const double bodies_per_s = records / Seconds(times.in_bodies);
  const int64_t batches = (records + batch - 1) / batch;
  std::fprintf(stderr,
               "appends: %.0f records/s inside Append (%lld batches, %.2f ms per batch, sync %s); "
               "bodies: %.0f records/s sealed and stored with their salts; "
               "%.1f s wall with record generation\n",
               appends_per_s, static_cast<long long>(batches),
               1000 * Seconds(times.in_append) / batches, sync ? "on" : "off", bodies_per_s,
               Seconds(absl::Now() - start));

  // (b) Inclusion proofs at the final size.
  const disclosure::SignedCheckpoint final_cp = log.Checkpoint();
  std::atomic<int64_t> proof_failures{0};
  const absl::Time proofs_start = absl::Now();
  std::vector<std::thread> threads;
  for (int t = 0; t < proof_threads; ++t) {
    threads.emplace_back([&, t] {
      SplitMix64 rng(1000 + t);
      const int64_t mine = proofs / proof_threads + (t < proofs % proof_threads ? 1 : 0);
      for (int64_t i = 0; i < mine; ++i) {
        const uint64_t index = rng.Below(final_cp.size);
        absl::StatusOr<std::vector<std::string>> proof = log.InclusionProof(index, final_cp.size);
        if (!proof.ok() || (final_cp.size > 1 && proof->empty())) ++proof_failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const double proofs_per_s = proofs / Seconds(absl::Now() - proofs_start);
  if (proof_failures > 0) {
    return Fail("proofs", absl::InternalError(absl::StrCat(proof_failures.load(), " failed")));
  }
  // Spot check: a few proofs verify against the checkpoint.
  for (uint64_t index : {uint64_t{0}, final_cp.size / 3, final_cp.size - 1}) {
    absl::StatusOr<std::vector<std::string>> proof = log.InclusionProof(index, final_cp.size);
    absl::StatusOr<std::string> entry = log.Entry(index);
    if (!proof.ok() || !entry.ok()) return Fail("proof", proof.status());
    absl::Status ok = disclosure::VerifyInclusion(
        index, final_cp.size, disclosure::LeafHash(*entry), *proof, final_cp.root_hash);
    if (!ok.ok()) return Fail("proof verification", ok);
  }
  std::fprintf(stderr, "inclusion proofs: %.0f/s on %d thread(s), at tree size %llu\n",
               proofs_per_s, proof_threads, static_cast<unsigned long long>(final_cp.size));

  // (c) The site: published once in full, then incrementally.
  const std::string site_dir = work + "/site";
  site::TransparencyLogSource source(&log, store->get(), nullptr);
  site::PublishOptions publish_options;
  publish_options.sync = sync;
  absl::StatusOr<site::PublishReport> full;
  start = absl::Now();
  {
    PublishTicker ticker(&source, static_cast<int64_t>(log.size()),
                         absl::Seconds(absl::GetFlag(FLAGS_progress_s)));
    publish_options.progress = [&](const site::PublishProgress& p) { ticker.Update(p); };
    full = site::Publish(source, site_dir, publish_options);
  }
  const double full_s = Seconds(absl::Now() - start);
  if (!full.ok()) return Fail("first publish", full.status());
  const DiskUsage after_full = Usage(site_dir);
  std::fprintf(stderr,
               "first publish: %lld records, %lld files written in %.1f s (%.0f records/s); site: "
               "%lld files, %s (%s on disk)\n",
               static_cast<long long>(full->records), static_cast<long long>(full->files_written),
               full_s, full->records / full_s, static_cast<long long>(after_full.files),
               Mib(after_full.bytes).c_str(), Mib(after_full.allocated).c_str());
  PrintBreakdown(full->written, false);
  full->written.clear();
  full->written.shrink_to_fit();

  const uint64_t published = log.size();
  AppendTimes incremental_times;
  if (absl::Status s = AppendAll(log, **store, gen, static_cast<int64_t>(published), incremental,
                                 batch, sync, &incremental_times, false);
      !s.ok()) {
    return Fail("append", s);
  }
  publish_options.progress = nullptr;
  start = absl::Now();
  absl::StatusOr<site::PublishReport> delta = site::Publish(source, site_dir, publish_options);
  const double incremental_s = Seconds(absl::Now() - start);
  if (!delta.ok()) return Fail("incremental publish", delta.status());
  const DiskUsage after_delta = Usage(site_dir);
  std::fprintf(stderr,
               "incremental publish of %d records on top of %llu (tree %lld -> %lld): %lld files "
               "written in %.3f s; site: %lld files, %s (%s on disk)\n",
               incremental, static_cast<unsigned long long>(published),
               static_cast<long long>(delta->previous_size),
               static_cast<long long>(delta->tree_size),
               static_cast<long long>(delta->files_written), incremental_s,
               static_cast<long long>(after_delta.files), Mib(after_delta.bytes).c_str(),
               Mib(after_delta.allocated).c_str());
  PrintBreakdown(delta->written, true);
  std::fprintf(stderr, "  %.1f files per new record; %.3f%% of the site's files\n",
               static_cast<double>(delta->files_written) / incremental,
               100.0 * delta->files_written / std::max<int64_t>(1, after_delta.files));

  if (absl::GetFlag(FLAGS_verify)) {
    start = absl::Now();
    // As `regctl verify-log` checks a site: the tree, and every body against its leaf.
    disclosure::BodyCheck bodies([&site_dir](uint64_t index)
                                     -> absl::StatusOr<disclosure::BodyCheck::Body> {
      const int64_t i = static_cast<int64_t>(index);
      absl::StatusOr<std::string> body = ReadWholeFile(
          absl::StrCat(site_dir, "/", site::RecordBodyPath(i)));
      if (!body.ok()) return body.status();
      absl::StatusOr<std::string> salt_file = ReadWholeFile(
          absl::StrCat(site_dir, "/", site::RecordSaltPath(i)));
      if (!salt_file.ok()) return salt_file.status();
      absl::StatusOr<std::string> salt = site::ParseSaltFile(*salt_file);
      if (!salt.ok()) return salt.status();
      return disclosure::BodyCheck::Body{*std::move(body), *std::move(salt)};
    });
    absl::StatusOr<disclosure::VerifiedLog> verified = disclosure::VerifyLogDirectory(
        site_dir, key->verifier(), nullptr,
        [&bodies](uint64_t index, const std::string& leaf) { return bodies.Check(index, leaf); });
    const absl::Status complete = verified.ok() ? bodies.Finish() : verified.status();
    if (!complete.ok()) return Fail("offline verification", complete);
    std::fprintf(stderr,
                 "offline verification of %llu entries, %llu bodies and %llu hash tiles: %.2f s\n",
                 static_cast<unsigned long long>(verified->entries),
                 static_cast<unsigned long long>(bodies.bodies_checked()),
                 static_cast<unsigned long long>(verified->hash_tiles),
                 Seconds(absl::Now() - start));
  }

  const DiskUsage db = Usage(work + "/db");
  std::fprintf(stderr, "database: %s (%s on disk)\n", Mib(db.bytes).c_str(),
               Mib(db.allocated).c_str());
  std::fprintf(stderr, "goals: appends %.0f/s >= 50,000: %s; proofs %.0f/s >= 20,000: %s\n",
               appends_per_s, appends_per_s >= 50000 ? "met" : "NOT met", proofs_per_s,
               proofs_per_s >= 20000 ? "met" : "NOT met");

  opened->reset();
  store->reset();
  if (!absl::GetFlag(FLAGS_keep)) {
    start = absl::Now();
    std::error_code ignored;
    std::filesystem::remove_all(work, ignored);
    std::fprintf(stderr, "removed %s in %.1f s\n", work.c_str(), Seconds(absl::Now() - start));
  } else {
    std::fprintf(stderr, "kept %s\n", work.c_str());
  }
  std::fprintf(stderr, "total wall time %.1f s\n", Seconds(absl::Now() - run_start));
  std::printf(
      "{\"appends_per_s\": %.0f, \"proofs_per_s\": %.0f, \"incremental_publish_s\": %.4f, "
      "\"files_written\": %lld, \"bodies_per_s\": %.0f}\n",
      appends_per_s, proofs_per_s, incremental_s, static_cast<long long>(delta->files_written),
      bodies_per_s);
  return 0;
}

}  // namespace
}  // namespace regulation::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return regulation::bench::Run();
}
