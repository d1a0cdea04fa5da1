// SPDX-License-Identifier: BSD-2-Clause
#include "runtime/scheduler.hpp"

#include <algorithm>

#include "runtime/block_device.hpp"
#include "runtime/net_device.hpp"

namespace ffclock::runtime {

namespace detail {

void on_frame_done(PromiseBase& p) noexcept {
  TaskNode* n = p.fiber;
  Scheduler& s = *n->sched;
  if (p.continuation) {
    // An inline call returned: its caller goes behind the ready tasks.
    n->resume = p.continuation;
    s.make_ready(n);
  } else {
    s.finish_task(n);
  }
}

}  // namespace detail

Scheduler::Scheduler(Backend& backend, platform::Counter& counter) : backend_(backend), counter_(counter) {
  timers_.reserve(64);
  devices_.reserve(kMaxNetDevices);
}

Scheduler::~Scheduler() = default;

TaskNode* Scheduler::adopt(std::coroutine_handle<> top, detail::PromiseBase& promise, TaskNode* parent) {
  TaskNode* n = nullptr;
  if (!free_nodes_.empty()) {
    // A freed node is fully unlinked (free_node checks); only these fields carry state.
    n = free_nodes_.back();
    free_nodes_.pop_back();
    n->first_child = n->prev_sibling = nullptr;
    n->joiner = nullptr;
    n->state = TaskState::Live;
    n->cancel_requested = false;
    n->handle_alive = true;
  } else {
    nodes_.push_back(std::make_unique<TaskNode>());
    n = nodes_.back().get();
  }
  n->sched = this;
  n->top = top;
  n->resume = top;
  promise.fiber = n;
  n->parent = parent;
  if (parent != nullptr) {
    n->next_sibling = parent->first_child;
    if (parent->first_child != nullptr) parent->first_child->prev_sibling = n;
    parent->first_child = n;
  }
  ++live_tasks_;
  make_ready(n);
  return n;
}

// ---- The loop ----

std::optional<RunError> Scheduler::drive(TaskNode* root) {
  for (;;) {
    if (root->terminal()) return std::nullopt;
    if (backend_.stop_requested()) {
      cancel(root);
      return RunError::Stopped;
    }
    run_ready_round();
    if (root->terminal()) return std::nullopt;
    // Tasks ready, no device awaited, no timer, no block I/O: straight to the next round.
    if (!ready_.empty() && net_readers_ == 0 && timers_.empty() && block_queue_.empty()) {
      continue;
    }
    if (std::optional<RunError> err = poll_events()) {
      cancel(root);
      return err;
    }
  }
}

void Scheduler::run_ready_round() {
  // Each task ready now gets one turn; tasks readied meanwhile wait for the next round, so
  // devices and timers are checked between rounds.
  for (std::size_t turns = ready_.size(); turns > 0 && !ready_.empty(); --turns) {
    TaskNode* n = &ready_.first();
    ready_.erase(n);
    n->parking = Parking::None;
    run_task(n);
  }
}

inline void Scheduler::run_task(TaskNode* n) {
  current_ = n;
  n->resume.resume();
  current_ = nullptr;
  if (n->cancel_requested || n->terminal()) [[unlikely]]
    after_run(n);
}

void Scheduler::after_run(TaskNode* n) {
  if (n->cancel_requested && !n->terminal()) {
    cancel(n);  // cancelled while it ran; frees the node if its handle is gone
  } else if (n->terminal() && !n->handle_alive) {
    free_node(n);
  }
}

std::optional<RunError> Scheduler::poll_events() {
  const bool busy = !ready_.empty() || !block_queue_.empty();
  // While tasks are ready and no device is awaited there is nothing to ask the backend.
  if (net_readers_ > 0 || !busy) {
    if (std::optional<RunError> err = wait_devices(busy)) return err;
  }
  fire_timers();
  if (ready_.empty() && !block_queue_.empty()) run_one_block_op();
  return std::nullopt;
}

std::optional<RunError> Scheduler::wait_devices(bool busy) {
  WaitDeadline deadline;
  if (busy) {
    deadline = WaitDeadline::immediate();
  } else if (!timers_.empty()) {
    deadline = WaitDeadline::until(timers_.top()->deadline);
  } else if (net_readers_ > 0) {
    deadline = WaitDeadline::forever();
  } else {
    return RunError::Stalled;  // nothing ready, no timer, no device: no task can ever wake
  }
  std::array<int, kMaxNetDevices> keys;            // NOLINT: only the first nkeys are used
  std::array<NetDevice*, kMaxNetDevices> waiting;  // NOLINT
  std::size_t nkeys = 0;
  for (NetDevice* d : devices_) {
    if (d->has_readers()) {
      keys[nkeys] = d->wait_key();
      waiting[nkeys] = d;
      ++nkeys;
    }
  }
  const WaitOutcome out = backend_.wait({keys.data(), nkeys}, deadline);
  switch (out.status) {
    case WaitStatus::Failed:
      return RunError::BackendFailed;
    case WaitStatus::Stalled:
      return RunError::Stalled;
    case WaitStatus::Interrupted:
      return std::nullopt;  // the loop checks the stop flag
    case WaitStatus::Ready:
    case WaitStatus::TimedOut:
      break;
  }
  if (out.ready_mask != 0) {
    const uint64_t stamp = counter_.read();  // right after the wait returned
    for (std::size_t i = 0; i < nkeys; ++i) {
      if ((out.ready_mask >> i) & 1u) waiting[i]->deliver(stamp);
    }
  }
  return std::nullopt;
}

void Scheduler::fire_timers() {
  if (timers_.empty()) return;
  const MonoTime now = backend_.now();
  while (!timers_.empty() && timers_.top()->deadline <= now) {
    TaskNode* n = &static_cast<TaskNode&>(*timers_.pop());
    if (n->parking == Parking::NetRead) {
      static_cast<NetDevice::ReadOp*>(n->wait_op)->result =
          core::Result<Received, NetError>(core::Unexpected{NetError{NetErrc::Timeout, 0}});
    }
    unpark(n);
    make_ready(n);
  }
}

void Scheduler::run_one_block_op() {
  TaskNode* n = &block_queue_.first();
  BlockOp& op = *static_cast<BlockOp*>(n->wait_op);
  op.result = op.dev->perform(op);
  unpark(n);
  make_ready(n);
}

// ---- Parking ----

TaskNode* Scheduler::running(std::coroutine_handle<> h) {
  assert(current_ != nullptr && "awaited outside a running task");
  current_->resume = h;
  return current_;
}

void Scheduler::make_ready(TaskNode* n) {
  n->parking = Parking::Ready;
  ready_.push_back(n);
}

void Scheduler::park_ready(std::coroutine_handle<> h) { make_ready(running(h)); }

void Scheduler::park_sleep(std::coroutine_handle<> h, MonoTime until) {
  TaskNode* n = running(h);
  n->parking = Parking::Sleep;
  n->deadline = until;
  timers_.push(n);
}

void Scheduler::park_join(std::coroutine_handle<> h, TaskNode* child) {
  TaskNode* n = running(h);
  assert(child->joiner == nullptr && "a task is joined by one task at a time");
  n->parking = Parking::Join;
  n->wait_op = child;
  child->joiner = n;
}

void Scheduler::park_net_read(std::coroutine_handle<> h, NetDevice* dev, void* op,
                              std::optional<MonoTime> deadline) {
  TaskNode* n = running(h);
  n->parking = Parking::NetRead;
  n->wait_op = op;
  n->wait_device = dev;
  dev->readers_.push_back(n);
  ++net_readers_;
  if (deadline) {
    n->deadline = *deadline;
    timers_.push(n);
  }
}

void Scheduler::park_block_op(std::coroutine_handle<> h, BlockOp* op) {
  TaskNode* n = running(h);
  n->parking = Parking::BlockOp;
  n->wait_op = op;
  block_queue_.push_back(n);
}

void Scheduler::unpark(TaskNode* n) {
  switch (n->parking) {
    case Parking::None:
      break;
    case Parking::Ready:
      ready_.erase(n);
      break;
    case Parking::Sleep:
      break;  // the heap entry goes below
    case Parking::NetRead:
      n->wait_device->readers_.erase(n);
      --net_readers_;
      break;
    case Parking::Join:
      static_cast<TaskNode*>(n->wait_op)->joiner = nullptr;
      break;
    case Parking::BlockOp:
      block_queue_.erase(n);
      break;
  }
  if (n->in_heap()) timers_.erase(n);
  n->parking = Parking::None;
  n->wait_op = nullptr;
  n->wait_device = nullptr;
}

// ---- Lifetime ----

void Scheduler::cancel(TaskNode* n) {
  if (n->terminal()) return;
  n->cancel_requested = true;
  cancel_children(n);
  if (n == current_) return;  // finished by run_task when it next suspends
  finish_cancel(n);
}

void Scheduler::cancel_children(TaskNode* n) {
  // Restart from the head each time: cancelling one child may free others.
  for (TaskNode* c = n->first_child; c != nullptr;) {
    if (c == current_) {
      cancel(c);  // deferred; it stays linked until it suspends
      c = c->next_sibling;
      continue;
    }
    cancel(c);  // unlinks c
    c = n->first_child;
    while (c != nullptr && c == current_) c = c->next_sibling;
  }
}

void Scheduler::finish_cancel(TaskNode* n) {
  unpark(n);
  n->state = TaskState::Cancelled;
  --live_tasks_;
  detach_from_parent(n);
  for (TaskNode* c = n->first_child; c != nullptr; c = c->next_sibling) c->parent = nullptr;
  n->first_child = nullptr;
  wake_joiner(n);
  // Destroying the frames runs the task's destructors (which may drop JoinHandles and so
  // free other nodes); the node itself stays until its handle is dropped.
  const std::coroutine_handle<> top = std::exchange(n->top, {});
  if (top) top.destroy();
  if (!n->handle_alive) free_node(n);
}

void Scheduler::finish_task(TaskNode* n) {
  // Structured lifetime: whatever children remain are cancelled with their parent.
  cancel_children(n);
  n->state = TaskState::Finished;
  --live_tasks_;
  detach_from_parent(n);
  wake_joiner(n);
}

void Scheduler::wake_joiner(TaskNode* n) {
  if (TaskNode* j = n->joiner) {
    assert(j->parking == Parking::Join && j->wait_op == n);
    n->joiner = nullptr;
    j->wait_op = nullptr;
    make_ready(j);
  }
}

void Scheduler::detach_from_parent(TaskNode* n) {
  if (TaskNode* p = n->parent) {
    if (p->first_child == n) p->first_child = n->next_sibling;
    if (n->prev_sibling != nullptr) n->prev_sibling->next_sibling = n->next_sibling;
    if (n->next_sibling != nullptr) n->next_sibling->prev_sibling = n->prev_sibling;
  }
  n->parent = n->prev_sibling = n->next_sibling = nullptr;
}

void Scheduler::release(TaskNode* n) {
  cancel(n);
  n->handle_alive = false;
  if (n->terminal() && n != current_) free_node(n);
}

void Scheduler::free_node(TaskNode* n) {
  assert(n->terminal() && !n->handle_alive && n != current_);
  assert(!n->linked() && !n->in_heap() && n->parking == Parking::None);
  assert(n->parent == nullptr && n->first_child == nullptr && n->joiner == nullptr);
  // A finished task's frame waits at its final suspend until now (it holds the value).
  const std::coroutine_handle<> top = std::exchange(n->top, {});
  if (top) top.destroy();
  n->sched = nullptr;  // marks the node free
  free_nodes_.push_back(n);
}

// ---- Devices ----

bool Scheduler::attach(NetDevice* dev) {
  if (devices_.size() >= kMaxNetDevices) return false;
  devices_.push_back(dev);
  return true;
}

void Scheduler::detach(NetDevice* dev) {
  devices_.erase(std::remove(devices_.begin(), devices_.end(), dev), devices_.end());
}

}  // namespace ffclock::runtime
