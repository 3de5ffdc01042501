#include "config/server_config.hpp"

#include <gtest/gtest.h>

#include <map>

namespace streamsync::server {
namespace {

std::map<std::string, std::string> g_env;

std::optional<std::string> lookup(const char* name) {
  const auto it = g_env.find(name);
  return it == g_env.end() ? std::nullopt : std::optional<std::string>(it->second);
}

class ServerConfigTest : public ::testing::Test {
 protected:
  void SetUp() override { g_env = {{"HOME", "/home/ada"}}; }
};

TEST_F(ServerConfigTest, DefaultsServeOnStandardPorts) {
  const auto config = parse_server_config({"--data", "/srv/ss"}, lookup);
  ASSERT_TRUE(config) << config.error();
  EXPECT_EQ(config->command, Command::serve);
  EXPECT_EQ(config->data_dir, "/srv/ss");
  EXPECT_EQ(config->http.host, "0.0.0.0");
  EXPECT_EQ(config->http.port, 8080);
  EXPECT_EQ(config->ntp.port, 12123);
  EXPECT_FALSE(config->demo);
}

TEST_F(ServerConfigTest, CommandLineBeatsEnvironment) {
  g_env["STREAMSYNC_HTTP"] = "127.0.0.1:9000";
  g_env["STREAMSYNC_DATA"] = "/from/env";
  const auto from_env = parse_server_config({}, lookup);
  ASSERT_TRUE(from_env);
  EXPECT_EQ(from_env->http.port, 9000);
  EXPECT_EQ(from_env->data_dir, "/from/env");
  const auto overridden = parse_server_config({"--http", "[::1]:8081", "--data", "/cli"}, lookup);
  ASSERT_TRUE(overridden);
  EXPECT_EQ(overridden->http.host, "::1");
  EXPECT_EQ(overridden->http.port, 8081);
  EXPECT_EQ(overridden->data_dir, "/cli");
}

TEST_F(ServerConfigTest, EndpointForms) {
  EXPECT_EQ(parse_endpoint("8080", "0.0.0.0")->host, "0.0.0.0");
  EXPECT_EQ(parse_endpoint(":8080", "0.0.0.0")->port, 8080);
  EXPECT_EQ(parse_endpoint("10.0.0.1:123", "0.0.0.0")->host, "10.0.0.1");
  EXPECT_EQ(parse_endpoint("[::]:0", "0.0.0.0")->host, "::");
  EXPECT_FALSE(parse_endpoint("host:99999", "0.0.0.0"));
  EXPECT_FALSE(parse_endpoint("host:http", "0.0.0.0"));
  EXPECT_FALSE(parse_endpoint("[::1", "0.0.0.0"));
}

TEST_F(ServerConfigTest, DataDirFollowsXdgThenHome) {
#if defined(__linux__)
  EXPECT_EQ(parse_server_config({}, lookup)->data_dir, "/home/ada/.local/share/streamsync");
  g_env["XDG_DATA_HOME"] = "/xdg";
  EXPECT_EQ(parse_server_config({}, lookup)->data_dir, "/xdg/streamsync");
#else
  GTEST_SKIP() << "the XDG layout is Linux's";
#endif
}

TEST_F(ServerConfigTest, TokenCommands) {
  const auto create = parse_server_config({"token", "create", "laptop", "--data", "/d"}, lookup);
  ASSERT_TRUE(create) << create.error();
  EXPECT_EQ(create->command, Command::token_create);
  EXPECT_EQ(create->command_args, std::vector<std::string>{"laptop"});
  EXPECT_EQ(parse_server_config({"token", "list"}, lookup)->command, Command::token_list);
  EXPECT_FALSE(parse_server_config({"token", "create"}, lookup));
  EXPECT_FALSE(parse_server_config({"token", "revoke"}, lookup));
  EXPECT_FALSE(parse_server_config({"token", "explode"}, lookup));
}

TEST_F(ServerConfigTest, MistakesAreNamed) {
  const auto unknown = parse_server_config({"--frobnicate"}, lookup);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().find("--frobnicate"), std::string::npos);
  EXPECT_FALSE(parse_server_config({"--http"}, lookup));
  EXPECT_FALSE(parse_server_config({"--log-level", "loud"}, lookup));
  EXPECT_FALSE(parse_server_config({"--threads", "0"}, lookup));
  g_env["STREAMSYNC_NTP"] = "nope:x";
  const auto env = parse_server_config({}, lookup);
  ASSERT_FALSE(env);
  EXPECT_NE(env.error().find("STREAMSYNC_NTP"), std::string::npos);
}

TEST_F(ServerConfigTest, NtpRateLimit) {
  EXPECT_DOUBLE_EQ(parse_server_config({}, lookup)->ntp_rate_limit_per_s, 8.0);
  EXPECT_DOUBLE_EQ(
      parse_server_config({"--ntp-rate-limit", "100000"}, lookup)->ntp_rate_limit_per_s, 100000.0);
  EXPECT_FALSE(parse_server_config({"--ntp-rate-limit", "0"}, lookup));
}

TEST_F(ServerConfigTest, HelpAndVersion) {
  EXPECT_EQ(parse_server_config({"--help"}, lookup)->command, Command::help);
  EXPECT_EQ(parse_server_config({"--version"}, lookup)->command, Command::version);
  EXPECT_NE(server_usage().find("--demo"), std::string::npos);
}

}  // namespace
}  // namespace streamsync::server
