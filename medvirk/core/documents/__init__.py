"""The document engine every module prints with: Typst, its fonts and the worker processes
it runs in (``typesetting``), PDF helpers (``pdf``) and QR codes (``qr``).

No Django here, so that a worker process forked to typeset never loads it. What a document
says and how it is laid out belong to its module (letters, reports, a council's papers).
"""
