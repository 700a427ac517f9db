"""OCR slips undone by the question's type: digits in dates, numbers and phones, a UPN's middle, typed ticks."""

from __future__ import annotations

from docgen.forms import FORMS
from docgen.read.labels import RawField, convert
from docgen.read.ocrtext import digits_in, fixed_upn, untangled


def test_digits_in_numbers_only() -> None:
    assert digits_in("2l/O8/2O16") == "21/08/2016"
    assert digits_in("O77OO 974l98") == "07700 974198"
    assert digits_in("1st April 2O12") == "1st April 2012"
    assert digits_in("3 Oct 2012") == "3 Oct 2012"


def test_upn_middle_is_digits_and_never_ends_in_i_o_s() -> None:
    assert fixed_upn("E9262O3 72ll21") == "E926203721121"
    assert fixed_upn("E926203721l2l") == "E926203721121"
    assert fixed_upn("too short") == "too short"


def test_a_scanned_referrals_answers_convert_after_untangling() -> None:
    schema = FORMS["referral"]
    raws = [RawField(("Date of birth",), "22/O8/2Ol6", structured=False),
            RawField(("Parent/carer telephone",), "O77OO 974l98", structured=False),
            RawField(("Unique Pupil Number (UPN)",), "E9262O372ll21", structured=False),
            RawField(("Is the young person on the roll of a school?",), "[x] Yes [ ] No", structured=False),
            RawField(("Legal surname",), "Oakl", structured=False)]
    values, warnings, _seen = convert(untangled(raws, schema), schema)
    assert warnings == []
    assert values["pupil_dob"] == "2016-08-22" and values["parent_phone"] == "07700974198"
    assert values["pupil_upn"] == "E926203721121" and values["pupil_on_roll"] is True
    assert values["pupil_surname"] == "Oakl"  # text is never "corrected"
