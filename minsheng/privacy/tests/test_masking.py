"""Masking of personal data as department staff see it."""

from __future__ import annotations

import pytest

from minsheng.privacy.masking import (
    mask_address,
    mask_complainant_fields,
    mask_email,
    mask_id_number,
    mask_name,
    mask_phone,
)


class TestMaskPhone:
    @pytest.mark.parametrize(
        ("phone", "expected"),
        [
            ("13812341234", "138****1234"),
            (" 13812341234 ", "138****1234"),
            ("138 1234 1234", "138****1234"),
            ("138-1234-1234", "138****1234"),
            ("+8613812341234", "138****1234"),
            ("+86 138 1234 1234", "138****1234"),
        ],
    )
    def test_mobile_keeps_first_three_and_last_four(self, phone, expected):
        assert mask_phone(phone) == expected

    @pytest.mark.parametrize(
        ("phone", "expected"),
        [
            ("0731-88886666", "0731-****6666"),
            ("073188886666", "0731-****6666"),
            ("010-12345678", "010-****5678"),
            ("(0731)88886666", "0731-****6666"),
            ("（0731）8888666", "0731-****8666"),
            ("0731-88886666-801", "0731-****6666"),  # the extension is dropped
            ("0731-88886666转801", "0731-****6666"),
        ],
    )
    def test_landline_keeps_area_code_and_last_four(self, phone, expected):
        assert mask_phone(phone) == expected

    @pytest.mark.parametrize(
        ("phone", "expected"),
        [
            ("", ""),
            ("   ", ""),
            ("1", "*"),
            ("110", "***"),
            ("1234", "****"),
            ("12345", "****5"),
            ("1234567", "*****67"),
            ("88886666", "******66"),  # a local number without area code
        ],
    )
    def test_short_and_other_values_show_little(self, phone, expected):
        assert mask_phone(phone) == expected

    @pytest.mark.parametrize("phone", ["88886666", "12345", "1234567", "123456789012345"])
    def test_never_shows_more_than_a_third(self, phone):
        shown = sum(char != "*" for char in mask_phone(phone))
        assert shown <= len(phone) // 3


class TestMaskName:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("张三", "张*"),
            ("张三丰", "张**"),
            ("欧阳娜娜", "欧阳**"),
            ("司马光", "司马*"),
            ("欧阳", "欧*"),  # two characters: surname 欧, given name 阳
            ("张", "*"),
            (" 李四 ", "李*"),
            ("阿卜杜拉·买买提", "阿*******"),
            ("John Smith", "J***"),
            ("Li", "L***"),
            ("J", "*"),
            ("", ""),
            ("  ", ""),
        ],
    )
    def test_keeps_the_family_name_only(self, name, expected):
        assert mask_name(name) == expected


class TestMaskIdNumber:
    @pytest.mark.parametrize(
        ("id_number", "expected"),
        [
            ("430105199001011234", "4301**********1234"),
            ("43010519900101123X", "4301**********123X"),
            ("43010519900101123x", "4301**********123X"),
            (" 4301 0519 9001 0112 34 ", "4301**********1234"),
            ("430105900101123", "4301*******1123"),  # 15-character ID of the 1990s
            ("12345678", "********"),
            ("123", "***"),
            ("", ""),
        ],
    )
    def test_keeps_first_four_and_last_four(self, id_number, expected):
        assert mask_id_number(id_number) == expected


class TestMaskEmail:
    @pytest.mark.parametrize(
        ("email", "expected"),
        [
            ("zhangsan@example.com", "z***@example.com"),
            (" ZhangSan@Example.cn ", "Z***@Example.cn"),
            ("a@example.com", "***@example.com"),  # a one-letter local part is hidden
            ("@example.com", "***@example.com"),
            ("odd@name@example.com", "o***@example.com"),
            ("not-an-email", "n***"),
            ("", ""),
        ],
    )
    def test_keeps_first_letter_and_domain(self, email, expected):
        assert mask_email(email) == expected


class TestMaskAddress:
    @pytest.mark.parametrize(
        ("address", "expected"),
        [
            ("湖南省长沙市岳麓区麓山南路932号", "湖南省长沙市****"),
            ("长沙市岳麓区麓山南路932号3栋201", "长沙市岳麓区****"),
            ("岳麓区某小区", "岳麓区****"),  # at most half is shown
            ("某村", "某****"),
            ("村", "****"),
            ("  ", ""),
            ("", ""),
        ],
    )
    def test_keeps_at_most_six_characters_and_half(self, address, expected):
        assert mask_address(address) == expected


class TestMaskComplainantFields:
    def test_masks_personal_fields_and_keeps_the_rest(self):
        # given a complainant's fields and others
        values = {
            "name": "欧阳娜娜",
            "phone": "13812341234",
            "id_number": "43010519900101123X",
            "email": "nana@example.com",
            "address": "长沙市岳麓区麓山南路932号",
            "tracking_code": "MS2026-000123",
            "content": "路灯不亮，电话13812341234",
        }
        # when
        masked = mask_complainant_fields(values)
        # then
        assert masked == {
            "name": "欧阳**",
            "phone": "138****1234",
            "id_number": "4301**********123X",
            "email": "n***@example.com",
            "address": "长沙市岳麓区****",
            "tracking_code": "MS2026-000123",
            "content": "路灯不亮，电话13812341234",  # free text is not this function's job
        }
        # and the input is left untouched
        assert values["name"] == "欧阳娜娜"

    def test_empty_values_stay_empty(self):
        assert mask_complainant_fields({"name": "", "phone": "", "other": ""}) == {
            "name": "",
            "phone": "",
            "other": "",
        }

    def test_an_empty_dict(self):
        assert mask_complainant_fields({}) == {}
