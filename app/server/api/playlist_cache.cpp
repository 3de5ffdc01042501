#include "api/playlist_cache.hpp"

#include <fstream>
#include <sstream>

namespace streamsync::server {
namespace {

template <class Playlist, class Parse>
Expected<Playlist, std::string> cached(std::mutex& mutex, auto& entries,
                                       const std::filesystem::path& file, Parse parse) {
  std::error_code ec;
  const auto modified = std::filesystem::last_write_time(file, ec);
  if (ec) return Unexpected{file.string() + ": " + ec.message()};
  {
    const std::lock_guard lock(mutex);
    const auto it = entries.find(file);
    if (it != entries.end() && it->second.modified == modified) return it->second.playlist;
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) return Unexpected{file.string() + ": cannot read"};
  auto parsed = parse(text.str());
  if (!parsed) {
    return Unexpected{file.string() + ":" + std::to_string(parsed.error().line) + ": " +
                      parsed.error().message};
  }
  const std::lock_guard lock(mutex);
  entries.insert_or_assign(
      file, typename std::decay_t<decltype(entries)>::mapped_type{modified, *parsed});
  return *parsed;
}

}  // namespace

Expected<MediaPlaylist, std::string> PlaylistCache::media(const std::filesystem::path& file) {
  return cached<MediaPlaylist>(mutex_, media_, file, parse_media_playlist);
}

Expected<MasterPlaylist, std::string> PlaylistCache::master(const std::filesystem::path& file) {
  return cached<MasterPlaylist>(mutex_, master_, file, parse_master_playlist);
}

}  // namespace streamsync::server
