"""Benchmark what ``import csrlib`` costs, what each task imports, and what gmpy2 changes.

    python benchmarks/import_cost.py            # needs only csrlib (cryptography if present)
    python benchmarks/import_cost.py --check    # exit 1 if an import rule below is broken
    python benchmarks/import_cost.py --instructions   # callgrind's counts too (valgrind)
    PYTHONPATH=/tmp/gmpy2-target python benchmarks/import_cost.py   # gmpy2 compared too

Every figure comes from fresh interpreters (``sys.executable``), best or median
of ``--runs``:

* ``import csrlib``: the cumulative time ``python -X importtime`` gives csrlib
  and the wall time of ``python -c "import csrlib"`` less ``python -c pass``,
  with the number of modules it adds and its heaviest modules;
* with ``--instructions`` (valgrind on PATH), the instructions callgrind
  counts for ``python -c "import csrlib"`` less ``python -c pass``: the same
  on every run, for comparing two versions on a noisy machine;
* each task (load + verify a P-256, Ed25519 or RSA-2048 request, sign with a
  P-256 or RSA-2048 key, build the command line parser) in a fresh process: the
  wall time and the third-party packages it imported;
* with ``gmpy2`` importable (it is native code: never a dependency), the same
  ECDSA and EdDSA operations with ecdsa's gmpy2 arithmetic and without it
  (blocked in ``sys.modules``): how much faster it gets.

Import rules (``--check``): ``import csrlib`` imports no backend (``rsa``,
``ecdsa``, ``six``), not ``idna``, no test or benchmark tool (``hypothesis``,
``cryptography``, ``asn1crypto``, ``pyasn1_fasder``, ``x509kit``) and no
optional module (``gmpy2``); an EC or EdDSA task never imports ``rsa``, an
RSA task never imports ``ecdsa``, and ECDSA verification (csrlib's own
arithmetic) imports neither; ``idna`` is imported only for a non-ASCII
name or an ``xn--`` label, never to read a request or to build one with ASCII
names.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from _timing import environment, print_table  # noqa: E402

import csrlib  # noqa: E402
from csrlib import signers  # noqa: E402

FORBIDDEN_AT_IMPORT = ("rsa", "ecdsa", "six", "idna", "gmpy2", "gmpy", "hypothesis",
                       "cryptography", "asn1crypto", "pyasn1_fasder", "x509kit", "dilithium_py")
THIRD_PARTY = ("pyasn1", "pyasn1_modules", "rsa", "ecdsa", "six", "idna", "gmpy2", "gmpy",
               "hypothesis", "cryptography", "asn1crypto", "pyasn1_fasder", "x509kit",
               "dilithium_py")

# task: (code run after ``import csrlib``, packages it must not import)
TASKS: dict[str, tuple[str, tuple[str, ...]]] = {
    "import csrlib": ("", FORBIDDEN_AT_IMPORT),
    "load + verify P-256": ("csrlib.load(read('ec.der')).verify()",
                            ("rsa", "ecdsa", "six", "idna")),
    "load + verify Ed25519": ("csrlib.load(read('ed25519.der')).verify()", ("rsa", "idna")),
    "load + verify RSA-2048": ("csrlib.load(read('rsa.der')).verify()", ("ecdsa", "idna")),
    "sign with a P-256 key": (
        "csrlib.create('CN=x', signer=signers.load_private_key(read('ec-key.pem')))",
        ("rsa", "idna")),
    "sign with a P-256 key, ASCII names checked": (
        "csrlib.create('CN=x', san=['DNS:www.example.com', 'DNS:*.example.com', "
        "'email:a@example.com', 'URI:https://example.com/'], "
        "signer=signers.load_private_key(read('ec-key.pem')))",
        ("rsa", "idna")),
    "sign with an RSA-2048 key": (
        "csrlib.create('CN=x', signer=signers.load_private_key(read('rsa-key.pem')))",
        ("ecdsa", "idna")),
    "command line parser": ("import csrlib.cli.dispatch; csrlib.cli.dispatch._parser()",
                            FORBIDDEN_AT_IMPORT),
}

_TASK_CODE = """\
import sys, time, json
start = time.perf_counter()
import csrlib
from csrlib import signers
def read(name):
    with open(name, 'rb') as f:
        return f.read()
{code}
elapsed = time.perf_counter() - start
packages = sorted({{m.split('.')[0] for m in sys.modules}} & set({third_party!r}))
print(json.dumps({{"seconds": elapsed, "packages": packages}}))
"""

_IMPORTTIME = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S+)")


def make_inputs(directory: Path) -> str:
    """Write the requests and keys the tasks use; return how the RSA key was made."""
    ec_key = signers.generate("ec:P-256")
    signers.save_private_key(ec_key, str(directory / "ec-key.pem"))
    (directory / "ec.der").write_bytes(csrlib.create("CN=ec.example", signer=ec_key).der)
    ed_key = signers.generate("ed25519")
    (directory / "ed25519.der").write_bytes(csrlib.create("CN=ed.example", signer=ed_key).der)
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        pem = rsa.generate_private_key(65537, 2048).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption())
        (directory / "rsa-key.pem").write_bytes(pem)
        rsa_key = signers.load_private_key(pem)
        made = "cryptography"
    except ImportError:
        rsa_key = signers.generate("rsa:2048")  # pure Python: a few seconds
        signers.save_private_key(rsa_key, str(directory / "rsa-key.pem"))
        made = "csrlib (no cryptography)"
    (directory / "rsa.der").write_bytes(csrlib.create("CN=rsa.example", signer=rsa_key).der)
    return made


@dataclass
class ImportCost:
    """``import csrlib`` in fresh interpreters, in seconds."""

    warm: list[float]  # in-process perf_counter around the import, bytecode cached
    cold: list[float]  # the same with no bytecode cache: every source compiled
    importtime: list[float]  # python -X importtime: csrlib's cumulative time, warm
    wall_pass: float  # best wall time of python -c pass
    wall_import: float  # best wall time of python -c "import csrlib"
    modules: int  # modules that import csrlib adds
    heaviest: list[tuple[str, float]]  # csrlib and pyasn1 modules by median self time


@dataclass
class TaskCost:
    """One task in fresh interpreters."""

    seconds: float  # best, import included
    packages: list[str]  # third-party packages imported


class Interpreters:
    """Fresh ``sys.executable`` processes in one directory, with a private bytecode cache."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(cwd / "pycache")  # warm runs, nothing written elsewhere
        self.warm_env = env
        self.cold_env = {**env, "PYTHONDONTWRITEBYTECODE": "1",
                         "PYTHONPYCACHEPREFIX": str(cwd / "empty")}

    def run(self, args: list[str], *, cold: bool = False,
            under: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
        """Run ``python ARGS``, ``under`` a tool if given; return the finished process (raises
        if it fails)."""
        return subprocess.run([*under, sys.executable, *args], cwd=self.cwd, capture_output=True,
                              text=True, check=True, env=self.cold_env if cold else self.warm_env)


_TIMED_IMPORT = ("import time; t = time.perf_counter(); import csrlib; "
                 "print(time.perf_counter() - t)")


def import_cost(python: Interpreters, runs: int) -> ImportCost:
    """Measure ``import csrlib`` in ``runs`` fresh interpreters of each kind."""
    python.run(["-c", "import csrlib"])  # fills the bytecode cache
    warm = [float(python.run(["-c", _TIMED_IMPORT]).stdout) for _ in range(runs)]
    cold = [float(python.run(["-c", _TIMED_IMPORT], cold=True).stdout) for _ in range(runs)]
    importtime: list[float] = []
    selfs: dict[str, list[float]] = {}
    for _ in range(runs):
        for line in python.run(["-X", "importtime", "-c", "import csrlib"]).stderr.splitlines():
            match = _IMPORTTIME.match(line)
            if match:
                own, total, _, name = match.groups()
                selfs.setdefault(name, []).append(int(own) / 1e6)
                if name == "csrlib":
                    importtime.append(int(total) / 1e6)
    walls: dict[str, list[float]] = {"pass": [], "import csrlib": []}
    for _ in range(runs):
        for code, samples in walls.items():
            start = time.perf_counter()
            python.run(["-c", code])
            samples.append(time.perf_counter() - start)
    added = python.run(["-c", "import sys; n = len(sys.modules); import csrlib; "
                        "print(len(sys.modules) - n)"]).stdout
    ours = {n: statistics.median(v) for n, v in selfs.items()
            if n.split(".")[0] in ("csrlib", "pyasn1", "pyasn1_modules")}
    return ImportCost(warm, cold, importtime, min(walls["pass"]), min(walls["import csrlib"]),
                      int(added), sorted(ours.items(), key=lambda kv: -kv[1])[:8])


_CALLGRIND = ("valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null")
_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def instructions(python: Interpreters) -> int:
    """Return the instructions ``import csrlib`` adds to ``python -c pass`` (callgrind)."""
    counts = []
    for code in ("import csrlib", "pass"):
        found = _REFS.search(python.run(["-c", code], under=_CALLGRIND).stderr)
        if found is None:
            raise RuntimeError("callgrind gave no instruction count")
        counts.append(int(found.group(1).replace(",", "")))
    return counts[0] - counts[1]


def task_costs(python: Interpreters, runs: int) -> dict[str, TaskCost]:
    """Run every task in fresh interpreters: best seconds and the packages imported."""
    results = {}
    for name, (code, _) in TASKS.items():
        program = _TASK_CODE.format(code=code, third_party=THIRD_PARTY)
        samples = [json.loads(python.run(["-c", program]).stdout) for _ in range(runs)]
        results[name] = TaskCost(min(s["seconds"] for s in samples), samples[0]["packages"])
    return results


_GMPY2_CODE = """\
import json, sys
if sys.argv[1] == "without":
    sys.modules["gmpy2"] = None  # ecdsa then falls back to Python integers
    sys.modules["gmpy"] = None
sys.path.insert(0, sys.argv[2])
from _timing import best_times
import csrlib
from csrlib import signers
import ecdsa.ellipticcurve
def read(name):
    with open(name, 'rb') as f:
        return f.read()
p256 = signers.load_private_key(read("ec-key.pem"))
p384 = signers.generate("ec:P-384")
ed = signers.generate("ed25519")
reqs = {n: csrlib.load(csrlib.create("CN=x", signer=s).der) for n, s in
        (("p256", p256), ("p384", p384), ("ed", ed))}
rsa_req = csrlib.load(read("rsa.der"))
times = best_times({
    "P-256 verify": reqs["p256"].verify,
    "P-384 verify": reqs["p384"].verify,
    "Ed25519 verify": reqs["ed"].verify,
    "P-256 sign": lambda: p256.sign(b"tbs" * 100),
    "P-384 sign": lambda: p384.sign(b"tbs" * 100),
    "Ed25519 sign": lambda: ed.sign(b"tbs" * 100),
    "P-256 key generation": lambda: signers.generate("ec:P-256"),
    "RSA-2048 verify": rsa_req.verify,
}, rounds=5, budget=0.1)
print(json.dumps({"gmpy": bool(ecdsa.ellipticcurve.GMPY), "times": times}))
"""


def gmpy2_comparison(python: Interpreters) -> dict[str, dict[str, float]] | None:
    """Time the EC and EdDSA operations with and without gmpy2; None if it is absent."""
    if importlib.util.find_spec("gmpy2") is None:
        return None
    results = {}
    for mode in ("without", "with"):
        out = json.loads(python.run(["-c", _GMPY2_CODE, mode, str(HERE)]).stdout)
        if out["gmpy"] != (mode == "with"):
            raise RuntimeError(f"ecdsa's gmpy2 use is not what was asked ({mode})")
        results[mode] = out["times"]
    return results


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms"


def main() -> int:
    """Print the tables; return 1 if ``--check`` finds a broken import rule."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="fresh interpreters per figure")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if an import rule is broken")
    parser.add_argument("--instructions", action="store_true",
                        help="count import csrlib's instructions with callgrind (valgrind)")
    args = parser.parse_args()
    if args.instructions and shutil.which("valgrind") is None:
        parser.error("--instructions needs valgrind on PATH")

    print(f"# csrlib import cost\n\n{environment()}")
    broken = []
    with tempfile.TemporaryDirectory() as tmp:
        python = Interpreters(Path(tmp))
        made = make_inputs(python.cwd)
        cost = import_cost(python, args.runs)
        counted = ([["instructions (callgrind): python -c 'import csrlib' less python -c pass",
                     f"{instructions(python) / 1e6:.1f} M"]] if args.instructions else [])
        print_table(f"import csrlib ({args.runs} fresh interpreters each)", ["measure", "time"], [
            ["import csrlib, bytecode cached: best / median (issue 19's target: 50 ms)",
             f"{_ms(min(cost.warm))} / {_ms(statistics.median(cost.warm))}"],
            ["import csrlib, no bytecode cache (sources compiled): best / median",
             f"{_ms(min(cost.cold))} / {_ms(statistics.median(cost.cold))}"],
            ["python -X importtime, csrlib cumulative (cached): best",
             _ms(min(cost.importtime))],
            ["wall: python -c 'import csrlib' less python -c pass: best",
             f"{_ms(cost.wall_import - cost.wall_pass)} ({_ms(cost.wall_import)} - "
             f"{_ms(cost.wall_pass)})"],
            ["modules added by import csrlib", str(cost.modules)],
            *counted,
        ])
        print_table("heaviest modules of import csrlib (python -X importtime self, median)",
                    ["module", "self"], [[name, _ms(s)] for name, s in cost.heaviest])

        rows = []
        for name, task in task_costs(python, max(3, args.runs // 3)).items():
            bad = sorted(set(task.packages) & set(TASKS[name][1]))
            if bad:
                broken.append(f"{name} imported {', '.join(bad)}")
            rows.append([name, _ms(task.seconds), ", ".join(task.packages) or "none",
                         "BROKEN: " + ", ".join(bad) if bad else "ok"])
        print_table(f"each task in a fresh interpreter (import included, best; RSA key made "
                    f"by {made})",
                    ["task", "time", "third-party packages imported", "import rule"], rows)
        compared = gmpy2_comparison(python)

    if compared is None:
        print("\ngmpy2 is not installed: ecdsa uses Python integers (as in every figure "
              "above). To compare: pip install --target DIR gmpy2, then "
              "PYTHONPATH=DIR python benchmarks/import_cost.py")
    else:
        print_table("ecdsa with and without gmpy2 (best per call)",
                    ["operation", "without gmpy2", "with gmpy2", "speedup"],
                    [[name, f"{compared['without'][name] * 1e3:.3f} ms",
                      f"{compared['with'][name] * 1e3:.3f} ms",
                      f"{compared['without'][name] / compared['with'][name]:.2f}x"]
                     for name in compared["without"]])
    for message in broken:
        print(f"import rule broken: {message}", file=sys.stderr)
    return 1 if broken and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
