// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The cooperative scheduler (Miou_solo5 semantics, seed 002): one thread, C++20 coroutines,
// no parallelism. Tasks form a tree: spawn makes a child of the running task; a parent joins
// or cancels its children, and a task's children are cancelled when it ends. Cancelling a
// task cancels its subtree and destroys its suspended frames (destructors run; the task
// never resumes). Ready tasks run first-in first-out, one turn each per round; between
// rounds the scheduler waits once on every device with the nearest timer as deadline
// (without blocking while tasks are ready), fires timers, and, only when no task is ready,
// performs one scheduled block operation. SIGTERM/SIGINT cancel the root task.
//
// Ownership: JoinHandles, Net and Block devices must not outlive their scheduler; a Task is
// awaited only from inside another Task run by a scheduler.

#include <array>
#include <cassert>
#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "core/result.hpp"
#include "platform/counter.hpp"
#include "runtime/backend.hpp"
#include "runtime/errors.hpp"
#include "runtime/intrusive_list.hpp"
#include "runtime/mono_time.hpp"
#include "runtime/task.hpp"
#include "runtime/task_node.hpp"
#include "runtime/timer_heap.hpp"

namespace ffclock::runtime {

class BlockDevice;
struct BlockOp;

template <class T>
class JoinHandle;

// At most this many Net devices per scheduler (clknetsim allows 20 sockets).
inline constexpr std::size_t kMaxNetDevices = 64;

class Scheduler {
 public:
  // `counter` stamps datagrams (receive: right after the wait returns; send: right before).
  Scheduler(Backend& backend, platform::Counter& counter);
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;
  ~Scheduler();

  // Runs `root` and everything it spawns until the root returns; its value, or why not.
  template <class T>
  [[nodiscard]] core::Result<ValueOf<T>, RunError> run(Task<T> root);

  // Starts `task` as a child of the running task; it first runs after the tasks already
  // ready. Must be called from inside a task. Dropping the handle cancels the child.
  template <class T>
  [[nodiscard]] JoinHandle<T> spawn(Task<T> task);

  // co_await yield(): go behind every ready task.
  struct YieldAwaiter {
    Scheduler& s;
    bool await_ready() noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) noexcept { s.park_ready(h); }
    void await_resume() noexcept {}
  };
  [[nodiscard]] YieldAwaiter yield() { return YieldAwaiter{*this}; }

  struct SleepAwaiter {
    Scheduler& s;
    MonoTime until;
    bool await_ready() noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) noexcept { s.park_sleep(h, until); }
    void await_resume() noexcept {}
  };
  // Suspends until the backend clock reaches `t` (a past `t` still yields).
  [[nodiscard]] SleepAwaiter sleep_until(MonoTime t) { return SleepAwaiter{*this, t}; }
  [[nodiscard]] SleepAwaiter sleep_for(Nanos d) { return SleepAwaiter{*this, now() + d}; }

  [[nodiscard]] MonoTime now() { return backend_.now(); }
  [[nodiscard]] platform::Counter& counter() { return counter_; }
  [[nodiscard]] Backend& backend() { return backend_; }
  // Tasks spawned and not yet finished or cancelled (including the root while it runs).
  [[nodiscard]] std::size_t live_tasks() const { return live_tasks_; }

 private:
  friend class NetDevice;
  friend class BlockDevice;
  template <class T>
  friend class JoinHandle;
  friend void detail::on_frame_done(detail::PromiseBase& p) noexcept;

  TaskNode* adopt(std::coroutine_handle<> top, detail::PromiseBase& promise, TaskNode* parent);
  std::optional<RunError> drive(TaskNode* root);
  void run_ready_round();
  std::optional<RunError> poll_events();
  std::optional<RunError> wait_devices(bool busy);
  void fire_timers();
  void run_one_block_op();
  void run_task(TaskNode* n);
  void after_run(TaskNode* n);

  // Parking the running task (called from awaiters).
  TaskNode* running(std::coroutine_handle<> h);
  void park_ready(std::coroutine_handle<> h);
  void park_sleep(std::coroutine_handle<> h, MonoTime until);
  void park_join(std::coroutine_handle<> h, TaskNode* child);
  void park_net_read(std::coroutine_handle<> h, NetDevice* dev, void* op, std::optional<MonoTime> deadline);
  void park_block_op(std::coroutine_handle<> h, BlockOp* op);
  void make_ready(TaskNode* n);
  void unpark(TaskNode* n);

  // Lifetime.
  void cancel(TaskNode* n);
  void cancel_children(TaskNode* n);
  void finish_cancel(TaskNode* n);
  void finish_task(TaskNode* n);
  void detach_from_parent(TaskNode* n);
  void wake_joiner(TaskNode* n);
  void release(TaskNode* n);  // the JoinHandle is gone
  void free_node(TaskNode* n);

  // Devices.
  bool attach(NetDevice* dev);
  void detach(NetDevice* dev);

  Backend& backend_;
  platform::Counter& counter_;
  TaskNode* current_ = nullptr;
  IntrusiveList<TaskNode> ready_;
  IntrusiveList<TaskNode> block_queue_;
  TimerHeap timers_;
  std::vector<NetDevice*> devices_;
  std::vector<std::unique_ptr<TaskNode>> nodes_;  // every node ever made; reused
  std::vector<TaskNode*> free_nodes_;
  std::size_t live_tasks_ = 0;
  std::size_t net_readers_ = 0;  // tasks parked in a Net read, over all devices
};

// The parent's handle on a spawned child: join it, cancel it, or drop it (which cancels it).
template <class T>
class [[nodiscard]] JoinHandle {
 public:
  using Handle = std::coroutine_handle<detail::Promise<T>>;

  JoinHandle() = default;
  JoinHandle(JoinHandle&& o) noexcept
      : node_(std::exchange(o.node_, nullptr)), frame_(std::exchange(o.frame_, {})), taken_(o.taken_) {}
  JoinHandle& operator=(JoinHandle&& o) noexcept {
    if (this != &o) {
      reset();
      node_ = std::exchange(o.node_, nullptr);
      frame_ = std::exchange(o.frame_, {});
      taken_ = o.taken_;
    }
    return *this;
  }
  JoinHandle(const JoinHandle&) = delete;
  JoinHandle& operator=(const JoinHandle&) = delete;
  ~JoinHandle() { reset(); }

  [[nodiscard]] bool valid() const { return node_ != nullptr; }
  [[nodiscard]] bool done() const { return node_ != nullptr && node_->terminal(); }
  [[nodiscard]] bool cancelled() const { return node_ != nullptr && node_->state == TaskState::Cancelled; }
  // Cancels the child and its subtree now (if it is still running).
  void cancel() {
    if (node_ != nullptr) node_->sched->cancel(node_);
  }

  struct JoinAwaiter {
    JoinHandle& h;
    bool await_ready() noexcept { return false; }
    void await_suspend(std::coroutine_handle<> me) noexcept {
      Scheduler& s = *h.node_->sched;
      if (h.node_->terminal()) {
        s.park_ready(me);  // already over: still a scheduling point
      } else {
        s.park_join(me, h.node_);
      }
    }
    core::Result<ValueOf<T>, TaskError> await_resume() { return h.take(); }
  };
  // Waits for the child; its value, or Cancelled. Only the first join gets the value.
  [[nodiscard]] JoinAwaiter join() {
    assert(node_ != nullptr);
    return JoinAwaiter{*this};
  }

 private:
  friend class Scheduler;
  JoinHandle(TaskNode* n, Handle f) : node_(n), frame_(f) {}

  core::Result<ValueOf<T>, TaskError> take() {
    if (node_->state == TaskState::Cancelled) return core::Unexpected{TaskError::Cancelled};
    if (taken_) return core::Unexpected{TaskError::AlreadyJoined};
    assert(node_->state == TaskState::Finished);
    taken_ = true;
    return frame_.promise().take();
  }
  void reset() {
    if (node_ != nullptr) node_->sched->release(node_);
    node_ = nullptr;
    frame_ = {};
  }

  TaskNode* node_ = nullptr;
  Handle frame_;
  bool taken_ = false;
};

template <class T>
JoinHandle<T> Scheduler::spawn(Task<T> task) {
  assert(current_ != nullptr && "spawn must be called from inside a running task");
  assert(task.valid());
  auto frame = task.release();
  TaskNode* n = adopt(frame, frame.promise(), current_);
  return JoinHandle<T>(n, frame);
}

template <class T>
core::Result<ValueOf<T>, RunError> Scheduler::run(Task<T> root) {
  assert(current_ == nullptr && "run is not reentrant");
  assert(root.valid());
  auto frame = root.release();
  JoinHandle<T> handle(adopt(frame, frame.promise(), nullptr), frame);
  if (std::optional<RunError> err = drive(handle.node_)) return core::Unexpected{*err};
  core::Result<ValueOf<T>, TaskError> v = handle.take();
  if (!v) return core::Unexpected{RunError::Stopped};  // unreachable: drive saw it finish
  return std::move(v).value();
}

}  // namespace ffclock::runtime
