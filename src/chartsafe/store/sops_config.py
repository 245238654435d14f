"""``.sops.yaml``: finding it and choosing the creation rule for a file (SOPS.md §11).

Like sops, the nearest ``.sops.yaml`` is searched from a directory (the current one by default)
upwards; ``SOPS_CONFIG`` or an explicit path replace the search. The file's path, made relative
to the config's directory, is matched against each rule's ``path_regex`` (unanchored search) in
order; a rule without one matches everything. Recipients given explicitly (``--age``, or
``SOPS_AGE_RECIPIENTS``) replace the config's keys but keep its selector. As with sops 3.11, a
config whose rules match none of them is an error even then ("no matching creation rules
found"): the config is the repository's policy, and recipients do not bypass it. Only the
secret store opts out (``unmatched_ok``): it takes recipients only, never a rule's selector.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

from chartsafe._errors import AgeKeyError, SopsConfigError, SopsFormatError
from chartsafe.store.age_keys import parse_recipients
from chartsafe.store.sops_metadata import SELECTOR_KINDS, Selector
from chartsafe.store.sops_yaml import load_yaml

__all__ = ["CONFIG_NAME", "CreationRule", "SopsConfig", "creation_rule_for", "find_config"]

CONFIG_NAME: Final = ".sops.yaml"
_MAX_LEVELS: Final = 100
_OTHER_KEYS: Final = (
    "pgp",
    "kms",
    "gcp_kms",
    "azure_keyvault",
    "hc_vault_transit_uri",
    "hckms",
)


@dataclass(frozen=True)
class CreationRule:
    """How to encrypt a new file: age recipients per key group, selector, MAC mode."""

    key_groups: tuple[tuple[str, ...], ...]
    path_regex: str | None = None
    shamir_threshold: int | None = None
    selector: Selector | None = None
    mac_only_encrypted: bool = False
    indent: int | None = None
    """From the config's ``stores`` section for the file's format, if set."""
    unusable: str | None = None
    """Why chartsafe cannot encrypt with this rule (non-age keys), checked when it is chosen."""

    @property
    def recipients(self) -> list[str]:
        """Every age recipient of the rule, across groups."""
        return [r for group in self.key_groups for r in group]


@dataclass(frozen=True)
class SopsConfig:
    """A parsed ``.sops.yaml``."""

    path: Path
    rules: tuple[CreationRule, ...]
    indents: Mapping[str, int]

    @classmethod
    def load(cls, path: Path | str) -> SopsConfig:
        path = Path(path)
        try:
            text = path.read_bytes().decode("utf-8")
        except OSError as exc:
            raise SopsConfigError(f"cannot read {path}: {exc.strerror}", file=str(path)) from None
        except UnicodeDecodeError:
            raise SopsConfigError(f"{path}: not UTF-8 text", file=str(path)) from None
        try:
            doc = load_yaml(text, str(path))[0]
        except SopsFormatError as exc:
            raise SopsConfigError(exc.message, file=str(path)) from None
        raw_rules = doc.get("creation_rules") or []
        if not isinstance(raw_rules, list):
            raise SopsConfigError(f"{path}: creation_rules is not a list", file=str(path))
        rules = tuple(
            _rule(raw, f"{path}: creation rule {n}") for n, raw in enumerate(raw_rules, 1)
        )
        indents: dict[str, int] = {}
        stores = doc.get("stores")
        if isinstance(stores, Mapping):
            # a binary file's JSON envelope has its own section, as in sops
            for fmt, name in (("yaml", "yaml"), ("json", "json"), ("binary", "json_binary")):
                section = stores.get(name)
                if isinstance(section, Mapping) and isinstance(section.get("indent"), int):
                    indents[fmt] = section["indent"]
        return cls(path=path, rules=rules, indents=indents)

    def rule_for(
        self, file: Path | str, fmt: str = "yaml", *, need_keys: bool = True
    ) -> CreationRule:
        """The first rule whose ``path_regex`` matches ``file`` (relative to this config).

        With ``need_keys`` (the default) a rule chartsafe cannot encrypt with is an error.
        """
        target = Path(os.path.abspath(file))
        base = Path(os.path.abspath(self.path.parent))
        relative = str(target.relative_to(base)) if target.is_relative_to(base) else str(target)
        for rule in self.rules:
            if not rule.path_regex or re.search(rule.path_regex, relative):
                if rule.unusable and need_keys:
                    raise SopsConfigError(
                        f"{self.path}: the creation rule for {relative} {rule.unusable} "
                        "(chartsafe encrypts to age recipients only)",
                        file=str(self.path),
                    )
                return replace(rule, indent=self.indents.get(fmt))
        raise SopsConfigError(
            f"{self.path}: no matching creation rules found for {relative}", file=str(self.path)
        )


def _age_list(raw: object, where: str) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str) or (
        isinstance(raw, list) and all(isinstance(item, str) for item in raw)
    ):
        try:
            return parse_recipients(raw)
        except AgeKeyError as exc:
            raise SopsConfigError(f"{where}: {exc.message}") from None
    raise SopsConfigError(f"{where}: age must be a string or a list of strings")


def _others(raw: Mapping[str, Any]) -> list[str]:
    return [k for k in _OTHER_KEYS if raw.get(k)]


def _group(raw: object, where: str) -> tuple[list[str], list[str]]:
    """The age recipients of a key group (with ``merge``d groups) and its other key types."""
    if not isinstance(raw, Mapping):
        raise SopsConfigError(f"{where}: a key group is not a mapping")
    recipients, others = _age_list(raw.get("age"), where), _others(raw)
    merged = raw.get("merge") or []
    if not isinstance(merged, list):
        raise SopsConfigError(f"{where}: a key group's merge is not a list")
    for nested in merged:
        more, more_others = _group(nested, where)
        recipients += [r for r in more if r not in recipients]
        others += more_others
    return recipients, others


def _rule(raw: Any, where: str) -> CreationRule:
    if not isinstance(raw, Mapping):
        raise SopsConfigError(f"{where}: not a mapping")
    if raw.get("key_groups"):
        if not isinstance(raw["key_groups"], list):
            raise SopsConfigError(f"{where}: key_groups is not a list")
        parsed = [_group(g, where) for g in raw["key_groups"]]
        groups = [recipients for recipients, _ in parsed]
        others = sorted({k for _, kinds in parsed for k in kinds})
    else:
        groups, others = [_age_list(raw.get("age"), where)], _others(raw)
    unusable = None
    if others:
        unusable = f"also names {'/'.join(others)} keys"
    elif not all(groups):
        unusable = "has a key group without age recipients"
    selectors = [k for k in SELECTOR_KINDS if raw.get(k)]
    if len(selectors) > 1:
        raise SopsConfigError(f"{where}: more than one of {', '.join(selectors)}")
    try:
        selector = Selector(selectors[0], str(raw[selectors[0]])) if selectors else None
    except SopsFormatError as exc:
        raise SopsConfigError(f"{where}: {exc.message}") from None
    threshold = raw.get("shamir_threshold")
    path_regex = raw.get("path_regex")
    if path_regex:
        try:
            re.compile(str(path_regex))
        except re.error as exc:
            raise SopsConfigError(f"{where}: path_regex is not a regex: {exc}") from None
    return CreationRule(
        key_groups=tuple(tuple(g) for g in groups),
        path_regex=str(path_regex) if path_regex else None,
        shamir_threshold=threshold if isinstance(threshold, int) and threshold else None,
        selector=selector,
        mac_only_encrypted=raw.get("mac_only_encrypted") is True,
        unusable=unusable,
    )


def find_config(
    start: Path | str | None = None, *, environ: Mapping[str, str] | None = None
) -> Path | None:
    """``SOPS_CONFIG`` if set, else the nearest ``.sops.yaml`` from ``start`` (cwd) upwards."""
    env = os.environ if environ is None else environ
    if env.get("SOPS_CONFIG"):
        return Path(env["SOPS_CONFIG"])
    directory = Path(os.path.abspath(start if start is not None else Path.cwd()))
    for _ in range(_MAX_LEVELS):
        candidate = directory / CONFIG_NAME
        if candidate.is_file():
            return candidate
        if directory.parent == directory:
            break
        directory = directory.parent
    return None


def creation_rule_for(
    file: Path | str,
    *,
    recipients: str | Sequence[str] | None = None,
    config: Path | str | None = None,
    start: Path | str | None = None,
    fmt: str = "yaml",
    environ: Mapping[str, str] | None = None,
    unmatched_ok: bool = False,
) -> CreationRule:
    """How sops would encrypt ``file``: explicit recipients, else the nearest config's rule.

    ``recipients`` (or ``SOPS_AGE_RECIPIENTS``) win over the config's keys; the config still
    supplies the selector, MAC mode and indent. A config with rules, none matching ``file``, is
    refused as sops refuses it, unless ``unmatched_ok`` (explicit recipients then stand alone).
    """
    env = os.environ if environ is None else environ
    explicit = recipients if recipients else env.get("SOPS_AGE_RECIPIENTS") or None
    config_path = Path(config) if config is not None else find_config(start, environ=env)
    loaded = SopsConfig.load(config_path) if config_path is not None else None
    if explicit is not None:
        group = tuple(parse_recipients(explicit))
        if not group:
            raise SopsConfigError("no age recipient given")
        try:
            base = loaded.rule_for(file, fmt, need_keys=False) if loaded and loaded.rules else None
        except SopsConfigError as exc:
            if not unmatched_ok:
                raise SopsConfigError(
                    exc.message,
                    file=exc.file,
                    hint="as with sops, --age and SOPS_AGE_RECIPIENTS do not bypass a "
                    f"{CONFIG_NAME}: add a creation rule whose path_regex matches the file",
                ) from None
            base = None
        if base is None:
            return CreationRule(key_groups=(group,))
        return replace(base, key_groups=(group,), shamir_threshold=None, unusable=None)
    if loaded is None or not loaded.rules:
        raise SopsConfigError(
            f"no age recipients for {file}: give --age RECIPIENT or add a {CONFIG_NAME} "
            "with creation_rules",
            hint="chartsafe keys init prints a recipient",
        )
    return loaded.rule_for(file, fmt)
