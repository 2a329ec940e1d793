"""Refused calls raise the exception that says what to do: no or wrong token, duplicates, bad requests, no such
study or trial; and a client lives through a server killed and started again."""

import tempfile
import threading
import unittest

from serve_process import ServeProcess, environment, write_study

from hpctune import (RequestTooLargeError, Client, ConflictError, DuplicateTrialError, HpcTuneError, InvalidRequestError, NotFoundError,
                     UnauthenticatedError, UnavailableError)


class ErrorsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory()
        study_file, _ = write_study(cls.folder.name)
        cls.checkpoint = cls.folder.name + "/checkpoint"
        cls.server = ServeProcess(cls.checkpoint, "--checkpoint", cls.checkpoint, "--study", str(study_file)).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        cls.folder.cleanup()

    def client(self, **options):
        options.setdefault("token", self.server.token)
        return Client(url=self.server.url, **options)

    def test_a_wrong_token_is_unauthenticated(self):
        with self.assertRaises(UnauthenticatedError) as refused:
            self.client(token="not-the-token").stats()
        self.assertEqual(401, refused.exception.status)
        self.assertEqual("UNAUTHENTICATED", refused.exception.code)
        self.assertIsInstance(refused.exception, HpcTuneError)

    def test_no_token_is_unauthenticated(self):
        with environment(HPCTUNE_TOKEN=None), self.assertRaises(UnauthenticatedError) as refused:
            Client(url=self.server.url).suggest(wait=0)
        self.assertIn("no token", refused.exception.message)

    def test_the_token_comes_from_a_file_or_the_environment_and_the_url_from_the_environment(self):
        self.assertEqual(6, self.client(token=None, token_file=self.server.token_file).stats().observation_budget)
        with environment(HPCTUNE_URL=self.server.url, HPCTUNE_TOKEN=self.server.token):
            self.assertEqual(6, Client().stats().observation_budget)

    def test_a_duplicate_insert_raises_duplicate_trial_error(self):
        client = self.client()
        client.insert({"x": 0.5, "n": 3, "kind": "a"})
        with self.assertRaises(DuplicateTrialError) as refused:
            client.insert({"x": 0.5, "n": 3, "kind": "a"})
        self.assertEqual(409, refused.exception.status)
        self.assertEqual("ALREADY_EXISTS", refused.exception.code)
        self.assertIsInstance(refused.exception, ConflictError)

    def test_parameters_outside_the_space_are_an_invalid_request(self):
        with self.assertRaises(InvalidRequestError) as refused:
            self.client().insert({"x": 99.0, "n": 3, "kind": "a"})
        self.assertEqual(400, refused.exception.status)
        self.assertIn("x", refused.exception.message)
        with self.assertRaises(InvalidRequestError):
            self.client().insert({"x": 0.1, "n": 3, "kind": "z"})
        with self.assertRaises(InvalidRequestError):
            self.client().insert({"x": 0.1, "n": 3})

    def test_an_oversized_request_is_refused_with_the_servers_reason_not_retried(self):
        padding = "p" * (5 * 1024 * 1024)
        with self.assertRaises(RequestTooLargeError) as refused:
            self.client(retry_timeout=None).insert({"x": 0.5, "n": 1, "kind": "a", "padding": padding})
        self.assertEqual(413, refused.exception.status)
        self.assertIn("too large", refused.exception.message)

    def test_an_unknown_trial_or_study_is_not_found(self):
        with self.assertRaises(NotFoundError) as refused:
            self.client().get_trial(987654)
        self.assertEqual(404, refused.exception.status)
        with self.assertRaises(NotFoundError):
            self.client(study="no-such-study").stats()

    def test_an_invalid_worker_name_is_refused_before_sending(self):
        with self.assertRaises(ValueError):
            self.client(worker="has space")
        with self.assertRaises(ValueError):
            self.client(worker="w" * 101)

    def test_a_default_worker_name_is_valid_and_unique_per_client(self):
        first, second = self.client(), self.client()
        self.assertNotEqual(first.worker, second.worker)
        self.assertRegex(first.worker, r"^[A-Za-z0-9_@:-]{1,100}$")

    def test_an_unreachable_server_raises_unavailable_after_the_retry_timeout(self):
        with self.assertRaises(UnavailableError) as refused:
            Client(url="http://127.0.0.1:9", token="t", retry_timeout=0.3).stats()
        self.assertIsNone(refused.exception.status)


class RestartTest(unittest.TestCase):
    def test_a_result_sent_while_the_server_is_down_arrives_once_it_is_back(self):
        with tempfile.TemporaryDirectory() as folder:
            study_file, _ = write_study(folder)
            checkpoint = folder + "/checkpoint"
            server = ServeProcess(checkpoint, "--checkpoint", checkpoint, "--study", str(study_file)).start()
            try:
                client = Client(url=server.url, token=server.token, worker="restarted", retry_timeout=60)
                trial = client.suggest()
                server.kill()
                outcome = {}

                def observe():
                    try:
                        client.heartbeat(trial)
                        outcome["ack"] = client.observe(trial, value=2.0)
                    except HpcTuneError as error:
                        outcome["error"] = error

                sender = threading.Thread(target=observe)
                sender.start()
                server.start()  # same checkpoint, same port
                sender.join(timeout=90)
                self.assertFalse(sender.is_alive())
                self.assertNotIn("error", outcome)
                self.assertTrue(outcome["ack"].recorded)
                self.assertEqual({"loss": 2.0}, client.get_trial(trial.id).values)
                self.assertEqual(1, client.stats().counts.completed)
            finally:
                server.stop()
