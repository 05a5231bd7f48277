// Run pytest inside Pyodide (CPython on WebAssembly) in this one Node.js process, offline.
//
//   node run.mjs --wheels DIR --tests DIR --pyproject FILE [--vectors DIR] [--out DIR]
//                [--shared DIR] -- [pytest arguments]
//
// The runtime comes from node_modules/pyodide (pinned in package.json); every
// wheel in --wheels is unpacked into Pyodide's site-packages (no micropip, no
// CDN); the host's tests directory is mounted at /repo/tests beside a copy of
// pyproject.toml, so csrlib is imported from its wheel, never from the source
// tree. Any attempt to fetch a URL fails the run. The exit status is pytest's.
// run.sh prepares the directories; see it for the whole procedure.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

const here = path.dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const options = { pytest: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--") {
      options.pytest = argv.slice(i + 1);
      break;
    }
    const match = /^--(wheels|tests|pyproject|vectors|out|shared)$/.exec(argv[i]);
    if (!match || i + 1 >= argv.length) {
      throw new Error(`usage: node run.mjs --wheels DIR --tests DIR --pyproject FILE ` +
                      `[--vectors DIR] [--out DIR] [--shared DIR] -- [pytest args]; ` +
                      `bad argument ${argv[i]}`);
    }
    // Real paths: Pyodide's mountNodeFS refuses a symbolic link to a directory.
    options[match[1]] = fs.realpathSync(path.resolve(argv[++i]));
  }
  for (const required of ["wheels", "tests", "pyproject"]) {
    if (!options[required]) throw new Error(`--${required} is required`);
  }
  return options;
}

const networkAttempts = [];
function refuseNetwork(url) {
  networkAttempts.push(String(url));
  throw new Error(`network access attempted (${url}): the Pyodide run must be offline`);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  globalThis.fetch = async (url) => refuseNetwork(url);

  const started = performance.now();
  const pyodide = await loadPyodide({
    indexURL: path.join(here, "node_modules", "pyodide") + path.sep,
    env: { HOME: "/home/pyodide" },
  });
  // Raw writes, so that pytest's progress dots stay on one line.
  pyodide.setStdout({ write: (bytes) => { fs.writeSync(1, bytes); return bytes.length; } });
  pyodide.setStderr({ write: (bytes) => { fs.writeSync(2, bytes); return bytes.length; } });
  const loaded = performance.now();

  const sitePackages = pyodide.runPython("import site; site.getsitepackages()[0]");
  const wheels = fs.readdirSync(options.wheels).filter((f) => f.endsWith(".whl")).sort();
  if (!wheels.some((f) => f.startsWith("csrlib-"))) {
    throw new Error(`no csrlib wheel in ${options.wheels}`);
  }
  for (const wheel of wheels) {
    const data = new Uint8Array(fs.readFileSync(path.join(options.wheels, wheel)));
    pyodide.unpackArchive(data, "wheel", { extractDir: sitePackages });
  }

  // The tests (and the shared vectors) from the host; the project root is a fresh
  // directory holding only tests/ and pyproject.toml.
  pyodide.FS.mkdirTree("/repo/tests");
  pyodide.mountNodeFS("/repo/tests", options.tests);
  pyodide.FS.writeFile("/repo/pyproject.toml", fs.readFileSync(options.pyproject));
  const env = {};
  if (options.shared) {
    pyodide.FS.mkdirTree("/shared");
    pyodide.mountNodeFS("/shared", options.shared);
  }
  for (const [name, variable] of [["vectors", "CSRLIB_PYODIDE_VECTORS"],
                                  ["out", "CSRLIB_PYODIDE_OUT"]]) {
    if (options[name]) {
      pyodide.FS.mkdirTree(`/${name}`);
      pyodide.mountNodeFS(`/${name}`, options[name]);
      env[variable] = `/${name}`;
    }
  }
  for (const variable of ["HYPOTHESIS_PROFILE", "CSRLIB_WYCHEPROOF"]) {
    if (process.env[variable]) env[variable] = process.env[variable];
  }
  if (env.CSRLIB_WYCHEPROOF) {
    pyodide.FS.mkdirTree("/wycheproof");
    pyodide.mountNodeFS("/wycheproof", env.CSRLIB_WYCHEPROOF);
    env.CSRLIB_WYCHEPROOF = "/wycheproof";
  }
  const unpacked = performance.now();
  console.log(`pyodide ${pyodide.version}: runtime started in ` +
              `${((loaded - started) / 1000).toFixed(1)} s, ${wheels.length} wheels unpacked in ` +
              `${((unpacked - loaded) / 1000).toFixed(1)} s: ${wheels.join(" ")}`);

  pyodide.globals.set("PYTEST_ARGS", pyodide.toPy(options.pytest));
  pyodide.globals.set("EXTRA_ENV", pyodide.toPy(env));
  const status = await pyodide.runPythonAsync(`
import os
import sys

# Nothing is written into the host's tests directory (it is mounted, not copied).
sys.dont_write_bytecode = True
os.environ.update(EXTRA_ENV)
os.chdir("/repo")
sys.path.insert(0, "/repo")

import time

# What import csrlib costs here (cold: the wheel has no bytecode) and what it pulls in.
_start = time.perf_counter()
import csrlib
_elapsed = time.perf_counter() - _start
_extra = sorted({name.split(".")[0] for name in sys.modules}
                & {"rsa", "ecdsa", "six", "gmpy2", "hypothesis", "cryptography", "dilithium_py"})
print(f"pyodide: import csrlib {csrlib.__version__} took {_elapsed * 1e3:.0f} ms (sources "
      f"compiled); backends or tools it imported: {', '.join(_extra) or 'none'}", flush=True)

import pytest

def _missing_test_dependencies():
    """Return the import names of the test extra (and cryptography) not importable here."""
    import importlib.machinery, re, tomllib

    with open("/repo/pyproject.toml", "rb") as file:
        extra = tomllib.load(file)["project"]["optional-dependencies"]["test"]
    names = {re.split(r"[^A-Za-z0-9_.-]", r, maxsplit=1)[0].lower().replace("-", "_")
             for r in extra} | {"cryptography"}
    return {n for n in names if importlib.machinery.PathFinder.find_spec(n) is None}


class _HostOnly:
    """Skip what needs a test dependency that cannot be installed here: one of
    pyproject.toml's test extra that is neither in Pyodide nor among the wheels
    (cryptography: native code with no wheel for Pyodide; ruff and mypy are
    never imported).  A module importing one at the top is skipped whole; a test
    or fixture importing one is skipped."""

    missing = _missing_test_dependencies()

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        top = name.partition(".")[0]
        if top not in cls.missing:
            return None
        frame, where = sys._getframe(1), "a test"
        while frame is not None:
            if frame.f_code.co_filename.startswith("/repo/tests/"):
                where = frame.f_code.co_filename.removeprefix("/repo/")
                break
            frame = frame.f_back
        pytest.skip(f"{where} needs {top}, a test dependency that Pyodide cannot install",
                    allow_module_level=True)

print(f"pyodide: not importable here, so tests that import them are skipped: "
      f"{', '.join(sorted(_HostOnly.missing))}", flush=True)
sys.meta_path.insert(0, _HostOnly)
int(pytest.main(["-p", "no:cacheprovider", *PYTEST_ARGS]))
`);
  const finished = performance.now();
  console.log(`pyodide: tests ran in ${((finished - unpacked) / 1000).toFixed(1)} s ` +
              `(total ${((finished - started) / 1000).toFixed(1)} s in one Node process)`);
  if (networkAttempts.length) {
    console.error(`network access was attempted: ${networkAttempts.join(", ")}`);
    return 1;
  }
  return status;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`pyodide run failed: ${error && error.message ? error.message : error}`);
  process.exitCode = 1;
}
