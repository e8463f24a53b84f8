#include "storage/key_encoding.h"

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace regulation::storage {
namespace {

std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out.push_back(static_cast<char>(b));
  return out;
}

// Compares as RocksDB's bytewise comparator does.
int CompareBytes(absl::string_view a, absl::string_view b) { return a.compare(b); }

int Sign(int v) { return (v > 0) - (v < 0); }

TEST(KeyBuilderTest, StringEncodingEscapesZeroAndTerminates) {
  KeyBuilder b;
  b.AppendString(Bytes({'a', 0x00, 'b'}));
  EXPECT_EQ(b.key(), Bytes({'a', 0x00, 0xff, 'b', 0x00, 0x01}));
  KeyBuilder empty;
  empty.AppendString("");
  EXPECT_EQ(empty.key(), Bytes({0x00, 0x01}));
}

TEST(KeyBuilderTest, IntegersAreBigEndian) {
  KeyBuilder b;
  b.AppendUint64(0x0102030405060708u);
  EXPECT_EQ(b.key(), Bytes({1, 2, 3, 4, 5, 6, 7, 8}));
  KeyBuilder n;
  n.AppendInt64(-1);
  EXPECT_EQ(n.key(), Bytes({0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}));
  KeyBuilder z;
  z.AppendInt64(0);
  EXPECT_EQ(z.key(), Bytes({0x80, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(KeyBuilderTest, ReleaseEmptiesTheBuilder) {
  KeyBuilder b;
  b.AppendFixed("abc");
  EXPECT_EQ(b.Release(), "abc");
  EXPECT_EQ(b.key(), "");
  b.AppendFixed("d");
  EXPECT_EQ(b.key(), "d");
}

TEST(KeyEncodingTest, CompositeKeyRoundTrips) {
  const std::string code = "91110000100000000X";  // 18 characters.
  const std::string name = Bytes({'n', 0x00, 0xff, 0x00, 0x01, 'e'});
  KeyBuilder b;
  b.AppendFixed(code)
      .AppendString(name)
      .AppendString("")
      .AppendUint64(std::numeric_limits<uint64_t>::max())
      .AppendInt64(std::numeric_limits<int64_t>::min())
      .AppendInt64(std::numeric_limits<int64_t>::max())
      .AppendInt64(-42)
      .AppendUint64(0);
  const std::string key = b.Release();

  KeyReader r(key);
  absl::string_view fixed;
  std::string s1, s2;
  uint64_t u1, u2;
  int64_t i1, i2, i3;
  ASSERT_TRUE(r.ReadFixed(code.size(), &fixed));
  ASSERT_TRUE(r.ReadString(&s1));
  ASSERT_TRUE(r.ReadString(&s2));
  ASSERT_TRUE(r.ReadUint64(&u1));
  ASSERT_TRUE(r.ReadInt64(&i1));
  ASSERT_TRUE(r.ReadInt64(&i2));
  ASSERT_TRUE(r.ReadInt64(&i3));
  ASSERT_FALSE(r.done());
  ASSERT_TRUE(r.ReadUint64(&u2));
  EXPECT_TRUE(r.done());
  EXPECT_EQ(fixed, code);
  EXPECT_EQ(s1, name);
  EXPECT_EQ(s2, "");
  EXPECT_EQ(u1, std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(i1, std::numeric_limits<int64_t>::min());
  EXPECT_EQ(i2, std::numeric_limits<int64_t>::max());
  EXPECT_EQ(i3, -42);
  EXPECT_EQ(u2, 0u);
}

TEST(KeyEncodingTest, StringsOfEveryByteRoundTrip) {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  for (const std::string& s : {all, Bytes({0x00}), Bytes({0x00, 0x00}), Bytes({0xff}),
                               Bytes({0x00, 0x01}), Bytes({0x00, 0xff})}) {
    KeyBuilder b;
    b.AppendString(s).AppendString(s);
    KeyReader r(b.key());
    std::string out1, out2;
    ASSERT_TRUE(r.ReadString(&out1));
    ASSERT_TRUE(r.ReadString(&out2));
    EXPECT_TRUE(r.done());
    EXPECT_EQ(out1, s);
    EXPECT_EQ(out2, s);
  }
}

// A key schema with every field type: (string, int64, fixed[2], uint64, string).
using Tuple = std::tuple<std::string, int64_t, std::string, uint64_t, std::string>;

std::string Encode(const Tuple& t) {
  KeyBuilder b;
  b.AppendString(std::get<0>(t))
      .AppendInt64(std::get<1>(t))
      .AppendFixed(std::get<2>(t))
      .AppendUint64(std::get<3>(t))
      .AppendString(std::get<4>(t));
  return b.Release();
}

// Tuples compare field by field; strings compare as unsigned bytes.
int CompareTuples(const Tuple& a, const Tuple& b) {
  if (int c = CompareBytes(std::get<0>(a), std::get<0>(b)); c != 0) return c;
  if (std::get<1>(a) != std::get<1>(b)) return std::get<1>(a) < std::get<1>(b) ? -1 : 1;
  if (int c = CompareBytes(std::get<2>(a), std::get<2>(b)); c != 0) return c;
  if (std::get<3>(a) != std::get<3>(b)) return std::get<3>(a) < std::get<3>(b) ? -1 : 1;
  return CompareBytes(std::get<4>(a), std::get<4>(b));
}

class RandomTuples {
 public:
  explicit RandomTuples(uint32_t seed) : rng_(seed) {}

  Tuple Next() { return Tuple(String(), Int64(), Fixed(), Uint64(), String()); }

  // `t` with each field redrawn with probability 1/2, so that pairs often tie on
  // leading fields and the later fields decide (and are sometimes equal throughout).
  Tuple Mutate(Tuple t) {
    if (Pick(2) == 0) std::get<0>(t) = String();
    if (Pick(2) == 0) std::get<1>(t) = Int64();
    if (Pick(2) == 0) std::get<2>(t) = Fixed();
    if (Pick(2) == 0) std::get<3>(t) = Uint64();
    if (Pick(2) == 0) std::get<4>(t) = String();
    return t;
  }

 private:
  // Short strings over a tiny alphabet that includes the escape bytes, so that
  // pairs often share prefixes and differ only at 0x00 / 0xFF.
  std::string String() {
    static constexpr char kAlphabet[] = {'\x00', '\x01', 'a', '\x7f', '\x80', '\xff'};
    std::string s(Pick(5), '\0');
    for (char& c : s) c = kAlphabet[Pick(sizeof(kAlphabet))];
    return s;
  }
  std::string Fixed() {
    std::string s(2, '\0');
    for (char& c : s) c = static_cast<char>(Pick(3) == 0 ? 0xff : Pick(3));
    return s;
  }
  int64_t Int64() {
    static constexpr int64_t kValues[] = {std::numeric_limits<int64_t>::min(),
                                          std::numeric_limits<int64_t>::min() + 1,
                                          -256,
                                          -1,
                                          0,
                                          1,
                                          255,
                                          256,
                                          std::numeric_limits<int64_t>::max() - 1,
                                          std::numeric_limits<int64_t>::max()};
    if (Pick(4) == 0) return static_cast<int64_t>(rng_());
    return kValues[Pick(sizeof(kValues) / sizeof(kValues[0]))];
  }
  uint64_t Uint64() {
    static constexpr uint64_t kValues[] = {
        0, 1, 255, 256, uint64_t{1} << 63, std::numeric_limits<uint64_t>::max()};
    if (Pick(4) == 0) return rng_();
    return kValues[Pick(sizeof(kValues) / sizeof(kValues[0]))];
  }
  size_t Pick(size_t n) { return static_cast<size_t>(rng_() % n); }

  std::mt19937_64 rng_;
};

TEST(KeyEncodingTest, BytewiseOrderOfEncodingsMatchesTupleOrder) {
  RandomTuples random(20240601);
  int equal = 0;
  for (int i = 0; i < 50000; ++i) {
    const Tuple a = random.Next();
    const Tuple b = (i % 2 == 0) ? random.Next() : random.Mutate(a);
    const int want = Sign(CompareTuples(a, b));
    const int got = Sign(CompareBytes(Encode(a), Encode(b)));
    ASSERT_EQ(got, want) << "pair " << i;
    if (want == 0) ++equal;
  }
  EXPECT_GT(equal, 0);  // Mutate() does produce equal tuples now and then.
}

TEST(KeyEncodingTest, StringEncodingIsPrefixFreeAndOrdered) {
  // Sorted as strings; each pair must stay sorted once encoded, whatever follows.
  const std::vector<std::string> sorted = {"",
                                           Bytes({0x00}),
                                           Bytes({0x00, 0x00}),
                                           Bytes({0x00, 0x01}),
                                           Bytes({0x00, 0xff}),
                                           Bytes({0x01}),
                                           "a",
                                           Bytes({'a', 0x00}),
                                           Bytes({'a', 0x00, 0xff}),
                                           "ab",
                                           Bytes({0xff}),
                                           Bytes({0xff, 0x00}),
                                           Bytes({0xff, 0xff})};
  for (size_t i = 0; i + 1 < sorted.size(); ++i) {
    for (const std::string& suffix : {std::string(), Bytes({0x00}), Bytes({0xff})}) {
      KeyBuilder lo, hi;
      lo.AppendString(sorted[i]).AppendFixed(Bytes({0xff, 0xff}));
      hi.AppendString(sorted[i + 1]).AppendFixed(suffix);
      EXPECT_LT(CompareBytes(lo.key(), hi.key()), 0) << "index " << i;
    }
  }
}

TEST(KeyReaderTest, RejectsMalformedStrings) {
  std::string out;
  for (const std::string& bad :
       {std::string(), std::string("abc"), Bytes({'a', 0x00}), Bytes({0x00}), Bytes({0x00, 0x02}),
        Bytes({'a', 0x00, 0x00, 0x01}), Bytes({0x00, 0xff}), Bytes({0x00, 0xff, 0x00})}) {
    KeyReader r(bad);
    EXPECT_FALSE(r.ReadString(&out)) << "input of size " << bad.size();
  }
}

TEST(KeyReaderTest, RejectsTruncatedFields) {
  const std::string seven(7, '\x01');
  uint64_t u;
  int64_t i;
  absl::string_view fixed;
  EXPECT_FALSE(KeyReader(seven).ReadUint64(&u));
  EXPECT_FALSE(KeyReader(seven).ReadInt64(&i));
  EXPECT_FALSE(KeyReader(seven).ReadFixed(8, &fixed));
  EXPECT_FALSE(KeyReader("").ReadUint64(&u));
  EXPECT_TRUE(KeyReader("").ReadFixed(0, &fixed));
  EXPECT_TRUE(KeyReader("").done());
}

TEST(KeyReaderTest, ReportsTrailingBytes) {
  KeyBuilder b;
  b.AppendUint64(7).AppendFixed("x");
  KeyReader r(b.key());
  uint64_t u;
  ASSERT_TRUE(r.ReadUint64(&u));
  EXPECT_FALSE(r.done());
  EXPECT_EQ(r.remaining(), "x");
}

TEST(KeyReaderTest, NeverCrashesOnRandomInput) {
  std::mt19937 rng(7);
  for (int n = 0; n < 20000; ++n) {
    std::string input(rng() % 24, '\0');
    for (char& c : input) {
      c = static_cast<char>(rng() % 4 == 0 ? 0 : rng() % 256);
    }
    KeyReader r(input);
    std::string s;
    absl::string_view v;
    uint64_t u;
    int64_t i;
    // Read whatever parses until nothing does.
    for (int step = 0; step < 32 && !r.done(); ++step) {
      const size_t before = r.remaining().size();
      bool ok = false;
      switch (rng() % 4) {
        case 0:
          ok = r.ReadString(&s);
          break;
        case 1:
          ok = r.ReadFixed(rng() % 5, &v);
          break;
        case 2:
          ok = r.ReadUint64(&u);
          break;
        default:
          ok = r.ReadInt64(&i);
          break;
      }
      if (!ok) break;
      EXPECT_LE(r.remaining().size(), before);
    }
  }
}

TEST(PrefixSuccessorTest, IncrementsLastByteAfterStrippingTrailing0xFF) {
  EXPECT_EQ(PrefixSuccessor("abc"), "abd");
  EXPECT_EQ(PrefixSuccessor(Bytes({'a', 0xff})), "b");
  EXPECT_EQ(PrefixSuccessor(Bytes({'a', 0xfe, 0xff, 0xff})), Bytes({'a', 0xff}));
  EXPECT_EQ(PrefixSuccessor(Bytes({0x00})), Bytes({0x01}));
  EXPECT_EQ(PrefixSuccessor(""), "");
  EXPECT_EQ(PrefixSuccessor(Bytes({0xff, 0xff})), "");
}

TEST(PrefixSuccessorTest, BoundsExactlyThePrefixedStrings) {
  const std::string prefix = Bytes({'k', 0xff});
  const std::string upper = PrefixSuccessor(prefix);
  for (const std::string& inside :
       {prefix, prefix + Bytes({0x00}), prefix + Bytes({0xff, 0xff, 0xff})}) {
    EXPECT_LT(CompareBytes(inside, upper), 0);
  }
  for (const std::string& outside : {Bytes({'l'}), Bytes({'l', 0x00})}) {
    EXPECT_GE(CompareBytes(outside, upper), 0);
  }
}

}  // namespace
}  // namespace regulation::storage
