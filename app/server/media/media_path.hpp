#pragma once

// Maps a request target below /media/ to a file inside the media root, refusing anything
// that could reach outside it. The one place that decides what a URL may open.

#include <filesystem>
#include <string>
#include <string_view>

#include "util/expected.hpp"

namespace streamsync::server {

struct MediaPathError {
  enum class Kind {
    malformed,  // 400: the target can never name a file (bad escape, "..", NUL, ...)
    not_found,  // 404: well formed, but no regular file of that name inside the root
  };
  Kind kind = Kind::not_found;
  std::string message;  // for the client and the log; never echoes file system paths
};

// The target's path below /media/, as it names a file: the query ("?...") is dropped,
// the rest percent-decoded exactly once (so "%252e" names a file called "%2e").
// Malformed when:
// - the target does not start with "/media/";
// - an escape is not "%" followed by two hex digits;
// - the decoded path holds NUL, a backslash or ':' (Windows separators, drive letters and
//   NTFS streams: refused everywhere so a path means the same on every platform);
// - a segment is empty ("a//b", a leading or trailing "/": absolute paths, directories),
//   "." or ".." (also when escaped: "%2e%2E").
// Returns the relative path, e.g. "videos/abc/720p/seg_001.m4s".
Expected<std::filesystem::path, MediaPathError> media_relative_path(std::string_view target);

// The canonical path of the regular file `target` names inside media_root (which must
// exist). Beyond media_relative_path's checks: the file must exist, be a regular file
// after following symlinks, and its canonical path must lie inside canonical(media_root),
// so a symlink pointing out of the root reads as not found. A symlink to a file inside
// the root is followed.
// The check and the later open are two steps: whoever can write into the media root could
// swap a file for a symlink in between. The root is written only by the server's own
// ingest, so that is outside the threat model.
Expected<std::filesystem::path, MediaPathError> resolve_media_path(
    const std::filesystem::path& media_root, std::string_view target);

}  // namespace streamsync::server
