#pragma once

// StoreError: why a store refused a request a client made. The code tells the HTTP layer
// which status to answer with; the message is for the client and names the values at
// fault. Failures that are not the client's doing throw DatabaseError instead.

#include <string>

namespace streamsync::server {

enum class StoreErrorCode {
  not_found,  // the record the request refers to does not exist (404)
  conflict,   // it clashes with what is stored: a taken slug, a stale revision (409)
  invalid,    // the value itself is unacceptable (400)
};

struct StoreError {
  StoreErrorCode code;
  std::string message;
};

}  // namespace streamsync::server
