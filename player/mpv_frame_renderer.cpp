#include "mpv_frame_renderer.hpp"

#include <mpv/render_gl.h>

#include <QCoreApplication>
#include <QMetaObject>
#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QOpenGLFramebufferObject>
#include <QOpenGLFunctions>

namespace streamsync::player {
namespace {

void* get_proc_address(void* /*context*/, const char* name) {
  QOpenGLContext* context = QOpenGLContext::currentContext();
  return context ? reinterpret_cast<void*>(context->getProcAddress(name)) : nullptr;
}

}  // namespace

MpvFrameRenderer::MpvFrameRenderer(mpv_handle* mpv, QOpenGLContext& share) : mpv_(mpv) {
  // Surfaces are made on the GUI thread; the context is made here and used over there.
  surface_ = std::make_unique<QOffscreenSurface>();
  surface_->setFormat(share.format());
  surface_->create();
  context_ = std::make_unique<QOpenGLContext>();
  context_->setFormat(share.format());
  context_->setShareContext(&share);
  if (!context_->create()) {
    qWarning("cannot create an OpenGL context for the video renderer; video will not show");
    return;
  }
  thread_.setObjectName(QStringLiteral("mpv render"));
  context_->moveToThread(&thread_);
  moveToThread(&thread_);
  thread_.start();
  QMetaObject::invokeMethod(this, "create_render_context", Qt::BlockingQueuedConnection);
}

MpvFrameRenderer::~MpvFrameRenderer() {
  if (thread_.isRunning()) {
    QMetaObject::invokeMethod(this, "free_render_context", Qt::BlockingQueuedConnection);
    thread_.quit();
    thread_.wait();
  }
}

void MpvFrameRenderer::set_target_size(QSize size) {
  {
    const QMutexLocker lock(&size_mutex_);
    if (size == target_size_) return;
    target_size_ = size;
  }
  // A paused frame is drawn again at the new size.
  if (ready()) QMetaObject::invokeMethod(this, "render", Qt::QueuedConnection);
}

void MpvFrameRenderer::create_render_context() {
  if (!context_->makeCurrent(surface_.get())) return;
  mpv_opengl_init_params gl_init{get_proc_address, nullptr};
  char api_type[] = MPV_RENDER_API_TYPE_OPENGL;
  mpv_render_param params[] = {{MPV_RENDER_PARAM_API_TYPE, api_type},
                               {MPV_RENDER_PARAM_OPENGL_INIT_PARAMS, &gl_init},
                               {MPV_RENDER_PARAM_INVALID, nullptr}};
  if (mpv_render_context_create(&render_context_, mpv_, params) < 0) {
    render_context_ = nullptr;
    qWarning("libmpv: cannot create an OpenGL render context; video will not show");
    return;
  }
  mpv_render_context_set_update_callback(
      render_context_,
      [](void* renderer) {
        // From one of mpv's threads: only queue the render (mpv must not be called here).
        QMetaObject::invokeMethod(static_cast<MpvFrameRenderer*>(renderer), "render",
                                  Qt::QueuedConnection);
      },
      this);
}

QOpenGLFramebufferObject& MpvFrameRenderer::back_buffer() {
  QSize size;
  {
    const QMutexLocker lock(&size_mutex_);
    size = target_size_.expandedTo(QSize(1, 1));
  }
  if (!back_ || back_->size() != size) back_ = std::make_unique<QOpenGLFramebufferObject>(size);
  return *back_;
}

void MpvFrameRenderer::render() {
  if (render_context_ == nullptr || !context_->makeCurrent(surface_.get())) return;
  // Several queued requests may come for one frame: render only when mpv has a frame (or a
  // redraw) to give, or the size changed.
  const bool has_frame =
      (mpv_render_context_update(render_context_) & MPV_RENDER_UPDATE_FRAME) != 0;
  QOpenGLFramebufferObject& target = back_buffer();
  if (!has_frame && front_ != nullptr && front_->size() == target.size()) return;
  mpv_opengl_fbo fbo{static_cast<int>(target.handle()), target.width(), target.height(), 0};
  int flip_y = 1;  // OpenGL's origin is bottom-left; the widget shows it that way up
  mpv_render_param params[] = {{MPV_RENDER_PARAM_OPENGL_FBO, &fbo},
                               {MPV_RENDER_PARAM_FLIP_Y, &flip_y},
                               {MPV_RENDER_PARAM_INVALID, nullptr}};
  mpv_render_context_render(render_context_, params);
  // The widget's context reads the texture next: it must hold the whole frame by then.
  context_->functions()->glFinish();
  {
    const QMutexLocker lock(&frames_mutex_);
    std::swap(front_, back_);
    front_texture_ = front_->texture();
  }
  mpv_render_context_report_swap(render_context_);
  emit frame_ready();
}

void MpvFrameRenderer::free_render_context() {
  context_->makeCurrent(surface_.get());
  if (render_context_ != nullptr) mpv_render_context_free(render_context_);
  render_context_ = nullptr;
  {
    const QMutexLocker lock(&frames_mutex_);
    front_.reset();
    front_texture_ = 0;
  }
  back_.reset();
  context_->doneCurrent();
  // Both are deleted on the GUI thread once this one has stopped.
  QThread* gui_thread = QCoreApplication::instance()->thread();
  context_->moveToThread(gui_thread);
  moveToThread(gui_thread);
}

}  // namespace streamsync::player
