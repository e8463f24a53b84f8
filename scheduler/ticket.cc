#include "scheduler/ticket.h"

// The low-level SHA256_* API is deprecated in OpenSSL 3 but still exported; it is the only
// way to reuse a midstate and run a single compression (SHA256_Transform). EVP would cost
// a context copy and a finalisation per ticket (docs/draw-spec.md §13 has the figures).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <openssl/sha.h>

#include <algorithm>
#include <cstring>

#include "common/sha256.h"

namespace regulation::scheduler {
namespace {

constexpr uint64_t kTenPow19 = 10000000000000000000ULL;

// (hi * 2^64 + lo) mod m. REQUIRES: hi < m (so that the quotient fits in 64 bits).
inline uint64_t ModStep(uint64_t hi, uint64_t lo, uint64_t m, uint64_t* quotient) {
#if defined(__x86_64__)
  uint64_t q, r;
  __asm__("divq %4" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), "rm"(m) : "cc");
  *quotient = q;
  return r;
#else
  const unsigned __int128 n = (static_cast<unsigned __int128>(hi) << 64) | lo;
  *quotient = static_cast<uint64_t>(n / m);
  return static_cast<uint64_t>(n % m);
#endif
}

// Divides the 256-bit value in `limbs` (limbs[0] most significant) by 10^19 in place and
// returns the remainder.
uint64_t DivideByTenPow19(std::array<uint64_t, 4>& limbs) {
  uint64_t rem = 0;
  for (uint64_t& limb : limbs) rem = ModStep(rem, limb, kTenPow19, &limb);
  return rem;
}

std::array<uint64_t, 4> Limbs(const std::array<uint32_t, 8>& w) {
  return {(uint64_t{w[0]} << 32) | w[1], (uint64_t{w[2]} << 32) | w[3],
          (uint64_t{w[4]} << 32) | w[5], (uint64_t{w[6]} << 32) | w[7]};
}

// kReverse4[n] is n's four decimal digits (zero-padded) in reverse order: 1234 -> 4321,
// 12 -> 2100.
struct Reverse4Table {
  constexpr Reverse4Table() : values() {
    for (int n = 0; n < 10000; ++n) {
      values[n] = static_cast<uint16_t>((n % 10) * 1000 + (n / 10 % 10) * 100 +
                                        (n / 100 % 10) * 10 + n / 1000);
    }
  }
  uint16_t values[10000];
};
constexpr Reverse4Table kReverse4;

// The 19 lowest decimal digits of r (zero-padded), reversed: units first.
inline uint64_t ReverseDigits19(uint64_t r) {
  const uint64_t g0 = r % 10000;
  r /= 10000;
  const uint64_t g1 = r % 10000;
  r /= 10000;
  const uint64_t g2 = r % 10000;
  r /= 10000;
  const uint64_t g3 = r % 10000;
  r /= 10000;  // the last three digits
  return kReverse4.values[g0] * 1000000000000000ULL + kReverse4.values[g1] * 100000000000ULL +
         kReverse4.values[g2] * 10000000ULL + kReverse4.values[g3] * 1000ULL +
         kReverse4.values[r] / 10;
}

// The 19 lowest decimal digits of h, units first, read as a 19-digit number: h mod 10^19
// as two independent halves (h = hi * 2^128 + lo), then combined.
inline uint64_t KeyOf(const std::array<uint32_t, 8>& w) {
  const uint64_t l0 = (uint64_t{w[0]} << 32) | w[1];
  const uint64_t l1 = (uint64_t{w[2]} << 32) | w[3];
  const uint64_t l2 = (uint64_t{w[4]} << 32) | w[5];
  const uint64_t l3 = (uint64_t{w[6]} << 32) | w[7];
  // 2^128 mod 10^19.
  constexpr uint64_t kTwoPow128Mod = static_cast<uint64_t>(
      ((static_cast<unsigned __int128>(1) << 127) % kTenPow19) * 2 % kTenPow19);
  uint64_t q;
  const uint64_t hi = ModStep(ModStep(0, l0, kTenPow19, &q), l1, kTenPow19, &q);
  const uint64_t lo = ModStep(ModStep(0, l2, kTenPow19, &q), l3, kTenPow19, &q);
  const unsigned __int128 product = static_cast<unsigned __int128>(hi) * kTwoPow128Mod;
  uint64_t r =
      ModStep(static_cast<uint64_t>(product >> 64), static_cast<uint64_t>(product), kTenPow19, &q);
  // (r + lo) mod 10^19 without overflow (10^19 > 2^63: the sum may not fit).
  r = r >= kTenPow19 - lo ? r - (kTenPow19 - lo) : r + lo;
  return ReverseDigits19(r);
}

inline uint32_t LoadBigEndian32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

}  // namespace

std::string Ticket::ToString() const {
  // Five chunks of 19 digits cover the 78 digits h can have.
  std::array<uint64_t, 4> limbs = Limbs(words);
  char digits[95];
  for (int chunk = 4; chunk >= 0; --chunk) {
    uint64_t rem = DivideByTenPow19(limbs);
    for (int i = 18; i >= 0; --i) {
      digits[chunk * 19 + i] = static_cast<char>('0' + rem % 10);
      rem /= 10;
    }
  }
  // Drop leading zeros but keep at least 64 digits, then reverse.
  int start = 0;
  while (start < 95 - 64 && digits[start] == '0') ++start;
  std::string out = "0.";
  out.reserve(2 + 95 - start);
  for (int i = 94; i >= start; --i) out.push_back(digits[i]);
  return out;
}

int CompareTickets(const Ticket& a, const Ticket& b) {
  if (a.key != b.key) return a.key < b.key ? -1 : 1;
  if (a.words == b.words) return 0;
  return CompareTicketStrings(a.ToString(), b.ToString());
}

TicketHasher::TicketHasher(absl::string_view seed) {
  // inner = lowercase hex SHA-256(seed), hashed as the first block.
  // The low-level calls: SHA256() goes through EVP_Q_digest, which fetches the algorithm
  // every time (a team seed is hashed per target).
  unsigned char digest[32];
  SHA256_CTX seed_ctx;
  SHA256_Init(&seed_ctx);
  SHA256_Update(&seed_ctx, seed.data(), seed.size());
  SHA256_Final(digest, &seed_ctx);
  static constexpr char kHex[] = "0123456789abcdef";
  unsigned char inner[64];
  for (int i = 0; i < 32; ++i) {
    inner[2 * i] = kHex[digest[i] >> 4];
    inner[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Transform(&ctx, inner);
  std::copy(std::begin(ctx.h), std::end(ctx.h), midstate_.begin());
}

Ticket TicketHasher::Compute(absl::string_view id) const {
  Ticket ticket;
  SHA256_CTX ctx;
  std::copy(midstate_.begin(), midstate_.end(), std::begin(ctx.h));
  if (id.size() <= 55) {
    // The last block by hand: id, 0x80, zeros, the message length in bits (big-endian).
    unsigned char block[64] = {};
    std::memcpy(block, id.data(), id.size());
    block[id.size()] = 0x80;
    const uint64_t bits = (64 + uint64_t{id.size()}) * 8;
    for (int i = 0; i < 8; ++i) block[63 - i] = static_cast<unsigned char>(bits >> (8 * i));
    SHA256_Transform(&ctx, block);
    std::copy(std::begin(ctx.h), std::end(ctx.h), ticket.words.begin());
  } else {
    SHA256_Init(&ctx);
    std::copy(midstate_.begin(), midstate_.end(), std::begin(ctx.h));
    ctx.Nl = 512;  // the 64 bytes of `inner`, in bits
    SHA256_Update(&ctx, id.data(), id.size());
    unsigned char digest[32];
    SHA256_Final(digest, &ctx);
    for (int i = 0; i < 8; ++i) ticket.words[i] = LoadBigEndian32(digest + 4 * i);
  }
  ticket.key = KeyOf(ticket.words);
  return ticket;
}

std::string FirstFraction(absl::string_view id, absl::string_view seed) {
  const std::string h = Sha256(Sha256Hex(seed) + std::string(id));
  Ticket ticket;
  for (int i = 0; i < 8; ++i) {
    ticket.words[i] = LoadBigEndian32(reinterpret_cast<const unsigned char*>(h.data()) + 4 * i);
  }
  return ticket.ToString();
}

bool IsWellFormedTicket(absl::string_view ticket) {
  if (ticket.size() < 3 || ticket.size() > 2 + kMaxTicketDigits) return false;
  if (ticket[0] != '0' || ticket[1] != '.') return false;
  for (size_t i = 2; i < ticket.size(); ++i) {
    if (ticket[i] < '0' || ticket[i] > '9') return false;
  }
  return true;
}

int CompareTicketStrings(absl::string_view a, absl::string_view b) {
  const size_t n = std::max(a.size(), b.size());
  for (size_t i = 2; i < n; ++i) {
    const char x = i < a.size() ? a[i] : '0';
    const char y = i < b.size() ? b[i] : '0';
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

}  // namespace regulation::scheduler

#pragma GCC diagnostic pop
