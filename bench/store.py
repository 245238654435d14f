"""Secret store benchmark: fill and encrypt a 1,000-key store, then decrypt it; printed.

The keys are spread over 10 namespaces x 20 Secrets x 5 keys, formats as in the seeds (hex:32,
fernet, password, base64:32, uuid). "fill" generates every value and writes the encrypted file
(atomic, 0600); "open" decrypts it and verifies the MAC; "refill" runs fill again, which must
change nothing. Run alone with ``python bench/store.py`` or through ``bench/run.py``.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from chartsafe.generate import parse_spec
from chartsafe.store import create_identity_file
from chartsafe.store.secret_fill import Wanted, fill
from chartsafe.store.secret_store import SecretStore

_FORMATS = ("hex:32", "fernet", "password", "base64:32", "uuid")


def _wanted() -> list[Wanted]:
    return [
        Wanted(f"ns-{n}", f"secret-{s}", f"key{k}", fmt, parse_spec(fmt))
        for n in range(10)
        for s in range(20)
        for k, fmt in enumerate(_FORMATS)
    ]


def bench_store() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        key_file = Path(tmp) / "keys.txt"
        recipient = create_identity_file(key_file)
        path = Path(tmp) / "store.yaml"
        wanted = _wanted()

        start = time.perf_counter()
        store = SecretStore.create(path, recipients=recipient)
        fill(store, wanted)
        store.save()
        filled = time.perf_counter() - start

        start = time.perf_counter()
        opened = SecretStore.open(path, key_file=key_file)
        count = len(opened.keys())
        decrypted = time.perf_counter() - start

        start = time.perf_counter()
        again = fill(opened, wanted)
        written = opened.save()
        refilled = time.perf_counter() - start

        size = path.stat().st_size // 1024
        print(
            f"store     {count} keys ({size} KiB): fill+encrypt {filled * 1000:.0f} ms, "
            f"decrypt+MAC {decrypted * 1000:.0f} ms, second fill {refilled * 1000:.0f} ms "
            f"({len(again.added)} added, {'rewritten' if written else 'file untouched'})"
        )


if __name__ == "__main__":
    bench_store()
