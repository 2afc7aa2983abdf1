"""Klaviyo export: request bodies (bodies.py), the HTTP client with rate limits (client.py) and
the idempotent exporter with read-back (exporter.py). API revision 2026-07-15."""

REVISION = "2026-07-15"
