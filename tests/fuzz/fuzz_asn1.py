"""Fuzz harness: csrlib.asn1.decode and decode_plain under rfc2986.CertificationRequest (strict,
lenient, with and without open types) and under ANY; the two must agree.

    python tests/fuzz/fuzz_asn1.py WORK_DIR tests/fuzz/corpus/csr -max_total_time=600

Uses atheris when installed, a random-mutation loop otherwise; see README.md here.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.fuzz.driver import start

if __name__ == "__main__":
    start("asn1", sys.argv)
