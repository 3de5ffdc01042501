#pragma once

// Expected<T, E>: a value or the reason there is none. A stand-in for C++23's
// std::expected (the toolchains we ship on are C++20), kept to the part we use so
// that swapping it for the standard type later is a rename.

#include <cassert>
#include <utility>
#include <variant>

namespace streamsync {

template <class E>
struct Unexpected {
  E error;
};

template <class E>
Unexpected(E) -> Unexpected<E>;

template <class T, class E>
class Expected {
 public:
  Expected(T value)
      : storage_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Expected(Unexpected<E> failure)
      : storage_(std::in_place_index<1>, std::move(failure.error)) {}  // NOLINT

  bool has_value() const { return storage_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  const T& value() const& {
    assert(has_value());
    return *std::get_if<0>(&storage_);
  }
  T& value() & {
    assert(has_value());
    return *std::get_if<0>(&storage_);
  }
  T&& value() && {
    assert(has_value());
    return std::move(*std::get_if<0>(&storage_));
  }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }

  const E& error() const {
    assert(!has_value());
    return *std::get_if<1>(&storage_);
  }

 private:
  std::variant<T, E> storage_;
};

}  // namespace streamsync
