#pragma once
// A value-or-error result for the public reader (C++20 has no std::expected; the reader is
// header-only and must not depend on src/). Errors are small enums; no exceptions.

#include <cassert>
#include <utility>

namespace ffclock {

template <class E>
struct Failure {
  E error;
};

template <class T, class E>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : value_(std::move(value)), ok_(true) {}  // NOLINT: implicit by design
  Expected(Failure<E> f) : error_(f.error), ok_(false) {}     // NOLINT

  bool has_value() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const T& value() const& { assert(ok_); return value_; }
  T& value() & { assert(ok_); return value_; }
  T&& value() && { assert(ok_); return std::move(value_); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  E error() const { assert(!ok_); return error_; }

 private:
  T value_{};
  E error_{};
  bool ok_;
};

}  // namespace ffclock
