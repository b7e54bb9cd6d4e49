# SPDX-License-Identifier: MIT
"""What the Python test programs (tests/server/test_api_server.py,
tests/integration/test_token.py) share: stopping the server process a test
started, and the runner of their main(), which runs a unittest suite, or with
arguments only the tests whose id contains one of them, and ends with the
line `LABEL: N passed, M failed` that tests/run-all.sh counts.
"""

import shutil
import signal
import subprocess
import sys
import unittest


class ServerProcess:
    """Base of a test's handle on a local server process; the subclass
    starts it and sets proc (a Popen with stdout piped), stderr_file and
    dir (the run directory, removed on stop)."""

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc.stdout.close()
        self.stderr_file.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def flatten(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from flatten(t)
        else:
            yield t


def run(label, suite, list_skipped=False):
    """Run `suite` (filtered by sys.argv[1:]); the exit status: 1 when a
    test failed, else 0. list_skipped: name each skipped test and why."""
    if len(sys.argv) > 1:  # run only tests whose id contains one of the arguments
        wanted = sys.argv[1:]
        suite = unittest.TestSuite(t for t in flatten(suite)
                                   if any(w in t.id() for w in wanted))
    result = unittest.TextTestRunner(verbosity=2, stream=sys.stdout).run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    passed = result.testsRun - failed - len(result.skipped) - len(result.expectedFailures)
    if list_skipped:
        for test, reason in result.skipped:
            print("skipped %s: %s" % (test.id().split(".", 1)[-1], reason))
    print("%s: %d passed, %d failed" % (label, passed, failed))
    return 1 if failed else 0
