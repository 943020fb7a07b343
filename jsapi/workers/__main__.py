import sys

from jsapi.workers.run import main

sys.exit(main())
