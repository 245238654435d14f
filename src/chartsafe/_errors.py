"""Every error chartsafe raises on purpose, under one base class.

    ChartsafeError                  exit 2 unless a subclass says otherwise
    ├── InputError                  bad input from the user (a flag, a file, a value)
    │   ├── ChartLoadError          chart path missing, not a chart, broken archive
    │   ├── ValuesError             values file unreadable or malformed, bad --set
    │   ├── KubeVersionError        --kube-version unknown to Helm or to the schemas
    │   │   └── KubeVersionMismatch Chart.yaml's kubeVersion excludes the version
    │   └── StoreError              a SOPS/age store or encrypted file cannot be used
    │       ├── SopsFormatError     not a SOPS document, malformed metadata or ENC value
    │       ├── SopsConfigError     .sops.yaml unreadable, or no creation rule matches
    │       ├── AgeKeyError         malformed age identity/recipient, key file not writable
    │       └── DecryptionError     no identity opens the data key (says where it looked)
    │           └── IntegrityError  a value, the MAC or the data key was altered
    ├── TemplateError               the Helm engine refused to render (its message)
    └── CheckFailed                 exit 1: a check ran and the answer is "no"
        └── ValuesSchemaError       values violate values.schema.json (every violation)

The CLI's single error handler turns these into one line on stderr and the
exit code; nothing else decides exit codes. Each error carries the context a
person needs to fix it (chart path, values file, values path, Secret and key)
as attributes, and the message says what to do. Messages never contain a
secret value: callers pass names and paths, never the values themselves.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "TOO_DEEP",
    "AgeKeyError",
    "ChartLoadError",
    "ChartsafeError",
    "CheckFailed",
    "DecryptionError",
    "InputError",
    "IntegrityError",
    "KubeVersionError",
    "KubeVersionMismatch",
    "RenderedYamlError",
    "SopsConfigError",
    "SopsFormatError",
    "StoreError",
    "TemplateError",
    "ValuesError",
    "ValuesSchemaError",
    "yaml_error_at",
]

#: Why a YAML or JSON document that parses is still refused: Python's parsers (PyYAML, and
#: json for Helm's answers) recurse once per level and stop at the interpreter's limit.
TOO_DEEP = "nested too deeply to read (more than about 1,000 levels)"


def yaml_error_at(exc: Exception) -> str:
    """``line L, column C: problem`` of a PyYAML error, without the text around it.

    PyYAML's own message quotes the broken line under a caret: it may hold a token or a
    password, and it spans three lines where chartsafe prints one.
    """
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or getattr(exc, "context", None) or "not valid YAML"
    return f"line {mark.line + 1}, column {mark.column + 1}: {problem}" if mark else str(problem)


class ChartsafeError(Exception):
    """Base of every expected chartsafe failure.

    ``exit_code`` is what the CLI exits with; context attributes are optional
    and only set where they are known.
    """

    exit_code: int = 2

    def __init__(
        self,
        message: str,
        *,
        chart: Path | str | None = None,
        values_file: Path | str | None = None,
        values_path: str | None = None,
        secret: str | None = None,
        key: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.chart = chart
        self.values_file = values_file
        self.values_path = values_path
        self.secret = secret
        self.key = key
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class InputError(ChartsafeError):
    """Something the user passed is wrong; the message names it."""


class ChartLoadError(InputError):
    """The chart path is missing, is not a chart, or is a broken archive."""


class ValuesError(InputError):
    """A values file or a --set-style flag could not be read or parsed."""


class KubeVersionError(InputError):
    """The Kubernetes version is not one Helm or the schema package knows."""


class KubeVersionMismatch(KubeVersionError):
    """Chart.yaml's ``kubeVersion`` excludes the version rendered for, or is no semver range.

    Bad input to ``template`` (the flag, or its default, and the chart disagree); a finding
    about the chart in ``lint``.
    """


class TemplateError(ChartsafeError):
    """Helm's engine failed to render; the message is Helm's and names the template."""


class RenderedYamlError(TemplateError):
    """A template rendered a document that is not a Kubernetes object's YAML.

    ``document`` is what it rendered, for ``template --reveal`` to print: never part of
    the message, as it may hold Secret values.
    """

    def __init__(self, message: str, *, document: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.document = document


class CheckFailed(ChartsafeError):
    """A check ran to the end and found the input wanting: exit 1, not 2."""

    exit_code = 1


class ValuesSchemaError(CheckFailed):
    """The merged values violate the chart's ``values.schema.json``.

    ``violations`` holds every one, each as (values path, message).
    """

    def __init__(
        self, message: str, violations: list[tuple[str, str]], *, chart: Path | str | None = None
    ) -> None:
        super().__init__(message, chart=chart, hint="fix these values or the -f/--set flags")
        self.violations = violations


class StoreError(InputError):
    """A SOPS/age store or encrypted file cannot be used; ``file`` names it when known."""

    def __init__(
        self, message: str, *, file: Path | str | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message, values_file=file, hint=hint)
        self.file = file


class SopsFormatError(StoreError):
    """The file is not a SOPS document, or its metadata or an ENC[...] value is malformed."""


class SopsConfigError(StoreError):
    """A ``.sops.yaml`` cannot be read, or none of its creation rules matches the file."""


class AgeKeyError(StoreError):
    """An age identity or recipient is malformed, or a key file cannot be written."""


class DecryptionError(StoreError):
    """No available age identity opens the data key.

    ``looked_in`` lists every place searched for identities, with what was found there;
    the message repeats it on one line. It never holds key material.
    """

    def __init__(
        self,
        message: str,
        *,
        file: Path | str | None = None,
        hint: str | None = None,
        looked_in: tuple[str, ...] = (),
    ) -> None:
        super().__init__(message, file=file, hint=hint)
        self.looked_in = looked_in


class IntegrityError(DecryptionError):
    """A value, the MAC or an encrypted data key fails authentication: the file was altered."""
