#pragma once

// FileSlice: one byte range of a file, shaped as Beast's File concept, so that
// BufferedFileBody<FileSlice> streams a Range answer straight from disk.
// Boost 1.74's file_body always sends the whole file from its start (no seek, and its
// size is the file's), and reading the range into a string would hold up to the whole
// file in memory per request.

#include <boost/beast/core/error.hpp>
#include <boost/beast/core/file.hpp>
#include <cstddef>
#include <cstdint>

namespace streamsync::server {

class FileSlice {
 public:
  using native_handle_type = boost::beast::file::native_handle_type;
  using error_code = boost::beast::error_code;

  FileSlice() = default;

  bool is_open() const { return file_.is_open(); }
  void close(error_code& ec) { file_.close(ec); }

  // Opens path for reading; the slice is the whole file until narrow() is called.
  // Only read modes are meaningful: a slice is never written.
  void open(char const* path, boost::beast::file_mode mode, error_code& ec) {
    file_.open(path, mode, ec);
    if (ec) return;
    offset_ = 0;
    length_ = file_.size(ec);
    consumed_ = 0;
  }

  // Restricts the slice to bytes [offset, offset + length) of the open file and moves to
  // its start. Precondition: offset + length <= the file's size (the caller has checked
  // the range against it); a file that later shrinks ends the body with a short read.
  void narrow(std::uint64_t offset, std::uint64_t length, error_code& ec) {
    file_.seek(offset, ec);
    if (ec) return;
    offset_ = offset;
    length_ = length;
    consumed_ = 0;
  }

  // The slice's length: what the file body sends and puts in Content-Length.
  std::uint64_t size(error_code& ec) const {
    ec = {};
    return length_;
  }
  // Position relative to the slice's start.
  std::uint64_t pos(error_code& ec) const {
    ec = {};
    return consumed_;
  }
  void seek(std::uint64_t offset, error_code& ec) {
    file_.seek(offset_ + offset, ec);
    if (!ec) consumed_ = offset;
  }

  // Reads at most n bytes, and never past the slice's end.
  std::size_t read(void* buffer, std::size_t n, error_code& ec) {
    const std::uint64_t left = length_ - consumed_;
    const std::size_t want = left < n ? static_cast<std::size_t>(left) : n;
    const std::size_t got = file_.read(buffer, want, ec);
    consumed_ += got;
    return got;
  }

  std::size_t write(void const*, std::size_t, error_code& ec) {
    ec = boost::beast::errc::make_error_code(boost::beast::errc::operation_not_supported);
    return 0;
  }

  native_handle_type native_handle() { return file_.native_handle(); }

 private:
  boost::beast::file file_;
  std::uint64_t offset_ = 0;    // of the slice's first byte in the file
  std::uint64_t length_ = 0;    // of the slice
  std::uint64_t consumed_ = 0;  // bytes of the slice read so far
};

static_assert(boost::beast::is_file<FileSlice>::value);

}  // namespace streamsync::server
