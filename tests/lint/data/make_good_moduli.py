"""Make tests/lint/data/good_moduli.txt: 1,000 RSA-2048 moduli of real key generators.

500 from ``openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`` and
500 from cryptography's ``rsa.generate_private_key(65537, 2048)``, one hex
modulus a line, prefixed by the generator.  Run once (about two minutes):

    .venv/bin/python tests/lint/data/make_good_moduli.py
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

OUT = Path(__file__).with_name("good_moduli.txt")


def main() -> None:
    lines = []
    for _ in range(500):
        pem = subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt",
                              "rsa_keygen_bits:2048"], capture_output=True, check=True).stdout
        key = serialization.load_pem_private_key(pem, None)
        assert isinstance(key, rsa.RSAPrivateKey)
        lines.append(f"openssl {key.public_key().public_numbers().n:x}")
    for _ in range(500):
        n = rsa.generate_private_key(65537, 2048).public_key().public_numbers().n
        lines.append(f"cryptography {n:x}")
    OUT.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
