// Every RPC of the API, called by every kind of caller over real mutual TLS: the status
// is the one the access table (services/access/rpc_policy.cc) says. Fails when an RPC
// has no row in the table.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "regulation/v1/disclosure_service.grpc.pb.h"
#include "regulation/v1/inspection_service.grpc.pb.h"
#include "services/access/rpc_policy.h"
#include "testing/status_matchers.h"
#include "tests/testing/api_methods.h"
#include "tests/testing/generic_call.h"
#include "tests/testing/secure_server.h"

namespace regulation {
namespace {

using access::Role;
using ::regulation::testing::StatusIs;

// A kind of caller and the channel it calls through.
struct Identity {
  std::string name;
  // For a valid certificate: its role. Unset for the others.
  std::optional<Role> role;
  enum class Kind { kValid, kNoCertificate, kExpired, kOtherCa, kRevoked } kind;
  std::shared_ptr<grpc::Channel> channel;
  // Role service: the service's name.
  std::string service_name;
};

bool Admitted(const grpc::Status& status) {
  return status.error_code() != grpc::StatusCode::PERMISSION_DENIED &&
         status.error_code() != grpc::StatusCode::UNAUTHENTICATED;
}

class AuthorizationMatrixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<testing::SecureTestServer>> server =
        testing::SecureTestServer::Start();
    ASSERT_OK(server);
    server_ = std::move(*server);
    using Kind = Identity::Kind;
    identities_.push_back({"agency", Role::kAgency, Kind::kValid,
                           server_->ChannelAs(testing::AgencyCertificate("3301"))});
    identities_.push_back({"inspector", Role::kInspector, Kind::kValid,
                           server_->ChannelAs(testing::InspectorCertificate("ZJ-0001"))});
    for (Role role : {Role::kAuditor, Role::kPublic, Role::kAdmin}) {
      identities_.push_back({std::string(access::RoleName(role)), role, Kind::kValid,
                             server_->ChannelAs(testing::RoleCertificate(role))});
    }
    identities_.push_back(
        {"no certificate", std::nullopt, Kind::kNoCertificate, server_->AnonymousChannel()});

    pki::CertificateRequest expired = testing::RoleCertificate(Role::kAdmin);
    expired.not_before = absl::Now() - absl::Hours(3);
    expired.not_after = absl::Now() - absl::Hours(1);
    absl::StatusOr<pki::KeyAndCertificate> expired_cert =
        pki::IssueCertificate(server_->ca(), expired);
    ASSERT_OK(expired_cert);
    identities_.push_back({"expired admin", std::nullopt, Kind::kExpired,
                           server_->ChannelWithCertificate(*expired_cert)});

    absl::StatusOr<pki::KeyAndCertificate> other_ca = pki::CreateCertificateAuthority(
        "another CA", absl::Now() - absl::Hours(1), absl::Now() + absl::Hours(48));
    ASSERT_OK(other_ca);
    absl::StatusOr<pki::KeyAndCertificate> foreign =
        pki::IssueCertificate(*other_ca, testing::RoleCertificate(Role::kAdmin));
    ASSERT_OK(foreign);
    identities_.push_back({"admin from another CA", std::nullopt, Kind::kOtherCa,
                           server_->ChannelWithCertificate(*foreign)});
    // Last, so that the indices above stay put.
    identities_.push_back({"enterprise", Role::kEnterprise, Kind::kValid,
                           server_->ChannelAs(testing::EnterpriseCertificate("91350100M000100Y43"))});
    // Service identities (the services as separate processes, docs/deploy.md): kept apart,
    // so that the tests below that go through identities_ see the API's callers only.
    for (const std::string name : {"scoringd", "inspectiond", "disclosured"}) {
      services_.push_back({absl::StrCat("service ", name), Role::kService, Kind::kValid,
                           server_->ChannelAs(testing::ServiceCertificate(name)), name});
    }
  }

  // The status an internal call (regulation.internal.v1) gets: only the named services
  // are admitted.
  grpc::StatusCode ExpectedInternal(const Identity& who, const access::RpcPolicy& policy,
                                    const grpc::Status& got) {
    if (who.kind == Identity::Kind::kValid && who.role == Role::kService) {
      return access::ServiceMayCall(policy, who.service_name) ? got.error_code()
                                                              : grpc::StatusCode::PERMISSION_DENIED;
    }
    return Expected(who, policy, got);
  }

  grpc::StatusCode Expected(const Identity& who, const access::RpcPolicy& policy,
                            const grpc::Status& got) {
    switch (who.kind) {
      case Identity::Kind::kExpired:
      case Identity::Kind::kOtherCa:
      case Identity::Kind::kRevoked:
        return grpc::StatusCode::UNAUTHENTICATED;
      case Identity::Kind::kNoCertificate:
        return policy.allowed.Contains(Role::kPublic) ? got.error_code()
                                                      : grpc::StatusCode::UNAUTHENTICATED;
      case Identity::Kind::kValid:
        return policy.allowed.Contains(*who.role) ? got.error_code()
                                                  : grpc::StatusCode::PERMISSION_DENIED;
    }
    return grpc::StatusCode::INTERNAL;
  }

  std::unique_ptr<testing::SecureTestServer> server_;
  std::vector<Identity> identities_;
  std::vector<Identity> services_;
};

TEST_F(AuthorizationMatrixTest, EveryRpcForEveryCallerGetsTheTablesStatus) {
  const std::vector<std::string> methods = testing::AllApiMethods();
  ASSERT_GT(methods.size(), 40u);
  int cells = 0;
  for (const std::string& method : methods) {
    const access::RpcPolicy* policy = access::FindRpcPolicy(method);
    ASSERT_NE(policy, nullptr) << method << " has no row in the access table";
    for (const Identity& who : identities_) {
      const grpc::Status got = testing::CallWithEmptyRequest(who.channel, method, absl::Seconds(5));
      const grpc::StatusCode expected = Expected(who, *policy, got);
      EXPECT_EQ(got.error_code(), expected)
          << method << " as " << who.name << ": " << got.error_message();
      if (expected != grpc::StatusCode::PERMISSION_DENIED &&
          expected != grpc::StatusCode::UNAUTHENTICATED) {
        EXPECT_TRUE(Admitted(got))
            << method << " as " << who.name << " was refused: " << got.error_message();
      }
      ++cells;
    }
  }
  EXPECT_EQ(cells, static_cast<int>(methods.size() * identities_.size()));
}

// A service identity reaches the public reads of the API and nothing else of it; the
// internal calls between services are for the services named in their rows only
// (scoringd reads portraits, inspectiond the population), and for no other caller.
TEST_F(AuthorizationMatrixTest, ServiceIdentitiesMakeOnlyTheirInternalCalls) {
  int cells = 0;
  for (const std::string& method : testing::AllApiMethods()) {
    const access::RpcPolicy* policy = access::FindRpcPolicy(method);
    ASSERT_NE(policy, nullptr) << method;
    for (const Identity& who : services_) {
      const grpc::Status got = testing::CallWithEmptyRequest(who.channel, method, absl::Seconds(5));
      EXPECT_EQ(got.error_code(), Expected(who, *policy, got))
          << method << " as " << who.name << ": " << got.error_message();
      if (!policy->allowed.Contains(Role::kPublic)) {
        EXPECT_EQ(got.error_code(), grpc::StatusCode::PERMISSION_DENIED)
            << method << " as " << who.name;
      }
      ++cells;
    }
  }
  const std::vector<std::string> internal = testing::AllInternalMethods();
  ASSERT_GE(internal.size(), 5u);
  int admitted = 0;
  for (const std::string& method : internal) {
    const access::RpcPolicy* policy = access::FindRpcPolicy(method);
    ASSERT_NE(policy, nullptr) << method << " has no row in the access table";
    for (const std::vector<Identity>* group : {&identities_, &services_}) {
      for (const Identity& who : *group) {
        const grpc::Status got =
            testing::CallWithEmptyRequest(who.channel, method, absl::Seconds(5));
        const grpc::StatusCode expected = ExpectedInternal(who, *policy, got);
        EXPECT_EQ(got.error_code(), expected)
            << method << " as " << who.name << ": " << got.error_message();
        if (Admitted(got)) {
          ++admitted;
          EXPECT_TRUE(who.role == Role::kService &&
                      access::ServiceMayCall(*policy, who.service_name))
              << method << " admitted " << who.name;
        }
        ++cells;
      }
    }
  }
  // The one service named in each internal call's row (scoringd reads portraits,
  // inspectiond reads the population and publishes, disclosured reads inspection and
  // records history), once per call.
  EXPECT_EQ(admitted, static_cast<int>(internal.size()));
  EXPECT_GT(cells, 0);
}

// Point-in-time scores are read like scores; a backtest reads every enterprise's history,
// so a region's agency may not run one.
TEST_F(AuthorizationMatrixTest, BacktestsAreForAuditorsAndAdminsAndPastScoresForReaders) {
  const std::string kScoring = "/regulation.v1.ScoringService/";
  for (const Identity& who : identities_) {
    if (who.kind != Identity::Kind::kValid) continue;
    const bool reader = who.role == Role::kAgency || who.role == Role::kAuditor ||
                        who.role == Role::kAdmin;
    const bool oversight = who.role == Role::kAuditor || who.role == Role::kAdmin;
    for (const auto& [method, allowed] :
         {std::pair<std::string, bool>{"ScoreAsOf", reader}, {"Backtest", oversight}}) {
      const grpc::Status got =
          testing::CallWithEmptyRequest(who.channel, kScoring + method, absl::Seconds(5));
      // Admitted, an empty request is refused for its content.
      EXPECT_EQ(got.error_code(), allowed ? grpc::StatusCode::INVALID_ARGUMENT
                                          : grpc::StatusCode::PERMISSION_DENIED)
          << method << " as " << who.name << ": " << got.error_message();
    }
  }
}

TEST_F(AuthorizationMatrixTest, RefusalsSayWhyWithoutData) {
  const Identity& publik = identities_[3];
  ASSERT_EQ(publik.role, Role::kPublic);
  const grpc::Status denied = testing::CallWithEmptyRequest(
      publik.channel, "/regulation.v1.PortraitService/ListEnterprises", absl::Seconds(5));
  EXPECT_THAT(denied, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(denied.error_message(),
            "/regulation.v1.PortraitService/ListEnterprises may be called by: agency, auditor, "
            "admin; you are public");
  const grpc::Status expired = testing::CallWithEmptyRequest(
      identities_[6].channel, "/regulation.v1.PortraitService/ListEnterprises", absl::Seconds(5));
  EXPECT_THAT(expired, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_EQ(expired.error_message(), "certificate expired");
}

// Entropy sources decide whose values may enter a seed: only an admin registers or
// retires one; everyone, anonymous callers included, may read the registry to check
// statements against it.
TEST_F(AuthorizationMatrixTest, OnlyAnAdminRegistersEntropySourcesAndAnyoneListsThem) {
  const std::string kInspection = "/regulation.v1.InspectionService/";
  for (const Identity& who : identities_) {
    if (who.kind != Identity::Kind::kValid && who.kind != Identity::Kind::kNoCertificate) {
      continue;
    }
    const bool admin = who.role == Role::kAdmin;
    for (const char* write : {"RegisterEntropySource", "RetireEntropySource"}) {
      const grpc::Status got = testing::CallWithEmptyRequest(
          who.channel, kInspection + write, absl::Seconds(5));
      // An admin's empty request is admitted and refused for its content.
      EXPECT_EQ(got.error_code(), admin ? grpc::StatusCode::INVALID_ARGUMENT
                                        : (who.role.has_value() ? grpc::StatusCode::PERMISSION_DENIED
                                                                : grpc::StatusCode::UNAUTHENTICATED))
          << write << " as " << who.name << ": " << got.error_message();
    }
    const grpc::Status list = testing::CallWithEmptyRequest(
        who.channel, kInspection + "ListEntropySources", absl::Seconds(5));
    EXPECT_OK(list) << "ListEntropySources as " << who.name << ": " << list.error_message();
  }
}

// Withdrawing a published body takes two parties: the record's department (an agency)
// asks, an admin approves. Neither can take the other's step, and both are audited writes.
TEST_F(AuthorizationMatrixTest, AWithdrawalIsAskedByAnAgencyAndApprovedByAnAdmin) {
  const std::string ask = "/regulation.v1.DisclosureService/RequestWithdrawal";
  const std::string approve = "/regulation.v1.DisclosureService/ApproveWithdrawal";
  for (const std::string& method : {ask, approve}) {
    const access::RpcPolicy* policy = access::FindRpcPolicy(method);
    ASSERT_NE(policy, nullptr) << method;
    EXPECT_TRUE(policy->mutating) << method << " must be in the audit trail";
    for (Role role : {Role::kAgency, Role::kInspector, Role::kAuditor, Role::kPublic, Role::kAdmin}) {
      const bool may = method == ask ? role == Role::kAgency : role == Role::kAdmin;
      EXPECT_EQ(policy->allowed.Contains(role), may) << method << " " << access::RoleName(role);
    }
  }
  const Identity& agency = identities_[0];
  const Identity& admin = identities_[4];
  ASSERT_EQ(agency.role, Role::kAgency);
  ASSERT_EQ(admin.role, Role::kAdmin);
  EXPECT_THAT(testing::CallWithEmptyRequest(agency.channel, approve, absl::Seconds(5)),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(testing::CallWithEmptyRequest(admin.channel, ask, absl::Seconds(5)),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // Admitted, each to its own step (the empty request names no record).
  EXPECT_THAT(testing::CallWithEmptyRequest(agency.channel, ask, absl::Seconds(5)),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(testing::CallWithEmptyRequest(admin.channel, approve, absl::Seconds(5)),
              StatusIs(absl::StatusCode::kNotFound));
}

// A preview shows the original text of everything redaction removes: only those who may
// read results (the plan's agency, auditors, admins) may ask for one; the plan's agency
// alone approves.
TEST_F(AuthorizationMatrixTest, PreviewPublicationIsForThoseWhoMayReadResults) {
  const std::string preview = "/regulation.v1.DisclosureService/PreviewPublication";
  const std::string approve = "/regulation.v1.DisclosureService/ApproveResult";
  for (const Identity& who : identities_) {
    if (!who.role.has_value()) continue;
    const bool reader = *who.role == Role::kAgency || *who.role == Role::kAuditor ||
                        *who.role == Role::kAdmin;
    const grpc::Status got = testing::CallWithEmptyRequest(who.channel, preview, absl::Seconds(5));
    if (reader) {
      // Admitted, then refused for the empty request's missing result id.
      EXPECT_THAT(got, StatusIs(absl::StatusCode::kInvalidArgument)) << who.name;
      EXPECT_EQ(got.error_message(), "result_id: is required") << who.name;
    } else {
      EXPECT_THAT(got, StatusIs(absl::StatusCode::kPermissionDenied)) << who.name;
    }
    const grpc::Status approved =
        testing::CallWithEmptyRequest(who.channel, approve, absl::Seconds(5));
    EXPECT_EQ(Admitted(approved), *who.role == Role::kAgency) << who.name;
  }
}

// Alerts: agencies, auditors and admins read them (the scope narrows an agency's);
// only an agency acknowledges one (a disposition is its department's decision), only an
// admin changes the rules; both writes are audited.
TEST_F(AuthorizationMatrixTest, AlertsAreReadByReadersAcknowledgedByAgenciesRuledByAdmins) {
  const std::string kAlerts = "/regulation.v1.AlertService/";
  for (const char* write : {"AcknowledgeAlert", "UpdateAlertRules"}) {
    const access::RpcPolicy* policy = access::FindRpcPolicy(kAlerts + write);
    ASSERT_NE(policy, nullptr) << write;
    EXPECT_TRUE(policy->mutating) << write << " must be in the audit trail";
  }
  for (const Identity& who : identities_) {
    if (who.kind != Identity::Kind::kValid) continue;
    const bool reader = who.role == Role::kAgency || who.role == Role::kAuditor ||
                        who.role == Role::kAdmin;
    // Admitted, an empty request is refused for its content (or, for the rules, answered).
    const grpc::Status list =
        testing::CallWithEmptyRequest(who.channel, kAlerts + "ListAlerts", absl::Seconds(5));
    EXPECT_EQ(list.error_code(), reader ? grpc::StatusCode::OK : grpc::StatusCode::PERMISSION_DENIED)
        << "ListAlerts as " << who.name << ": " << list.error_message();
    const grpc::Status rules =
        testing::CallWithEmptyRequest(who.channel, kAlerts + "GetAlertRules", absl::Seconds(5));
    EXPECT_EQ(rules.error_code(), reader ? grpc::StatusCode::OK : grpc::StatusCode::PERMISSION_DENIED)
        << "GetAlertRules as " << who.name;
    const grpc::Status ack =
        testing::CallWithEmptyRequest(who.channel, kAlerts + "AcknowledgeAlert", absl::Seconds(5));
    EXPECT_EQ(ack.error_code(), who.role == Role::kAgency ? grpc::StatusCode::INVALID_ARGUMENT
                                                          : grpc::StatusCode::PERMISSION_DENIED)
        << "AcknowledgeAlert as " << who.name << ": " << ack.error_message();
    const grpc::Status update =
        testing::CallWithEmptyRequest(who.channel, kAlerts + "UpdateAlertRules", absl::Seconds(5));
    EXPECT_EQ(update.error_code(), who.role == Role::kAdmin ? grpc::StatusCode::INVALID_ARGUMENT
                                                            : grpc::StatusCode::PERMISSION_DENIED)
        << "UpdateAlertRules as " << who.name << ": " << update.error_message();
  }
}

TEST_F(AuthorizationMatrixTest, RevokedCertificateIsRefusedOnceListed) {
  pki::CertificateRequest request = testing::RoleCertificate(Role::kAuditor);
  absl::StatusOr<pki::KeyAndCertificate> cert = pki::IssueCertificate(server_->ca(), request);
  ASSERT_OK(cert);
  std::shared_ptr<grpc::Channel> channel = server_->ChannelWithCertificate(*cert);
  const std::string method = "/regulation.v1.PortraitService/ListEnterprises";
  EXPECT_OK(testing::CallWithEmptyRequest(channel, method, absl::Seconds(5)));

  std::FILE* file = std::fopen(server_->revoked_file().c_str(), "w");
  ASSERT_NE(file, nullptr);
  std::fprintf(file, "%s\n", pki::CertificateSerialHex(cert->cert_pem)->c_str());
  std::fclose(file);
  // The list is re-read at most once a second.
  grpc::Status status;
  for (int i = 0; i < 30; ++i) {
    absl::SleepFor(absl::Milliseconds(100));
    status = testing::CallWithEmptyRequest(channel, method, absl::Seconds(5));
    if (!status.ok()) break;
  }
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_EQ(status.error_message(), "certificate revoked");
}

// An inspector may ask for a plan's assignments and gets only their own: the server
// narrows the answer to the caller, so no plan id shows another inspector's targets.
TEST_F(AuthorizationMatrixTest, AnInspectorAsksForAPlansAssignmentsAndGetsOnlyTheirOwn) {
  const access::RpcPolicy* policy =
      access::FindRpcPolicy("/regulation.v1.InspectionService/ListPlanAssignments");
  ASSERT_NE(policy, nullptr);
  EXPECT_TRUE(policy->allowed.Contains(Role::kInspector));
  EXPECT_FALSE(policy->allowed.Contains(Role::kPublic));
  const Identity& inspector = identities_[1];
  ASSERT_EQ(inspector.role, Role::kInspector);
  std::unique_ptr<v1::InspectionService::Stub> stub =
      v1::InspectionService::NewStub(inspector.channel);
  v1::ListPlanAssignmentsRequest request;
  request.set_plan_id("any-plan");  // an agency would get NOT_FOUND for a plan it cannot see
  v1::ListPlanAssignmentsResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  const grpc::Status status = stub->ListPlanAssignments(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.assignments_size(), 0);  // ZJ-0001 holds none in it
}

// A stream opened before a certificate was revoked does not outlive the revocation: an
// inspector watching for assignments is cut off once its certificate is listed.
TEST_F(AuthorizationMatrixTest, AnOpenStreamEndsWhenItsCertificateIsRevoked) {
  absl::StatusOr<pki::KeyAndCertificate> cert =
      pki::IssueCertificate(server_->ca(), testing::InspectorCertificate("ZJ-0002"));
  ASSERT_OK(cert);
  std::unique_ptr<v1::InspectionService::Stub> stub =
      v1::InspectionService::NewStub(server_->ChannelWithCertificate(*cert));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  std::unique_ptr<grpc::ClientReader<v1::Assignment>> watch =
      stub->WatchAssignments(&context, v1::WatchAssignmentsRequest());
  absl::SleepFor(absl::Milliseconds(500));  // the stream is open and waiting

  std::FILE* file = std::fopen(server_->revoked_file().c_str(), "w");
  ASSERT_NE(file, nullptr);
  std::fprintf(file, "%s\n", pki::CertificateSerialHex(cert->cert_pem)->c_str());
  std::fclose(file);
  const absl::Time revoked = absl::Now();
  v1::Assignment assignment;
  while (watch->Read(&assignment)) {
  }
  const grpc::Status status = watch->Finish();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnauthenticated)) << status.error_message();
  EXPECT_EQ(status.error_message(), "certificate revoked");
  EXPECT_LT(absl::Now() - revoked, absl::Seconds(10));  // re-read once a second, checked as often
}

// Objections: only an enterprise files one, and only about itself; only an agency (the
// result's department) answers; readers and the enterprise itself read them. Both writes
// are audited.
TEST_F(AuthorizationMatrixTest, AnEnterpriseObjectsAboutItselfAndAnAgencyAnswers) {
  const std::string kDisclosure = "/regulation.v1.DisclosureService/";
  for (const char* write : {"FileObjection", "AnswerObjection"}) {
    const access::RpcPolicy* policy = access::FindRpcPolicy(kDisclosure + write);
    ASSERT_NE(policy, nullptr) << write;
    EXPECT_TRUE(policy->mutating) << write << " must be in the audit trail";
  }
  for (const Identity& who : identities_) {
    if (who.kind != Identity::Kind::kValid) continue;
    const bool enterprise = who.role == Role::kEnterprise;
    const bool reader = enterprise || who.role == Role::kAgency || who.role == Role::kAuditor ||
                        who.role == Role::kAdmin;
    // Admitted, an empty request is refused for its content (or, for a list, answered).
    const grpc::Status file =
        testing::CallWithEmptyRequest(who.channel, kDisclosure + "FileObjection", absl::Seconds(5));
    EXPECT_EQ(file.error_code(), enterprise ? grpc::StatusCode::INVALID_ARGUMENT
                                            : grpc::StatusCode::PERMISSION_DENIED)
        << "FileObjection as " << who.name << ": " << file.error_message();
    const grpc::Status answer =
        testing::CallWithEmptyRequest(who.channel, kDisclosure + "AnswerObjection", absl::Seconds(5));
    EXPECT_EQ(answer.error_code(), who.role == Role::kAgency ? grpc::StatusCode::INVALID_ARGUMENT
                                                             : grpc::StatusCode::PERMISSION_DENIED)
        << "AnswerObjection as " << who.name << ": " << answer.error_message();
    const grpc::Status list =
        testing::CallWithEmptyRequest(who.channel, kDisclosure + "ListObjections", absl::Seconds(5));
    EXPECT_EQ(list.error_code(), reader ? grpc::StatusCode::OK : grpc::StatusCode::PERMISSION_DENIED)
        << "ListObjections as " << who.name << ": " << list.error_message();
  }
  // The enterprise's certificate reaches only its own code, for filing and for reading.
  const Identity& enterprise = identities_.back();
  ASSERT_EQ(enterprise.role, Role::kEnterprise);
  std::unique_ptr<v1::DisclosureService::Stub> stub =
      v1::DisclosureService::NewStub(enterprise.channel);
  auto deadline = [] { return std::chrono::system_clock::now() + std::chrono::seconds(5); };
  {
    v1::FileObjectionRequest request;
    request.set_credit_code("91110000600037341L");  // another enterprise
    request.set_result_id("P1.91110000600037341L");
    request.set_grounds("不是我们的结果");
    v1::Objection response;
    grpc::ClientContext context;
    context.set_deadline(deadline());
    const grpc::Status status = stub->FileObjection(&context, request, &response);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kPermissionDenied));
    EXPECT_THAT(status.error_message(), ::testing::HasSubstr("credit_code"));
  }
  {
    v1::ListObjectionsRequest request;
    request.set_credit_code("91110000600037341L");
    v1::ListObjectionsResponse response;
    grpc::ClientContext context;
    context.set_deadline(deadline());
    EXPECT_THAT(stub->ListObjections(&context, request, &response),
                StatusIs(absl::StatusCode::kPermissionDenied));
  }
  {
    v1::FileObjectionRequest request;
    request.set_credit_code("91350100M000100Y43");  // its own, about a result that is not there
    request.set_result_id("P1.91350100M000100Y43");
    request.set_grounds("结果有误");
    v1::Objection response;
    grpc::ClientContext context;
    context.set_deadline(deadline());
    EXPECT_THAT(stub->FileObjection(&context, request, &response),
                StatusIs(absl::StatusCode::kNotFound));
  }
}

// Recusal requests (回避申请) and "its draws": an enterprise files a request and lists its
// draws for itself only; the plan's agency alone decides; both writes are audited.
TEST_F(AuthorizationMatrixTest, AnEnterpriseAsksForRecusalAndListsItsDrawsForItselfOnly) {
  const std::string kInspection = "/regulation.v1.InspectionService/";
  for (const char* write : {"RequestRecusal", "DecideRecusal"}) {
    const access::RpcPolicy* policy = access::FindRpcPolicy(kInspection + write);
    ASSERT_NE(policy, nullptr) << write;
    EXPECT_TRUE(policy->mutating) << write << " must be in the audit trail";
  }
  for (const Identity& who : identities_) {
    if (who.kind != Identity::Kind::kValid) continue;
    const grpc::Status request =
        testing::CallWithEmptyRequest(who.channel, kInspection + "RequestRecusal", absl::Seconds(5));
    EXPECT_EQ(Admitted(request), who.role == Role::kEnterprise) << who.name;
    const grpc::Status decide =
        testing::CallWithEmptyRequest(who.channel, kInspection + "DecideRecusal", absl::Seconds(5));
    EXPECT_EQ(Admitted(decide), who.role == Role::kAgency) << who.name;
    const grpc::Status mine =
        testing::CallWithEmptyRequest(who.channel, kInspection + "ListMyDraws", absl::Seconds(5));
    EXPECT_EQ(Admitted(mine), who.role == Role::kEnterprise || who.role == Role::kAuditor ||
                                  who.role == Role::kAdmin)
        << who.name << ": " << mine.error_message();
  }
  // Another enterprise's code is refused, the same way whether it exists or not.
  const Identity& enterprise = identities_.back();
  ASSERT_EQ(enterprise.role, Role::kEnterprise);
  std::unique_ptr<v1::InspectionService::Stub> stub =
      v1::InspectionService::NewStub(enterprise.channel);
  {
    v1::ListMyDrawsRequest request;
    request.set_credit_code("91330106000654337W");
    v1::ListMyDrawsResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    EXPECT_THAT(stub->ListMyDraws(&context, request, &response),
                StatusIs(absl::StatusCode::kPermissionDenied));
  }
  {
    v1::RequestRecusalRequest request;
    request.set_credit_code("91330106000654337W");
    request.set_plan_id("any-plan");
    request.set_inspector_id("ZJ-0001");
    request.set_grounds("a relative works there");
    v1::Recusal response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    EXPECT_THAT(stub->RequestRecusal(&context, request, &response),
                StatusIs(absl::StatusCode::kPermissionDenied));
  }
  {
    // Its own draws (none yet): an empty answer, not an error.
    v1::ListMyDrawsResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    const grpc::Status own = stub->ListMyDraws(&context, v1::ListMyDrawsRequest(), &response);
    EXPECT_TRUE(own.ok()) << own.error_message();
    EXPECT_EQ(response.draws_size(), 0);
  }
}

// inspectiond (issue 13): the population a plan freezes and the enterprise records come
// from portrait and scoring, and its public records go to the disclosure log, through
// internal calls only inspectiond may make; scoringd may not make them.
TEST_F(AuthorizationMatrixTest, OnlyInspectiondReadsThePopulationOfAPlan) {
  for (const std::string method :
       {"/regulation.internal.v1.PortraitPopulationService/StreamPopulation",
        "/regulation.internal.v1.PortraitPopulationService/GetEnterprises",
        "/regulation.internal.v1.StoredClassService/StreamClasses",
        "/regulation.internal.v1.LogAppendService/AppendRecords"}) {
    for (const Identity& who : services_) {
      const grpc::Status got = testing::CallWithEmptyRequest(who.channel, method, absl::Seconds(5));
      if (who.service_name == "inspectiond") {
        EXPECT_TRUE(Admitted(got)) << method << ": " << got.error_message();
      } else {
        EXPECT_EQ(got.error_code(), grpc::StatusCode::PERMISSION_DENIED) << method << " as " << who.name;
      }
    }
  }
}

}  // namespace
}  // namespace regulation
