#include "mpv_video_widget.hpp"

#include <mpv/render_gl.h>

#include <QMetaObject>
#include <QOpenGLContext>

#include "mpv_player.hpp"

namespace streamsync::player {
namespace {

void* get_proc_address(void* /*context*/, const char* name) {
  QOpenGLContext* context = QOpenGLContext::currentContext();
  return context ? reinterpret_cast<void*>(context->getProcAddress(name)) : nullptr;
}

}  // namespace

MpvVideoWidget::MpvVideoWidget(MpvPlayer& player, QWidget* parent)
    : QOpenGLWidget(parent), player_(player) {
  connect(this, &QOpenGLWidget::frameSwapped, this, &MpvVideoWidget::report_swap);
}

MpvVideoWidget::~MpvVideoWidget() {
  if (render_context_ == nullptr) return;
  makeCurrent();
  mpv_render_context_free(render_context_);
  doneCurrent();
}

void MpvVideoWidget::initializeGL() {
  mpv_opengl_init_params gl_init{get_proc_address, nullptr};
  char api_type[] = MPV_RENDER_API_TYPE_OPENGL;
  mpv_render_param params[] = {{MPV_RENDER_PARAM_API_TYPE, api_type},
                               {MPV_RENDER_PARAM_OPENGL_INIT_PARAMS, &gl_init},
                               {MPV_RENDER_PARAM_INVALID, nullptr}};
  if (mpv_render_context_create(&render_context_, player_.handle(), params) < 0) {
    render_context_ = nullptr;
    qWarning("libmpv: cannot create an OpenGL render context; video will not show");
    return;
  }
  mpv_render_context_set_update_callback(
      render_context_,
      [](void* widget) {
        // From mpv's render thread: only queue the repaint (mpv must not be called here).
        QMetaObject::invokeMethod(static_cast<MpvVideoWidget*>(widget), "request_repaint",
                                  Qt::QueuedConnection);
      },
      this);
  emit render_ready();
}

void MpvVideoWidget::request_repaint() {
  update();
}

void MpvVideoWidget::paintGL() {
  if (render_context_ == nullptr) return;
  const qreal scale = devicePixelRatioF();
  mpv_opengl_fbo fbo{static_cast<int>(defaultFramebufferObject()),
                     static_cast<int>(width() * scale), static_cast<int>(height() * scale), 0};
  int flip_y = 1;  // OpenGL's origin is bottom-left
  mpv_render_param params[] = {{MPV_RENDER_PARAM_OPENGL_FBO, &fbo},
                               {MPV_RENDER_PARAM_FLIP_Y, &flip_y},
                               {MPV_RENDER_PARAM_INVALID, nullptr}};
  mpv_render_context_render(render_context_, params);
}

void MpvVideoWidget::report_swap() {
  if (render_context_ != nullptr) mpv_render_context_report_swap(render_context_);
}

}  // namespace streamsync::player
