#pragma once

// What a channel shows at a given server time, computed from its stored schedule
// revisions with core's Timeline::resolve, in the shape clients receive.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "api/api_context.hpp"
#include "catalog/channel_store.hpp"
#include "protocol/api_messages.hpp"
#include "timeline/revision_switch.hpp"

namespace streamsync::server {

// Every stored revision of the channel, ready for active_at().
ScheduleRevisions load_revisions(ChannelStore& channels, const std::string& channel_id);

// The revisions a client needs at now_us: the active one and any still pending, oldest first.
std::vector<Schedule> current_and_pending(const ScheduleRevisions& revisions, std::int64_t now_us);

// The channel's entry of ViewerStore::active_counts(); channels nobody watches are absent.
std::int64_t viewers_of(const std::map<std::string, std::int64_t>& active_counts,
                        const std::string& channel_id);

ChannelSummary summarize_channel(ApiContext& ctx, const ChannelRecord& channel, std::int64_t now_us,
                                 std::int64_t viewers);

}  // namespace streamsync::server
