"""``-f https://...``: values read from a URL as helm's http getter reads them (loopback only)."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from chartsafe import ValuesInput, load_values
from chartsafe._errors import ValuesError
from chartsafe.cli import main

MINIMAL = str(Path(__file__).resolve().parents[1] / "data" / "minimal")
PASSWORD = "url-pass-7Yq2"


@dataclass
class Served:
    base: str
    files: dict[str, bytes] = field(default_factory=dict)
    auth: list[str | None] = field(default_factory=list)


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[Served]:
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    state: Served

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.auth.append(self.headers.get("Authorization"))
            body = state.files.get(self.path)
            self.send_response(404 if body is None else 200)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state = Served(f"http://127.0.0.1:{httpd.server_address[1]}")
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_urls_and_files_merge_in_the_order_given(served: Served, tmp_path: Path) -> None:
    served.files["/base.yaml"] = b"a: {p: 1, q: 1}\nname: from-url\n"
    served.files["/last.yaml"] = b"a: {r: 3}\n"
    local = tmp_path / "mid.yaml"
    local.write_text("a: {q: 2}\nname: from-file\n")
    given = ValuesInput(files=[f"{served.base}/base.yaml", local, f"{served.base}/last.yaml"])
    assert load_values(given) == {"a": {"p": 1, "q": 2, "r": 3}, "name": "from-file"}
    assert served.auth == [None, None]


def test_credentials_in_the_url_are_basic_auth_and_never_shown(served: Served) -> None:
    served.files["/v.yaml"] = b"k: v\n"
    host = served.base.removeprefix("http://")
    assert load_values(ValuesInput(files=[f"http://ops:{PASSWORD}@{host}/v.yaml"])) == {"k": "v"}
    assert served.auth == ["Basic " + base64.b64encode(f"ops:{PASSWORD}".encode()).decode()]
    with pytest.raises(ValuesError) as caught:
        load_values(ValuesInput(files=[f"http://ops:{PASSWORD}@{host}/missing.yaml"]))
    message = str(caught.value)
    assert f"http://ops:***@{host}/missing.yaml" in message and "404" in message
    assert PASSWORD not in message and PASSWORD not in str(caught.value.values_file)


# (id, path served, body served or None for a 404, words the one line must contain)
BAD = [
    ("404", "/gone.yaml", None, ["values file http://", "/gone.yaml", "answered 404"]),
    ("not UTF-8", "/latin1.yaml", b"k: \xe9t\xe9\n", ["/latin1.yaml", "not UTF-8"]),
    ("YAML syntax error", "/broken.yaml", b"a: 1\nb: [2\n",
     ["/broken.yaml", "YAML syntax error at line"]),
    ("not a mapping", "/list.yaml", b"- 1\n- 2\n", ["/list.yaml", "top level must be a mapping"]),
]  # fmt: skip


@pytest.mark.parametrize(("path", "body", "words"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_a_bad_url_is_one_line_and_exit_2(
    served: Served,
    capsys: pytest.CaptureFixture[str],
    path: str,
    body: bytes | None,
    words: list[str],
) -> None:
    if body is not None:
        served.files[path] = body
    assert main(["template", MINIMAL, "-f", served.base + path]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert all(word in err for word in words), err


def test_an_unreachable_url_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["template", MINIMAL, "-f", "http://127.0.0.1:9/v.yaml"]) == 2
    err = capsys.readouterr().err
    assert "values file http://127.0.0.1:9/v.yaml: cannot fetch it" in err
    assert len(err.strip().splitlines()) == 1


def test_template_renders_with_values_from_a_url(
    served: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    served.files["/v.yaml"] = b"replicas: 7\n"
    assert main(["template", MINIMAL, "-f", f"{served.base}/v.yaml", "--no-validate"]) == 0
    assert "replicas: 7" in capsys.readouterr().out


def test_set_file_reads_a_url_as_helm_does(served: Served, tmp_path: Path) -> None:
    served.files["/ca.pem"] = b"-----BEGIN CERTIFICATE-----\nMIIB,x=y\n-----END CERTIFICATE-----\n"
    local = tmp_path / "token.txt"
    local.write_text("from-disk")
    given = ValuesInput(set_file=[f"tls.ca={served.base}/ca.pem,auth.token={local}"],
                        set=["tls.enabled=true"])  # fmt: skip
    assert load_values(given) == {
        "tls": {"enabled": True, "ca": served.files["/ca.pem"].decode()},
        "auth": {"token": "from-disk"},
    }


def test_set_file_url_that_fails_names_the_flag_and_key(
    served: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["template", MINIMAL, "--set-file", f"greeting={served.base}/none.txt"]) == 2
    err = capsys.readouterr().err
    assert f"--set-file greeting {served.base}/none.txt: the server answered 404" in err


def test_set_file_url_over_a_conflicting_value_names_set_file(served: Served) -> None:
    served.files["/ca.pem"] = b"pem"
    given = ValuesInput(set=["tls=plain"], set_file=[f"tls.ca={served.base}/ca.pem"])
    with pytest.raises(ValuesError) as caught:
        load_values(given)
    assert str(caught.value).startswith("--set-file tls.ca=...: tls is a string")
