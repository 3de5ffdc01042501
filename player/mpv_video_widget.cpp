#include "mpv_video_widget.hpp"

#include <QOpenGLContext>
#include <QOpenGLFunctions>

#include "mpv_player.hpp"

namespace streamsync::player {

MpvVideoWidget::MpvVideoWidget(MpvPlayer& player, QWidget* parent)
    : QOpenGLWidget(parent), player_(player) {}

MpvVideoWidget::~MpvVideoWidget() {
  renderer_.reset();
  if (!blitter_.isCreated()) return;
  makeCurrent();
  blitter_.destroy();
  doneCurrent();
}

void MpvVideoWidget::initializeGL() {
  if (renderer_ != nullptr) return;  // one render context per mpv core, made once
  blitter_.create();
  renderer_ = std::make_unique<MpvFrameRenderer>(player_.handle(), *context());
  renderer_->set_target_size(size() * devicePixelRatio());
  connect(renderer_.get(), &MpvFrameRenderer::frame_ready, this,
          qOverload<>(&QOpenGLWidget::update), Qt::QueuedConnection);
  if (renderer_->ready()) emit render_ready();
}

void MpvVideoWidget::resizeGL(int width, int height) {
  if (renderer_ != nullptr) renderer_->set_target_size(QSize(width, height) * devicePixelRatio());
}

void MpvVideoWidget::paintGL() {
  QOpenGLFunctions* gl = context()->functions();
  gl->glClearColor(0, 0, 0, 1);
  gl->glClear(GL_COLOR_BUFFER_BIT);
  if (renderer_ == nullptr) return;
  renderer_->with_front_texture([&](unsigned int texture) {
    if (texture == 0) return;
    blitter_.bind();
    const QRect viewport(QPoint(0, 0), size() * devicePixelRatio());
    blitter_.blit(texture, QOpenGLTextureBlitter::targetTransform(viewport, viewport),
                  QOpenGLTextureBlitter::OriginBottomLeft);
    blitter_.release();
    // The renderer draws into this texture again once it is handed back.
    gl->glFinish();
  });
}

}  // namespace streamsync::player
