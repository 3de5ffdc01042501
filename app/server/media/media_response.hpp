#pragma once

// The pieces every media answer is made of, shared by files on disk (media_handler) and
// text generated per request (live playlists): representation headers, 304, 405, 416,
// Range selection, and serving bytes held in memory.
//
// HEAD answers carry the Content-Length a GET would have and an empty body: callers must
// not call prepare_payload() on a response from here (it would reset that length).

#include <cstdint>
#include <string>
#include <string_view>

#include "http/http_types.hpp"
#include "media/byte_range.hpp"
#include "media/conditional_request.hpp"
#include "media/mime_types.hpp"

namespace streamsync::server {

// What is being sent, apart from its bytes.
struct Representation {
  std::string_view content_type;
  std::string_view cache_control;
  Validators validators;
  bool gzip_encoded = false;        // the body is gzip: Content-Encoding: gzip
  bool varies_by_encoding = false;  // Vary: Accept-Encoding (on every playlist answer)
};

// Sets Content-Type, Cache-Control, ETag, Last-Modified (when known), Accept-Ranges,
// Content-Encoding and Vary as representation says, and the CORS headers every media
// answer carries (players in browsers fetch cross-origin and read Content-Range/ETag).
void set_representation_headers(beast_http::fields& fields, const Representation& representation);

// The CORS headers alone: for error answers, so browsers can read why a request failed.
void set_cors_headers(beast_http::fields& fields);

// 304 Not Modified: validators, Cache-Control, Vary and CORS; no body, no Content-Length.
StringResponse not_modified_response(const Request& request, const Representation& representation);

// 405 with "Allow: GET, HEAD", as the API's JSON error.
StringResponse method_not_allowed_response(const Request& request);

// 416 with "Content-Range: bytes */<size_bytes>", as the API's JSON error.
StringResponse range_not_satisfiable_response(const Request& request, std::uint64_t size_bytes);

// The Range decision for a representation of size_bytes: whole when the request has no
// Range or its If-Range does not match `validators`, otherwise decide_range().
RangeDecision range_for(const Request& request, const Validators& validators,
                        std::uint64_t size_bytes);

// The answer to a GET or HEAD of body (the method is the caller's to check): 304, 416,
// 206 or 200 by the rules of the request's conditional and Range headers.
Response serve_in_memory(const Request& request, std::string body,
                         const Representation& representation);

// A generated playlist (a live media or master playlist): GET/HEAD only, a strong ETag
// from its content (so a CDN can revalidate), gzip when accepted, Vary: Accept-Encoding,
// and cache_control (by default one second: it changes with every segment).
Response serve_generated_playlist(const Request& request, std::string playlist,
                                  std::string_view cache_control = kCacheLivePlaylist);

}  // namespace streamsync::server
