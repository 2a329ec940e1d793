"""HpcTune's Python client (standard library only): join a study served by ``HpcTune serve`` over HTTP/JSON.

    from hpctune import Client
    client = Client()                      # HPCTUNE_URL, HPCTUNE_TOKEN
    client.workon(lambda x, y: (x - 1) ** 2 + y ** 2)

``hpctune.sigopt`` offers SigOpt's Connection over the same server.
"""

from .client import Client
from .errors import (ConflictError, DuplicateTrialError, HpcTuneError, InvalidRequestError, NotFoundError,
                     RequestTooLargeError, StudyNotRunningError, UnauthenticatedError, UnavailableError,
                     WaitingForTrials)
from .models import Acknowledgement, Counts, HeartbeatAnswer, Lineage, Report, ReportAnswer, Stats, StudyInfo, Trial
from .trial_run import TrialRun, TrialStopped

__all__ = [
    "Client", "Trial", "Report", "Counts", "StudyInfo", "Stats", "Acknowledgement", "HeartbeatAnswer", "ReportAnswer",
    "Lineage", "TrialRun", "TrialStopped",
    "HpcTuneError", "InvalidRequestError", "StudyNotRunningError", "RequestTooLargeError", "UnauthenticatedError",
    "NotFoundError", "ConflictError", "DuplicateTrialError", "UnavailableError", "WaitingForTrials",
]
