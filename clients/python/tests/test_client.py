"""Every call of hpctune.Client against a real serve --root: each test creates its own study."""

import itertools

from serve_process import RootServerTestCase, write_study

from hpctune import Client, Trial

_names = itertools.count()


class ClientCallsTest(RootServerTestCase):
    def new_study(self, **changes):
        _, study = write_study(self.folder.name, name=f"calls-{next(_names)}", **changes)
        client = Client(url=self.server.url, token=self.server.token, worker="calls-test")
        info = client.create_study(study)
        self.addCleanup(client.close)
        return client, info

    def test_create_study_makes_it_the_clients_study_and_a_retried_create_succeeds(self):
        client, info = self.new_study()
        self.assertEqual(client.study, info.id)
        self.assertEqual("running", info.status)
        self.assertEqual(6, info.observation_budget)
        self.assertEqual(2, info.parallel_bandwidth)
        again = Client(url=self.server.url, token=self.server.token).create_study(info.definition, id=info.id)
        self.assertEqual(info.id, again.id)
        self.assertIn(info.id, [s.id for s in client.list_studies()])

    def test_suggest_hands_out_a_trial_in_the_space_and_gives_a_worker_its_open_trial_back(self):
        client, _ = self.new_study()
        trial = client.suggest()
        self.assertIsInstance(trial, Trial)
        self.assertEqual("open", trial.state)
        self.assertTrue(-2.0 <= trial.params["x"] <= 2.0)
        self.assertIn(trial.params["n"], range(1, 6))
        self.assertIn(trial.params["kind"], ("a", "b"))
        self.assertEqual(trial.id, client.suggest().id)
        self.assertGreater(client.heartbeat_seconds, 0)

    def test_suggest_count_gives_several_trials(self):
        client, _ = self.new_study()
        trials = client.suggest(count=2)
        self.assertEqual(2, len({t.id for t in trials}))

    def test_observe_completes_a_trial_and_a_result_sent_again_is_acknowledged_once(self):
        client, _ = self.new_study()
        trial = client.suggest()
        first = client.observe(trial, value=0.25, metadata={"note": "first"})
        self.assertTrue(first.recorded)
        self.assertFalse(first.duplicate)
        again = client.observe(trial, value=0.25, metadata={"note": "first"})
        self.assertTrue(again.recorded)
        self.assertTrue(again.duplicate)
        completed = client.fetch_trials_by_status("completed")
        self.assertEqual([trial.id], [t.id for t in completed])
        self.assertEqual({"loss": 0.25}, completed[0].values)
        self.assertEqual("first", completed[0].metadata["note"])
        self.assertEqual(1, client.stats().counts.completed)

    def test_observe_takes_values_by_metric_name(self):
        client, _ = self.new_study()
        trial = client.suggest()
        client.observe(trial, values={"loss": 1.5})
        self.assertEqual({"loss": 1.5}, client.get_trial(trial.id).values)

    def test_fail_records_the_reason(self):
        client, _ = self.new_study()
        trial = client.suggest()
        client.fail(trial, "diverged")
        failed = client.get_trial(trial.id)
        self.assertEqual("failed", failed.state)
        self.assertIn("diverged", failed.failure_reason)

    def test_release_gives_the_trial_back_and_it_goes_out_again_first(self):
        client, _ = self.new_study()
        trial = client.suggest()
        client.release(trial)
        self.assertEqual("interrupted", client.get_trial(trial.id).state)
        other = Client(url=self.server.url, token=self.server.token, study=client.study, worker="another")
        self.assertEqual(trial.id, other.suggest().id)

    def test_heartbeat_keeps_an_open_trial_and_says_abandon_once_it_is_finished(self):
        client, _ = self.new_study()
        trial = client.suggest()
        self.assertFalse(client.heartbeat(trial).abandon)
        client.observe(trial, value=1.0)
        self.assertTrue(client.heartbeat(trial).abandon)

    def test_report_records_intermediate_values(self):
        client, _ = self.new_study()
        trial = client.suggest()
        answer = client.report(trial, 1, {"loss": 3.0})
        self.assertFalse(answer.stop)
        client.report(trial, 2, {"loss": 2.0})
        reports = client.get_trial(trial.id).reports
        self.assertEqual([1, 2], [r.step for r in reports])
        self.assertEqual({"loss": 2.0}, reports[1].values)

    def test_insert_adds_a_completed_trial_and_stats_names_the_best(self):
        client, _ = self.new_study()
        inserted = client.insert({"x": 1.0, "n": 2, "kind": "b"}, values={"loss": -5.0})
        self.assertEqual("completed", inserted.state)
        self.assertEqual({"x": 1.0, "n": 2, "kind": "b"}, client.get_trial(inserted.id).params)
        stats = client.stats()
        self.assertEqual(inserted.id, stats.best.id)
        self.assertEqual(1, stats.counts.completed)
        self.assertEqual(6, stats.observation_budget)

    def test_fetch_trials_by_status_and_all(self):
        client, _ = self.new_study()
        first, second = client.suggest(count=2)
        client.observe(first, value=1.0)
        self.assertEqual([second.id], [t.id for t in client.fetch_trials_by_status("open")])
        self.assertEqual({first.id, second.id}, {t.id for t in client.fetch_trials()})

    def test_is_done_and_is_broken_follow_the_study(self):
        client, _ = self.new_study(observation_budget=1)
        self.assertFalse(client.is_done)
        client.observe(client.suggest(), value=1.0)
        self.assertTrue(client.is_done)
        self.assertFalse(client.is_broken)
        self.assertIsNone(client.suggest())

    def test_a_study_with_too_many_failures_is_broken(self):
        client, _ = self.new_study(max_failures=1)
        client.fail(client.suggest(), "boom")
        self.assertTrue(client.is_broken)
        self.assertTrue(client.is_done)

    def test_stop_and_delete_open(self):
        client, _ = self.new_study()
        client.suggest(count=2)
        self.assertEqual(2, client.delete_open())
        self.assertEqual(2, len(client.fetch_trials_by_status("deleted")))
        self.assertEqual("stopped", client.stop("enough").status)
        self.assertIsNone(client.suggest())

    def test_a_worker_that_leaves_gives_its_open_trials_back(self):
        client, _ = self.new_study()
        trials = client.suggest(count=2)
        self.assertEqual(2, client.leave())
        self.assertEqual({t.id for t in trials}, {t.id for t in client.fetch_trials_by_status("interrupted")})
        self.assertEqual(client.study, client.get_study().id)
