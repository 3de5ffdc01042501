#include "ingest/ingest_error.hpp"

namespace streamsync::server {

std::string_view to_string(IngestErrorCode code) {
  switch (code) {
    case IngestErrorCode::unreadable:
      return "unreadable";
    case IngestErrorCode::not_a_media_file:
      return "not_a_media_file";
    case IngestErrorCode::no_video_stream:
      return "no_video_stream";
    case IngestErrorCode::truncated:
      return "truncated";
    case IngestErrorCode::unsupported_codec:
      return "unsupported_codec";
    case IngestErrorCode::resolution_above_limit:
      return "resolution_above_limit";
    case IngestErrorCode::zero_duration:
      return "zero_duration";
    case IngestErrorCode::transcode_failed:
      return "transcode_failed";
    case IngestErrorCode::cancelled:
      return "cancelled";
  }
  return "unknown";
}

}  // namespace streamsync::server
