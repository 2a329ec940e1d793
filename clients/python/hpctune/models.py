"""What the server answers, as plain Python objects (studies.proto's messages in their protobuf JSON form).

protobuf's JSON names fields in lowerCamelCase, may render int64 as strings and leaves out default values; these
readers accept every such form.
"""

from dataclasses import dataclass, field


def _int(value, default=0):
    if value is None or value == "":
        return default
    return int(value)


def _float(value, default=0.0):
    if value is None or value == "":
        return default
    return float(value)


@dataclass
class Report:
    """An intermediate result of a trial at a step."""
    step: int
    values: dict

    @classmethod
    def from_json(cls, body):
        return cls(step=_int(body.get("step")), values={k: float(v) for k, v in (body.get("values") or {}).items()})


def _optional_int(value):
    return None if value is None or value == "" else int(value)


@dataclass
class Lineage:
    """Where a trial stands in a population (population based training): the member it trains, its generation, the
    trial whose checkpoint it continues from, the steps it trains (``start_step`` to ``end_step``) and its checkpoint
    directory as recorded (relative to the study's checkpoint folder). A field the algorithm did not set is None."""
    member: object = None
    generation: object = None
    parent_trial_id: object = None
    start_step: object = None
    end_step: object = None
    checkpoint_dir: object = None

    @classmethod
    def from_json(cls, body):
        return cls(
            member=_optional_int(body.get("member")),
            generation=_optional_int(body.get("generation")),
            parent_trial_id=_optional_int(body.get("parentTrialId")),
            start_step=_optional_int(body.get("startStep")),
            end_step=_optional_int(body.get("endStep")),
            checkpoint_dir=body.get("checkpointDir") or None,
        )


@dataclass
class Trial:
    """One trial: its parameters (``params``, also ``assignments``) and, once finished, its metric values."""
    id: int
    state: str
    params: dict
    values: dict = field(default_factory=dict)
    metadata: dict = field(default_factory=dict)
    worker: str = ""
    failure_reason: str = ""
    created: str = ""
    finished: str = ""
    reports: list = field(default_factory=list)
    #: A Lineage for a trial of a population, else None.
    lineage: object = None
    #: Absolute paths on the server's file system (shared with its workers), in suggestions and get_trial: where the
    #: trial writes its checkpoint and where the trial it continues from wrote its own; None when it has none.
    checkpoint_dir: object = None
    parent_checkpoint_dir: object = None
    #: Why it was pruned (stopped early) or interrupted.
    reason: str = ""

    @property
    def assignments(self):
        return self.params

    @property
    def status(self):
        """Orion's name for ``state``: open, completed, failed, interrupted, deleted, pruned."""
        return self.state

    @classmethod
    def from_json(cls, body):
        return cls(
            id=_int(body.get("id")),
            state=body.get("state", ""),
            params=dict(body.get("assignments") or {}),
            values={k: float(v) for k, v in (body.get("values") or {}).items()},
            metadata=dict(body.get("metadata") or {}),
            worker=body.get("worker", ""),
            failure_reason=body.get("failureReason", ""),
            created=body.get("created", ""),
            finished=body.get("finished", ""),
            reports=[Report.from_json(r) for r in body.get("reports") or []],
            lineage=Lineage.from_json(body["lineage"]) if body.get("lineage") is not None else None,
            checkpoint_dir=body.get("checkpointDir") or None,
            parent_checkpoint_dir=body.get("parentCheckpointDir") or None,
            reason=body.get("reason", ""),
        )


@dataclass
class Counts:
    """Trials by state."""
    completed: int = 0
    open: int = 0
    failed: int = 0
    interrupted: int = 0
    deleted: int = 0
    pruned: int = 0

    @classmethod
    def from_json(cls, body):
        body = body or {}
        return cls(**{name: _int(body.get(name)) for name in cls.__dataclass_fields__})


@dataclass
class StudyInfo:
    """A study: its id, its status (running, done, broken, stopped), its budget and its trials by state."""
    id: str
    name: str
    status: str
    status_reason: str
    observation_budget: int
    parallel_bandwidth: int
    counts: Counts
    definition: dict

    @classmethod
    def from_json(cls, body):
        return cls(
            id=body.get("id", ""),
            name=body.get("name", ""),
            status=body.get("status", ""),
            status_reason=body.get("statusReason", ""),
            observation_budget=_int(body.get("observationBudget")),
            parallel_bandwidth=_int(body.get("parallelBandwidth")),
            counts=Counts.from_json(body.get("counts")),
            definition=dict(body.get("definition") or {}),
        )


@dataclass
class Stats:
    """A study's progress: counts, the best trial (one objective) or the Pareto front, start, finish, duration."""
    id: str
    status: str
    counts: Counts
    observation_budget: int
    best: object
    pareto_front: list
    start: str
    finish: str
    duration_seconds: float
    open_by_worker: dict

    @classmethod
    def from_json(cls, body):
        best = body.get("best")
        return cls(
            id=body.get("id", ""),
            status=body.get("status", ""),
            counts=Counts.from_json(body.get("counts")),
            observation_budget=_int(body.get("observationBudget")),
            best=Trial.from_json(best) if best else None,
            pareto_front=[Trial.from_json(t) for t in body.get("paretoFront") or []],
            start=body.get("start", ""),
            finish=body.get("finish", ""),
            duration_seconds=_float(body.get("durationSeconds")),
            open_by_worker={k: _int(v) for k, v in (body.get("openByWorker") or {}).items()},
        )


@dataclass
class Acknowledgement:
    """The server's answer to a result: ``recorded`` (it counts; ``duplicate`` when it had been recorded before),
    the trial as it is now, ``problem``: why a result does not count, and ``pruned``: the trial had been stopped early
    before the result came (acknowledged, not recorded, no error)."""
    recorded: bool
    duplicate: bool
    trial: object
    problem: str
    pruned: bool = False

    @classmethod
    def from_json(cls, body):
        trial = body.get("trial")
        return cls(recorded=bool(body.get("recorded")), duplicate=bool(body.get("duplicate")),
                   trial=Trial.from_json(trial) if trial else None, problem=body.get("problem", ""),
                   pruned=bool(body.get("pruned")))


@dataclass
class HeartbeatAnswer:
    """``abandon``: stop evaluating this trial (it finished, or it belongs to another worker now)."""
    abandon: bool
    reason: str

    @classmethod
    def from_json(cls, body):
        return cls(abandon=bool(body.get("abandon")), reason=body.get("reason", ""))


@dataclass
class ReportAnswer:
    """``stop``: end the trial now (the study's early stopping pruned it, or it is no longer this worker's); a result
    sent after is acknowledged and dropped. ``recorded``: the report is in the study (False for a step not past the
    trial's last report, a retry). ``reason``: why it stops, or why the report was not recorded."""
    stop: bool
    reason: str
    recorded: bool = True

    @classmethod
    def from_json(cls, body):
        return cls(stop=bool(body.get("stop")), reason=body.get("reason", ""), recorded=bool(body.get("recorded")))
