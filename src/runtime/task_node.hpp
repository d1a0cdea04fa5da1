// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// The scheduler's record of one concurrent task (the root or a spawned child): its place in
// the task tree, the frame to resume, and where it is parked while suspended. Coroutines
// awaited inline run inside their caller's TaskNode; only spawn creates one.

#include <coroutine>
#include <cstdint>

#include "runtime/intrusive_list.hpp"
#include "runtime/timer_heap.hpp"

namespace ffclock::runtime {

class Scheduler;
class NetDevice;

enum class TaskState : uint8_t { Live, Finished, Cancelled };

// Where a suspended task is linked. QueueHook: ready queue, a Net device's readers, or the
// block queue (one at a time); TimerEntry: the timer heap (a sleep, or a read's deadline).
enum class Parking : uint8_t { None, Ready, Sleep, NetRead, Join, BlockOp };

struct TaskNode : QueueHook, TimerEntry {
  Scheduler* sched = nullptr;
  TaskNode* parent = nullptr;
  TaskNode* first_child = nullptr;  // live children only
  TaskNode* next_sibling = nullptr;
  TaskNode* prev_sibling = nullptr;
  std::coroutine_handle<> top;       // owned: the spawned coroutine's outermost frame
  std::coroutine_handle<> resume;    // the innermost frame, resumed when the task runs
  TaskNode* joiner = nullptr;        // the task parked in join() on this one
  void* wait_op = nullptr;           // Join: the child; NetRead/BlockOp: the pending operation
  NetDevice* wait_device = nullptr;  // NetRead: the device whose reader list holds this task
  TaskState state = TaskState::Live;
  Parking parking = Parking::None;
  bool cancel_requested = false;  // cancelled while running: finish at its next suspension
  bool handle_alive = true;       // a JoinHandle (or run()) still refers to this node

  [[nodiscard]] bool terminal() const { return state != TaskState::Live; }
};

}  // namespace ffclock::runtime
