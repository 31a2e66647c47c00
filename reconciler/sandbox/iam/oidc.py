"""OIDC tokens for ``AssumeRoleWithWebIdentity``: minted and verified with the sandbox's key.

AWS verifies a web identity token with the keys its issuer publishes (GitHub's at
``https://token.actions.githubusercontent.com/.well-known/jwks``). The sandbox cannot reach
them, so it stands in for the issuers of ``SandboxConfig.oidc_issuers``: it signs tokens
with one RSA key of its own (RS256, as GitHub signs) and accepts exactly the tokens that key
signed for one of those issuers. ``mint`` makes a token for given claims; ``github_claims``
builds the claims GitHub Actions puts in a job's token (research: github-oidc.md, from
docs.github.com/en/actions/reference/security/oidc):

- ``sub``: ``repo:<owner>/<repo>:environment:<name>`` for a job with an environment, else
  ``repo:<owner>/<repo>:pull_request`` for pull request events, else
  ``repo:<owner>/<repo>:ref:<ref>``;
- ``aud`` ``sts.amazonaws.com`` (what aws-actions/configure-aws-credentials requests);
- ``ref``, ``repository``, ``repository_owner``, ``environment`` (only with one),
  ``event_name``, ``workflow_ref`` and ``job_workflow_ref``
  (``<owner>/<repo>/.github/workflows/<file>@<ref>``), ``iat``, ``nbf``, ``exp``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from reconciler.sandbox.errors import AwsError

KEY_ID = "sandbox-oidc-1"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def invalid(message: str) -> AwsError:
    return AwsError("InvalidIdentityToken", message, 400)


def github_claims(
    repository: str,
    *,
    ref: str = "refs/heads/main",
    workflow: str = "reconcile.yml",
    environment: str | None = None,
    event_name: str = "push",
) -> dict[str, Any]:
    """The claims GitHub Actions gives a job of ``workflow`` in ``repository``."""
    if environment is not None:
        context = f"environment:{environment}"
    elif event_name.startswith("pull_request"):
        context = "pull_request"
    else:
        context = f"ref:{ref}"
    workflow_ref = f"{repository}/.github/workflows/{workflow}@{ref}"
    claims: dict[str, Any] = {
        "sub": f"repo:{repository}:{context}",
        "aud": "sts.amazonaws.com",
        "ref": ref,
        "ref_type": "tag" if ref.startswith("refs/tags/") else "branch",
        "repository": repository,
        "repository_owner": repository.split("/", 1)[0],
        "event_name": event_name,
        "workflow_ref": workflow_ref,
        "job_workflow_ref": workflow_ref,
    }
    if environment is not None:
        claims["environment"] = environment
    return claims


class OidcIssuers:
    """Signs and verifies web identity tokens for the configured issuers."""

    def __init__(self, issuers: Callable[[], tuple[str, ...]], clock: Callable[[], float]):
        self._issuers, self._clock = issuers, clock
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def mint(self, claims: Mapping[str, Any], issuer: str, lifetime: int = 300) -> str:
        """A signed token of ``issuer`` carrying ``claims`` (iat/nbf/exp added unless given)."""
        now = int(self._clock())
        payload = {"iss": issuer, "iat": now, "nbf": now, "exp": now + lifetime, **claims}
        header = {"alg": "RS256", "typ": "JWT", "kid": KEY_ID}
        signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}"
        signature = self._key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{_b64(signature)}"

    def verify(self, token: str) -> dict[str, Any]:
        """The claims of a token this sandbox signed for a configured issuer, still valid."""
        header, payload = self._checked(token)
        if header.get("alg") != "RS256" or header.get("kid") != KEY_ID:
            raise invalid("The token is not signed with a key of its issuer.")
        if payload.get("iss") not in self._issuers():
            raise invalid(f"The sandbox does not know the issuer {payload.get('iss')!r}.")
        self._check_times(payload)
        return payload

    def _checked(self, token: str) -> tuple[dict[str, Any], dict[str, Any]]:
        parts = token.split(".")
        if len(parts) != 3:
            raise invalid("The web identity token is not a JWT.")
        try:
            self._key.public_key().verify(
                _unb64(parts[2]),
                f"{parts[0]}.{parts[1]}".encode(),
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
            return json.loads(_unb64(parts[0])), json.loads(_unb64(parts[1]))
        except (InvalidSignature, ValueError) as e:
            raise invalid("Couldn't verify the web identity token's signature.") from e

    def _check_times(self, payload: Mapping[str, Any]) -> None:
        now = self._clock()
        exp, nbf = payload.get("exp"), payload.get("nbf", payload.get("iat", 0))
        if not isinstance(exp, (int, float)) or exp <= now:
            raise AwsError(
                "ExpiredTokenException",
                f"Token expired: current date/time {int(now)} must be before the expiration "
                f"date/time {exp}",
            )
        if isinstance(nbf, (int, float)) and nbf > now + 60:
            raise invalid("The web identity token is not valid yet.")
