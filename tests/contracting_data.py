"""Demo credentials and anchor records of Contracting (README, Demo credentials), and the assertions its tests share."""

from __future__ import annotations

from typing import Any

ENTRIES = "/contracting/api/v1/time-entries"

ACME = "tnt_acme00000000000000000001"
ZETA = "tnt_zeta00000000000000000002"
ACME_TOKEN = "kk_demo_token_acme"
ALL_TOKEN = "kk_demo_token_all"
HEADERS = {"Authorization": f"Bearer {ALL_TOKEN}", "tenant-id": ACME}

ACME_ENTRY = "tsh_acme00000000000000000001"
ZETA_ENTRY = "tsh_zeta00000000000000000001"
UNKNOWN_ENTRY = "tsh_000000000000000000000000"
WEB = "prj_acmeweb00000000000000001"  # acme's project Web
API = "prj_acmeapi00000000000000001"  # acme's project API
ZETA_PROJECT = "prj_zetaapp00000000000000001"
OCT = "bil_acmeoct00000000000000001"  # acme's billable with an invoice
NOV = "bil_acmenov00000000000000001"  # acme's billable without one
ZETA_BILLABLE = "bil_zetaq4000000000000000001"


def envelope(status: int, code: str, error: str, message: str) -> dict[str, Any]:
    return {"statusCode": status, "code": code, "error": error, "message": message}


def bad_request(response: Any, message: str) -> None:
    assert response.status_code == 400, response.text
    assert response.json() == envelope(400, "FST_ERR_VALIDATION", "Bad Request", message)


def not_found(response: Any, message: str) -> None:
    assert response.status_code == 404, response.text
    assert response.json() == envelope(404, "NOT_FOUND", "Not Found", message)
