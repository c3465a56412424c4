"""Demo credentials and anchor records of Align (README, Demo credentials), as the tests use them."""

BASE = "/align/api/v1"
SYNC = f"{BASE}/integration/time-entries"

ACME = "a0000000-0000-4000-8000-000000000001"
WEB = "a1000000-0000-4000-8000-000000000001"
MOBILE = "a1000000-0000-4000-8000-000000000002"
USER_1 = "a2000000-0000-4000-8000-000000000001"
USER_2 = "a2000000-0000-4000-8000-000000000002"
TICKET_WEB = "a3000000-0000-4000-8000-000000000001"
TICKET_MOBILE = "a3000000-0000-4000-8000-000000000002"
RELEASE_WEB = "a5000000-0000-4000-8000-000000000001"
RELEASE_MOBILE = "a5000000-0000-4000-8000-000000000002"
INVOICED_ENTRY = "a4000000-0000-4000-8000-000000000001"
LOCKED_ENTRY = "a4000000-0000-4000-8000-000000000002"
APPROVED_ENTRY = "a4000000-0000-4000-8000-000000000003"
GLOBEX_PROJECT = "b1000000-0000-4000-8000-000000000001"
GLOBEX_USER = "b2000000-0000-4000-8000-000000000001"
GLOBEX_ENTRY = "b4000000-0000-4000-8000-000000000001"

ORG_KEY = {"Authorization": "Bearer ako_demo_org_acme"}
PROJECT_KEY = {"Authorization": "Bearer ako_demo_proj_acme_web"}
GLOBEX_KEY = {"Authorization": "Bearer ako_demo_org_globex"}
REVOKED_KEY = {"Authorization": "Bearer ako_demo_revoked"}


def log_path(project: str = WEB) -> str:
    return f"{BASE}/projects/{project}/time-entries"


def entry_path(entry_id: str) -> str:
    return f"{SYNC}/{entry_id}"


def sync_body(**changes: object) -> dict:
    body = {
        "projectId": WEB,
        "userId": USER_1,
        "workDate": "2025-01-15",
        "minutes": 150,
        "description": "Sprint planning session.",
        "externalSystem": "illumera",
        "externalId": "illumera-te-001",
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}


def log_body(**changes: object) -> dict:
    body = {"userId": USER_1, "workDate": "2025-01-15", "minutes": 150, "description": "Implemented login flow."}
    body.update(changes)
    return {key: value for key, value in body.items() if value is not None}

# An entry of Acme's project Web in the fixtures' format, for loading through /__admin/fixtures
LOADABLE_ENTRY = {
    "id": "a4000000-0000-4000-8000-0000000000f1",
    "organizationId": "a0000000-0000-4000-8000-000000000001",
    "projectId": "a1000000-0000-4000-8000-000000000001",
    "userId": "a2000000-0000-4000-8000-000000000001",
    "entryId": None,
    "releaseId": None,
    "workDate": "2025-03-01",
    "hours": "1.0",
    "minutes": 60,
    "description": "Loaded",
    "billable": True,
    "source": "api",
    "status": "submitted",
    "invoiced": False,
    "createdAt": "2025-03-01T00:00:00.000Z",
    "updatedAt": "2025-03-01T00:00:00.000Z",
    "externalMetadata": None,
}
