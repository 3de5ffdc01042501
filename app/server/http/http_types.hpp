#pragma once

// The HTTP vocabulary every handler speaks. Handlers are pure functions from a Request to
// a Response (testable without a socket); the session writes whichever body it got.

#include <boost/beast/http.hpp>
#include <variant>

#include "http/buffered_file_body.hpp"
#include "http/file_slice.hpp"

namespace streamsync::server {

namespace beast_http = boost::beast::http;

using Request = beast_http::request<beast_http::string_body>;
using RequestHeader = beast_http::request_header<>;
using StringResponse = beast_http::response<beast_http::string_body>;
// Files are streamed from disk by the session, never read whole into memory.
using FileResponse = beast_http::response<BufferedFileBody<boost::beast::file>>;
// A byte range of a file (206 answers), streamed from disk like FileResponse: Beast 1.74's
// file_body can only send a whole file (see http/file_slice.hpp).
using RangeFileResponse = beast_http::response<BufferedFileBody<FileSlice>>;
using Response = std::variant<StringResponse, FileResponse, RangeFileResponse>;

}  // namespace streamsync::server
