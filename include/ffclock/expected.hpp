// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// A value-or-error result for the public reader (C++20 has no std::expected; the reader is
// header-only and must not depend on src/). Errors are small enums; no exceptions.

#include <cassert>
#include <optional>
#include <utility>

namespace ffclock {

template <class E>
struct Failure {
  E error;
};

template <class T, class E>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Expected(Failure<E> f) : error_(f.error) {}      // NOLINT
  // Engages a T built by its default constructor (replacing any error), to be filled in
  // place: a result that starts as a failure and becomes a value costs no copy.
  T& emplace() { return value_.emplace(); }
  Expected& operator=(Failure<E> f) {
    value_.reset();
    error_ = f.error;
    return *this;
  }

  bool has_value() const { return value_.has_value(); }
  explicit operator bool() const { return has_value(); }
  const T& value() const& {
    assert(has_value());
    return *value_;
  }
  T& value() & {
    assert(has_value());
    return *value_;
  }
  T&& value() && {
    assert(has_value());
    return std::move(*value_);
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  E error() const {
    assert(!has_value());
    return error_;
  }

 private:
  std::optional<T> value_;
  E error_{};
};

}  // namespace ffclock
