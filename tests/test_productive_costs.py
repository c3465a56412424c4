"""Productive's derived costs and currencies, and timestamps in each organization's offset."""

from tests.productive_data import (
    APPROVED,
    BEN,
    CHLOE,
    CONSULTING,
    DEVELOPMENT,
    ENTRIES,
    HEADERS,
    OTHER,
    SEED_ENTRY,
    WORKSHOP,
    WRITE,
    create_body,
    entry_path,
    update_body,
)

FAMILIES = ("cost", "work_cost", "overhead_cost", "internal_overhead_cost", "facility_overhead_cost")


def costs(attributes):
    names = ["currency", "currency_default", "currency_normalized"]
    names += [f"{family}{suffix}" for family in FAMILIES for suffix in ("", "_default", "_normalized")]
    return {name: attributes[name] for name in names}


def zero(*families):
    return {f"{family}{suffix}": 0 for family in families for suffix in ("", "_default", "_normalized")}


def attributes_of(client, entry_id, headers=HEADERS):
    return client.get(entry_path(entry_id), headers=headers).json()["data"]["attributes"]


def test_the_seeds_post_example_comes_out_of_the_fixtures(client):
    """Organization 1001 reports in USD, person 8160 costs 2500 ¢/h, service 1192 is sold in EUR,
    1 USD = 0.8 EUR: 480 minutes give cost_default 20000 (USD), cost and cost_normalized 16000 (EUR)."""
    assert costs(attributes_of(client, SEED_ENTRY)) == {
        "currency": "EUR",
        "currency_default": "USD",
        "currency_normalized": "EUR",
        "cost": 16000,
        "cost_default": 20000,
        "cost_normalized": 16000,
        "work_cost": 16000,
        "work_cost_default": 20000,
        "work_cost_normalized": 16000,
        **zero("overhead_cost", "internal_overhead_cost", "facility_overhead_cost"),
    }


def test_the_seeds_patch_example_rounds_each_amount_from_the_exact_value(client):
    """40 minutes at 2500 ¢/h: 1666.67 → 1667 USD, 1333.33 → 1333 EUR."""
    body = update_body("time-entries", time=40, billable_time=40)
    attributes = client.patch(entry_path(SEED_ENTRY), json=body, headers=WRITE).json()["data"]["attributes"]
    assert (attributes["cost"], attributes["cost_default"], attributes["cost_normalized"]) == (1333, 1667, 1333)
    assert (attributes["work_cost"], attributes["work_cost_default"], attributes["work_cost_normalized"]) == (
        1333,
        1667,
        1333,
    )


def test_a_service_sold_in_the_default_currency_with_overheads(client):
    """240 minutes of Ben (4000 ¢/h, overheads 600 + 300 ¢/h) on Development (USD)."""
    assert costs(attributes_of(client, APPROVED)) == {
        "currency": "USD",
        "currency_default": "USD",
        "currency_normalized": "EUR",
        "cost": 19600,
        "cost_default": 19600,
        "cost_normalized": 15680,
        "work_cost": 16000,
        "work_cost_default": 16000,
        "work_cost_normalized": 12800,
        "overhead_cost": 3600,
        "overhead_cost_default": 3600,
        "overhead_cost_normalized": 2880,
        "internal_overhead_cost": 2400,
        "internal_overhead_cost_default": 2400,
        "internal_overhead_cost_normalized": 1920,
        "facility_overhead_cost": 1200,
        "facility_overhead_cost_default": 1200,
        "facility_overhead_cost_normalized": 960,
    }


def test_another_organization_reports_in_its_own_currency(client):
    """Organization 1002 reports in EUR; 120 minutes of Chloe at 3000 ¢/h on Consulting (EUR)."""
    attributes = attributes_of(client, "201", OTHER)
    assert costs(attributes) == {
        "currency": "EUR",
        "currency_default": "EUR",
        "currency_normalized": "EUR",
        "cost": 6000,
        "cost_default": 6000,
        "cost_normalized": 6000,
        "work_cost": 6000,
        "work_cost_default": 6000,
        "work_cost_normalized": 6000,
        **zero("overhead_cost", "internal_overhead_cost", "facility_overhead_cost"),
    }


def test_costs_are_derived_when_read_never_stored(client, server):
    entry = server.store.get("productive.time_entries", SEED_ENTRY)
    assert not any(name.startswith(("cost", "currency")) for name in entry)
    person = dict(server.store.get("productive.people", "8160"), hourly_cost=5000)
    server.load_fixtures({"productive": {"people": [person]}})
    attributes = attributes_of(client, SEED_ENTRY)
    assert (attributes["cost_default"], attributes["cost"]) == (40000, 32000)


def test_costs_follow_the_person_service_and_time_of_an_update(client):
    body = {
        "data": {
            "type": "time_entries",
            "attributes": {"time": 90},
            "relationships": {
                "person": {"data": {"type": "people", "id": BEN}},
                "service": {"data": {"type": "services", "id": DEVELOPMENT}},
            },
        }
    }
    attributes = client.patch(entry_path(SEED_ENTRY), json=body, headers=WRITE).json()["data"]["attributes"]
    assert attributes["currency"] == "USD"
    assert (attributes["work_cost_default"], attributes["overhead_cost_default"], attributes["cost_default"]) == (
        6000,
        1350,
        7350,
    )
    assert attributes["overhead"] is False  # Development is no overhead service; Design is


def test_a_new_entry_without_time_costs_nothing(client):
    body = create_body(task=None)
    del body["data"]["attributes"]["time"]
    attributes = client.post(ENTRIES, json=body, headers=WRITE).json()["data"]["attributes"]
    assert {name: attributes[name] for name in zero(*FAMILIES)} == zero(*FAMILIES)


# -- timestamps ------------------------------------------------------------------------------------


def test_timestamps_are_shown_in_the_organizations_offset(client):
    """Entry 202 is stored with UTC timestamps; organization 1002 is at -04:00."""
    attributes = attributes_of(client, "202", OTHER)
    assert attributes["created_at"] == "2024-02-29T22:30:00.000-04:00"
    assert attributes["last_activity_at"] == "2024-02-29T22:30:00.000-04:00"
    assert attributes["approved_at"] == "2024-03-02T09:00:00.000-04:00"


def test_date_filters_on_timestamps_use_the_organizations_day(client):
    listed = client.get(f"{ENTRIES}?filter[last_activity_at]=2024-02-29", headers=OTHER).json()["data"]
    assert [item["id"] for item in listed] == ["202"]


def test_a_created_entry_in_another_organization_uses_its_offset(client):
    body = create_body(person=CHLOE, service=CONSULTING, task=WORKSHOP)
    attributes = client.post(ENTRIES, json=body, headers=OTHER).json()["data"]["attributes"]
    assert attributes["created_at"].endswith("-04:00")
    assert attributes["started_at"] is None
