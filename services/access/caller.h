#ifndef SERVICES_ACCESS_CALLER_H_
#define SERVICES_ACCESS_CALLER_H_

#include <string>

#include "services/access/role.h"

namespace regulation::access {

// The authenticated identity behind a call, as the services see it.
struct Caller {
  // The roles the caller holds. A certificate carries exactly one; the local operator
  // on an insecure loopback listener holds all.
  RoleSet roles;
  // Who it is, for the audit trail: the certificate's subject, or "local-operator".
  std::string subject;
  // The caller's department (agencies, inspectors), e.g. "samr".
  std::string department;
  // Region-code prefix of an agency's jurisdiction; empty means every region.
  std::string region_prefix;
  // Roster id of an inspector.
  std::string inspector_id;
  // The one enterprise an enterprise's certificate is bound to: its unified social
  // credit code (check digit valid).
  std::string credit_code;
  // True for a caller who presented no certificate (the anonymous public): refusals
  // say UNAUTHENTICATED (a certificate would help) rather than PERMISSION_DENIED.
  bool anonymous = false;
};

}  // namespace regulation::access

#endif  // SERVICES_ACCESS_CALLER_H_
