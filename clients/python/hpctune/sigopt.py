"""SigOpt's Python API over HpcTune: a SigOpt optimization loop runs with only its import changed.

    from hpctune.sigopt import Connection      # was: from sigopt import Connection
    conn = Connection(client_token=TOKEN)      # or HPCTUNE_TOKEN; the server: HPCTUNE_URL or set_api_url(URL)
    experiment = conn.experiments().create(name=..., parameters=[...], metrics=[...], observation_budget=30)
    while experiment.progress.observation_count < experiment.observation_budget:
        suggestion = conn.experiments(experiment.id).suggestions().create()
        value = evaluate(suggestion.assignments)
        conn.experiments(experiment.id).observations().create(suggestion=suggestion.id, value=value)
        experiment = conn.experiments(experiment.id).fetch()

An experiment is a study on a ``serve --root`` server (its id names the study); ``experiments("-")`` is the only study
of ``serve --checkpoint``. What differs from SigOpt, and why:

- HpcTune's budget is hard: ``progress.observation_count`` counts what the budget counts (completed and pruned
  trials, not failed ones), and no trial is handed out past it. A worker whose loop asks after another worker took
  the last trial waits until that trial is settled: if it is observed the study is done, and ``create()`` hands back
  a *finished suggestion* (``suggestion.finished`` is True, its id starts with "finished-", its assignments are the
  best trial's) so the loop body runs once more and ends; its observation is accepted and not recorded. If the
  trial comes back instead (its worker died), this worker gets it. A broken or stopped study raises ApiException.
- Suggestions are leased: the connection heartbeats every suggestion it created, from a background thread, until it
  is observed or deleted; a suggestion whose process died goes out again after ``serve --lease``.
- ``experiments(id).delete()`` stops the study (no new trials). ``suggestions(id).delete()`` gives the suggestion back:
  it goes out again first. ``value_stddev`` is accepted and not used.
"""

import copy
import itertools
import os
import threading

from . import _sigopt_objects as objects
from ._sigopt_definition import study_definition
from ._sigopt_objects import ApiException, ConnectionException, SigOptException
from .client import Client
from .errors import HpcTuneError, UnavailableError
from .heartbeat import Heartbeats
from .worker_name import default_worker_name

__all__ = ["Connection", "ApiException", "ConnectionException", "SigOptException"]

FINISHED_PREFIX = "finished-"
_finished_numbers = itertools.count(1)


class Connection:
    """SigOpt's Connection. ``client_token`` defaults to HPCTUNE_TOKEN, ``url`` to HPCTUNE_URL (or ``set_api_url``);
    ``worker`` names this connection to the server (default HOST:PID); calls that find the server away are retried
    for ``retry_timeout`` seconds."""

    def __init__(self, client_token=None, user_agent=None, session=None, url=None, worker=None,
                 retry_timeout=120.0):
        self._token = client_token or os.environ.get("HPCTUNE_TOKEN")
        self._url = url or os.environ.get("HPCTUNE_URL")
        self._worker = worker or default_worker_name()
        self._retry_timeout = retry_timeout
        self._timeout = 30.0
        self._clients = {}
        self._lock = threading.Lock()
        # (study, trial id) → the worker name the suggestion was handed to; one name per open suggestion, so that
        # asking again gives a new suggestion as in SigOpt, not this worker's open one.
        self._holders = {}
        self._heartbeat_seconds = 0.0
        self._heartbeats = Heartbeats(lambda: self._heartbeat_seconds, name="hpctune-sigopt-heartbeat")

    def set_api_url(self, api_url):
        self._url = api_url
        self._clients.clear()

    def set_client_token(self, client_token):
        self._token = client_token
        self._clients.clear()

    def set_timeout(self, timeout):
        self._timeout = float(timeout)
        self._clients.clear()

    def set_proxies(self, proxies):
        """Accepted for SigOpt's signature; the standard library's proxy settings (environment) apply."""

    def set_verify_ssl_certs(self, verify_ssl_certs):
        """Accepted for SigOpt's signature; certificates are checked against the system's store."""

    def set_client_ssl_certs(self, client_ssl_certs):
        """Accepted for SigOpt's signature; HpcTune authenticates by token."""

    def experiments(self, id=None):
        return _Experiments(self, None if id is None else str(id))

    def close(self):
        """Stops the heartbeats of open suggestions (they expire on the server after its lease)."""
        self._heartbeats.close()

    # The HpcTune side ----------------------------------------------------------------------------------------------

    def _client(self, study):
        with self._lock:
            client = self._clients.get(study)
            if client is None:
                client = Client(url=self._url, token=self._token, study=study, worker=self._worker, labels={},
                                retry_timeout=self._retry_timeout, timeout=self._timeout)
                self._clients[study] = client
            return client

    def _reserve_worker(self, study):
        """The worker name for a new suggestion: this connection's first name holding no open suggestion."""
        with self._lock:
            # A suggestion the server took back (abandon: deleted, or leased to another worker) frees its name.
            for key in [k for k in self._holders if len(k) == 2 and self._heartbeats.abandoned(k)]:
                del self._holders[key]
                self._heartbeats.remove(key)
            taken = {worker for key, worker in self._holders.items() if key[0] == study}
            for number in itertools.count():
                name = self._worker if number == 0 else f"{self._worker[:90]}@{number}"
                if name not in taken:
                    self._holders[(study, None, number)] = name  # held while the suggest call runs
                    return (study, None, number), name

    def _hold(self, reservation, study, trial, client):
        with self._lock:
            name = self._holders.pop(reservation)
            self._holders[(study, trial.id)] = name
            self._heartbeat_seconds = client.heartbeat_seconds
        self._heartbeats.add((study, trial.id), lambda: client.heartbeat(trial.id, worker=name))

    def _unreserve(self, reservation):
        with self._lock:
            self._holders.pop(reservation, None)

    def _holder(self, study, trial_id):
        with self._lock:
            return self._holders.get((study, trial_id))

    def _settled(self, study, trial_id):
        with self._lock:
            self._holders.pop((study, trial_id), None)
        self._heartbeats.remove((study, trial_id))

    def _settled_all(self, study):
        with self._lock:
            keys = [key for key in self._holders if key[0] == study and len(key) == 2]
            for key in keys:
                del self._holders[key]
        for key in keys:
            self._heartbeats.remove(key)


class _Errors:
    """Raises HpcTune's errors as SigOpt's: ApiException with the HTTP status, ConnectionException when unreachable."""

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if isinstance(error, UnavailableError) and error.status is None:
            raise ConnectionException(error.message) from error
        if isinstance(error, HpcTuneError):
            raise ApiException({"message": error.message, "code": error.code}, error.status or 500) from error
        if isinstance(error, ValueError):
            raise ApiException({"message": str(error)}, 400) from error
        return False


class _Experiments:
    def __init__(self, connection, id):
        self._connection = connection
        self._id = id

    def create(self, **arguments):
        if self._id is not None:
            raise ApiException({"message": "create an experiment with conn.experiments().create(...)"}, 400)
        with _Errors():
            definition = study_definition(arguments)
            client = Client(url=self._connection._url, token=self._connection._token, study=None,
                            worker=self._connection._worker, labels={}, retry_timeout=self._connection._retry_timeout,
                            timeout=self._connection._timeout)
            return _experiment(client.create_study(definition))

    def fetch(self):
        with _Errors():
            if self._id is None:
                client = self._connection._client("-")
                return objects.Pagination([_experiment(info) for info in client.list_studies()])
            return _experiment(self._connection._client(self._id).get_study())

    def delete(self):
        """Stops the study: no new trials; results of open ones still count."""
        with _Errors():
            self._connection._client(self._required_id()).stop("deleted through the SigOpt API")

    def update(self, **arguments):
        raise ApiException({"message": "updating an experiment is not supported by HpcTune: "
                                       f"{', '.join(sorted(arguments)) or 'nothing given'}"}, 400)

    def suggestions(self, id=None):
        return _Suggestions(self._connection, self._required_id(), None if id is None else str(id))

    def observations(self, id=None):
        return _Observations(self._connection, self._required_id(), None if id is None else str(id))

    def best_assignments(self):
        return _BestAssignments(self._connection, self._required_id())

    def _required_id(self):
        if self._id is None:
            raise ApiException({"message": "name the experiment: conn.experiments(EXPERIMENT_ID)"}, 400)
        return self._id


class _Suggestions:
    def __init__(self, connection, study, id):
        self._connection = connection
        self._study = study
        self._id = id

    def create(self, metadata=None, **arguments):
        """A new suggestion, leased to this connection and heartbeated until observed. Waits while none can be handed
        out (parallel_bandwidth or the rest of the budget is held by open suggestions)."""
        if arguments:
            raise ApiException({"message": f"suggestion fields not supported by HpcTune: {', '.join(sorted(arguments))}"},
                               400)
        connection = self._connection
        labels = {k: v for k, v in (metadata or {}).items() if v is not None}
        with _Errors():
            client = connection._client(self._study)
            reservation, worker = connection._reserve_worker(self._study)
            try:
                trials = client._suggest(1, None, worker, labels)
            except BaseException:
                connection._unreserve(reservation)
                raise
            if not trials:
                connection._unreserve(reservation)
                return self._finished(client, labels)
            trial = trials[0]
            connection._hold(reservation, self._study, trial, client)
            body = _suggestion_body(self._study, trial)
            body["metadata"] = dict(labels) or body.get("metadata")
            return objects.Suggestion(body)

    def _finished(self, client, metadata):
        info = client.get_study()
        if info.status != "done":
            raise ApiException({"message": f"experiment {self._study} is {info.status}: {info.status_reason}"}, 400)
        stats = client.stats()
        best = stats.best or (stats.pareto_front[0] if stats.pareto_front else None)
        if best is None:
            completed = client.fetch_trials("completed")
            if not completed:
                raise ApiException({"message": f"experiment {self._study} is done and has no completed trial"}, 400)
            best = completed[0]
        return objects.Suggestion({
            "object": "suggestion", "id": f"{FINISHED_PREFIX}{next(_finished_numbers)}", "experiment": self._study,
            "state": "open", "finished": True, "assignments": copy.deepcopy(best.params), "metadata": metadata or None,
        })

    def fetch(self, state=None, **paging):
        """One suggestion (``suggestions(id).fetch()``) or a page of them: state "open", "closed" or None (all)."""
        with _Errors():
            client = self._connection._client(self._study)
            if self._id is not None:
                return objects.Suggestion(_suggestion_body(self._study, client.get_trial(_trial_id(self._id))))
            trials = client.fetch_trials("open" if state == "open" else None)
            if state == "closed":
                trials = [t for t in trials if t.state != "open"]
            return objects.Pagination([objects.Suggestion(_suggestion_body(self._study, t)) for t in trials])

    def delete(self, state=None):
        """Deletes the open suggestions (``delete(state="open")``), or gives one back (``suggestions(id).delete()``:
        it goes out again first)."""
        with _Errors():
            client = self._connection._client(self._study)
            if self._id is not None:
                trial_id = _trial_id(self._id)
                worker = self._connection._holder(self._study, trial_id) or client.get_trial(trial_id).worker or None
                client.release(trial_id, "deleted through the SigOpt API", worker=worker)
                self._connection._settled(self._study, trial_id)
                return None
            client.delete_open()
            self._connection._settled_all(self._study)
            return None


class _Observations:
    def __init__(self, connection, study, id):
        self._connection = connection
        self._study = study
        self._id = id

    def create(self, suggestion=None, value=None, values=None, failed=False, metadata=None, assignments=None,
               value_stddev=None, **arguments):
        """The result of a suggestion: ``value`` (one metric) or ``values`` ([{"name": ..., "value": ...}]), or
        ``failed=True``. Without a suggestion, ``assignments`` and a value insert a completed trial."""
        if arguments:
            raise ApiException({"message": f"observation fields not supported by HpcTune: {', '.join(sorted(arguments))}"},
                               400)
        if suggestion is not None and str(suggestion).startswith(FINISHED_PREFIX):
            # The study was done before this suggestion: accepted, not recorded (the budget is hard).
            return objects.Observation({"object": "observation", "id": None, "suggestion": str(suggestion),
                                        "experiment": self._study, "failed": bool(failed), "value": value,
                                        "values": values or [], "metadata": metadata, "recorded": False})
        connection = self._connection
        with _Errors():
            client = connection._client(self._study)
            if suggestion is None:
                return self._insert(client, assignments, value, values, failed)
            trial_id = _trial_id(suggestion)
            worker = connection._holder(self._study, trial_id) or client.get_trial(trial_id).worker or None
            if failed:
                answer = client.fail(trial_id, "reported failed through the SigOpt API", metadata, worker=worker)
            else:
                answer = client.observe(trial_id, value=value, values=values, metadata=metadata, worker=worker)
            connection._settled(self._study, trial_id)
            body = _observation_body(self._study, answer.trial) if answer.trial else {"id": str(trial_id)}
            body["recorded"] = answer.recorded
            return objects.Observation(body)

    def _insert(self, client, assignments, value, values, failed):
        if assignments is None:
            raise ValueError("an observation needs suggestion= or assignments=")
        if failed:
            raise ValueError("a failed observation needs the suggestion it failed")
        if values is None:
            if value is None:
                raise ValueError("an observation needs value=, values= or failed=True")
            metrics = client.get_study().definition.get("metrics") or [{}]
            values = {metrics[0].get("name", "value"): value}
        trial = client.insert(dict(assignments), values=values)
        return objects.Observation(_observation_body(self._study, trial))

    def fetch(self, **paging):
        """One observation (``observations(id).fetch()``) or all: completed, failed and pruned trials."""
        with _Errors():
            client = self._connection._client(self._study)
            if self._id is not None:
                return objects.Observation(_observation_body(self._study, client.get_trial(_trial_id(self._id))))
            trials = [t for t in client.fetch_trials() if t.state in ("completed", "failed", "pruned")]
            return objects.Pagination([objects.Observation(_observation_body(self._study, t)) for t in trials])


class _BestAssignments:
    def __init__(self, connection, study):
        self._connection = connection
        self._study = study

    def fetch(self):
        """The best trial (one objective) or the Pareto front."""
        with _Errors():
            stats = self._connection._client(self._study).stats()
            best = [stats.best] if stats.best else stats.pareto_front
            return objects.Pagination([objects.BestAssignments(_best_body(t)) for t in best])


def _trial_id(id):
    try:
        return int(id)
    except (TypeError, ValueError):
        raise ValueError(f"'{id}' is not a suggestion id of this server") from None


def _experiment(info):
    definition = info.definition
    return objects.Experiment({
        "object": "experiment", "id": info.id, "name": info.name or definition.get("name"), "type": "offline",
        "state": "deleted" if info.status == "stopped" else "active",
        "status": info.status, "status_reason": info.status_reason,
        "observation_budget": info.observation_budget, "parallel_bandwidth": info.parallel_bandwidth,
        "parameters": definition.get("parameters"), "metrics": definition.get("metrics"),
        "conditionals": definition.get("conditionals"), "metadata": definition.get("metadata"),
        # What the budget counts: HpcTune's budget is of completed (and pruned) trials.
        "progress": {"object": "progress", "observation_count": info.counts.completed + info.counts.pruned},
    })


def _suggestion_body(study, trial):
    return {"object": "suggestion", "id": str(trial.id), "experiment": study, "assignments": trial.params,
            "metadata": trial.metadata or None, "state": "open" if trial.state == "open" else "closed",
            "created": trial.created, "worker": trial.worker}


def _observation_body(study, trial):
    values = [{"object": "metric_evaluation", "name": name, "value": value} for name, value in trial.values.items()]
    return {"object": "observation", "id": str(trial.id), "suggestion": str(trial.id), "experiment": study,
            "assignments": trial.params, "failed": trial.state == "failed", "metadata": trial.metadata or None,
            "value": values[0]["value"] if len(values) == 1 else None, "values": values, "created": trial.finished,
            "recorded": True}


def _best_body(trial):
    values = [{"object": "metric_evaluation", "name": name, "value": value} for name, value in trial.values.items()]
    return {"object": "best_assignments", "id": str(trial.id), "assignments": trial.params,
            "value": values[0]["value"] if len(values) == 1 else None, "values": values}
