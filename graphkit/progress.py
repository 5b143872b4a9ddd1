"""A progress display for long commands: one line per stage, shown only when it helps.

:class:`StageProgress` is what ``graphkit build`` shows on a terminal: the
stages (read, resolve, tables, store, centrality, map) each on a line with a
spinner and the time spent, reading with a bar over the input files. It
appears only once the command has run for ``delay`` seconds (a build of a few
pages finishes before it would be seen) and never when stderr is not a
terminal (logs and pipes stay clean).

>>> with StageProgress(enabled=False) as progress:
...     progress.stage("read", total=2)
...     progress.advance()
...     progress.stage("resolve")
>>> progress.stages
['read', 'resolve']
"""

from __future__ import annotations

import threading

__all__ = ["StageProgress"]


class StageProgress:
    """Stages of a long command on stderr: ``stage(name)`` starts the next, ``advance()`` moves its bar.

    Parameters
    ----------
    console : rich.console.Console, optional
        Where to draw (stderr by default).
    enabled : bool, optional
        Draw at all; by default only when the console is a terminal.
    delay : float
        Seconds before the display appears.
    """

    def __init__(self, *, console=None, enabled: bool | None = None, delay: float = 2.0) -> None:
        self.stages: list[str] = []
        self._console = console
        self._enabled = enabled
        self._delay = delay
        self._progress = None
        self._task = None
        self._timer: threading.Timer | None = None

    def __enter__(self) -> StageProgress:
        if self._enabled is False:
            return self
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        console = self._console or Console(stderr=True)
        if self._enabled is None and not console.is_terminal:
            return self
        self._progress = Progress(
            SpinnerColumn(finished_text="[green]✓[/green]"), TextColumn("{task.description:<11}"), BarColumn(),
            TextColumn("{task.fields[detail]}"), TimeElapsedColumn(), console=console, transient=True,
        )
        self._timer = threading.Timer(self._delay, self._progress.start)
        self._timer.daemon = True
        self._timer.start()
        return self

    def stage(self, name: str, *, total: int | None = None) -> None:
        """Finish the current stage and start ``name`` (with a bar of ``total`` steps, if given)."""
        self.stages.append(name)
        if self._progress is None:
            return
        self._finish_task()
        self._task = self._progress.add_task(name, total=total, detail=f"0/{total:,}" if total else "")

    def advance(self, steps: int = 1) -> None:
        """Move the current stage's bar."""
        if self._progress is not None and self._task is not None:
            task = self._progress.tasks[self._task]
            done = task.completed + steps
            self._progress.update(self._task, completed=done, detail=f"{done:,.0f}/{task.total:,.0f}" if task.total else "")

    def _finish_task(self) -> None:
        if self._task is not None:
            task = self._progress.tasks[self._task]
            self._progress.update(self._task, total=task.total or 1, completed=task.total or 1)

    def __exit__(self, *exc) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer.join()  # a display starting now would outlive the command
        if self._progress is not None:
            self._finish_task()
            self._progress.stop()
