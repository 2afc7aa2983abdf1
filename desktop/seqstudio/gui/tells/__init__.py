"""AI tells in the window: highlighting, hover explanations, the flags panel and rewrites."""

from seqstudio.gui.tells.controller import TellsTools

__all__ = ["TellsTools"]
