#ifndef SCHEDULER_TICKET_H_
#define SCHEDULER_TICKET_H_

// Tickets: R. Rivest's consistent_sampler first_fraction(id, seed), the random number in
// (0, 1) that orders enterprises and inspectors in a draw (docs/draw-spec.md §2):
//
//   inner  = lowercase hex of SHA-256(UTF-8 seed)                (64 characters)
//   h      = SHA-256(UTF-8 (inner + id)) as a big-endian 256-bit integer
//   ticket = "0." + reverse(decimal(h) zero-padded to at least 64 digits)
//
//   FirstFraction("AB-130", "01382438112797316654")
//       == "0.26299714122838008416507544297546663599715395525154425586041245287750224561854"
//
// Tickets compare as real numbers. TicketHasher computes them fast for one seed: the 64
// characters of `inner` are exactly one SHA-256 block, so their compression is done once
// and each ticket of an id of up to 55 bytes costs one more compression, plus h mod 10^19
// for a 64-bit sort key (the first 19 fraction digits). The full decimal string is made
// only on demand (Ticket::ToString) and compared only when two keys tie.
//
// Thread safety: TicketHasher is immutable after construction; Compute may be called from
// any number of threads at once. The free functions are stateless.

#include <array>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace regulation::scheduler {

// decimal(2^256 - 1) has 78 digits: no ticket has more fraction digits.
inline constexpr int kMaxTicketDigits = 78;
// Fraction digits captured by Ticket::key.
inline constexpr int kTicketKeyDigits = 19;

// One computed ticket.
struct Ticket {
  // The first 19 fraction digits read as an integer: fraction digit 1 is the most
  // significant (the ticket 0.0123... has key 123...). Equal keys need a full comparison.
  uint64_t key = 0;
  // h, the SHA-256 value, as eight big-endian 32-bit words (words[0] most significant).
  std::array<uint32_t, 8> words{};

  // "0." followed by 64 to 78 digits, exactly as FirstFraction writes it.
  std::string ToString() const;
};

// Negative, zero or positive as `a` is below, equal to or above `b` as real numbers.
int CompareTickets(const Ticket& a, const Ticket& b);
inline bool TicketLess(const Ticket& a, const Ticket& b) { return CompareTickets(a, b) < 0; }

class TicketHasher {
 public:
  // `seed`: any string (the draw's seed or a team seed), taken as UTF-8 bytes.
  explicit TicketHasher(absl::string_view seed);

  // The ticket of `id` (any length; one compression for up to 55 bytes).
  Ticket Compute(absl::string_view id) const;

 private:
  // SHA-256 state after the 64 bytes of lowercase hex SHA-256(seed).
  std::array<uint32_t, 8> midstate_;
};

// The ticket string of `id` under `seed`, computed the plain way (reference path).
std::string FirstFraction(absl::string_view id, absl::string_view seed);

// True for "0." followed by 1 to 78 decimal digits.
bool IsWellFormedTicket(absl::string_view ticket);

// Compares two well-formed ticket strings as real numbers: fraction digits compared
// position by position, the shorter padded with zeros. REQUIRES: both well-formed.
int CompareTicketStrings(absl::string_view a, absl::string_view b);

}  // namespace regulation::scheduler

#endif  // SCHEDULER_TICKET_H_
