"""Container healthcheck: GET /healthz the way the load balancer would.

The production profile redirects plain HTTP to HTTPS and rejects unknown hosts, so the probe sends one of
ALLOWED_HOSTS as the Host header and ``X-Forwarded-Proto: https`` (the header the settings trust from the
TLS-terminating proxy). Exits 0 when the app answers 200, 1 otherwise."""

from __future__ import annotations

import os
import sys
import urllib.request

URL = "http://127.0.0.1:8000/healthz"


def probe_host(allowed_hosts: str) -> str:
    """A host name Django will accept: the first concrete entry of ALLOWED_HOSTS (its default otherwise)."""
    for entry in (h.strip() for h in allowed_hosts.split(",")):
        if entry and entry != "*":
            return entry.lstrip(".")
    return "localhost"


def build_request(allowed_hosts: str) -> urllib.request.Request:
    return urllib.request.Request(URL, headers={"Host": probe_host(allowed_hosts), "X-Forwarded-Proto": "https"})


def main() -> int:
    request = build_request(os.environ.get("ALLOWED_HOSTS", ""))
    try:
        # A fixed http:// URL on loopback: no user-controlled scheme can reach urlopen.
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return 0 if response.status == 200 else 1
    except OSError as exc:
        print(f"healthcheck failed: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
