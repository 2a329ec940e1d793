"""HpcTune's Python client: a worker or a script joins a study served by ``HpcTune serve`` over HTTP/JSON."""

import os
import socket
import time
import urllib.parse

from .errors import ConflictError, DuplicateTrialError, NotFoundError, WaitingForTrials
from .heartbeat import Heartbeats
from .models import Acknowledgement, HeartbeatAnswer, ReportAnswer, Stats, StudyInfo, Trial
from .transport import Transport
from .trial_run import TrialRun, TrialStopped, prepare_checkpoint_dir
from .worker_name import check_worker_name, default_worker_name

# The longest a single suggest call waits on the server (studies.proto: at most 60).
_LONGEST_POLL = 60.0


class Client:
    """A client of one study (Orion's ExperimentClient shape).

    ``url`` defaults to HPCTUNE_URL; the token to ``token``, then the file ``token_file``, then HPCTUNE_TOKEN.
    ``study`` names the study ("-": the only study of ``serve --checkpoint``). ``worker`` names this client to the
    server (default HOST:PID); the server hands a worker that asks again its own open trials back. ``labels`` are
    added to the metadata of every result (default: hostname and pid). Calls that find the server away (refused,
    reset, 503) are sent again with backoff for up to ``retry_timeout`` seconds (None: forever), so a worker lives
    through a restart of the server.
    """

    def __init__(self, url=None, token=None, study="-", worker=None, token_file=None, labels=None,
                 retry_timeout=120.0, timeout=30.0):
        url = url or os.environ.get("HPCTUNE_URL")
        if token is None and token_file is not None:
            with open(token_file, encoding="utf-8") as file:
                token = file.read().strip()
        if token is None:
            token = os.environ.get("HPCTUNE_TOKEN")
        self._transport = Transport(url, token, timeout=timeout, retry_timeout=retry_timeout)
        self.study = study
        self.worker = check_worker_name(worker) if worker is not None else default_worker_name()
        self.labels = dict(labels) if labels is not None else {"hostname": socket.gethostname(), "pid": os.getpid()}
        #: How often to heartbeat a trial, as the server said in its last suggest answer (0: no leases).
        self.heartbeat_seconds = 0.0
        #: Why the last suggest answered "finished".
        self.finished_reason = ""
        self._heartbeats = Heartbeats(lambda: self.heartbeat_seconds)

    @property
    def url(self):
        return self._transport.url

    # Studies -------------------------------------------------------------------------------------------------------

    def create_study(self, definition, id=None):
        """Creates a study under ``serve --root`` from its definition (a dict, CONTRACTS.md §1) and makes it this
        client's study. With ``id`` given and taken, succeeds only if the definition is the same (a retried create)."""
        body = {"definition": definition}
        if id is not None:
            body["id"] = id
        info = StudyInfo.from_json(self._transport.post("/v1/studies", body))
        self.study = info.id
        return info

    def get_study(self):
        """This study's id, status, budget and counts."""
        return StudyInfo.from_json(self._transport.get(self._study_path()))

    def list_studies(self):
        """Every study the server holds."""
        return [StudyInfo.from_json(s) for s in self._transport.get("/v1/studies").get("studies") or []]

    @property
    def is_done(self):
        """True once the study hands out no more trials: done (budget met), broken or stopped."""
        return self.get_study().status != "running"

    @property
    def is_broken(self):
        """True when the study stopped after too many failures."""
        return self.get_study().status == "broken"

    def stats(self):
        """Counts, best trial or Pareto front, start, finish and duration."""
        return Stats.from_json(self._transport.get(self._study_path("/stats")))

    def stop(self, reason=""):
        """No new trials from now on; results of open trials still count."""
        return StudyInfo.from_json(self._transport.post(self._study_path("/stop"), {"reason": reason}))

    def delete_open(self):
        """Deletes the open trials without stopping the study; returns how many."""
        return int(self._transport.post(self._study_path("/open/delete"), {}).get("deleted") or 0)

    def leave(self, worker=None):
        """This worker is leaving: its open trials go out again first. Returns how many were released."""
        path = self._study_path("/workers/" + urllib.parse.quote(worker or self.worker, safe="") + "/leave")
        return int(self._transport.post(path, {}).get("released") or 0)

    # Trials --------------------------------------------------------------------------------------------------------

    def suggest(self, count=1, wait=None, worker=None):
        """A trial to evaluate (with ``count`` > 1, a list of up to ``count``), or None (an empty list) once the study
        is finished. Long-polls while no trial can be handed out yet; after ``wait`` seconds (None: no limit) raises
        WaitingForTrials. A worker that asks again gets its own open trials back first."""
        trials = self._suggest(count, wait, worker)
        if count == 1:
            return trials[0] if trials else None
        return trials

    def _suggest(self, count, wait, worker, labels=None):
        if count < 1:
            raise ValueError(f"count must be at least 1, not {count}")
        deadline = None if wait is None else time.monotonic() + wait
        while True:
            left = _LONGEST_POLL if deadline is None else max(0.0, min(_LONGEST_POLL, deadline - time.monotonic()))
            body = {"worker": worker or self.worker, "count": count, "waitSeconds": left,
                    "labels": self.labels if labels is None else labels}
            answer = self._transport.post(self._study_path("/suggest"), body, timeout=left + self._transport.timeout)
            self.heartbeat_seconds = float(answer.get("heartbeatSeconds") or 0.0)
            status = answer.get("status", "")
            trials = [Trial.from_json(t) for t in answer.get("trials") or []]
            if status == "ok" and trials:
                return trials
            if status == "finished":
                self.finished_reason = answer.get("reason", "")
                return []
            if deadline is not None and time.monotonic() >= deadline:
                raise WaitingForTrials(f"no trial could be handed out within {wait:g} s: {answer.get('reason', '')}",
                                       code="WAIT")

    def observe(self, trial, value=None, values=None, metadata=None, worker=None):
        """Records the result of an open trial: ``value`` for a study with one metric, or ``values`` (a dict of metric
        name → value, or SigOpt's list of {"name": ..., "value": ...}). Sending a result again after a lost answer is
        acknowledged (``duplicate``) and counted once. Returns the Acknowledgement."""
        body = {"worker": worker or self.worker}
        if value is not None:
            body["value"] = float(value)
        if values is not None:
            body["values"] = _metric_values(values)
        if metadata:
            body["metadata"] = _metadata(metadata)
        answer = self._transport.post(self._trial_path(trial, "/observe"), body)
        self._heartbeats.remove(_trial_id(trial))
        return Acknowledgement.from_json(answer)

    def fail(self, trial, reason, metadata=None, worker=None):
        """Records that evaluating the trial failed, and why."""
        body = {"worker": worker or self.worker, "reason": str(reason)}
        if metadata:
            body["metadata"] = _metadata(metadata)
        answer = self._transport.post(self._trial_path(trial, "/fail"), body)
        self._heartbeats.remove(_trial_id(trial))
        return Acknowledgement.from_json(answer)

    def release(self, trial, reason="", worker=None):
        """Gives an open trial back unevaluated: it becomes interrupted and goes out again first."""
        answer = self._transport.post(self._trial_path(trial, "/release"),
                                      {"worker": worker or self.worker, "reason": reason})
        self._heartbeats.remove(_trial_id(trial))
        return Trial.from_json(answer.get("trial") or {})

    def heartbeat(self, trial, worker=None):
        """Renews this worker's lease of the trial. ``abandon`` in the answer: stop evaluating it."""
        answer = self._transport.post(self._trial_path(trial, "/heartbeat"), {"worker": worker or self.worker})
        return HeartbeatAnswer.from_json(answer)

    def report(self, trial, step, values, worker=None):
        """An intermediate result at ``step`` (CONTRACTS.md §6; steps increase), a dict of metric name → value, which
        the study's early stopping rule decides on. Returns the ReportAnswer: ``stop`` True means end the trial now
        (it was pruned with the values reported last; a result sent after is acknowledged and dropped). The report
        also renews the trial's lease; sent again after a lost answer it is recorded once."""
        body = {"worker": worker or self.worker, "step": int(step), "values": _metric_values(values)}
        return ReportAnswer.from_json(self._transport.post(self._trial_path(trial, "/report"), body))

    def insert(self, params, values=None):
        """Adds a trial with the caller's parameters, validated against the space; with ``values`` it is completed at
        once. Raises DuplicateTrialError when an existing trial has the same parameters."""
        body = {"assignments": dict(params)}
        if values is not None:
            body["values"] = _metric_values(values)
        try:
            answer = self._transport.post(self._study_path("/trials"), body)
        except ConflictError as conflict:
            if conflict.code == "ALREADY_EXISTS":
                raise DuplicateTrialError(conflict.message, status=conflict.status, code=conflict.code) from None
            raise
        return Trial.from_json(answer.get("trial") or {})

    def fetch_trials_by_status(self, status):
        """The trials in one state: open, completed, failed, interrupted, deleted or pruned."""
        return self.fetch_trials(status)

    def fetch_trials(self, state=None):
        """Every trial, or those in ``state``."""
        answer = self._transport.get(self._study_path("/trials"), {"state": state} if state else None)
        return [Trial.from_json(t) for t in answer.get("trials") or []]

    def get_trial(self, id):
        """One trial by id."""
        return Trial.from_json(self._transport.get(self._trial_path(id)).get("trial") or {})

    # The evaluation loop -------------------------------------------------------------------------------------------

    def workon(self, fn, max_trials=None, trial_arg=None):
        """Evaluates trials with ``fn(**params)`` until the study is finished or ``max_trials`` were evaluated here.

        ``fn`` returns the objective's value (a number), a dict of metric name → value, or a list of
        {"name": ..., "value": ...}. A background thread heartbeats the trial while ``fn`` runs. An exception from
        ``fn`` fails the trial with its message; an interrupt (KeyboardInterrupt, SystemExit) releases it and goes on
        up. A trial the server took away meanwhile (``abandon``) is dropped. Returns how many trials were evaluated.

        With ``trial_arg`` (Orion's name), ``fn`` also gets a TrialRun under that keyword: ``run.report(step,
        values)`` sends intermediate results and answers whether to stop (early stopping); ``run.lineage``,
        ``run.checkpoint_dir`` (made ready before ``fn`` runs) and ``run.parent_checkpoint_dir`` serve population
        based training. A trial stopped early is not sent a result; ``fn`` may raise TrialStopped to leave it.
        """
        evaluated = 0
        while max_trials is None or evaluated < max_trials:
            trial = self.suggest()
            if trial is None:
                break
            evaluated += 1
            self._heartbeats.add(trial.id, lambda trial=trial: self.heartbeat(trial))
            run = TrialRun(self, trial)
            try:
                if trial_arg is not None:
                    prepare_checkpoint_dir(trial)
                    result = fn(**trial.params, **{trial_arg: run})
                else:
                    result = fn(**trial.params)
                if run.stopped:
                    self._heartbeats.remove(trial.id)
                    continue  # pruned already: what fn returned after the stop is not a result
                arguments = _result_arguments(result)
            except TrialStopped:
                self._heartbeats.remove(trial.id)
                if not run.stopped:
                    self._settle(self.fail, trial, "the objective raised TrialStopped without a stop answer")
                continue
            except Exception as error:  # the objective's own failure: the trial fails, the loop goes on
                if self._heartbeats.remove(trial.id) is None:
                    self._settle(self.fail, trial, f"{type(error).__name__}: {error}")
                continue
            except BaseException:
                if self._heartbeats.remove(trial.id) is None:
                    self._settle(self.release, trial, "the worker was interrupted")
                raise
            if self._heartbeats.remove(trial.id) is None:
                self._settle(self.observe, trial, **arguments)
        return evaluated

    @staticmethod
    def _settle(call, trial, *args, **kwargs):
        try:
            call(trial, *args, **kwargs)
        except (ConflictError, NotFoundError):
            pass  # the trial finished elsewhere or went to another worker: nothing left to record here

    def close(self):
        """Stops the background heartbeats."""
        self._heartbeats.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # Paths ---------------------------------------------------------------------------------------------------------

    def _study_path(self, rest=""):
        if not self.study:
            raise ValueError("no study: pass study= or call create_study first")
        return "/v1/studies/" + urllib.parse.quote(str(self.study), safe="") + rest

    def _trial_path(self, trial, rest=""):
        return self._study_path(f"/trials/{_trial_id(trial)}{rest}")


def _trial_id(trial):
    return int(trial.id if isinstance(trial, Trial) else trial)


def _metric_values(values):
    if isinstance(values, dict):
        return {str(name): float(value) for name, value in values.items()}
    return {str(item["name"]): float(item["value"]) for item in values}


def _metadata(metadata):
    # protobuf Values carry strings, numbers and booleans; SigOpt ignores None items, and so does this.
    return {str(k): v for k, v in metadata.items() if v is not None}


def _result_arguments(result):
    if isinstance(result, (int, float)) and not isinstance(result, bool):
        return {"value": float(result)}
    if isinstance(result, (dict, list, tuple)):
        return {"values": result}
    raise TypeError(f"the objective returned {result!r}: return a number, a dict of metric values or a list of "
                    "{'name': ..., 'value': ...}")
