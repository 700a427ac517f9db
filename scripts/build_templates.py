"""Write the letter templates of `docgen/data/letters/` (run: python scripts/build_templates.py).

The templates are ordinary Word documents — paragraphs, tables, a letterhead header and a
page-numbered footer — holding docxtpl/Jinja tags, so staff can edit them in Word. They
are committed; this script is how they were made and how to remake them after a change.
The wording follows the Medical Needs Service policy (§2.1, §6, §11.1, §11.3–11.8).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, cast

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from docgen.config import PACKAGE_DATA
from docgen.letters.chart import HEIGHT, WIDTH, placeholder_png
from docgen.letters.context import DocumentName

LETTERS_DIR = PACKAGE_DATA / "letters"
_BLUE = RGBColor(0x1F, 0x3A, 0x5F)


class Builder:
    """A Word document with the service's letterhead and helpers for tagged paragraphs and tables."""

    def __init__(self, *, landscape: bool = False) -> None:
        self.doc: DocumentObject = Document()
        normal = self.doc.styles["Normal"]
        normal.font.name = "Arial"
        normal.font.size = Pt(11)
        normal.paragraph_format.space_after = Pt(6)
        for name, size in (("Heading 1", 14), ("Heading 2", 12), ("Title", 18)):
            style = self.doc.styles[name]
            style.font.name = "Arial"
            style.font.size = Pt(size)
            style.font.color.rgb = _BLUE
        section = self.doc.sections[0]
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width
        section.page_width, section.page_height = (
            (Cm(29.7), Cm(21.0)) if landscape else (Cm(21.0), Cm(29.7)))
        for side in ("left_margin", "right_margin"):
            setattr(section, side, Cm(2.2))
        section.top_margin = Cm(1.8)
        self._letterhead()
        self._footer()

    def _letterhead(self) -> None:
        header = self.doc.sections[0].header
        first = header.paragraphs[0]
        run = first.add_run("{{ service.name }}")
        run.bold = True
        run.font.size = Pt(13)
        run.font.color.rgb = _BLUE
        small = [
            "{{ service.address }}",
            "Telephone {{ service.phone }}   Email {{ service.email }}",
        ]
        for line in small:
            p = header.add_paragraph()
            p.add_run(line).font.size = Pt(9)
            p.paragraph_format.space_after = Pt(0)
        ref = header.add_paragraph()
        ref.paragraph_format.space_before = Pt(6)
        ref.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        r = ref.add_run("Our reference: {{ case_ref }}    Date: {{ date }}")
        r.font.size = Pt(9)
        r.bold = True

    def _footer(self) -> None:
        footer = self.doc.sections[0].footer
        p = footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run("OFFICIAL-SENSITIVE: personal information. {{ case_ref }}   Page ")
        run.font.size = Pt(8)
        _field(p, "PAGE")
        p.add_run(" of ").font.size = Pt(8)
        _field(p, "NUMPAGES")

    # --- content helpers --------------------------------------------------------------

    def title(self, words: str) -> None:
        self.doc.add_paragraph(words, style="Title")

    def heading(self, words: str, level: int = 1) -> None:
        self.doc.add_paragraph(words, style=f"Heading {level}")

    def para(self, *runs: str | tuple[str, str], style: str | None = None) -> Paragraph:
        """A paragraph of runs; a run given as ("b", text) is bold, ("i", text) italic."""
        p = self.doc.add_paragraph(style=style)
        for item in runs:
            if isinstance(item, tuple):
                kind, words = item
                run = p.add_run(words)
                run.bold = kind == "b"
                run.italic = kind == "i"
            else:
                p.add_run(item)
        return p

    def bullets(self, items: Iterable[str]) -> None:
        for item in items:
            self.doc.add_paragraph(item, style="List Bullet")

    def tag(self, words: str) -> None:
        """A paragraph holding only a `{%p … %}` tag (docxtpl removes the paragraph)."""
        self.doc.add_paragraph(words)

    def table(self, headings: list[str], cells: list[str], *, loop: str | None = None,
              widths: list[float] | None = None) -> Table:
        """A grid table: a heading row, then one row of `cells` (repeated by `{%tr for %}` if `loop`)."""
        rows = 2 + (2 if loop else 0)
        table = self.doc.add_table(rows=rows, cols=len(headings))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, words in zip(table.rows[0].cells, headings, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(words).bold = True
            _shade(cell._tc, "DCE6F0")
        _repeat_header(table.rows[0])
        body = 1
        if loop:
            table.rows[1].cells[0].text = f"{{%tr for {loop} %}}"
            table.rows[3].cells[0].text = "{%tr endfor %}"
            body = 2
        for cell, words in zip(table.rows[body].cells, cells, strict=True):
            cell.text = words
        for row in table.rows:
            _cant_split(row)
        if widths:
            _widths(table, widths)
        self.doc.add_paragraph()
        return cast(Table, table)

    def pairs(self, rows: list[tuple[str, str]], *, widths: tuple[float, float] = (6.0, 10.6)) -> Table:
        """A two-column label → value table (how forms are laid out)."""
        table = self.doc.add_table(rows=len(rows), cols=2)
        table.style = "Table Grid"
        for row, (label, value) in zip(table.rows, rows, strict=True):
            _cant_split(row)
            row.cells[0].text = ""
            row.cells[0].paragraphs[0].add_run(label).bold = True
            _shade(row.cells[0]._tc, "F2F2F2")
            row.cells[1].text = value
        _widths(table, list(widths))
        self.doc.add_paragraph()
        return cast(Table, table)

    def recipient(self, tag: str = "{{ recipient }}") -> None:
        self.para(tag)
        self.para("")

    def signature(self, *after: tuple[str, str]) -> None:
        """Yours sincerely … the signatory, then `after` lines ("Copy to: ", tag): all kept on one page
        with the paragraph before them, so no page holds only a signature or a "Copy to:" line."""
        self.doc.paragraphs[-1].paragraph_format.keep_with_next = True
        block = [self.para("Yours sincerely,"), self.para(""), self.para(""),
                 self.para(("b", "{{ signatory.name }}"))]
        block[-1].paragraph_format.space_after = Pt(0)
        for line in ("{{ signatory.title }}", "{{ service.name }}",
                     "Email {{ signatory.email }}   Telephone {{ signatory.phone }}"):
            block.append(self.para(line))
            block[-1].paragraph_format.space_after = Pt(0)
        for number, (label, value) in enumerate(after):
            block.append(self.para(("b", label), value))
            if number == 0:
                block[-1].paragraph_format.space_before = Pt(12)
        for paragraph in block[:-1]:
            paragraph.paragraph_format.keep_with_next = True

    def picture(self, name: str, width_cm: float) -> None:
        """A picture whose alt text `image:NAME` lets rendering swap in the PNG of context NAME."""
        self.doc.add_picture(io.BytesIO(placeholder_png()), width=Cm(width_cm),
                             height=Cm(width_cm * HEIGHT / WIDTH))
        doc_pr = self.doc.inline_shapes[-1]._inline.docPr
        doc_pr.set("descr", f"image:{name}")
        doc_pr.set("name", name)

    def save(self, path: Path) -> None:
        self.doc.core_properties.author = "Medical Needs Service"
        self.doc.core_properties.title = path.stem.replace("-", " ").capitalize()
        self.doc.save(str(path))


def _add_row(table: Table) -> Any:
    """Add a row (python-docx's add_row is untyped) tall enough to write in; returns it."""
    add: Any = table.add_row
    row = add()
    row.height = Cm(0.9)
    _cant_split(row)
    return row


def _widths(table: Table, widths: list[float]) -> None:
    """Fix column widths in the grid (LibreOffice reads it) and in each cell (Word reads those)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def _field(paragraph: Paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    run.font.size = Pt(8)
    for kind, value in (("begin", None), ("instr", instruction), ("separate", None), ("text", "1"),
                        ("end", None)):
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {value} "
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = value
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)


def _shade(tc: object, colour: str) -> None:
    tc_pr = tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour)
    tc_pr.append(shd)


def _cant_split(row: object) -> None:
    """Keep a table row on one page (a week's dates and its notes are read together)."""
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.append(OxmlElement("w:cantSplit"))


def _repeat_header(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    el = OxmlElement("w:tblHeader")
    tr_pr.append(el)


def _about_pupil(b: Builder) -> None:
    b.pairs([
        ("Young person", "{{ pupil.name }}"),
        ("Date of birth", "{{ pupil.dob }}"),
        ("Year group", "{{ pupil.year_group }}"),
        ("School", "{{ school.entry }}"),
        ("Our reference", "{{ case_ref }}"),
    ])


# --- the documents -------------------------------------------------------------------------


def acceptance_letter() -> Builder:
    b = Builder()
    b.recipient()
    b.para("{{ salutation }},")
    b.heading("Medical Needs Service referral accepted")
    _about_pupil(b)
    b.para("Thank you for your referral of {{ pupil.name }} to the Medical Needs Service. I am pleased to "
           "confirm that the referral has been accepted (policy section 11.3). Please quote our reference "
           "{{ case_ref }} whenever you contact us about {{ pupil.preferred_name }}.")
    b.heading("Next step: the initial planning meeting", 2)
    b.para("An initial planning meeting now needs to take place before the provision begins. It is the "
           "school's responsibility to liaise with the family and with the Medical Needs Service to find a "
           "suitable time and date (section 11.3). The meeting may be held in the family home, online or at "
           "the school.")
    b.para("The meeting will agree the structure of the provision for an initial period of 12 school weeks, "
           "or for the period {{ pupil.preferred_name }} is absent from school if that is shorter "
           "(section 11.4). Please invite:")
    b.bullets([
        "{{ pupil.preferred_name }}",
        "the parent/carer ({{ parent.name }})",
        "a representative of the home school",
        "a representative of the commissioned provider",
        "the Medical Needs Coordinator (where possible)",
        "the health professional who provided the medical advice{{ professional }}, if appropriate",
        "the EHCP Coordinator, social worker or another relevant professional, as appropriate. If the "
        "young person has an EHCP, please bring a copy of the latest review to the meeting.",
    ])
    b.heading("What the package may include", 2)
    b.para("The package is agreed at the meeting to meet {{ pupil.preferred_name }}'s needs; its balance is "
           "not fixed in advance. It may be a blended package of (section 11.4):")
    b.bullets([
        "continued links with the home school",
        "education provided by the school, such as a part-time timetable, online lessons, subject "
        "eLearning, or visits at break or lunchtime",
        "home learning support from a visiting home-learning support assistant (HLSA), who helps the young "
        "person complete work set by the school",
        "online learning, through the school or a commissioned service led by trained teachers",
        "off-site working, where available and appropriate",
        "alternative provision commissioned by the school",
        "a clear plan for reintegration into school.",
    ])
    b.para("Where HLSA support is agreed, the parent/carer is responsible for making sure that "
           "{{ pupil.preferred_name }} is ready to learn at the agreed times.")
    b.heading("The Initial Planning and Review Record", 2)
    b.para("The agreed package, and who is responsible for each action, should be recorded on the Initial "
           "Planning and Review Record. A copy with Part A prefilled from the referral is enclosed; the form "
           "is also available at {{ service.website }}. Once it is finalised, please copy it to the "
           "parent/carer, to {{ service.email }}, to the health professional who attended (if relevant) and "
           "to any other professional involved.")
    b.heading("What the school continues to do", 2)
    b.para("As the school confirmed on the referral, it will continue to set work and carry out welfare "
           "checks until the provision begins (section 11.1). During the provision the school remains "
           "responsible for setting and marking the work completed off-site or with an HLSA, for keeping in "
           "touch with {{ pupil.preferred_name }}, and for welfare checks (section 11.5). Safeguarding "
           "responsibilities stay with the school's Designated Safeguarding Lead, {{ dsl.name }}.")
    b.heading("Timeline", 2)
    b.tag("{%p if has_timeline %}")
    b.para("The enclosed timeline shows each school week of the provision and what is due when. In summary:")
    b.tag("{%p if timeline.provisional %}")
    b.para("{{ timeline.provisional_note }}")
    b.tag("{%p endif %}")
    b.table(["What", "When"], ["{{ m.what }}", "{{ m.date }}"], loop="m in timeline.milestones",
            widths=[9.0, 7.6])
    b.tag("{%p else %}")
    b.para("A timeline showing the 12 school weeks of the provision, and what is due when, will be sent once "
           "the start date has been agreed at the planning meeting.")
    b.tag("{%p endif %}")
    b.para("{{ timeline.review_text }}")
    b.tag("{%p if timeline.continuation_possible or not has_timeline %}")
    b.para("If it becomes clear that {{ pupil.preferred_name }} will not be able to return to school after the "
           "12 weeks, please send a Continuation request before the period ends, with updated medical "
           "evidence, the attendance herringbone, an updated Individual Healthcare Plan (if appropriate) and "
           "the updated Initial Planning and Review Record (section 11.7). If the school does not send one in "
           "time, provision may cease (section 11.8).")
    b.tag("{%p else %}")
    b.para("{{ timeline.continuation_text }}")
    b.tag("{%p endif %}")
    b.heading("Contact", 2)
    b.para("If you have any questions, or if anything changes, please contact me on {{ signatory.phone }} or "
           "at {{ signatory.email }}.")
    b.signature(("Copy to: ", "{{ copy_to }}"), ("Enclosed: ", "{{ enclosed }}"))
    return b


def timeline() -> Builder:
    b = Builder()
    b.title("Medical Needs Service timeline")
    _about_pupil(b)
    b.para("Provision runs from ", ("b", "{{ timeline.start }}"), " to ", ("b", "{{ timeline.end }}"),
           " ({{ timeline.weeks }} school weeks). {{ timeline.end_sentence }}")
    b.tag("{%p if timeline.provisional %}")
    b.para(("b", "{{ timeline.provisional_note }}"))
    b.tag("{%p endif %}")
    b.tag("{%p if timeline.start_note %}")
    b.para("{{ timeline.start_note }}")
    b.tag("{%p endif %}")
    b.heading("Milestones", 2)
    b.table(["What", "When"], ["{{ m.what }}", "{{ m.date }}"], loop="m in timeline.milestones",
            widths=[9.0, 7.6])
    b.heading("School weeks", 2)
    b.para("Only school weeks are counted; holidays are shown between the weeks and are not part of the "
           "provision.")
    b.table(["Week", "Dates", "Notes"], ["{{ r.week }}", "{{ r.dates }}", "{{ r.note }}"],
            loop="r in rows", widths=[1.6, 6.6, 8.4])
    b.picture("timeline_chart", 16.5)
    b.para(("i", "{{ timeline.review_text }} {{ timeline.continuation_text }}"))
    return b


def planning_record() -> Builder:
    b = Builder()
    b.title("Initial Planning and Review Record")
    b.para("Medical Needs Service. Part A is completed at the initial planning meeting, before provision "
           "begins (policy section 11.4). Part B is completed at the review meeting halfway through the "
           "provision (section 11.6). Please email the completed record to {{ service.email }}.")
    b.heading("Part A: Initial planning")
    b.heading("The young person and the people involved", 2)
    b.pairs([
        ("Young person", "{{ pupil.name }}"),
        ("Date of birth", "{{ pupil.dob }}"),
        ("Year group", "{{ pupil.year_group }}"),
        ("Unique Pupil Number (UPN)", "{{ pupil.upn }}"),
        ("Home address", "{{ pupil.address }}"),
        ("Parent/carer", "{{ parent.described }}"),
        ("Parent/carer telephone", "{{ parent.phone }}"),
        ("Parent/carer email", "{{ parent.email }}"),
        ("School", "{{ school.entry }}"),
        ("School contact", "{{ referrer.name }}, {{ referrer.role }} ({{ referrer.email }})"),
        ("Designated Safeguarding Lead (DSL)", "{{ dsl.name }} ({{ dsl.email }})"),
        ("SENCO", "{{ senco }}"),
        ("EHCP Coordinator", "{{ ehcp_coordinator }}"),
        ("Social worker", "{{ social_worker }}"),
        ("Health professionals involved (from the referral)", "{{ health_professionals }}"),
        ("Medical Needs reference", "{{ case_ref }}"),
        ("Date of planning meeting", "{{ meeting_date }}"),
        ("Provision period", "{{ provision_period }}"),
    ])
    b.heading("Attendees (section 11.4)", 2)
    b.table(["Attendee", "Name", "Attended (yes/no)"], ["{{ a.who }}", "{{ a.name }}", ""],
            loop="a in attendees", widths=[6.5, 7.0, 3.1])
    b.heading("The package of education (sections 11.4 and 11.5)", 2)
    b.para("Agree the package that best meets the young person's needs; the balance is not fixed. Record "
           "for each part who provides it, when and how often.")
    b.table(["Part of the package", "Agreed arrangements (who, when, how often)"], ["", ""],
            widths=[6.5, 10.1])
    package = b.doc.tables[-1]
    headings = [
        "Continued links with the home school",
        "Education provided by the school (part-time timetable, online lessons, eLearning, visits)",
        "Home learning support assistant (HLSA)",
        "Online learning",
        "Off-site working",
        "Alternative provision commissioned by the school",
        "Work set and marked by the school; how it reaches the young person (section 11.5)",
        "Contact with the school and welfare checks (section 11.5)",
        "Plan for reintegration",
    ]
    package.rows[1].cells[0].text = headings[0]
    for heading in headings[1:]:
        row = _add_row(package)
        row.cells[0].text = heading
    b.para("Where HLSA support is agreed, the parent/carer is responsible for making sure the young person "
           "is ready to learn at the agreed times. Concerns about safeguarding go to the school's DSL named "
           "above.")
    b.heading("Learning needs and expectations", 2)
    b.pairs([("Learning needs", ""), ("Expectations agreed", "")])
    b.heading("Actions", 2)
    actions = b.table(["Who", "What", "By when"], ["", "", ""], widths=[4.5, 8.6, 3.5])
    for _ in range(5):
        _add_row(actions)
    b.heading("Part B: Review and reintegration action plan (section 11.6)")
    b.pairs([
        ("Review meeting due", "{{ review_due }}"),
        ("Review plan (Part B) to be emailed to the service by", "{{ review_plan_due }}"),
        ("Date of review meeting", ""),
    ])
    b.heading("1. Review and proposed amendments to the provision", 2)
    b.pairs([("Progress since the planning meeting", ""), ("Amendments agreed", "")])
    b.heading("2. Planned reintegration into school", 2)
    b.para("Suggestions only; the school should be flexible in its approach:")
    steps = b.table(["Step", "Agreed (yes/no) and details"],
                    ["a. Attending part-time at first, including social events and trips as appropriate", ""],
                    widths=[8.0, 8.6])
    for step in ("b. Coming into school for break or lunchtimes",
                 "c. Visiting school after other pupils have left the building",
                 "d. Being met on arrival by a key worker or preferred member of staff",
                 "Other steps"):
        _add_row(steps).cells[0].text = step
    b.heading("Review attendees", 2)
    review = b.table(["Attendee", "Name", "Attended (yes/no)"], ["The young person (if possible)", "", ""],
                     widths=[6.5, 7.0, 3.1])
    for who in ("Parent/carer", "Home school representative", "Health professional (if appropriate)",
                "Other"):
        _add_row(review).cells[0].text = who
    b.heading("Review actions", 2)
    actions = b.table(["Who", "What", "By when"], ["", "", ""], widths=[4.5, 8.6, 3.5])
    for _ in range(4):
        _add_row(actions)
    b.para(("i", "{{ continuation_text }}"))
    return b


def request_for_information() -> Builder:
    b = Builder()
    b.recipient()
    b.para("{{ salutation }},")
    b.heading("Medical Needs Service referral: information needed")
    _about_pupil(b)
    b.tag("{%p if previous %}")
    b.para("{{ previous }}")
    b.para("We still cannot process the referral of {{ pupil.name }}, because incomplete referrals will not be "
           "processed (policy section 11.2.1). We still need {{ count_text }}:")
    b.tag("{%p else %}")
    b.para("Thank you for your referral of {{ pupil.name }}. We cannot process it yet, because the policy "
           "says that incomplete referrals will not be processed (section 11.2.1). We need {{ count_text }}:")
    b.tag("{%p endif %}")
    b.table(["What is needed", "Why (policy)", "What to send"],
            ["{{ i.what }}", "{{ i.why }} See {{ i.section }} of the policy.", "{{ i.send }}"],
            loop="i in items", widths=[5.5, 6.0, 5.1])
    b.heading("How to send it", 2)
    b.para("Please email the missing items to {{ service.email }}, quoting our reference {{ case_ref }} in "
           "the subject line. There is no need to resend the documents we already have: when the missing "
           "items arrive, the referral will be checked again straight away.")
    b.para("Until the provision begins, the school remains responsible for setting work and carrying out "
           "welfare checks (section 11.1). If you have any questions about completing the forms, please "
           "contact me on {{ signatory.phone }} or at {{ signatory.email }}.")
    b.signature()
    return b


def not_accepted_letter() -> Builder:
    b = Builder()
    b.recipient()
    b.para("{{ salutation }},")
    b.heading("Medical Needs Service referral not accepted")
    _about_pupil(b)
    b.para("Thank you for your referral of {{ pupil.name }}. I am sorry to tell you that we are not able to "
           "accept it, for {{ reasons_text }}.")
    b.tag("{%p for r in reasons %}")
    b.para(("b", "{{ r.heading }}"), "{{ r.reason }}")
    b.para(("b", "Where to go instead: "), "{{ r.instead }}")
    b.tag("{%p endfor %}")
    b.para("If circumstances change, or you have information that was not included with the referral, "
           "please contact me to discuss it; a new referral can be made at any time. Parents/carers are also "
           "welcome to contact me directly about their child's circumstances (section 2.1).")
    b.para("You can reach me on {{ signatory.phone }} or at {{ signatory.email }}.")
    b.signature(("Copy to: ", "{{ copy_to }}"))
    return b


def continuation_agreed_letter() -> Builder:
    b = Builder()
    b.recipient()
    b.para("{{ salutation }},")
    b.heading("Medical Needs Service: continuation agreed")
    _about_pupil(b)
    b.para("Thank you for the Continuation request for {{ pupil.name }} and the updated evidence that came "
           "with it. I can confirm that the provision will continue for a further period (policy section "
           "11.7), and the timeline starts again.")
    b.para("The new period runs from ", ("b", "{{ timeline.start }}"), " to ", ("b", "{{ timeline.end }}"),
           " ({{ timeline.weeks }} school weeks). {{ timeline.end_sentence }}")
    b.table(["What", "When"], ["{{ m.what }}", "{{ m.date }}"], loop="m in timeline.milestones",
            widths=[9.0, 7.6])
    b.para("The new timeline is enclosed. {{ timeline.review_text }}")
    b.tag("{%p if timeline.continuation_possible %}")
    b.para("If a further continuation is needed, please send a new Continuation request by "
           "{{ timeline.continuation_due }}, with updated medical evidence, the attendance herringbone, an "
           "updated Individual Healthcare Plan (if appropriate) and the updated Initial Planning and Review "
           "Record (section 11.7); without a request, provision may cease (section 11.8).")
    b.tag("{%p else %}")
    b.para("{{ timeline.continuation_text }}")
    b.tag("{%p endif %}")
    b.para("The school remains responsible for setting and marking work, keeping in touch with "
           "{{ pupil.preferred_name }} and carrying out welfare checks (section 11.5). If you have any "
           "questions, please contact me on {{ signatory.phone }} or at {{ signatory.email }}.")
    b.signature(("Copy to: ", "{{ copy_to }}"), ("Enclosed: ", "Timeline"))
    return b


def end_of_provision_letter() -> Builder:
    b = Builder()
    b.recipient()
    b.para("{{ salutation }},")
    b.heading("End of Medical Needs Service provision")
    _about_pupil(b)
    b.para("I am writing to let you know that the Medical Needs Service provision for {{ pupil.name }} "
           "{{ end_verb }} ", ("b", "{{ end_date }}"), ".")
    b.para(("b", "Reason: "), "the provision {{ reason_verb }} because {{ reason }} (policy section 11.8).")
    b.para("Norfolk County Council retains the statutory duty for this provision. The council made this "
           "decision after liaison with the school, the family and the health professionals involved. This "
           "letter is the formal End of Provision notice; only the council issues it.")
    b.para("{{ next_steps }}")
    b.heading("Please tell us how it went", 2)
    b.para("We would be grateful if the school and the parent/carer, with {{ pupil.preferred_name }}'s views, "
           "would complete the Medical Needs Provision Evaluation at {{ evaluation_link }}. Evaluations help us "
           "to review and improve the service.")
    b.para("If you have any questions, please contact me on {{ signatory.phone }} or at {{ signatory.email }}.")
    b.signature(("Copy to: ", "{{ copy_to }}"))
    return b


def check_report() -> Builder:
    b = Builder(landscape=True)
    b.title("Check report")
    b.para("For the Medical Needs Coordinator. Result of checking the documents received against the "
           "Medical Needs Service policy.")
    b.pairs([
        ("Young person", "{{ pupil.name }} (date of birth {{ pupil.dob }})"),
        ("School", "{{ school.entry }}"),
        ("Reference", "{{ case_ref }}"),
        ("Outcome", "{{ outcome }}"),
        ("Number of findings", "{{ finding_count }}"),
    ], widths=(6.0, 19.0))
    b.tag("{%p for n in notes %}")
    b.para(("b", "Action needed: "), "{{ n }}")
    b.tag("{%p endfor %}")
    b.heading("Findings", 2)
    b.table(["Rule", "Severity", "Policy", "Message"],
            ["{{ f.rule }}", "{{ f.severity }}", "{{ f.section }}", "{{ f.message }}"],
            loop="f in findings", widths=[4.5, 2.5, 2.0, 16.3])
    b.heading("Documents", 2)
    b.table(["File", "Kind"], ["{{ d.file }}", "{{ d.kind }}"], loop="d in documents", widths=[18.0, 7.3])
    b.heading("Fields read from each document", 2)
    b.table(["Document", "Field", "Value"], ["{{ x.document }}", "{{ x.field }}", "{{ x.value }}"],
            loop="x in fields", widths=[7.0, 8.0, 10.3])
    return b


BUILDERS: dict[DocumentName, Callable[[], Builder]] = {
    DocumentName.ACCEPTANCE_LETTER: acceptance_letter,
    DocumentName.TIMELINE: timeline,
    DocumentName.PLANNING_RECORD: planning_record,
    DocumentName.REQUEST_FOR_INFORMATION: request_for_information,
    DocumentName.NOT_ACCEPTED_LETTER: not_accepted_letter,
    DocumentName.CONTINUATION_AGREED_LETTER: continuation_agreed_letter,
    DocumentName.END_OF_PROVISION_LETTER: end_of_provision_letter,
    DocumentName.CHECK_REPORT: check_report,
}


def reminder() -> Builder:
    """Mail-merge over the register (`docgen merge reminder --due-within DAYS`): what is due on each case.

    Only values every case row has (`docgen merge --cases/--due-within` columns): no lists, no tables.
    """
    b = Builder()
    b.para("{{ referrer_name }}")
    b.para("{{ school.name }}")
    b.para("")
    b.para("Dear {{ referrer_name }},")
    b.heading("Medical Needs Service: a reminder about {{ pupil.name }}")
    b.para("This is a reminder that, for {{ pupil.name }} (our reference {{ case_ref }}), the next step is "
           "{{ due.what }}{{ due.when }}.")
    b.para("If this has already been done, thank you, and please disregard this letter. If anything has "
           "changed, or you have any questions, please contact me on {{ signatory.phone }} or at "
           "{{ signatory.email }}, quoting our reference.")
    b.signature()
    return b


MERGE_BUILDERS: dict[str, Callable[[], Builder]] = {"reminder": reminder}


def build_all(folder: Path = LETTERS_DIR) -> list[Path]:
    """Write every template into `folder` (and the mail-merge ones into `folder/merge`); return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in BUILDERS.items():
        path = folder / f"{name.value}.docx"
        build().save(path)
        written.append(path)
    (folder / "merge").mkdir(exist_ok=True)
    for merge_name, build in MERGE_BUILDERS.items():
        path = folder / "merge" / f"{merge_name}.docx"
        build().save(path)
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover - a maintenance script
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else LETTERS_DIR
    for written_path in build_all(target):
        sys.stdout.write(f"{written_path}\n")
