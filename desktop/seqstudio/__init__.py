"""Sequence Studio: draft, revise, preview and export six-step email sequences."""

__version__ = "0.1.0"
