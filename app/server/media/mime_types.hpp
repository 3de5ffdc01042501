#pragma once

// What a media file is (Content-Type) and how long caches may keep it (Cache-Control),
// both decided by its extension. Ingest never rewrites a published file in place, which
// is what makes the long lifetimes below safe.

#include <filesystem>
#include <string_view>

namespace streamsync::server {

// Segments, posters, thumbnails and WebVTT: a published file name never gets other bytes
// (a re-ingest writes new names), so caches may keep them for a year without revalidating.
inline constexpr std::string_view kCacheImmutable = "public, max-age=31536000, immutable";
// VOD playlists: stable for the life of a rendition, but not immutable, because a
// re-ingest of the same video replaces index.m3u8 under the same name (with new segment
// names); an hour bounds how long a cache can serve the old list after that.
inline constexpr std::string_view kCacheVodPlaylist = "public, max-age=3600";
// Anything else served from the media root (JSON metadata, unknown files): short, since
// nothing promises it stays the same.
inline constexpr std::string_view kCacheShort = "public, max-age=10";
// Generated content that changes with every segment (live playlists): a CDN may absorb a
// burst of identical requests, but never serve a list more than a second stale.
inline constexpr std::string_view kCacheLivePlaylist = "public, max-age=1";

// The media type of file by its extension (ASCII case-insensitive): .m3u8
// application/vnd.apple.mpegurl, .ts video/mp2t, .m4s video/iso.segment, .mp4 video/mp4,
// .jpg/.jpeg image/jpeg, .png image/png, .vtt text/vtt, .json application/json, anything
// else application/octet-stream.
std::string_view content_type_for(const std::filesystem::path& file);

// The Cache-Control value for a file served from the media root: kCacheImmutable for .ts,
// .m4s, .mp4, .jpg, .jpeg, .png and .vtt; kCacheVodPlaylist for .m3u8; kCacheShort otherwise.
// Content generated per request (live playlists) passes its own value instead.
std::string_view cache_control_for(const std::filesystem::path& file);

}  // namespace streamsync::server
