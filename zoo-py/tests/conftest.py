import os
import sys

# The example scripts (and their shared test problems) are imported by the quality tests.
EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples")
sys.path.insert(0, os.path.abspath(EXAMPLES))
