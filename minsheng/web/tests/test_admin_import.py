"""The "导入" pages of the admin changelists (minsheng.web.admin_import and its users)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from minsheng.clues.models import Clue
from minsheng.clues.tests.importing.conftest import teddy_row
from minsheng.directory.models import Category, Region, ResponsibilityRule
from minsheng.directory.tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    RegionFactory,
    ResponsibilityRuleFactory,
)
from minsheng.web import admin_import
from minsheng.workcal.models import CalendarDay

pytestmark = pytest.mark.django_db

TEDDY_HEADER = ("留言编号", "留言用户", "留言主题", "留言时间", "留言详情", "一级分类")
MODELS = [
    "directory_region",
    "directory_department",
    "directory_category",
    "directory_responsibilityrule",
    "workcal_calendarday",
    "clues_clue",
]


def csv_upload(rows: Sequence[Sequence[object]], name: str = "data.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), "text/csv")


def xlsx_upload(rows: Sequence[Sequence[object]], name: str = "data.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def import_url(model: str) -> str:
    return reverse(f"admin:{model}_import")


@pytest.fixture
def staff_client(client):
    """A staff user with no model permissions."""
    user = get_user_model().objects.create_user(username="clerk", password="x", is_staff=True)
    client.force_login(user)
    client.user = user
    return client


class TestAccess:
    @pytest.mark.parametrize("model", MODELS)
    def test_the_changelist_shows_the_button_to_a_superuser(self, admin_client, model):
        # when
        response = admin_client.get(reverse(f"admin:{model}_changelist"))
        # then
        assert response.status_code == 200
        assert f'href="{import_url(model)}"' in response.content.decode()

    @pytest.mark.parametrize("model", MODELS)
    def test_the_form_page_is_in_the_admin(self, admin_client, model):
        # when
        response = admin_client.get(import_url(model))
        # then
        content = response.content.decode()
        assert response.status_code == 200
        assert 'class="breadcrumbs"' in content
        assert reverse(f"admin:{model}_changelist") in content
        assert 'enctype="multipart/form-data"' in content

    @pytest.mark.parametrize("model", MODELS)
    def test_staff_without_the_add_permission_gets_403(self, staff_client, model):
        # given: the user may see the list but not add
        app_label, model_name = model.split("_", 1)
        staff_client.user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=f"view_{model_name}")
        )
        # when
        listing = staff_client.get(reverse(f"admin:{model}_changelist"))
        get = staff_client.get(import_url(model))
        post = staff_client.post(import_url(model), {"file": csv_upload([("a",)])})
        # then
        assert listing.status_code == 200
        assert import_url(model) not in listing.content.decode()
        assert (get.status_code, post.status_code) == (403, 403)

    def test_staff_with_the_add_permission_may_import(self, staff_client):
        # given
        staff_client.user.user_permissions.add(
            Permission.objects.get(content_type__app_label="directory", codename="add_category")
        )
        # when
        response = staff_client.post(
            import_url("directory_category"),
            {"file": csv_upload([("一级分类", "二级分类", "三级分类"), ("供水", "停水", "")])},
        )
        # then
        assert response.status_code == 200
        assert Category.objects.count() == 2

    def test_an_anonymous_user_is_sent_to_the_login_page(self, client):
        response = client.get(import_url("directory_region"))
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


class TestUpload:
    def test_another_format_is_refused(self, admin_client):
        response = admin_client.post(
            import_url("directory_region"),
            {"file": SimpleUploadedFile("regions.txt", "code,name\n430000,湖南省\n".encode())},
        )
        assert "只能导入以下格式的文件" in response.content.decode()
        assert not Region.objects.exists()

    def test_a_file_over_the_limit_is_refused(self, admin_client, monkeypatch):
        # given a limit of 10 bytes
        monkeypatch.setattr(admin_import, "MAX_UPLOAD_BYTES", 10)
        # when
        response = admin_client.post(
            import_url("directory_region"),
            {"file": csv_upload([("code", "name"), ("430000", "湖南省")])},
        )
        # then
        assert "文件过大" in response.content.decode()
        assert not Region.objects.exists()

    def test_no_file_is_a_form_error(self, admin_client):
        response = admin_client.post(import_url("directory_region"), {})
        assert response.context["form"].errors["file"]


class TestTaxonomy:
    def test_an_xlsx_file_creates_the_categories(self, admin_client):
        # given
        upload = xlsx_upload(
            [("一级分类", "二级分类", "三级分类"), ("供水", "供水服务", "停水"), ("供电", "", "")]
        )
        # when
        response = admin_client.post(import_url("directory_category"), {"file": upload})
        # then
        content = response.content.decode()
        assert response.status_code == 200
        assert "读取 2 行：新建 4，更新 0，已存在 0，拒绝 0。" in content
        assert set(Category.objects.values_list("name", flat=True)) == {
            "供水",
            "供水服务",
            "停水",
            "供电",
        }

    def test_a_malformed_file_is_an_error_and_creates_nothing(self, admin_client):
        # given: an XLSX name over CSV bytes
        upload = SimpleUploadedFile("taxonomy.xlsx", b"not a workbook at all")
        # when
        response = admin_client.post(import_url("directory_category"), {"file": upload})
        # then
        content = response.content.decode()
        assert response.status_code == 200
        assert "无法导入" in content
        assert response.context["report"] is None
        assert not Category.objects.exists()


class TestRegions:
    def test_a_csv_creates_regions_and_lists_rejected_rows_with_their_line(self, admin_client):
        # given
        upload = csv_upload(
            [
                ("code", "name", "parent_code", "short_name"),
                ("430000", "湖南省", "", "湘"),
                ("430100", "长沙市", "430000", ""),
                ("43X", "坏代码", "", ""),
            ]
        )
        # when
        response = admin_client.post(import_url("directory_region"), {"file": upload})
        # then
        content = response.content.decode()
        assert "新建 2" in content
        assert "拒绝 1" in content
        assert "第 4 行" in content
        assert Region.objects.get(code="430100").parent == Region.objects.get(code="430000")

    def test_missing_columns_are_an_error_and_create_nothing(self, admin_client):
        upload = csv_upload([("编码", "名字"), ("430000", "湖南省")])
        response = admin_client.post(import_url("directory_region"), {"file": upload})
        assert "无法导入" in response.content.decode()
        assert not Region.objects.exists()


class TestRules:
    def test_rules_are_imported_and_conflicts_shown(self, admin_client):
        # given: two active rules for (停水, any region), saved around clean()
        water = CategoryFactory.create(name="供水")
        outage = CategoryFactory.create(name="停水", parent=water)
        RegionFactory.create(code="430111", name="雨花区")
        DepartmentFactory.create(name="雨花区水务局")
        first = ResponsibilityRuleFactory.create(category=outage, region=None)
        second = ResponsibilityRuleFactory.create(category=outage, region=None)
        upload = csv_upload(
            [
                ("category_path", "region_code", "lead_department", "co_departments"),
                ("供水", "430111", "雨花区水务局", ""),
                ("供水", "", "没有这个单位", ""),
            ]
        )
        # when
        response = admin_client.post(import_url("directory_responsibilityrule"), {"file": upload})
        # then
        content = response.content.decode()
        assert "新建 1" in content
        assert "第 3 行" in content
        assert "导入后责任清单存在冲突" in content
        assert f"#{first.pk}" in content
        assert f"#{second.pk}" in content
        rule = ResponsibilityRule.objects.get(category=water)
        assert (rule.region.code, rule.lead_department.name) == ("430111", "雨花区水务局")

    def test_a_file_without_the_lead_column_creates_nothing(self, admin_client):
        upload = csv_upload([("category_path", "region_code"), ("供水", "")])
        response = admin_client.post(import_url("directory_responsibilityrule"), {"file": upload})
        assert "无法导入" in response.content.decode()
        assert not ResponsibilityRule.objects.exists()


class TestCalendar:
    def test_a_csv_creates_the_days(self, admin_client):
        upload = csv_upload(
            [
                ("date", "is_working_day", "name"),
                ("2031-01-01", "休", "元旦"),
                ("2031-01-04", "班", ""),
            ]
        )
        response = admin_client.post(import_url("workcal_calendarday"), {"file": upload})
        assert "新增 2 天" in response.content.decode()
        assert CalendarDay.objects.count() == 2

    def test_a_gbk_file_is_read(self, admin_client):
        upload = SimpleUploadedFile(
            "days.csv", "日期,是否工作日,名称\n2031-01-01,休,元旦\n".encode("gbk")
        )
        response = admin_client.post(import_url("workcal_calendarday"), {"file": upload})
        assert "新增 1 天" in response.content.decode()
        assert CalendarDay.objects.get().name == "元旦"

    def test_a_bad_row_imports_nothing_and_names_its_line(self, admin_client):
        upload = csv_upload(
            [
                ("date", "is_working_day", "name"),
                ("2031-01-01", "休", "元旦"),
                ("2031-13-01", "休", ""),
            ]
        )
        response = admin_client.post(import_url("workcal_calendarday"), {"file": upload})
        content = response.content.decode()
        assert "文件有误，未导入任何数据" in content
        assert "第 3 行" in content
        assert not CalendarDay.objects.exists()


class TestClues:
    def post(self, client, rows, **data):
        upload = csv_upload([TEDDY_HEADER, *rows], name="留言.csv")
        return client.post(
            import_url("clues_clue"),
            {"file": upload, "source": "teddy", "channel": "bulk_import", **data},
        )

    def test_clues_are_created_and_a_rejected_row_shown_with_its_line(self, admin_client):
        # when
        response = self.post(
            admin_client, [teddy_row(1), teddy_row(2, time="2019/13/45"), teddy_row(3)]
        )
        # then
        content = response.content.decode()
        assert "留言.csv：读取 3 行：新建 2" in content
        assert "拒绝 1" in content
        assert "第 3 行：留言时间无法识别" in content
        assert set(Clue.objects.values_list("external_id", flat=True)) == {"1", "3"}
        assert set(Clue.objects.values_list("source", flat=True)) == {"teddy"}

    def test_importing_again_skips_what_is_there(self, admin_client):
        self.post(admin_client, [teddy_row(1)])
        response = self.post(admin_client, [teddy_row(1)])
        assert "跳过 1（已存在 1" in response.content.decode()
        assert Clue.objects.count() == 1

    def test_a_dry_run_counts_but_saves_nothing(self, admin_client):
        response = self.post(admin_client, [teddy_row(1), teddy_row(2)], dry_run="on")
        content = response.content.decode()
        assert "新建 2" in content
        assert "试运行" in content
        assert not Clue.objects.exists()

    def test_the_source_is_required(self, admin_client):
        response = self.post(admin_client, [teddy_row(1)], source="")
        assert response.context["form"].errors["source"]
        assert not Clue.objects.exists()

    def test_a_file_without_known_columns_is_an_error(self, admin_client):
        upload = csv_upload([("甲", "乙"), ("1", "2")])
        response = admin_client.post(
            import_url("clues_clue"), {"file": upload, "source": "teddy", "channel": "bulk_import"}
        )
        content = response.content.decode()
        assert "无法导入" in content
        assert "未导入任何数据" in content
        assert not Clue.objects.exists()

    def test_the_page_points_large_files_to_the_command(self, admin_client):
        assert (
            "manage.py import_clues" in admin_client.get(import_url("clues_clue")).content.decode()
        )
