#ifndef STORAGE_COLUMN_FAMILY_H_
#define STORAGE_COLUMN_FAMILY_H_

#include <array>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace regulation::storage {

// One column family per kind of record. This is the only list: the RocksDB store
// creates exactly these at open, and their names are part of the on-disk format
// (never rename one; add new kinds at the end).
enum class ColumnFamily : uint8_t {
  // Enterprise records by credit code.
  kEnterprises = 0,
  // Secondary index: region code + credit code -> empty.
  kEnterprisesByRegion = 1,
  // Idempotency records: RPC + request id -> request digest and response.
  kIdempotency = 2,
  // The audit trail: sequence (8 bytes, big-endian) -> regulation.v1.AuditRecord.
  kAudit = 3,
  // Events: credit code + occur time (int64 micros) + event id -> regulation.v1.Event, so
  // that one enterprise's events are one range, in time order.
  kEvents = 4,
  // Event ids: event id -> regulation.internal.EventIdRecord (where it is stored, and a
  // digest of what it said).
  kEventIds = 5,
  // Portrait state by credit code -> regulation.internal.PortraitState.
  kPortraits = 6,
  // Models and scoring settings: "model/<version>" -> regulation.internal.ModelRecord,
  // "settings" -> regulation.internal.ScoringSettings.
  kModels = 7,
  // The latest batch score of each enterprise: credit code -> regulation.v1.RiskScore.
  kScores = 8,
  // The inspector roster: inspector id -> regulation.v1.Inspector.
  kInspectors = 9,
  // Declared conflicts: "i/<inspector id>/<credit code>" and "c/<credit code>/<inspector
  // id>" -> regulation.v1.Conflict (both directions, written together).
  kConflicts = 10,
  // The inspection item list: item id -> regulation.v1.InspectionItem.
  kItems = 11,
  // Plans: plan id -> regulation.internal.PlanRecord (plan, commitment, frozen roster,
  // sealed nonce, draws).
  kPlans = 12,
  // Frozen populations: plan id (encoded) + credit code -> class and region code.
  kPlanPopulation = 13,
  // Assignments: "i/<inspector>/<plan>/<code>" and "p/<plan>/<code>/<inspector>" ->
  // regulation.v1.Assignment.
  kAssignments = 14,
  // Who last inspected whom (rotation): credit code -> regulation.internal.LastTeam.
  kInspectionHistory = 15,
  // The disclosure transparency log's entries: index (8 bytes, big-endian) -> entry bytes
  // (disclosure/transparency_log.h).
  kLogEntries = 16,
  // The log's Merkle tree as hash tiles: tile level (1 byte) + tile index (8 bytes,
  // big-endian) -> the RFC 6962 hashes of tree levels 8L..8L+7 under that C2SP tile, row
  // by row (disclosure/transparency_log.h).
  kLogHashes = 17,
  // The log's state: "tree" -> size + root hash; "checkpoint" -> the latest signed note.
  kLogState = 18,
  // Public records staged for the log, written in the same batch as the change they
  // disclose: sequence (8 bytes, big-endian) -> regulation.internal.QueuedPublication
  // (disclosure/publication_queue.h).
  kPublicationQueue = 19,
  // Where each published record landed: record key -> log index (8 bytes, big-endian).
  kPublished = 20,
  // Inspection results: result id ("<plan id>.<credit code>") ->
  // regulation.v1.InspectionResult.
  kResults = 21,
  // Published records by subject: subject (encoded) + log index (8 bytes, big-endian) ->
  // empty. A plan's or an enterprise's records in log order.
  kPublicSubjects = 22,
  // Registered entropy sources (docs/draw-spec.md §4.1): source id ->
  // regulation.v1.RegisteredEntropySource.
  kEntropySources = 23,
  // What each log leaf commits to: record key -> regulation.internal.PublicBody (the
  // PublicEntry JSON and its salt, or a tombstone once withdrawn;
  // disclosure/public_body_store.h).
  kPublicBodies = 24,
  // Withdrawal requests: log index (8 bytes, big-endian) -> regulation.v1.Withdrawal.
  kWithdrawals = 25,
  // Draw rounds kept in parts (services/inspection/draw_archive.h): "<plan id>/<round, 6
  // digits>/b/<part, 6 digits>" -> the bundle's part bytes; "<plan id>/<round>/t/<slice, 6
  // digits>" -> regulation.internal.DrawSlice.
  kDrawChunks = 26,
  // Alerts (services/alerts/alert_book.h): alert id -> regulation.v1.Alert.
  kAlerts = 27,
  // The alert rules in force: "rules" -> regulation.v1.AlertRules (absent: the defaults).
  kAlertRules = 28,
  // Objections (services/disclosure/objection_desk.h): objection id ("<result id>/<n>") ->
  // regulation.v1.Objection.
  kObjections = 29,
  // Ingestion's log of derived-state changes (services/portrait/live_portraits.h):
  // "l" + sequence (8 bytes, big-endian) -> the credit codes whose portrait states a
  // commit changed, until a checkpoint writes those states back; "c" -> the sequence the
  // latest checkpoint includes. Keys append.
  kIngestLog = 30,
  // scoringd's score changes not yet delivered to the alerts' home
  // (services/seams/score_change_outbox.h): credit code, NUL, the previous score's time
  // (micros, 8 bytes big-endian), the new class (1 byte) -> regulation.internal.v1.ScoreChange.
  kScoreChangeOutbox = 31,
  // ScoreAll's feature snapshot (scoring/feature_row.h): credit code -> one flat binary
  // row holding what the features need from the enterprise and its stored portrait
  // state, written in the same batch as either; "~complete" -> the row format once every
  // enterprise has its row (services/portrait/feature_rows.h).
  kFeatureRows = 32,
};

inline constexpr std::array<ColumnFamily, 33> kAllColumnFamilies = {
    ColumnFamily::kEnterprises,    ColumnFamily::kEnterprisesByRegion,
    ColumnFamily::kIdempotency,    ColumnFamily::kAudit,
    ColumnFamily::kEvents,         ColumnFamily::kEventIds,
    ColumnFamily::kPortraits,      ColumnFamily::kModels,
    ColumnFamily::kScores,         ColumnFamily::kInspectors,
    ColumnFamily::kConflicts,      ColumnFamily::kItems,
    ColumnFamily::kPlans,          ColumnFamily::kPlanPopulation,
    ColumnFamily::kAssignments,    ColumnFamily::kInspectionHistory,
    ColumnFamily::kLogEntries,     ColumnFamily::kLogHashes,
    ColumnFamily::kLogState,       ColumnFamily::kPublicationQueue,
    ColumnFamily::kPublished,      ColumnFamily::kResults,
    ColumnFamily::kPublicSubjects, ColumnFamily::kEntropySources,
    ColumnFamily::kPublicBodies,   ColumnFamily::kWithdrawals,
    ColumnFamily::kDrawChunks,     ColumnFamily::kAlerts,
    ColumnFamily::kAlertRules,     ColumnFamily::kObjections,
    ColumnFamily::kIngestLog,      ColumnFamily::kScoreChangeOutbox,
    ColumnFamily::kFeatureRows,
};

// The on-disk name of a column family, e.g. "enterprises".
absl::string_view ColumnFamilyName(ColumnFamily cf);

}  // namespace regulation::storage

#endif  // STORAGE_COLUMN_FAMILY_H_
