"""Starting, stopping, resetting and steering the sandbox; its speed; the CLI entry point."""

from __future__ import annotations

import json
import threading
import urllib.request

import pytest
from botocore.exceptions import ClientError

from reconciler.sandbox import Sandbox, SandboxConfig
from reconciler.sandbox.config import Organization


def admin(sandbox: Sandbox, method: str, path: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        f"{sandbox.endpoint}/_sandbox/{path}", data=data, method=method
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def test_stop_frees_the_port() -> None:
    sb = Sandbox().start()
    endpoint = sb.endpoint
    sb.stop()
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{endpoint}/_sandbox/health", timeout=1)


def test_connections_are_kept_alive(sandbox) -> None:
    import http.client

    host, port = sandbox.endpoint.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    for _ in range(3):
        conn.request("GET", "/_sandbox/health")
        response = conn.getresponse()
        assert response.getheader("Connection") is None and json.load(response) == {"ok": True}
    conn.close()


def test_reset_clears_cards_and_moto_state(sandbox, aws) -> None:
    aws("sagemaker").create_model_card(ModelCardName="c", Content="{}", ModelCardStatus="Draft")
    aws("s3").create_bucket(Bucket="reset-bucket")
    sandbox.reset()
    assert aws("sagemaker").list_model_cards()["ModelCardSummaries"] == []
    assert aws("s3").list_buckets()["Buckets"] == []


def test_admin_reset_config_and_clock(sandbox, aws) -> None:
    aws("sagemaker").create_model_card(ModelCardName="c", Content="{}", ModelCardStatus="Draft")
    assert admin(sandbox, "POST", "reset") == {"reset": True}
    assert aws("sagemaker").list_model_cards()["ModelCardSummaries"] == []
    config = admin(sandbox, "GET", "config")
    assert config["default_account"] == "111111111111" and config["organization"] is None
    config["organization"] = {"management_account": "111111111111", "members": ["222222222222"]}
    admin(sandbox, "PUT", "config", config)
    assert sandbox.config.organization is not None
    assert sandbox.config.organization.contains("222222222222")
    now = admin(sandbox, "GET", "clock")["now"]
    assert admin(sandbox, "POST", "clock/advance", {"seconds": 3600})["now"] >= now + 3600


def test_admin_rejects_bad_input(sandbox) -> None:
    for method, path, body in (("PUT", "config", {"nope": 1}), ("POST", "nowhere", {})):
        with pytest.raises(urllib.error.HTTPError) as exc:
            admin(sandbox, method, path, body)
        assert exc.value.code in (400, 404)
        assert "error" in json.load(exc.value)


def test_configure_and_reset_restore_initial_config(sandbox) -> None:
    org = Organization(management_account="111111111111", members=frozenset())
    sandbox.configure(SandboxConfig(organization=org))
    assert sandbox.config.organization == org
    sandbox.reset()
    assert sandbox.config.organization is None


def test_clock_never_goes_back(sandbox) -> None:
    with pytest.raises(ValueError):
        sandbox.advance(-1)


def test_serve_prints_endpoint_and_a_sandbox_admin_session(monkeypatch, capsys) -> None:
    """A session, not root keys: the root user may not assume the example's roles."""
    import re

    from reconciler.sandbox import server

    def interrupt(_: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(server.time, "sleep", interrupt)
    server.serve("127.0.0.1", 0, SandboxConfig(region="eu-west-1"))
    out = capsys.readouterr().out
    assert "export AWS_ENDPOINT_URL=http://127.0.0.1:" in out
    assert "as SandboxAdmin of 111111111111" in out
    assert re.search(r"AWS_ACCESS_KEY_ID=\S+", out) and "AWS_ACCESS_KEY_ID=testing" not in out
    assert re.search(r"AWS_SESSION_TOKEN=\S+", out)
    assert "AWS_DEFAULT_REGION=eu-west-1" in out


def test_the_control_api_gives_sessions_and_tokens(sandbox) -> None:
    import json
    import urllib.request

    def post(path: str, body: dict) -> dict:
        request = urllib.request.Request(
            f"{sandbox.endpoint}/_sandbox/{path}", data=json.dumps(body).encode(), method="POST"
        )
        with urllib.request.urlopen(request) as answer:
            return json.loads(answer.read())

    creds = post("credentials", {"account": "222222222222"})
    assert set(creds) == {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}
    assert sandbox.identity.resolve(creds["AWS_ACCESS_KEY_ID"]).arn.endswith(
        ":assumed-role/SandboxAdmin/sandbox"
    )
    token = post("oidc/token", {"claims": {"sub": "repo:o/r:ref:refs/heads/main"}})["token"]
    assert sandbox.oidc.verify(token)["sub"] == "repo:o/r:ref:refs/heads/main"


def test_concurrent_clients(sandbox) -> None:
    errors: list[Exception] = []

    def work(index: int) -> None:
        sm = sandbox.client("sagemaker")
        try:
            for j in range(10):
                sm.create_model_card(
                    ModelCardName=f"c-{index}-{j}", Content="{}", ModelCardStatus="Draft"
                )
        except ClientError as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    pages = sandbox.client("sagemaker").get_paginator("list_model_cards").paginate()
    assert errors == [] and sum(len(p["ModelCardSummaries"]) for p in pages) == 40
