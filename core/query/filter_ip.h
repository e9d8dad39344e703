#pragma once
// IPv4/IPv6 address and network values used by the filter language and its SQL functions.
#include <QString>
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace core {

/// An IPv4 (first 4 bytes used) or IPv6 address in network byte order.
struct IpAddress {
    bool v6 = false;
    std::array<unsigned char, 16> bytes{};
};

/// A network: address with host bits cleared and a prefix length (0..32 or 0..128).
struct IpNetwork {
    IpAddress address;
    int prefix = 0;
};

/// The project's one IPv4 reader (the parser's address check, the store's integer encoding and
/// the filter language all use it): four parts of 1 to 3 decimal digits, each 0..255, nothing
/// else. A leading zero reads as decimal ("010" is 10, never octal); `canonical` tells whether
/// no part had one (only canonical text is stored as an integer, so "010.0.0.1" stays as
/// written). Returns the address in host byte order. Any thread.
std::optional<uint32_t> parseIpv4(std::string_view text, bool& canonical);
/// parseIpv4() without the canonical flag.
std::optional<uint32_t> parseIpv4(std::string_view text);
/// Parses dotted-quad IPv4 (parseIpv4's rule) or any IPv6 text form. Any thread.
std::optional<IpAddress> parseIpAddress(std::string_view text);
/// Parses "addr/prefix" or a bare address (host network, /32 or /128). Any thread.
std::optional<IpNetwork> parseIpNetwork(std::string_view text);
/// True if `addr` is in `net` (an IPv4 address is never in an IPv6 network and vice versa).
bool networkContains(const IpNetwork& net, const IpAddress& addr);
/// Canonical text ("10.0.0.1", "2600:1f18::1").
QString formatIpAddress(const IpAddress& address);
/// Canonical "address/prefix".
QString formatIpNetwork(const IpNetwork& network);

} // namespace core
