#pragma once

// MpvVideoWidget: shows an MpvPlayer's video in a QOpenGLWidget, so Qt composes it with the
// rest of the window and the GPU does the scaling and colour conversion. The frames are
// rendered by an MpvFrameRenderer on its own thread (see there for why); the widget only
// draws the newest finished one.
//
// The renderer (and with it mpv's render context) goes when the widget is destroyed, which
// must happen before the player's mpv core is destroyed.

#include <QOpenGLTextureBlitter>
#include <QOpenGLWidget>
#include <memory>

#include "mpv_frame_renderer.hpp"

namespace streamsync::player {

class MpvPlayer;

class MpvVideoWidget final : public QOpenGLWidget {
  Q_OBJECT

 public:
  explicit MpvVideoWidget(MpvPlayer& player, QWidget* parent = nullptr);
  ~MpvVideoWidget() override;

  // True once the renderer works (after the widget was first shown).
  bool ready() const { return renderer_ != nullptr && renderer_->ready(); }

 signals:
  void render_ready();

 protected:
  void initializeGL() override;
  void resizeGL(int width, int height) override;
  void paintGL() override;

 private:
  MpvPlayer& player_;
  QOpenGLTextureBlitter blitter_;
  std::unique_ptr<MpvFrameRenderer> renderer_;
};

}  // namespace streamsync::player
