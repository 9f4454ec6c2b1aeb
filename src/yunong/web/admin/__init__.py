"""Administration pages: users and their API tokens, 操作日志 and the read-only dictionaries
of the policy pack. Every action goes through the services, which check who may manage whom."""

from fastapi import APIRouter

from yunong.web.admin import audit_log, dictionaries, users

router = APIRouter(include_in_schema=False)
router.include_router(users.router)
router.include_router(audit_log.router)
router.include_router(dictionaries.router)
