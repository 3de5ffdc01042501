#pragma once

// IngestError: why a video could not be ingested, as a stable code (for the job record and
// the API) and a sentence for people. Every message starts with the code's phrase
// ("not a media file: ...", "truncated: moov atom missing", ...); docs/ingest.md lists them.

#include <string>
#include <string_view>

namespace streamsync::server {

enum class IngestErrorCode {
  unreadable,              // the file could not be opened or read (I/O, permissions)
  not_a_media_file,        // empty, random bytes, text, or a container we do not accept
  no_video_stream,         // audio only, or only a still image / cover art
  truncated,               // the container is cut short or its index is missing
  unsupported_codec,       // no decoder for the video stream
  resolution_above_limit,  // larger than ProbeLimits allows
  zero_duration,           // a video stream without frames or time
  transcode_failed,        // FFmpeg failed, timed out, or its output did not verify
  cancelled,               // stopped through the StopSignal
};

struct IngestError {
  IngestErrorCode code = IngestErrorCode::not_a_media_file;
  std::string message;  // a full sentence, starting with the code's phrase
};

// "not_a_media_file", "no_video_stream", ...: the code as stored and sent over the API.
std::string_view to_string(IngestErrorCode code);

}  // namespace streamsync::server
