#include "api/jobs_api.hpp"

#include "api/api_support.hpp"
#include "catalog/job_store.hpp"
#include "http/responses.hpp"
#include "jobs/ingest_queue.hpp"

namespace streamsync::server {

nlohmann::json job_json(const JobRecord& job) {
  return {{"id", job.id},
          {"video_id", job.video_id},
          {"status", to_string(job.status)},
          {"progress", job.progress},
          {"message", job.message.empty() ? nlohmann::json(nullptr) : nlohmann::json(job.message)},
          {"created_at_us", job.created_at_us},
          {"updated_at_us", job.updated_at_us}};
}

StringResponse jobs_collection(ApiContext& ctx, const Request& request) {
  if (request.method() != beast_http::verb::get) return method_not_allowed(request, {"GET"});
  nlohmann::json list = nlohmann::json::array();
  for (const JobRecord& job : ctx.jobs.list()) list.push_back(job_json(job));
  return json_response(request, beast_http::status::ok, {{"jobs", list}});
}

StringResponse job_resource(ApiContext& ctx, const Request& request, const std::string& id) {
  if (request.method() != beast_http::verb::get) return method_not_allowed(request, {"GET"});
  const auto job = ctx.jobs.get(id);
  if (!job) return not_found(request, "job '" + id + "'");
  return json_response(request, beast_http::status::ok, job_json(*job));
}

StringResponse job_cancel(ApiContext& ctx, const Request& request, const std::string& id) {
  if (request.method() != beast_http::verb::post) return method_not_allowed(request, {"POST"});
  if (auto denied = require_presenter(ctx, request)) return *denied;
  const auto job = ctx.jobs.get(id);
  if (!job) return not_found(request, "job '" + id + "'");
  if (!ctx.ingest.cancel(id)) {
    return error_response(
        request, beast_http::status::conflict, "conflict",
        "job '" + id + "' has already finished (" + std::string(to_string(job->status)) + ")");
  }
  return json_response(request, beast_http::status::accepted, {{"id", id}, {"cancelling", true}});
}

}  // namespace streamsync::server
