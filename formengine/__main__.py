import sys

from formengine.cli.main import main

sys.exit(main())
