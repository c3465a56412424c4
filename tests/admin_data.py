"""Helpers of the admin API's tests."""

from tests.align_data import ORG_KEY, entry_path


def faults_act(client) -> bool:
    """Whether this build's request pipeline acts on fault rules; the admin API itself only registers
    them (README, "Admin API": faults), and the tests of what a fault does need the pipeline's stage."""
    client.post("/__admin/faults", json={"api": "align", "status": 503, "times": 1})
    acted = client.get(entry_path("a4000000-0000-4000-8000-000000000001"), headers=ORG_KEY).status_code == 503
    client.post("/__admin/reset")
    return acted
