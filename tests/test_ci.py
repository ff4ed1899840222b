"""The CI entry point runs exactly what the README tells a newcomer to run."""

import re

from analysis import config


def test__ci_run__calls_the_readme_test_command():
    readme = (config.ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```sh\n(.*?)```", readme, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.strip()]
    assert commands[:2] == ["make report", "make test"]
    ci = (config.ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M), ".ci/run must call the README's test command"
