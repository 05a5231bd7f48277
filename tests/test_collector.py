"""Loading pauses the cyclic garbage collector and restores its state however it ends."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pyasn1_modules import rfc2986

import csrlib
import csrlib.asn1
import csrlib.request
from csrlib import DecodeError
from csrlib.pem import encode_pem

LOADERS: dict[str, Callable[..., Any]] = {
    "load": csrlib.load,
    "load_der": csrlib.load_der,
    "load_pem": csrlib.load_pem,
    "load_pem_all": csrlib.load_pem_all,
}
_PEM_LOADERS = ("load_pem", "load_pem_all")


def _form(name: str, der: bytes) -> bytes:
    """Return ``der`` as the loader ``name`` takes it (PEM for the PEM loaders)."""
    return encode_pem("CERTIFICATE REQUEST", der).encode() if name in _PEM_LOADERS else der


@pytest.fixture(params=[True, False], ids=["enabled", "disabled"])
def collector(request: pytest.FixtureRequest) -> Iterator[bool]:
    """Run the test with the collector on, then off; restore its state afterwards."""
    enabled = gc.isenabled()
    if request.param:
        gc.enable()
    else:
        gc.disable()
    try:
        yield request.param
    finally:
        if enabled:
            gc.enable()
        else:
            gc.disable()


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record the collector's state each time a request is read (``_load_der``)."""
    states: list[bool] = []
    original = csrlib.request._load_der

    def spy(*args: Any) -> Any:
        states.append(gc.isenabled())
        return original(*args)

    monkeypatch.setattr(csrlib.request, "_load_der", spy)
    return states


@pytest.mark.parametrize("name", LOADERS)
def test_loading_pauses_the_collector(name: str, example_der: bytes, collector: bool,
                                      seen: list[bool]) -> None:
    req = LOADERS[name](_form(name, example_der))
    assert (req[0] if isinstance(req, list) else req).der == example_der
    assert seen == [False]
    assert gc.isenabled() == collector


@pytest.mark.parametrize("name", LOADERS)
def test_the_collector_is_restored_after_an_error(name: str, example_der: bytes,
                                                  collector: bool, seen: list[bool]) -> None:
    with pytest.raises(DecodeError):
        LOADERS[name](_form(name, example_der[:-1]))
    assert gc.isenabled() == collector
    with pytest.raises(TypeError):
        LOADERS[name](12345)
    assert gc.isenabled() == collector
    # Past the size limit: refused before any reading.
    with pytest.raises(DecodeError):
        LOADERS[name](_form(name, example_der), limits=csrlib.Limits(max_size=16))
    assert gc.isenabled() == collector
    assert seen and not any(seen)  # the truncated request was read, the collector off


@pytest.mark.parametrize("name", LOADERS)
def test_the_collector_is_restored_after_any_exception(
    name: str, example_der: bytes, collector: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Interrupted(BaseException):
        """Neither DecodeError nor Exception: as KeyboardInterrupt would be."""

    def interrupted(*args: Any) -> Any:
        assert not gc.isenabled()
        raise Interrupted

    monkeypatch.setattr(csrlib.request, "_load_der", interrupted)
    with pytest.raises(Interrupted):
        LOADERS[name](_form(name, example_der))
    assert gc.isenabled() == collector


@pytest.mark.parametrize("call", ["decode", "decode_plain"])
def test_the_codec_pauses_the_collector(call: str, example_der: bytes, collector: bool,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    decode = getattr(csrlib.asn1, call)
    original = csrlib.asn1.decode_element
    states: list[bool] = []

    def spy(*args: Any) -> Any:
        states.append(gc.isenabled())
        return original(*args)

    monkeypatch.setattr(csrlib.asn1, "decode_element", spy)
    value = decode(example_der, rfc2986.CertificationRequest())
    # A pyasn1 value encodes back to the input; a plain one is a tuple of three components.
    assert (csrlib.asn1.encode(value) == example_der if call == "decode"
            else len(value) == 3)
    with pytest.raises(DecodeError):
        decode(example_der[:-1], rfc2986.CertificationRequest())
    assert states == [False, False]
    assert gc.isenabled() == collector
