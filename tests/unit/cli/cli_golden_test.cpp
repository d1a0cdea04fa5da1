// Golden output of `status`, `sources` and `now`, text and JSON, against pages made here.
#include <nlohmann/json.hpp>

#include "unit/cli/cli_fixture.hpp"

namespace ffclock::testing {
namespace {

// 50 s after the anchor: maxerror 100 us + 50 s * 1 ppm = 150 us.
class Golden : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    publish(synced());
    write_file(sources_path(), kSourcesJson);
    counter_.advance(50'000'000'000);
  }
};

TEST_F(Golden, StatusText) {
  const auto r = run({"status", "--page", page_path(), "--sources-page", sources_path()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, R"(GOLDEN)");
}

TEST_F(Golden, StatusJson) {
  const auto r = run({"status", "--page", page_path(), "--sources-page", sources_path(), "--json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, R"(GOLDEN)");
}

TEST_F(Golden, NowText) {
  const auto r = run({"now", "--page", page_path()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, R"(GOLDEN)");
}

TEST_F(Golden, NowJson) {
  const auto r = run({"now", "--page", page_path(), "--json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, R"(GOLDEN)");
}

TEST_F(Golden, SourcesText) {
  const auto r = run({"sources", "--page", page_path(), "--sources-page", sources_path()});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, R"(GOLDEN)");
}

TEST_F(Golden, SourcesJson) {
  const auto r = run({"sources", "--page", page_path(), "--sources-page", sources_path(), "--json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, R"(GOLDEN)");
}

}  // namespace
}  // namespace ffclock::testing
