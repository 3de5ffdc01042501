#include "jobs/ingest_job.hpp"

#include <cmath>
#include <system_error>

#include "catalog/video_store.hpp"
#include "ingest/transcode.hpp"
#include "observability/logger.hpp"

namespace streamsync::server {
namespace {

void remove_quietly(const std::filesystem::path& path) {
  std::error_code ignored;
  std::filesystem::remove_all(path, ignored);
}

// Paths in the transcode result are relative to its folder; the catalog stores them
// relative to the media root.
std::string published(const std::string& video_id, const std::string& relative) {
  return relative.empty() ? std::string() : "videos/" + video_id + "/" + relative;
}

nlohmann::json published_renditions(const std::string& video_id, nlohmann::json renditions) {
  for (auto& rendition : renditions) {
    if (rendition.contains("playlist")) {
      rendition["playlist"] = published(video_id, rendition["playlist"].get<std::string>());
    }
  }
  return renditions;
}

class JobRun {
 public:
  JobRun(const JobRecord& job, IngestEnvironment& env) : job_(job), env_(env) {}

  void advance(JobStatus status, double progress) {
    const int percent = static_cast<int>(std::floor(progress * 100));
    if (status == job_.status && percent == last_percent_) return;
    last_percent_ = percent;
    job_.status = status;
    job_.progress = progress;
    if (env_.jobs.update(job_.id, status, progress, "", env_.now_us())) notify();
  }

  JobRecord finish(JobStatus status, const std::string& message) {
    job_.status = status;
    job_.message = message;
    if (status == JobStatus::ready) job_.progress = 1;
    env_.jobs.update(job_.id, status, job_.progress, message, env_.now_us());
    if (status != JobStatus::ready) {
      env_.videos.set_status(job_.video_id, VideoStatus::failed, message);
      log_warn("ingest failed", {{"job", job_.id}, {"video", job_.video_id}, {"reason", message}});
    } else {
      log_info("ingest finished", {{"job", job_.id}, {"video", job_.video_id}});
    }
    if (!job_.keep_source) remove_quietly(job_.source_path);
    notify();
    return job_;
  }

  JobRecord current() const { return job_; }

 private:
  void notify() {
    if (env_.on_change) env_.on_change(job_);
  }

  JobRecord job_;
  IngestEnvironment& env_;
  int last_percent_ = -1;
};

}  // namespace

std::filesystem::path video_folder(const std::filesystem::path& media_root,
                                   const std::string& video_id) {
  return media_root / "videos" / video_id;
}

std::filesystem::path temporary_video_folder(const std::filesystem::path& media_root,
                                             const std::string& video_id) {
  // A dot folder: the media handler never serves it, and a restart recognises and removes it.
  return media_root / "videos" / (".tmp-ingest-" + video_id);
}

JobRecord run_ingest_job(const JobRecord& job, IngestEnvironment& env, const StopSignal* stop) {
  JobRun run(job, env);
  log_info("ingest started",
           {{"job", job.id}, {"video", job.video_id}, {"source", job.source_path}});
  env.videos.set_status(job.video_id, VideoStatus::processing);
  run.advance(JobStatus::probing, 0);

  const auto probe = probe_media(job.source_path, env.limits);
  if (!probe) return run.finish(JobStatus::failed, probe.error().message);

  run.advance(JobStatus::transcoding, 0);
  const auto temporary = temporary_video_folder(env.media_root, job.video_id);
  remove_quietly(temporary);
  std::error_code ec;
  std::filesystem::create_directories(temporary, ec);
  if (ec)
    return run.finish(JobStatus::failed,
                      "cannot create " + temporary.string() + ": " + ec.message());

  TranscodeOptions options;
  if (!env.encoder.empty()) options.encoder = env.encoder;
  options.stop = stop;
  options.on_progress = [&](const FfmpegProgress& progress) {
    run.advance(JobStatus::transcoding, progress.fraction);
    if (env.on_progress)
      env.on_progress(progress.fraction, progress.speed, progress.eta_s.value_or(-1));
  };
  auto result = transcode_video(job.source_path, *probe, temporary, options);
  if (!result) {
    remove_quietly(temporary);
    const bool cancelled = result.error().code == IngestErrorCode::cancelled;
    if (cancelled && env.shutting_down && env.shutting_down()) return run.current();
    return run.finish(cancelled ? JobStatus::cancelled : JobStatus::failed, result.error().message);
  }

  // A presenter may have cancelled while FFmpeg was finishing: then nothing is published.
  const auto stored = env.jobs.get(job.id);
  if (!stored || is_finished(stored->status)) {
    remove_quietly(temporary);
    return stored.value_or(run.current());
  }
  const auto folder = video_folder(env.media_root, job.video_id);
  remove_quietly(folder);  // a run interrupted after its rename left an unrecorded copy
  std::filesystem::rename(temporary, folder, ec);
  if (ec) {
    remove_quietly(temporary);
    return run.finish(JobStatus::failed, "cannot publish " + folder.string() + ": " + ec.message());
  }
  auto video = env.videos.get(job.video_id);
  if (!video) {
    remove_quietly(folder);  // deleted while it was being made
    return run.finish(JobStatus::cancelled, "the video was deleted while it was being ingested");
  }
  video->duration_us = result->duration_us;
  video->renditions = published_renditions(job.video_id, result->renditions);
  video->poster = published(job.video_id, result->poster);
  video->status = VideoStatus::ready;
  video->error.clear();
  env.videos.upsert(*video);
  return run.finish(JobStatus::ready, "");
}

}  // namespace streamsync::server
