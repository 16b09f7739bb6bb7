// A value or an Error (C++17/20 has no std::expected yet).
#pragma once

#include <utility>
#include <variant>

#include "util/error.h"

namespace aegis {

template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  Expected(Error error) : v_(std::move(error)) {}      // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// For operations that return nothing but may fail.
struct Ok {};
using Status = Expected<Ok>;

// The error of a step, returned as is (as ccache's TRY): `AEGIS_TRY(Step());` stands for
// `if (auto s = Step(); !s) return s.error();` — a function of several fallible steps reads as
// the steps. Works on any Expected; its value, if any, is dropped.
#define AEGIS_TRY(expr)                                   \
  do {                                                     \
    if (auto aegis_try_ = (expr); !aegis_try_) return aegis_try_.error(); \
  } while (0)

}  // namespace aegis
