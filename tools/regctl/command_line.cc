#include "tools/regctl/command_line.h"

#include "absl/strings/match.h"
#include "absl/strings/strip.h"

namespace regulation::regctl {

ScannedCommandLine ScanCommandLine(const std::vector<std::string>& args,
                                   const std::function<FlagKind(absl::string_view)>& kind) {
  ScannedCommandLine scanned;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      scanned.positional.insert(scanned.positional.end(), args.begin() + i + 1, args.end());
      break;
    }
    absl::string_view name = arg;
    if (name.size() < 2 || !absl::ConsumePrefix(&name, "-")) {
      scanned.positional.push_back(arg);  // a word, or "-" (stdin)
      continue;
    }
    absl::ConsumePrefix(&name, "-");
    const size_t equals = name.find('=');
    const bool has_value = equals != absl::string_view::npos;
    if (has_value) name = name.substr(0, equals);
    if (name == "help" || name == "h") {
      scanned.help = true;
      continue;
    }
    FlagKind flag_kind = kind(name);
    if (flag_kind == FlagKind::kUnknown && !has_value && absl::StartsWith(name, "no") &&
        kind(name.substr(2)) == FlagKind::kBool) {
      name.remove_prefix(2);  // --noall
      flag_kind = FlagKind::kBool;
    }
    if (flag_kind == FlagKind::kUnknown) {
      scanned.unknown_flags.push_back(arg);
      continue;
    }
    scanned.flags.emplace_back(name);
    if (flag_kind == FlagKind::kValue && !has_value) ++i;  // --name value
  }
  return scanned;
}

}  // namespace regulation::regctl
