#!/usr/bin/env python
from alliance.cli import main

if __name__ == "__main__":
    main()
