#include "tools/bench/load_mix.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"

namespace regulation::bench {
namespace {

void SetDeadline(grpc::ClientContext* context, absl::Duration deadline) {
  context->set_deadline(absl::ToChronoTime(absl::Now() + deadline));
}

}  // namespace

absl::StatusOr<Mix> ParseMix(absl::string_view text) {
  Mix mix{0, 0, 0, 0};
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv = absl::StrSplit(part, ':');
    double weight = 0;
    if (!absl::SimpleAtod(kv.second, &weight) || weight < 0) {
      return absl::InvalidArgumentError(absl::StrCat("--mix: bad weight in ", part));
    }
    if (kv.first == "read") {
      mix.read = weight;
    } else if (kv.first == "write") {
      mix.write = weight;
    } else if (kv.first == "ingest") {
      mix.ingest = weight;
    } else if (kv.first == "watch") {
      mix.watch = weight;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("--mix: unknown operation ", kv.first, " (read, write, ingest, watch)"));
    }
  }
  if (mix.read + mix.write + mix.ingest + mix.watch <= 0) {
    return absl::InvalidArgumentError("--mix: every weight is zero");
  }
  return mix;
}

MixedLoad::MixedLoad(MixOptions options, std::vector<CallerStubs>* callers,
                     std::vector<v1::Enterprise> directory)
    : options_(options),
      callers_(callers),
      directory_(std::move(directory)),
      next_serial_(callers->size(), 0) {}

void MixedLoad::Step(int caller, SplitMix64& rng) {
  const Mix& m = options_.mix;
  const double total = m.read + m.write + m.ingest + m.watch;
  const double pick = static_cast<double>(rng.Below(1000000)) / 1e6 * total;
  const absl::Time start = absl::Now();
  if (pick < m.read) {
    const grpc::Status status = Read(caller, rng);
    read.Record(absl::Now() - start, status.error_code());
  } else if (pick < m.read + m.write) {
    const grpc::Status status = Write(caller, rng);
    write.Record(absl::Now() - start, status.error_code());
  } else if (pick < m.read + m.write + m.ingest) {
    const grpc::Status status = Ingest(caller, rng);
    ingest.Record(absl::Now() - start, status.error_code());
  } else {
    const grpc::Status status = Watch(caller);
    watch.Record(absl::Now() - start, status.error_code());
  }
}

grpc::Status MixedLoad::Read(int caller, SplitMix64& rng) {
  grpc::ClientContext context;
  SetDeadline(&context, options_.deadline);
  v1::GetEnterpriseRequest request;
  request.set_credit_code(directory_[rng.Below(directory_.size())].credit_code());
  v1::Enterprise response;
  return (*callers_)[caller].agency->GetEnterprise(&context, request, &response);
}

grpc::Status MixedLoad::Write(int caller, SplitMix64& rng) {
  grpc::ClientContext context;
  SetDeadline(&context, options_.deadline);
  v1::UpsertEnterpriseRequest request;
  *request.mutable_enterprise() = directory_[rng.Below(directory_.size())];
  request.mutable_enterprise()->set_name(
      absl::StrCat(request.enterprise().name(), " ", caller, "-", next_serial_[caller]++));
  v1::UpsertEnterpriseResponse response;
  return (*callers_)[caller].agency->UpsertEnterprise(&context, request, &response);
}

grpc::Status MixedLoad::Ingest(int caller, SplitMix64& rng) {
  grpc::ClientContext context;
  SetDeadline(&context, options_.deadline);
  v1::IngestEventsRequest request;
  request.set_batch_number(1);
  for (int i = 0; i < options_.ingest_batch; ++i) {
    v1::Event* e = request.add_events();
    e->set_event_id(absl::StrCat("load-", caller, "-", next_serial_[caller]++));
    e->set_source_department("samr");
    e->set_credit_code(directory_[rng.Below(directory_.size())].credit_code());
    e->mutable_occur_time()->set_seconds(1700000000 + static_cast<int64_t>(rng.Below(10000000)));
    e->mutable_complaint()->set_channel("12315");
    e->mutable_complaint()->set_substantiated(rng.Below(2) == 0);
  }
  auto stream = (*callers_)[caller].agency->IngestEvents(&context);
  v1::IngestEventsResponse ack;
  if (stream->Write(request)) stream->Read(&ack);
  stream->WritesDone();
  return stream->Finish();
}

grpc::Status MixedLoad::Watch(int caller) {
  grpc::ClientContext context;
  SetDeadline(&context, options_.watch_hold);
  auto reader = (*callers_)[caller].inspector->WatchAssignments(&context, {});
  v1::Assignment assignment;
  while (reader->Read(&assignment)) {
  }
  const grpc::Status status = reader->Finish();
  // Held open until its own deadline: that is a watch served as asked.
  if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) return grpc::Status::OK;
  return status;
}

}  // namespace regulation::bench
