"""Builds the C kernels into the wheel, or beside the source for an editable install: the tell
detector's (desktop/seqstudio/core/tells/_tellscan*.c) and the plain-text walk's
(desktop/seqstudio/core/render/_textwalk.c). Optional: a kernel that cannot be built (no C
compiler, no dlopen) is left out with a warning, and its pure-Python twin runs (the same
results, slower)."""

from __future__ import annotations

import hashlib
import os
from contextlib import chdir
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# (module, its folder, what it is for the warning, what its absence costs)
KERNELS = (
    (
        "seqstudio.core.tells._tellscan",
        "desktop/seqstudio/core/tells",
        "the tell detector",
        "about half as fast",
    ),
    (
        "seqstudio.core.render._textwalk",
        "desktop/seqstudio/core/render",
        "the plain-text walk",
        "about a quarter as fast",
    ),
)


def kernel_sources(folder: Path, name: str) -> list[Path]:
    """A kernel's C files and headers, in the order their hash is taken (core/native.py too)."""
    return sorted([*folder.glob(f"{name}*.c"), *folder.glob(f"{name}*.h")], key=lambda p: p.name)


def build_kernel(root: Path, module: str, folder: str, *, inplace: bool) -> Path:
    """Compile one extension with setuptools (which knows each platform's compiler); return its path."""
    from setuptools import Distribution, Extension
    from setuptools.command.build_ext import build_ext

    sources = kernel_sources(root / folder, module.rsplit(".", 1)[1])
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in sources)).hexdigest()
    extension = Extension(
        module,
        [str(path.relative_to(root)) for path in sources if path.suffix == ".c"],
        depends=[str(path.relative_to(root)) for path in sources if path.suffix == ".h"],
        define_macros=[("SOURCE_SHA256", f'"{digest}"')],
        extra_compile_args=[] if os.name == "nt" else ["-O2"],
        libraries=["dl"] if os.name == "posix" else [],  # dlopen, for the walk (in libc since glibc 2.34)
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
        return root / command.get_ext_fullpath(module)


class KernelsHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        for module, folder, role, cost in KERNELS:
            try:
                built = build_kernel(root, module, folder, inplace=version == "editable")
            except Exception as error:  # no compiler, no headers: the pure-Python path still works
                self.app.display_warning(
                    f"seqstudio: the C kernel of {role} was not built ({error}); "
                    f"{role} runs in pure Python, {cost}."
                )
                continue
            build_data["pure_python"] = False
            build_data["infer_tag"] = True
            if version != "editable":
                build_data["force_include"][str(built)] = f"{folder.removeprefix('desktop/')}/{built.name}"
