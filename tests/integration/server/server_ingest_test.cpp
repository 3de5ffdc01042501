// Video ingest through the real server: uploads over HTTP, the command-line ingest, bad
// input, truncated uploads, deletion rules and restart recovery. Inputs are made with the
// ffmpeg CLI in each test's temp folder.

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "process/child_process.hpp"
#include "support/http_client.hpp"
#include "support/server_process.hpp"
#include "support/temp_dir.hpp"

namespace streamsync::test {
namespace {

using streamsync::testing::TempDir;

using boost::beast::http::status;
using boost::beast::http::verb;

// A short clip made by the ffmpeg CLI (test pattern + tone), as a test input.
std::filesystem::path make_clip(const std::filesystem::path& dir, const std::string& name,
                                int seconds) {
  const auto path = dir / name;
  server::ChildProcessOptions ffmpeg;
  ffmpeg.argv = {"ffmpeg",    "-v",
                 "error",     "-y",
                 "-f",        "lavfi",
                 "-i",        "testsrc2=size=320x180:rate=30:duration=" + std::to_string(seconds),
                 "-f",        "lavfi",
                 "-i",        "sine=frequency=440:duration=" + std::to_string(seconds),
                 "-c:v",      "libx264",
                 "-preset",   "ultrafast",
                 "-c:a",      "aac",
                 "-shortest", path.string()};
  ffmpeg.timeout = std::chrono::seconds(120);
  const auto result = server::run_child_process(ffmpeg);
  EXPECT_TRUE(result && result->succeeded()) << (result ? result->describe() : result.error());
  return path;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

nlohmann::json json_of(const HttpResponse& response) {
  return nlohmann::json::parse(response.body());
}

class Ingest : public ::testing::Test {
 protected:
  void SetUp() override { start(); }

  void start(const std::vector<std::string>& extra = {}) {
    server_ = ServerProcess::start(data_.path(), extra);
    ASSERT_NE(server_, nullptr);
    // Only the first start prints the token; restarts keep the one from before.
    if (std::string token = server_->presenter_token(); !token.empty()) token_ = token;
  }
  std::uint16_t port() const { return server_->http_port(); }

  HttpResponse upload(const std::string& body, const std::string& title = "Clip",
                      const std::string& type = "video/mp4") {
    return http_request(port(), verb::post, "/api/v1/videos?title=" + title,
                        {{"Authorization", "Bearer " + token_}, {"Content-Type", type}}, body);
  }

  // Polls the job until it has finished; returns its last state.
  nlohmann::json wait_for_job(const std::string& job_id,
                              std::chrono::seconds limit = std::chrono::seconds(180)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    nlohmann::json job;
    while (std::chrono::steady_clock::now() < deadline) {
      job = json_of(http_get(port(), "/api/v1/jobs/" + job_id));
      const std::string state = job["status"];
      if (state == "ready" || state == "failed" || state == "cancelled") return job;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ADD_FAILURE() << "job " << job_id << " did not finish: " << job.dump();
    return job;
  }

  bool uploads_empty() const {
    const auto dir = data_.path() / "uploads";
    return !std::filesystem::exists(dir) || std::filesystem::is_empty(dir);
  }

  TempDir data_;
  TempDir inputs_;
  std::unique_ptr<ServerProcess> server_;
  std::string token_;
};

TEST_F(Ingest, AnUploadBecomesAReadyVideoWithAnHlsLadder) {
  const auto clip = make_clip(inputs_.path(), "clip.mp4", 3);
  const auto accepted = upload(read_file(clip), "My%20clip");
  ASSERT_EQ(accepted.result(), status::accepted) << accepted.body();
  const auto ids = json_of(accepted);
  const auto job = wait_for_job(ids["job_id"]);
  ASSERT_EQ(job["status"], "ready") << job.dump();
  EXPECT_DOUBLE_EQ(job["progress"].get<double>(), 1.0);

  const auto video =
      json_of(http_get(port(), "/api/v1/videos/" + ids["video_id"].get<std::string>()));
  EXPECT_EQ(video["title"], "My clip");
  EXPECT_EQ(video["status"], "ready");
  EXPECT_NEAR(video["duration_us"].get<double>(), 3e6, 40'000);
  ASSERT_FALSE(video["renditions"].empty());
  const auto master = http_get(port(), video["master_url"]);
  EXPECT_EQ(master.result(), status::ok);
  EXPECT_NE(master.body().find("#EXT-X-STREAM-INF"), std::string::npos);
  EXPECT_EQ(http_get(port(), video["poster_url"]).result(), status::ok);
  EXPECT_TRUE(uploads_empty()) << "the upload is removed once ingested";

  // The viewer's player must play it from the server and seek into it (sync seeks).
  server::ChildProcessOptions mpv;
  mpv.argv = {
      "mpv",
      "--no-config",
      "--vo=null",
      "--ao=null",
      "--start=1.5",
      "--frames=15",
      "--msg-level=all=error",
      "http://127.0.0.1:" + std::to_string(port()) + video["master_url"].get<std::string>()};
  mpv.timeout = std::chrono::seconds(60);
  std::string errors;
  mpv.on_stderr_line = [&](std::string_view line) { errors.append(line).append("\n"); };
  const auto played = server::run_child_process(mpv);
  ASSERT_TRUE(played) << played.error();
  EXPECT_TRUE(played->succeeded()) << played->describe() << errors;
}

TEST_F(Ingest, UploadsAreCheckedBeforeTheBodyIsStored) {
  EXPECT_EQ(http_request(port(), verb::post, "/api/v1/videos?title=x",
                         {{"Content-Type", "video/mp4"}}, "abc")
                .result(),
            status::unauthorized);
  EXPECT_EQ(
      http_request(port(), verb::post, "/api/v1/videos",
                   {{"Authorization", "Bearer " + token_}, {"Content-Type", "video/mp4"}}, "abc")
          .result(),
      status::bad_request);
  EXPECT_EQ(upload("abc", "x", "text/plain").result(), status::unsupported_media_type);
  EXPECT_TRUE(json_of(http_get(port(), "/api/v1/videos"))["videos"].empty());
  EXPECT_TRUE(uploads_empty());
}

TEST_F(Ingest, UploadsAboveTheLimitGet413AndLeaveNothing) {
  server_->stop();
  start({"--upload-limit-mb", "1"});
  EXPECT_EQ(upload(std::string(2 << 20, 'x')).result(), status::payload_too_large);
  EXPECT_TRUE(json_of(http_get(port(), "/api/v1/videos"))["videos"].empty());
  EXPECT_TRUE(uploads_empty());
}

TEST_F(Ingest, AFileThatIsNotVideoFailsWithAClearReason) {
  const auto accepted = upload(std::string(50'000, '\x5a'));
  ASSERT_EQ(accepted.result(), status::accepted);
  const auto job = wait_for_job(json_of(accepted)["job_id"]);
  EXPECT_EQ(job["status"], "failed");
  EXPECT_NE(job["message"].get<std::string>().find("not a media file"), std::string::npos)
      << job.dump();
  const auto video = json_of(
      http_get(port(), "/api/v1/videos/" + json_of(accepted)["video_id"].get<std::string>()));
  EXPECT_EQ(video["status"], "failed");
  EXPECT_FALSE(
      std::filesystem::exists(data_.path() / "media/videos" / video["id"].get<std::string>()));
  EXPECT_TRUE(uploads_empty());
}

TEST_F(Ingest, ATruncatedUploadLeavesNothingBehind) {
  {
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket socket(io);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), port()});
    const std::string head =
        "POST /api/v1/videos?title=cut HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token_ +
        "\r\nContent-Type: video/mp4\r\nContent-Length: 1000000\r\n\r\n" + std::string(1000, 'x');
    boost::asio::write(socket, boost::asio::buffer(head));
  }  // the client goes away mid-body
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(json_of(http_get(port(), "/api/v1/videos"))["videos"].empty());
  EXPECT_TRUE(uploads_empty());
}

TEST_F(Ingest, CommandLineIngestReportsProgressAndFailures) {
  const auto clip = make_clip(inputs_.path(), "cli.mkv", 2);
  std::ofstream(inputs_.path() / "notes.mp4") << "these are notes, not a video";
  server::ChildProcessOptions cli;
  cli.argv = {server_binary().string(),
              "ingest",
              clip.string(),
              (inputs_.path() / "notes.mp4").string(),
              "--data",
              data_.path().string()};
  cli.timeout = std::chrono::seconds(180);
  std::string out, err;
  cli.on_stdout_line = [&](std::string_view line) { out.append(line).append("\n"); };
  cli.on_stderr_line = [&](std::string_view line) { err.append(line).append("\n"); };
  const auto result = server::run_child_process(cli);
  ASSERT_TRUE(result) << result.error();
  EXPECT_EQ(result->exit_code, 1) << "one of the two files failed";
  std::smatch match;
  ASSERT_TRUE(std::regex_search(out, match, std::regex(R"(ready\t(\S+)\t.*cli\.mkv)")))
      << out << err;
  EXPECT_NE(err.find("100%"), std::string::npos) << err;
  EXPECT_NE(err.find("notes.mp4: not a media file"), std::string::npos) << err;
  // The running server sees the video the command line made.
  EXPECT_EQ(json_of(http_get(port(), "/api/v1/videos/" + match[1].str()))["status"], "ready");
  EXPECT_TRUE(std::filesystem::exists(clip)) << "the command line never removes the user's file";
}

TEST_F(Ingest, AScheduledVideoIsOnlyDeletedWhenForced) {
  const auto accepted = upload(read_file(make_clip(inputs_.path(), "d.mp4", 2)));
  const std::string video_id = json_of(accepted)["video_id"];
  ASSERT_EQ(wait_for_job(json_of(accepted)["job_id"])["status"], "ready");
  ASSERT_EQ(http_json(port(), verb::post, "/api/v1/channels", R"({"slug":"c","name":"C"})", token_)
                .result(),
            status::created);
  const auto duration =
      json_of(http_get(port(), "/api/v1/videos/" + video_id))["duration_us"].get<std::int64_t>();
  const nlohmann::json schedule = {
      {"channel_id", "c"},
      {"revision", 1},
      {"effective_at_us", 0},
      {"start_at_us", 1'800'000'000'000'000},
      {"loop", true},
      {"items", {{{"video_id", video_id}, {"in_point_us", 0}, {"duration_us", duration}}}}};
  ASSERT_EQ(
      http_json(port(), verb::put, "/api/v1/channels/c/schedule", schedule.dump(), token_).result(),
      status::created);
  const Headers auth{{"Authorization", "Bearer " + token_}};
  const auto refused = http_request(port(), verb::delete_, "/api/v1/videos/" + video_id, auth);
  EXPECT_EQ(refused.result(), status::conflict);
  EXPECT_NE(refused.body().find("c"), std::string::npos);
  EXPECT_EQ(http_request(port(), verb::delete_, "/api/v1/videos/" + video_id + "?force=true", auth)
                .result(),
            status::no_content);
  EXPECT_EQ(http_get(port(), "/api/v1/videos/" + video_id).result(), status::not_found);
  EXPECT_FALSE(std::filesystem::exists(data_.path() / "media/videos" / video_id));
}

TEST_F(Ingest, AJobInterruptedByARestartIsRedoneFromScratch) {
  const auto accepted = upload(read_file(make_clip(inputs_.path(), "long.mp4", 40)));
  const std::string job_id = json_of(accepted)["job_id"];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (json_of(http_get(port(), "/api/v1/jobs/" + job_id))["status"] != "transcoding" &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  server_->stop();
  const auto videos = data_.path() / "media/videos";
  start();
  const auto job = wait_for_job(job_id);
  EXPECT_EQ(job["status"], "ready") << job.dump();
  EXPECT_NE(server_->stderr_text().find("re-queued after restart"), std::string::npos);
  for (const auto& entry : std::filesystem::directory_iterator(videos)) {
    EXPECT_NE(entry.path().filename().string().rfind(".tmp", 0), 0u)
        << "temporary output left: " << entry.path();
  }
}

}  // namespace
}  // namespace streamsync::test
