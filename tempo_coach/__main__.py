from tempo_coach.cli.commands import main

raise SystemExit(main())
