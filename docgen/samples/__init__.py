"""Invented documents and the demo: nothing in the product's floors imports this package.

    data.py        invented pupils and form values
    files.py       forms written as fillable/flattened PDF and DOCX, in other layouts too
    evidence.py    medical letters, fit notes, planning records, attendance CSVs
    builder.py     `write_submission`: a whole referral submission in one folder
    attendance.py  attendance registers written as CSV/XLSX/DOCX/PDF for tests
    letters.py     `sample_context`: an invented context for every letter (templates check)
    demo.py        `docgen demo`
"""
