"""Export a batch's events (or a period's) as an EPCIS 2.0 JSON-LD document.

Mapping (GS1 EPCIS 2.0 and CBV 2.0): planting is an ObjectEvent ADD with bizStep
``commissioning``; input use, harvest, inspection, shipping and sale are ObjectEvents
OBSERVE (``inspecting``, ``shipping``, ``retail_selling`` from the CBV, the farm steps with
bizStep URIs of our own vocabulary); processing is a TransformationEvent and packing an
AggregationEvent ADD. A batch is a class-level identifier in ``quantityList``: its GS1
Digital Link where the product has a GTIN, otherwise its 全农码 address. What the CBV has no
term for (the input and its interval, the inspection result) is carried in ``yn:`` fields
of our vocabulary at ``https://{domain}/voc/``.
"""

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yunong.core.scope import Scope
from yunong.settings import get_settings
from yunong.store.base import utcnow
from yunong.trace import access, batches, events
from yunong.trace.events import Step, from_db
from yunong.trace.models import Batch, Event, Producer, Product

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"
EVENT_NAMESPACE = uuid.UUID("6f1c1a52-1d0e-4c36-9a51-3a4b8f5b7e21")
CHINA_OFFSET = "+08:00"


def vocabulary() -> str:
    return f"https://{get_settings().public_domain}/voc/"


def epc_time(moment: datetime) -> str:
    return from_db(moment).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def quantity_element(batch: Batch, quantity: Decimal | None = None, unit: str | None = None):
    uom, factor = batches.UNITS[unit or batch.unit]
    amount = (quantity if quantity is not None else batch.quantity) * factor
    return {"epcClass": batches.address(batch), "quantity": float(amount), "uom": uom}


def event_document(session: Session, batch: Batch, event: Event) -> dict[str, Any]:
    """One stored event in EPCIS 2.0 JSON."""
    step = Step(event.step)
    vocab = vocabulary()
    what = [quantity_element(batch, event.quantity, event.unit)]
    shaped: dict[str, Any] = {
        "type": "ObjectEvent",
        "eventID": f"urn:uuid:{uuid.uuid5(EVENT_NAMESPACE, f'{batch.code}/{event.id}')}",
        "eventTime": epc_time(event.event_time),
        "eventTimeZoneOffset": CHINA_OFFSET,
        "recordTime": epc_time(event.recorded_at),
    }
    if step is Step.PROCESSING:
        output = session.get(Batch, event.output_batch_id) if event.output_batch_id else batch
        assert output is not None
        shaped |= {
            "type": "TransformationEvent",
            "inputQuantityList": what,
            "outputQuantityList": [quantity_element(output)],
            "bizStep": "commissioning",
            "disposition": "active",
        }
    elif step is Step.PACKING:
        shaped |= {
            "type": "AggregationEvent",
            "action": "ADD",
            "parentID": f"urn:yunong:package:{batch.code}:{event.id}",
            "childQuantityList": what,
            "bizStep": "packing",
            "disposition": "in_progress",
        }
    else:
        shaped |= {
            "action": "ADD" if step is Step.PLANTING else "OBSERVE",
            "quantityList": what,
            "bizStep": BIZ_STEPS.get(step) or f"{vocab}bizStep/{step.value}",
        }
        disposition = DISPOSITIONS.get(step)
        if step is Step.INSPECTION:
            disposition = "conformant" if event.result == "pass" else "non_conformant"
        if disposition:
            shaped["disposition"] = disposition
    shaped["readPoint"] = {"id": read_point(batch, event)}
    shaped["bizLocation"] = {"id": f"urn:yunong:region:{batch.origin_code}"}
    shaped["yn:step"] = step.value
    if step is Step.INPUT:
        shaped["yn:input"] = {
            "yn:name": event.input_name,
            "yn:kind": event.input_kind,
            "yn:safeIntervalDays": event.safe_interval_days,
        }
    if step is Step.INSPECTION:
        shaped["yn:inspectionResult"] = event.result
        if event.agency:
            shaped["yn:agency"] = event.agency
    return shaped


BIZ_STEPS = {
    Step.PLANTING: "commissioning",
    Step.INSPECTION: "inspecting",
    Step.SHIPPING: "shipping",
    Step.SALE: "retail_selling",
}
DISPOSITIONS = {
    Step.PLANTING: "active",
    Step.HARVEST: "active",
    Step.SHIPPING: "in_transit",
    Step.SALE: "retail_sold",
}


def read_point(batch: Batch, event: Event) -> str:
    if event.parcel_code:
        return batches.code_address(event.parcel_code)
    return f"urn:yunong:region:{batch.origin_code}"


def document(session: Session, pairs: list[tuple[Batch, Event]]) -> dict[str, Any]:
    return {
        "@context": [EPCIS_CONTEXT, {"yn": vocabulary()}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": epc_time(utcnow()),
        "epcisBody": {"eventList": [event_document(session, b, e) for b, e in pairs]},
    }


def for_batch(session: Session, *, scope: Scope, code: str) -> dict[str, Any]:
    """The EPCIS document of one batch's events, in the order they happened."""
    batch = batches.get(session, scope=scope, code=code)
    return document(session, [(batch, event) for event in events.events_of(session, batch)])


def for_period(
    session: Session, *, scope: Scope, since: datetime, until: datetime
) -> dict[str, Any]:
    """The EPCIS document of every event the caller may see in ``[since, until)``."""
    query = (
        select(Batch, Event)
        .join(Event, Event.batch_id == Batch.id)
        .join(Product, Product.id == Batch.product_id)
        .join(Producer, Producer.id == Product.producer_id)
        .where(
            Event.event_time >= events.as_aware(since).astimezone(UTC),
            Event.event_time < events.as_aware(until).astimezone(UTC),
        )
    )
    query = access.filter_producers(session, scope, query).order_by(Event.event_time, Event.id)
    return document(session, [(batch, event) for batch, event in session.execute(query).tuples()])
