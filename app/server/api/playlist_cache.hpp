#pragma once

// PlaylistCache: parsed HLS playlists of the media library, keyed by file and reparsed
// only when the file changes. Live channel playlists are built from them on every
// request (viewers poll every segment), so reading and parsing each time would dominate.

#include <filesystem>
#include <map>
#include <mutex>

#include "media/hls_playlist.hpp"
#include "util/expected.hpp"

namespace streamsync::server {

class PlaylistCache {
 public:
  Expected<MediaPlaylist, std::string> media(const std::filesystem::path& file);
  Expected<MasterPlaylist, std::string> master(const std::filesystem::path& file);

 private:
  template <class Playlist>
  struct Entry {
    std::filesystem::file_time_type modified;
    Playlist playlist;
  };

  std::mutex mutex_;
  std::map<std::filesystem::path, Entry<MediaPlaylist>> media_;
  std::map<std::filesystem::path, Entry<MasterPlaylist>> master_;
};

}  // namespace streamsync::server
