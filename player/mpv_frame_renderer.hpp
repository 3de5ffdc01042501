#pragma once

// MpvFrameRenderer: renders an mpv core's video frames with libmpv's OpenGL render API on a
// thread of its own, into offscreen framebuffers that an MpvVideoWidget shows.
//
// Why a thread: the render API's threading rules (mpv/render.h, "Threading") forbid the render
// thread to wait on the mpv core, yet the GUI thread must: the sync loop reads the playback
// position synchronously every frame and loads, seeks and unpauses. With both on the GUI
// thread, at every new file the core waits for the video output, which waits for a render
// that the GUI thread cannot do while it waits for the core; mpv breaks the cycle after its
// 200 ms timeout ("mpv_render_context_render() not being called or stuck"). Measured under
// Xvfb: 15 of 39 item starts 151-202 ms late, each behind a 200-215 ms gap of the GUI thread.
// Here the only mpv calls on the render thread are the render API's own.
//
// Frames are double-buffered: one framebuffer is rendered while the other is shown; the
// renderer finishes each frame (glFinish) before handing it over, since the widget's context
// reads it from another thread.

#include <QMutex>
#include <QObject>
#include <QSize>
#include <QThread>
#include <memory>

struct mpv_handle;
struct mpv_render_context;
class QOffscreenSurface;
class QOpenGLContext;
class QOpenGLFramebufferObject;

namespace streamsync::player {

class MpvFrameRenderer final : public QObject {
  Q_OBJECT

 public:
  // Call on the GUI thread, with `share` (the widget's context) able to share textures.
  // Starts the render thread and creates mpv's render context on it; ready() says whether
  // that worked.
  MpvFrameRenderer(mpv_handle* mpv, QOpenGLContext& share);
  // Frees mpv's render context on the render thread and stops it.
  ~MpvFrameRenderer() override;

  bool ready() const { return render_context_ != nullptr; }

  // The framebuffer size, in device pixels, that frames should have from now on.
  void set_target_size(QSize size);

  // Runs `show` with the texture of the newest finished frame (0 before the first) while the
  // renderer cannot reuse it; `show` must finish reading it (glFinish) before it returns.
  template <class Show>
  void with_front_texture(Show show) {
    const QMutexLocker lock(&frames_mutex_);
    show(front_texture_);
  }

 signals:
  // A new frame is ready to be shown (emitted on the render thread).
  void frame_ready();

 private:
  Q_INVOKABLE void create_render_context();
  Q_INVOKABLE void render();
  Q_INVOKABLE void free_render_context();
  // The back framebuffer, made (again) at the target size.
  QOpenGLFramebufferObject& back_buffer();

  mpv_handle* mpv_;
  QThread thread_;
  std::unique_ptr<QOffscreenSurface> surface_;
  std::unique_ptr<QOpenGLContext> context_;
  mpv_render_context* render_context_ = nullptr;
  // Rendered on the render thread only.
  std::unique_ptr<QOpenGLFramebufferObject> back_;
  // Handed over under frames_mutex_.
  QMutex frames_mutex_;
  std::unique_ptr<QOpenGLFramebufferObject> front_;
  unsigned int front_texture_ = 0;
  QMutex size_mutex_;
  QSize target_size_;
};

}  // namespace streamsync::player
