#include "impair_relay/relay_config.hpp"

#include <gtest/gtest.h>

namespace streamsync::impair {
namespace {

Expected<RelayConfig, std::string> parse(const std::vector<std::string>& args) {
  return parse_relay_config(args);
}

TEST(RelayConfig, ParsesBothMappingsAndSettings) {
  const auto config = parse({"--tcp", "127.0.0.1:0=127.0.0.1:8080", "--udp", "[::1]:5000=[::1]:12123",
                             "--control", "127.0.0.1:0", "--delay-ms", "50", "--jitter-ms", "10",
                             "--loss", "0.01", "--down-delay-ms", "0", "--bandwidth-kbps", "1500",
                             "--seed", "42", "--udp-idle-s", "5"});
  ASSERT_TRUE(config) << config.error();
  ASSERT_TRUE(config->tcp);
  EXPECT_EQ(to_text(config->tcp->listen), "127.0.0.1:0");
  EXPECT_EQ(to_text(config->tcp->target), "127.0.0.1:8080");
  ASSERT_TRUE(config->udp);
  EXPECT_EQ(to_text(config->udp->listen), "[::1]:5000");
  EXPECT_EQ(to_text(config->udp->target), "[::1]:12123");
  ASSERT_TRUE(config->control);
  EXPECT_DOUBLE_EQ(config->impairments.up.delay_ms, 50);
  EXPECT_DOUBLE_EQ(config->impairments.down.delay_ms, 0);
  EXPECT_DOUBLE_EQ(config->impairments.down.jitter_ms, 10);
  EXPECT_DOUBLE_EQ(config->impairments.up.loss, 0.01);
  EXPECT_DOUBLE_EQ(config->impairments.down.bandwidth_kbps, 1500);
  EXPECT_EQ(config->seed, 42u);
  EXPECT_EQ(config->udp_idle_timeout, std::chrono::seconds(5));
}

TEST(RelayConfig, DefaultsToLoopbackAndNoImpairment) {
  const auto config = parse({"--udp", ":0=12123"});
  ASSERT_TRUE(config) << config.error();
  EXPECT_EQ(to_text(config->udp->listen), "127.0.0.1:0");
  EXPECT_EQ(to_text(config->udp->target), "127.0.0.1:12123");
  EXPECT_FALSE(config->tcp);
  EXPECT_FALSE(config->control);
  EXPECT_FALSE(config->seed);
  EXPECT_DOUBLE_EQ(config->impairments.up.delay_ms, 0);
  EXPECT_EQ(config->udp_idle_timeout, std::chrono::seconds(60));
}

TEST(RelayConfig, Help) {
  const auto config = parse({"--help"});
  ASSERT_TRUE(config);
  EXPECT_TRUE(config->help);
  EXPECT_NE(relay_usage().find("--control ADDR:PORT"), std::string::npos);
}

TEST(RelayConfig, ClearErrors) {
  const auto error = [](const std::vector<std::string>& args) {
    const auto config = parse_relay_config(args);
    return config ? std::string("(accepted)") : config.error();
  };
  EXPECT_EQ(error({}), "nothing to relay: give --tcp and/or --udp (see --help)");
  EXPECT_EQ(error({"--udp"}), "--udp needs a value");
  EXPECT_EQ(error({"--udp", "127.0.0.1:0"}),
            "--udp: '127.0.0.1:0': expected LISTEN=TARGET, e.g. 127.0.0.1:0=127.0.0.1:8080");
  EXPECT_EQ(error({"--udp", "127.0.0.1:0=localhost:53"}),
            "--udp: 'localhost:53': 'localhost' is not an IP address");
  EXPECT_EQ(error({"--udp", "127.0.0.1:0=127.0.0.1:0"}),
            "--udp: '127.0.0.1:0=127.0.0.1:0': the target needs a port");
  EXPECT_EQ(error({"--udp", "127.0.0.1:0=127.0.0.1:70000"}),
            "--udp: '127.0.0.1:70000': the port must be a number from 0 to 65535");
  EXPECT_EQ(error({"--udp", ":0=1", "--udp", ":0=2"}),
            "--udp given twice: one relay relays one port of each kind");
  EXPECT_EQ(error({"--udp", ":0=1", "--loss", "2"}), "--loss: '2' is not a probability from 0 to 1");
  EXPECT_EQ(error({"--udp", ":0=1", "--up-delay-ms", "-5"}),
            "--up-delay-ms: '-5' is not a number of milliseconds from 0 to 3600000");
  EXPECT_EQ(error({"--udp", ":0=1", "--seed", "x"}), "--seed: 'x' is not a non-negative integer");
  EXPECT_EQ(error({"--udp", ":0=1", "--udp-idle-s", "0"}), "--udp-idle-s: a number of seconds from 1 to 86400");
  EXPECT_EQ(error({"--udp", ":0=1", "--netem"}), "unknown option '--netem' (see --help)");
  EXPECT_EQ(error({"--udp", ":0=1", "stray"}), "unexpected argument 'stray' (see --help)");
}

}  // namespace
}  // namespace streamsync::impair
