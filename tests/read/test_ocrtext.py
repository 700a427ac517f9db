"""OCR slips undone by the question's type: digits in dates, numbers and phones, a UPN's middle, typed ticks."""

from __future__ import annotations

from docgen.forms import FORMS
from docgen.read.labels import RawField, convert
from docgen.read.ocrtext import digits_in, fixed_email, fixed_postcode, fixed_upn, untangled


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


def test_a_postcode_gets_letters_and_digits_where_a_postcode_has_them() -> None:
    assert fixed_postcode("NR23TAB") == "NR23 1AB"  # a serif 1 read as T
    assert fixed_postcode("NRZ3 1A8") == "NR23 1AB"
    assert fixed_postcode("PE30 2HQ") == "PE30 2HQ"
    assert fixed_postcode("NR1 3JU") == "NR1 3JU"
    assert fixed_postcode("N0RWICH") == "N0RWICH"  # not a postcode whatever is changed: left as read


def test_a_check_mark_printed_without_a_box_is_a_tick() -> None:
    schema = FORMS["referral"]
    raws = [RawField(("Meeting with parent/carer",), "Jo", structured=False),
            RawField(("Individual healthcare plan (if appropriate)",), "v", structured=False),
            RawField(("Legal surname",), "Jo", structured=False)]
    values, warnings, _seen = convert(untangled(raws, schema), schema)
    assert warnings == []
    assert values["chk_parent_meeting"] is True and values["chk_ihcp"] is True
    assert values["pupil_surname"] == "Jo"  # only a yes/no answer reads a lone mark as a tick


def test_a_text_answer_loses_box_glyphs_and_the_labels_wrapped_words() -> None:
    schema = FORMS["referral"]
    raws = [RawField(("Safeguarding Lead",), "☒ Rafe Stiffkey", structured=False),
            RawField(("First day of absence for",), "health 12 January 2026", structured=False),
            RawField(("Social worker",), "name and", structured=False),
            RawField(("Role of person making the referral",), "☒ ☐ GP", structured=False),
            RawField(("Legal surname",), "Health", structured=False)]
    values, _warnings, _seen = convert(untangled(raws, schema), schema)
    assert values["dsl_name"] == "Rafe Stiffkey" and values["first_absence_date"] == "2026-01-12"
    assert values["social_worker"] is None and values["referrer_role"] == "GP"
    assert values["pupil_surname"] == "Health"  # a whole label said: nothing continues it


def test_a_label_with_a_garbled_first_word_names_its_question_by_its_other_words() -> None:
    """"Designated" read as "weber": the rest ends one label only. A real label word in front, or an ending two
    labels share ("… of person making the referral"), names nothing."""
    from docgen.read.labels import matcher_for

    matcher = matcher_for(FORMS["referral"])
    found = matcher.match("weber Safeguarding Lead")
    assert found is not None and found.key == "dsl_name"
    assert matcher.match("Role Safeguarding Lead") is None
    assert matcher.match("xyz of person making the referral") is None


def test_specks_at_the_ends_of_an_answer_go_by_its_type() -> None:
    """Speckle and pieces of a ruled line read as punctuation before or after an answer (seen on independent
    faxes and JPEG scans: "‘NR191DF", ": ~” Oliver"); the answer's own punctuation stays."""
    from docgen.forms import FORMS
    from docgen.read.ocrtext import without_specks

    referral = FORMS["referral"]
    cases = {("pupil_postcode", "‘NR191DF"): "NR191DF", ("pupil_forename", ": ~” Oliver"): "Oliver",
             ("pupil_surname", "* ” O'Brien-Hale *"): "O'Brien-Hale",
             ("school_name", "“St. Mary's Academy ”"): "St. Mary's Academy",
             ("health_professionals", '" Dr Khan, paediatrician ©'): "Dr Khan, paediatrician",
             ("referrer_email", ":p.natarajan@stmarys.example.org"): "p.natarajan@stmarys.example.org",
             ("pupil_dob", '"12/03/2013 ”'): "12/03/2013", ("pupil_upn", "” A123456789012."): "A123456789012",
             ("pupil_year_group", "“Year 8"): "Year 8",
             # what is the writer's own stays
             ("referrer_name", "Dr"): "Dr", ("parent_name", "Ross'"): "Ross'", ("parent_name", "Tom Ash Jr."): "Tom Ash Jr.",
             ("school_name", "St. Mary's"): "St. Mary's", ("parent_phone", "+44 1953 604112"): "+44 1953 604112",
             ("parent_phone", "(01953) 604112"): "(01953) 604112", ("health_condition", "Asthma."): "Asthma.",
             ("health_condition", "'Long COVID' since March"): "'Long COVID' since March",
             ("pupil_on_roll", "☒ Yes ☐ No ”"): "☒ Yes ☐ No", ("pupil_forename", "—"): "—"}
    got = {case: without_specks(case[1], referral[case[0]]) for case in cases}
    assert got == cases
    raws = [RawField(("Postcode",), "‘NR191DF", structured=False),
            RawField(("Legal forename(s)",), ": ~” Oliver", structured=False)]
    values, warnings, _seen = convert(untangled(raws, referral), referral)
    assert (values["pupil_postcode"], values["pupil_forename"], warnings) == ("NR19 1DF", "Oliver", [])


def test_stray_marks_at_an_answers_ends_and_as_words_inside_it_go() -> None:
    """Marks an independent scanned set read into answers it then trusted: a speck after a surname ('Ferrier «'),
    a dash before an email ('-nat.brightwell@…'), a ruled line's piece between words ('ME/CFS _— service').
    A name's hyphen and apostrophe and a dash between words stay."""
    from docgen.forms import FORMS
    from docgen.read.ocrtext import without_specks

    referral = FORMS["referral"]
    cases = {("pupil_surname", "Ferrier «"): "Ferrier",
             ("parent_email", "-nat.brightwell@example.org"): "nat.brightwell@example.org",
             ("health_professionals", "the paediatric ME/CFS _— service"): "the paediatric ME/CFS service",
             ("parent_name", "Maria O'Brien-Hale"): "Maria O'Brien-Hale",
             ("health_condition", "Asthma - mild — worse at night"): "Asthma - mild — worse at night"}
    assert {case: without_specks(case[1], referral[case[0]]) for case in cases} == cases


def test_a_postcode_ending_an_address_is_read_as_a_postcode() -> None:
    """'Norwich NR1O 3DP' (a fax of a python-docx referral, trusted at 88): the address's postcode has a digit where
    OCR read the letter O; a postcode-like word that is no postcode, and an address without one, stay."""
    from docgen.forms import FORMS
    from docgen.read.ocrtext import as_typed

    address = FORMS["referral"]["pupil_address"]
    assert as_typed("Orchard Cottage, Horsford, Norwich NR1O 3DP", address) == "Orchard Cottage, Horsford, Norwich NR10 3DP"
    assert as_typed("Flat 3, The Old Maltings, Wymondham", address) == "Flat 3, The Old Maltings, Wymondham"
    assert as_typed("4 Quay Street Orford", address) == "4 Quay Street Orford"
    assert as_typed("12 Long Lane, Norwich NR2 2PA", address) == "12 Long Lane, Norwich NR2 2PA"


def test_an_email_gets_back_the_dot_and_plain_letters_ocr_took_from_its_domain() -> None:
    """A phone photo's emails (an independent scan set's S02): the domain's last dot read as a quote or a
    hyphen, an accent on the "e" before it. No domain ends in a hyphenated name, so that is the dot. Anything
    else, or an address already sound, stays as read."""
    assert fixed_email("a.price@wvhs.example‘org") == "a.price@wvhs.example.org"
    assert fixed_email("t.barker@wvhs.examplé-org") == "t.barker@wvhs.example.org"
    assert fixed_email("k.ward @ school.norfolk.sch. uk") == "k.ward@school.norfolk.sch.uk"
    for sound in ("o'brien@my-school.org.uk", "j.smith@nhs.net"):
        assert fixed_email(sound) == sound
    for beyond in ("steve.reeve@exampléimet", "no address here"):
        assert fixed_email(beyond) == beyond


def test_an_answer_read_as_one_word_takes_its_confidence_from_that_word() -> None:
    """The email 'a.price@wvhs.example‘org' read at 0: the word 'exam' elsewhere on the page (96) is inside it
    too, and was taken as the email's word, so the repaired address was trusted at 97."""
    from docgen.read.confidence import locate
    from docgen.read.ocr import OcrWord

    words = [OcrWord("exam", 96.8, 10, 10, 40, 20, page=0), OcrWord("Referrer", 96, 10, 40, 60, 50, page=0),
             OcrWord("email", 93, 65, 40, 90, 50, page=0), OcrWord("a.price@wvhs.example‘org", 0, 150, 40, 300, 50,
                                                                   page=0)]
    assert [w.conf for w in locate("a.price@wvhs.example‘org", words)] == [0]
    assert [w.text for w in locate("Referrer email", words)] == ["Referrer", "email"]


def test_a_date_keeps_its_slashes_and_loses_a_box_edge_beside_it() -> None:
    """A fax of a flattened PDF form (an independent set's T07): each answer sits in a dotted frame whose
    sides OCR reads beside it, and a "/" reads as ":" or ",". One "/" must be read as such, so a time stays
    a time; words beside a date are an answer's own and stay."""
    from docgen.read.ocrtext import as_typed

    dob = FORMS["referral"]["pupil_dob"]
    assert as_typed(".15:02/2011", dob) == "15/02/2011"
    assert as_typed("08,10/2026", dob) == "08/10/2026"
    assert as_typed("13/11/2026 i", dob) == "13/11/2026"
    assert as_typed("15/02;2011", dob) == "15/02/2011"
    assert as_typed("Gf 13/10/2026", dob) == "13/10/2026"  # "(if" of the note "(if JON contacted)" under it
    for kept in ("10:30", "15:02:2011", "Tuesday 13/11/2026", "13/11/2026 (approx)", "13/10/2026 ok"):
        assert as_typed(kept, dob) == kept


def test_a_notes_bracket_read_as_a_brace_still_names_the_question() -> None:
    from docgen.read.labels import matcher_for

    referral = FORMS["referral"]
    assert matcher_for(referral).match("Unique Pupil Number (UPN) * {if on roll)") is referral["pupil_upn"]
