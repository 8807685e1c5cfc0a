"""Reading uploaded résumés safely (.txt, .docx, .pdf) and writing drafts out (.txt, .docx, .pdf).

Uploads: size-limited before parsing; a .docx is a zip held to the safe-archive rules (safe_archives: member
paths, links, counts, sizes, zip bombs) and checked before python-docx opens it (no macros, no DTDs/entities
in any XML part, read whole); a .pdf is read by pypdf in layout order with a page limit
and no scripts run. Any problem is an UploadProblem naming it (→ 4xx), never a half-parsed result.
"""

from __future__ import annotations

import io
import re
import zipfile

from occurisk_assets.assistant.korean_font import CJK_FONT, korean_font
from occurisk_assets.lib.safe_archives import ArchiveLimits, UnsafeArchive, checked_members

MB = 1024 * 1024
MAX_UPLOAD_BYTES = 2 * MB
MAX_UNCOMPRESSED_BYTES = 20 * MB
DOCX_LIMITS = ArchiveLimits(
    max_members=500, max_member_bytes=MAX_UNCOMPRESSED_BYTES, max_total_bytes=MAX_UNCOMPRESSED_BYTES
)
# A DTD or entity declaration, in each encoding an XML parser would read a part in.
ENTITY_MARKERS = [m.encode(e) for m in ("<!DOCTYPE", "<!ENTITY") for e in ("utf-8", "utf-16-le", "utf-16-be")]
MAX_PDF_PAGES = 20
MAX_TEXT_CHARS = 100_000
COLUMN_GAP = re.compile(r"[ \t]{3,}")
DOCX_TYPES = {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


class UploadProblem(ValueError):
    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


def plain_size(size: int) -> str:
    """A limit as people read it: '2 MB', '1.5 MB', '64 KB' (1 MB = 1024 × 1024 bytes)."""
    if size >= MB:
        return f"{size / MB:.1f}".removesuffix(".0") + " MB"
    return f"{max(size // 1024, 1)} KB"


def _check_size(data: bytes) -> None:
    # `data` was read up to the limit + 1 byte: its length says "over", never the upload's real size.
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadProblem(
            f"the file is larger than the limit of {plain_size(MAX_UPLOAD_BYTES)}", status=413
        )
    if not data:
        raise UploadProblem("the file is empty")


def text_of_upload(filename: str, data: bytes) -> str:
    _check_size(data)
    name = (filename or "").lower()
    if name.endswith(".txt"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UploadProblem(f"{filename}: not UTF-8 text (byte {exc.start})") from exc
    elif name.endswith(".docx"):
        text = _docx_text(filename, data)
    elif name.endswith(".pdf"):
        text = _pdf_text(filename, data)
    elif name.endswith((".docm", ".doc", ".dotm")):
        raise UploadProblem(f"{filename}: .doc and macro-enabled Word files are not accepted; save as .docx")
    else:
        raise UploadProblem(
            f"{filename or 'the file'}: unsupported type; upload .txt, .docx or .pdf", status=415
        )
    text = text.replace("\x00", "")
    if not text.strip():
        raise UploadProblem(f"{filename}: no text found in the file")
    return text[:MAX_TEXT_CHARS]


def _declares_entities(part: bytes) -> bool:
    upper = part.upper()
    return any(marker in upper for marker in ENTITY_MARKERS)


def _docx_text(filename: str, data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = checked_members(archive, filename, DOCX_LIMITS)
    except zipfile.BadZipFile as exc:
        raise UploadProblem(f"{filename}: not a valid .docx (corrupt zip)") from exc
    except UnsafeArchive as exc:  # the reason only: member names are the uploader's text
        raise UploadProblem(f"{filename}: not an acceptable .docx: {exc.reason}") from exc
    names = {m.filename for m in members}
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise UploadProblem(f"{filename}: the document contains macros; save it without macros")
    if "word/document.xml" not in names:
        raise UploadProblem(f"{filename}: not a valid .docx (no word/document.xml)")
    for member in members:
        # Every part read whole (the member limits bound it), in the encodings an XML parser accepts.
        if member.filename.endswith((".xml", ".rels")) and _declares_entities(archive.read(member)):
            raise UploadProblem(f"{filename}: the document declares XML entities, which are not allowed")
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for broken parts
        raise UploadProblem(f"{filename}: not a valid .docx ({type(exc).__name__})") from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _pdf_text(filename: str, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UploadProblem(f"{filename}: the PDF is password-protected")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise UploadProblem(f"{filename}: {len(reader.pages)} pages; the limit is {MAX_PDF_PAGES}")
        texts, length = [], 0
        for page in reader.pages:  # only as many pages as the kept text needs
            # Layout order: a date in a left column stays on the line of the title beside it.
            layout = page.extract_text(extraction_mode="layout") or ""
            texts.append(COLUMN_GAP.sub("   ", layout))
            length += len(texts[-1]) + 1
            if length > MAX_TEXT_CHARS:
                break
        return "\n".join(texts)
    except UploadProblem:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UploadProblem(f"{filename}: not a valid PDF ({type(exc).__name__})") from exc


# --- exports ---------------------------------------------------------------------------------------------


def resume_docx(draft) -> bytes:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.size = Pt(11)
    document.add_heading("Summary", level=2)
    document.add_paragraph(draft.summary)
    document.add_heading("Experience", level=2)
    for job in [j for j in draft.jobs if not j.earlier]:
        document.add_heading(job.heading + (f" ({job.dates})" if job.dates else ""), level=3)
        for bullet in job.bullets:
            document.add_paragraph(bullet, style="List Bullet")
    earlier = [j for j in draft.jobs if j.earlier]
    if earlier:
        document.add_heading("Earlier experience", level=2)
        for job in earlier:
            document.add_heading(job.heading, level=3)
            for bullet in job.bullets:
                document.add_paragraph(bullet, style="List Bullet")
    if draft.skills:
        document.add_heading("Skills", level=2)
        document.add_paragraph(", ".join(draft.skills))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def text_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
]
CJK = re.compile(r"[\u1100-\u11ff\u3000-\u30ff\u3130-\u318f\u4e00-\u9fff\uac00-\ud7a3]")


def text_pdf(text: str) -> bytes:
    """A plain PDF of `text`: Noto Sans CJK KR when it has Korean (or other CJK) letters, else DejaVu Sans
    when installed (any other script), else Helvetica (Latin-1 only)."""
    from pathlib import Path

    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    font = next((p for p in FONT_CANDIDATES if Path(p).exists()), None)
    if CJK.search(text) and Path(CJK_FONT[0]).exists():
        file, face = korean_font(text)
        pdf.add_font("body", fname=file, collection_font_number=face)
        pdf.set_font("body", size=11)
    elif font:
        pdf.add_font("body", fname=font)
        pdf.set_font("body", size=11)
    else:
        pdf.set_font("Helvetica", size=11)
        text = text.replace("–", "-").replace("—", "-").replace("’", "'").replace("•", "-")
        text = text.encode("latin-1", "replace").decode("latin-1")
    for line in text.splitlines():
        heading = bool(re.fullmatch(r"[A-Z][A-Z ]+", line.strip()))
        pdf.multi_cell(0, 6, line or " ", new_x="LMARGIN", new_y="NEXT")
        if heading:
            pdf.ln(1)
    return bytes(pdf.output())
