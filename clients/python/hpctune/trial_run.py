"""What ``Client.workon(fn, trial_arg=...)`` hands the objective: the trial, its population lineage and checkpoint
directories, and ``report`` to send intermediate results that the study's early stopping rule decides on."""

import os
import shutil


class TrialStopped(Exception):
    """Raise it from an objective whose report was answered ``stop``: ``workon`` ends the trial quietly (it was
    pruned already; nothing more is sent) and goes on with the next one."""


class TrialRun:
    """One evaluation inside ``workon``: ``trial`` (its ``id``, ``params``, ``lineage``), ``checkpoint_dir`` (made
    ready: emptied, then holding a copy of the parent's files) and ``parent_checkpoint_dir`` (read only), and
    ``report(step, values)``. After a report answered ``stop``, ``stopped`` is True and ``stop_reason`` says why:
    return (or raise TrialStopped) at once; what the objective returns then is not sent."""

    def __init__(self, client, trial):
        self._client = client
        self.trial = trial
        self.stopped = False
        self.stop_reason = ""

    @property
    def id(self):
        return self.trial.id

    @property
    def params(self):
        return self.trial.params

    @property
    def lineage(self):
        return self.trial.lineage

    @property
    def checkpoint_dir(self):
        return self.trial.checkpoint_dir

    @property
    def parent_checkpoint_dir(self):
        return self.trial.parent_checkpoint_dir

    def report(self, step, values):
        """Sends the values at ``step`` (increasing); returns the ReportAnswer: ``stop`` says to end the trial now."""
        answer = self._client.report(self.trial, step, values)
        if answer.stop:
            self.stopped = True
            self.stop_reason = answer.reason
        return answer


def prepare_checkpoint_dir(trial):
    """Empties (or makes) the trial's checkpoint directory and copies its parent's files into it, as every HpcTune
    worker does before the objective runs: a segment run again restarts from the parent's checkpoint, never from its
    own half-written one. The paths are the server's, so its file system must be shared with this worker."""
    directory = trial.checkpoint_dir
    if not directory:
        return
    try:
        if os.path.isdir(directory):
            shutil.rmtree(directory)
        os.makedirs(directory, exist_ok=True)
        parent = trial.parent_checkpoint_dir
        if parent and os.path.isdir(parent):
            shutil.copytree(parent, directory, dirs_exist_ok=True)
    except OSError as error:
        source = f" from {trial.parent_checkpoint_dir}" if trial.parent_checkpoint_dir else ""
        raise OSError(f"cannot prepare the checkpoint directory {directory}{source}: {error}") from error
