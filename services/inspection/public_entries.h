#ifndef SERVICES_INSPECTION_PUBLIC_ENTRIES_H_
#define SERVICES_INSPECTION_PUBLIC_ENTRIES_H_

// The public log entries of the draw side (regulation.v1.PublicEntry as JSON): a plan's
// commitment, logged before any randomness exists; each draw round, logged with its
// bundle's digest and statements; each replacement round's announcement, logged before
// its randomness exists; and each entropy source's registration and retirement. None names an enterprise's class; free text entered by agencies
// (titles, legal bases, reasons) goes through disclosure::RedactPersonalData.

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "regulation/v1/entropy.pb.h"
#include "regulation/v1/inspection.pb.h"
#include "regulation/v1/inspection_service.pb.h"
#include "regulation/v1/public_record.pb.h"
#include "scheduler/plan_spec.h"

namespace regulation::services {

// The record keys (unique in the log).
std::string CommitmentRecordKey(absl::string_view plan_id);
std::string DrawRecordKey(absl::string_view plan_id, int round);
std::string AnnouncementRecordKey(absl::string_view plan_id, int round);

// RFC 3339, UTC, to the microsecond.
std::string PublicTime(absl::Time t);

// The plan as published: its draw fields plus each item's title and legal basis.
v1::PublicPlan PublicPlanOf(const v1::Plan& plan, const scheduler::PlanSpec& spec,
                            const std::vector<v1::InspectionItem>& items);

// The records' bodies (PublicEntry JSON, which their leaves commit to). `now` is the
// commit or draw time.
std::string CommitmentEntry(const v1::Plan& plan, const scheduler::PlanSpec& spec,
                            const std::vector<v1::InspectionItem>& items,
                            const v1::Commitment& commitment, absl::Time now);
std::string DrawEntry(const v1::Draw& draw, const std::vector<std::string>& replaced_codes,
                      absl::string_view replacement_reason, absl::Time now);
std::string AnnouncementEntry(const v1::ReplacementAnnouncement& announcement, absl::Time now);
// A source's registration or retirement; `event` is "REGISTERED" or "RETIRED".
std::string EntropySourceEntry(const v1::RegisteredEntropySource& source, absl::string_view event,
                               absl::Time now);

// JSON of any PublicEntry, field names as in the .proto.
std::string PublicEntryJson(const v1::PublicEntry& entry);

}  // namespace regulation::services

#endif  // SERVICES_INSPECTION_PUBLIC_ENTRIES_H_
