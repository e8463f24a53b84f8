#include "tools/regctl/rpc_call.h"

#include <map>

#include "gtest/gtest.h"
#include "regulation/v1/inspection_service.pb.h"
#include "testing/status_matchers.h"

namespace regulation::regctl {
namespace {

using ::regulation::testing::StatusIs;

// Three pages: "" -> a, b (next "p2"); "p2" -> c (next "p3"); "p3" -> d (end).
grpc::Status FakePage(const std::string& token, v1::ListInspectorsResponse* page,
                      std::vector<std::string>* tokens_seen) {
  tokens_seen->push_back(token);
  const std::map<std::string, std::pair<std::vector<std::string>, std::string>> pages = {
      {"", {{"a", "b"}, "p2"}}, {"p2", {{"c"}, "p3"}}, {"p3", {{"d"}, ""}}};
  auto found = pages.find(token);
  if (found == pages.end()) return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "token");
  for (const std::string& id : found->second.first) page->add_inspectors()->set_inspector_id(id);
  page->set_next_page_token(found->second.second);
  return grpc::Status::OK;
}

std::string Ids(const v1::ListInspectorsResponse& r) {
  std::string ids;
  for (const v1::Inspector& i : r.inspectors()) ids += i.inspector_id();
  return ids;
}

TEST(FetchPages, AllPagesFollowsTokensToTheEnd) {
  std::vector<std::string> tokens;
  v1::ListInspectorsResponse all;
  const grpc::Status status = FetchPages(
      "", true,
      [&](const std::string& token, v1::ListInspectorsResponse* page) {
        return FakePage(token, page, &tokens);
      },
      &all);
  ASSERT_OK(status);
  EXPECT_EQ(Ids(all), "abcd");
  EXPECT_EQ(all.next_page_token(), "");
  EXPECT_EQ(tokens, (std::vector<std::string>{"", "p2", "p3"}));
}

TEST(FetchPages, OnePageKeepsTheNextToken) {
  std::vector<std::string> tokens;
  v1::ListInspectorsResponse all;
  ASSERT_OK(FetchPages(
      "p2", false,
      [&](const std::string& token, v1::ListInspectorsResponse* page) {
        return FakePage(token, page, &tokens);
      },
      &all));
  EXPECT_EQ(Ids(all), "c");
  EXPECT_EQ(all.next_page_token(), "p3");
}

TEST(FetchPages, StopsAtTheFirstError) {
  std::vector<std::string> tokens;
  v1::ListInspectorsResponse all;
  const grpc::Status status = FetchPages(
      "bogus", true,
      [&](const std::string& token, v1::ListInspectorsResponse* page) {
        return FakePage(token, page, &tokens);
      },
      &all);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(tokens.size(), 1u);
}

}  // namespace
}  // namespace regulation::regctl
