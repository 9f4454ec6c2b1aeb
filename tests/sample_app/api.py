from fastapi import APIRouter

router = APIRouter(prefix="/api/sample", tags=["样例应用"])


@router.get("/notes")
def notes() -> list[str]:
    return ["样例"]
