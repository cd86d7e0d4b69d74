"""Streamlit-side helpers shared by the pages: session state, datasets, figures.

The numerical work lives in ``logreg``; this package only wires it to the browser.
"""

import numpy  # noqa: F401  (loads OpenBLAS: threadpoolctl limits only libraries loaded)
from threadpoolctl import threadpool_limits

# One BLAS thread per server process. A server's parallelism is its sessions; numpy's
# OpenBLAS otherwise runs each product on both cores and its second thread spins while it
# waits for work: a full-speed Train click cost the server 210 ms of CPU, 95 ms with one
# thread, in the same time to results (docs/benchmarks.md). The engine and its command
# line, used by one person at a time, keep numpy's default.
threadpool_limits(limits=1, user_api="blas")
