#pragma once

// BufferedFileBody: Beast's file body with a large read buffer. Beast 1.74's basic_file_body
// copies through a 4 KiB stack buffer, i.e. ~170 read/send pairs for one 680 KB segment;
// measured, that held segment serving to ~0.23 of nginx (docs/benchmarks/server.md). The
// file handling (open, size, the File type) is Beast's; only the writer differs.

#include <algorithm>
#include <boost/beast/http/basic_file_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/optional.hpp>
#include <cstdint>
#include <memory>
#include <utility>

namespace streamsync::server {

template <class File>
struct BufferedFileBody {
  using value_type = typename boost::beast::http::basic_file_body<File>::value_type;

  static std::uint64_t size(const value_type& body) { return body.size(); }

  class writer {
   public:
    using const_buffers_type = boost::asio::const_buffer;

    template <bool isRequest, class Fields>
    writer(boost::beast::http::header<isRequest, Fields>&, value_type& body)
        : body_(body), remain_(body.size()) {}

    void init(boost::beast::error_code& ec) { ec = {}; }

    boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec) {
      const auto amount = static_cast<std::size_t>(std::min<std::uint64_t>(remain_, kBufferBytes));
      if (amount == 0) {
        ec = {};
        return boost::none;
      }
      if (!buffer_) buffer_ = std::make_unique<char[]>(kBufferBytes);
      const std::size_t read = body_.file().read(buffer_.get(), amount, ec);
      if (ec) return boost::none;
      if (read == 0) {
        ec = boost::beast::http::error::short_read;  // the file shrank under us
        return boost::none;
      }
      remain_ -= read;
      return {{const_buffers_type{buffer_.get(), read}, remain_ > 0}};
    }

   private:
    // Large enough that a segment takes a few system calls; allocated per response, only
    // while it is being sent.
    static constexpr std::size_t kBufferBytes = 256 * 1024;

    value_type& body_;
    std::uint64_t remain_;
    std::unique_ptr<char[]> buffer_;
  };
};

}  // namespace streamsync::server
