"""`irtis check` tells an administrator which Debian packages the documents still need."""

from django.core import checks

from . import diagram, pdf


@checks.register("irtis")
def architecture_tools(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
    found: list[checks.CheckMessage] = []
    if diagram.dot_path() is None:
        found.append(checks.Warning(
            "Graphviz `dot` is missing: architecture descriptions are generated without the "
            "dependency diagram.",
            hint=diagram.INSTALL_HINT, id="architecture.W001",
        ))
    problem = pdf.unavailable()
    if problem:
        found.append(checks.Warning(
            f"PDF architecture descriptions cannot be generated: {problem}",
            hint=pdf.INSTALL_HINT, id="architecture.W002",
        ))
    return found
