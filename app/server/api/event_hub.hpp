#pragma once

// EventHub: who is listening to which channel's events, and fan-out to them. Broadcast
// follows Beast's chat-multi example: copy weak pointers under the lock, send after
// releasing it, so a slow or dying session never holds up the others or the caller.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "protocol/api_messages.hpp"

namespace streamsync::server {

class WebSocketSession;

// The topic presenters subscribe to for ingest job events (no channel has this id: channel
// ids are slugs, which have no '#').
inline constexpr const char* kJobsTopic = "#jobs";

class EventHub {
 public:
  void subscribe(const std::string& channel_id, const std::weak_ptr<WebSocketSession>& session);
  void publish(const std::string& channel_id, const Event& event);

  // Publishes a presence event when `viewers` differs from the count last published for
  // the channel; returns whether it did.
  bool publish_presence_if_changed(const std::string& channel_id, std::int64_t viewers);

  std::size_t subscriber_count();

 private:
  std::mutex mutex_;
  std::map<std::string, std::vector<std::weak_ptr<WebSocketSession>>> subscribers_;
  std::map<std::string, std::int64_t> last_presence_;
};

}  // namespace streamsync::server
