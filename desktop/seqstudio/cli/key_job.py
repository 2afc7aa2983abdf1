"""`seqstudio key set|delete|status`: the API key in the OS keyring.

`set` reads the key from standard input when it is piped, else from a hidden prompt; never from
the command line, where it would land in the shell history and the process list. Nothing here
prints the key.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from seqstudio.core.secrets import KeySource, SecretStore

EXIT_OK, EXIT_BAD_INPUT = 0, 2  # as in seqstudio.cli.main, which imports this module


def register(subparsers: Any) -> None:
    key = subparsers.add_parser(
        "key",
        help="store, remove or check the API key (OS keyring)",
        description="Keep the OpenAI (or compatible) API key in the OS keyring. Where no keyring "
        "exists, set OPENAI_API_KEY in the environment instead.",
    )
    actions = key.add_subparsers(title="actions", metavar="ACTION", dest="key_action", required=True)
    actions.add_parser("set", help="store a key read from stdin or a hidden prompt").set_defaults(handler=run)
    actions.add_parser("delete", help="remove the stored key").set_defaults(handler=run)
    actions.add_parser("status", help="say which key would be used, never printing it").set_defaults(
        handler=run
    )


def run(args: argparse.Namespace, store: SecretStore | None = None) -> int:
    store = store or SecretStore()
    if args.key_action == "set":
        key = _read_key()
        if not key:
            print("seqstudio: error: no key given; nothing was stored", file=sys.stderr)
            return EXIT_BAD_INPUT
        store.set_api_key(key)  # SecretStoreError (no keyring) is printed by main, exit 2
        print("Stored the API key in the system keyring.")
        return EXIT_OK
    if args.key_action == "delete":
        removed = store.delete_api_key()
        print("Removed the stored API key." if removed else "No stored API key to remove.")
        if store.status().source == KeySource.ENVIRONMENT:
            print("OPENAI_API_KEY is still set in the environment and will be used.")
        return EXIT_OK
    print(store.status().message)
    return EXIT_OK


def _read_key() -> str:
    if sys.stdin is not None and not sys.stdin.isatty():
        return sys.stdin.readline().strip()
    return getpass.getpass("API key (input hidden): ").strip()
