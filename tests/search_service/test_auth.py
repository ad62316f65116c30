"""HTTP basic auth: with credentials configured, nothing is answered without them (401)."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

from solr_compat import BasicCredentials, CredentialsError, read_credentials_file
from tests.search_service import wire
from tests.search_service.conftest import (CREDENTIALS, SCHEMA_XML, SERVICE_DIR, SolrClient,
                                           basic_authorization)
from tests.search_service.test_persistence import ServiceProcess

RIGHT = basic_authorization(CREDENTIALS.user, CREDENTIALS.password)
WRONG_HEADERS = [
    None,
    basic_authorization(CREDENTIALS.user, "wrong-password"),
    basic_authorization("solr", CREDENTIALS.password),
    basic_authorization(CREDENTIALS.user, CREDENTIALS.password[:-1]),
    basic_authorization(CREDENTIALS.user, CREDENTIALS.password + "x"),
    basic_authorization(CREDENTIALS.user, ""),
    "Basic " + RIGHT.split()[1][:-2],              # truncated base64
    "Basic not*base64!",
    "Bearer " + RIGHT.split()[1],                  # right token, wrong scheme
    "Basic",
]


def _anonymous(client: SolrClient, authorization: str | None = None) -> SolrClient:
    return SolrClient(client.base_url, authorization)


@pytest.mark.parametrize("handler", ["select", "admin/ping", "schema", "admin/file",
                                     "no/such/handler"])
def test_without_credentials_every_path_is_a_401_with_a_basic_challenge(
        secured_solr: SolrClient, handler: str) -> None:
    reply = _anonymous(secured_solr).request(handler, {"q": "*:*", "file": "schema.xml"})
    assert reply.status == 401
    assert reply.headers["WWW-Authenticate"].startswith('Basic realm="solr"')
    error = reply.json()["error"]
    assert (error["code"], error["msg"]) == (401, "require authentication")


@pytest.mark.parametrize("authorization", WRONG_HEADERS)
def test_wrong_or_malformed_credentials_are_refused(secured_solr: SolrClient,
                                                    authorization: str | None) -> None:
    secured_solr.add(wire.ckan_index_doc("private-votes", "Private votes", private=True))
    reply = _anonymous(secured_solr, authorization).request("select", {"q": "*:*"})
    assert reply.status == 401
    assert b"private-votes" not in reply.body


def test_an_unauthenticated_update_changes_nothing(secured_solr: SolrClient) -> None:
    reply = _anonymous(secured_solr).add(wire.ckan_index_doc("intruder", "Intruder"))
    assert reply.status == 401
    assert secured_solr.select(q="*:*")["response"]["numFound"] == 0


def test_the_right_credentials_search_update_and_ping(secured_solr: SolrClient) -> None:
    assert secured_solr.request("admin/ping", {"wt": "json"}).json()["status"] == "OK"
    assert secured_solr.add(wire.ckan_index_doc("votes", "Senate votes")).status == 200
    assert secured_solr.select(q="*:*")["response"]["numFound"] == 1
    # The scheme is case-insensitive (RFC 7617).
    lower = "basic " + RIGHT.split()[1]
    assert _anonymous(secured_solr, lower).request("admin/ping").status == 200


def test_a_refused_post_closes_its_connection_and_the_next_one_works(
        secured_solr: SolrClient) -> None:
    # The refused body is never read, so the server must not keep reading that connection.
    url = urllib.parse.urlsplit(secured_solr.base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    try:
        connection.request("POST", f"{url.path}/update/?commit=true",
                           body=wire.pysolr_add_body([wire.ckan_index_doc("x", "X")]),
                           headers={"Content-Type": wire.JSON_CONTENT_TYPE})
        response = connection.getresponse()
        response.read()
        assert response.status == 401
        assert response.getheader("Connection") == "close"
    finally:
        connection.close()
    assert secured_solr.select(q="*:*")["response"]["numFound"] == 0


def test_credentials_compare_the_whole_user_and_password() -> None:
    credentials = BasicCredentials(user="ckan", password="pw:with:colons")
    assert credentials.accepts(basic_authorization("ckan", "pw:with:colons"))
    assert not credentials.accepts(basic_authorization("ckan2", "pw:with:colons"))
    assert not credentials.accepts(basic_authorization("ckan", "pw"))
    assert "pw:with" not in repr(credentials)


def test_credentials_file_must_be_private_and_well_formed(tmp_path: Path) -> None:
    path = tmp_path / "credentials"
    path.write_text("ckan:s3cret\n", encoding="utf-8")
    path.chmod(0o600)
    assert read_credentials_file(path) == BasicCredentials(user="ckan", password="s3cret")
    path.chmod(0o640)
    with pytest.raises(CredentialsError, match="chmod 600"):
        read_credentials_file(path)
    for text in ("no-colon\n", ":password\n", "user:\n", ""):
        path.write_text(text, encoding="utf-8")
        path.chmod(0o600)
        with pytest.raises(CredentialsError, match="USER:PASSWORD"):
            read_credentials_file(path)
    with pytest.raises(CredentialsError, match="cannot read"):
        read_credentials_file(tmp_path / "missing")


def _credentials_file(tmp_path: Path, mode: int) -> Path:
    path = tmp_path / "search-credentials"
    path.write_text(f"{CREDENTIALS.user}:{CREDENTIALS.password}\n", encoding="utf-8")
    path.chmod(mode)
    return path


def test_the_command_line_reads_credentials_from_a_private_file(tmp_path: Path) -> None:
    auth_file = _credentials_file(tmp_path, 0o600)
    service = ServiceProcess(tmp_path / "index", extra_args=("--auth-file", str(auth_file)),
                             authorization=RIGHT)
    try:
        cmdline = Path(f"/proc/{service.proc.pid}/cmdline").read_bytes()
        assert CREDENTIALS.password.encode() not in cmdline
        assert service.client.request("admin/ping").status == 200
        assert _anonymous(service.client).request("admin/ping").status == 401
        code, err = service.stop(signal.SIGTERM)
    finally:
        if service.proc.poll() is None:
            service.proc.kill()
    assert code == 0
    assert "basic auth required" in err
    assert CREDENTIALS.password not in err


def test_a_credentials_file_others_can_read_stops_the_start(tmp_path: Path) -> None:
    auth_file = _credentials_file(tmp_path, 0o644)
    result = subprocess.run(
        [sys.executable, "-m", "solr_compat", "--port", "0", "--data-dir", str(tmp_path),
         "--schema-xml", str(SCHEMA_XML), "--auth-file", str(auth_file)],
        env={**os.environ, "PYTHONPATH": str(SERVICE_DIR)}, capture_output=True, text=True,
        timeout=30)
    assert result.returncode == 2
    assert "readable by others" in result.stderr
    assert CREDENTIALS.password not in result.stderr
