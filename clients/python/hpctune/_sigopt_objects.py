"""SigOpt's API objects and exceptions, as its Python client shapes them: attribute access over a JSON body, a
missing field reads as None, ``to_json()`` gives the body."""

import copy
import json


class SigOptException(Exception):
    pass


class ConnectionException(SigOptException):
    """The server could not be reached (for longer than the connection's retry timeout)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return f"ConnectionException: {self.message}"


class ApiException(SigOptException):
    """The server answered with an error; ``status_code`` is the HTTP status."""

    def __init__(self, body, status_code):
        self._body = body or {}
        self.message = self._body.get("message")
        super().__init__(*([self.message] if self.message is not None else []))
        self.status_code = status_code

    def __str__(self):
        return f"ApiException ({self.status_code}): {self.message or ''}"

    def to_json(self):
        return copy.deepcopy(self._body)


class ApiObject:
    """A JSON object with its fields as attributes (nested objects wrapped as ``_types`` says)."""

    _types = {}

    def __init__(self, body):
        object.__setattr__(self, "_body", dict(body))

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        value = self._body.get(name)
        kind = self._types.get(name)
        if value is None or kind is None:
            return value
        if isinstance(value, list):
            return [kind(item) for item in value]
        return kind(value)

    def __setattr__(self, name, value):
        self._body[name] = value

    def __eq__(self, other):
        return isinstance(other, self.__class__) and self._body == other._body

    def __repr__(self):
        return f"{self.__class__.__name__}({json.dumps(self._body, indent=2, sort_keys=True, default=str)})"

    def to_json(self):
        return copy.deepcopy(self._body)


class _AttributeDict(dict):
    """A dict whose keys read as attributes too (``assignments.x`` and ``assignments["x"]``)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def to_json(self):
        return dict(copy.deepcopy(self))


class Assignments(_AttributeDict):
    pass


class Metadata(_AttributeDict):
    pass


class Bounds(ApiObject):
    pass


class CategoricalValue(ApiObject):
    pass


class Parameter(ApiObject):
    _types = {"bounds": Bounds, "categorical_values": CategoricalValue}


class Metric(ApiObject):
    pass


class MetricEvaluation(ApiObject):
    pass


class Observation(ApiObject):
    _types = {"assignments": Assignments, "metadata": Metadata, "values": MetricEvaluation}


class Progress(ApiObject):
    _types = {"best_observation": Observation, "first_observation": Observation, "last_observation": Observation}


class Experiment(ApiObject):
    _types = {"metadata": Metadata, "metrics": Metric, "parameters": Parameter, "progress": Progress}


class Suggestion(ApiObject):
    _types = {"assignments": Assignments, "metadata": Metadata}


class BestAssignments(ApiObject):
    _types = {"assignments": Assignments, "values": MetricEvaluation}


class Pagination(ApiObject):
    """A page of objects; here every page is the only one."""

    def __init__(self, data):
        super().__init__({"object": "pagination", "count": len(data), "paging": {"before": None, "after": None}})
        object.__setattr__(self, "_data", list(data))

    @property
    def data(self):
        return list(self._data)

    def iterate_pages(self):
        yield from self._data
