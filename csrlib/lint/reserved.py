"""Reserved IP addresses: the IANA special-purpose address registries, and multicast.

CA/B BR 1.6.1 defines a Reserved IP Address as one "contained in the address
block of any entry" of the IANA IPv4 and IPv6 Special-Purpose Address
Registries, whatever its "Globally Reachable" column says; boulder adds the
multicast blocks.  Python's ``ipaddress.is_global`` is not that test (its
table differs between Python versions and leaves out several entries), so
the blocks are listed here; an address ``is_global`` calls not global is
reserved too.  Snapshot of the registries as boulder embeds them
(``iana/data/iana-ipv4-special-registry-1.csv``, ``...ipv6...``).
"""

from __future__ import annotations

import ipaddress

__all__ = ["reserved_block"]

# (block, name, source)
_BLOCKS = (
    ("0.0.0.0/8", "This network", "RFC791"),
    ("0.0.0.0/32", "This host on this network", "RFC1122"),
    ("10.0.0.0/8", "Private-Use", "RFC1918"),
    ("100.64.0.0/10", "Shared Address Space", "RFC6598"),
    ("127.0.0.0/8", "Loopback", "RFC1122"),
    ("169.254.0.0/16", "Link Local", "RFC3927"),
    ("172.16.0.0/12", "Private-Use", "RFC1918"),
    ("192.0.0.0/24", "IETF Protocol Assignments", "RFC6890"),
    ("192.0.0.0/29", "IPv4 Service Continuity Prefix", "RFC7335"),
    ("192.0.0.8/32", "IPv4 dummy address", "RFC7600"),
    ("192.0.0.9/32", "Port Control Protocol Anycast", "RFC7723"),
    ("192.0.0.10/32", "Traversal Using Relays around NAT Anycast", "RFC8155"),
    ("192.0.0.170/32", "NAT64/DNS64 Discovery", "RFC8880"),
    ("192.0.0.171/32", "NAT64/DNS64 Discovery", "RFC8880"),
    ("192.0.2.0/24", "Documentation (TEST-NET-1)", "RFC5737"),
    ("192.31.196.0/24", "AS112-v4", "RFC7535"),
    ("192.52.193.0/24", "AMT", "RFC7450"),
    ("192.88.99.0/24", "Deprecated (6to4 Relay Anycast)", "RFC7526"),
    ("192.168.0.0/16", "Private-Use", "RFC1918"),
    ("192.175.48.0/24", "Direct Delegation AS112 Service", "RFC7534"),
    ("198.18.0.0/15", "Benchmarking", "RFC2544"),
    ("198.51.100.0/24", "Documentation (TEST-NET-2)", "RFC5737"),
    ("203.0.113.0/24", "Documentation (TEST-NET-3)", "RFC5737"),
    ("240.0.0.0/4", "Reserved", "RFC1112"),
    ("255.255.255.255/32", "Limited Broadcast", "RFC8190"),
    ("::1/128", "Loopback Address", "RFC4291"),
    ("::/128", "Unspecified Address", "RFC4291"),
    ("::ffff:0:0/96", "IPv4-mapped Address", "RFC4291"),
    ("64:ff9b::/96", "IPv4-IPv6 Translat.", "RFC6052"),
    ("64:ff9b:1::/48", "IPv4-IPv6 Translat.", "RFC8215"),
    ("100::/64", "Discard-Only Address Block", "RFC6666"),
    ("100:0:0:1::/64", "Dummy IPv6 Prefix", "RFC9780"),
    ("2001::/23", "IETF Protocol Assignments", "RFC2928"),
    ("2001::/32", "TEREDO", "RFC4380"),
    ("2001:1::1/128", "Port Control Protocol Anycast", "RFC7723"),
    ("2001:1::2/128", "Traversal Using Relays around NAT Anycast", "RFC8155"),
    ("2001:1::3/128", "DNS-SD Service Registration Protocol Anycast", "RFC-ietf-dnssd-srp-25"),
    ("2001:2::/48", "Benchmarking", "RFC5180"),
    ("2001:3::/32", "AMT", "RFC7450"),
    ("2001:4:112::/48", "AS112-v6", "RFC7535"),
    ("2001:10::/28", "Deprecated (previously ORCHID)", "RFC4843"),
    ("2001:20::/28", "ORCHIDv2", "RFC7343"),
    ("2001:30::/28", "Drone Remote ID Protocol Entity Tags (DETs) Prefix", "RFC9374"),
    ("2001:db8::/32", "Documentation", "RFC3849"),
    ("2002::/16", "6to4", "RFC3056"),
    ("2620:4f:8000::/48", "Direct Delegation AS112 Service", "RFC7534"),
    ("3fff::/20", "Documentation", "RFC9637"),
    ("5f00::/16", "Segment Routing (SRv6) SIDs", "RFC9602"),
    ("fc00::/7", "Unique-Local", "RFC4193"),
    ("fe80::/10", "Link-Local Unicast", "RFC4291"),
    ("224.0.0.0/4", "Multicast", "RFC5771"),
    ("ff00::/8", "Multicast", "RFC4291"),
)
_NETWORKS = tuple((ipaddress.ip_network(block), f"{name} ({source})")
                  for block, name, source in _BLOCKS)


def reserved_block(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Return the name of the reserved block holding ``address``, or None if it is public."""
    for network, name in _NETWORKS:
        if address in network:
            return name
    if not address.is_global:
        return "not globally routable (Python ipaddress)"
    return None
