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
    pages.py       page images of scans and photos (pdfium renders, capped decodes)
    image.py       looking at a page image: ink, letter height, light, ruling, tick boxes
    tesseract.py   Tesseract called directly: words, boxes, confidences, orientation
    ocr.py         OCR of page images: the cheapest good reading, turned/threshold alternatives
    scanned.py     a scan → Content (the same lines the PDF reader gives) + its words
    confidence.py  each OCR-read field's confidence and box; what the desk boxes
"""
