// SPDX-License-Identifier: BSD-2-Clause
#pragma once
// Kiss-o'-death codes (RFC 5905 §7.4, RFC 8915 §5.7): a reply with stratum 0 carries a
// four-letter ASCII code in its reference id instead of a clock source. A client must act
// on DENY/RSTR (stop using the server) and RATE (poll less often); the others are
// informational and the reply is simply discarded.

#include <array>
#include <cstdint>
#include <string_view>

namespace ffclock::core {

enum class KissCode : uint8_t {
  Unknown = 0,  // stratum 0 with a code this table does not know (raw chars kept)
  Acst,         // ACST: the association belongs to a unicast server
  Auth,         // AUTH: server authentication failed
  Auto,         // AUTO: autokey sequence failed
  Bcst,         // BCST: the association belongs to a broadcast server
  Cryp,         // CRYP: cryptographic authentication or identification failed
  Deny,         // DENY: access denied by remote server
  Drop,         // DROP: lost peer in symmetric mode
  Rstr,         // RSTR: access denied due to local policy
  Init,         // INIT: the association has not yet synchronized for the first time
  Mcst,         // MCST: the association belongs to a dynamically discovered server
  Nkey,         // NKEY: no key found
  Ntsn,         // NTSN: NTS negative acknowledgement (RFC 8915)
  Rate,         // RATE: rate exceeded; the server has temporarily denied access
  Rmot,         // RMOT: alteration of association from a remote host
  Step,         // STEP: a step change in system time has occurred
};

// What a client should do on receiving a kiss.
enum class KissAction : uint8_t {
  Discard,         // informational: drop this reply, keep polling
  ReducePollRate,  // RATE: back off (at least double the poll interval)
  StopPolling,     // DENY, RSTR: demobilize the association
};

// A decoded kiss: the known code, plus the four reference-id bytes as received.
struct Kiss {
  KissCode code = KissCode::Unknown;
  std::array<char, 4> ascii{};
  friend constexpr bool operator==(const Kiss&, const Kiss&) = default;
  constexpr std::string_view text() const { return {ascii.data(), ascii.size()}; }
};

// The reference id (host order) as its four wire bytes, first byte first.
constexpr std::array<char, 4> refid_chars(uint32_t refid) {
  return {static_cast<char>(refid >> 24), static_cast<char>(refid >> 16), static_cast<char>(refid >> 8),
          static_cast<char>(refid)};
}

constexpr Kiss kiss_from_refid(uint32_t refid) {
  struct Entry {
    std::string_view text;
    KissCode code;
  };
  constexpr Entry kTable[] = {
      {"ACST", KissCode::Acst}, {"AUTH", KissCode::Auth}, {"AUTO", KissCode::Auto}, {"BCST", KissCode::Bcst},
      {"CRYP", KissCode::Cryp}, {"DENY", KissCode::Deny}, {"DROP", KissCode::Drop}, {"RSTR", KissCode::Rstr},
      {"INIT", KissCode::Init}, {"MCST", KissCode::Mcst}, {"NKEY", KissCode::Nkey}, {"NTSN", KissCode::Ntsn},
      {"RATE", KissCode::Rate}, {"RMOT", KissCode::Rmot}, {"STEP", KissCode::Step},
  };
  Kiss k{KissCode::Unknown, refid_chars(refid)};
  for (const Entry& e : kTable) {
    if (e.text == k.text()) {
      k.code = e.code;
      break;
    }
  }
  return k;
}

constexpr KissAction kiss_action(KissCode code) {
  switch (code) {
    case KissCode::Deny:
    case KissCode::Rstr:
      return KissAction::StopPolling;
    case KissCode::Rate:
      return KissAction::ReducePollRate;
    default:
      return KissAction::Discard;
  }
}

}  // namespace ffclock::core
