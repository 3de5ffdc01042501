#include "catalog/video_store.hpp"

#include <array>
#include <utility>

namespace streamsync::server {
namespace {

constexpr std::array<std::pair<VideoStatus, std::string_view>, 4> kStatusNames = {{
    {VideoStatus::queued, "queued"},
    {VideoStatus::processing, "processing"},
    {VideoStatus::ready, "ready"},
    {VideoStatus::failed, "failed"},
}};

constexpr std::string_view kSelect =
    "SELECT id, title, duration_us, status, renditions, poster, error, created_at_us FROM videos";

VideoRecord read_video(const Statement& row) {
  VideoRecord video;
  video.id = row.column_text(0);
  video.title = row.column_text(1);
  video.duration_us = row.column_int(2);
  const std::string status = row.column_text(3);
  const std::optional<VideoStatus> parsed = video_status_from_string(status);
  // The schema's CHECK admits only known names, so this is a corrupt or foreign file.
  if (!parsed) throw DatabaseError("unknown video status '" + status + "'", row.sql());
  video.status = *parsed;
  video.renditions = nlohmann::json::parse(row.column_text(4), nullptr, /*allow_exceptions=*/false);
  if (video.renditions.is_discarded()) {
    throw DatabaseError("video '" + video.id + "' has malformed renditions JSON", row.sql());
  }
  video.poster = row.column_text(5);
  video.error = row.column_text(6);
  video.created_at_us = row.column_int(7);
  return video;
}

}  // namespace

std::string_view to_string(VideoStatus status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) return name;
  }
  return "queued";  // unreachable for a valid enumerator
}

std::optional<VideoStatus> video_status_from_string(std::string_view text) {
  for (const auto& [value, name] : kStatusNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

void VideoStore::upsert(const VideoRecord& video) {
  const auto lock = db_.lock();
  Statement statement(db_,
                      "INSERT INTO videos (id, title, duration_us, status, renditions, poster, "
                      "error, created_at_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                      "ON CONFLICT (id) DO UPDATE SET title = excluded.title, "
                      "duration_us = excluded.duration_us, status = excluded.status, "
                      "renditions = excluded.renditions, poster = excluded.poster, "
                      "error = excluded.error");
  // Replace invalid UTF-8 rather than throw: the JSON came from our own ingest, and a
  // mangled file name in it must not fail the whole video.
  const std::string renditions =
      video.renditions.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  statement.bind_text(1, video.id)
      .bind_text(2, video.title)
      .bind_int(3, video.duration_us)
      .bind_text(4, to_string(video.status))
      .bind_text(5, renditions)
      .bind_text(6, video.poster)
      .bind_text(7, video.error)
      .bind_int(8, video.created_at_us);
  statement.run();
}

std::optional<VideoRecord> VideoStore::get(std::string_view id) {
  const auto lock = db_.lock();
  Statement statement(db_, std::string(kSelect) + " WHERE id = ?1");
  statement.bind_text(1, id);
  if (!statement.step()) return std::nullopt;
  return read_video(statement);
}

std::vector<VideoRecord> VideoStore::list() {
  const auto lock = db_.lock();
  Statement statement(db_, std::string(kSelect) + " ORDER BY created_at_us, id");
  std::vector<VideoRecord> videos;
  while (statement.step()) videos.push_back(read_video(statement));
  return videos;
}

bool VideoStore::set_status(std::string_view id, VideoStatus status, std::string_view error) {
  const auto lock = db_.lock();
  Statement statement(db_, "UPDATE videos SET status = ?2, error = ?3 WHERE id = ?1");
  statement.bind_text(1, id).bind_text(2, to_string(status)).bind_text(3, error);
  statement.run();
  return db_.changes() > 0;
}

bool VideoStore::remove(std::string_view id) {
  const auto lock = db_.lock();
  Statement statement(db_, "DELETE FROM videos WHERE id = ?1");
  statement.bind_text(1, id);
  statement.run();
  return db_.changes() > 0;
}

}  // namespace streamsync::server
