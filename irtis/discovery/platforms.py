"""What operating system a device runs, from its sysDescr.

Each rule names the product the way the inventory does (product + version, e.g. "Cisco IOS XE"
"17.9"); `plan` then finds that product's version, preferring a recorded release train
("17.9") over creating the exact build ("17.9.4a"), since support dates are kept per train.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Platform:
    manufacturer: str
    product: str
    kind: str  # a SoftwareProduct.Kind value
    version: str

    def __str__(self) -> str:
        return f"{self.product} {self.version}"


CISCO = "Cisco Systems"
# Debian's kernel series by release, for a sysDescr that names Debian but not its release.
DEBIAN_KERNELS = {"4.9": "9", "4.19": "10", "5.10": "11", "6.1": "12", "6.12": "13"}
# Windows builds by Windows Server release (the sysDescr gives the build, not the name).
WINDOWS_SERVER_BUILDS = {"9200": "2012", "9600": "2012 R2", "14393": "2016", "17763": "2019", "20348": "2022",
                         "26100": "2025"}
CISCO_VERSION = re.compile(r"Version (?P<version>[^\s,]+)")


def identify(sys_descr: str) -> Platform | None:
    """The platform a sysDescr names, or None when no rule knows it."""
    text = " ".join(sys_descr.split())
    for rule in (_cisco, _junos, _windows, _linux):
        found = rule(text)
        if found is not None:
            return found
    return None


def _cisco(text: str) -> Platform | None:
    if not text.startswith("Cisco") or not (match := CISCO_VERSION.search(text)):
        return None
    if "NX-OS" in text:
        product = "Cisco NX-OS"
    elif re.search(r"IOS[ -_]?XE", text, re.IGNORECASE):
        product = "Cisco IOS XE"
    elif "IOS XR" in text:
        product = "Cisco IOS XR"
    elif "IOS" in text:
        product = "Cisco IOS"
    else:
        return None
    return Platform(CISCO, product, "firmware", match["version"])


def _junos(text: str) -> Platform | None:
    match = re.search(r"\bJUNOS (?P<version>[^\s,]+)", text)
    return Platform("Juniper Networks", "Junos OS", "firmware", match["version"]) if match else None


def _windows(text: str) -> Platform | None:
    match = re.search(r"Software: Windows Version (?P<version>[\d.]+) \(Build (?P<build>\d+)", text)
    if not match:
        return None
    release = WINDOWS_SERVER_BUILDS.get(match["build"])
    if release:
        return Platform("Microsoft", "Windows Server", "os", release)
    return Platform("Microsoft", "Windows", "os", f"{match['version']} (build {match['build']})")


def _linux(text: str) -> Platform | None:
    """`uname -a`: "Linux host 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) x86_64"."""
    match = re.match(r"Linux \S+ (?P<kernel>\S+)", text)
    if not match:
        return None
    kernel = match["kernel"]
    debian = re.search(r"\bDebian (?P<package>\S+)", text)
    if debian:
        release = _debian_release(kernel, debian["package"])
        if release:
            return Platform("Debian", "Debian GNU/Linux", "os", release)
    return Platform("The Linux Foundation", "Linux", "os", kernel)


def _debian_release(kernel: str, package: str) -> str | None:
    for pattern in (r"\+deb(\d+)", r"~bpo(\d+)"):  # security rebuilds and backports name the release
        if found := re.search(pattern, f"{kernel} {package}"):
            return found[1]
    series = re.match(r"(\d+\.\d+)", kernel)
    return DEBIAN_KERNELS.get(series[1]) if series else None
