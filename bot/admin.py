"""Admin document uploads: size check from metadata, safe file name, ingest in a thread."""

from __future__ import annotations

import re
import uuid
from pathlib import PurePosixPath, PureWindowsPath

from telegram import Update
from telegram.ext import ContextTypes

from bot.handlers import user_lang
from bot.i18n import t
from bot.render import escape
from bot.services import services

Context = ContextTypes.DEFAULT_TYPE
MAX_NAME = 80


def safe_filename(name: str | None, fallback_ext: str = ".bin") -> str:
    """A file name we choose: directories stripped, only [A-Za-z0-9._-], capped, extension kept."""
    raw = PureWindowsPath(PurePosixPath(name or "").name).name  # drop both / and \ directories
    stem, dot, ext = raw.rpartition(".")
    if not dot:
        stem, ext = raw, ""
    clean_ext = re.sub(r"[^A-Za-z0-9]", "", ext)[:10].lower()
    clean_stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")[: MAX_NAME - len(clean_ext) - 1]
    if not clean_stem:
        clean_stem = f"upload-{uuid.uuid4().hex[:8]}"
    suffix = f".{clean_ext}" if clean_ext else fallback_ext
    return clean_stem + suffix


async def document_upload(update: Update, context: Context) -> None:
    """An admin sends a document in private chat -> download -> engine.ingest -> report."""
    message, user = update.effective_message, update.effective_user
    if message is None or message.document is None:
        return
    svc, lang = services(context), user_lang(update)
    if not svc.settings.is_admin(user.id if user else None):
        await message.reply_text(t(lang, "admin_only"))
        return
    doc = message.document
    limit_mb = svc.settings.bot_max_upload_mb
    if doc.file_size is None or doc.file_size > svc.settings.max_upload_bytes:
        size = f"{(doc.file_size or 0) / 1048576:.1f}" if doc.file_size else "?"
        await message.reply_text(t(lang, "upload_too_big", size=size, limit=f"{limit_mb:g}"))
        return
    name = safe_filename(doc.file_name)
    svc.uploads_dir.mkdir(parents=True, exist_ok=True)
    target = svc.uploads_dir / name
    await message.reply_text(t(lang, "upload_working", name=name))
    telegram_file = await context.bot.get_file(doc.file_id)
    partial = target.with_name(f".{name}.part")
    await telegram_file.download_to_drive(partial)
    got = partial.stat().st_size
    if got > svc.settings.max_upload_bytes:  # the metadata understated it: keep nothing
        partial.unlink(missing_ok=True)
        await message.reply_text(
            t(lang, "upload_too_big", size=f"{got / 1048576:.1f}", limit=f"{limit_mb:g}")
        )
        return
    partial.replace(target)
    report = await svc.run_engine(svc.engine.ingest, [target])
    lines = [
        t(
            lang,
            "upload_result",
            seconds=f"{report.seconds:.1f}",
            added=report.added,
            updated=report.updated,
            unchanged=report.unchanged,
            chunks=report.chunks_written,
        )
    ]
    if report.failed:
        reasons = "; ".join(f"{PurePosixPath(path).name}: {reason}" for path, reason in report.failed)
        lines.append(t(lang, "upload_failed", reasons=reasons))
        target.unlink(missing_ok=True)
    await message.reply_html(escape("\n".join(lines)))
