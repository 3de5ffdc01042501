#pragma once

// FakeNtpServer: a loopback NTP server on the system clock that can misbehave on purpose:
// stay silent, send garbage or foreign replies before the real one, duplicate it, or
// refuse with a kiss-o'-death. It counts what it sent so a test can tell how many samples
// the client should have made.

#include <QNetworkDatagram>
#include <QObject>
#include <QUdpSocket>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "clock_checks.hpp"
#include "protocol/ntp_packet.hpp"

namespace streamsync::viewer::test {

class FakeNtpServer : public QObject {
 public:
  FakeNtpServer() {
    socket_.bind(QHostAddress::LocalHost, 0);
    connect(&socket_, &QUdpSocket::readyRead, this, &FakeNtpServer::serve);
  }

  std::uint16_t port() const { return socket_.localPort(); }

  bool silent = false;         // answer nothing
  bool noise_first = false;    // before each reply: garbage, a short packet, a foreign reply
  bool duplicate = false;      // each reply twice
  std::string kiss_code;       // non-empty: refuse every request with this kiss-o'-death
  std::int64_t offset_us = 0;  // added to the system clock: set it to step the server's clock

  int requests = 0;
  int good_replies = 0;                        // replies the client may turn into a sample
  std::vector<std::int64_t> request_times_us;  // system clock, at arrival
  QHostAddress client_address;
  quint16 client_port = 0;

 private:
  void serve() {
    while (socket_.hasPendingDatagrams()) {
      const QNetworkDatagram datagram = socket_.receiveDatagram();
      const std::int64_t t2_us = system_now_us() + offset_us;
      ++requests;
      request_times_us.push_back(t2_us);
      client_address = datagram.senderAddress();
      client_port = static_cast<quint16>(datagram.senderPort());
      if (silent) continue;
      const QByteArray data = datagram.data();
      const auto request =
          decode_ntp_packet(std::span(reinterpret_cast<const std::uint8_t*>(data.constData()),
                                      static_cast<std::size_t>(data.size())));
      if (!request) continue;
      if (!kiss_code.empty()) {
        send(encode(make_kiss_of_death(*request, kiss_code)));
        continue;
      }
      if (noise_first) {
        send_raw(QByteArray("\x24\x02 not an NTP packet, but long enough to look like one......"));
        send_raw(QByteArray(20, '\x24'));
        NtpPacket foreign = *request;
        foreign.transmit = NtpTimestamp::from_u64(request->transmit.to_u64() ^ 0x5a5a5a5a);
        NtpServerIdentity identity;
        identity.stratum = 2;
        send(encode(make_server_reply(foreign, identity, ntp_from_unix_us(t2_us),
                                      ntp_from_unix_us(t2_us))));
      }
      NtpServerIdentity identity;
      identity.stratum = 2;
      const auto reply = encode(make_server_reply(*request, identity, ntp_from_unix_us(t2_us),
                                                  ntp_from_unix_us(system_now_us() + offset_us)));
      send(reply);
      ++good_replies;
      if (duplicate) send(reply);
    }
  }
  void send(const std::array<std::uint8_t, kNtpPacketSize>& packet) {
    send_raw(QByteArray(reinterpret_cast<const char*>(packet.data()),
                        static_cast<qsizetype>(packet.size())));
  }
  void send_raw(const QByteArray& bytes) {
    socket_.writeDatagram(bytes, client_address, client_port);
  }

  QUdpSocket socket_;
};

}  // namespace streamsync::viewer::test
