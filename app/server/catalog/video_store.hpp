#pragma once

// VideoStore: the catalog's videos and the state of their processing (DESIGN.md §5, §6).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/database.hpp"

namespace streamsync::server {

// Where a video is in ingest: queued -> processing -> ready | failed.
enum class VideoStatus { queued, processing, ready, failed };

// "queued", "processing", "ready", "failed": the spelling in the database and the API.
std::string_view to_string(VideoStatus status);
std::optional<VideoStatus> video_status_from_string(std::string_view text);

struct VideoRecord {
  std::string id;
  std::string title;
  std::int64_t duration_us = 0;  // media duration; 0 until probed
  VideoStatus status = VideoStatus::queued;
  nlohmann::json renditions = nlohmann::json::array();  // the HLS ladder, as ingest wrote it
  std::string poster;                                   // media path of the poster; "" if none
  std::string error;                                    // why it failed; "" otherwise
  std::int64_t created_at_us = 0;                       // server time it was first stored

  friend bool operator==(const VideoRecord&, const VideoRecord&) = default;
};

// Thread-safe: every method takes the Database's lock. Throws DatabaseError on SQLite
// failures.
class VideoStore {
 public:
  explicit VideoStore(Database& db) : db_(db) {}

  // Inserts the video, or replaces every field of the stored one with the same id except
  // created_at_us, which keeps the time the video was first stored.
  void upsert(const VideoRecord& video);
  std::optional<VideoRecord> get(std::string_view id);
  // All videos, oldest first (ties by id).
  std::vector<VideoRecord> list();
  // Moves a video to status with error ("" unless failed); false if the id is unknown.
  bool set_status(std::string_view id, VideoStatus status, std::string_view error = {});
  // Deletes the video's record (not its media); false if the id is unknown.
  bool remove(std::string_view id);

 private:
  Database& db_;
};

}  // namespace streamsync::server
