#pragma once

// MpvVideoWidget: draws an MpvPlayer's video with libmpv's OpenGL render API into a
// QOpenGLWidget, so Qt composes it with the rest of the window and the GPU does the
// scaling and colour conversion. mpv's update callback only queues a repaint; the swap is
// reported to mpv after each frame so its frame timing follows the real display.
//
// The render context is freed (with the GL context current) when the widget is
// destroyed, which must happen before the player's mpv core is destroyed.

#include <QOpenGLWidget>

struct mpv_render_context;

namespace streamsync::player {

class MpvPlayer;

class MpvVideoWidget final : public QOpenGLWidget {
  Q_OBJECT

 public:
  explicit MpvVideoWidget(MpvPlayer& player, QWidget* parent = nullptr);
  ~MpvVideoWidget() override;

  // True once the render context exists (after the widget was first shown).
  bool ready() const { return render_context_ != nullptr; }

 signals:
  void render_ready();

 protected:
  void initializeGL() override;
  void paintGL() override;

 private:
  Q_INVOKABLE void request_repaint();
  void report_swap();

  MpvPlayer& player_;
  mpv_render_context* render_context_ = nullptr;
};

}  // namespace streamsync::player
