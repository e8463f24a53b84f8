#ifndef TOOLS_REGCTL_DRAW_EXPORT_H_
#define TOOLS_REGCTL_DRAW_EXPORT_H_

// The files of `regctl draw export PLAN_ID --out=DIR`: what an auditor's
// `regctl verify-draw` reads (docs/draw-spec.md §10).
//
//   DIR/roster.json      the frozen roster (inspectors, conflicts, last inspections)
//   DIR/population.csv   the frozen population with each enterprise's risk class
//   DIR/bundle-N.json    the public bundle of draw round N, byte for byte as stored
//
// The roster and population files are internal (risk classes are never published;
// conflicts name people), so they are written readable by their owner only (0600); the
// bundles are public (0644).
//
// Thread safety: stateless functions; two writers of one DIR race (the last file
// written wins).

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace regulation::regctl {

struct DrawExportFiles {
  std::string roster_json;
  std::string population_csv;
  // bundle_json of rounds 0, 1, ... in order.
  std::vector<std::string> bundles;
};

// Creates DIR (and its parents) if needed and writes every file, each atomically
// (written in full beside its final name, then renamed over it). Returns the paths
// written, in the order above. Errors name the path.
absl::StatusOr<std::vector<std::string>> WriteDrawExport(const std::string& dir,
                                                         const DrawExportFiles& files);

// DIR/bundle-N.json
std::string BundlePath(absl::string_view dir, int round);

// The command that verifies round `round` of an export in `dir`:
//   regctl verify-draw DIR/bundle-N.json --population=DIR/population.csv
//   --roster=DIR/roster.json
// (one line), with DIR quoted for a POSIX shell when it holds anything but
// A-Z a-z 0-9 and / . _ - + , : @ %.
std::string VerifyDrawCommandLine(absl::string_view dir, int round);

// Rows of a population file: its lines after the header.
int PopulationRows(absl::string_view population_csv);

// Writes `data` to `path` atomically with `mode` (0644 for public files), creating its
// directory (and parents) if needed. Errors name the path.
absl::Status WriteFileAtomic(const std::string& path, absl::string_view data, int mode = 0644);

}  // namespace regulation::regctl

#endif  // TOOLS_REGCTL_DRAW_EXPORT_H_
