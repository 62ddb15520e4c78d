from yotsu.cli import main

main()
