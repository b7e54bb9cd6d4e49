# SPDX-License-Identifier: MIT
"""The ESP-IDF component and the Zephyr module, checked without their SDKs
(neither is in Debian's archive, so neither is built here):

- the IDF registration (top CMakeLists.txt with ESP_PLATFORM set, then
  cmake/esp-idf.cmake) and zephyr/CMakeLists.txt are run by
  tests/sdk/list_files.cmake with stand-ins for the SDK's functions: every
  source and include directory they name exists, and the sources are
  mk/sources.mk's lists (library + lwIP sockets port for IDF, the library for
  Zephyr); IDF's components required are mbedtls and lwip;
- every Kconfig size the Zephyr CMake reads is declared in zephyr/Kconfig and
  becomes an ORND_CONFIG_ macro that include/ornd/config.h knows;
- the paths zephyr/module.yml and idf_component.yml name exist.

Last line: `sdk-files: N passed, M failed`.
"""
import os
import re
import subprocess
import sys
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "server"))
import testlib  # noqa: E402

CMAKE = os.environ.get("CMAKE", "cmake")


def sources_mk():
    lists = {}
    for line in (REPO / "mk" / "sources.mk").read_text().splitlines():
        m = re.match(r"^([A-Z_]+) := (.*)$", line)
        if m:
            lists[m.group(1)] = [str(REPO / f) for f in m.group(2).split()]
    return lists


def listed(sdk, *defs):
    p = subprocess.run([CMAKE, "-DSDK=%s" % sdk] + ["-D" + d for d in defs] +
                       ["-P", str(REPO / "tests" / "sdk" / "list_files.cmake")],
                       capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        raise AssertionError(p.stdout + p.stderr)
    items = {}
    for line in (p.stdout + p.stderr).splitlines():
        kind, _, value = line.partition(" ")
        items.setdefault(kind, []).append(value)
    return items


class TestEspIdf(unittest.TestCase):
    def test_registration_names_existing_files_from_the_source_list(self):
        got = listed("esp-idf")
        lists = sources_mk()
        want = (lists["ORND_CORE_SRCS"] + lists["ORND_SESSION_SRCS"] + lists["ORND_TLS_SRCS"] +
                lists["ORND_LWIP_SRCS"])
        self.assertEqual(got["SRC"], want)
        for f in got["SRC"]:
            self.assertTrue(Path(f).is_file(), f)
        self.assertEqual(got["DIR"], [str(REPO / "include"), str(REPO / "port" / "lwip")])
        for d in got["DIR"]:
            self.assertTrue(Path(d).is_dir(), d)
        self.assertTrue((REPO / "port" / "lwip" / "ornd_lwip.h").is_file())
        self.assertEqual(sorted(got["REQUIRES"]), ["lwip", "mbedtls"])

    def test_manifest(self):
        text = (REPO / "idf_component.yml").read_text()
        self.assertRegex(text, r'(?m)^license: "MIT"$')
        self.assertRegex(text, r'(?m)^  idf: ">=5\.3"$')
        # No version of its own: include/ornd/version.h is the one place.
        self.assertNotRegex(text, r"(?m)^version:")
        self.assertTrue((REPO / "cmake" / "esp-idf.cmake").is_file())


class TestZephyr(unittest.TestCase):
    def kconfig_symbols(self):
        return set(re.findall(r"(?m)^(?:menu)?config (ORND\w*)$",
                              (REPO / "zephyr" / "Kconfig").read_text()))

    def test_module_yml_names_existing_files(self):
        text = (REPO / "zephyr" / "module.yml").read_text()
        cmake_dir = re.search(r"(?m)^  cmake: (\S+)$", text).group(1)
        kconfig = re.search(r"(?m)^  kconfig: (\S+)$", text).group(1)
        self.assertTrue((REPO / cmake_dir / "CMakeLists.txt").is_file(), cmake_dir)
        self.assertTrue((REPO / kconfig).is_file(), kconfig)

    def test_off_unless_configured(self):
        self.assertEqual(listed("zephyr"), {})

    def test_library_and_every_size(self):
        lists = sources_mk()
        cm = (REPO / "zephyr" / "CMakeLists.txt").read_text()
        names = re.search(r"foreach\(_opt ([A-Z_ \n]+)\)", cm).group(1).split()
        symbols = self.kconfig_symbols()
        config_h = (REPO / "include" / "ornd" / "config.h").read_text()
        defs = ["CONFIG_ORND=y", "CONFIG_ORND_TLS_RNG_HOOK=y"]
        for i, n in enumerate(names):
            self.assertIn("ORND_" + n, symbols, n)
            self.assertIn("#ifndef ORND_CONFIG_%s\n" % n, config_h, n)
            defs.append("CONFIG_ORND_%s=%d" % (n, 1000 + i))
        got = listed("zephyr", *defs)
        self.assertEqual(got["LIBRARY"], ["ornd"])
        self.assertEqual(got["SRC"], lists["ORND_CORE_SRCS"] + lists["ORND_SESSION_SRCS"] +
                         lists["ORND_TLS_SRCS"])
        for f in got["SRC"] + got["DIR"]:
            self.assertTrue(Path(f).exists(), f)
        self.assertEqual(sorted(got["DEF"]), sorted(
            ["ORND_CONFIG_%s=%du" % (n, 1000 + i) for i, n in enumerate(names)] +
            ["ORND_CONFIG_TLS_RNG_HOOK=1"]))
        self.assertIn("ORND_TLS_RNG_HOOK", symbols)
        self.assertEqual(got["LINK"], ["mbedTLS"])


def main():
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    return testlib.run("sdk-files", suite)


if __name__ == "__main__":
    sys.exit(main())
