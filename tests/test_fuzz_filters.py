"""The list-filter evaluator behind `list_matches_filters` judges the groups the fake answers."""

from __future__ import annotations

from mockserver.fuzz.apis.productive import filters

ENTRY = {"id": "7", "attributes": {"date": "1999-12-31"}, "relationships": {"approver": {"data": None}}}


def test_an_empty_or_group_holds_for_every_entry():
    tree = filters.filter_tree(
        {"filter[$op]": "or", "filter[0][after]": "2000-01-15", "filter[1][$op]": "or", "filter[2][approver_id]": "0"}
    )
    assert filters.evaluate(tree, ENTRY) is True


def test_an_or_group_whose_operands_all_fail_does_not_hold():
    tree = filters.filter_tree({"filter[$op]": "or", "filter[0][after]": "2000-01-15", "filter[1][approver_id]": "0"})
    assert filters.evaluate(tree, ENTRY) is False
