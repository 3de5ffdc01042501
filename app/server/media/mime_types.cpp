#include "media/mime_types.hpp"

#include <array>
#include <string>

namespace streamsync::server {
namespace {

enum class CacheClass { immutable, vod_playlist, short_lived };

struct MediaKind {
  std::string_view extension;
  std::string_view content_type;
  CacheClass cache;
};

constexpr std::array<MediaKind, 9> kKinds = {{
    {".m3u8", "application/vnd.apple.mpegurl", CacheClass::vod_playlist},
    {".ts", "video/mp2t", CacheClass::immutable},
    {".m4s", "video/iso.segment", CacheClass::immutable},
    {".mp4", "video/mp4", CacheClass::immutable},
    {".jpg", "image/jpeg", CacheClass::immutable},
    {".jpeg", "image/jpeg", CacheClass::immutable},
    {".png", "image/png", CacheClass::immutable},
    {".vtt", "text/vtt", CacheClass::immutable},
    {".json", "application/json", CacheClass::short_lived},
}};

const MediaKind* kind_of(const std::filesystem::path& file) {
  std::string extension = file.extension().string();
  for (char& c : extension) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  for (const MediaKind& kind : kKinds) {
    if (kind.extension == extension) return &kind;
  }
  return nullptr;
}

}  // namespace

std::string_view content_type_for(const std::filesystem::path& file) {
  const MediaKind* kind = kind_of(file);
  return kind ? kind->content_type : "application/octet-stream";
}

std::string_view cache_control_for(const std::filesystem::path& file) {
  const MediaKind* kind = kind_of(file);
  if (!kind) return kCacheShort;
  switch (kind->cache) {
    case CacheClass::immutable:
      return kCacheImmutable;
    case CacheClass::vod_playlist:
      return kCacheVodPlaylist;
    case CacheClass::short_lived:
      return kCacheShort;
  }
  return kCacheShort;
}

}  // namespace streamsync::server
