"""The generator registry: a name, one function, and the parts it makes.

A *spec* names a generator and its argument, as written in ``--generator KEY=SPEC`` or derived
from a contract format: ``hex:32``, ``password:24:symbols``, ``ed25519:public``,
``tls-cert:key:cn=api.example.com``. Generators that make several related values at once (a key
pair, a certificate and its key) declare their *parts*; any ``:``-separated component of the
argument that names a part selects it, and the first part is the default. Keys of one Secret
whose specs differ only in the part form one group and are made together, so a public key
always belongs to its private key.

Adding a generator is one decorated function; the spec name is persisted in the store, so a
name is never renamed once released.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from chartsafe._errors import InputError

__all__ = [
    "GENERATORS",
    "Context",
    "Generator",
    "GeneratorError",
    "Spec",
    "generator",
    "parse_spec",
]


class GeneratorError(InputError):
    """A spec is malformed, names no generator, or cannot be made from what is at hand."""


Lookup = Callable[[str, str, str], "str | None"]
Put = Callable[[str, str, str, str, str], None]


def _no_lookup(_ns: str, _secret: str, _key: str) -> str | None:
    return None


def _no_put(_ns: str, _secret: str, _key: str, _value: str, _spec: str) -> None:
    raise GeneratorError("this generator needs to write to the store, and none is open")


@dataclass
class Context:
    """What a generator may read (and, for shared material like a CA, write) besides its arg.

    ``siblings`` are the values of the same Secret (present or made earlier in the same run);
    ``existing`` the parts of this group already present, which a generator must keep
    consistent with (derive a public key from the stored private key, sign a certificate for
    the stored key); ``lookup``/``put`` reach other Secrets of the store by namespace, Secret
    and key.
    """

    namespace: str = "default"
    secret: str = ""
    key: str = ""
    siblings: Mapping[str, str] = field(default_factory=dict)
    existing: Mapping[str, str] = field(default_factory=dict)
    lookup: Lookup = _no_lookup
    put: Put = _no_put

    @property
    def where(self) -> str:
        """``NAMESPACE/SECRET/KEY`` for messages (``generator`` outside any Secret)."""
        return f"{self.namespace}/{self.secret}/{self.key}" if self.secret else "generator"


GeneratorFn = Callable[[str | None, Context], "str | Mapping[str, str]"]
_F = TypeVar("_F", bound=GeneratorFn)


@dataclass(frozen=True)
class Generator:
    """One registered generator: ``fn(arg, context)`` returns a value, or every part."""

    name: str
    fn: GeneratorFn
    summary: str
    arg_help: str = ""
    parts: tuple[str, ...] = ()

    def make(self, arg: str | None, context: Context) -> dict[str, str]:
        """Every part this generator makes (a single-part generator's is named ``value``)."""
        made = self.fn(arg, context)
        if isinstance(made, str):
            return {"value": made}
        missing = [part for part in self.parts if part not in made]
        if missing:  # a bug in the generator, not bad input
            raise RuntimeError(f"generator {self.name} did not make {', '.join(missing)}")
        return dict(made)


#: Every generator by name; ``generator`` adds to it.
GENERATORS: dict[str, Generator] = {}


def generator(
    name: str, *, summary: str, arg_help: str = "", parts: tuple[str, ...] = ()
) -> Callable[[_F], _F]:
    """Register ``fn`` as generator ``name`` (``parts``: names of the values it makes)."""

    def register(fn: _F) -> _F:
        if name in GENERATORS:
            raise RuntimeError(f"generator {name} registered twice")
        GENERATORS[name] = Generator(name, fn, summary, arg_help, parts)
        return fn

    return register


@dataclass(frozen=True)
class Spec:
    """A parsed generator spec: generator name, argument (part removed) and part."""

    name: str
    arg: str | None = None
    part: str = "value"

    @property
    def generator(self) -> Generator:
        return GENERATORS[self.name]

    @property
    def group(self) -> tuple[str, str | None]:
        """Keys whose specs share this are made together."""
        return (self.name, self.arg)

    def __str__(self) -> str:
        gen = self.generator
        pieces = [self.name]
        if self.arg is not None:
            pieces.append(self.arg)
        if gen.parts and self.part != gen.parts[0]:
            pieces.append(self.part)
        return ":".join(pieces)


def parse_spec(text: str, *, where: str = "--generator") -> Spec:
    """``NAME[:ARG]`` → ``Spec``; a part name among the arg's components selects that part."""
    text = text.strip()
    name, sep, arg = text.partition(":")
    if name not in GENERATORS:
        known = ", ".join(sorted(GENERATORS))
        raise GeneratorError(f"{where}: unknown generator {name!r}", hint=f"one of: {known}")
    gen = GENERATORS[name]
    if not gen.parts:
        return Spec(name, arg if sep else None)
    part = gen.parts[0]
    rest: list[str] = []
    for component in arg.split(":") if sep else []:
        if component in gen.parts:
            part = component
        else:
            rest.append(component)
    return Spec(name, ":".join(rest) if rest else None, part)


def int_arg(arg: str | None, default: int, *, low: int, high: int, what: str, where: str) -> int:
    """An integer argument within bounds, or a one-line error naming the spec."""
    if arg is None or arg == "":
        return default
    try:
        number = int(arg)
    except ValueError:
        raise GeneratorError(f"{where}: {what} must be a whole number, not {arg!r}") from None
    if not low <= number <= high:
        raise GeneratorError(f"{where}: {what} must be between {low} and {high}, not {number}")
    return number


def options(arg: str | None, *, allowed: tuple[str, ...], where: str) -> dict[str, list[str]]:
    """``k=v,k=v`` options (a key may repeat), keys limited to ``allowed``."""
    found: dict[str, list[str]] = {}
    for item in (arg or "").split(","):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or key not in allowed:
            raise GeneratorError(
                f"{where}: option {item.strip()!r} is not one of {', '.join(allowed)} (k=v)"
            )
        found.setdefault(key, []).append(value.strip())
    return found
