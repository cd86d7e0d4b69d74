"""Pytest hooks that print the bad-input corpus's size and pass rate at the end of a run.

Corpus tests tag themselves with ``record_property("corpus_case", name)``; an entry passes
when every check of it (CLI, app, browser) that ran passed.
"""
from collections import defaultdict

_RESULTS = defaultdict(list)  # case name -> ["passed" | "failed" | "skipped", ...]


def pytest_runtest_logreport(report):
    names = [value for key, value in report.user_properties if key == "corpus_case"]
    if not names or (report.when != "call" and not (report.failed or report.skipped)):
        return
    for name in names:
        _RESULTS[name].append(report.outcome)


def pytest_terminal_summary(terminalreporter):
    if not _RESULTS:
        return
    import corpus

    ran = {name: outcomes for name, outcomes in _RESULTS.items()
           if any(outcome != "skipped" for outcome in outcomes)}
    passed = [name for name, outcomes in ran.items()
              if all(outcome in ("passed", "skipped") for outcome in outcomes)]
    checks = sum(len(outcomes) for outcomes in ran.values())
    rate = 100.0 * len(passed) / len(ran) if ran else 0.0
    terminalreporter.write_sep("-", "bad-input corpus")
    terminalreporter.write_line(
        f"bad-input corpus: {len(corpus.CASES)} inputs generated, {len(ran)} exercised in "
        f"{checks} checks, {len(passed)}/{len(ran)} passed ({rate:.1f} %)")
    failed = sorted(set(ran) - set(passed))
    if failed:
        terminalreporter.write_line("corpus inputs with a failing check: " + ", ".join(failed))
