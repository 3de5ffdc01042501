#pragma once

// JobStore: ingest jobs, one per uploaded file. A job moves queued → probing →
// transcoding → ready, or ends failed (with the reason) or cancelled. Claiming a job
// (queued → probing) is one atomic UPDATE, so the server's workers and a command-line
// ingest running beside it never take the same job.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/database.hpp"

namespace streamsync::server {

enum class JobStatus { queued, probing, transcoding, ready, failed, cancelled };

std::string_view to_string(JobStatus status);
std::optional<JobStatus> job_status_from_string(std::string_view text);
// ready, failed and cancelled jobs never change again.
bool is_finished(JobStatus status);

struct JobRecord {
  std::string id;
  std::string video_id;
  JobStatus status = JobStatus::queued;
  double progress = 0;      // 0..1 of the transcode
  std::string message;      // why it failed; "" otherwise
  std::string source_path;  // the file to ingest (absolute)
  bool keep_source = true;  // false: an upload of ours, removed when the job finishes
  std::int64_t created_at_us = 0;
  std::int64_t updated_at_us = 0;

  friend bool operator==(const JobRecord&, const JobRecord&) = default;
};

class JobStore {
 public:
  explicit JobStore(Database& db) : db_(db) {}

  // Stores a new job; its video row must exist.
  void create(const JobRecord& job);
  std::optional<JobRecord> get(std::string_view id);
  // Newest first, at most `limit`.
  std::vector<JobRecord> list(std::size_t limit = 100);
  std::optional<JobRecord> latest_for_video(std::string_view video_id);

  // Takes the oldest queued job (queued → probing); nullopt when none is waiting.
  std::optional<JobRecord> claim_next(std::int64_t now_us);
  // Takes this job if it is still queued.
  bool claim(std::string_view id, std::int64_t now_us);

  // Moves an unfinished job on; false when the job is unknown or already finished (a
  // cancelled job stays cancelled whatever its worker reports afterwards).
  bool update(std::string_view id, JobStatus status, double progress, std::string_view message,
              std::int64_t now_us);

  // After a restart: jobs caught mid-run go back to the queue, from scratch. Returns them.
  std::vector<JobRecord> requeue_interrupted(std::int64_t now_us);

 private:
  Database& db_;
};

}  // namespace streamsync::server
