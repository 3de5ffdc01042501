#pragma once

// One ingest job from claim to end: probe the source, transcode it to an HLS ladder in a
// temporary folder, verify, rename the folder into place, and only then mark the video
// ready. Shared by the server's queue and `streamsync-server ingest`. A failure at any
// step leaves no half-published video: the temporary folder goes, the video is marked
// failed with the reason.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "catalog/job_store.hpp"
#include "ingest/media_probe.hpp"

namespace streamsync::server {

class VideoStore;
class StopSignal;

struct IngestEnvironment {
  std::filesystem::path media_root;
  VideoStore& videos;
  JobStore& jobs;
  std::function<std::int64_t()> now_us;
  ProbeLimits limits;
  std::string encoder;  // "" chooses automatically (hardware if it works, else libx264)
  // Called whenever the job's stored state changed (status, or progress by a whole percent).
  std::function<void(const JobRecord&)> on_change;
  // Called with progress details for a terminal progress bar (fraction, speed, ETA in s).
  std::function<void(double fraction, double speed, double eta_s)> on_progress;
  // True when a stop comes from the server shutting down rather than a presenter: the job
  // is then left unfinished, to be re-queued on the next start.
  std::function<bool()> shutting_down;
};

// Where a video's published ladder lives, and its temporary folder while being made.
std::filesystem::path video_folder(const std::filesystem::path& media_root,
                                   const std::string& video_id);
std::filesystem::path temporary_video_folder(const std::filesystem::path& media_root,
                                             const std::string& video_id);

// Runs a claimed job (status probing) to its end and returns its final record.
JobRecord run_ingest_job(const JobRecord& job, IngestEnvironment& env, const StopSignal* stop);

}  // namespace streamsync::server
