"""Fuzz harness: csrlib.load(data) strict and lenient, then repr, to_der, to_pem, subject,
extensions, attributes, summary and verify() on the result.

    python tests/fuzz/fuzz_load.py WORK_DIR tests/fuzz/corpus/csr -max_total_time=600

Uses atheris when installed, a random-mutation loop otherwise; see README.md here.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.fuzz.driver import start

if __name__ == "__main__":
    start("load", sys.argv)
