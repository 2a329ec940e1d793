"""SigOpt's experiment create arguments → HpcTune's study definition (CONTRACTS.md §1, SigOpt-shaped already).

Fields that only shape SigOpt's web pages are dropped; fields that would change the optimization and that HpcTune
does not have are refused with ValueError naming them, rather than ignored.
"""

# SigOpt fields without an effect on which trials run.
_DROPPED_EXPERIMENT = {"project", "development", "client", "user", "object", "id", "created", "state", "progress",
                       "updated", "runs_only"}
_DROPPED_PARAMETER = {"precision", "default_value", "tunable", "object"}
_DROPPED_METRIC = {"value_baseline", "object"}
_PASSED_EXPERIMENT = {"name", "parameters", "metrics", "observation_budget", "parallel_bandwidth", "metadata",
                      "conditionals", "max_failures", "algorithm"}


def study_definition(arguments):
    """The study JSON for ``conn.experiments().create(**arguments)``."""
    arguments = dict(arguments)
    study = {}
    kind = arguments.pop("type", "offline")
    if kind == "random":
        study["algorithm"] = {"name": "random"}
    elif kind not in ("offline", None):
        raise ValueError(f"experiment type '{kind}' is not supported; HpcTune runs 'offline' and 'random'")
    if "metric" in arguments:
        if "metrics" in arguments:
            raise ValueError("give 'metric' or 'metrics', not both")
        arguments["metrics"] = [arguments.pop("metric")]
    for key, value in arguments.items():
        if key in _DROPPED_EXPERIMENT or value is None:
            continue
        if key not in _PASSED_EXPERIMENT:
            raise ValueError(f"experiment field '{key}' is not supported by HpcTune")
        study[key] = value
    study["parameters"] = [_parameter(p, i) for i, p in enumerate(study.get("parameters") or [])]
    # SigOpt's experiments without metrics have one, observed with value=: HpcTune needs it named.
    study["metrics"] = [_metric(m, i) for i, m in enumerate(study.get("metrics") or [{"name": "value"}])]
    return study


def _parameter(parameter, index):
    out = {}
    for key, value in dict(parameter).items():
        if key in _DROPPED_PARAMETER or value is None:
            continue
        if key == "categorical_values":
            out[key] = _categorical_values(value)
        elif key == "bounds":
            out[key] = {"min": value["min"], "max": value["max"]}
        elif key in ("name", "type", "transformation", "conditions", "step"):
            out[key] = value
        else:
            raise ValueError(f"parameters[{index}].{key} is not supported by HpcTune")
    return out


def _categorical_values(values):
    """SigOpt takes strings or {"name": ..., "enum_index": ...}; HpcTune takes strings, in enum_index order."""
    if all(isinstance(v, dict) for v in values):
        ordered = sorted(values, key=lambda v: v.get("enum_index", 0)) if all("enum_index" in v for v in values) \
            else values
        return [str(v["name"]) for v in ordered]
    return [str(v["name"]) if isinstance(v, dict) else str(v) for v in values]


def _metric(metric, index):
    out = {}
    for key, value in dict(metric).items():
        if key in _DROPPED_METRIC or value is None:
            continue
        if key in ("name", "objective", "strategy", "threshold"):
            out[key] = value
        else:
            raise ValueError(f"metrics[{index}].{key} is not supported by HpcTune")
    return out
