#include "storage/column_family.h"

namespace regulation::storage {

absl::string_view ColumnFamilyName(ColumnFamily cf) {
  switch (cf) {
    case ColumnFamily::kEnterprises:
      return "enterprises";
    case ColumnFamily::kEnterprisesByRegion:
      return "enterprises_by_region";
    case ColumnFamily::kIdempotency:
      return "idempotency";
    case ColumnFamily::kAudit:
      return "audit";
    case ColumnFamily::kEvents:
      return "events";
    case ColumnFamily::kEventIds:
      return "event_ids";
    case ColumnFamily::kPortraits:
      return "portraits";
    case ColumnFamily::kModels:
      return "models";
    case ColumnFamily::kScores:
      return "scores";
    case ColumnFamily::kInspectors:
      return "inspectors";
    case ColumnFamily::kConflicts:
      return "conflicts";
    case ColumnFamily::kItems:
      return "items";
    case ColumnFamily::kPlans:
      return "plans";
    case ColumnFamily::kPlanPopulation:
      return "plan_population";
    case ColumnFamily::kAssignments:
      return "assignments";
    case ColumnFamily::kInspectionHistory:
      return "inspection_history";
    case ColumnFamily::kLogEntries:
      return "log_entries";
    case ColumnFamily::kLogHashes:
      return "log_hashes";
    case ColumnFamily::kLogState:
      return "log_state";
    case ColumnFamily::kPublicationQueue:
      return "publication_queue";
    case ColumnFamily::kPublished:
      return "published";
    case ColumnFamily::kResults:
      return "results";
    case ColumnFamily::kPublicSubjects:
      return "public_subjects";
    case ColumnFamily::kEntropySources:
      return "entropy_sources";
    case ColumnFamily::kPublicBodies:
      return "public_bodies";
    case ColumnFamily::kWithdrawals:
      return "withdrawals";
    case ColumnFamily::kDrawChunks:
      return "draw_chunks";
    case ColumnFamily::kAlerts:
      return "alerts";
    case ColumnFamily::kAlertRules:
      return "alert_rules";
    case ColumnFamily::kObjections:
      return "objections";
    case ColumnFamily::kIngestLog:
      return "ingest_log";
    case ColumnFamily::kScoreChangeOutbox:
      return "score_change_outbox";
    case ColumnFamily::kFeatureRows:
      return "feature_rows";
  }
  return "unknown";
}

}  // namespace regulation::storage
