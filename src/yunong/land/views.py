"""The one-map page, the list of the parcels in its view, and the view as a picture or a
spreadsheet."""

import json
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.background import BackgroundTask

from yunong.core.regions import service as regions
from yunong.core.tabular import write_workbook
from yunong.land import listing, picture
from yunong.land import map as land_map
from yunong.land.spatial import Box
from yunong.web.auth import ScopeDep
from yunong.web.deps import READS_ONLY, SessionDep
from yunong.web.i18n import gettext as _
from yunong.web.layout import render, viewed_region

router = APIRouter(include_in_schema=False)
"""Every page only reads (``READS_ONLY``) but the export, which the audit trail records."""
BoxParameter = Annotated[str, Query(max_length=120)]
RegionParameter = Annotated[str | None, Query(max_length=12)]


def legend() -> dict[str, dict[str, object]]:
    """Each layer's name and classes (label, colour), in the page's language."""
    return {
        key: {
            "name": _(layer.name),
            "prop": layer.prop,
            "classes": {
                value: [_(label), colour] for value, (label, colour) in layer.classes.items()
            },
        }
        for key, layer in land_map.LAYERS.items()
    }


def overlays() -> dict[str, dict[str, object]]:
    """Each registered overlay's checkbox, colours and card labels, in the page's language."""
    return {
        key: {
            "name": _(overlay.name),
            "prop": overlay.prop,
            "classes": {
                value: [_(label), colour] for value, (label, colour) in overlay.classes.items()
            },
            "labels": {value: _(label) for value, label in overlay.labels.items()},
            "link": overlay.link,
        }
        for key, overlay in land_map.OVERLAYS.items()
    }


@router.get("/apps/land", response_class=HTMLResponse, dependencies=[READS_ONLY])
def map_page(request: Request, session: SessionDep, scope: ScopeDep) -> HTMLResponse:
    """The map of the region chosen in the switcher, with statistics beside it."""
    region = viewed_region(request, session, scope)
    extent = land_map.extent(session, scope=scope, region=region.code)
    config = {
        "region": region.code,
        "extent": [extent.west, extent.south, extent.east, extent.north],
        "parcelZoom": land_map.PARCEL_ZOOM,
        "layers": legend(),
        "zoneColours": land_map.ZONE_COLOURS,
        "overlays": overlays(),
        "tiles": request.app.state.settings.map_tiles,
    }
    return render(
        request,
        session,
        "land/map.html",
        config=json.dumps(config, ensure_ascii=False),
        overlays=config["overlays"],
    )


@router.get("/land/map.png", dependencies=[READS_ONLY])
def map_picture(
    session: SessionDep,
    scope: ScopeDep,
    bbox: Annotated[str, Query(max_length=120)],
    zoom: Annotated[int, Query(ge=0, le=22)],
    layer: str = "kind",
    region: Annotated[str | None, Query(max_length=12)] = None,
    width: Annotated[int, Query(ge=400, le=3000)] = 1200,
    height: Annotated[int, Query(ge=300, le=3000)] = 800,
) -> Response:
    """The view as a PNG with its legend and scale, to put in a report."""
    box = Box.parse(bbox)
    chosen = land_map.layer_named(layer)
    found = land_map.view(session, scope=scope, box=box, zoom=zoom, region=region)
    place = regions.get_visible(session, scope=scope, code=region or scope.region_code)
    title = f"{_('农地一张图')} · {place.name} · {_(chosen.name)}"
    image = picture.draw(found, box=box, layer=chosen, title=title, width=width, height=height)
    return Response(
        image,
        media_type="image/png",
        headers={"Content-Disposition": 'attachment; filename="land-map.png"'},
    )


@router.get("/land/parcels", response_class=HTMLResponse, dependencies=[READS_ONLY])
def parcel_list(
    request: Request,
    session: SessionDep,
    scope: ScopeDep,
    bbox: BoxParameter,
    region: RegionParameter = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> HTMLResponse:
    """One page of the parcels in the map's view, as the table under the map shows it."""
    found = listing.get_page(session, scope=scope, box=Box.parse(bbox), region=region, page=page)
    return request.app.state.templates.TemplateResponse(
        request, "land/parcel_list.html", {"found": found}
    )


@router.get("/land/parcels.xlsx")
def parcel_export(
    session: SessionDep, scope: ScopeDep, bbox: BoxParameter, region: RegionParameter = None
) -> FileResponse:
    """Every parcel in the map's view as xlsx, the same rows as the list; audited."""
    headers, rows = listing.export(session, scope=scope, box=Box.parse(bbox), region=region)
    folder = tempfile.mkdtemp(prefix="yunong-export-")
    path = Path(folder) / "parcels.xlsx"
    write_workbook(path, headers, rows)
    return FileResponse(
        path,
        filename="视图内地块.xlsx",
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )
