"""Masking of phones, ID numbers and names for printouts and exports."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridsvc_desktop.domain.masking import mask_id_number, mask_name, mask_phone

FAST = settings(max_examples=200, deadline=None, database=None)


def digits(min_size: int, max_size: int | None = None) -> st.SearchStrategy[str]:
    """ASCII digit strings (from_regex's \\d would also yield other scripts' digits)."""
    return st.text("0123456789", min_size=min_size, max_size=max_size or min_size)


def visible(text: str) -> int:
    return sum(ch != "*" for ch in text)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        ("13812345678", "138****5678"),
        ("0838-1234567", "0838-***4567"),
        ("0838-12345678", "0838-****5678"),
        ("010-12345678", "010-****5678"),
        ("0838-1234567-123", "0838-***4567-123"),
        ("2345678", "***5678"),
        ("87654321", "****4321"),
        ("123456", "****56"),
        ("12", "12"),
        ("1", "1"),
        ("+8613812345678", "**********5678"),
        ("  13812345678 ", "138****5678"),
        ("138****5678", "138****5678"),
        ("0838-***4567", "0838-***4567"),
    ],
)
def test_mask_phone(raw: str, expected: str) -> None:
    assert mask_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        ("110101199003071234", "110101********1234"),
        ("11010119900307123X", "110101********123X"),
        ("110101900307123", "110101******123"),
        ("110101********1234", "110101********1234"),
        ("12345", "***45"),
        ("1234567890", "******7890"),
    ],
)
def test_mask_id_number(raw: str, expected: str) -> None:
    assert mask_id_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        ("张", "张"),
        ("张三", "张*"),
        ("张小明", "张*明"),
        ("欧阳娜娜", "欧**娜"),
        ("买买提·艾力", "买****力"),
        (" 李四 ", "李*"),
        ("张*", "张*"),
        ("张*明", "张*明"),
    ],
)
def test_mask_name(raw: str, expected: str) -> None:
    assert mask_name(raw) == expected


@FAST
@given(st.builds(lambda a, b: "1" + a + b, st.sampled_from("3456789"), digits(9)))
def test_mobile_reveals_prefix_and_last_four_only(mobile: str) -> None:
    masked = mask_phone(mobile)
    assert masked == mobile[:3] + "****" + mobile[-4:]
    assert visible(masked) == 7
    assert mask_phone(masked) == masked


@FAST
@given(
    st.one_of(
        st.just("010"),
        digits(1).map("02".__add__),
        st.builds(lambda a, b: "0" + a + b, st.sampled_from("3456789"), digits(2)),
    ),
    digits(7, 8),
)
def test_landline_reveals_area_and_last_four_only(area: str, number: str) -> None:
    p = f"{area}-{number}"
    masked = mask_phone(p)
    assert masked.startswith(area + "-")
    assert masked.endswith(number[-4:])
    assert visible(masked) == len(area) + 1 + 4
    assert len(masked) == len(p)
    assert mask_phone(masked) == masked


@FAST
@given(st.text(max_size=25))
def test_mask_phone_keeps_length_and_is_idempotent(text: str) -> None:
    masked = mask_phone(text)
    assert len(masked) == len(text.strip())
    assert mask_phone(masked) == masked
    # never more than area code + 4 + extension, never more than 4 of a bare number
    assert visible(masked) <= max(2, min(len(masked), 4 + 5 + 7))


@FAST
@given(st.text(alphabet="0123456789-+ ", min_size=7, max_size=20))
def test_unrecognised_phones_show_at_most_four(text: str) -> None:
    masked = mask_phone(text)
    stripped = text.strip()
    if "-" not in stripped[:5] and not (len(stripped) == 11 and stripped.startswith("1")):
        assert visible(masked) <= 4 or len(stripped) < 7


@FAST
@given(st.builds(str.__add__, digits(17), st.sampled_from("0123456789X")))
def test_id18_reveals_ten(id_number: str) -> None:
    masked = mask_id_number(id_number)
    assert masked[:6] == id_number[:6] and masked[-4:] == id_number[-4:]
    assert masked[6:14] == "*" * 8
    assert mask_id_number(masked) == masked


@FAST
@given(digits(15))
def test_id15_reveals_nine(id_number: str) -> None:
    masked = mask_id_number(id_number)
    assert masked == id_number[:6] + "*" * 6 + id_number[-3:]
    assert mask_id_number(masked) == masked


@FAST
@given(st.text(max_size=25))
def test_mask_id_number_keeps_length_and_is_idempotent(text: str) -> None:
    masked = mask_id_number(text)
    assert len(masked) == len(text.strip())
    assert mask_id_number(masked) == masked
    assert visible(masked) <= 10


@FAST
@given(st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), max_size=8))
def test_mask_name_properties(name: str) -> None:
    masked = mask_name(name)
    assert len(masked) == len(name)
    assert mask_name(masked) == masked
    if len(name) >= 2:
        assert masked[0] == name[0]
        assert visible(masked) == min(len(name) - 1, 2)
