"""Work linear in the number of objects (DESIGN: "Fast"), command by command.

Each command runs as a whole process on generated releases of 1,000, 2,000 and 4,000
objects (bench/contract.py's chart: Deployments sharing two Secrets, the Secrets, Services,
ConfigMaps, Ingresses). Start-up is the same at every size, so the figure printed is the
growth of the *added* time from 2,000 to 4,000 objects over that from 1,000 to 2,000:
about 2x when the work is linear, 4x when it is quadratic. A Secret read by every workload
once made the contract table and ``--show-only`` quadratic; this is how that showed.

The same growth is measured for reading a Traefik route's rule, on the shapes that once
made its tokenizer quadratic (tests/contract/test_traefik_hosts.py reads them whole).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from contract import _chart

BIN = Path(sys.executable).parent
SIZES = (1000, 2000, 4000)

# (label, arguments after `chartsafe`; {chart} {store} {out} {cert} filled in)
COMMANDS = [
    ("template", ["template", "r", "{chart}"]),
    ("template --show-only", ["template", "r", "{chart}", "--show-only", "templates/all.yaml"]),
    ("lint", ["lint", "{chart}"]),
    ("contract (table)", ["contract", "r", "{chart}"]),
    ("contract -o json", ["contract", "r", "{chart}", "-o", "json"]),
    ("audit", ["audit", "r", "{chart}"]),
    ("secrets render --as sealed", ["secrets", "render", "r", "{chart}", "--store", "{store}",
                                    "--as", "sealed", "--cert", "{cert}"]),
    ("up --out", ["up", "r", "{chart}", "--store", "{store}", "--out", "{out}", "--skip-check"]),
]  # fmt: skip


def _run(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.strip()[-300:]}")
    return seconds


def _release(root: Path, objects: int, env: dict[str, str], recipient: str) -> dict[str, str]:
    """A chart of ``objects`` objects and a store holding every key its contract needs."""
    chart = _chart(root, objects // 5)
    store = root / "store.sops.yaml"
    cs = str(BIN / "chartsafe")
    # the two keys no generator can make, then everything else generated
    docker = root / "dockerconfig.json"
    docker.write_text('{"auths": {}}')
    setters = [
        ["shared", "redis-url", "--from-literal", "redis://redis:6379/0"],
        ["registry", ".dockerconfigjson", "--from-file", str(docker)],
    ]
    for setter in setters:
        subprocess.run(
            [cs, "secrets", "set", "-n", "default", setter[0], setter[1], *setter[2:],
             "--store", str(store), "--age", recipient],
            check=True, capture_output=True, env=env,
        )  # fmt: skip
    subprocess.run(
        [cs, "secrets", "init", "r", str(chart), "--store", str(store)],
        check=True, capture_output=True, env=env, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    return {"{chart}": str(chart), "{store}": str(store), "{out}": str(root / "bundle")}


#: A sealed-secrets controller certificate from the shared test vectors.
CERT = Path(__file__).resolve().parents[2] / "shared" / "vectors" / "sealed" / "generated"
CERT = CERT / "rsa4096.cert.pem"


def bench_scaling(runs: int = 3) -> None:
    from chartsafe.store import create_identity_file

    with tempfile.TemporaryDirectory(prefix="chartsafe-scaling-") as tmp:
        root = Path(tmp)
        key_file = root / "age.txt"
        recipient = create_identity_file(key_file)
        env = {**os.environ, "SOPS_AGE_KEY_FILE": str(key_file), "SOPS_AGE_RECIPIENTS": recipient}
        cert = str(CERT)
        releases = {}
        for size in SIZES:
            (root / str(size)).mkdir()
            releases[size] = {**_release(root / str(size), size, env, recipient), "{cert}": cert}
        for label, words in COMMANDS:
            seconds = {}
            for size in SIZES:
                argv = [str(BIN / "chartsafe"), *(releases[size].get(w, w) for w in words)]
                seconds[size] = statistics.median(_run(argv, env) for _ in range(runs))
            small, middle, large = (seconds[s] for s in SIZES)
            growth = (large - middle) / max(middle - small, 1e-3)
            verdict = "linear" if growth < 3 else "GROWS FASTER THAN LINEAR"
            print(
                f"scaling   {label:<27} {small:5.2f} s / {middle:5.2f} s / {large:5.2f} s at "
                f"{'/'.join(f'{s:,}' for s in SIZES)} objects: added time grows "
                f"{growth:.1f}x per doubling ({verdict}; 2x linear, 4x quadratic)"
            )


#: Traefik rules that defeat a tokenizer scanning an open string, call or group again from
#: each later quote or bracket, by the number of repeats of their unit.
RULE_SHAPES = [
    ("open escaped strings", lambda n: '"\\' * n),
    ("backticks", lambda n: "`" * (2 * n + 1)),
    ("open calls", lambda n: "Host(" * n),
    ("open groups", lambda n: "!(" * n),
    ("many matchers", lambda n: "Host(`a`) && " * (n // 5)),
]


def bench_rule_scaling(runs: int = 5) -> None:
    """In-process, the fastest of ``runs`` at each size (tens of ms: a median is noisy)."""
    from chartsafe.contract._tls_hosts import rule_hosts

    sizes = (100_000, 200_000, 400_000)
    for label, shape in RULE_SHAPES:
        seconds = []
        for size in sizes:
            rule = shape(size)
            timings = []
            for _ in range(runs):
                start = time.perf_counter()
                rule_hosts(rule)
                timings.append(time.perf_counter() - start)
            seconds.append(min(timings))
        growth = seconds[2] / max(seconds[1], 1e-6)
        verdict = "linear" if growth < 3 else "GROWS FASTER THAN LINEAR"
        times = " / ".join(f"{t * 1000:.0f} ms" for t in seconds)
        repeats = "/".join(f"{s // 1000}k" for s in sizes)
        print(
            f"scaling   Traefik rule, {label:<20} {times} at {repeats} repeats: time grows "
            f"{growth:.1f}x per doubling ({verdict}; 2x linear, 4x quadratic)"
        )


if __name__ == "__main__":
    bench_rule_scaling()
    bench_scaling()
