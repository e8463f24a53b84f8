#include "scheduler/ticket.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "gtest/gtest.h"

namespace regulation::scheduler {
namespace {

TEST(FirstFraction, MatchesRivestsExample) {
  EXPECT_EQ(FirstFraction("AB-130", "01382438112797316654"),
            "0.26299714122838008416507544297546663599715395525154425586041245287750224561854");
}

// docs/draw-spec.md §12.1, from the Python reference.
TEST(FirstFraction, MatchesTheSpecVectors) {
  const std::string seed(64, 'a');
  EXPECT_EQ(FirstFraction("91330102000100000Q", seed),
            "0.90155342726648315912438832115719316534121421041937638792554182336449942999445");
  EXPECT_EQ(FirstFraction("91330106000179191U", seed),
            "0.63862937370973443235052317708722099566295160275024031311406742211469031445965");
  EXPECT_EQ(FirstFraction("913301080002583822", seed),
            "0.76291794186370271298269766063809910525425076796392998115528499327847813040602");
  EXPECT_EQ(FirstFraction(std::string(60, 'x'), "seed"),
            "0.79653652486940131675369397684307137546173345769110864294288101041617878054357");
  EXPECT_EQ(FirstFraction("91330102000100007X", ""),
            "0.92174671755291019028939046938781777345807501773526208898066037071214774135442");
}

TEST(TicketHasher, AgreesWithFirstFractionForEveryIdLength) {
  for (const std::string& seed :
       std::vector<std::string>{"", "01382438112797316654", "种子", std::string(200, 's')}) {
    const TicketHasher hasher(seed);
    for (int length = 0; length <= 130; ++length) {
      std::string id;
      for (int i = 0; i < length; ++i) id.push_back(static_cast<char>('A' + (i * 7 + length) % 26));
      EXPECT_EQ(hasher.Compute(id).ToString(), FirstFraction(id, seed))
          << "seed " << seed << ", id length " << length;
    }
    EXPECT_EQ(hasher.Compute("检查员-7").ToString(), FirstFraction("检查员-7", seed));
  }
}

TEST(TicketHasher, KeyIsTheFirstNineteenFractionDigits) {
  const TicketHasher hasher("key-test");
  for (int i = 0; i < 5000; ++i) {
    const Ticket ticket = hasher.Compute("id-" + std::to_string(i));
    const std::string text = ticket.ToString();
    uint64_t expected = 0;
    ASSERT_TRUE(absl::SimpleAtoi(text.substr(2, kTicketKeyDigits), &expected));
    EXPECT_EQ(ticket.key, expected) << text;
    EXPECT_GE(text.size(), 2u + 64u);
    EXPECT_LE(text.size(), 2u + kMaxTicketDigits);
  }
}

TEST(CompareTickets, AgreesWithTheStringComparison) {
  const TicketHasher hasher("order");
  std::vector<Ticket> tickets;
  for (int i = 0; i < 300; ++i) tickets.push_back(hasher.Compute("e" + std::to_string(i)));
  for (size_t a = 0; a < tickets.size(); a += 7) {
    for (size_t b = 0; b < tickets.size(); b += 5) {
      const int expected = CompareTicketStrings(tickets[a].ToString(), tickets[b].ToString());
      const int got = CompareTickets(tickets[a], tickets[b]);
      EXPECT_EQ(expected < 0, got < 0);
      EXPECT_EQ(expected == 0, got == 0);
    }
  }
}

TEST(CompareTickets, FallsBackToTheFullTicketWhenKeysTie) {
  Ticket a;
  Ticket b;
  a.words = {0, 0, 0, 0, 0, 0, 0, 1};
  b.words = {0, 0, 0, 0, 0, 0, 0, 1};
  b.words[0] = 1;  // h(b) = h(a) + 2^224: the low 19 digits differ only by 2^224 mod 10^19.
  a.key = 42;
  b.key = 42;  // Forced tie: the comparison must use the full strings.
  const int expected = CompareTicketStrings(a.ToString(), b.ToString());
  EXPECT_NE(expected, 0);
  EXPECT_EQ(CompareTickets(a, b) < 0, expected < 0);
  EXPECT_EQ(CompareTickets(a, a), 0);
}

TEST(Ticket, SmallValuesArePaddedToSixtyFourDigits) {
  Ticket ticket;
  ticket.words = {0, 0, 0, 0, 0, 0, 0, 5};
  EXPECT_EQ(ticket.ToString(), "0.5" + std::string(63, '0'));
  ticket.words = {0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF,
                  0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF};
  std::string digits =
      "115792089237316195423570985008687907853269984665640564039457584007913129639935";
  EXPECT_EQ(ticket.ToString(), "0." + std::string(digits.rbegin(), digits.rend()));
}

TEST(CompareTicketStrings, ComparesAsRealNumbers) {
  EXPECT_EQ(CompareTicketStrings("0.5", "0.50"), 0);
  EXPECT_LT(CompareTicketStrings("0.05", "0.5"), 0);
  EXPECT_GT(CompareTicketStrings("0.51", "0.5"), 0);
  EXPECT_LT(CompareTicketStrings("0.4999", "0.5"), 0);
}

TEST(IsWellFormedTicket, AcceptsOnlyZeroPointDigits) {
  EXPECT_TRUE(IsWellFormedTicket("0.1"));
  EXPECT_TRUE(IsWellFormedTicket("0." + std::string(78, '9')));
  EXPECT_FALSE(IsWellFormedTicket("0." + std::string(79, '9')));
  EXPECT_FALSE(IsWellFormedTicket("0."));
  EXPECT_FALSE(IsWellFormedTicket("1.5"));
  EXPECT_FALSE(IsWellFormedTicket("0.5e3"));
  EXPECT_FALSE(IsWellFormedTicket(""));
}

}  // namespace
}  // namespace regulation::scheduler
