#pragma once

// TimeClient: the viewer's clock. It maps the LocalClock (monotonic, possibly skewed and
// drifting on purpose) to server time with core's ClockEstimator, fed by NTP exchanges over
// UDP with the server's time service, paced by core's PollPolicy (a burst at start, after
// a suspect sample or a step; then steady).
//
// Networks that block UDP get the same exchange over HTTP (GET /api/v1/time): when UDP
// stays unanswered (8 requests over 3 s), every poll goes over HTTP instead, and UDP is
// probed every 10 s to switch back once it answers. HTTP samples have a longer round trip
// and the estimator weighs them accordingly.
//
// Replies are trusted only if they come from the server's address and port and echo the
// transmit timestamp of a request still waiting (see NtpRequests); anything else (garbage,
// stale or duplicate replies) is dropped without a sample. A kiss-o'-death RATE makes the
// client pause, doubling from 1 s; DENY or RSTR send it to the HTTP fallback.

#include <QHostAddress>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QUdpSocket>
#include <cstdint>
#include <optional>

#include "clock/clock_estimator.hpp"
#include "clock/poll_policy.hpp"
#include "engine/local_clock.hpp"
#include "net/ntp_requests.hpp"
#include "protocol/api_messages.hpp"
#include "util/expected.hpp"

namespace streamsync::viewer {

class ApiClient;

struct TimeClientOptions {
  PollPolicyConfig poll;
  // UDP counts as blocked after this many requests in a row without an answer, spanning at
  // least fallback_after_silence_us.
  int fallback_after_unanswered = 8;
  std::int64_t fallback_after_silence_us = 3'000'000;
  // While on HTTP, how often one UDP request checks whether NTP answers again.
  std::int64_t udp_probe_interval_us = 10'000'000;
  // Pauses after kiss-o'-death RATE: the first, doubling up to the last.
  std::int64_t rate_backoff_first_us = 1'000'000;
  std::int64_t rate_backoff_max_us = 64'000'000;
};

class TimeClient : public QObject {
  Q_OBJECT

 public:
  TimeClient(const LocalClock& clock, ApiClient& api, QObject* parent = nullptr);

  // Options take effect at the next start().
  void set_options(const TimeClientOptions& options) { options_ = options; }

  // Starts (or restarts, forgetting the estimate) polling `host`'s NTP service. Port 0:
  // learn it from GET /api/v1/time's ntp_port first (polling over HTTP meanwhile).
  void start(const QString& host, std::uint16_t ntp_port);
  void stop();

  const ClockEstimator& estimator() const { return estimator_; }
  bool synced() const { return estimator_.state() == ClockState::synced; }
  bool using_http_fallback() const { return transport_ == Transport::http; }
  // Local monotonic time of the last reply that gave a sample (UDP or HTTP): how the engine
  // notices that the server stopped answering.
  std::optional<std::int64_t> last_answer_local_us() const { return last_answer_local_us_; }

 signals:
  void sample_added();   // after every accepted, suspect or step sample
  void step_detected();  // the estimator saw the server's clock step (e.g. a server restart)

 private:
  enum class Transport { udp, http };

  void poll();
  void arm_timer();
  void send_udp(std::int64_t now_us);
  void send_http();
  void read_datagrams();
  void on_kiss(const NtpKiss& kiss, std::int64_t now_us);
  void on_time_reply(std::int64_t sent_us, const Expected<TimeReply, QString>& reply);
  void add_sample(const NtpExchange& exchange);
  void use_transport(Transport transport, const char* why);
  void resolve_host();

  const LocalClock& clock_;
  ApiClient& api_;
  TimeClientOptions options_;
  ClockEstimator estimator_;
  PollPolicy poll_;
  NtpRequests requests_;
  QUdpSocket socket_;
  QTimer timer_;

  bool running_ = false;
  // Bumped by start and stop: late HTTP answers of an earlier run are ignored.
  std::uint64_t generation_ = 0;
  QString host_;
  QHostAddress server_address_;  // null until resolved
  std::uint16_t ntp_port_ = 0;   // 0 until known
  Transport transport_ = Transport::udp;

  int unanswered_ = 0;  // UDP requests since the last reply
  std::int64_t first_unanswered_us_ = 0;
  std::int64_t last_udp_probe_us_ = 0;
  bool http_in_flight_ = false;
  std::int64_t rate_backoff_us_ = 0;
  std::int64_t hold_until_us_ = INT64_MIN;  // no request before this (after a RATE)
  std::optional<std::int64_t> last_sample_mono_us_;
  std::optional<std::int64_t> last_answer_local_us_;
};

}  // namespace streamsync::viewer
