"""Exported EPCIS documents validate against the EPCIS 2.0 JSON schema."""

import copy
import json
from datetime import datetime
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from tests.trace.factories import (
    SYSTEM,
    add_batch,
    at,
    grow_and_harvest,
    make_trace_world,
    producer_scope,
    record,
)
from yunong.trace import epcis

# GS1's EPCIS 2.0 JSON schema, fetched by `make setup` (scripts/fetch-standards).
SCHEMA_FILE = Path(__file__).parents[2] / ".cache/standards/epcis-2.0/EPCISDocument.schema.json"
SCHEMA = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
VALIDATOR = Draft7Validator(SCHEMA)


def errors(document) -> list[str]:
    return [error.message for error in VALIDATOR.iter_errors(document)]


@pytest.fixture
def world(session):
    return make_trace_world(session)


@pytest.fixture
def full_chain(session, world):
    batch = add_batch(session, world.product, parcels=[world.parcel])
    output = add_batch(session, world.product, lot="SP2024-11-J")
    grow_and_harvest(session, batch)
    record(session, batch, "processing", "2024-11-06 14:00", output_batch=output.code)
    record(session, batch, "packing", "2024-11-07 08:00")
    record(session, batch, "shipping", "2024-11-08 08:00", partner="万州农贸市场")
    record(session, batch, "sale", "2024-11-09 08:00", quantity="200", unit="斤")
    return batch


def test_a_batch_document_with_every_kind_of_event_is_valid_epcis_2(session, full_chain):
    document = epcis.for_batch(session, scope=SYSTEM, code=full_chain.code)
    assert errors(document) == []
    types = [event["type"] for event in document["epcisBody"]["eventList"]]
    assert set(types) == {"ObjectEvent", "TransformationEvent", "AggregationEvent"}
    assert len(types) == 8


def test_the_batch_is_named_by_its_digital_link_and_quantities_use_un_cefact_units(
    session, full_chain
):
    document = epcis.for_batch(session, scope=SYSTEM, code=full_chain.code)
    sale = document["epcisBody"]["eventList"][-1]
    assert sale["bizStep"] == "retail_selling"
    assert sale["quantityList"] == [
        {"epcClass": full_chain.digital_link, "quantity": 100.0, "uom": "KGM"}
    ]


def test_events_keep_their_order_and_the_pesticide_interval(session, full_chain):
    document = epcis.for_batch(session, scope=SYSTEM, code=full_chain.code)
    steps = [event["yn:step"] for event in document["epcisBody"]["eventList"]]
    assert steps[:3] == ["planting", "input_use", "harvest"]
    assert document["epcisBody"]["eventList"][1]["yn:input"]["yn:safeIntervalDays"] == 14


def test_a_period_document_holds_only_the_callers_events_in_the_period(session, world):
    mine = add_batch(session, world.product)
    theirs = add_batch(session, world.other_product)
    record(session, mine, "planting", "2024-03-05 08:00")
    record(session, mine, "planting", "2024-02-05 08:00")
    record(session, theirs, "planting", "2024-03-06 08:00")
    scope = producer_scope(world.producer_user, world.place.village)
    document = epcis.for_period(
        session, scope=scope, since=at("2024-03-01 00:00"), until=datetime(2024, 4, 1)
    )
    assert errors(document) == []
    assert [event["eventTime"] for event in document["epcisBody"]["eventList"]] == [
        "2024-03-05T00:00:00.000Z"
    ]


def test_the_schema_refuses_an_event_without_its_time_zone_offset(session, full_chain):
    document = epcis.for_batch(session, scope=SYSTEM, code=full_chain.code)
    broken = copy.deepcopy(document)
    del broken["epcisBody"]["eventList"][0]["eventTimeZoneOffset"]
    assert errors(broken) != []


def test_the_schema_refuses_an_object_event_without_an_action(session, full_chain):
    document = epcis.for_batch(session, scope=SYSTEM, code=full_chain.code)
    broken = copy.deepcopy(document)
    del broken["epcisBody"]["eventList"][0]["action"]
    assert errors(broken) != []
