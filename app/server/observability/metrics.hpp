#pragma once

// Metrics: counters the server keeps and renders in Prometheus text format for /metrics.
// Request counters are labelled by route pattern (never by raw path, which would let
// clients create unbounded series) and status code. Values other parts own (NTP counters,
// viewers per channel) are read at scrape time through collectors.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace streamsync::server {

struct MetricSample {
  std::string name;  // e.g. streamsync_ntp_requests_total
  std::string help;
  std::string type;  // counter | gauge
  std::vector<std::pair<std::string, double>>
      values;  // label set text ("" or channel="x") -> value
};

class Metrics {
 public:
  void count_request(const std::string& route, int status, std::uint64_t body_bytes);
  void websocket_opened() { ++websocket_clients_; }
  void websocket_closed() { --websocket_clients_; }

  // Adds a source of samples read at every scrape.
  void add_collector(std::function<std::vector<MetricSample>()> collector);

  // The Prometheus text exposition (version 0.0.4).
  std::string render() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::atomic<std::uint64_t> bytes_sent_{0};
  std::atomic<std::int64_t> websocket_clients_{0};
  std::vector<std::function<std::vector<MetricSample>()>> collectors_;
};

}  // namespace streamsync::server
