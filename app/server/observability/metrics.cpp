#include "observability/metrics.hpp"

#include <sstream>

namespace streamsync::server {
namespace {

void render_sample(std::ostringstream& out, const MetricSample& sample) {
  out << "# HELP " << sample.name << ' ' << sample.help << '\n';
  out << "# TYPE " << sample.name << ' ' << sample.type << '\n';
  for (const auto& [labels, value] : sample.values) {
    out << sample.name;
    if (!labels.empty()) out << '{' << labels << '}';
    out << ' ' << value << '\n';
  }
}

}  // namespace

void Metrics::count_request(const std::string& route, int status, std::uint64_t body_bytes) {
  bytes_sent_ += body_bytes;
  const std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
}

void Metrics::add_collector(std::function<std::vector<MetricSample>()> collector) {
  const std::lock_guard lock(mutex_);
  collectors_.push_back(std::move(collector));
}

std::string Metrics::render() const {
  std::ostringstream out;
  out.precision(17);
  MetricSample requests{"streamsync_http_requests_total",
                        "HTTP requests by route pattern and status.",
                        "counter",
                        {}};
  std::vector<std::function<std::vector<MetricSample>()>> collectors;
  {
    const std::lock_guard lock(mutex_);
    for (const auto& [key, count] : requests_) {
      requests.values.emplace_back(
          "route=\"" + key.first + "\",status=\"" + std::to_string(key.second) + "\"",
          static_cast<double>(count));
    }
    collectors = collectors_;
  }
  render_sample(out, requests);
  render_sample(out, {"streamsync_http_response_body_bytes_total",
                      "Bytes of HTTP response bodies sent.",
                      "counter",
                      {{"", static_cast<double>(bytes_sent_.load())}}});
  render_sample(out, {"streamsync_websocket_clients",
                      "Open WebSocket connections.",
                      "gauge",
                      {{"", static_cast<double>(websocket_clients_.load())}}});
  for (const auto& collect : collectors) {
    for (const MetricSample& sample : collect()) render_sample(out, sample);
  }
  return out.str();
}

}  // namespace streamsync::server
