"""What a value must be to enter the store, checked by ``SecretStore.set`` and ``rotate``.

``chartsafe secrets set`` refuses an empty value, and one that does not fit its ``--format``
(``check_format``, ``check``'s own format checks). The store refuses the same with the same
check, so that a library caller cannot record what the command line refuses: a recorded format
is a promise that ``check`` and ``rotate`` rely on, and an empty value is no secret at all.
"""

from __future__ import annotations

from chartsafe._errors import InputError

__all__ = ["check_value"]


def check_value(namespace: str, secret: str, key: str, value: str, fmt: str | None = None) -> None:
    """Refuse an empty ``value``, or one ``fmt`` names a shape for that it does not have.

    A format outside the vocabulary (``unknown``, a word of a chart's own) promises no shape:
    it is recorded as it is, as the contract's formats are. Errors never quote the value.
    """
    where = f"key {key} of Secret {namespace}/{secret}"
    if not isinstance(value, str) or value == "":
        raise InputError(f"the value for {where} is empty", secret=secret, key=key)
    if not fmt:
        return
    # secret_ops imports the store: imported here, when a format is to be checked
    from chartsafe.store.secret_ops import check_format, known_formats

    if fmt.partition(":")[0] in known_formats():
        try:
            check_format(fmt, value, where=where)
        except InputError as exc:
            exc.secret, exc.key = secret, key
            raise
