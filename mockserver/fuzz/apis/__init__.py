"""The APIs `mockserver fuzz` knows, one room each (`apis/<slug>/`): the single list the CLI, the
credentials and the checks read."""

from __future__ import annotations

from mockserver.fuzz.apis.align import API as ALIGN
from mockserver.fuzz.apis.contracting import API as CONTRACTING
from mockserver.fuzz.apis.productive import API as PRODUCTIVE
from mockserver.fuzz.apis.room import Api

APIS: dict[str, Api] = {api.slug: api for api in (ALIGN, CONTRACTING, PRODUCTIVE)}
