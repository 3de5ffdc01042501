#include "process/output_stream.hpp"

#include <utility>

namespace streamsync::server {

OutputStream::OutputStream(LineHandler on_line, std::size_t max_line_bytes, std::size_t tail_bytes)
    : on_line_(std::move(on_line)),
      max_line_bytes_(max_line_bytes == 0 ? 1 : max_line_bytes),
      tail_bytes_(tail_bytes) {}

void OutputStream::append(std::string_view bytes) {
  add_to_tail(bytes);
  if (!on_line_) return;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (c != '\n' && c != '\r') {
      after_cr_ = false;
      continue;
    }
    if (c == '\n' && after_cr_) {  // the '\n' of "\r\n": the line ended at the '\r'
      after_cr_ = false;
      line_start = i + 1;
      continue;
    }
    after_cr_ = c == '\r';
    add_to_line(bytes.substr(line_start, i - line_start));
    end_line();
    line_start = i + 1;
  }
  add_to_line(bytes.substr(line_start));
}

void OutputStream::finish() {
  if (on_line_ && !line_.empty()) end_line();
}

void OutputStream::add_to_line(std::string_view piece) {
  while (line_.size() + piece.size() > max_line_bytes_) {
    const std::size_t fits = max_line_bytes_ - line_.size();
    line_.append(piece.substr(0, fits));
    piece.remove_prefix(fits);
    end_line();
  }
  line_.append(piece);
}

void OutputStream::end_line() {
  on_line_(line_);
  line_.clear();
}

void OutputStream::add_to_tail(std::string_view bytes) {
  if (tail_bytes_ == 0) {
    tail_dropped_ = tail_dropped_ || !bytes.empty();
    return;
  }
  if (bytes.size() >= tail_bytes_) {
    tail_dropped_ = tail_dropped_ || !tail_.empty() || bytes.size() > tail_bytes_;
    tail_.assign(bytes.substr(bytes.size() - tail_bytes_));
    return;
  }
  tail_.append(bytes);
  // Trimming only when twice the size keeps appends amortised O(1) per byte.
  if (tail_.size() > 2 * tail_bytes_) {
    tail_.erase(0, tail_.size() - tail_bytes_);
    tail_dropped_ = true;
  }
}

std::string OutputStream::tail() const {
  std::string_view kept = tail_;
  bool dropped = tail_dropped_;
  if (kept.size() > tail_bytes_) {
    kept.remove_prefix(kept.size() - tail_bytes_);
    dropped = true;
  }
  if (dropped) {
    const std::size_t newline = kept.find('\n');
    if (newline != std::string_view::npos && newline + 1 < kept.size()) {
      kept.remove_prefix(newline + 1);
    }
  }
  return std::string(kept);
}

}  // namespace streamsync::server
