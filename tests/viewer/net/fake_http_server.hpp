#pragma once

// FakeHttpServer: a loopback HTTP/1.1 server that answers every request with one canned
// response (or never answers), to show how ApiClient takes answers the real server does
// not give: error pages, broken JSON, silence, bytes that are not HTTP.

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>
#include <map>

namespace streamsync::viewer::test {

class FakeHttpServer : public QObject {
 public:
  FakeHttpServer() {
    server_.listen(QHostAddress::LocalHost, 0);
    connect(&server_, &QTcpServer::newConnection, this, &FakeHttpServer::accept);
  }

  QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(server_.serverPort())); }

  // What every request gets from now on, byte for byte; empty: no answer at all.
  void answer_with(QByteArray raw) { response_ = std::move(raw); }

  // A well-formed response with a JSON (or any) body and `Connection: close`.
  static QByteArray response(int status, const QByteArray& reason, const QByteArray& body,
                             const QByteArray& extra_headers = {}) {
    return "HTTP/1.1 " + QByteArray::number(status) + " " + reason +
           "\r\nContent-Type: application/json\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\nConnection: close\r\n" + extra_headers + "\r\n" +
           body;
  }

  // Every complete request so far (head and body).
  const QList<QByteArray>& requests() const { return requests_; }

 private:
  void accept() {
    while (QTcpSocket* socket = server_.nextPendingConnection()) {
      connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
      connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
  }

  void read(QTcpSocket* socket) {
    QByteArray& buffer = buffers_[socket];
    buffer += socket->readAll();
    const auto head_end = buffer.indexOf("\r\n\r\n");
    if (head_end < 0) return;
    qsizetype body_bytes = 0;
    for (const QByteArray& line : buffer.left(head_end).split('\n')) {
      if (line.toLower().startsWith("content-length:"))
        body_bytes = line.mid(15).trimmed().toLongLong();
    }
    if (buffer.size() < head_end + 4 + body_bytes) return;
    requests_.append(buffer.left(head_end + 4 + body_bytes));
    buffers_.erase(socket);
    if (response_.isEmpty()) return;
    socket->write(response_);
    socket->disconnectFromHost();
  }

  QTcpServer server_;
  QByteArray response_;
  QList<QByteArray> requests_;
  std::map<QTcpSocket*, QByteArray> buffers_;
};

}  // namespace streamsync::viewer::test
