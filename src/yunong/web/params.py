"""Bounds of the integers that routes read from paths, queries and forms.

An integer past what a database column holds would otherwise reach the database and fail
there with a server error (500); bounded here, it is refused by validation (422) with the
parameter named.
"""

from typing import Annotated

from fastapi import Form, Path, Query

MAX_ID = 2_147_483_647
"""The largest row id a 32-bit integer column holds."""
FIRST_YEAR, LAST_YEAR = 1949, 2100

RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="编号")]
FormRowId = Annotated[int, Form(ge=1, le=MAX_ID)]
OptionalRowId = Annotated[int | None, Query(ge=1, le=MAX_ID, description="编号")]
Year = Annotated[int, Path(ge=FIRST_YEAR, le=LAST_YEAR, description="年度")]
OptionalYear = Annotated[int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR, description="年度")]
