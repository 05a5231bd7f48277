"""Signature arithmetic and policy: :mod:`~csrlib.crypto.verify` over RSA, ECDSA and EdDSA.

Imports the model (keys, algorithms, curves); never ``signers``, the
builder, ``cli`` or ``fuzz``.
"""
