# SPDX-License-Identifier: MIT
"""README.md's example program (quickstart.c, the code block between its
`begin boards/host/quickstart.c` markers) built outside ornd-lite's tree the
three ways a consumer would, each run against the local identity server
(tests/server/identity_server.py) over TLS on loopback:

  pkg-config        `make install PREFIX=<tmp>/prefix`, then
                    cc $(pkg-config --cflags ornd) quickstart.c $(pkg-config --libs --static ornd)
                    with only that prefix's ornd.pc on PKG_CONFIG_PATH
  find_package      tests/consumer/CMakeLists.txt, CMAKE_PREFIX_PATH=<tmp>/prefix;
                    again after the CMake build's own `cmake --install`, whose
                    files must be the same as make install's
  add_subdirectory  the same CMakeLists.txt with this tree added as a
                    subdirectory (the pinned mbedTLS, both lwIP ports built
                    against build/deps' lwIP and port/lwip/host*/lwipopts.h)
  sdk_mbedtls       add_subdirectory again, linked to the MbedTLS::mbedtls of
                    mbedTLS's own CMake build with its default configuration,
                    as an SDK provides it; builds and runs tests/coexist/coexist.c
                    (the example takes the opt-ins, which that mbedTLS lacks)

Each quickstart must print seven header lines from one client while
the server sees one token request. Everything is built in a temporary
directory outside the tree, removed at the end.

Run alone: python3 tests/consumer/test_consumer.py [NAME-PART...]; last line
`consumer: N passed, M failed`. Environment: ORND_TEST_CERTS as for
tests/integration/test_token.py; CMAKE, PKG_CONFIG.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "tests" / "server"))
sys.path.insert(0, str(REPO / "tests" / "integration"))

import testlib  # noqa: E402
from test_token import (CA, CLIENT_ID, READ, RUN_LIMIT, SECRET, OrndTest, answer_sent,  # noqa: E402
                        creds_env, ensure_certs)

CMAKE = os.environ.get("CMAKE", "cmake")
PKG_CONFIG = os.environ.get("PKG_CONFIG", "pkg-config")
BUILD_LIMIT = 900
LINE_RE = re.compile(r"^call (\d+): Authorization header, (\d+) bytes$")
LWIP = REPO / "build" / "deps" / "lwip-2.2.1"
MBEDTLS = Path(os.environ.get("MBEDTLS_DIR") or REPO / "build" / "deps" / "mbedtls-3.6.7")


def readme_example():
    """The C block of README.md between its quickstart markers; the file
    itself when the README has none."""
    text = (REPO / "README.md").read_text()
    m = re.search(r"<!-- begin boards/host/quickstart\.c -->\n```c\n(.*?)```\n"
                  r"<!-- end boards/host/quickstart\.c -->", text, re.S)
    return m.group(1) if m else (REPO / "boards" / "host" / "quickstart.c").read_text()


def run(cmd, **kw):
    p = subprocess.run([str(c) for c in cmd], stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=BUILD_LIMIT, **kw)
    return p.returncode, p.stdout.decode(errors="replace") + p.stderr.decode(errors="replace")


class ConsumerTest(OrndTest):
    tmp = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="ornd-consumer-"))
        cls.prefix = cls.tmp / "prefix"
        cls.app = cls.tmp / "app"
        cls.app.mkdir()
        (cls.app / "quickstart.c").write_text(readme_example())
        shutil.copy(HERE / "CMakeLists.txt", cls.app / "CMakeLists.txt")
        shutil.copy(REPO / "tests" / "coexist" / "coexist.c", cls.app / "coexist.c")
        cls.install = run(["make", "--no-print-directory", "install", "PREFIX=%s" % cls.prefix],
                          cwd=REPO)

    @classmethod
    def tearDownClass(cls):
        if cls.tmp is not None:
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.assertEqual(self.install[0], 0, "make install failed:\n" + self.install[1])

    def built(self, cmd_list):
        for cmd in cmd_list:
            rc, out = run(cmd, cwd=self.tmp)
            self.assertEqual(rc, 0, "%s\n%s" % (" ".join(map(str, cmd)), out))

    def assert_runs(self, program):
        """Seven headers from one client: one token request, granted."""
        s = self.server()
        p = subprocess.run([str(program), str(CA), s.url, "7"], env=creds_env(),
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=RUN_LIMIT)
        out = p.stdout.decode()
        self.assertEqual(p.returncode, 0, out + p.stderr.decode())
        (req,) = self.assert_requests(s, 1, client_id=CLIENT_ID, secret=SECRET, scope=READ)
        self.assertEqual(req["outcome"], "granted")
        token = answer_sent(req)[2]["access_token"]
        lines = out.splitlines()
        self.assertEqual(len(lines), 7, out)
        for i, line in enumerate(lines, 1):
            m = LINE_RE.match(line)
            self.assertIsNotNone(m, out)
            self.assertEqual((int(m.group(1)), int(m.group(2))),
                             (i, len("Authorization: Bearer ") + len(token)))


class TestPkgConfig(ConsumerTest):
    def pkg(self, *args):
        env = dict(os.environ, PKG_CONFIG_PATH=str(self.prefix / "lib" / "pkgconfig"),
                   PKG_CONFIG_LIBDIR=str(self.prefix / "lib" / "pkgconfig"))
        p = subprocess.run([PKG_CONFIG] + list(args) + ["ornd"], env=env, capture_output=True,
                           timeout=RUN_LIMIT)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        return p.stdout.decode().split()

    def test_ornd_pc_says_version_flags_and_build(self):
        version = re.findall(r'#define ORND_VERSION_STRING "([^"]+)"',
                             (REPO / "include" / "ornd" / "version.h").read_text())
        self.assertEqual(self.pkg("--modversion"), version)
        inc = str(self.prefix / "include")
        self.assertEqual(self.pkg("--cflags"), ["-I" + inc, "-I%s/ornd/mbedtls" % inc])
        self.assertEqual(self.pkg("--libs", "--static"),
                         ["-L%s/lib" % self.prefix, "-lornd", "-lornd-posix", "-lornd-mbedtls",
                          "-pthread"])
        self.assertEqual(self.pkg("--variable=tls_rng_hook"), ["1"])
        self.assertEqual(self.pkg("--variable=mbedtls_config"), ["boards/host/mbedtls_config.h"])
        self.assertEqual(self.pkg("--variable=tls_pool_size"), [str(1024 * 1024)])
        # The installed mbedTLS headers carry the configuration the library
        # was built with, so a program's own mbedTLS use agrees with it.
        self.assertEqual((self.prefix / "include/ornd/mbedtls/mbedtls/mbedtls_config.h").read_bytes(),
                         (REPO / "boards/host/mbedtls_config.h").read_bytes())
        for h in list((REPO / "include/ornd").glob("*.h")) + list((REPO / "include/ornd/core").glob("*.h")):
            self.assertTrue((self.prefix / "include" / h.relative_to(REPO / "include")).is_file(), h)

    def test_quickstart_built_with_pkg_config(self):
        cc = os.environ.get("CC", "cc")
        out = self.tmp / "pkg-config" / "quickstart"
        out.parent.mkdir(exist_ok=True)
        cmd = [cc, "-std=c11", "-Wall", "-Wextra", "-Werror"] + self.pkg("--cflags") + \
            [self.app / "quickstart.c"] + self.pkg("--libs", "--static") + ["-o", out]
        self.built([cmd])
        self.assert_runs(out)


class TestCMake(ConsumerTest):
    def test_quickstart_built_with_find_package(self):
        b = self.tmp / "find_package"
        self.built([[CMAKE, "-S", self.app, "-B", b, "-DORND_WAY=find_package",
                     "-DCMAKE_PREFIX_PATH=%s" % self.prefix],
                    [CMAKE, "--build", b, "-j2"]])
        self.assert_runs(b / "quickstart")

    def test_quickstart_built_with_find_package_after_cmake_install(self):
        """The CMake build's own install: the same package as make install's."""
        b = self.tmp / "cmake_install"
        prefix = self.tmp / "cmake-prefix"
        self.built([[CMAKE, "-S", REPO, "-B", b / "ornd", "-DCMAKE_INSTALL_PREFIX=%s" % prefix,
                     "-DORND_WARNINGS_AS_ERRORS=ON"],
                    [CMAKE, "--build", b / "ornd", "-j2"],
                    [CMAKE, "--install", b / "ornd"],
                    [CMAKE, "-S", self.app, "-B", b / "app", "-DORND_WAY=find_package",
                     "-DCMAKE_PREFIX_PATH=%s" % prefix],
                    [CMAKE, "--build", b / "app", "-j2"]])
        installed = sorted(str(p.relative_to(prefix)) for p in prefix.rglob("*"))
        by_make = sorted(str(p.relative_to(self.prefix)) for p in self.prefix.rglob("*"))
        self.assertEqual(installed, by_make)
        self.assert_runs(b / "app" / "quickstart")

    def test_quickstart_built_with_add_subdirectory(self):
        b = self.tmp / "add_subdirectory"
        inc = [LWIP / "src" / "include", LWIP / "contrib" / "ports" / "unix" / "port" / "include"]
        lwip = ";".join(map(str, inc + [REPO / "port" / "lwip" / "host"]))
        lwip_raw = ";".join(map(str, inc + [REPO / "port" / "lwip" / "host-nosys"]))
        self.built([[CMAKE, "-S", self.app, "-B", b, "-DORND_WAY=add_subdirectory",
                     "-DORND_SOURCE_DIR=%s" % REPO, "-DORND_WARNINGS_AS_ERRORS=ON",
                     "-DORND_LWIP_INCLUDE_DIRS=%s" % lwip, "-DORND_LWIP_RAW_INCLUDE_DIRS=%s" % lwip_raw],
                    [CMAKE, "--build", b, "-j2"]])
        for lib in ("libornd.a", "libornd-posix.a", "libornd-mbedtls.a", "libornd-lwip.a",
                    "libornd-lwip-raw.a"):
            self.assertTrue((b / "ornd" / lib).is_file(), lib)
        self.assert_runs(b / "quickstart")

    def test_sdk_mbedtls_target(self):
        """ORND_MBEDTLS_TARGET: an SDK's MbedTLS::mbedtls, stock configuration."""
        b = self.tmp / "sdk_mbedtls"
        self.built([[CMAKE, "-S", self.app, "-B", b, "-DORND_WAY=sdk_mbedtls",
                     "-DORND_SOURCE_DIR=%s" % REPO, "-DMBEDTLS_SOURCE_DIR=%s" % MBEDTLS,
                     "-DORND_WARNINGS_AS_ERRORS=ON"],
                    [CMAKE, "--build", b, "-j2"]])
        # An SDK's mbedTLS may define PSA's RNG hook itself: off by default.
        self.assertIn("ORND_TLS_RNG_HOOK:BOOL=OFF", (b / "CMakeCache.txt").read_text())
        s = self.server()
        p = subprocess.run([str(b / "coexist"), str(CA), s.url], env=creds_env(),
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=RUN_LIMIT)
        out = p.stdout.decode()
        self.assertEqual(p.returncode, 0, out + p.stderr.decode())
        self.assertEqual(out.splitlines()[-1], "coexist: all steps ok", out)
        self.assertIn("memory: ok mbedTLS's own allocator (calloc/free)", out)
        tokens = [r for r in s.requests() if not r["outcome"] == "not_found"]
        self.assertEqual([r["outcome"] for r in tokens], ["granted"])


def main():
    ensure_certs()
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    return testlib.run("consumer", suite)


if __name__ == "__main__":
    sys.exit(main())
