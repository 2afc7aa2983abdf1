"""Rendering an email as an inbox will show it: layouts, inlined HTML, a plain-text part and
the pre-send checks for one email and for a whole sequence. Pure Python; no Qt.

Start at `pipeline.Renderer` to render steps, `checks.check_email` to check any HTML email and
`sequence_checks.check_sequence` for the timing and content rules of a whole flow.
"""
