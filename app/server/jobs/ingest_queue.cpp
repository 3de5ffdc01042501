#include "jobs/ingest_queue.hpp"

#include "observability/logger.hpp"
#include "process/stop_signal.hpp"

namespace streamsync::server {

IngestQueue::IngestQueue(IngestEnvironment env, int workers)
    : env_(std::move(env)), worker_count_(workers) {
  env_.shutting_down = [this] {
    const std::lock_guard lock(mutex_);
    return stopping_;
  };
}

IngestQueue::~IngestQueue() {
  stop();
}

void IngestQueue::start() {
  for (const JobRecord& job : env_.jobs.requeue_interrupted(env_.now_us())) {
    std::error_code ignored;
    std::filesystem::remove_all(temporary_video_folder(env_.media_root, job.video_id), ignored);
    log_info("ingest re-queued after restart", {{"job", job.id}, {"video", job.video_id}});
  }
  for (int i = 0; i < worker_count_; ++i) workers_.emplace_back([this] { work(); });
}

void IngestQueue::notify() {
  wake_.notify_one();
}

bool IngestQueue::cancel(const std::string& job_id) {
  {
    const std::lock_guard lock(mutex_);
    if (const auto it = running_.find(job_id); it != running_.end()) {
      it->second->request_stop();
      return true;
    }
  }
  const auto job = env_.jobs.get(job_id);
  if (!job || is_finished(job->status)) return false;
  const bool cancelled = env_.jobs.update(job_id, JobStatus::cancelled, job->progress,
                                          "cancelled by a presenter", env_.now_us());
  if (cancelled && env_.on_change) {
    if (auto updated = env_.jobs.get(job_id)) env_.on_change(*updated);
  }
  return cancelled;
}

void IngestQueue::stop() {
  {
    const std::lock_guard lock(mutex_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
    for (auto& [id, signal] : running_) signal->request_stop();
  }
  wake_.notify_all();
  for (auto& worker : workers_) worker.join();
  workers_.clear();
}

void IngestQueue::work() {
  // Wakes at least every few seconds: a job queued by `streamsync-server ingest` in another
  // process does not notify this one.
  constexpr auto kPoll = std::chrono::seconds(2);
  for (;;) {
    std::optional<JobRecord> job;
    auto stop = std::make_shared<StopSignal>();
    {
      std::unique_lock lock(mutex_);
      if (stopping_) return;
      job = env_.jobs.claim_next(env_.now_us());
      if (!job) {
        wake_.wait_for(lock, kPoll);
        continue;
      }
      running_[job->id] = stop;
    }
    try {
      run_ingest_job(*job, env_, stop.get());
    } catch (const std::exception& failure) {
      log_error("ingest job crashed", {{"job", job->id}, {"error", failure.what()}});
    }
    const std::lock_guard lock(mutex_);
    running_.erase(job->id);
  }
}

}  // namespace streamsync::server
