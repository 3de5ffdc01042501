#include "media/media_response.hpp"

#include <array>
#include <cstdio>
#include <utility>

#include "http/responses.hpp"
#include "media/gzip.hpp"
#include "media/time_text.hpp"

namespace streamsync::server {
namespace {

constexpr std::string_view kAllowedMethods = "GET, HEAD";

// FNV-1a 64: a cheap content fingerprint for generated text. Not cryptographic, and it
// needs not be: the ETag only has to change when the playlist does.
std::uint64_t fnv1a(std::string_view data) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : data) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string content_etag(std::string_view data, bool gzip_encoded) {
  std::array<char, 24> hex{};
  std::snprintf(hex.data(), hex.size(), "%016llx", static_cast<unsigned long long>(fnv1a(data)));
  return std::string("\"") + hex.data() + (gzip_encoded ? "-gz\"" : "\"");
}

}  // namespace

void set_cors_headers(beast_http::fields& fields) {
  fields.set(beast_http::field::access_control_allow_origin, "*");
  fields.set(beast_http::field::access_control_expose_headers,
             "Content-Length, Content-Range, ETag");
}

void set_representation_headers(beast_http::fields& fields, const Representation& representation) {
  fields.set(beast_http::field::content_type, representation.content_type);
  fields.set(beast_http::field::cache_control, representation.cache_control);
  fields.set(beast_http::field::etag, representation.validators.etag);
  if (representation.validators.last_modified_s) {
    fields.set(beast_http::field::last_modified,
               format_http_date(*representation.validators.last_modified_s));
  }
  fields.set(beast_http::field::accept_ranges, "bytes");
  if (representation.gzip_encoded) fields.set(beast_http::field::content_encoding, "gzip");
  if (representation.varies_by_encoding) fields.set(beast_http::field::vary, "Accept-Encoding");
  set_cors_headers(fields);
}

StringResponse not_modified_response(const Request& request, const Representation& representation) {
  StringResponse response{beast_http::status::not_modified, request.version()};
  set_representation_headers(response, representation);
  // A 304 describes the cached representation; these would describe an empty body.
  response.erase(beast_http::field::content_type);
  response.erase(beast_http::field::content_encoding);
  response.keep_alive(request.keep_alive());
  return response;
}

StringResponse method_not_allowed_response(const Request& request) {
  StringResponse response = error_response(request, beast_http::status::method_not_allowed,
                                           "method_not_allowed", "media accepts GET and HEAD only");
  response.set(beast_http::field::allow, kAllowedMethods);
  set_cors_headers(response);
  return response;
}

StringResponse range_not_satisfiable_response(const Request& request, std::uint64_t size_bytes) {
  StringResponse response = error_response(
      request, beast_http::status::range_not_satisfiable, "range_not_satisfiable",
      "the requested range lies outside the " + std::to_string(size_bytes) + "-byte file");
  response.set(beast_http::field::content_range, "bytes */" + std::to_string(size_bytes));
  set_cors_headers(response);
  return response;
}

RangeDecision range_for(const Request& request, const Validators& validators,
                        std::uint64_t size_bytes) {
  const auto range = request.find(beast_http::field::range);
  if (range == request.end() || !if_range_allows(request, validators)) return {};
  return decide_range(range->value(), size_bytes);
}

Response serve_in_memory(const Request& request, std::string body,
                         const Representation& representation) {
  if (is_not_modified(request, representation.validators)) {
    return not_modified_response(request, representation);
  }
  const std::uint64_t size = body.size();
  const RangeDecision range = range_for(request, representation.validators, size);
  if (range.kind == RangeDecision::Kind::unsatisfiable) {
    return range_not_satisfiable_response(request, size);
  }

  StringResponse response{beast_http::status::ok, request.version()};
  set_representation_headers(response, representation);
  response.keep_alive(request.keep_alive());
  if (range.kind == RangeDecision::Kind::partial) {
    response.result(beast_http::status::partial_content);
    response.set(beast_http::field::content_range, content_range(range, size));
    body =
        body.substr(static_cast<std::size_t>(range.first), static_cast<std::size_t>(range.length));
  }
  if (request.method() == beast_http::verb::head) {
    response.content_length(body.size());
    return response;
  }
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

Response serve_generated_playlist(const Request& request, std::string playlist,
                                  std::string_view cache_control) {
  if (request.method() != beast_http::verb::get && request.method() != beast_http::verb::head) {
    return method_not_allowed_response(request);
  }
  Representation representation{content_type_for("live.m3u8"), cache_control, {}, false, true};
  const auto accept_encoding = request.find(beast_http::field::accept_encoding);
  representation.gzip_encoded =
      accept_encoding != request.end() && accepts_gzip(accept_encoding->value());
  // The tag fingerprints the text; "-gz" keeps the two encodings apart (both are strong).
  representation.validators.etag = content_etag(playlist, representation.gzip_encoded);
  if (representation.gzip_encoded) playlist = gzip_compress(playlist);
  return serve_in_memory(request, std::move(playlist), representation);
}

}  // namespace streamsync::server
