"""hpctune.sigopt: SigOpt's Connection over a real serve --root, down to SigOpt's "Run in Parallel" example run by
four worker processes."""

import itertools
import os
import socket
import tempfile
import threading
import unittest

from serve_process import CLIENTS_PYTHON, RootServerTestCase, ServeProcess, environment

import sigopt_parallel
from hpctune import Client, WaitingForTrials
from hpctune._sigopt_definition import study_definition
from hpctune.sigopt import ApiException, Connection, ConnectionException

_names = itertools.count()

PARAMETERS = [
    dict(name="lr", type="double", bounds=dict(min=1e-4, max=1.0), transformation="log", precision=4),
    dict(name="depth", type="int", bounds=dict(min=1, max=8)),
    dict(name="kernel", type="categorical", categorical_values=[dict(name="rbf", enum_index=2),
                                                                dict(name="linear", enum_index=1)]),
]


class DefinitionTest(unittest.TestCase):
    def test_sigopt_fields_are_translated_dropped_or_refused(self):
        study = study_definition(dict(name="e", parameters=PARAMETERS, metrics=[dict(name="f", value_baseline=1)],
                                      observation_budget=3, project="p", type="offline"))
        self.assertEqual(["linear", "rbf"], study["parameters"][2]["categorical_values"])
        self.assertNotIn("precision", study["parameters"][0])
        self.assertEqual("log", study["parameters"][0]["transformation"])
        self.assertEqual([{"name": "f"}], study["metrics"])
        self.assertNotIn("project", study)
        self.assertEqual({"name": "random"}, study_definition(dict(name="e", parameters=[], type="random",
                                                                   observation_budget=1))["algorithm"])
        self.assertEqual([{"name": "value"}], study_definition(dict(name="e", parameters=[]))["metrics"])
        with self.assertRaisesRegex(ValueError, "linear_constraints"):
            study_definition(dict(name="e", parameters=[], linear_constraints=[]))
        with self.assertRaisesRegex(ValueError, r"parameters\[0\]\.prior"):
            study_definition(dict(name="e", parameters=[dict(name="a", prior=dict(name="normal"))]))


class SigOptFacadeTest(RootServerTestCase):
    def connection(self, **options):
        conn = Connection(client_token=options.pop("client_token", self.server.token), url=self.server.url, **options)
        self.addCleanup(conn.close)
        return conn

    def create(self, conn, budget=4, bandwidth=2):
        return conn.experiments().create(name=f"sigopt-{next(_names)}", parameters=PARAMETERS,
                                         metrics=[dict(name="accuracy", objective="maximize")],
                                         observation_budget=budget, parallel_bandwidth=bandwidth)

    def test_create_and_fetch_an_experiment(self):
        conn = self.connection()
        experiment = self.create(conn)
        self.assertTrue(experiment.id)
        fetched = conn.experiments(experiment.id).fetch()
        self.assertEqual(experiment.name, fetched.name)
        self.assertEqual(4, fetched.observation_budget)
        self.assertEqual(2, fetched.parallel_bandwidth)
        self.assertEqual(0, fetched.progress.observation_count)
        self.assertEqual(["lr", "depth", "kernel"], [p.name for p in fetched.parameters])
        self.assertEqual(1.0, fetched.parameters[0].bounds.max)
        self.assertIn(experiment.id, [e.id for e in conn.experiments().fetch().iterate_pages()])

    def test_each_create_is_a_new_suggestion_and_open_ones_can_be_listed_and_deleted(self):
        conn = self.connection()
        experiment = self.create(conn)
        suggestions = conn.experiments(experiment.id).suggestions()
        first = suggestions.create(metadata=dict(hostname="here"))
        second = suggestions.create()
        self.assertNotEqual(first.id, second.id)
        self.assertEqual(first.assignments["depth"], first.assignments.depth)
        self.assertEqual("here", first.metadata["hostname"])
        open_ids = {s.id for s in suggestions.fetch(state="open").iterate_pages()}
        self.assertEqual({first.id, second.id}, open_ids)
        suggestions.delete(state="open")
        self.assertEqual([], list(suggestions.fetch(state="open").iterate_pages()))

    def test_observations_count_toward_the_budget_and_failed_ones_do_not(self):
        conn = self.connection()
        experiment = self.create(conn)
        resource = conn.experiments(experiment.id)
        suggestion = resource.suggestions().create()
        observation = resource.observations().create(suggestion=suggestion.id, value=0.9, metadata=dict(gpu="a100"))
        self.assertEqual(0.9, observation.value)
        self.assertEqual("a100", observation.metadata.gpu)
        failed = resource.suggestions().create()
        self.assertTrue(resource.observations().create(suggestion=failed.id, failed=True).failed)
        multi = resource.suggestions().create()
        resource.observations().create(suggestion=multi.id, values=[dict(name="accuracy", value=0.5)])
        self.assertEqual(2, resource.fetch().progress.observation_count)
        self.assertEqual(3, len(list(resource.observations().fetch().iterate_pages())))
        best = list(resource.best_assignments().fetch().iterate_pages())
        self.assertEqual(suggestion.assignments, best[0].assignments)

    def test_an_observation_with_assignments_and_no_suggestion_is_inserted(self):
        conn = self.connection()
        experiment = self.create(conn)
        observation = conn.experiments(experiment.id).observations().create(
            assignments=dict(lr=0.01, depth=3, kernel="rbf"), value=0.7)
        self.assertEqual(0.7, observation.value)
        self.assertEqual(1, conn.experiments(experiment.id).fetch().progress.observation_count)

    def test_a_worker_that_asks_after_the_last_trial_went_elsewhere_gets_a_finished_suggestion(self):
        owner, late = self.connection(), self.connection()
        experiment = self.create(owner, budget=1, bandwidth=2)
        last = owner.experiments(experiment.id).suggestions().create()
        answers = {}
        asking = threading.Thread(
            target=lambda: answers.setdefault("late", late.experiments(experiment.id).suggestions().create()))
        asking.start()
        owner.experiments(experiment.id).observations().create(suggestion=last.id, value=0.5)
        asking.join(timeout=60)
        finished = answers["late"]
        self.assertTrue(finished.finished)
        self.assertEqual(last.assignments, finished.assignments)
        observation = late.experiments(experiment.id).observations().create(suggestion=finished.id, value=0.1)
        self.assertFalse(observation.recorded)
        fetched = late.experiments(experiment.id).fetch()
        self.assertEqual(1, fetched.progress.observation_count)
        self.assertEqual(fetched.observation_budget, fetched.progress.observation_count)

    def test_a_deleted_experiment_hands_out_no_suggestion(self):
        conn = self.connection()
        experiment = self.create(conn)
        conn.experiments(experiment.id).delete()
        self.assertEqual("deleted", conn.experiments(experiment.id).fetch().state)
        with self.assertRaises(ApiException):
            conn.experiments(experiment.id).suggestions().create()

    def test_errors_are_sigopt_exceptions(self):
        with self.assertRaises(ApiException) as refused:
            self.connection(client_token="wrong").experiments("-").fetch()
        self.assertEqual(401, refused.exception.status_code)
        with self.assertRaises(ApiException) as missing:
            self.connection().experiments("no-such-experiment").fetch()
        self.assertEqual(404, missing.exception.status_code)
        with self.assertRaises(ConnectionException):
            Connection(client_token="t", url="http://127.0.0.1:9", retry_timeout=0.3).experiments("x").fetch()


class RunInParallelTest(unittest.TestCase):
    def test_four_worker_processes_meet_the_budget_exactly_and_tag_every_observation_with_their_host(self):
        with tempfile.TemporaryDirectory() as folder:
            server = ServeProcess(folder + "/root", "--root", folder + "/root").start()
            python_path = os.pathsep.join(filter(None, [str(CLIENTS_PYTHON), os.environ.get("PYTHONPATH")]))
            try:
                with environment(HPCTUNE_URL=server.url, HPCTUNE_TOKEN=server.token, PYTHONPATH=python_path):
                    experiment_id, exit_codes = sigopt_parallel.controller(server.token, num_workers=4,
                                                                           observation_budget=20)
                self.assertEqual([0, 0, 0, 0], exit_codes)
                client = Client(url=server.url, token=server.token, study=experiment_id)
                stats = client.stats()
                self.assertEqual(20, stats.counts.completed)
                self.assertEqual(0, stats.counts.failed)
                self.assertEqual("done", stats.status)
                observed = client.fetch_trials_by_status("completed")
                self.assertEqual(20, len(observed))
                for trial in observed:
                    self.assertEqual(socket.gethostname(), trial.metadata.get("hostname"), trial)
                experiment = Connection(client_token=server.token, url=server.url).experiments(experiment_id).fetch()
                self.assertEqual(experiment.observation_budget, experiment.progress.observation_count)
            finally:
                server.stop()


class SuggestionLeaseTest(unittest.TestCase):
    def test_an_open_suggestion_is_heartbeated_past_the_lease(self):
        with tempfile.TemporaryDirectory() as folder:
            server = ServeProcess(folder + "/root", "--root", folder + "/root", "--lease", "1").start()
            self.addCleanup(server.stop)
            conn = Connection(client_token=server.token, url=server.url)
            self.addCleanup(conn.close)
            experiment = conn.experiments().create(name="leased", parameters=PARAMETERS, observation_budget=1,
                                                   parallel_bandwidth=1)
            suggestion = conn.experiments(experiment.id).suggestions().create()
            # Three leases: without heartbeats the suggestion would go out again to this other worker.
            with self.assertRaises(WaitingForTrials):
                Client(url=server.url, token=server.token, study=experiment.id).suggest(wait=3)
            observation = conn.experiments(experiment.id).observations().create(suggestion=suggestion.id, value=1.0)
            self.assertTrue(observation.recorded)
            self.assertEqual(1, conn.experiments(experiment.id).fetch().progress.observation_count)
