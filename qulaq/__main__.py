import sys

from qulaq.cli import main

sys.exit(main())
