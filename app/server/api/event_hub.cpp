#include "api/event_hub.hpp"

#include <algorithm>

#include "http/websocket_session.hpp"

namespace streamsync::server {

void EventHub::subscribe(const std::string& channel_id,
                         const std::weak_ptr<WebSocketSession>& session) {
  const std::lock_guard lock(mutex_);
  subscribers_[channel_id].push_back(session);
}

void EventHub::publish(const std::string& channel_id, const Event& event) {
  std::vector<std::weak_ptr<WebSocketSession>> targets;
  {
    const std::lock_guard lock(mutex_);
    auto it = subscribers_.find(channel_id);
    if (it == subscribers_.end()) return;
    auto& list = it->second;
    list.erase(
        std::remove_if(list.begin(), list.end(), [](const auto& weak) { return weak.expired(); }),
        list.end());
    targets = list;
  }
  const auto text = std::make_shared<const std::string>(to_json(event).dump());
  for (const auto& weak : targets) {
    if (const auto session = weak.lock()) session->send(text);
  }
}

bool EventHub::publish_presence_if_changed(const std::string& channel_id, std::int64_t viewers) {
  {
    const std::lock_guard lock(mutex_);
    auto [it, inserted] = last_presence_.try_emplace(channel_id, viewers);
    if (!inserted && it->second == viewers) return false;
    it->second = viewers;
  }
  publish(channel_id, PresenceEvent{channel_id, viewers});
  return true;
}

std::size_t EventHub::subscriber_count() {
  const std::lock_guard lock(mutex_);
  std::size_t count = 0;
  for (auto& [channel, list] : subscribers_) {
    count += static_cast<std::size_t>(
        std::count_if(list.begin(), list.end(), [](const auto& weak) { return !weak.expired(); }));
  }
  return count;
}

}  // namespace streamsync::server
