"""New record ids are what `uuid.uuid4()` makes: version 4, RFC 4122 variant, canonical spelling, random."""

import uuid

from mockserver.platform.ids import new_uuid


def test_a_new_id_is_a_canonical_random_uuid():
    made = [new_uuid() for _ in range(2000)]
    assert len(set(made)) == len(made)
    for text in made:
        parsed = uuid.UUID(text)
        assert (parsed.version, parsed.variant, str(parsed)) == (4, uuid.RFC_4122, text)
