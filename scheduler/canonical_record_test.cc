#include "scheduler/canonical_record.h"

#include "gtest/gtest.h"

namespace regulation::scheduler {
namespace {

TEST(CanonicalRecord, WritesLengthPrefixedLines) {
  CanonicalRecord record;
  record.Add("domain", "regulation.draw.v1");
  record.Add("round", 0);
  record.Add("empty", "");
  EXPECT_EQ(record.bytes(), "domain=18:regulation.draw.v1\nround=1:0\nempty=0:\n");
}

TEST(CanonicalRecord, CountsUtf8Bytes) {
  CanonicalRecord record;
  record.Add("department", "消防救援");
  EXPECT_EQ(record.bytes(), "department=12:消防救援\n");
}

TEST(CanonicalRecord, LengthPrefixKeepsValuesApart) {
  CanonicalRecord a;
  a.Add("x", "1\ny=1:2");
  CanonicalRecord b;
  b.Add("x", "1");
  b.Add("y", "2");
  EXPECT_NE(a.Sha256Hex(), b.Sha256Hex());
}

TEST(CanonicalRecord, HashesTheBytes) {
  CanonicalRecord record;
  EXPECT_EQ(record.Sha256Hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(CanonicalRecord, HashOnlyModeGivesTheSameDigest) {
  CanonicalRecord kept;
  CanonicalRecord streamed(CanonicalRecord::Mode::kHashOnly);
  for (int i = 0; i < 20000; ++i) {
    kept.Add("field", i);
    streamed.Add("field", i);
    kept.Add("text", "市场监管局");
    streamed.Add("text", "市场监管局");
  }
  EXPECT_GT(kept.bytes().size(), 200000u);
  EXPECT_EQ(kept.Sha256Hex(), streamed.Sha256Hex());
}

}  // namespace
}  // namespace regulation::scheduler
