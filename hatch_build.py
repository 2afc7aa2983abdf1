"""Builds the tell detector's C kernels (desktop/seqstudio/core/tells/_tellscan*.c) into the wheel,
or beside the source for an editable install. Optional: without a C compiler the build goes on
and the detector runs its pure-Python twins (the same results, about half as fast)."""

from __future__ import annotations

import hashlib
import os
from contextlib import chdir
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

KERNELS_DIR = Path("desktop/seqstudio/core/tells")
MODULE = "seqstudio.core.tells._tellscan"


def kernel_sources(folder: Path) -> list[Path]:
    """The kernels' C files and header, in the order their hash is taken (native.py does the same)."""
    return sorted([*folder.glob("_tellscan*.c"), *folder.glob("_tellscan*.h")], key=lambda p: p.name)


def build_kernels(root: Path, *, inplace: bool) -> Path:
    """Compile the extension with setuptools (which knows each platform's compiler); return its path."""
    from setuptools import Distribution, Extension
    from setuptools.command.build_ext import build_ext

    sources = kernel_sources(root / KERNELS_DIR)
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in sources)).hexdigest()
    extension = Extension(
        MODULE,
        [str(path.relative_to(root)) for path in sources if path.suffix == ".c"],
        depends=[str(path.relative_to(root)) for path in sources if path.suffix == ".h"],
        define_macros=[("SOURCE_SHA256", f'"{digest}"')],
        extra_compile_args=[] if os.name == "nt" else ["-O2"],
    )
    with chdir(root):
        distribution = Distribution(
            {"name": "seqstudio-kernels", "ext_modules": [extension], "package_dir": {"": "desktop"}}
        )
        command = build_ext(distribution)
        command.inplace = inplace
        command.build_lib = str(Path("build") / "kernels")
        command.build_temp = str(Path("build") / "kernels-temp")
        command.ensure_finalized()
        command.run()
        return root / command.get_ext_fullpath(MODULE)


class KernelsHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        try:
            built = build_kernels(root, inplace=version == "editable")
        except Exception as error:  # no compiler, no headers: the pure-Python path still works
            self.app.display_warning(
                f"seqstudio: the C kernels of the tell detector were not built ({error}); "
                "the detector runs in pure Python, about half as fast."
            )
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version != "editable":
            build_data["force_include"][str(built)] = f"seqstudio/core/tells/{built.name}"
