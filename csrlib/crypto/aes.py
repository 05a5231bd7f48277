"""AES (FIPS 197) in CBC mode with PKCS#7 padding, for encrypted key files.

The standard library has no block cipher, and key files encrypted with
PBES2 (RFC 8018 6.2) or OpenSSL's legacy PEM use AES-128/192/256-CBC.  This
module holds only that:

* the S-box computed from its definition (FIPS 197 5.1.1: the inverse in
  GF(2^8), then the affine transformation), not typed in;
* the key expansion (FIPS 197 5.2);
* the cipher (5.1) and the equivalent inverse cipher (5.3.5), with the
  round steps folded into four 256-entry tables of 32-bit words, as
  section 5.2.1 of the Rijndael proposal describes, so that a block costs
  some 160 table look-ups in CPython;
* CBC (NIST SP 800-38A 6.2) and PKCS#7 padding (RFC 5652 6.3, the padding
  PBES2 names in RFC 8018 B.2.5).

Not constant-time (table look-ups indexed by secret bytes): it decrypts key
files at rest, where no one times it; it is not for network protocols.
:func:`cbc_decrypt` returns None for any padding error, never saying which,
so that a caller cannot become a padding oracle.
"""

from __future__ import annotations

__all__ = ["BLOCK_SIZE", "cbc_decrypt", "cbc_encrypt", "decrypt_block", "encrypt_block",
           "expand_key"]

BLOCK_SIZE = 16


def _xtime(a: int) -> int:
    # FIPS 197 4.2.1: multiplication by x modulo m(x) = x^8 + x^4 + x^3 + x + 1.
    a <<= 1
    return a ^ 0x11B if a & 0x100 else a


def _mul(a: int, b: int) -> int:
    # FIPS 197 4.2: product in GF(2^8), by repeated xtime.
    result = 0
    while b:
        if b & 1:
            result ^= a
        a = _xtime(a)
        b >>= 1
    return result


def _make_sbox() -> tuple[list[int], list[int]]:
    # FIPS 197 5.1.1: multiplicative inverse (0 maps to 0), then the affine
    # transformation b'_i = b_i ^ b_(i+4) ^ b_(i+5) ^ b_(i+6) ^ b_(i+7) ^ c_i,
    # c = 0x63, written as rotations of the byte.
    # The inverse through logarithms to the generator {03}: a^-1 = 3^(255 - log a).
    power, log = [0] * 255, [0] * 256
    x = 1
    for i in range(255):
        power[i], log[x] = x, i
        x ^= _xtime(x)
    inverse = [0] + [power[(255 - log[a]) % 255] for a in range(1, 256)]
    sbox = [0] * 256
    for a in range(256):
        b = inverse[a]
        s = b
        for shift in (1, 2, 3, 4):
            s ^= ((b << shift) | (b >> (8 - shift))) & 0xFF
        sbox[a] = s ^ 0x63
    inv_sbox = [0] * 256
    for a, s in enumerate(sbox):
        inv_sbox[s] = a
    return sbox, inv_sbox


_SBOX, _INV_SBOX = _make_sbox()


def _ror8(word: int) -> int:
    return ((word >> 8) | (word << 24)) & 0xFFFFFFFF


def _tables(box: list[int], coefficients: tuple[int, int, int, int]) -> tuple[list[int], ...]:
    # One column of MixColumns (4.2.3 / InvMixColumns 5.3.3) applied to a byte
    # in row 0 after the S-box; the tables for rows 1-3 are its rotations.
    first = []
    for a in range(256):
        s = box[a]
        c0, c1, c2, c3 = (_mul(s, c) for c in coefficients)
        first.append((c0 << 24) | (c1 << 16) | (c2 << 8) | c3)
    tables = [first]
    for _ in range(3):
        tables.append([_ror8(w) for w in tables[-1]])
    return tuple(tables)


# FIPS 197 5.1.3: the column {02}{01}{01}{03}; 5.3.3: {0e}{09}{0d}{0b}.
_TE0, _TE1, _TE2, _TE3 = _tables(_SBOX, (2, 1, 1, 3))
_TD0, _TD1, _TD2, _TD3 = _tables(_INV_SBOX, (14, 9, 13, 11))

# FIPS 197 5.2: Rcon[i] = x^(i-1), in the high byte of the word.
_RCON = [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1B, 0x36]


def _sub_word(w: int) -> int:
    return ((_SBOX[w >> 24] << 24) | (_SBOX[(w >> 16) & 0xFF] << 16)
            | (_SBOX[(w >> 8) & 0xFF] << 8) | _SBOX[w & 0xFF])


def _inv_mix_word(w: int) -> int:
    # InvMixColumns of one word: the decryption tables hold the inverse
    # S-box, so feeding them S-box outputs leaves InvMixColumns alone.
    return (_TD0[_SBOX[w >> 24]] ^ _TD1[_SBOX[(w >> 16) & 0xFF]]
            ^ _TD2[_SBOX[(w >> 8) & 0xFF]] ^ _TD3[_SBOX[w & 0xFF]])


class _Schedule:
    __slots__ = ("dec", "enc", "rounds")

    def __init__(self, enc: list[int], dec: list[int], rounds: int) -> None:
        self.enc, self.dec, self.rounds = enc, dec, rounds


def expand_key(key: bytes) -> _Schedule:
    """Return the round keys of a 16, 24 or 32 octet key; ValueError for another length.

    FIPS 197 5.2 (KeyExpansion) for the cipher, and for the equivalent
    inverse cipher the same words in reverse round order with InvMixColumns
    applied to rounds 1 to Nr-1 (5.3.5).
    """
    nk = len(key) // 4
    if len(key) not in (16, 24, 32):
        raise ValueError(f"AES key must be 16, 24 or 32 octets, not {len(key)}")
    rounds = nk + 6  # FIPS 197 Figure 4: Nr = 10, 12, 14
    w = [int.from_bytes(key[4 * i:4 * i + 4], "big") for i in range(nk)]
    for i in range(nk, 4 * (rounds + 1)):
        temp = w[i - 1]
        if i % nk == 0:
            temp = _sub_word(((temp << 8) | (temp >> 24)) & 0xFFFFFFFF) ^ (_RCON[i // nk - 1] << 24)
        elif nk > 6 and i % nk == 4:
            temp = _sub_word(temp)
        w.append(w[i - nk] ^ temp)
    dec: list[int] = []
    for r in range(rounds, -1, -1):
        words = w[4 * r:4 * r + 4]
        dec.extend(words if r in (0, rounds) else [_inv_mix_word(x) for x in words])
    return _Schedule(w, dec, rounds)


def _words(block: bytes) -> tuple[int, int, int, int]:
    v = int.from_bytes(block, "big")
    return v >> 96, (v >> 64) & 0xFFFFFFFF, (v >> 32) & 0xFFFFFFFF, v & 0xFFFFFFFF


def _block(s0: int, s1: int, s2: int, s3: int) -> bytes:
    return ((s0 << 96) | (s1 << 64) | (s2 << 32) | s3).to_bytes(16, "big")


def _encrypt(k: list[int], rounds: int, s0: int, s1: int, s2: int, s3: int
             ) -> tuple[int, int, int, int]:
    # FIPS 197 5.1: AddRoundKey, Nr-1 rounds of SubBytes, ShiftRows (row r
    # of column c comes from column c + r), MixColumns, AddRoundKey, and a
    # last round without MixColumns.
    s0, s1, s2, s3 = s0 ^ k[0], s1 ^ k[1], s2 ^ k[2], s3 ^ k[3]
    t0, t1, t2, t3 = _TE0, _TE1, _TE2, _TE3
    i = 4
    for _ in range(rounds - 1):
        s0, s1, s2, s3 = (
            t0[s0 >> 24] ^ t1[(s1 >> 16) & 255] ^ t2[(s2 >> 8) & 255] ^ t3[s3 & 255] ^ k[i],
            t0[s1 >> 24] ^ t1[(s2 >> 16) & 255] ^ t2[(s3 >> 8) & 255] ^ t3[s0 & 255] ^ k[i + 1],
            t0[s2 >> 24] ^ t1[(s3 >> 16) & 255] ^ t2[(s0 >> 8) & 255] ^ t3[s1 & 255] ^ k[i + 2],
            t0[s3 >> 24] ^ t1[(s0 >> 16) & 255] ^ t2[(s1 >> 8) & 255] ^ t3[s2 & 255] ^ k[i + 3],
        )
        i += 4
    b = _SBOX

    def last(a: int, c: int, d: int, e: int, key: int) -> int:
        return ((b[a >> 24] << 24) | (b[(c >> 16) & 255] << 16) | (b[(d >> 8) & 255] << 8)
                | b[e & 255]) ^ key

    return (last(s0, s1, s2, s3, k[i]), last(s1, s2, s3, s0, k[i + 1]),
            last(s2, s3, s0, s1, k[i + 2]), last(s3, s0, s1, s2, k[i + 3]))


def _decrypt(k: list[int], rounds: int, s0: int, s1: int, s2: int, s3: int
             ) -> tuple[int, int, int, int]:
    # FIPS 197 5.3.5, the equivalent inverse cipher: InvShiftRows takes row r
    # of column c from column c - r; the round keys are from expand_key.
    s0, s1, s2, s3 = s0 ^ k[0], s1 ^ k[1], s2 ^ k[2], s3 ^ k[3]
    t0, t1, t2, t3 = _TD0, _TD1, _TD2, _TD3
    i = 4
    for _ in range(rounds - 1):
        s0, s1, s2, s3 = (
            t0[s0 >> 24] ^ t1[(s3 >> 16) & 255] ^ t2[(s2 >> 8) & 255] ^ t3[s1 & 255] ^ k[i],
            t0[s1 >> 24] ^ t1[(s0 >> 16) & 255] ^ t2[(s3 >> 8) & 255] ^ t3[s2 & 255] ^ k[i + 1],
            t0[s2 >> 24] ^ t1[(s1 >> 16) & 255] ^ t2[(s0 >> 8) & 255] ^ t3[s3 & 255] ^ k[i + 2],
            t0[s3 >> 24] ^ t1[(s2 >> 16) & 255] ^ t2[(s1 >> 8) & 255] ^ t3[s0 & 255] ^ k[i + 3],
        )
        i += 4
    b = _INV_SBOX

    def last(a: int, c: int, d: int, e: int, key: int) -> int:
        return ((b[a >> 24] << 24) | (b[(c >> 16) & 255] << 16) | (b[(d >> 8) & 255] << 8)
                | b[e & 255]) ^ key

    return (last(s0, s3, s2, s1, k[i]), last(s1, s0, s3, s2, k[i + 1]),
            last(s2, s1, s0, s3, k[i + 2]), last(s3, s2, s1, s0, k[i + 3]))


def encrypt_block(key: bytes, block: bytes) -> bytes:
    """Return the AES encryption of one 16-octet ``block`` (FIPS 197 5.1)."""
    if len(block) != BLOCK_SIZE:
        raise ValueError("an AES block is 16 octets")
    schedule = expand_key(key)
    return _block(*_encrypt(schedule.enc, schedule.rounds, *_words(block)))


def decrypt_block(key: bytes, block: bytes) -> bytes:
    """Return the AES decryption of one 16-octet ``block`` (FIPS 197 5.3.5)."""
    if len(block) != BLOCK_SIZE:
        raise ValueError("an AES block is 16 octets")
    schedule = expand_key(key)
    return _block(*_decrypt(schedule.dec, schedule.rounds, *_words(block)))


def cbc_encrypt(key: bytes, iv: bytes, plaintext: bytes) -> bytes:
    """Return ``plaintext`` PKCS#7-padded and encrypted with AES-CBC under ``key`` and ``iv``.

    SP 800-38A 6.2: C_1 = E(P_1 ^ IV), C_j = E(P_j ^ C_(j-1)).  RFC 5652
    6.3: 1 to 16 octets of padding, each holding the padding length.
    Raises ValueError for a key or IV of the wrong length.
    """
    if len(iv) != BLOCK_SIZE:
        raise ValueError("the AES-CBC IV is 16 octets")
    schedule = expand_key(key)
    pad = BLOCK_SIZE - len(plaintext) % BLOCK_SIZE
    data = bytes(plaintext) + bytes([pad]) * pad
    out = bytearray()
    c0, c1, c2, c3 = _words(iv)
    enc, rounds = schedule.enc, schedule.rounds
    for pos in range(0, len(data), BLOCK_SIZE):
        p0, p1, p2, p3 = _words(data[pos:pos + BLOCK_SIZE])
        c0, c1, c2, c3 = _encrypt(enc, rounds, p0 ^ c0, p1 ^ c1, p2 ^ c2, p3 ^ c3)
        out += _block(c0, c1, c2, c3)
    return bytes(out)


def cbc_decrypt(key: bytes, iv: bytes, ciphertext: bytes) -> bytes | None:
    """Return the plaintext of AES-CBC ``ciphertext`` with its PKCS#7 padding removed.

    Returns None when the ciphertext is empty or not whole blocks, or when
    the padding is not PKCS#7 (a last octet of 0 or above 16, or padding
    octets that differ): one answer for every failure, and every padding
    octet examined whatever the first one holds.  Raises ValueError only
    for a key or IV of the wrong length.
    """
    if len(iv) != BLOCK_SIZE:
        raise ValueError("the AES-CBC IV is 16 octets")
    schedule = expand_key(key)
    if not ciphertext or len(ciphertext) % BLOCK_SIZE:
        return None
    out = bytearray()
    v0, v1, v2, v3 = _words(iv)
    dec, rounds = schedule.dec, schedule.rounds
    for pos in range(0, len(ciphertext), BLOCK_SIZE):
        c0, c1, c2, c3 = _words(ciphertext[pos:pos + BLOCK_SIZE])
        p0, p1, p2, p3 = _decrypt(dec, rounds, c0, c1, c2, c3)
        out += _block(p0 ^ v0, p1 ^ v1, p2 ^ v2, p3 ^ v3)
        v0, v1, v2, v3 = c0, c1, c2, c3
    pad = out[-1]
    # Fold every check into one value: the last 16 octets are all compared
    # with the padding octet, masked to those the padding claims.
    bad = int(pad == 0) | int(pad > BLOCK_SIZE)
    for i in range(1, BLOCK_SIZE + 1):
        inside = int(i <= pad)
        bad |= inside * (out[-i] ^ pad)
    if bad:
        return None
    return bytes(out[:-pad])
