#pragma once

// IngestQueue: the server's ingest workers. Jobs wait in the catalog (status queued);
// each worker claims the oldest one and runs it to its end. At most `workers` FFmpeg runs
// at a time (one on a 2-core machine: a second would only make both slower). On start,
// jobs that a crash or restart interrupted go back to the queue from scratch and their
// temporary output is removed.

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "jobs/ingest_job.hpp"

namespace streamsync::server {

class StopSignal;

class IngestQueue {
 public:
  IngestQueue(IngestEnvironment env, int workers);
  ~IngestQueue();

  IngestQueue(const IngestQueue&) = delete;
  IngestQueue& operator=(const IngestQueue&) = delete;

  void start();
  // Wakes a worker: a job was queued.
  void notify();
  // A queued job is cancelled at once; a running one stops its FFmpeg and ends
  // cancelled. False when the job is unknown or already finished.
  bool cancel(const std::string& job_id);
  // Stops running jobs (they are re-queued on the next start) and joins the workers.
  void stop();

 private:
  void work();

  IngestEnvironment env_;
  int worker_count_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<std::string, std::shared_ptr<StopSignal>> running_;
  std::vector<std::thread> workers_;
};

}  // namespace streamsync::server
