"""“Check a job ad”: paste an ad, see which occupation it is (with how sure the coder is), how exposed it
is and which of its duties are most and least exposed. A plain POST form: works without JavaScript."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.deps import ConnectionDep, VersionDep
from api.pages.render import PageDep
from api.services import postings
from api.services.errors import Unavailable
from api.services.postings import AdWithoutText

router = APIRouter(include_in_schema=False)

PATH = "/check-job-ad"
TITLE_MAX = 300  # the same limits as POST /api/v1/postings/code
DESCRIPTION_MAX = 50_000


def problems_of(title: str, description: str) -> list[tuple[str, str]]:
    """(field, ERRORS key) for each field to fix, in the order of the form."""
    problems = []
    if not title.strip():
        problems.append(("title", "ad_title_missing"))
    elif len(title) > TITLE_MAX:
        problems.append(("title", "ad_title_long"))
    if not description.strip():
        problems.append(("description", "ad_description_missing"))
    elif len(description) > DESCRIPTION_MAX:
        problems.append(("description", "ad_description_long"))
    return problems


def _form(page, status: int = 200, title: str = "", description: str = "", problems=(), **context):
    errors = {name: page.error_text(name, key, "") for name, key in problems}
    return page.render(
        "check_ad.html",
        status=status,
        title=title,
        description=description,
        errors=errors,
        title_max=TITLE_MAX,
        description_max=DESCRIPTION_MAX,
        **context,
    )


@router.get(PATH, response_class=HTMLResponse)
async def check_ad_form(page: PageDep, version: VersionDep) -> HTMLResponse:
    return _form(page, data_version=version)


@router.post(PATH, response_class=HTMLResponse)
async def check_ad(page: PageDep, conn: ConnectionDep, version: VersionDep) -> HTMLResponse:
    form = await page.request.form()
    title, description = str(form.get("title", "")), str(form.get("description", ""))
    problems = problems_of(title, description)
    if not problems:
        try:
            coded = await postings.code_ad(page.request.app.state, conn, version, title, description)
        except AdWithoutText as exc:  # only HTML tags, no words
            problems = [(exc.field, f"ad_{exc.field}_missing")]
        except Unavailable:
            return _form(page, 503, title, description, coder_unavailable=True, data_version=version)
    if problems:
        return _form(page, 400, title, description, problems, data_version=version)
    return page.render("check_ad_result.html", ad_title=title.strip(), coded=coded, data_version=version)
