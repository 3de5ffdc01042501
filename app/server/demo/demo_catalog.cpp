#include "demo/demo_catalog.hpp"

namespace streamsync::server {

std::vector<DemoVideoSpec> default_demo_specs() {
  DemoVideoSpec a;
  a.id = "demo-pattern-a";
  a.title = "Test pattern A";
  a.duration_us = 30'000'000;
  a.pattern = "testsrc2";
  a.tone_hz = 440;

  DemoVideoSpec b;
  b.id = "demo-pattern-b";
  b.title = "Test pattern B";
  b.duration_us = 20'000'000;
  b.pattern = "smptehdbars";
  b.tone_hz = 660;
  return {a, b};
}

std::int64_t demo_start_at_us(std::int64_t now_us) {
  constexpr std::int64_t kHourUs = 3600LL * 1'000'000;
  std::int64_t remainder = now_us % kHourUs;
  if (remainder < 0) remainder += kHourUs;  // % truncates towards zero; we floor
  return now_us - remainder;
}

}  // namespace streamsync::server
