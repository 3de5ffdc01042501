#pragma once

// Everything the request handlers use, owned elsewhere (main wires it). The handlers are
// plain functions of (ApiContext&, Request): no sockets, so tests call them directly.

#include <cstdint>
#include <filesystem>
#include <functional>

#include "time/wall_clock.hpp"

namespace streamsync::server {

class VideoStore;
class ChannelStore;
class ViewerStore;
class TokenStore;
class EventHub;
class Metrics;
class PlaylistCache;
class JobStore;
class IngestQueue;

struct ApiContext {
  std::filesystem::path media_root;
  WallClock now_us;
  std::int64_t started_at_us = 0;
  std::uint16_t ntp_port = 0;  // where the NTP service listens; 0 when it does not
  VideoStore& videos;
  ChannelStore& channels;
  ViewerStore& viewers;
  TokenStore& tokens;
  EventHub& events;
  Metrics& metrics;
  PlaylistCache& playlists;
  JobStore& jobs;
  IngestQueue& ingest;
  std::filesystem::path uploads_dir;  // where upload bodies land before ingest
  bool keep_uploads = false;          // keep them after their job ends
};

}  // namespace streamsync::server
