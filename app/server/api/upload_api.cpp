#include "api/upload_api.hpp"

#include <charconv>

#include "api/api_support.hpp"
#include "api/event_hub.hpp"
#include "api/random_id.hpp"
#include "api/request_target.hpp"
#include "catalog/job_store.hpp"
#include "catalog/video_store.hpp"
#include "http/responses.hpp"
#include "jobs/ingest_queue.hpp"

namespace streamsync::server {
namespace {

constexpr std::size_t kMaxTitleBytes = 200;

bool is_upload(const RequestHeader& header) {
  return header.method() == beast_http::verb::post &&
         parse_target(header.target()).is({"api", "v1", "videos"});
}

bool acceptable_type(std::string_view type) {
  type = type.substr(0, type.find(';'));
  return type.empty() || type == "application/octet-stream" || type.substr(0, 6) == "video/";
}

UploadRoute::Decision accept(ApiContext& ctx, std::uint64_t limit_bytes,
                             const RequestHeader& header) {
  if (!is_upload(header)) return std::monostate{};
  const Request request{header};
  if (auto denied = require_presenter(ctx, request)) return std::move(*denied);
  const RequestTarget target = parse_target(header.target());
  const auto title = target.decoded_param("title");
  if (!title || title->empty() || title->size() > kMaxTitleBytes) {
    return bad_request(request, "title: required, 1-200 bytes (POST /api/v1/videos?title=...)");
  }
  if (!acceptable_type(header[beast_http::field::content_type])) {
    return error_response(
        request, beast_http::status::unsupported_media_type, "unsupported_media_type",
        "send the video file itself as the body, as video/* or application/octet-stream");
  }
  std::uint64_t declared = 0;
  const auto length = header[beast_http::field::content_length];
  if (std::from_chars(length.data(), length.data() + length.size(), declared).ec == std::errc{} &&
      declared > limit_bytes) {
    return error_response(request, beast_http::status::payload_too_large, "payload_too_large",
                          "the upload limit is " + std::to_string(limit_bytes) + " bytes");
  }
  std::error_code ec;
  std::filesystem::create_directories(ctx.uploads_dir, ec);
  return ctx.uploads_dir / (random_id("upload-") + ".bin");
}

Response finish(ApiContext& ctx, const RequestHeader& header,
                const std::filesystem::path& body_file) {
  const Request request{header};
  std::error_code ec;
  if (std::filesystem::file_size(body_file, ec) == 0 || ec) {
    std::filesystem::remove(body_file, ec);
    return bad_request(request, "the upload is empty");
  }
  const std::int64_t now_us = ctx.now_us();
  VideoRecord video;
  video.id = random_id("v");
  video.title = *parse_target(header.target()).decoded_param("title");
  video.status = VideoStatus::queued;
  video.created_at_us = now_us;
  ctx.videos.upsert(video);
  JobRecord job;
  job.id = random_id("job");
  job.video_id = video.id;
  job.source_path = std::filesystem::absolute(body_file).string();
  job.keep_source = ctx.keep_uploads;
  job.created_at_us = job.updated_at_us = now_us;
  ctx.jobs.create(job);
  ctx.ingest.notify();
  ctx.events.publish(kJobsTopic, JobEvent{job.id, video.id, "queued", 0, ""});
  auto response = json_response(request, beast_http::status::accepted,
                                {{"video_id", video.id},
                                 {"job_id", job.id},
                                 {"video_url", "/api/v1/videos/" + video.id},
                                 {"job_url", "/api/v1/jobs/" + job.id}});
  response.set(beast_http::field::location, "/api/v1/jobs/" + job.id);
  return response;
}

}  // namespace

UploadRoute make_upload_route(ApiContext& ctx, std::uint64_t limit_bytes) {
  UploadRoute route;
  route.limit_bytes = limit_bytes;
  route.accept = [&ctx, limit_bytes](const RequestHeader& header) {
    return accept(ctx, limit_bytes, header);
  };
  route.finish = [&ctx](const RequestHeader& header, const std::filesystem::path& body_file) {
    return finish(ctx, header, body_file);
  };
  return route;
}

}  // namespace streamsync::server
