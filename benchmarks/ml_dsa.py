"""Benchmark ML-DSA-65 requests: verify and sign, beside the bare backend and cryptography.

    python benchmarks/ml_dsa.py       (needs the pq extra; cryptography with ML-DSA optional)

One ML-DSA-65 request is made by csrlib from a fixed seed (deterministic
signing, so that every signing contender does the same work on the same
bytes: ML-DSA's rejection loop makes the cost depend on the message).  Per
request it times:

* csrlib load + verify: ``csrlib.load_der(der).verify()``;
* csrlib verify only: ``req.verify()`` on a request loaded beforehand;
* bare dilithium-py verify: ``ML_DSA_65.verify(pk, tbs, sig)`` on the same
  bytes, everything else done beforehand;
* cryptography load + verify: ``load_der_x509_csr(der).is_signature_valid``
  (where its OpenSSL has ML-DSA);
* csrlib sign: ``CertificateRequestBuilder(...).sign(signer)``, the whole
  request built and signed, as a strict load reads it (deterministic signer);
* csrlib signer only: ``signer.sign(tbs)``;
* bare dilithium-py sign: ``ML_DSA_65.sign(sk, tbs, deterministic=True)``;
* cryptography sign: ``CertificateSigningRequestBuilder().sign(key, None)``
  (hedged: its only mode, so its time varies with the random rejections).

Times are CPU time (``time.process_time``), best of 15 rounds that visit
every contender in turn.

Target (issue 18): csrlib's overhead over the bare backend call is at most
10 % for both verify (``verify()`` and load + verify) and sign.  The exit
status is 1 when a target is missed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _timing import best_times, environment, print_table
from dilithium_py.ml_dsa import ML_DSA_65

import csrlib
from csrlib import CertificateRequestBuilder
from csrlib.signers import MlDsaPrivateKey, MlDsaSigner

SEED = bytes(range(32))
TARGET = 1.10


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.2f} ms"


def main() -> int:
    signer = MlDsaSigner(MlDsaPrivateKey("ml-dsa-65", SEED), deterministic=True)
    builder = (CertificateRequestBuilder().subject("CN=pq.example,O=csrlib")
               .add_extension(csrlib.SubjectAlternativeName.from_strings(["DNS:pq.example"])))
    req = builder.sign(signer)
    der, tbs, sig = req.der, req.tbs_der, req.signature
    pk = req.public_key.public_bytes  # type: ignore[attr-defined]
    _, sk = ML_DSA_65.key_derive(SEED)
    assert ML_DSA_65.verify(pk, tbs, sig) and ML_DSA_65.sign(sk, tbs, deterministic=True) == sig

    verify = {
        "csrlib load + verify": lambda: csrlib.load_der(der).verify(),
        "csrlib verify()": req.verify,
        "bare dilithium-py verify": lambda: ML_DSA_65.verify(pk, tbs, sig),
    }
    sign = {
        "csrlib builder.sign": lambda: builder.sign(signer),
        "csrlib signer.sign": lambda: signer.sign(tbs),
        "bare dilithium-py sign": lambda: ML_DSA_65.sign(sk, tbs, deterministic=True),
    }
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives.asymmetric import mldsa

        key = mldsa.MLDSA65PrivateKey.from_seed_bytes(SEED)
        made = x509.CertificateSigningRequestBuilder().subject_name(x509.Name([]))
        assert x509.load_der_x509_csr(der).is_signature_valid
        verify["cryptography load + verify"] = \
            lambda: x509.load_der_x509_csr(der).is_signature_valid
        sign["cryptography sign (hedged)"] = lambda: made.sign(key, None)
    except Exception as exc:  # ImportError, or an OpenSSL without ML-DSA
        print(f"cryptography: no ML-DSA here ({type(exc).__name__})")

    print(f"ML-DSA-65 request of {len(der)} octets; {environment()}")
    failed = False
    for title, contenders, bare in (("verify", verify, "bare dilithium-py verify"),
                                    ("sign", sign, "bare dilithium-py sign")):
        times = best_times(contenders, rounds=15, budget=0.2, clock=time.process_time)
        rows = [[name, _ms(t), f"{t / times[bare]:.3f}"] for name, t in times.items()]
        print_table(f"ML-DSA-65 {title} (CPU time, best of 15 rounds)",
                    ["contender", "time", "÷ bare"], rows)
        for name, t in times.items():
            if name.startswith("csrlib") and t / times[bare] > TARGET:
                print(f"MISSED: {name} is {t / times[bare]:.3f} x the bare call (target "
                      f"{TARGET})")
                failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
