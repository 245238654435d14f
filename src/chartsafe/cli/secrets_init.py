"""``chartsafe secrets init``: every key the release's contract requires, filled into the store.

Present values are never touched (running it again writes nothing). Keys no generator can make
(a vendor's API key, a user name) are asked for with hidden input when stdin is a terminal;
otherwise the command prints the ``chartsafe secrets set`` lines that supply them and exits 1,
after saving what it did generate, so a pipeline fails loudly instead of deploying without them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from .._errors import InputError
from ._cluster_options import Kubeconfig, KubeContext, release_namespace
from ._options import (
    ApiVersions,
    EnableDns,
    KubeVersion,
    Namespace,
    Output,
    ReleaseArgs,
    SkipSchemaValidation,
    release_and_chart,
    render_options,
)
from ._print import DATA_FORMATS, print_data
from ._source_options import FROM_SOURCE_FLAGS, SourceFlags, takes_chart
from ._value_options import FROM_VALUE_FLAGS, ValueFlags, takes_values
from .secrets import AgeKeyFile, AgeRecipients, StoreFile, secrets_app

#: Progress is shown from this many keys to generate on (RSA keys and certificates take time).
PROGRESS_FROM = 20


class ProgressLine:
    """``generated N/M keys`` on stderr: one updating line on a terminal, else every 10%."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        if total < PROGRESS_FROM:
            return
        tenth = done * 10 // total
        if self.tty:
            end = "\n" if done == total else ""
            self.stream.write(f"\rgenerated {done}/{total} keys{end}")
        elif tenth > self.shown:
            self.stream.write(f"generated {done}/{total} keys\n")
        self.shown = tenth
        self.stream.flush()


def parse_generators(items: list[str] | None) -> dict[str, str]:
    """``--generator KEY=SPEC`` / ``SECRET/KEY=SPEC`` flags as a mapping."""
    found: dict[str, str] = {}
    for item in items or []:
        name, sep, spec = item.partition("=")
        if not sep or not name or not spec or name.count("/") > 1 or name.strip("/") != name:
            raise InputError(
                f"--generator {item!r}: expected KEY=SPEC or SECRET/KEY=SPEC",
                hint="e.g. --generator serviceKey=hex:32",
            )
        found[name] = spec
    return found


def _check_generators(overrides: dict[str, str], contract: Any, refs: Any = ()) -> None:
    """A ``--generator`` naming no required or referenced key is a typo, not to be ignored."""
    known: set[str] = set()
    for ref in contract.required:
        for key in ref.keys:
            known.update((key, f"{ref.name}/{key}"))
    for entry in refs:
        known.update((entry.wanted.key, f"{entry.wanted.secret}/{entry.wanted.key}"))
    for name in overrides:
        if name not in known:
            raise InputError(
                f"--generator {name}=...: no Secret the release requires or the values "
                f"reference has key {name}",
                hint="see the keys with: chartsafe contract ... --required",
            )


def _set_command(item: Any, store: Path) -> str:
    from ..check._fixes import set_command

    return set_command(item.namespace, item.secret, item.key, str(store), item.format)


def _ask(missing: list[Any], opened: Any) -> list[Any]:
    """Hidden prompts for keys no generator makes (stdin is a terminal); what was entered."""
    import getpass

    entered = []
    for item in missing:
        about = f" ({item.description})" if item.description else ""
        label = f"{item.namespace}/{item.secret} {item.key}{about}"
        value = getpass.getpass(f"Value for {label} (hidden): ")
        if getpass.getpass("Again: ") != value:
            raise InputError(f"the two values typed for {item.secret} {item.key} differ")
        if not value:
            raise InputError(f"empty value typed for {item.secret} {item.key}")
        opened.set(item.namespace, item.secret, item.key, value, format=item.format)
        entered.append(item)
    return entered


def _entry(item: Any, stored: Any = None, **more: Any) -> dict[str, Any]:
    """One key of the report. With the open store (``stored``), a key in it is reported with
    its recorded format and generator, as ``secrets list`` shows them (a value set by hand:
    generator ``set``); a missing key with the contract's format and the spec that would
    make it."""
    fmt, spec = item.format, None if item.spec is None else str(item.spec)
    if stored is not None:
        meta = stored.info(item.namespace, item.secret, item.key)
        fmt = str(meta.get("format") or "unknown")
        spec = None if meta.get("generator") is None else str(meta["generator"])
    return {"namespace": item.namespace, "secret": item.secret, "key": item.key,
            "format": fmt, "generator": spec, **more}  # fmt: skip


@secrets_app.command(
    "init",
    epilog=(
        "Examples:\n\n"
        "  chartsafe secrets init tracecat charts/tracecat -n tracecat "
        "-f charts/tracecat/examples/values-minikube.yaml "
        "--store secrets.sops.yaml --age age1...\n\n"
        "  chartsafe secrets init tc charts/tracecat -n tracecat -f values.yaml --store s.yaml "
        "--generator 'url=url:redis://:{password:32}@redis:6379'\n\n"
        "Keys no generator can make are asked for (hidden) on a terminal; otherwise the "
        "'chartsafe secrets set' lines to run are printed. Optional keys (optional: true) "
        "no generator makes are named and left unset.\n\n"
        "Exit codes: 0 every required key is in the store, 1 some must still be set by hand, "
        "2 bad input."
    ),
)
@takes_chart
@takes_values
def init(
    args: ReleaseArgs,
    store: StoreFile,
    namespace: Namespace = None,
    kube_context: KubeContext = None,
    kubeconfig: Kubeconfig = None,
    values: ValueFlags = FROM_VALUE_FLAGS,
    kube_version: KubeVersion = None,
    api_versions: ApiVersions = None,
    skip_schema_validation: SkipSchemaValidation = False,
    enable_dns: EnableDns = False,
    age: AgeRecipients = None,
    age_key_file: AgeKeyFile = None,
    generator: Annotated[
        list[str] | None,
        typer.Option(
            "--generator",
            metavar="[SECRET/]KEY=SPEC",
            help="Generator for a key, instead of the one its format picks (repeatable): "
            "hex:32, base64url:32, password:24, uuid, ed25519:private, url:..., ...",
        ),
    ] = None,
    source: SourceFlags = FROM_SOURCE_FLAGS,
    output: Output = None,
) -> int:
    """Fill every missing value the release requires into the store; present ones are kept.

    Also fills the entries that ref+chartsafe://NAMESPACE/SECRET/KEY references in the values
    point at (read before they are resolved), with the format the chart declares for that key
    or its name suggests. A URL or a vendor's key is never invented: the command says how to
    set it.
    """
    namespace = release_namespace(namespace, kubeconfig, kube_context)
    from ..contract import contract_for_chart
    from ..store.secret_init import fill_from_contract
    from ..store.secret_init_refs import fill_references, references_to_fill
    from ..store.secret_store import SecretStore

    name, chart = release_and_chart(args)
    overrides = parse_generators(generator)
    given = values.input(age_key_file=age_key_file, store=store)
    # References stay as written: the entries they name may be the ones to make here.
    given.resolve_refs = False
    render = render_options(
        name, namespace, kube_version, api_versions, None, True,
        values_schema=not skip_schema_validation, enable_dns=enable_dns,
    )  # fmt: skip
    with source.open(chart) as path:
        contract, rendered = contract_for_chart(
            path,
            given,
            render,
        )
    refs = references_to_fill(rendered, overrides)
    _check_generators(overrides, contract, refs)
    # Read, filled and written under the store's edit lock: a concurrent edit waits.
    with SecretStore.editing(store, recipients=age or None, key_file=age_key_file) as opened:
        result = fill_from_contract(
            opened, contract, overrides=overrides, progress=ProgressLine(sys.stderr)
        )
        ref_result = fill_references(opened, refs, made_now=result.added)
        asked = {(w.namespace, w.secret, w.key) for w in result.missing}
        ref_missing = [e for e in ref_result.missing if _names(e.wanted) not in asked]
        to_ask = [*result.missing, *(e.wanted for e in ref_missing)]
        entered = []
        if to_ask and sys.stdin is not None and sys.stdin.isatty():
            entered = _ask(to_ask, opened)
        written = opened.save()
    done = {_names(w) for w in entered}
    missing = [w for w in result.missing if _names(w) not in done]
    ref_missing = [e for e in ref_missing if _names(e.wanted) not in done]
    if output in DATA_FORMATS:
        print_data(
            {
                "store": str(store),
                "written": written,
                "added": [_entry(w, opened) for w in result.added]
                + [_entry(w, opened, entered=True) for w in entered],
                "kept": [_entry(w, opened) for w in result.kept],
                "missing": [_entry(w, command=_set_command(w, store)) for w in missing],
                "optionalUnset": [
                    _entry(w, command=_set_command(w, store)) for w in result.optional_unset
                ],
                "references": {
                    "added": [_ref_entry(e, stored=opened) for e in ref_result.added],
                    "kept": [_ref_entry(e, stored=opened) for e in ref_result.kept],
                    "missing": [_ref_entry(e, store) for e in ref_missing],
                },
            },
            output,
        )
    else:
        for item in result.added:
            print(f"added: {item.namespace}/{item.secret} {item.key} ({item.spec})")
        made = {_names(w) for w in result.added}
        for e in ref_result.added:
            w = e.wanted
            if _names(w) not in made:  # one line a key, the contract's first
                print(f"added: {w.namespace}/{w.secret} {w.key} ({w.spec}) for {e.values_path}")
        for item in entered:
            print(f"added: {item.namespace}/{item.secret} {item.key} (entered)")
        kept = len({*map(_names, result.kept), *(_names(e.wanted) for e in ref_result.kept)})
        print(f"kept {kept} key(s) already in {store}", file=sys.stderr)
        if missing:
            print(f"{len(missing)} key(s) no generator can make; set them with:", file=sys.stderr)
            for item in missing:
                print(f"  {_set_command(item, store)}", file=sys.stderr)
        if result.optional_unset:
            print(
                f"{len(result.optional_unset)} optional key(s) left unset (the release starts "
                "without them); to set one:",
                file=sys.stderr,
            )
            for item in result.optional_unset:
                print(f"  {_set_command(item, store)}", file=sys.stderr)
        for e in ref_missing:
            print(_ref_missing_line(e, store), file=sys.stderr)
    return 1 if missing or ref_missing else 0


def _names(item: Any) -> tuple[str, str, str]:
    return (item.namespace, item.secret, item.key)


def _why_not(fmt: str) -> str:
    if fmt.startswith("url"):
        return "a URL needs its host and user, which chartsafe never guesses"
    if fmt == "unknown":
        return "neither the chart nor the key name says its format"
    return f"no generator makes {fmt} on its own"


def _generator_hint(item: Any) -> str:
    if item.format.startswith("url"):
        scheme = item.format.partition(":")[2].split("|")[0] or "https"
        return f"'{item.key}=url:{scheme}://USER:{{password}}@HOST/...'"
    return f"{item.key}=SPEC"


def _ref_missing_line(entry: Any, store: Path) -> str:
    item = entry.wanted
    return (
        f"{entry.values_path}: {entry.reference} is missing from the store and cannot be "
        f"generated ({item.format}: {_why_not(item.format)}); set it with: "
        f"{_set_command(item, store)} (or pass --generator {_generator_hint(item)})"
    )


def _ref_entry(entry: Any, store: Path | None = None, *, stored: Any = None) -> dict[str, Any]:
    more: dict[str, Any] = {"valuesPath": entry.values_path, "reference": entry.reference}
    if store is not None:
        more["command"] = _set_command(entry.wanted, store)
    return _entry(entry.wanted, stored, **more)
