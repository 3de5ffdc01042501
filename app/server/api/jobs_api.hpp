#pragma once

// /api/v1/jobs: ingest jobs, their status and progress; presenters cancel them.

#include <nlohmann/json.hpp>

#include "api/api_context.hpp"
#include "http/http_types.hpp"

namespace streamsync::server {

class JobStore;
struct JobRecord;

nlohmann::json job_json(const JobRecord& job);

StringResponse jobs_collection(ApiContext& ctx, const Request& request);  // /jobs
StringResponse job_resource(ApiContext& ctx, const Request& request,
                            const std::string& id);  // /jobs/{id}
StringResponse job_cancel(ApiContext& ctx, const Request& request,
                          const std::string& id);  // .../cancel

}  // namespace streamsync::server
