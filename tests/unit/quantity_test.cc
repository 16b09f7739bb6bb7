// util/quantity.h: sizes as Kubernetes writes them (k = 1000, Ki = 1024), exponents, errors.
#include "util/quantity.h"

#include <gtest/gtest.h>

namespace aegis {
namespace {

TEST(Quantity, KubernetesSuffixesExponentsAndBytes) {
  EXPECT_EQ(*ParseQuantity("1999k"), 1999000u);
  EXPECT_EQ(*ParseQuantity("1999Ki"), 1999u * 1024);
  EXPECT_EQ(*ParseQuantity("64Gi"), 64ull << 30);
  EXPECT_EQ(*ParseQuantity("64GiB"), 64ull << 30);
  EXPECT_EQ(*ParseQuantity("500M"), 500000000u);
  EXPECT_EQ(*ParseQuantity("10GB"), 10000000000u);
  EXPECT_EQ(*ParseQuantity("1e3"), 1000u);
  EXPECT_EQ(*ParseQuantity("1.5E6"), 1500000u);
  EXPECT_EQ(*ParseQuantity("1.5Ki"), 1536u);
  EXPECT_EQ(*ParseQuantity("0.1"), 1u);  // rounded up to a whole unit
  EXPECT_EQ(*ParseQuantity("200000"), 200000u);
}

TEST(Quantity, MalformedIsAnErrorNamingTheText) {
  for (const char* bad : {"", "-1", "+5", "abc", "12x", "1e", "1Gix", "Gi", "1.2.3", "1e3k", "99999999999E"}) {
    auto q = ParseQuantity(bad);
    EXPECT_FALSE(q.ok()) << bad;
    if (!q.ok()) { EXPECT_NE(q.error().message.find("Kubernetes quantity"), std::string::npos) << q.error().message; }
  }
  EXPECT_FALSE(ParseQuantity("1e30").ok()) << "too large";
}

}  // namespace
}  // namespace aegis
