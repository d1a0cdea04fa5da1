#include "sim/server.hpp"

namespace ffclock::sim {

namespace {
bool active(const Event& e, SimTime t) {
  return t >= e.at_s && (e.duration_s <= 0 || t < static_cast<SimTime>(e.at_s) + e.duration_s);
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

Server::Server(const Scenario& s, const TrueTime& truth) : model_(s.server), events_(s.events), truth_(truth) {}

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
  const UtcTime te = truth_.utc(t + model_.processing_s) + offset;
  return ServerReply{ntp_resolution(tb), ntp_resolution(te), info};
}

}  // namespace ffclock::sim
