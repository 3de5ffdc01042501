#pragma once

// The HLS origin's file server: GET/HEAD of anything under /media/, cacheable by any CDN
// (DESIGN.md §5). A pure function from request to response; the session streams the body.

#include <cstdint>
#include <filesystem>

#include "http/http_types.hpp"

namespace streamsync::server {

// Playlists larger than this are streamed as they are instead of gzipped in memory.
inline constexpr std::uint64_t kMaxGzipPlaylistBytes = 8u << 20;

// The answer to request, whose target is "/media/<path>" (query ignored), from the file
// <path> names inside media_root (see resolve_media_path for what may be named).
// - Methods other than GET and HEAD: 405 with "Allow: GET, HEAD".
// - Malformed paths: 400; missing files, directories, files outside the root: 404.
// - Every answer to a file: Content-Type and Cache-Control by extension (mime_types.hpp),
//   a strong ETag from size and mtime, Last-Modified, "Accept-Ranges: bytes", CORS.
// - If-None-Match (or, without it, If-Modified-Since) matching: 304 without a body.
// - One satisfiable byte range (If-Range permitting): 206 + Content-Range; a range outside
//   the file: 416 + "Content-Range: bytes */<size>"; several ranges or a malformed Range:
//   the whole file with 200.
// - .m3u8 up to kMaxGzipPlaylistBytes, when Accept-Encoding allows gzip: a gzipped
//   StringResponse with Content-Encoding: gzip and an ETag of its own; every .m3u8 answer
//   carries Vary: Accept-Encoding so caches keep the two encodings apart.
// - Any other 200 is a FileResponse and any other 206 a RangeFileResponse: the bytes are
//   read from disk while sending, never held whole in memory.
// - HEAD: the headers GET would send, Content-Length included, and an empty body (do not
//   call prepare_payload() on it).
// Reads the file system; otherwise pure and thread-safe.
Response serve_media_file(const std::filesystem::path& media_root, const Request& request);

}  // namespace streamsync::server
