"""Fuzz harness: csrlib.signers.keyfiles.read_private_key (only InvalidKey may escape) and
csrlib.PublicKey.from_der.

    python tests/fuzz/fuzz_keys.py WORK_DIR tests/fuzz/corpus/keys -max_total_time=600

Uses atheris when installed, a random-mutation loop otherwise; see README.md here.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.fuzz.driver import start

if __name__ == "__main__":
    start("keys", sys.argv)
