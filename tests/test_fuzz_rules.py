"""The rule registry pairs every behaviour rule with the checks that hold it, and README shows it."""

from __future__ import annotations

import re

from mockserver import PROJECT_ROOT
from mockserver.fuzz import checks
from mockserver.fuzz.rules import RULES, by_check, markdown_table

ID = re.compile(r"^(all|align|contracting|productive)\.[a-z0-9-]+(\.[a-z0-9-]+)*$")


def checks_of(api: str) -> set[str]:
    if api == "all":
        return {check.__name__ for check in checks.COMMON}
    return set(checks.names(api))


def test_rule_ids_are_unique_and_readable():
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert all(ID.match(rule_id) for rule_id in ids), [rule_id for rule_id in ids if not ID.match(rule_id)]


def test_every_rule_is_held_by_a_check_of_its_api():
    unheld = [rule.id for rule in RULES if not rule.checks]
    unknown = [(rule.id, check) for rule in RULES for check in rule.checks if check not in checks_of(rule.api)]
    assert not unheld and not unknown


def test_every_check_holds_a_rule():
    every_check = {name for api in checks.BY_API for name in checks.names(api)}
    assert every_check - set(by_check()) == set()


def test_the_readme_table_is_the_registry():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    begin, end = "<!-- rules:begin (python -m mockserver.fuzz.rules) -->\n", "<!-- rules:end -->"
    assert begin in readme and end in readme
    assert readme.split(begin, 1)[1].split(end, 1)[0] == markdown_table()
