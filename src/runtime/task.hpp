// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Task<T>: the coroutine type of the runtime. A Task is lazy and owns its frame. It runs
// either inline, by `co_await std::move(task)` (or `co_await f()`), inside the awaiting task,
// or concurrently, by Scheduler::spawn. When an inline task returns, its caller is queued
// behind the ready tasks: every await is a chance for another task to run.
//
// Exceptions are not part of the runtime's contract: one escaping a task terminates.

#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include "runtime/errors.hpp"
#include "runtime/frame_pool.hpp"
#include "runtime/task_node.hpp"

namespace ffclock::runtime {

template <class T = void>
class Task;

// What join() and run() hand back for a Task<T>: T, or Unit for Task<void>.
template <class T>
using ValueOf = std::conditional_t<std::is_void_v<T>, Unit, T>;

namespace detail {

struct PromiseBase;
// Called when a frame reaches its final suspend (scheduler.cpp): resumes the inline caller
// after the ready queue, or finishes the spawned task.
void on_frame_done(PromiseBase& p) noexcept;

struct PromiseBase {
  TaskNode* fiber = nullptr;             // the task this frame runs in
  std::coroutine_handle<> continuation;  // the inline caller, if any

  static void* operator new(std::size_t size) { return frame_alloc(size); }
  static void operator delete(void* p, std::size_t size) noexcept { frame_free(p, size); }

  std::suspend_always initial_suspend() noexcept { return {}; }
  struct FinalAwaiter {
    bool await_ready() noexcept { return false; }
    template <class P>
    void await_suspend(std::coroutine_handle<P> h) noexcept {
      on_frame_done(h.promise());
    }
    void await_resume() noexcept {}
  };
  FinalAwaiter final_suspend() noexcept { return {}; }
  [[noreturn]] void unhandled_exception() noexcept { std::terminate(); }
};

template <class T>
struct Promise : PromiseBase {
  std::optional<T> value;
  Task<T> get_return_object() noexcept;
  template <class U>
  void return_value(U&& v) {
    value.emplace(std::forward<U>(v));
  }
  T take() { return std::move(*value); }
};

template <>
struct Promise<void> : PromiseBase {
  Task<void> get_return_object() noexcept;
  void return_void() noexcept {}
  Unit take() { return {}; }
};

}  // namespace detail

template <class T>
class [[nodiscard]] Task {
 public:
  using promise_type = detail::Promise<T>;
  using Handle = std::coroutine_handle<promise_type>;

  Task() = default;
  explicit Task(Handle h) : h_(h) {}
  Task(Task&& other) noexcept : h_(std::exchange(other.h_, {})) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      reset();
      h_ = std::exchange(other.h_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() { reset(); }

  [[nodiscard]] bool valid() const { return static_cast<bool>(h_); }
  // Hands the frame over (to the scheduler, for spawn).
  [[nodiscard]] Handle release() { return std::exchange(h_, {}); }

  struct InlineAwaiter {
    Handle child;
    bool await_ready() noexcept { return false; }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> caller) noexcept {
      detail::PromiseBase& cp = child.promise();
      cp.fiber = caller.promise().fiber;
      cp.continuation = caller;
      cp.fiber->resume = child;
      return child;  // starting a call is not a scheduling point; returning from it is
    }
    ValueOf<T> await_resume() { return child.promise().take(); }
  };
  // Runs the task inline; the Task must stay alive until the await completes (it does when
  // awaited as a temporary or by std::move of a local).
  InlineAwaiter operator co_await() && { return InlineAwaiter{h_}; }

 private:
  void reset() {
    if (h_) h_.destroy();
    h_ = {};
  }
  Handle h_;
};

namespace detail {
template <class T>
Task<T> Promise<T>::get_return_object() noexcept {
  return Task<T>{std::coroutine_handle<Promise<T>>::from_promise(*this)};
}
inline Task<void> Promise<void>::get_return_object() noexcept {
  return Task<void>{std::coroutine_handle<Promise<void>>::from_promise(*this)};
}
}  // namespace detail

}  // namespace ffclock::runtime
