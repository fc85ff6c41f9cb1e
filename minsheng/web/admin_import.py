"""An "导入" (import) page for admin changelists, shared by every model that has an importer.

A model admin mixes in `ImportAdminMixin` and sets `admin_import` to an `AdminImport`: the
form to show and a callable that runs the app's import service on the saved upload and
returns an `ImportReport` (or raises `ImportRefused` when the file cannot be imported). The
mixin only handles the request: permission, upload, temporary file, rendering; the import
itself is the same service the management command calls.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.functional import Promise
from django.utils.text import get_valid_filename
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_SHOWN_REJECTED = 50
TABLE_SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class ImportReport:
    """What an import did, in lines for the administrator (already translated)."""

    headline: str
    rejected: Sequence[str] = ()  # "第 n 行：reason", in file order
    more_rejected: int = 0  # rejected rows counted but not listed in `rejected`
    conflicts: Sequence[str] = ()
    notes: Sequence[str] = ()


class ImportRefused(Exception):
    """The file cannot be imported; `details` lists the rows or facts behind `message`."""

    def __init__(
        self, message: str, *, details: Sequence[str] = (), notes: Sequence[str] = ()
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = list(details)
        self.notes = list(notes)


class ImportFileForm(forms.Form):
    """An uploaded CSV/XLSX file, at most MAX_UPLOAD_BYTES; subclasses add options."""

    file = forms.FileField(label=_("文件"))
    suffixes: Sequence[str] = TABLE_SUFFIXES

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        suffix = Path(upload.name or "").suffix.lower()
        if suffix not in self.suffixes:
            raise forms.ValidationError(
                gettext("只能导入以下格式的文件：%(suffixes)s。")
                % {"suffixes": "、".join(self.suffixes)}
            )
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                gettext(
                    "文件过大（%(size).1f MB），网页导入最多 %(limit)d MB；"
                    "请拆分文件，或在服务器上用管理命令导入。"
                )
                % {"size": (upload.size or 0) / 1024 / 1024, "limit": MAX_UPLOAD_BYTES // 2**20}
            )
        return upload


class CsvFileForm(ImportFileForm):
    suffixes = (".csv",)


StrOrPromise = str | Promise
ImportRunner = Callable[[Path, Mapping[str, Any]], ImportReport]


@dataclass(frozen=True)
class AdminImport:
    """How one model is imported: `run(path, cleaned_data)` calls its import service."""

    run: ImportRunner
    form_class: type[ImportFileForm] = ImportFileForm
    help_text: StrOrPromise = ""  # the columns the file needs
    notes: Sequence[StrOrPromise] = field(default_factory=tuple)  # shown above the form


class ImportAdminMixin(admin.ModelAdmin):
    """Adds `<changelist>/import/` and the "导入" button to a model admin."""

    admin_import: AdminImport
    change_list_template = "admin/import_change_list.html"

    def get_urls(self) -> list[URLPattern]:
        opts = self.model._meta
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name=f"{opts.app_label}_{opts.model_name}_import",
            ),
            *super().get_urls(),
        ]

    def has_import_permission(self, request: HttpRequest) -> bool:
        """The user's add permission on the model (not `has_add_permission`, which an admin
        may turn off to hide the add form, as the clue admin does)."""
        opts = self.model._meta
        codename = get_permission_codename("add", opts)
        return request.user.has_perm(f"{opts.app_label}.{codename}")

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        context = dict(extra_context or {})
        if self.has_import_permission(request):
            opts = self.model._meta
            context["import_url"] = reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_import"
            )
        return super().changelist_view(request, context)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        spec = self.admin_import
        report: ImportReport | None = None
        refused: ImportRefused | None = None
        if request.method == "POST":
            form = spec.form_class(request.POST, request.FILES)
            if form.is_valid():
                try:
                    report = run_upload(spec, form.cleaned_data)
                except ImportRefused as exc:
                    refused = exc
        else:
            form = spec.form_class()
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("导入%(name)s") % {"name": opts.verbose_name},
            "opts": opts,
            "form": form,
            "help_text": spec.help_text,
            "notes": spec.notes,
            "report": report,
            "shown_rejected": list(report.rejected[:MAX_SHOWN_REJECTED]) if report else [],
            "more_rejected": (
                max(len(report.rejected) - MAX_SHOWN_REJECTED, 0) + report.more_rejected
                if report
                else 0
            ),
            "refused": refused,
            "max_upload_mb": MAX_UPLOAD_BYTES // 2**20,
        }
        return TemplateResponse(request, "admin/import_form.html", context)


def run_upload(spec: AdminImport, cleaned_data: Mapping[str, Any]) -> ImportReport:
    """Save the upload under its own (sanitised) name in a temporary directory, then import."""
    upload: UploadedFile = cleaned_data["file"]
    suffix = Path(upload.name or "").suffix.lower()
    try:
        name = get_valid_filename(Path(upload.name or "").name)
    except SuspiciousFileOperation:
        name = f"upload{suffix}"
    with tempfile.TemporaryDirectory(prefix="minsheng-import-") as directory:
        target = Path(directory) / name
        with target.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        return spec.run(target, cleaned_data)
