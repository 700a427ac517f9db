"""Reading documents (SPEC §3, §9): everything between an untrusted file and an `Extraction`.

    sniff.py       a file's real type, by content, before any parser; SPEC §9 refusals
    bundle.py      emails, Outlook messages, zips and folders → members under generated names
    names.py       which inbox names to ignore; safe display names
    pdf.py         PDF AcroForm fields and text layout → Content
    docx.py        DOCX tables, paragraphs, content controls, legacy fields → Content
    text.py        Content (lines, segments, tables) → label/answer pairs
    labels.py      a form's labels matched tolerantly; raw answers converted by the schema
    classify.py    which kind of document a Content is
    letter.py      free-text medical letters and fit notes → jmp_health keys
    vocabulary.py  illness and SEND terms (shared with rules/evidence)
    extract.py     `extract(path)`: sniff → read → classify → fields → Extraction
"""
