#include "impair_relay/delay_model.hpp"

#include <cmath>

namespace streamsync::impair {

DelayModel::DelayModel(const LinkImpairment& link)
    : delay_us_(link.delay_ms * 1000.0),
      // std::normal_distribution needs a positive deviation; 1 stands in when there is
      // none and is never drawn from.
      jitter_us_(0.0, link.jitter_ms > 0 ? link.jitter_ms * 1000.0 : 1.0),
      has_jitter_(link.jitter_ms > 0),
      lost_(link.loss) {}

std::int64_t DelayModel::sample_delay_us(std::mt19937_64& random) {
  const double delay_us = delay_us_ + (has_jitter_ ? jitter_us_(random) : 0.0);
  return delay_us > 0 ? static_cast<std::int64_t>(std::llround(delay_us)) : 0;
}

bool DelayModel::sample_lost(std::mt19937_64& random) {
  return lost_(random);
}

}  // namespace streamsync::impair
