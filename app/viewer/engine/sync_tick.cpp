#include "engine/sync_tick.hpp"

namespace streamsync::viewer {

const char* to_string(ViewerState state) {
  switch (state) {
    case ViewerState::connecting:
      return "connecting";
    case ViewerState::countdown:
      return "countdown";
    case ViewerState::seeking:
      return "seeking";
    case ViewerState::buffering:
      return "buffering";
    case ViewerState::correcting:
      return "correcting";
    case ViewerState::in_sync:
      return "in_sync";
    case ViewerState::ended:
      return "ended";
    case ViewerState::reconnecting:
      return "reconnecting";
    case ViewerState::offline:
      return "offline";
  }
  return "unknown";
}

}  // namespace streamsync::viewer
