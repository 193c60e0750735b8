"""Pure checks of an upload (the file's real type from its first bytes, its size, its name) and who may read one."""
from __future__ import annotations

from collections.abc import Collection

from threeassets.core.errors import RuleError

MAX_BYTES = 5 * 1024 * 1024  # one receipt photo or scanned invoice; the request limit is higher
# magic prefix → (content type, extensions it may carry)
KINDS = {
    b"\xff\xd8\xff": ("image/jpeg", {"jpg", "jpeg"}),
    b"\x89PNG\r\n\x1a\n": ("image/png", {"png"}),
    b"%PDF-": ("application/pdf", {"pdf"}),
}


def sniff(head: bytes) -> str | None:
    """The content type the bytes really are (JPEG, PNG or PDF), or None."""
    for magic, (ctype, _) in KINDS.items():
        if head.startswith(magic):
            return ctype
    return None


def check_upload(filename: str, data: bytes, max_bytes: int = MAX_BYTES) -> str:
    """The file's content type, or RuleError naming the file and why it is refused."""
    name = filename or "(无文件名)"
    if not data:
        raise RuleError(f"{name}：文件为空")
    if len(data) > max_bytes:
        raise RuleError(f"{name}：文件 {len(data) / 1048576:.1f} MB，超过 {max_bytes // 1048576} MB 上限")
    ctype = sniff(data[:8])
    if ctype is None:
        raise RuleError(f"{name}：只接受 JPG、PNG 图片或 PDF 文件")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = next(exts for c, exts in KINDS.values() if c == ctype)
    if ext not in allowed:
        raise RuleError(f"{name}：文件扩展名与内容不符（内容是 {ctype}）")
    return ctype


def upload_refusals(files: list[tuple[str, bytes]]) -> list[str]:
    """Why each refused file of one upload is refused (every one named at once); empty when all may be stored."""
    out = []
    for name, data in files:
        try:
            check_upload(name, data)
        except RuleError as exc:
            out.append(str(exc))
    return out


def safe_name(filename: str) -> str:
    """A display name without directories or control characters, at most 200 characters."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if ch.isprintable())[:200] or "file"


def read_refusal(owner_answers: list, permissions: Collection[str]) -> int | None:
    """Why a file may not be sent: 404 unless exactly one feature vouches for the record that holds it (it is
    missing, hidden from this role, or of a kind no feature owns), 403 when the role lacks the permission that
    opens that record (a window clerk and a voucher's receipt), else None."""
    if len(owner_answers) != 1 or not isinstance(owner_answers[0], str):
        return 404
    return None if owner_answers[0] in permissions else 403
