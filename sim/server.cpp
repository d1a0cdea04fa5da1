// SPDX-License-Identifier: BSD-2-Clause
#include "sim/server.hpp"

#include <cmath>
#include <cstring>

#include "core/ntp/ntp_packet.hpp"
#include "core/time/ntp_time.hpp"
#include "sim/rng.hpp"

namespace ffclock::sim {

namespace {
bool active(const Event& e, SimTime t) {
  return t >= e.at_s && (e.duration_s <= 0 || t < static_cast<SimTime>(e.at_s) + e.duration_s);
}
// A uniform number in [0, 1) from an instant (splitmix64 of its bits): the fuzz below the
// precision is then a function of the simulation's own times, the same for the same seed.
double unit_hash(SimTime t) {
  uint64_t state = 0;
  static_assert(sizeof t >= sizeof state);
  std::memcpy(&state, &t, sizeof state);
  return static_cast<double>(splitmix64(state) >> 11) * 0x1.0p-53;
}
// NTP carries 32 fractional bits: the server's stamps are truncated like on the wire.
UtcTime ntp_resolution(UtcTime t) {
  const int128 mask = ~((int128{1} << 32) - 1);
  return UtcTime::from_fixed(t.fixed() & mask);
}
}  // namespace

TrueTime::TrueTime(UtcTime start, const std::vector<Event>& events) : start_(start) {
  for (const Event& e : events) {
    if (e.kind == EventKind::Leap) leaps_.push_back({e.at_s, e.value >= 0 ? 1 : -1});
  }
}

UtcTime TrueTime::utc(SimTime t) const {
  UtcTime u = start_ + Duration::from_seconds(t);
  for (const Leap& l : leaps_) {
    if (t >= l.at) u -= Duration::seconds(l.sign);
  }
  return u;
}

UtcTime TrueTime::utc_at_second(int64_t s) const {
  UtcTime u = start_ + Duration::seconds(s);
  for (const Leap& l : leaps_) {
    if (static_cast<SimTime>(s) >= l.at) u -= Duration::seconds(l.sign);
  }
  return u;
}

bool server_side(EventKind k) {
  return k == EventKind::ServerStep || k == EventKind::Outage || k == EventKind::KissOfDeath ||
         k == EventKind::StratumChange;
}

Server::Server(const Scenario& s, std::size_t index, const TrueTime& truth)
    : model_(index == 0 ? s.server : s.more_servers.at(index - 1).server), truth_(truth) {
  for (const Event& e : s.events) {
    if (server_side(e.kind) && static_cast<std::size_t>(e.server) != index) continue;
    if (e.kind == EventKind::Leap && e.announce == LeapAnnounce::File) continue;  // no indicator
    events_.push_back(e);
  }
}

std::array<uint8_t, 48> Server::encode(const ServerReply& r, uint64_t origin) {
  core::NtpPacket p;
  p.leap = r.info.leap;
  p.version = 4;
  p.mode = core::NtpMode::Server;
  p.stratum = r.info.stratum;
  p.poll = r.info.poll_log2;
  p.precision = r.precision;
  p.root_delay = core::to_ntp_short(r.info.root_delay);
  p.root_dispersion = core::to_ntp_short(r.info.root_dispersion);
  p.reference_id = r.info.refid;
  p.reference_ts = core::to_ntp(r.tb);
  p.origin_ts = core::NtpTimestamp{origin};
  p.receive_ts = core::to_ntp(r.tb);
  p.transmit_ts = core::to_ntp(r.te);
  return core::encode_ntp_packet(p);
}

std::optional<ServerReply> Server::answer(SimTime t) const {
  core::ServerInfo info;
  info.stratum = model_.stratum;
  info.refid = model_.refid;
  Duration offset;
  bool kod = false;
  for (const Event& e : events_) {
    switch (e.kind) {
      case EventKind::Outage:
        if (active(e, t)) return std::nullopt;
        break;
      case EventKind::ServerStep:
        if (active(e, t)) offset += Duration::from_seconds(e.value);
        break;
      case EventKind::KissOfDeath:
        if (active(e, t)) kod = true;
        break;
      case EventKind::StratumChange:
        if (t >= e.at_s) {
          info.stratum = e.stratum;
          info.refid = e.refid;
        }
        break;
      case EventKind::Leap:
        if (t >= e.at_s - e.announce_s && t < e.at_s) {
          info.leap = e.value >= 0 ? core::LeapIndicator::InsertSecond : core::LeapIndicator::DeleteSecond;
        }
        break;
      default:
        break;
    }
  }
  if (kod) {
    // RFC 5905 kiss-o'-death: stratum 0, LI 3, the kiss code in the refid.
    info.stratum = 0;
    info.leap = core::LeapIndicator::Unsynchronized;
    info.refid = 0x52415445;  // "RATE"
  }
  const UtcTime tb = truth_.utc(t) + offset;
  UtcTime te = truth_.utc(t + model_.processing_s) + offset;
  int8_t precision = -25;
  if (model_.transmit_fuzz_s > 0) {
    te -= Duration::from_seconds(model_.transmit_fuzz_s * unit_hash(t));
    precision = static_cast<int8_t>(std::ceil(std::log2(model_.transmit_fuzz_s)));
  }
  return ServerReply{ntp_resolution(tb), ntp_resolution(te), info, precision};
}

}  // namespace ffclock::sim
