#include "net/time_client.hpp"

#include <QHostInfo>
#include <QNetworkDatagram>
#include <QPointer>
#include <QtDebug>
#include <algorithm>
#include <chrono>
#include <climits>
#include <span>

#include "net/api_client.hpp"

namespace streamsync::viewer {
namespace {

// NTP packets are 48 bytes, with extension fields a few hundred; the rest of a bigger
// datagram is of no interest.
constexpr qint64 kMaxDatagramBytes = 1024;

// A rough current time that only has to place the server's NTP timestamps in their
// 136-year era, so the wall clock will do even when it is off by hours.
std::int64_t wall_clock_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

TimeClient::TimeClient(const LocalClock& clock, ApiClient& api, QObject* parent)
    : QObject(parent), clock_(clock), api_(api) {
  timer_.setSingleShot(true);
  timer_.setTimerType(Qt::PreciseTimer);
  connect(&timer_, &QTimer::timeout, this, &TimeClient::poll);
  connect(&socket_, &QUdpSocket::readyRead, this, &TimeClient::read_datagrams);
}

void TimeClient::start(const QString& host, std::uint16_t ntp_port) {
  stop();
  running_ = true;
  host_ = host;
  ntp_port_ = ntp_port;
  estimator_.reset();
  last_answer_local_us_.reset();
  poll_ = PollPolicy(options_.poll);
  const std::int64_t now_us = clock_.now_us();
  poll_.request_burst(now_us);
  transport_ = ntp_port == 0 ? Transport::http : Transport::udp;
  last_udp_probe_us_ = now_us;
  resolve_host();
  arm_timer();
}

void TimeClient::stop() {
  running_ = false;
  ++generation_;
  timer_.stop();
  socket_.abort();
  requests_.clear();
  server_address_.clear();
  unanswered_ = 0;
  http_in_flight_ = false;
  rate_backoff_us_ = 0;
  hold_until_us_ = INT64_MIN;
  last_sample_mono_us_.reset();
}

void TimeClient::resolve_host() {
  const QHostAddress literal(host_);
  if (!literal.isNull()) {
    server_address_ = literal;
    return;
  }
  QPointer<TimeClient> self(this);
  const std::uint64_t generation = generation_;
  QHostInfo::lookupHost(host_, this, [self, generation](const QHostInfo& info) {
    if (!self || self->generation_ != generation) return;
    if (info.addresses().isEmpty()) {
      // Requests count as unanswered meanwhile, so HTTP takes over; the next UDP probe
      // looks the name up again.
      qWarning("time: cannot resolve %s: %s", qUtf8Printable(self->host_),
               qUtf8Printable(info.errorString()));
      return;
    }
    // IPv4 first: "localhost" often resolves to ::1 first, and the server listens on
    // 0.0.0.0 by default.
    const QList<QHostAddress> addresses = info.addresses();
    const auto v4 = std::find_if(addresses.begin(), addresses.end(), [](const QHostAddress& a) {
      return a.protocol() == QAbstractSocket::IPv4Protocol;
    });
    self->server_address_ = v4 != addresses.end() ? *v4 : addresses.constFirst();
  });
}

void TimeClient::arm_timer() {
  if (!running_) return;
  const std::int64_t at_us = std::max(poll_.next_poll_at_us(), hold_until_us_);
  const std::int64_t wait_us = std::max<std::int64_t>(0, at_us - clock_.now_us());
  // Rounded up: a timer that fires a little early would only be re-armed.
  timer_.start(static_cast<int>(std::min<std::int64_t>((wait_us + 999) / 1000, INT_MAX)));
}

void TimeClient::poll() {
  if (!running_) return;
  const std::int64_t now_us = clock_.now_us();
  if (now_us < std::max(poll_.next_poll_at_us(), hold_until_us_)) return arm_timer();
  const bool estimating = estimator_.state() != ClockState::unsynced;
  poll_.on_sent(now_us, estimating ? estimator_.error_bound_us(now_us) : INT64_MAX);
  if (transport_ == Transport::udp) {
    send_udp(now_us);
  } else {
    send_http();
    if (ntp_port_ != 0 && now_us - last_udp_probe_us_ >= options_.udp_probe_interval_us) {
      last_udp_probe_us_ = now_us;
      if (server_address_.isNull()) resolve_host();
      send_udp(now_us);
    }
  }
  arm_timer();
}

void TimeClient::send_udp(std::int64_t now_us) {
  if (unanswered_ == 0) first_unanswered_us_ = now_us;
  ++unanswered_;
  if (transport_ == Transport::udp && unanswered_ > options_.fallback_after_unanswered &&
      now_us - first_unanswered_us_ >= options_.fallback_after_silence_us) {
    use_transport(Transport::http, "NTP over UDP gets no answer");
    last_udp_probe_us_ = now_us;
    send_http();
    return;
  }
  if (server_address_.isNull()) return;  // still resolving: counts as unanswered
  if (socket_.state() != QAbstractSocket::BoundState) {
    const bool v4 = server_address_.protocol() == QAbstractSocket::IPv4Protocol;
    if (!socket_.bind(
            v4 ? QHostAddress(QHostAddress::AnyIPv4) : QHostAddress(QHostAddress::AnyIPv6), 0)) {
      qWarning("time: cannot open a UDP socket: %s", qUtf8Printable(socket_.errorString()));
      return;
    }
  }
  // t1 as late as possible: right before the datagram leaves.
  const auto request = requests_.make_request(clock_.now_us());
  socket_.writeDatagram(reinterpret_cast<const char*>(request.data()),
                        static_cast<qint64>(request.size()), server_address_, ntp_port_);
}

void TimeClient::send_http() {
  if (http_in_flight_) return;  // one at a time: a slow server gets no pile-up
  http_in_flight_ = true;
  QPointer<TimeClient> self(this);
  const std::uint64_t generation = generation_;
  const std::int64_t sent_us = clock_.now_us();
  api_.fetch_time(sent_us, [self, generation, sent_us](Expected<TimeReply, QString> reply) {
    if (!self || self->generation_ != generation) return;
    self->on_time_reply(sent_us, reply);
  });
}

void TimeClient::on_time_reply(std::int64_t sent_us, const Expected<TimeReply, QString>& reply) {
  const std::int64_t received_us = clock_.now_us();
  http_in_flight_ = false;
  if (!reply) {
    qDebug("time: %s", qUtf8Printable(reply.error()));
    return;
  }
  if (reply->client_sent_us && *reply->client_sent_us != sent_us) {
    qWarning("time: HTTP time answer echoes t1=%lld, not ours",
             static_cast<long long>(*reply->client_sent_us));
    return;
  }
  if (ntp_port_ == 0 && reply->ntp_port) {
    ntp_port_ = static_cast<std::uint16_t>(*reply->ntp_port);
    use_transport(Transport::udp, "the server named its NTP port");
    poll_.request_burst(received_us);
  }
  add_sample({sent_us, reply->server_received_us, reply->server_sent_us, received_us});
}

void TimeClient::read_datagrams() {
  while (socket_.hasPendingDatagrams()) {
    const QNetworkDatagram datagram = socket_.receiveDatagram(kMaxDatagramBytes);
    const std::int64_t received_us = clock_.now_us();
    if (!running_) continue;
    if (!datagram.senderAddress().isEqual(server_address_, QHostAddress::ConvertV4MappedToIPv4) ||
        datagram.senderPort() != ntp_port_) {
      continue;  // not from the server: nobody else may move our clock
    }
    const QByteArray data = datagram.data();
    const auto outcome =
        requests_.on_datagram(std::span(reinterpret_cast<const std::uint8_t*>(data.constData()),
                                        static_cast<std::size_t>(data.size())),
                              received_us, wall_clock_us());
    if (const auto* exchange = std::get_if<NtpExchange>(&outcome)) {
      unanswered_ = 0;
      rate_backoff_us_ = 0;
      if (transport_ == Transport::http)
        use_transport(Transport::udp, "NTP over UDP answers again");
      add_sample(*exchange);
    } else if (const auto* kiss = std::get_if<NtpKiss>(&outcome)) {
      on_kiss(*kiss, received_us);
    } else {
      qDebug("time: dropped a datagram: %s", std::get<NtpDropped>(outcome).reason.c_str());
    }
  }
}

void TimeClient::on_kiss(const NtpKiss& kiss, std::int64_t now_us) {
  unanswered_ = 0;  // the server is there, it only refuses
  if (kiss.code == "RATE") {
    rate_backoff_us_ = rate_backoff_us_ == 0
                           ? options_.rate_backoff_first_us
                           : std::min(rate_backoff_us_ * 2, options_.rate_backoff_max_us);
    hold_until_us_ = now_us + rate_backoff_us_;
    qWarning("time: the server asks to poll less often; pausing %lld ms",
             static_cast<long long>(rate_backoff_us_ / 1000));
    arm_timer();
    return;
  }
  qWarning("time: the NTP service refuses us (%s)", kiss.code.c_str());
  use_transport(Transport::http, "refused over UDP");
  last_udp_probe_us_ = now_us;
}

void TimeClient::add_sample(const NtpExchange& exchange) {
  const auto sample = make_clock_sample(exchange);
  if (!sample) {
    qDebug("time: unusable exchange: %s", std::string(to_string(sample.error())).c_str());
    return;
  }
  // The estimator takes samples in the order they were taken; a slow HTTP answer that
  // overtook a newer UDP one is the worse sample of the two anyway.
  if (last_sample_mono_us_ && sample->mono_us < *last_sample_mono_us_) return;
  last_sample_mono_us_ = sample->mono_us;
  last_answer_local_us_ = exchange.client_received_mono_us;
  const std::int64_t now_us = clock_.now_us();
  switch (estimator_.add(*sample)) {
    case SampleVerdict::accepted:
      break;
    case SampleVerdict::suspect:
      poll_.request_burst(now_us, 2);  // confirm or refute it quickly
      break;
    case SampleVerdict::step:
      poll_.request_burst(now_us);
      emit step_detected();
      break;
  }
  emit sample_added();
  arm_timer();
}

void TimeClient::use_transport(Transport transport, const char* why) {
  if (transport_ == transport) return;
  transport_ = transport;
  unanswered_ = 0;
  qInfo("time: %s: using %s", why, transport == Transport::udp ? "NTP over UDP" : "HTTP");
}

}  // namespace streamsync::viewer
