"""What a request holds: names, general names, extensions, attributes, keys, algorithms.

Each type is built by callers (the builder) or read from a request's octets
(:mod:`csrlib.model.reading` holds the shared state of one load).  The model
imports the foundation, ``der`` and ``asn1``; never ``crypto``, ``signers``,
``cli`` or ``fuzz``.
"""

# Key types defined in modules of their own register their SPKI readers
# with csrlib.model.keys when imported: before any key is read.
from . import ml_dsa_keys, ml_kem_keys  # noqa: F401
