"""Files named by a URL, for the flags that take one as helm and kubeseal do.

``-f https://...`` reads values with helm's http getter, ``seal --cert URL`` a certificate
as kubeseal does. Both go through :func:`fetch`: one timeout, the proxy variables honoured
(``HTTPS_PROXY``, ``NO_PROXY``), and credentials in the URL (``https://user:pw@host/...``)
sent as basic auth, as Go's HTTP client sends them. Values files hold passwords, and so may
the URL: messages show it through :func:`shown_url`, with the password masked.
"""

from __future__ import annotations

from typing import TypeGuard

__all__ = ["FetchError", "fetch", "is_http_url", "is_url", "shown_url"]

#: Seconds to wait for a connection or for data before giving up (helm's getter has none by
#: default; a values URL that hangs should not hang a deploy).
TIMEOUT_SECONDS = 30.0


class FetchError(Exception):
    """The URL could not be read; ``str()`` is the reason, without the URL's password."""


def is_http_url(text: str) -> bool:
    """True for ``http://`` and ``https://`` URLs, the schemes helm's getter reads ``-f`` from."""
    return text.lower().startswith(("http://", "https://"))


def is_url(source: object) -> TypeGuard[str]:
    """True for a ``-f`` source given as a URL of any scheme (a ``str``; paths are ``Path``):
    http(s) ones are fetched, the others refused by name instead of read as a path."""
    return isinstance(source, str) and "://" in source


def shown_url(url: str) -> str:
    """``url`` with the password of its user info masked, for messages."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def fetch(url: str, *, accept: str = "*/*") -> bytes:
    """The body of a 200 answer to GET ``url``; :class:`FetchError` with the reason otherwise."""
    import base64
    import urllib.error
    import urllib.request
    from urllib.parse import unquote, urlsplit, urlunsplit

    parts = urlsplit(url)
    headers = {"Accept": accept}
    if parts.username is not None:
        user, password = unquote(parts.username), unquote(parts.password or "")
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
        url = urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            body: bytes = response.read()
            status = getattr(response, "status", 200)
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the connection open
        raise FetchError(f"the server answered {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise FetchError(f"cannot fetch it ({getattr(exc, 'reason', exc)})") from None
    if status not in (None, 200):
        raise FetchError(f"the server answered {status}, not 200")
    return body
