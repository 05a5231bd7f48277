"""A list of blocked keys, as a CA keeps it (no list ships with csrlib).

One entry per line, ``#`` comments and blank lines ignored, upper or lower
case hex; each entry's length says what it holds:

* 64 hex digits: the SHA-256 of the key's DER SubjectPublicKeyInfo (boulder's
  ``blockedHashesHex``), or the SHA-256 of the RSA modulus's (EC key's x
  coordinate's) minimal big-endian octets (the ``sha256_modulus_<bits>.csv``
  lists of the CVE-2008-0166 key generator, and dwklint);
* 40 hex digits: the SHA-1 of ``"Modulus=" + upper-case hex of n + "\\n"``,
  what ``openssl rsa -noout -modulus | sha1sum`` prints;
* 20 hex digits: the last 20 of those (the Debian ``openssl-blacklist``
  files, ``blacklist.RSA-2048``..., and boulder's ``WeakKeyFile``).

A JSON array of such strings (boulder's flattened ``WeakKeyFile``) is read too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import CSRError
from ..jsontext import JsonInputError, loads
from ..model.keys import EcPublicKey, PublicKey, RsaPublicKey

__all__ = ["Blocklist", "BlocklistError"]

_HEX = frozenset("0123456789abcdef")


class BlocklistError(CSRError):
    """A blocklist entry that is not 20, 40 or 64 hex digits."""


@dataclass(frozen=True, slots=True)
class Blocklist:
    """Blocked keys by digest: ``sha256`` (SPKI or modulus), ``sha1`` (modulus line), ``suffix``."""

    sha256: frozenset[bytes] = frozenset()
    sha1: frozenset[bytes] = frozenset()
    suffix: frozenset[bytes] = frozenset()

    @classmethod
    def from_entries(cls, entries: Iterable[str]) -> Blocklist:
        """Return the list of hex entries; raise BlocklistError for one that is not an entry."""
        sha256: set[bytes] = set()
        sha1: set[bytes] = set()
        suffix: set[bytes] = set()
        for number, raw in enumerate(entries, 1):
            entry = raw.split("#", 1)[0].strip().lower()
            if not entry:
                continue
            if not set(entry) <= _HEX or len(entry) not in (20, 40, 64):
                raise BlocklistError(f"blocklist entry {number} is not 20, 40 or 64 hex digits")
            {64: sha256, 40: sha1, 20: suffix}[len(entry)].add(bytes.fromhex(entry))
        return cls(frozenset(sha256), frozenset(sha1), frozenset(suffix))

    @classmethod
    def from_text(cls, text: str) -> Blocklist:
        """Return the list a file's text holds (lines, or a JSON array of strings)."""
        if text.lstrip().startswith("["):
            try:
                items = loads(text)
            except JsonInputError as exc:
                raise BlocklistError(f"blocklist is not a JSON array: {exc}") from None
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise BlocklistError("a JSON blocklist is an array of strings")
            return cls.from_entries(items)
        return cls.from_entries(text.splitlines())

    def __len__(self) -> int:
        return len(self.sha256) + len(self.sha1) + len(self.suffix)

    def match(self, key: PublicKey) -> str | None:
        """Return which digest of ``key`` is listed (a description), or None."""
        if hashlib.sha256(key.der).digest() in self.sha256:
            return "SHA-256 of the SubjectPublicKeyInfo"
        number = key.n if isinstance(key, RsaPublicKey) else (
            key.x if isinstance(key, EcPublicKey) else None)
        if number is None:
            return None
        if self.sha256:
            octets = number.to_bytes((number.bit_length() + 7) // 8, "big")
            if hashlib.sha256(octets).digest() in self.sha256:
                return ("SHA-256 of the modulus" if isinstance(key, RsaPublicKey)
                        else "SHA-256 of the x coordinate")
        if isinstance(key, RsaPublicKey) and (self.sha1 or self.suffix):
            line = f"Modulus={key.n:X}\n".encode("ascii")
            digest = hashlib.sha1(line).digest()
            if digest in self.sha1:
                return "SHA-1 of the modulus (openssl -modulus)"
            if digest[10:] in self.suffix:
                return "Debian weak key (openssl-blacklist entry)"
        return None
