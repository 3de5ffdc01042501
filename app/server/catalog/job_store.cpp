#include "catalog/job_store.hpp"

#include <array>
#include <utility>

namespace streamsync::server {
namespace {

constexpr std::array<std::pair<JobStatus, std::string_view>, 6> kStatusNames = {{
    {JobStatus::queued, "queued"},
    {JobStatus::probing, "probing"},
    {JobStatus::transcoding, "transcoding"},
    {JobStatus::ready, "ready"},
    {JobStatus::failed, "failed"},
    {JobStatus::cancelled, "cancelled"},
}};

constexpr std::string_view kColumns =
    "id, video_id, status, progress, message, source_path, keep_source, created_at_us, "
    "updated_at_us";

JobRecord read_job(const Statement& row) {
  JobRecord job;
  job.id = row.column_text(0);
  job.video_id = row.column_text(1);
  const std::string status = row.column_text(2);
  const auto parsed = job_status_from_string(status);
  if (!parsed) throw DatabaseError("unknown job status '" + status + "'", row.sql());
  job.status = *parsed;
  job.progress = row.column_double(3);
  job.message = row.column_text(4);
  job.source_path = row.column_text(5);
  job.keep_source = row.column_int(6) != 0;
  job.created_at_us = row.column_int(7);
  job.updated_at_us = row.column_int(8);
  return job;
}

std::vector<JobRecord> read_all(Statement& statement) {
  std::vector<JobRecord> jobs;
  while (statement.step()) jobs.push_back(read_job(statement));
  return jobs;
}

}  // namespace

std::string_view to_string(JobStatus status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) return name;
  }
  return "queued";
}

std::optional<JobStatus> job_status_from_string(std::string_view text) {
  for (const auto& [value, name] : kStatusNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

bool is_finished(JobStatus status) {
  return status == JobStatus::ready || status == JobStatus::failed ||
         status == JobStatus::cancelled;
}

void JobStore::create(const JobRecord& job) {
  const auto lock = db_.lock();
  Statement insert(db_, "INSERT INTO jobs (" + std::string(kColumns) +
                            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  insert.bind_text(1, job.id)
      .bind_text(2, job.video_id)
      .bind_text(3, to_string(job.status))
      .bind_double(4, job.progress)
      .bind_text(5, job.message)
      .bind_text(6, job.source_path)
      .bind_int(7, job.keep_source ? 1 : 0)
      .bind_int(8, job.created_at_us)
      .bind_int(9, job.updated_at_us);
  insert.run();
}

std::optional<JobRecord> JobStore::get(std::string_view id) {
  const auto lock = db_.lock();
  Statement select(db_, "SELECT " + std::string(kColumns) + " FROM jobs WHERE id = ?1");
  select.bind_text(1, id);
  if (!select.step()) return std::nullopt;
  return read_job(select);
}

std::vector<JobRecord> JobStore::list(std::size_t limit) {
  const auto lock = db_.lock();
  Statement select(db_, "SELECT " + std::string(kColumns) +
                            " FROM jobs ORDER BY created_at_us DESC, id LIMIT ?1");
  select.bind_int(1, static_cast<std::int64_t>(limit));
  return read_all(select);
}

std::optional<JobRecord> JobStore::latest_for_video(std::string_view video_id) {
  const auto lock = db_.lock();
  Statement select(db_, "SELECT " + std::string(kColumns) +
                            " FROM jobs WHERE video_id = ?1 ORDER BY created_at_us DESC LIMIT 1");
  select.bind_text(1, video_id);
  if (!select.step()) return std::nullopt;
  return read_job(select);
}

std::optional<JobRecord> JobStore::claim_next(std::int64_t now_us) {
  const auto lock = db_.lock();
  Statement claim(
      db_,
      "UPDATE jobs SET status = 'probing', updated_at_us = ?1 WHERE id = "
      "(SELECT id FROM jobs WHERE status = 'queued' ORDER BY created_at_us, id LIMIT 1) "
      "AND status = 'queued' RETURNING " +
          std::string(kColumns));
  claim.bind_int(1, now_us);
  if (!claim.step()) return std::nullopt;
  JobRecord job = read_job(claim);
  claim.reset();  // finish the statement before the lock goes
  return job;
}

bool JobStore::claim(std::string_view id, std::int64_t now_us) {
  const auto lock = db_.lock();
  Statement claim(
      db_,
      "UPDATE jobs SET status = 'probing', updated_at_us = ?2 WHERE id = ?1 AND status = 'queued'");
  claim.bind_text(1, id).bind_int(2, now_us);
  claim.run();
  return db_.changes() == 1;
}

bool JobStore::update(std::string_view id, JobStatus status, double progress,
                      std::string_view message, std::int64_t now_us) {
  const auto lock = db_.lock();
  Statement update(db_,
                   "UPDATE jobs SET status = ?2, progress = ?3, message = ?4, updated_at_us = ?5 "
                   "WHERE id = ?1 AND status NOT IN ('ready', 'failed', 'cancelled')");
  update.bind_text(1, id)
      .bind_text(2, to_string(status))
      .bind_double(3, progress < 0 ? 0 : (progress > 1 ? 1 : progress))
      .bind_text(4, message)
      .bind_int(5, now_us);
  update.run();
  return db_.changes() == 1;
}

std::vector<JobRecord> JobStore::requeue_interrupted(std::int64_t now_us) {
  const auto lock = db_.lock();
  Statement requeue(db_,
                    "UPDATE jobs SET status = 'queued', progress = 0, updated_at_us = ?1 "
                    "WHERE status IN ('probing', 'transcoding') RETURNING " +
                        std::string(kColumns));
  requeue.bind_int(1, now_us);
  std::vector<JobRecord> jobs = read_all(requeue);
  return jobs;
}

}  // namespace streamsync::server
