"""The one guard every file uploaded through a page or the API passes.

In this order, so that nothing costly happens for someone who may not upload:

1. who is asking and whether they may upload here, from the cookie or token and the
   database, in a short transaction of its own, before a byte of the body is read;
2. the body's size: refused at once when ``Content-Length`` says too much, and cut off when
   a body sent without one runs past the limit; then the form's CSRF token;
3. the file's size and, for a workbook, its zip directory (:func:`yunong.core.files.check`);
4. reading it, in a child process with a time limit, stopped when the limit passes or the
   client goes away. No database transaction is open meanwhile; the caller saves what was
   read in a transaction of its own.
"""

import asyncio
import multiprocessing
import shutil
import tempfile
import time
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from fastapi import Request
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from yunong.core import files
from yunong.core.errors import InvalidValue, YunongError
from yunong.core.files import FileLimits, FileRefused
from yunong.core.scope import Scope
from yunong.store.db import transaction
from yunong.web.auth import (
    CSRF_FIELD,
    CSRF_HEADER,
    bearer_token,
    check_csrf,
    current_user,
    read_session,
    remember_viewer,
)

T = TypeVar("T")
FORM_OVERHEAD = 64 * 1024
"""Bytes a multipart body may carry beyond its file: boundaries, headers, small fields."""
POLL_SECONDS = 0.05
# A fresh interpreter that has already imported the application (and so every reader)
# forks each child: quick to start, and nothing of the server's threads, locks or database
# connections comes along.
CHILDREN = multiprocessing.get_context("forkserver")
CHILDREN.set_forkserver_preload(["yunong.web.app"])


class ClientGone(YunongError):
    """The client closed the connection while its upload was being read."""

    status_code = 400


@dataclass
class Upload:
    """A received file, kept in a folder of its own until the ``receive`` block ends."""

    path: Path
    scope: Scope
    limits: FileLimits
    seconds: float
    gone: Callable[[], Awaitable[bool]]

    async def read(self, reader: Callable[..., T], **arguments: Any) -> T:
        """``reader(self.path, **arguments)`` in a child process, within the limits."""
        return await read_in_child(
            reader, self.path, arguments, limits=self.limits, seconds=self.seconds, gone=self.gone
        )


@asynccontextmanager
async def receive(
    request: Request,
    *,
    allowed: Callable[[Session, Scope], None],
    suffixes: tuple[str, ...] = (".xlsx",),
    limits: FileLimits | None = None,
) -> AsyncIterator[Upload]:
    """The uploaded file of a ``multipart/form-data`` request, once every check has passed.

    ``allowed(session, scope)`` raises when the caller may not upload here; it runs before
    the body is read. ``limits`` are the settings' upload limits unless the caller names
    tighter ones (a photo). The file is deleted when the block ends.
    """
    settings = request.app.state.settings
    limits = limits or settings.upload_limits()
    csrf_in_form = await run_in_threadpool(authorise, request, allowed)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes + FORM_OVERHEAD:
        raise FileRefused(too_large(limits))
    folder = Path(tempfile.mkdtemp(prefix="yunong-upload-"))
    try:
        path = await save_body(request, folder, limits, suffixes, csrf_in_form)
        await run_in_threadpool(files.check, path, limits)
        yield Upload(
            path, request.state.scope, limits, settings.upload_seconds, request.is_disconnected
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def authorise(request: Request, allowed: Callable[[Session, Scope], None]) -> bool:
    """Check who is asking and whether they may upload; True when the form's CSRF token is
    still to be checked (a signed-in person's upload without the CSRF header).

    The check only reads, so it begins as a reading transaction (on SQLite it need not
    wait for the write lock); should the sign-in write something after reading, and
    another have written since, it runs once more as a writing one."""
    header = request.headers.get(CSRF_HEADER)
    in_form = bearer_token(request) is None and not header
    # The form's own token is not read yet; it is checked as soon as the form is.
    sent = read_session(request).csrf if in_form else (header or "")
    state = request.app.state
    try:
        check_uploader(request, state.read_sessions, sent, allowed)
    except OperationalError:
        check_uploader(request, state.sessions, sent, allowed)
    return in_form


def check_uploader(
    request: Request,
    sessions: sessionmaker[Session],
    sent: str,
    allowed: Callable[[Session, Scope], None],
) -> None:
    with transaction(sessions) as session:
        user = current_user(request, session, sent)
        remember_viewer(request, user)
        allowed(session, request.state.scope)


async def save_body(
    request: Request,
    folder: Path,
    limits: FileLimits,
    suffixes: tuple[str, ...],
    csrf_in_form: bool,
) -> Path:
    """Parse the multipart body, no larger than the limits, and keep its one file."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise InvalidValue("请以 multipart/form-data 表单上传文件")
    parser = MultiPartParser(
        request.headers,
        capped(request.stream(), limits.max_bytes + FORM_OVERHEAD, limits),
        max_files=1,
        max_fields=8,
        max_part_size=FORM_OVERHEAD,
    )
    try:
        form = await parser.parse()
    except MultiPartException as error:
        raise InvalidValue(f"上传的表单无效：{error.message}") from None
    try:
        if csrf_in_form:
            scope = request.state.scope
            sent = form.get(CSRF_FIELD)
            check_csrf(
                request,
                sent if isinstance(sent, str) else "",
                actor=scope.actor,
                region_code=scope.region_code,
            )
        chosen = next(
            (value for _, value in form.multi_items() if isinstance(value, UploadFile)), None
        )
        if chosen is None:
            raise InvalidValue("没有收到文件：请选择要上传的文件")
        name = Path(chosen.filename or "upload").name
        if not name.lower().endswith(suffixes):
            raise InvalidValue(f"文件“{name}”的类型不对：请上传 {'、'.join(suffixes)} 文件")
        path = folder / name
        with path.open("wb") as target:
            await run_in_threadpool(shutil.copyfileobj, chosen.file, target)
        return path
    finally:
        await form.close()


async def capped(
    chunks: AsyncIterator[bytes], most: int, limits: FileLimits
) -> AsyncGenerator[bytes, None]:
    """The body's chunks, refused once more than ``most`` bytes have come."""
    received = 0
    async for chunk in chunks:
        received += len(chunk)
        if received > most:
            raise FileRefused(too_large(limits))
        yield chunk


def too_large(limits: FileLimits) -> str:
    return f"上传的文件超过 {limits.max_bytes / files.MB:g} MB 的上限，未读取"


async def read_in_child(
    reader: Callable[..., T],
    path: Path,
    arguments: dict[str, Any],
    *,
    limits: FileLimits,
    seconds: float,
    gone: Callable[[], Awaitable[bool]],
) -> T:
    """``reader(path, **arguments)`` in a child process: its result, or its business error
    raised here. The child is killed when ``seconds`` pass or ``gone()`` says the client left."""
    receiving, sending = CHILDREN.Pipe(duplex=False)
    child = CHILDREN.Process(
        target=read_and_send, args=(sending, reader, path, arguments, limits), daemon=True
    )
    child.start()
    sending.close()
    deadline = time.monotonic() + seconds
    try:
        while not receiving.poll():
            if not child.is_alive():
                raise InvalidValue(f"文件“{path.name}”无法读取（读取进程意外退出）")
            if time.monotonic() > deadline:
                raise FileRefused(
                    f"文件“{path.name}”读取超过 {seconds:g} 秒仍未完成，已停止；请拆分后分批上传"
                )
            if await gone():
                raise ClientGone("上传已取消：连接已断开")
            await asyncio.sleep(POLL_SECONDS)
        outcome, value = receiving.recv()
    finally:
        receiving.close()
        if child.is_alive():
            child.kill()
        await run_in_threadpool(child.join, 5)
    if outcome == "refused":
        raise rebuilt(*value)
    if outcome == "failed":
        raise InvalidValue(f"文件“{path.name}”无法读取：{value}")
    return value


def read_and_send(
    sending: Connection,
    reader: Callable[..., Any],
    path: Path,
    arguments: dict[str, Any],
    limits: FileLimits,
) -> None:
    """In the child: read within the limits and send back the result or the refusal."""
    files.ACTIVE.set(limits)
    try:
        sending.send(("read", reader(path, **arguments)))
    except YunongError as error:
        sending.send(("refused", (type(error), error.message, vars(error))))
    except Exception as error:  # a reader's own bug or a library's complaint about the file
        sending.send(("failed", f"{type(error).__name__}: {error}"))
    finally:
        sending.close()


def rebuilt(kind: type[YunongError], message: str, state: dict[str, Any]) -> YunongError:
    """A business error sent from the child, with its fields (such as a refusal's rows);
    built without its own ``__init__``, whose arguments vary from one kind to another."""
    error = kind.__new__(kind)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    error.message = message
    return error
