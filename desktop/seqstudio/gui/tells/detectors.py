"""One compiled Detector per language, built once on the runner and shared by every view."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from seqstudio.core.cancel import CancelToken, ProgressFn
from seqstudio.core.tells import Detector, load_rule_set, readability
from seqstudio.gui.tasks import TaskRunner, freeze_long_lived_objects


class DetectorCache(QObject):
    """Compiling a rule set takes 100-250 ms, too long for the GUI thread: `get` starts it on the
    runner the first time and returns None until `detector_ready` is emitted for that language."""

    detector_ready = Signal(str)  # language

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._detectors: dict[str, Detector] = {}
        self._compiling: set[str] = set()

    def get(self, language: str) -> Detector | None:
        detector = self._detectors.get(language)
        if detector is None and language not in self._compiling:
            self._compiling.add(language)
            self._runner.run(
                self.tr("Loading the AI-tell rules"),
                _compiler(language),
                owner=self,
                on_done=self._on_compiled,
                on_error=None,  # a broken user rule pack goes to the window's one error box
                on_cancelled=lambda: self._compiling.discard(language),
            )
        return detector

    def _on_compiled(self, detector: Detector) -> None:
        self._detectors[detector.language] = detector
        self._compiling.discard(detector.language)
        freeze_long_lived_objects()  # the compiled rules live as long as the app
        self.detector_ready.emit(detector.language)


def _compiler(language: str) -> Callable[[CancelToken, ProgressFn], Detector]:
    def work(cancel: CancelToken, _progress: ProgressFn) -> Detector:
        rules = load_rule_set(language)
        cancel.raise_if_cancelled()
        detector = Detector(rules)
        # textstat loads its hyphenation dictionary on first use, in Python, holding the GIL for
        # ~0.13 s; doing it here keeps that stall out of the first review, mid-draft or mid-typing.
        readability("Warm up the reading grade.", language)
        return detector

    return work
